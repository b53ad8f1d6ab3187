/**
 * Outcome reports (DESIGN.md §5, issue 7): one function per report, each taking (db, viewer,
 * params) and returning plain rows and totals computed by SQL aggregates, scoped in the SQL.
 * Components import definitions.ts and params.ts directly (this index reaches server modules).
 */
export { REPORT_NAMES, REPORTS, GROUPINGS, isReportName, allowsIntakeYear, hoursText, cellText, chartValue, labelHeaderKey } from "./definitions";
export type { ReportName, ReportDefinition, ReportColumn, ColumnKind, Grouping, RowKind } from "./definitions";
export { parseReportParams, reportSearch, PARAM_FIELDS, MAX_PERIOD_YEARS } from "./params";
export type { ReportParams, RawReportParams, ParsedReportParams } from "./params";
export type { ReportResult, ReportRow, Cell } from "./types";
export { availableReports, reportDistricts, reportScope, OPERATOR_VIEWER } from "./scope.server";
export type { DistrictChoice } from "./scope.server";
export { clientsServedReport, abstinenceReport, relapseReport, retentionReport, contactCadenceReport } from "./clients.server";
export { sessionsReport, studioUtilisationReport, peerTutorsReport, monthsOf } from "./sessions.server";
export { volunteerHoursReport } from "./hours.server";
export { runReport, reportTable } from "./run.server";
export { recordListExport } from "./exports.server";
