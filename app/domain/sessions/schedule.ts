/**
 * Pure schedule arithmetic on local wall-clock times: opening hours, weeks, months, utilisation.
 * No database, safe in the browser bundle.
 */
import type { OpeningPeriod } from "#db/schema/organisation";
import { addDays, datesOfMonth, minutesOf, weekdayOf } from "./time";

/** Whether a session from `startLocal` to `endLocal` ("YYYY-MM-DDTHH:MM") lies within the studio's opening hours. */
export function withinOpeningHours(periods: readonly OpeningPeriod[], startLocal: string, endLocal: string): boolean {
  const date = startLocal.slice(0, 10);
  if (endLocal.slice(0, 10) !== date) {
    // a session may end exactly at midnight only if the studio closes at 24:00
    if (!(endLocal.slice(11) === "00:00" && endLocal.slice(0, 10) === addDays(date, 1))) return false;
  }
  const period = periods.find((p) => p.weekday === weekdayOf(date));
  if (!period) return false;
  const start = minutesOf(startLocal.slice(11, 16));
  const end = endLocal.slice(0, 10) === date ? minutesOf(endLocal.slice(11, 16)) : 24 * 60;
  return start >= minutesOf(period.opens) && end <= minutesOf(period.closes);
}

/** Minutes the studio is open on a date. */
export function openingMinutesOn(periods: readonly OpeningPeriod[], date: string): number {
  const period = periods.find((p) => p.weekday === weekdayOf(date));
  return period ? Math.max(0, minutesOf(period.closes) - minutesOf(period.opens)) : 0;
}

/** Minutes the studio is open in a month "YYYY-MM" (wall-clock hours, day by day). */
export function openingMinutesInMonth(periods: readonly OpeningPeriod[], month: string): number {
  return datesOfMonth(month).reduce((sum, date) => sum + openingMinutesOn(periods, date), 0);
}

export type Utilisation = {
  month: string;
  /** opening minutes × rooms (a studio without rooms is one space) */
  availableMinutes: number;
  bookedMinutes: number;
  /** booked ÷ available, 0 when the studio is never open */
  ratio: number;
  spaces: number;
};

/**
 * Studio utilisation for a month: booked hours ÷ opening hours. A studio with several rooms can
 * hold one session per room at a time, so its opening hours count once per active room.
 */
export function utilisation(periods: readonly OpeningPeriod[], month: string, bookedMinutes: number, rooms: number): Utilisation {
  const spaces = Math.max(1, rooms);
  const availableMinutes = openingMinutesInMonth(periods, month) * spaces;
  return { month, availableMinutes, bookedMinutes, ratio: availableMinutes > 0 ? bookedMinutes / availableMinutes : 0, spaces };
}

/** The seven dates of the week beginning on a Monday. */
export function weekDates(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}
