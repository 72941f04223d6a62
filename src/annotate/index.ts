// Annotations entry point. The annotations issue fills the knowledge base and the checks.
import type { Exchange, Note } from '../shared/exchange';

export function annotateExchange(_exchange: Exchange): Note[] {
  return [];
}
