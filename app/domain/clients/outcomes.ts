/**
 * The outcome rules of DESIGN.md §5, one named function each (CONVENTIONS pattern 8). Pure:
 * plain data in, plain data out, no database. Lists, dashboards, reports and the command line
 * all call these, so "abstinent", "eligible", "overdue" mean one thing everywhere.
 *
 * Dates without time are "YYYY-MM-DD"; instants are UTC ISO strings. "As of D" is a date in the
 * program's time zone (use `localDate(new Date(), timeZone)` for today).
 */
import type { ClientStatus, SubstanceEventKind } from "#db/schema";
import { msg } from "~/domain/shared/fields";
import { addDays, addMonths, addYears, daysBetween, localDate, monthOf, parseDate } from "./dates";

export type SubstanceEventFact = { date: string; kind: SubstanceEventKind };
export type RecognitionFact = { recognisedOn: string };

/** Events that restart the abstinence clock. A test_negative never does. */
export const CLOCK_RESTARTING_KINDS: readonly SubstanceEventKind[] = ["use", "relapse", "test_positive", "facility_release"];

/** Events that count as relapse after a recognition (a facility release is not drug use in itself). */
export const RELAPSE_KINDS: readonly SubstanceEventKind[] = ["use", "relapse", "test_positive"];

/**
 * The date a client has been abstinent since, as of D: the latest date on or before D among the
 * client's use, relapse, test_positive and facility_release events; with none, the intake date.
 * Taken literally from DESIGN.md §5: such an event dated before intake still counts (abstinence
 * that began before the client came to the program, e.g. at a facility release).
 */
export function abstinentSince(intakeDate: string, events: readonly SubstanceEventFact[], asOf: string): string {
  parseDate(intakeDate);
  parseDate(asOf);
  let latest: string | null = null;
  for (const e of events) {
    parseDate(e.date);
    if (!CLOCK_RESTARTING_KINDS.includes(e.kind) || e.date > asOf) continue;
    if (latest === null || e.date > latest) latest = e.date;
  }
  return latest ?? intakeDate;
}

/** 29 February counts as 28 February (DESIGN.md §5). */
function leapDayAsFeb28(date: string): string {
  return date.endsWith("-02-29") ? `${date.slice(0, 4)}-02-28` : date;
}

/** The same calendar day three years earlier; 29 February maps to 28 February. */
export function threeYearsBefore(date: string): string {
  const { y } = parseDate(date);
  return leapDayAsFeb28(`${String(y - 3).padStart(4, "0")}${date.slice(4)}`);
}

/** Three calendar years after a date (29 February + 3 years = 28 February): the day a client abstinent since then becomes eligible. */
export function threeYearsAfter(date: string): string {
  return addYears(date, 3);
}

export type RecognitionCandidate = {
  intakeDate: string;
  status: ClientStatus;
  closedOn?: string | null;
  events: readonly SubstanceEventFact[];
  recognitions: readonly RecognitionFact[];
};

/**
 * Closed as of D: a closed client whose closing date is on or before D (or unknown). A client
 * closed after D was still open at D, so historical reports count them as they stood then.
 */
export function isClosedAsOf(client: { status: ClientStatus; closedOn?: string | null }, asOf: string): boolean {
  if (client.status !== "closed") return false;
  return client.closedOn == null || client.closedOn <= asOf;
}

/**
 * Eligible for three-year recognition at D (the social workers' worklist): served (intake on or
 * before D), not closed as of D, no recognition dated on or before D, and abstinent since a date
 * on or before D minus three calendar years. Both sides treat 29 February as 28 February, so a
 * client abstinent since 2020-02-29 becomes eligible on 2023-02-28.
 */
export function isEligibleForRecognition(client: RecognitionCandidate, asOf: string): boolean {
  parseDate(client.intakeDate);
  parseDate(asOf);
  if (client.intakeDate > asOf) return false;
  if (isClosedAsOf(client, asOf)) return false;
  if (isRecognised(client.recognitions, asOf)) return false;
  const since = abstinentSince(client.intakeDate, client.events, asOf);
  return leapDayAsFeb28(since) <= threeYearsBefore(asOf);
}

