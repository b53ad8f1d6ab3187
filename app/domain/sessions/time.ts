/**
 * Local wall-clock time ↔ UTC in the program's time zone (settings.timeZone, Asia/Shanghai by
 * default). Sessions are stored as UTC instants and typed and shown as local times. A local time
 * that does not exist (spring forward) or happens twice (fall back) at a daylight-saving change is
 * refused, never guessed: Asia/Shanghai has no such changes, but a program may configure a zone
 * that has. Pure code (Intl only), safe in the browser bundle.
 */

import { zoneOffsetMinutes } from "~/i18n/format";

export { zoneOffsetMinutes };

/** "YYYY-MM-DDTHH:MM", a wall-clock time in the program's zone. */
export type LocalDateTime = string;

export const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
export const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type LocalToUtc =
  | { ok: true; utc: Date }
  | { ok: false; reason: "nonexistent" | "ambiguous" | "invalid" };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function fieldsIn(at: Date, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const parts = formatterFor(timeZone).formatToParts(at);
  const n = (t: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === t)?.value);
  return { y: n("year"), m: n("month"), d: n("day"), h: n("hour") % 24, mi: n("minute"), s: n("second") };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** The wall-clock time of a UTC instant in a zone, "YYYY-MM-DDTHH:MM". */
export function utcToLocal(at: Date | string, timeZone: string): LocalDateTime {
  const date = typeof at === "string" ? new Date(at) : at;
  const f = fieldsIn(date, timeZone);
  return `${pad(f.y, 4)}-${pad(f.m)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}`;
}

/** Whether "YYYY-MM-DDTHH:MM" names a real calendar date and a 24-hour time. */
export function isLocalDateTime(value: string): boolean {
  const m = LOCAL_DATE_TIME.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  if (h > 23 || mi > 59) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * The UTC instant of a local wall-clock time. Every offset the zone uses within a day either side
 * is tried; the local time exists when exactly one of them gives it back.
 */
export function localToUtc(local: LocalDateTime, timeZone: string): LocalToUtc {
  if (!isLocalDateTime(local)) return { ok: false, reason: "invalid" };
  const [, y, mo, d, h, mi] = LOCAL_DATE_TIME.exec(local)!.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const offsets = new Set<number>();
  for (const shift of [-36, -12, 0, 12, 36]) offsets.add(zoneOffsetMinutes(new Date(asUtc + shift * 3600_000), timeZone));
  const matches = new Set<number>();
  for (const offset of offsets) {
    const candidate = asUtc - offset * 60_000;
    if (utcToLocal(new Date(candidate), timeZone) === local) matches.add(candidate);
  }
  if (matches.size === 0) return { ok: false, reason: "nonexistent" };
  if (matches.size > 1) return { ok: false, reason: "ambiguous" };
  return { ok: true, utc: new Date([...matches][0]!) };
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on local dates ("YYYY-MM-DD"); no time zone involved.

export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of the week a date is in. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/** "YYYY-MM" of a date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** Every date of a month "YYYY-MM", in order. */
export function datesOfMonth(month: string): string[] {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: days }, (_, i) => `${month}-${pad(i + 1)}`);
}

/** The month after "YYYY-MM". */
export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
}

export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
}

/** Minutes since midnight of "HH:MM" (24:00 is 1440). */
export function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** "HH:MM" of minutes since midnight. */
export function timeOf(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * The UTC instant at which a local date begins, for range queries. Midnight exists in nearly every
 * zone; where it does not (a change at midnight), the first minute that exists is used.
 */
export function startOfLocalDate(date: string, timeZone: string): Date {
  for (let minute = 0; minute < 180; minute += 1) {
    const r = localToUtc(`${date}T${timeOf(minute)}`, timeZone);
    if (r.ok) return r.utc;
    if (r.reason === "ambiguous") {
      // the earlier of the two instants
      const asUtc = Date.parse(`${date}T${timeOf(minute)}:00Z`);
      const offsets = [-12, 12].map((s) => zoneOffsetMinutes(new Date(asUtc + s * 3600_000), timeZone));
      return new Date(asUtc - Math.max(...offsets) * 60_000);
    }
  }
  return new Date(`${date}T00:00:00Z`);
}

/** Local date "YYYY-MM-DD" of an instant. */
export function localDateOf(at: Date | string, timeZone: string): string {
  return utcToLocal(at, timeZone).slice(0, 10);
}

/** Local "HH:MM" of an instant. */
export function localTimeOf(at: Date | string, timeZone: string): string {
  return utcToLocal(at, timeZone).slice(11, 16);
}
