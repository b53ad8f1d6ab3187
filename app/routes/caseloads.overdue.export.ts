/**
 * CSV export of "who is falling behind" (caseloads.overdue): per district, each worker with current
 * clients there, their caseload and how many are overdue (THE overdue rule), for the district
 * asked for or all the coordinator oversees; the list's own query, a page at a time. A POST,
 * recorded in the audit log like every export of client-related lists.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { caseloadDistricts, localDate, type WorkerLoadRow } from "~/domain/clients";
import { countOverdueByWorker, iterateOverdueByWorker, recordListExport } from "~/domain/reports/exports.server";
import { getSettings } from "~/domain/settings";
import { id } from "~/domain/shared/fields";
import { csvResponse, type CsvRow } from "~/http/csv.server";
import { readForm } from "~/http/forms.server";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import type { Translate } from "~/i18n/translate";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireApiUserWithPermission(request, "assign:caseload");
  return plain(serverT(request, user)("reports.list.exportHelp"), 405, { Allow: "POST" });
}

const COLUMNS = ["district", "worker", "role", "caseload", "overdueCount"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = requireApiUserWithPermission(request, "assign:caseload");
  const t = serverT(request, user);
  const form = await readForm(request);
  if (!form) return plain(t("form.badRequest"), 400);
  const db = getDb();
  const { timeZone, overdueThresholdDays } = getSettings(db);
  const asked = id.safeParse(form.values.district || undefined);
  // a district that is not the viewer's is ignored, as on the page (the query is scoped anyway)
  const districtId = asked.success && caseloadDistricts(db, user).some((d) => d.id === asked.data) ? asked.data : undefined;
  const today = localDate(new Date(), timeZone);
  const rules = { asOf: today, thresholdDays: overdueThresholdDays, timeZone };
  const filter = { districtId };
  recordListExport(db, actorOf(request, user), {
    list: "overdue_by_worker",
    filters: districtId ? { district: String(districtId) } : {},
    rows: countOverdueByWorker(db, user, rules, filter),
  });
  return csvResponse({
    filename: t("reports.list.overdueFilename", { date: today }),
    asciiFilename: `overdue-by-worker-${today}.csv`,
    header: COLUMNS.map((c) => t(`reports.list.col.${c}` as MessageKey)),
    rows: csvRows(iterateOverdueByWorker(db, user, rules, filter), t, resolveLocale(request, user) === "zh-CN"),
  });
}

function* csvRows(rows: Iterable<WorkerLoadRow>, t: Translate, zh: boolean): Generator<CsvRow> {
  for (const r of rows) {
    yield [zh ? r.districtZh : r.districtEn, r.name, t(`reports.list.role.${r.kind}` as MessageKey), r.caseload, r.overdue];
  }
}

function plain(text: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}
