import type { Locale } from "./config";

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/*
 * Intl formatters are costly to construct (a page of 25 rows with dates made hundreds per request,
 * a few percent of the server's time) and immutable once made, so each locale and options pair is
 * made once per process and reused. The options objects below are literals, so the keys stay few.
 */
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

/** The shared Intl.DateTimeFormat for a locale and options. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateTimeFormats.get(key);
  if (!f) dateTimeFormats.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

/** The shared Intl.NumberFormat for a locale and options. */
export function numberFormat(locale: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${options ? JSON.stringify(options) : ""}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

/** "2026年11月28日 星期六" (zh-CN) or "Sat 28 Nov 2026" (en), for a UTC instant or a YYYY-MM-DD date. */
export function formatDate(locale: Locale, value: string | Date, timeZone = DEFAULT_TIME_ZONE): string {
  const { date, tz } = toDate(value, timeZone);
  // Assembled from parts so the shape does not depend on the ICU version: Node's zh-CN pattern
  // has no space before the weekday, and newer en-GB data abbreviates September as "Sept".
  if (locale === "zh-CN") {
    const get = partsOf("zh-CN", { year: "numeric", month: "numeric", day: "numeric", weekday: "long", timeZone: tz }, date);
    return `${get("year")}年${get("month")}月${get("day")}日 ${get("weekday")}`;
  }
  const get = partsOf("en-US", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: tz }, date);
  return `${get("weekday")} ${get("day")} ${get("month")} ${get("year")}`;
}

function partsOf(locale: string, options: Intl.DateTimeFormatOptions, date: Date): (type: Intl.DateTimeFormatPartTypes) => string {
  const parts = dateTimeFormat(locale, options).formatToParts(date);
  return (type) => parts.find((p) => p.type === type)?.value ?? "";
}

/** Date and 24-hour time in the program's time zone. */
export function formatDateTime(locale: Locale, value: string | Date, timeZone = DEFAULT_TIME_ZONE): string {
  const { date, tz } = toDate(value, timeZone);
  const time = dateTimeFormat(locale === "zh-CN" ? "zh-CN" : "en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: tz }).format(date);
  return `${formatDate(locale, date, tz)} ${time}`;
}

export function formatNumber(locale: Locale, value: number, options?: Intl.NumberFormatOptions): string {
  return numberFormat(locale, options).format(value);
}

function toDate(value: string | Date, timeZone: string): { date: Date; tz: string } {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // a calendar date has no time zone: show it as that day
    return { date: new Date(`${value}T12:00:00Z`), tz: "UTC" };
  }
  return { date: typeof value === "string" ? new Date(value) : value, tz: timeZone };
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone = DEFAULT_TIME_ZONE, now = new Date()): string {
  return dateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** The UTC instant at which a local calendar date begins in a time zone. */
export function startOfLocalDayUtc(date: string, timeZone = DEFAULT_TIME_ZONE): Date {
  const guess = new Date(`${date}T00:00:00Z`);
  const offsetMinutes = zoneOffsetMinutes(guess, timeZone);
  const result = new Date(guess.getTime() - offsetMinutes * 60000);
  // correct once more across an offset change on that day
  const again = zoneOffsetMinutes(result, timeZone);
  return again === offsetMinutes ? result : new Date(guess.getTime() - again * 60000);
}

/** Minutes the zone is ahead of UTC as a local calendar date begins (Asia/Shanghai: 480), for SQL that shifts dates. */
export function zoneOffsetMinutesOnDate(date: string, timeZone = DEFAULT_TIME_ZONE): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - startOfLocalDayUtc(date, timeZone).getTime()) / 60000);
}

/** The zone's offset from UTC at an instant, in minutes (Shanghai: +480); seconds and milliseconds of `at` do not matter. */
export function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const parts = dateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour") % 24, n("minute"), n("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}
