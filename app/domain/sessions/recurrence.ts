/**
 * A group's recurrence (weekly or fortnightly on given weekdays, N times or until a date, with
 * exception dates), as RFC 5545 RRULE text expanded by the `rrule` library — never by hand.
 *
 * Expansion happens in *floating local time*: the rule runs over wall-clock times (a Date whose UTC
 * fields are the local fields), and each occurrence is then converted to UTC in the program's time
 * zone by time.ts, which refuses times that a daylight-saving change skips or repeats. So "every
 * Tuesday 19:00" stays 19:00 local across offset changes, as calendar users expect.
 *
 * Exception dates are removed after expansion and keep their place in the numbering (like EXDATE:
 * COUNT counts the rule's dates before exclusions), so a session's occurrence number never shifts.
 * Pure code, safe in the browser bundle.
 */
import * as rruleModule from "rrule";
import type { RRule as RRuleClass } from "rrule";
import { FREQUENCIES, MAX_OCCURRENCES, type Frequency } from "./limits";
import { addDays, isLocalDate, isLocalDateTime, weekdayOf, type LocalDateTime } from "./time";

// rrule ships CommonJS for Node and ESM for bundlers: take the classes from wherever they are.
const rrule = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;

export { MAX_OCCURRENCES, FREQUENCIES, type Frequency };

export type RecurrenceSpec = {
  frequency: Frequency;
  /** 1 = Monday … 7 = Sunday */
  weekdays: number[];
  /** exactly one of count and until */
  count: number | null;
  /** YYYY-MM-DD, inclusive */
  until: string | null;
};

export type Occurrence = {
  /** 1-based position in the rule's series (exception dates keep their number) */
  index: number;
  local: LocalDateTime;
};

export type RecurrenceProblem = { field: string; key: string };

const RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

function weekdayObjects(weekdays: number[]) {
  const all = [rrule.RRule.MO, rrule.RRule.TU, rrule.RRule.WE, rrule.RRule.TH, rrule.RRule.FR, rrule.RRule.SA, rrule.RRule.SU];
  return [...new Set(weekdays)].sort((a, b) => a - b).map((w) => all[w - 1]!);
}

/** A floating wall-clock time as a Date whose UTC fields are the local fields. */
function floating(local: LocalDateTime, seconds = 0): Date {
  return new Date(`${local}:${String(seconds).padStart(2, "0")}Z`);
}

function fromFloating(d: Date): LocalDateTime {
  return d.toISOString().slice(0, 16);
}

/** Everything wrong with a spec, each on its form field (count, until, weekdays, endKind). */
export function recurrenceProblems(spec: RecurrenceSpec, startDate: string): RecurrenceProblem[] {
  const problems: RecurrenceProblem[] = [];
  if (spec.weekdays.length === 0 || spec.weekdays.some((w) => !Number.isInteger(w) || w < 1 || w > 7)) {
    problems.push({ field: "weekdays", key: "sessions.recurrence.noWeekdays" });
  }
  if (spec.count === null && spec.until === null) problems.push({ field: "endKind", key: "sessions.recurrence.noEnd" });
  if (spec.count !== null && spec.until !== null) problems.push({ field: "endKind", key: "sessions.recurrence.oneEnd" });
  if (spec.count !== null && (!Number.isInteger(spec.count) || spec.count < 1)) {
    problems.push({ field: "count", key: `form.numberRange?min=1&max=${MAX_OCCURRENCES}` });
  } else if (spec.count !== null && spec.count > MAX_OCCURRENCES) {
    problems.push({ field: "count", key: `sessions.recurrence.tooMany?max=${MAX_OCCURRENCES}` });
  }
  if (spec.until !== null) {
    if (!isLocalDate(spec.until)) problems.push({ field: "until", key: "form.invalidDate" });
    else if (spec.until < startDate) problems.push({ field: "until", key: "sessions.recurrence.untilBeforeStart" });
  }
  return problems;
}

/** The RRULE text stored on the group: "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=8". */
export function ruleText(spec: RecurrenceSpec): string {
  const text = rrule.RRule.optionsToString({
    freq: rrule.RRule.WEEKLY,
    interval: spec.frequency === "fortnightly" ? 2 : 1,
    byweekday: weekdayObjects(spec.weekdays),
    wkst: rrule.RRule.MO,
    count: spec.count ?? undefined,
    until: spec.until ? floating(`${spec.until}T23:59`, 59) : undefined,
  });
  return text.replace(/^RRULE:/, "");
}

