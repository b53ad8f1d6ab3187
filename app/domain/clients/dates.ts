/**
 * Calendar-date arithmetic on "YYYY-MM-DD" strings (CONVENTIONS pattern 7). Pure, no time zone
 * except in `localDate`, which turns a UTC instant into the date on the wall in a given zone.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type YMD = { y: number; m: number; d: number };

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Parses a real calendar date; throws RangeError on anything else (a caller's bug, not user input). */
export function parseDate(date: string): YMD {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (ymd.m < 1 || ymd.m > 12 || ymd.d < 1 || ymd.d > daysInMonth(ymd.y, ymd.m)) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return ymd;
}

export function formatDate({ y, m, d }: YMD): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function dayNumber(date: string): number {
  const { y, m, d } = parseDate(date);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: string, days: number): string {
  const t = new Date((dayNumber(date) + days) * 86_400_000);
  return formatDate({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

/**
 * Calendar months; a day that does not exist in the target month becomes that month's last day
 * (31 August + 6 months = 28 or 29 February; 29 February + 12 months = 28 February).
 */
export function addMonths(date: string, months: number): string {
  const { y, m, d } = parseDate(date);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  return formatDate({ y: ty, m: tm, d: Math.min(d, daysInMonth(ty, tm)) });
}

export function addYears(date: string, years: number): string {
  return addMonths(date, years * 12);
}

/** "YYYY-MM" of a date. */
export function monthOf(date: string): string {
  parseDate(date);
  return date.slice(0, 7);
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of a UTC instant on the wall clock of `timeZone` (e.g. Asia/Shanghai). */
export function localDate(instant: string | Date, timeZone: string): string {
  const at = typeof instant === "string" ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError(`not an instant: ${String(instant)}`);
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
