/**
 * Opening hours of a studio: at most one period per weekday (1 = Monday … 7 = Sunday), local
 * 24-hour "HH:MM" times. Pure code, no database: the form schema, the domain layer and the pages
 * all use it, so the rule lives once (CONVENTIONS.md pattern 8).
 */
import type { OpeningPeriod } from "#db/schema/organisation";
import { dateTimeFormat } from "~/i18n/format";

export type { OpeningPeriod };

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const TIME_24 = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** A problem with opening hours, placed on the form field it belongs to. */
export type OpeningHoursProblem = { field: string; key: string };

export const opensField = (weekday: number) => `opens${weekday}`;
export const closesField = (weekday: number) => `closes${weekday}`;
export const OPENING_HOURS_FIELD = "openingHours";

/** Every problem with a list of periods; an empty list means the hours are acceptable. */
export function openingHoursProblems(periods: readonly OpeningPeriod[]): OpeningHoursProblem[] {
  const problems: OpeningHoursProblem[] = [];
  const seen = new Set<number>();
  for (const p of periods) {
    if (!Number.isInteger(p.weekday) || p.weekday < 1 || p.weekday > 7) {
      problems.push({ field: OPENING_HOURS_FIELD, key: "organisation.studio.badWeekday" });
      continue;
    }
    if (seen.has(p.weekday)) {
      problems.push({ field: opensField(p.weekday), key: "organisation.studio.onePeriodPerDay" });
      continue;
    }
    seen.add(p.weekday);
    if (!TIME_24.test(p.opens) || p.opens === "24:00") problems.push({ field: opensField(p.weekday), key: "form.invalidTime" });
    else if (!TIME_24.test(p.closes)) problems.push({ field: closesField(p.weekday), key: "form.invalidTime" });
    else if (p.opens >= p.closes) problems.push({ field: closesField(p.weekday), key: "organisation.studio.closesBeforeOpens" });
  }
  if (periods.length === 0) problems.push({ field: OPENING_HOURS_FIELD, key: "organisation.studio.noOpenDay" });
  return problems;
}

/** Periods in weekday order. */
export function sortPeriods(periods: readonly OpeningPeriod[]): OpeningPeriod[] {
  return [...periods].sort((a, b) => a.weekday - b.weekday);
}

export function periodOn(periods: readonly OpeningPeriod[], weekday: number): OpeningPeriod | undefined {
  return periods.find((p) => p.weekday === weekday);
}

/** "星期一" / "Monday" (or the short form), from Intl: 1 January 2024 was a Monday. */
export function weekdayName(locale: string, weekday: number, style: "long" | "short" = "long"): string {
  return dateTimeFormat(locale, { weekday: style, timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, weekday)));
}