/** The spec a stored rule was made from (for the edit form), or null for a rule this app did not write. */
export function specOf(rule: string): RecurrenceSpec | null {
  let options: ReturnType<typeof rrule.RRule.parseString>;
  try {
    options = rrule.RRule.parseString(rule);
  } catch {
    return null;
  }
  if (options.freq !== rrule.RRule.WEEKLY) return null;
  const interval = options.interval ?? 1;
  if (interval !== 1 && interval !== 2) return null;
  const days = (Array.isArray(options.byweekday) ? options.byweekday : options.byweekday == null ? [] : [options.byweekday]).map((d) =>
    typeof d === "number" ? d + 1 : typeof d === "string" ? RRULE_DAYS.indexOf(d as (typeof RRULE_DAYS)[number]) + 1 : d.weekday + 1,
  );
  return {
    frequency: interval === 2 ? "fortnightly" : "weekly",
    weekdays: [...new Set(days)].sort((a, b) => a - b),
    count: options.count ?? null,
    until: options.until ? options.until.toISOString().slice(0, 10) : null,
  };
}

function ruleFor(rule: string, firstStartsLocal: LocalDateTime): RRuleClass {
  const options = rrule.RRule.parseString(rule);
  return new rrule.RRule({ ...options, dtstart: floating(firstStartsLocal), tzid: null });
}

export type Expansion = {
  /** occurrences left after exception dates, in order */
  occurrences: Occurrence[];
  /** the rule's dates that exception dates removed */
  excluded: Occurrence[];
  /** the rule would give more than `cap` dates; none are returned beyond it */
  tooMany: boolean;
};

/**
 * The occurrences of a stored rule from its first local start time, without the exception dates.
 * Stops after `cap` dates (MAX_OCCURRENCES) and says so.
 */
export function expandRule(rule: string, firstStartsLocal: LocalDateTime, exceptionDates: readonly string[] = [], cap = MAX_OCCURRENCES): Expansion {
  if (!isLocalDateTime(firstStartsLocal)) return { occurrences: [], excluded: [], tooMany: false };
  const dates = ruleFor(rule, firstStartsLocal).all((_d, length) => length <= cap);
  const tooMany = dates.length > cap;
  const skip = new Set(exceptionDates);
  const occurrences: Occurrence[] = [];
  const excluded: Occurrence[] = [];
  dates.slice(0, cap).forEach((d, i) => {
    const o = { index: i + 1, local: fromFloating(d) };
    (skip.has(o.local.slice(0, 10)) ? excluded : occurrences).push(o);
  });
  return { occurrences, excluded, tooMany };
}

/**
 * A new series from a start date and a time: the rule's dates begin on the first chosen weekday
 * on or after the start date. Returns the stored form (rule text and the first occurrence's local
 * time) with the expansion, or the problems.
 */
export function planSeries(
  spec: RecurrenceSpec,
  startDate: string,
  startTime: string,
  exceptionDates: readonly string[] = [],
): { ok: true; rule: string; firstStartsLocal: LocalDateTime; expansion: Expansion } | { ok: false; problems: RecurrenceProblem[] } {
  const problems = recurrenceProblems(spec, startDate);
  if (problems.length > 0) return { ok: false, problems };
  const rule = ruleText(spec);
  const probe = expandRule(rule, `${startDate}T${startTime}`, [], 1);
  const first = probe.occurrences[0];
  if (!first) return { ok: false, problems: [{ field: "until", key: "sessions.recurrence.noOccurrences" }] };
  const expansion = expandRule(rule, first.local, exceptionDates);
  if (expansion.tooMany) return { ok: false, problems: [{ field: spec.count !== null ? "count" : "until", key: `sessions.recurrence.tooMany?max=${MAX_OCCURRENCES}` }] };
  if (expansion.occurrences.length === 0) return { ok: false, problems: [{ field: "exceptionDates", key: "sessions.recurrence.noOccurrences" }] };
  return { ok: true, rule, firstStartsLocal: first.local, expansion };
}

/** The rule ended the day before a date (for "this and following": the old series stops there). */
export function ruleEndingBefore(rule: string, date: string): string {
  const spec = specOf(rule);
  if (!spec) throw new Error(`Not a rule this app wrote: ${rule}`);
  return ruleText({ ...spec, count: null, until: addDays(date, -1) });
}

/** Whether a local date falls on one of the weekdays. */
export function onWeekdays(date: string, weekdays: readonly number[]): boolean {
  return weekdays.includes(weekdayOf(date));
}
