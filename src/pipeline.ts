// send → annotate, shared by the editor and the CLI so both show the same record.
import { annotateExchange } from './annotate';
import type { Exchange } from './shared/exchange';
import type { ResolvedRequest } from './shared/request';
import { sendAnnotated, type SendOptions } from './wire';

export async function execute(req: ResolvedRequest, opts: SendOptions = {}): Promise<Exchange> {
  // The engine's own notes (tolerated syntax, undecoded codings) come first; the knowledge base adds the rest to
  // each hop when the engine builds the record.
  return sendAnnotated(req, opts, annotateExchange);
}
