// The webview script: renders host messages. Response content is untrusted: text only, never HTML.
import type { Exchange, Progress } from '../../src/shared/exchange';
import type { HostMessage, PendingRequestView, WebviewMessage } from '../../src/shared/protocol';

interface VsCodeApi {
  postMessage(msg: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function renderPending(req: PendingRequestView): void {
  app.replaceChildren();
  const bar = el('div', 'summary');
  bar.append(el('span', 'method', req.method), el('span', 'url', req.url));
  const phase = el('div', 'phase', 'connecting…');
  phase.id = 'phase';
  const cancel = el('button', 'cancel', 'Cancel');
  cancel.addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));
  app.append(bar, phase, cancel);
}

function renderProgress(p: Progress): void {
  const phase = document.getElementById('phase');
  if (phase) phase.textContent = `${p.phase} — ${(p.elapsedMs / 1000).toFixed(1)} s, ${p.bytes} bytes`;
}

function renderExchange(ex: Exchange): void {
  app.replaceChildren();
  const bar = el('div', 'summary');
  bar.append(el('span', 'method', ex.request.method), el('span', 'url', ex.request.url));
  app.append(bar);
  if (ex.response) {
    const r = ex.response;
    const status = el('div', `status-line class-${Math.floor(r.status / 100)}xx`, `HTTP/${r.httpVersion} ${r.status} ${r.reason}`);
    status.id = 'status-line';
    app.append(status);
    const table = el('table', 'headers');
    table.id = 'response-headers';
    for (const [name, value] of r.headers) {
      const row = el('tr');
      row.append(el('th', 'header-name', name), el('td', 'header-value', value));
      table.append(row);
    }
    app.append(table);
    const body = el('pre', 'body', r.body.text ?? `(${r.body.size} bytes of binary)`);
    body.id = 'body';
    app.append(body);
  }
  if (ex.error) {
    const err = el('div', 'error', `${ex.error.code}: ${ex.error.message} (during ${ex.error.phase})`);
    err.id = 'error';
    app.append(err);
  }
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'pending': renderPending(msg.request); break;
    case 'progress': renderProgress(msg.progress); break;
    case 'exchange': renderExchange(msg.exchange); vscode.setState({ exchange: msg.exchange }); break;
  }
});

const saved = vscode.getState() as { exchange?: Exchange } | undefined;
if (saved?.exchange) renderExchange(saved.exchange);
vscode.postMessage({ type: 'ready' });
