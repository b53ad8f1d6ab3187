import type { MessageKey } from "~/i18n/messages";

/**
 * The outcome reports (DESIGN.md §5, issue 7 item 3): their names, columns, charts and who may run
 * them. Pure data, safe in the browser bundle: pages, CSV exports and the command line all read
 * the same list, so a report has one set of columns everywhere.
 *
 * Column kinds: "count" (whole number), "percent" (text with two decimals, "29.60"), "hours"
 * (minutes in the data, shown as hours with one decimal), "text".
 */

export const REPORT_NAMES = [
  "clients-served",
  "abstinence",
  "relapse",
  "retention",
  "contact-cadence",
  "sessions",
  "studio-utilisation",
  "peer-tutors",
  "volunteer-hours",
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export function isReportName(name: string): name is ReportName {
  return (REPORT_NAMES as readonly string[]).includes(name);
}

export type ColumnKind = "count" | "percent" | "hours" | "text";
export type ReportColumn = { key: string; kind: ColumnKind };

/** What a report's rows are: groups of clients (by district or intake year), districts, studios or cohorts. */
export type RowKind = "clientGroup" | "district" | "studio" | "cohort";

/** How the rows of client reports are grouped (the client's district, or the year of intake). */
export const GROUPINGS = ["district", "intakeYear"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export type ReportDefinition = {
  name: ReportName;
  rows: RowKind;
  columns: readonly ReportColumn[];
  /** the columns drawn in the chart, one bar per row and column */
  chart: readonly string[];
  /** whether the report counts something in a period (from–to), besides the as-of date */
  usesPeriod: boolean;
  /** whether the viewer's own work (social worker, peer tutor, trainer) makes sense for it */
  ownScope: "clients" | "sessions" | "cohorts" | "hours" | null;
};

export const REPORTS: Record<ReportName, ReportDefinition> = {
  "clients-served": {
    name: "clients-served",
    rows: "clientGroup",
    columns: [
      { key: "served", kind: "count" },
      { key: "inSupport", kind: "count" },
      { key: "closed", kind: "count" },
      { key: "newInPeriod", kind: "count" },
    ],
    chart: ["served", "inSupport"],
    usesPeriod: true,
    ownScope: "clients",
  },
  abstinence: {
    name: "abstinence",
    rows: "clientGroup",
    columns: [
      { key: "served", kind: "count" },
      { key: "recognised", kind: "count" },
      { key: "rate", kind: "percent" },
      { key: "eligible", kind: "count" },
    ],
    chart: ["rate"],
    usesPeriod: false,
    ownScope: "clients",
  },
  relapse: {
    name: "relapse",
    rows: "clientGroup",
    columns: [
      { key: "recognised", kind: "count" },
      { key: "relapsed", kind: "count" },
      { key: "relapsedShare", kind: "percent" },
    ],
    chart: ["recognised", "relapsed"],
    usesPeriod: false,
    ownScope: "clients",
  },
  retention: {
    name: "retention",
    rows: "clientGroup",
    columns: [
      { key: "inSupport", kind: "count" },
      { key: "retained", kind: "count" },
      { key: "retentionRate", kind: "percent" },
    ],
    chart: ["retentionRate"],
    usesPeriod: false,
    ownScope: "clients",
  },
  "contact-cadence": {
    name: "contact-cadence",
    rows: "clientGroup",
    columns: [
      { key: "inSupport", kind: "count" },
      { key: "contacts", kind: "count" },
      { key: "contacted", kind: "count" },
      { key: "overdue", kind: "count" },
      { key: "overdueShare", kind: "percent" },
    ],
    chart: ["overdueShare"],
    usesPeriod: true,
    ownScope: "clients",
  },
  sessions: {
    name: "sessions",
    rows: "district",
    columns: [
      { key: "held", kind: "count" },
      { key: "cancelled", kind: "count" },
      { key: "scheduled", kind: "count" },
      { key: "registered", kind: "count" },
      { key: "attended", kind: "count" },
      { key: "attendanceRate", kind: "percent" },
    ],
    chart: ["held", "cancelled"],
    usesPeriod: true,
    ownScope: "sessions",
  },
  "studio-utilisation": {
    name: "studio-utilisation",
    rows: "studio",
    columns: [
      { key: "district", kind: "text" },
      { key: "bookedHours", kind: "hours" },
      { key: "openingHours", kind: "hours" },
      { key: "utilisation", kind: "percent" },
    ],
    chart: ["utilisation"],
    usesPeriod: true,
    ownScope: null,
  },
  "peer-tutors": {
    name: "peer-tutors",
    rows: "cohort",
    columns: [
      { key: "certified", kind: "count" },
      { key: "mayPractise", kind: "count" },
      { key: "sessionsFacilitated", kind: "count" },
    ],
    chart: ["certified", "mayPractise"],
    usesPeriod: true,
    ownScope: "cohorts",
  },
  "volunteer-hours": {
    name: "volunteer-hours",
    rows: "district",
    columns: [{ key: "approvedHours", kind: "hours" }],
    chart: ["approvedHours"],
    usesPeriod: true,
    ownScope: "hours",
  },
};

/** Whether rows may be grouped by intake year and filtered by it (reports over clients only). */
export function allowsIntakeYear(name: ReportName): boolean {
  return REPORTS[name].rows === "clientGroup";
}

/** Minutes as hours with one decimal ("12.5"), the way hours columns are shown and exported. */
export function hoursText(minutes: number): string {
  return (Math.round((minutes * 10) / 60) / 10).toFixed(1);
}

/** The header key of the rows' label column: district, year of intake, studio or cohort. */
export function labelHeaderKey(name: ReportName, groupBy: Grouping): MessageKey {
  const rows = REPORTS[name].rows;
  if (rows === "clientGroup") return groupBy === "intakeYear" ? "reports.col.intakeYear" : "reports.col.district";
  return `reports.col.${rows}` as MessageKey;
}

/**
 * One cell as plain text, the same on the page, in the CSV and on the command line: counts as
 * digits, percentages as "29.60", hours with one decimal, text columns in the locale's language
 * (their values are stored as `${key}Zh` and `${key}En`).
 */
export function cellText(kind: ColumnKind, key: string, values: Record<string, number | string>, locale: "zh-CN" | "en"): string {
  if (kind === "text") return String(values[`${key}${locale === "zh-CN" ? "Zh" : "En"}`] ?? "");
  const v = values[key];
  if (v === undefined) return "";
  if (kind === "hours") return hoursText(Number(v));
  return String(v);
}

/** A cell as a number for a chart: percentages parsed, minutes as hours. */
export function chartValue(kind: ColumnKind, value: number | string | undefined): number | null {
  if (value === undefined || value === "") return null;
  const n = Number(value);
  if (!Number.isFinite(n)) return null;
  return kind === "hours" ? n / 60 : n;
}
