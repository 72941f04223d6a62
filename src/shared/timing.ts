// Facts about an Exchange's timings that every view states the same way (panel, status bar, CLI).

/**
 * Time the whole exchange took, redirects included (curl's time_total): each hop's total added up. The final
 * hop's own total alone would show a few milliseconds for a chain that took seconds. Null when no hop has a total.
 */
export function chainTotalMs(ex: { timings: { total: number | null }; redirects: readonly { timings: { total: number | null } }[] }): number | null {
  let sum = 0;
  let any = false;
  for (const t of [...ex.redirects.map((h) => h.timings.total), ex.timings.total]) {
    if (t === null || !Number.isFinite(t)) continue;
    sum += t;
    any = true;
  }
  return any ? sum : null;
}
