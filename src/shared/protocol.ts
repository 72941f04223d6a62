// The typed message protocol between the panel host (src/panel) and the webview script (media/webview).
// Messages from the webview are untrusted input: the host validates them with `parseWebviewMessage`.
import type { Exchange, Progress } from './exchange';

export interface PendingRequestView {
  method: string;
  url: string;
  startedAt: number;
}

export type HostMessage =
  | { type: 'pending'; request: PendingRequestView }
  | { type: 'progress'; progress: Progress }
  | { type: 'exchange'; exchange: Exchange };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'rerun' };

const WEBVIEW_TYPES: ReadonlySet<string> = new Set(['ready', 'cancel', 'rerun']);

export function parseWebviewMessage(value: unknown): WebviewMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !WEBVIEW_TYPES.has(type)) return null;
  return { type } as WebviewMessage;
}
