/**
 * Running a report by name, and turning its result into a table of text cells in the person's
 * language: the one table the CSV export and the command line write (the page shows the same
 * cells), so page, file and command line always agree.
 */
import type { Db } from "#db/client";
import type { Locale } from "~/i18n/config";
import type { MessageKey } from "~/i18n/messages";
import type { Translate } from "~/i18n/translate";
import { memoised } from "~/domain/shared/memo.server";
import { abstinenceReport, clientsServedReport, contactCadenceReport, relapseReport, retentionReport } from "./clients.server";
import { cellText, labelHeaderKey, REPORTS, type ReportName } from "./definitions";
import { volunteerHoursReport } from "./hours.server";
import type { ReportParams } from "./params";
import type { Viewer } from "./scope.server";
import { peerTutorsReport, sessionsReport, studioUtilisationReport } from "./sessions.server";
import type { ReportResult } from "./types";

type Reader = Pick<Db, "select" | "all" | "$client">;

const RUNNERS: Record<ReportName, (db: Reader, viewer: Viewer, params: ReportParams) => ReportResult> = {
  "clients-served": clientsServedReport,
  abstinence: abstinenceReport,
  relapse: relapseReport,
  retention: retentionReport,
  "contact-cadence": contactCadenceReport,
  sessions: sessionsReport,
  "studio-utilisation": studioUtilisationReport,
  "peer-tutors": peerTutorsReport,
  "volunteer-hours": volunteerHoursReport,
};

/**
 * Runs one report for the viewer (scope inside its SQL). Memoised (shared/memo.server.ts): a report
 * reads every client in the viewer's scope, and the same report asked again before anything was
 * written is the same report. The key holds what the result depends on besides the data: the
 * report, the viewer's scope (person and role grants) and every parameter, the as-of date included.
 */
export function runReport(db: Reader, viewer: Viewer, name: ReportName, params: ReportParams): ReportResult {
  const key = JSON.stringify(["report", name, viewer.id, viewer.personId, viewer.roles, params]);
  return memoised(db, key, () => RUNNERS[name](db, viewer, params));
}

/** Header and rows of text cells, the totals last, column names in the person's language. */
export function reportTable(result: ReportResult, t: Translate, locale: Locale): { header: string[]; rows: string[][] } {
  const columns = REPORTS[result.name].columns;
  const header = [t(labelHeaderKey(result.name, result.params.groupBy)), ...columns.map((c) => t(`reports.col.${c.key}` as MessageKey))];
  const rows = result.rows.map((r) => [locale === "zh-CN" ? r.labelZh : r.labelEn, ...columns.map((c) => cellText(c.kind, c.key, r.values, locale))]);
  rows.push([t("reports.total"), ...columns.map((c) => (c.kind === "text" ? "" : cellText(c.kind, c.key, result.totals, locale)))]);
  return { header, rows };
}
