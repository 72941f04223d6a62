// The one place the final record of a send is put together: its redirect hops, the error that ended the chain
// and every hop's notes (the request's own, the engine's, the chain's, the knowledge base's), in that order.
// `send` calls it exactly once per exchange, whatever path it ends on; nothing sets them on the record after.
import type { Exchange, ExchangeError, Note } from '../shared/exchange';

/** One hop of the chain as the engine ran it, with what the chain learned about it. */
export interface Leg {
  exchange: Exchange;
  /** Notes about the hop seen from the chain (credentials not carried across a redirect). */
  notes: Note[];
}

export interface RecordParts {
  /** Every hop in order; the last is the exchange the chain ended on. Never empty. */
  legs: Leg[];
  /** Why the chain stopped after the last hop (redirect limit, unusable Location, Digest): kept unless the hop failed itself. */
  error: ExchangeError | null;
  /** Notes about the request as written (parser, HTTP version): on the first hop, the one sent as written. */
  requestNotes: Note[];
  /** The knowledge base's notes for a finished hop, when the caller wants them (the pipeline passes annotate). */
  annotate?: (hop: Exchange) => Note[];
}

export function buildRecord(p: RecordParts): Exchange {
  const hops = p.legs.map((l) => l.exchange);
  const final = hops[hops.length - 1];
  if (p.error && !final.error) final.error = p.error;
  p.legs.forEach((leg, i) => {
    const own = i === 0 ? p.requestNotes : [];
    if (own.length > 0 || leg.notes.length > 0) leg.exchange.notes = [...own, ...leg.exchange.notes, ...leg.notes];
  });
  final.redirects = hops.slice(0, -1);
  // Annotated last: checks read the finished record (its error, its redirects).
  if (p.annotate) for (const hop of hops) hop.notes = [...hop.notes, ...p.annotate(hop)];
  return final;
}
