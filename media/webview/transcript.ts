// The transcript of a WebSocket, TCP or UDP exchange: messages in order with their times, text or hex, the frame
// facts and the close explained; while the connection is open, a box sends another message and a button closes
// it (WebSocket: with a close code and reason). Text only: every message goes through textContent.
import type { HopView, TranscriptRow, WebviewMessage } from '../../src/shared/protocol';
import { formatBytes } from '../../src/view/units';
import { button, el, icon } from './dom';

export function transcriptRowElement(r: TranscriptRow): HTMLElement {
  const li = el('li', `msg ${r.direction}`);
  li.dataset.index = String(r.index);
  const head = el('div', 'msg-head');
  head.append(
    icon(r.direction === 'sent' ? 'arrow-up' : 'arrow-down'),
    el('span', 'msg-dir', r.direction === 'sent' ? '>' : '<'),
    el('span', 'msg-time', r.time),
    el('span', `msg-type type-${r.type}`, r.type),
    el('span', 'msg-size', formatBytes(r.size)),
  );
  if (r.details.length) head.append(el('span', 'msg-details', r.details.join(' · ')));
  li.append(head);
  if (r.text !== null && r.text !== '') li.append(el('pre', 'msg-body text', r.text));
  else if (r.hex) li.append(el('pre', 'msg-body hex', r.hex.join('\n')));
  if (r.close) li.append(el('div', 'msg-close', r.close));
  if (r.cut) li.append(el('div', 'muted', 'Only the start is shown.'));
  return li;
}

function liveControls(kind: 'websocket' | 'tcp' | 'udp', post: (m: WebviewMessage) => void): HTMLElement {
  const box = el('div', 'socket-live');
  const input = el('textarea', 'socket-input');
  input.id = 'socket-input';
  input.rows = 2;
  input.placeholder = kind === 'websocket' ? 'Message to send (a text frame)' : 'Bytes to send (escapes \\r \\n \\t \\0 \\xHH \\\\)';
  input.setAttribute('aria-label', 'Message to send');
  const send = (): void => {
    if (input.value === '') return;
    post({ type: 'socketSend', text: input.value });
    input.value = '';
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    }
  });
  const row = el('div', 'socket-actions');
  const sendButton = button('Send', 'send', send, { title: 'Send this message (Ctrl+Enter)' });
  sendButton.id = 'socket-send';
  row.append(sendButton);
  if (kind === 'websocket') {
    const code = el('input', 'socket-close-code');
    code.id = 'socket-close-code';
    code.type = 'number';
    code.min = '1000';
    code.max = '4999';
    code.value = '1000';
    code.setAttribute('aria-label', 'Close code');
    const reason = el('input', 'socket-close-reason');
    reason.id = 'socket-close-reason';
    reason.type = 'text';
    reason.placeholder = 'reason';
    reason.maxLength = 123;
    reason.setAttribute('aria-label', 'Close reason');
    const close = button('Close', 'close', () => post({ type: 'socketClose', code: Number(code.value) || 1000, reason: reason.value }), {
      title: 'Send a close frame with this code and reason',
    });
    close.id = 'socket-close';
    row.append(el('span', 'socket-close-label', 'Close with'), code, reason, close);
  } else {
    const close = button('Close', 'close', () => post({ type: 'socketClose', code: 1000, reason: '' }), { title: 'Close the connection (FIN)' });
    close.id = 'socket-close';
    row.append(close);
  }
  box.append(input, row);
  return box;
}

/** Appends a row that arrived while the connection is open; false when no live transcript is shown. */
export function appendTranscriptRow(root: HTMLElement, r: TranscriptRow): boolean {
  const list = root.querySelector<HTMLElement>('#transcript-list');
  if (!list || list.querySelector(`[data-index="${r.index}"]`)) return false;
  list.append(transcriptRowElement(r));
  root.querySelector('#transcript-empty')?.remove();
  const section = list.closest<HTMLElement>('[data-section]');
  if (section) {
    const n = list.children.length;
    section.dataset.count = String(n);
    const badge = section.querySelector('.badge.count');
    if (badge) badge.textContent = String(n);
  }
  return true;
}

export function transcriptBody(h: HopView, post: (m: WebviewMessage) => void): HTMLElement[] | null {
  const t = h.transcript;
  if (!t) return null;
  const parts: HTMLElement[] = [];
  const summary = el('div', 'transcript-summary');
  for (const line of t.summary) summary.append(el('div', undefined, line));
  parts.push(summary);
  const list = el('ol', 'transcript');
  list.id = 'transcript-list';
  for (const r of t.rows) list.append(transcriptRowElement(r));
  parts.push(list);
  if (t.rows.length === 0) {
    const empty = el('p', 'muted', t.live ? 'Connected; nothing exchanged yet.' : 'No message was exchanged.');
    empty.id = 'transcript-empty';
    parts.push(empty);
  }
  if (t.omitted) parts.push(el('p', 'muted', `${t.omitted} more messages are in the record (Save Exchange, or the CLI's --json).`));
  if (t.live) parts.push(liveControls(t.kind, post));
  return parts;
}
