// What a check reports: findings, which the registry turns into notes.

export interface Finding {
  subject: string;
  /** Replaces the registry summary with specifics (e.g. the computed lifetime). */
  summary?: string;
  /** Appended to the registry explanation. */
  extra?: string;
}

/**
 * Findings of a check that fired on more lines than it lists: `total` counts them all (the registry groups them
 * into one note either way, so the rest need not be built).
 */
export type Findings = Finding[] & { total?: number };

/** The most findings a per-line check builds; the rest are counted. */
export const FINDINGS_LISTED = 64;

/** The findings of a check that found nothing: one shared, frozen empty list. */
export const NOTHING: Finding[] = [];
Object.freeze(NOTHING);