/** Recognised three-year abstinent at D: a recognition dated on or before D. A later relapse does not erase it. */
export function isRecognised(recognitions: readonly RecognitionFact[], asOf: string): boolean {
  parseDate(asOf);
  for (const r of recognitions) parseDate(r.recognisedOn);
  return recognitions.some((r) => r.recognisedOn <= asOf);
}

/**
 * Relapsed after recognition, at D: a use, relapse or test_positive event dated after the
 * client's first recognition (on or before D) and on or before D. Counted apart; the client
 * stays recognised.
 */
export function relapsedAfterRecognition(
  recognitions: readonly RecognitionFact[],
  events: readonly SubstanceEventFact[],
  asOf: string,
): boolean {
  parseDate(asOf);
  let first: string | null = null;
  for (const r of recognitions) {
    parseDate(r.recognisedOn);
    if (r.recognisedOn <= asOf && (first === null || r.recognisedOn < first)) first = r.recognisedOn;
  }
  if (first === null) return false;
  const since = first;
  for (const e of events) parseDate(e.date);
  return events.some((e) => RELAPSE_KINDS.includes(e.kind) && e.date > since && e.date <= asOf);
}

/**
 * A share as a percentage with two decimals, rounded half up, computed in integers so that
 * 10579 / 35740 gives "29.60" and never "29.599999". With a zero denominator: "0.00".
 */
