/**
 * What the scheduling rules can say about a date of a session or series, and the error that
 * carries every such problem at once (a series is checked whole before anything is saved).
 * Pure, safe in the browser bundle.
 */

/** One refused date: its local start and the reason as an encoded message key (fields.ts msg). */
export type SlotProblem = {
  /** the occurrence number in the series, or null for a one-off session */
  index: number | null;
  /** "YYYY-MM-DDTHH:MM" in the program's time zone */
  local: string;
  key: string;
};

/** The candidate times of a session or series, local and UTC. */
export type Slot = {
  index: number | null;
  local: string;
  localEnd: string;
  startsAt: string;
  endsAt: string;
};

export class ConflictError extends Error {
  constructor(readonly problems: SlotProblem[]) {
    super(`${problems.length} scheduling conflicts`);
    this.name = "ConflictError";
  }
}

export function isConflictError(e: unknown): e is ConflictError {
  return e instanceof ConflictError;
}

/** Problems grouped by date-time, in order, for the conflict report. */
export function problemsByDate(problems: readonly SlotProblem[]): { local: string; index: number | null; keys: string[] }[] {
  const out = new Map<string, { local: string; index: number | null; keys: string[] }>();
  for (const p of [...problems].sort((a, b) => a.local.localeCompare(b.local))) {
    const entry = out.get(p.local) ?? { local: p.local, index: p.index, keys: [] };
    if (!entry.keys.includes(p.key)) entry.keys.push(p.key);
    out.set(p.local, entry);
  }
  return [...out.values()];
}
