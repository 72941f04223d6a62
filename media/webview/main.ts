// The webview script: renders host messages, keeps its state across reloads, and reports what it rendered.
// Response content is untrusted: it only ever becomes text (see dom.ts); nothing from it is parsed as HTML.
import type { ExchangeViewModel, HostMessage, PendingRequestView, RenderReport, RenderedSection, WebviewMessage } from '../../src/shared/protocol';
import { boundForState } from '../../src/view/stateBound';
import { formatMs } from '../../src/view/units';
import { el } from './dom';
import { renderExchangeView, type RenderContext, type UiState } from './exchange';
import { renderPending, renderProgress, stopTicker } from './pending';
import { appendTranscriptRow } from './transcript';

interface VsCodeApi {
  postMessage(msg: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  view: ExchangeViewModel | null;
  ui: UiState;
}

const vscode = acquireVsCodeApi();
// VS Code injects its own script(s) into the page: count only what appears after ours started.
const baselineScripts = document.scripts.length;
const app = document.getElementById('app') as HTMLElement;

function loadState(): SavedState {
  const s = vscode.getState() as Partial<SavedState> | undefined;
  const ui: UiState = { expanded: {}, crlf: false, ...(s?.ui ?? {}) };
  return { view: s?.view ?? null, ui };
}

const state = loadState();

function saveState(): void {
  vscode.setState(state);
}

const ctx: RenderContext = {
  ui: state.ui,
  post: (m) => vscode.postMessage(m),
  saveUi: saveState,
};

function sectionReport(): RenderedSection[] {
  const out: RenderedSection[] = [];
  for (const s of Array.from(app.querySelectorAll<HTMLElement>('[data-section]'))) {
    const toggle = s.querySelector('.section-toggle');
    const title = s.querySelector('.section-title')?.textContent ?? s.querySelector('.section-static')?.textContent ?? '';
    const body = s.querySelector('.section-body') ?? s;
    const count = s.dataset.count === undefined ? undefined : Number(s.dataset.count);
    out.push({
      id: s.dataset.section ?? '',
      title,
      text: (body.textContent ?? '').slice(0, 3900),
      expanded: toggle ? toggle.getAttribute('aria-expanded') === 'true' : true,
      ...(count !== undefined && Number.isInteger(count) ? { count } : {}),
    });
  }
  return out;
}

/** Posts the report once the frame is painted (after the next animation frame and a task) and its fonts have
 * loaded. Waiting for the fonts makes "rendered" mean "done loading": in the browser workbench (code-server) a
 * webview closed while its codicon font is still loading keeps the shared service worker busy for 30 s, which
 * holds up the next webview that opens. `durationMs` is still measured at paint. */
function report(view: RenderReport['view'], seq: number, started: number, restored: boolean): void {
  requestAnimationFrame(() => {
    setTimeout(() => {
      const summary = app.querySelector('.summary');
      const statusLine = document.getElementById('status-line')?.textContent ?? document.getElementById('error-title')?.textContent ?? null;
      const r: RenderReport = {
        view,
        seq,
        durationMs: performance.now() - started,
        statusLine,
        sections: [
          ...(summary ? [{ id: 'summary', title: 'Summary', text: (summary.textContent ?? '').slice(0, 3900), expanded: true }] : []),
          ...sectionReport(),
        ],
        scripts: Math.max(0, document.scripts.length - baselineScripts),
        images: document.images.length,
        bodyMode: app.querySelector<HTMLElement>('.body')?.dataset.mode ?? null,
        restored,
        documentTitle: document.title,
      };
      void document.fonts.ready.then(() => vscode.postMessage({ type: 'rendered', report: r }));
    }, 0);
  });
}

/** One short sentence for screen readers when an exchange arrives (the page itself is not a live region). */
function announce(vm: ExchangeViewModel): void {
  const ex = vm.hop.exchange;
  const what = ex.response ? `${ex.response.status} ${ex.response.reason}` : `failed: ${vm.hop.error?.title ?? ex.error?.code ?? ''}`;
  const region = document.getElementById('announce');
  if (region) region.textContent = `Response ${what}, ${formatMs(ex.timings.total)}.`;
}

function showExchange(vm: ExchangeViewModel, seq: number, restored: boolean): void {
  const t0 = performance.now();
  stopTicker();
  app.replaceChildren(...renderExchangeView(vm, ctx));
  app.setAttribute('aria-busy', 'false');
  if (!restored) announce(vm);
  report('exchange', seq, t0, restored);
}

function showPending(req: PendingRequestView, seq: number): void {
  const t0 = performance.now();
  app.replaceChildren(...renderPending(req, ctx.post));
  app.setAttribute('aria-busy', 'true');
  report('pending', seq, t0, false);
}

function showEmpty(): void {
  const t0 = performance.now();
  app.replaceChildren(el('p', 'muted empty', 'Send a request from an .http file to see its exchange here.'));
  report('empty', 0, t0, false);
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const msg = event.data;
  if (typeof msg !== 'object' || msg === null) return;
  switch (msg.type) {
    case 'pending':
      showPending(msg.request, msg.seq);
      break;
    case 'progress':
      renderProgress(msg.progress);
      break;
    case 'exchange':
      showExchange(msg.view, msg.seq, false);
      state.view = boundForState(msg.view);
      saveState();
      break;
    case 'socketMessage': {
      // A live connection's message: appended, and reported like a render so the host (and tests) see it.
      const t0 = performance.now();
      if (appendTranscriptRow(app, msg.row)) report('exchange', msg.seq, t0, false);
      break;
    }
    default:
      break;
  }
});

if (state.view) showExchange(state.view, 0, true);
else showEmpty();
vscode.postMessage({ type: 'ready' });