export function percentage(part: number, whole: number): string {
  for (const n of [part, whole]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a count: ${n}`);
  }
  if (whole === 0) return "0.00";
  const hundredths = Math.floor((part * 20_000 + whole) / (2 * whole));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
}

/** Three-year abstinence rate at D: recognised ÷ served, as a percentage with two decimals ("29.60"); "0.00" when nobody was served. */
export function threeYearRate(recognised: number, served: number): string {
  return percentage(recognised, served);
}

export const MILESTONES = [
  { key: "days30", days: 30 },
  { key: "days90", days: 90 },
  { key: "months6", months: 6 },
  { key: "years1", months: 12 },
  { key: "years2", months: 24 },
  { key: "years3", months: 36 },
  { key: "years5", months: 60 },
] as const;

export type MilestoneKey = (typeof MILESTONES)[number]["key"];
export type Milestone = { key: MilestoneKey; date: string };

/**
 * Abstinence milestones: 30 and 90 days, 6 months, 1, 2, 3 and 5 years after the abstinent-since
 * date (calendar months and years; a missing day becomes the month's last day, so the 3-year
 * milestone falls on the day the client becomes eligible for recognition). A milestone is
 * reached on its date. Returns those reached (with the date reached), the next one (or null
 * after 5 years), and the whole days abstinent.
 */
export function milestones(
  abstinentSinceDate: string,
  asOf: string,
): { days: number; reached: Milestone[]; next: Milestone | null } {
  const days = daysBetween(abstinentSinceDate, asOf);
  const all: Milestone[] = MILESTONES.map((m) => ({
    key: m.key,
    date: "days" in m ? addDays(abstinentSinceDate, m.days) : addMonths(abstinentSinceDate, m.months),
  }));
  return {
    days,
    reached: all.filter((m) => m.date <= asOf),
    next: all.find((m) => m.date > asOf) ?? null,
  };
}

export type ContactCadence = { lastContactAt?: string | null; nextContactDue?: string | null };
export type OverdueReason = "never_contacted" | "threshold" | "next_due_passed";
export type OverdueStatus =
  | { overdue: false; daysOverdue: 0; reason: null; daysSinceLastContact: number }
  | { overdue: true; daysOverdue: number | null; reason: OverdueReason; daysSinceLastContact: number | null };

/**
 * Contact cadence (DESIGN.md §5): a client is overdue at D when
 * - there has never been a contact (daysOverdue null: there is no count to show), or
 * - the last contact, taken as a date in the program's time zone, is more than `thresholdDays`
 *   days before D (a contact exactly `thresholdDays` days ago is not yet overdue), or
 * - a set next-contact date is before D (due today is not yet overdue).
 * daysOverdue is the larger of the two overdue counts, for "12 days overdue".
 */
export function isOverdue(cadence: ContactCadence, asOf: string, thresholdDays: number, timeZone: string): OverdueStatus {
  parseDate(asOf);
  if (!Number.isInteger(thresholdDays) || thresholdDays < 0) throw new RangeError(`bad threshold: ${thresholdDays}`);
  if (!cadence.lastContactAt) {
    return { overdue: true, daysOverdue: null, reason: "never_contacted", daysSinceLastContact: null };
  }
  const since = daysBetween(localDate(cadence.lastContactAt, timeZone), asOf);
  const byThreshold = since - thresholdDays;
  const byNextDue = cadence.nextContactDue ? daysBetween(cadence.nextContactDue, asOf) : 0;
  if (byThreshold <= 0 && byNextDue <= 0) {
    return { overdue: false, daysOverdue: 0, reason: null, daysSinceLastContact: since };
  }
  return {
    overdue: true,
    daysOverdue: Math.max(byThreshold, byNextDue),
    reason: byThreshold >= byNextDue ? "threshold" : "next_due_passed",
    daysSinceLastContact: since,
  };
}

export type Barc10Result = { ok: true; total: number } | { ok: false; key: string; field: string };

export const BARC10_ITEMS = 10;

/**
 * BARC-10 (Brief Assessment of Recovery Capital): ten items, each a whole number 1–6 (strongly
 * disagree … strongly agree), total 10–60. Anything else is refused with a message key, the
 * way DomainError carries one: "clients.barc10.itemCount?expected=10" or
 * "clients.barc10.itemRange?item=N&min=1&max=6" (N counts from 1).
 */
export function scoreBarc10(answers: readonly unknown[]): Barc10Result {
  if (!Array.isArray(answers) || answers.length !== BARC10_ITEMS) {
    return { ok: false, key: msg("clients.barc10.itemCount", { expected: BARC10_ITEMS }), field: "answers" };
  }
  let total = 0;
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i];
    if (typeof a !== "number" || !Number.isInteger(a) || a < 1 || a > 6) {
      return { ok: false, key: msg("clients.barc10.itemRange", { item: i + 1, min: 1, max: 6 }), field: `item${i + 1}` };
    }
    total += a;
  }
  return { ok: true, total };
}

/** When the next BARC-10 is due: `everyMonths` calendar months after the last one (month-end days clamp). */
export function nextBarc10Due(lastDate: string, everyMonths = 3): string {
  if (!Number.isInteger(everyMonths) || everyMonths < 1) throw new RangeError(`bad interval: ${everyMonths}`);
  return addMonths(lastDate, everyMonths);
}

/**
 * The three calendar months retention looks at, as of D: the three complete months before D's
 * month (for D = 2026-12-15: 2026-09, 2026-10, 2026-11). D's own month is left out because it is
 * still running: counting it would drop almost every client on the 1st of each month.
 */
export function retentionMonths(asOf: string): [string, string, string] {
  const first = `${monthOf(asOf)}-01`;
  return [monthOf(addMonths(first, -3)), monthOf(addMonths(first, -2)), monthOf(addMonths(first, -1))];
}

/**
 * Retained in support at D: at least one contact in each of `retentionMonths(D)`, each contact
 * (a UTC instant) placed in its month by its date in the program's time zone.
 */
export function retainedInSupport(contactDates: readonly string[], asOf: string, timeZone: string): boolean {
  const months = retentionMonths(asOf);
  const seen = new Set<string>();
  for (const at of contactDates) seen.add(localDate(at, timeZone).slice(0, 7));
  return months.every((m) => seen.has(m));
}
