/**
 * Reading a report's filters (as-of date, period, district, intake year, grouping) from the URL or
 * the command line. Pure. Bad input never throws: it comes back as field errors (message keys) so
 * the page answers 400 with the form kept and the command line prints one line.
 */
import { cleanSearch, isoDate, msg } from "~/domain/shared/fields";
import { allowsIntakeYear, GROUPINGS, type Grouping, type ReportName } from "./definitions";

export type ReportParams = {
  /** YYYY-MM-DD in the program's time zone */
  asOf: string;
  /** the period (both days included), for reports that count in a period */
  from: string;
  to: string;
  /** limit to these districts (undefined: all the viewer may see) */
  districtIds?: number[];
  intakeYear?: number;
  groupBy: Grouping;
};

/** The filters as typed: strings from a URL or a command line. */
export type RawReportParams = { asOf?: string; from?: string; to?: string; district?: string; intakeYear?: string; by?: string };

export const PARAM_FIELDS = ["asOf", "from", "to", "district", "intakeYear", "by"] as const;

/** The longest period a report counts over (studio utilisation walks it month by month). */
export const MAX_PERIOD_YEARS = 10;
export const MIN_INTAKE_YEAR = 1950;
export const MAX_INTAKE_YEAR = 2100;

export type ParsedReportParams =
  | { ok: true; params: ReportParams; values: Record<string, string> }
  | { ok: false; errors: Record<string, string>; values: Record<string, string> };

function date(value: string | undefined): { ok: true; value: string | undefined } | { ok: false } {
  if (value === undefined || value.trim() === "") return { ok: true, value: undefined };
  const r = isoDate.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false };
}

/**
 * Checks and completes the filters. `today` is the default as-of date; `districtIds` are the
 * districts the viewer may ask for (a district outside them is refused as unknown, so another
 * district's existence is not confirmed). The period defaults to the as-of date's year up to the
 * as-of date; a period given at one end only is completed the same way.
 */
export function parseReportParams(
  name: ReportName,
  raw: RawReportParams,
  context: { today: string; districtIds: readonly number[] },
): ParsedReportParams {
  const values: Record<string, string> = {};
  for (const field of PARAM_FIELDS) {
    const v = raw[field];
    // echo back what was typed (trimmed, without control characters, bounded) so the form keeps it
    if (typeof v === "string") values[field] = cleanSearch(v, 40);
  }
  const errors: Record<string, string> = {};

  const asOfR = date(raw.asOf);
  if (!asOfR.ok) errors.asOf = "form.invalidDate";
  const asOf = (asOfR.ok ? asOfR.value : undefined) ?? context.today;

  const fromR = date(raw.from);
  const toR = date(raw.to);
  if (!fromR.ok) errors.from = "form.invalidDate";
  if (!toR.ok) errors.to = "form.invalidDate";
  let from = fromR.ok ? fromR.value : undefined;
  let to = toR.ok ? toR.value : undefined;
  if (fromR.ok && toR.ok) {
    to ??= from && from > asOf ? from : asOf;
    from ??= `${to.slice(0, 4)}-01-01`;
    if (to < from) errors.to = "reports.error.periodReversed";
    else if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > MAX_PERIOD_YEARS) errors.to = msg("reports.error.periodTooLong", { years: MAX_PERIOD_YEARS });
  }

  let districtIds: number[] | undefined;
  const district = raw.district?.trim();
  if (district) {
    const id = /^\d{1,9}$/.test(district) ? Number(district) : NaN;
    if (!context.districtIds.includes(id)) errors.district = "reports.error.unknownDistrict";
    else districtIds = [id];
  }

  let intakeYear: number | undefined;
  const year = raw.intakeYear?.trim();
  if (year && allowsIntakeYear(name)) {
    const n = /^\d{4}$/.test(year) ? Number(year) : NaN;
    if (!(n >= MIN_INTAKE_YEAR && n <= MAX_INTAKE_YEAR)) errors.intakeYear = msg("reports.error.badYear", { min: MIN_INTAKE_YEAR, max: MAX_INTAKE_YEAR });
    else intakeYear = n;
  }

  let groupBy: Grouping = "district";
  const by = raw.by?.trim();
  if (by && allowsIntakeYear(name)) {
    if (!(GROUPINGS as readonly string[]).includes(by)) errors.by = "form.unknownChoice";
    else groupBy = by as Grouping;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return { ok: true, params: { asOf, from: from!, to: to!, districtIds, intakeYear, groupBy }, values };
}

/** The filters as URL search params (for links to the CSV export of the same report). */
export function reportSearch(values: Record<string, string>): string {
  const search = new URLSearchParams();
  for (const field of PARAM_FIELDS) if (values[field]) search.set(field, values[field]);
  const s = search.toString();
  return s ? `?${s}` : "";
}
