/**
 * CSV export of the plans waiting for approval (/plans/pending): the list's own query
 * (pendingPlans, scoped by approve:plan inside it) with the list's district filter, oldest
 * submission first, a page at a time. A POST, because the export of client data is recorded in
 * the audit log (GET never writes). No identity fields: alias and case number only.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { scopedDistrictOptions, type PendingPlanRow } from "~/domain/clients";
import { countPendingPlans, iteratePendingPlans, recordListExport } from "~/domain/reports/exports.server";
import { getSettings } from "~/domain/settings";
import { id } from "~/domain/shared/fields";
import { csvDateTime, csvResponse, type CsvRow } from "~/http/csv.server";
import { readForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";

export async function loader({ request }: LoaderFunctionArgs) {
  // the export is a POST from the list page; a GET only says so
  const user = requireApiUserWithPermission(request, "approve:plan");
  return plain(serverT(request, user)("reports.list.exportHelp"), 405, { Allow: "POST" });
}

const COLUMNS = ["alias", "caseNumber", "district", "socialWorker", "submitted", "reviewDue", "goals"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = requireApiUserWithPermission(request, "approve:plan");
  const t = serverT(request, user);
  const form = await readForm(request);
  if (!form) return plain(t("form.badRequest"), 400);
  const db = getDb();
  const { timeZone } = getSettings(db);
  const today = todayIn(timeZone);
  // the list's filter, read as the list reads it: a malformed or foreign district is ignored
  const asked = id.safeParse(form.values.district || undefined);
  const districtId = asked.success && scopedDistrictOptions(db, user, "approve:plan").some((d) => d.id === asked.data) ? asked.data : null;
  recordListExport(db, actorOf(request, user), {
    list: "pending_plans",
    filters: districtId ? { district: String(districtId) } : {},
    rows: countPendingPlans(db, user, districtId),
  });
  return csvResponse({
    filename: t("reports.list.pendingPlansFilename", { date: today }),
    asciiFilename: `plans-awaiting-approval-${today}.csv`,
    header: COLUMNS.map((c) => t(`reports.list.col.${c}` as MessageKey)),
    rows: csvRows(iteratePendingPlans(db, user, districtId), resolveLocale(request, user) === "zh-CN", timeZone),
  });
}

function* csvRows(rows: Iterable<PendingPlanRow>, zh: boolean, timeZone: string): Generator<CsvRow> {
  for (const r of rows) {
    yield [r.alias, r.caseNumber, zh ? r.districtZh : r.districtEn, r.author, r.submittedAt ? csvDateTime(r.submittedAt, timeZone) : "", r.reviewDue ?? "", r.goals];
  }
}

function plain(text: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}
