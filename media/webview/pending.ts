// The while-waiting view: the request, a live elapsed time, the phase ("downloading 12.4 MB"), and Cancel.
import type { Progress } from '../../src/shared/exchange';
import type { PendingRequestView, WebviewMessage } from '../../src/shared/protocol';
import { describeProgress, formatElapsed } from '../../src/view/progress';
import { button, el, icon } from './dom';

let ticker: number | undefined;

export function stopTicker(): void {
  if (ticker !== undefined) window.clearInterval(ticker);
  ticker = undefined;
}

export function renderPending(req: PendingRequestView, post: (m: WebviewMessage) => void): HTMLElement[] {
  stopTicker();
  const bar = el('header', 'summary');
  bar.setAttribute('aria-label', 'Request in progress');
  const line = el('div', 'summary-line');
  line.append(el('span', 'method', req.method), el('span', 'url', req.url));
  const live = el('div', 'pending');
  live.id = 'pending';
  const spinner = icon('loading', 'codicon-modifier-spin');
  const phase = el('span', 'phase', 'starting');
  phase.id = 'phase';
  phase.setAttribute('role', 'status');
  const elapsed = el('span', 'elapsed', formatElapsed(0));
  elapsed.id = 'elapsed';
  elapsed.setAttribute('aria-label', 'Elapsed time');
  const cancel = button(
    'Cancel',
    'stop-circle',
    () => {
      cancel.disabled = true;
      phase.textContent = 'cancelling…';
      post({ type: 'cancel' });
    },
    { cls: 'action primary', title: 'Cancel the request' },
  );
  cancel.id = 'cancel';
  live.append(spinner, phase, el('span', 'sep', '·'), elapsed, cancel);
  // The webview's own clock: Date.now() on both sides of postMessage is the same machine's clock.
  const started = req.startedAt;
  ticker = window.setInterval(() => {
    if (!elapsed.isConnected) return stopTicker();
    elapsed.textContent = formatElapsed(Date.now() - started);
  }, 100);
  bar.append(line, live);
  const parts: HTMLElement[] = [bar];
  {
    const sec = el('section', 'section');
    sec.dataset.section = 'request';
    const title = el('h2', 'section-static', 'Request');
    const pre = el(
      'pre',
      'raw',
      [`${req.method} ${req.url}`, ...(req.headers ?? []).map(([n, v]) => `${n}: ${v}`)].join('\n') +
        (req.bodyPreview ? `\n\n${req.bodyPreview}` : ''),
    );
    sec.append(title, pre);
    parts.push(sec);
  }
  return parts;
}

export function renderProgress(p: Progress): void {
  const phase = document.getElementById('phase');
  const elapsed = document.getElementById('elapsed');
  if (phase && phase.textContent !== 'cancelling…') phase.textContent = describeProgress(p);
  if (elapsed) elapsed.textContent = formatElapsed(p.elapsedMs);
}
