// The one place the final record of a send is put together: its redirect hops, the error that ended the chain
// and every hop's notes (the request's own, the engine's, the chain's, the knowledge base's), in that order.
// `send` calls it exactly once per exchange, whatever path it ends on; nothing sets them on the record after.
import type { Exchange, ExchangeError, Note } from '../shared/exchange';

/** One hop of the chain as the engine ran it, with what the chain learned about it. */
export interface Leg {
  exchange: Exchange;
  /** Notes about the hop seen from the chain (credentials not carried across a redirect). */
  notes: readonly Note[];
}

export interface RecordParts {
  /** Every hop in order; the last is the exchange the chain ended on. Never empty. */
  legs: Leg[];
  /** Why the chain stopped after the last hop (redirect limit, unusable Location, Digest): kept unless the hop failed itself. */
  error: ExchangeError | null;
  /** Notes about the request as written (parser, HTTP version): on the first hop, the one sent as written. */
  requestNotes: readonly Note[];
  /** The knowledge base's notes for a finished hop, when the caller wants them (the pipeline passes annotate). */
  annotate?: (hop: Exchange) => Note[];
}

const NONE: readonly Note[] = [];

export function buildRecord(p: RecordParts): Exchange {
  const legs = p.legs;
  const final = legs[legs.length - 1].exchange;
  if (p.error && !final.error) final.error = p.error;
  const redirects: Exchange[] = [];
  for (let i = 0; i < legs.length; i++) {
    const leg = legs[i];
    const own = i === 0 ? p.requestNotes : NONE;
    if (own.length > 0 || leg.notes.length > 0) leg.exchange.notes = [...own, ...leg.exchange.notes, ...leg.notes];
    if (i < legs.length - 1) redirects.push(leg.exchange);
  }
  final.redirects = redirects;
  // Annotated last: checks read the finished record (its error, its redirects).
  if (p.annotate) {
    for (const leg of legs) {
      const hop = leg.exchange;
      const found = p.annotate(hop);
      if (found.length > 0) hop.notes = hop.notes.length === 0 ? found : [...hop.notes, ...found];
    }
  }
  return final;
}
