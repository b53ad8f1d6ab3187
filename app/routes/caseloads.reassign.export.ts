/**
 * CSV export of the reassignment queue (/caseloads/reassign): the list's own query (reassignQueue,
 * scoped by assign:caseload inside it) as of today, in the list's order, a page at a time. A POST,
 * because the export of client data is recorded in the audit log (GET never writes). No identity
 * fields: alias and case number only.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import type { ReassignRow } from "~/domain/clients";
import { countReassignQueue, iterateReassignQueue, recordListExport } from "~/domain/reports/exports.server";
import { getSettings } from "~/domain/settings";
import { csvResponse, type CsvRow } from "~/http/csv.server";
import { todayIn } from "~/i18n/format";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import type { Translate } from "~/i18n/translate";

export async function loader({ request }: LoaderFunctionArgs) {
  // the export is a POST from the list page; a GET only says so
  const user = requireApiUserWithPermission(request, "assign:caseload");
  return plain(serverT(request, user)("reports.list.exportHelp"), 405, { Allow: "POST" });
}

const COLUMNS = ["alias", "caseNumber", "district", "role", "worker", "reason"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = requireApiUserWithPermission(request, "assign:caseload");
  const t = serverT(request, user);
  const db = getDb();
  const today = todayIn(getSettings(db).timeZone);
  recordListExport(db, actorOf(request, user), { list: "reassign", filters: { asOf: today }, rows: countReassignQueue(db, user, today) });
  return csvResponse({
    filename: t("reports.list.reassignFilename", { date: today }),
    asciiFilename: `reassignment-queue-${today}.csv`,
    header: COLUMNS.map((c) => t(`reports.list.col.${c}` as MessageKey)),
    rows: csvRows(iterateReassignQueue(db, user, today), t, resolveLocale(request, user) === "zh-CN"),
  });
}

function* csvRows(rows: Iterable<ReassignRow>, t: Translate, zh: boolean): Generator<CsvRow> {
  for (const r of rows) {
    yield [
      r.alias,
      r.caseNumber,
      zh ? r.districtZh : r.districtEn,
      t(`clients.kind.${r.kind}` as MessageKey),
      r.workerName ?? "",
      t(`clients.reassign.reason.${r.reason}` as MessageKey),
    ];
  }
}

function plain(text: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}
