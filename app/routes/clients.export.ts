/**
 * CSV export of the clients list: the list's own filters (posted from the list page as hidden
 * fields), every row the viewer may read (clientScope inside the list query), in the list's order,
 * streamed a page at a time. A POST, because the export of client data is recorded in the audit
 * log (GET never writes). No identity fields: alias and case number only, as the list shows.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { type ClientListRow } from "~/domain/clients";
import { clientListFilter, readClientListQuery } from "~/domain/clients/list-query.server";
import { countClientList, iterateClientList, recordListExport } from "~/domain/reports/exports.server";
import { getSettings } from "~/domain/settings";
import { csvDateTime, csvResponse, type CsvRow } from "~/http/csv.server";
import { readForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import type { Translate } from "~/i18n/translate";

export async function loader({ request }: LoaderFunctionArgs) {
  // the export is a POST from the list page; a GET only says so
  const user = requireApiUserWithPermission(request, "read:client");
  return plain(serverT(request, user)("reports.list.exportHelp"), 405, { Allow: "POST" });
}

// the list's filters, read as the list reads them: anything malformed is dropped, never an error
const COLUMNS = ["alias", "caseNumber", "district", "status", "risk", "intakeDate", "lastContact", "nextContactDue", "overdue", "socialWorker", "peerTutor", "crisis"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = requireApiUserWithPermission(request, "read:client");
  const t = serverT(request, user);
  const form = await readForm(request);
  if (!form) return plain(t("form.badRequest"), 400);
  const q = readClientListQuery((name) => form.values[name]);
  const db = getDb();
  const settings = getSettings(db);
  const today = todayIn(settings.timeZone);
  const rules = { asOf: today, thresholdDays: settings.overdueThresholdDays, timeZone: settings.timeZone };
  const filter = clientListFilter(q);
  const applied = Object.fromEntries(Object.entries({ ...q, overdue: q.overdue ? "1" : "" }).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)]));
  recordListExport(db, actorOf(request, user), { list: "clients", filters: applied, rows: countClientList(db, user, filter, rules) });
  return csvResponse({
    filename: t("reports.list.clientsFilename", { date: today }),
    asciiFilename: `clients-${today}.csv`,
    header: COLUMNS.map((c) => t(`reports.list.col.${c}` as MessageKey)),
    rows: csvRows(iterateClientList(db, user, filter, rules), t, resolveLocale(request, user) === "zh-CN", settings.timeZone),
  });
}

function* csvRows(rows: Iterable<ClientListRow>, t: Translate, zh: boolean, timeZone: string): Generator<CsvRow> {
  for (const r of rows) {
    const o = r.overdue;
    const cadence = !o ? "" : !o.overdue ? t("clients.overdue.onTrack") : o.daysOverdue === null ? t("clients.overdue.never") : t("clients.overdue.days", { days: o.daysOverdue });
    yield [
      r.alias,
      r.caseNumber,
      zh ? r.districtZh : r.districtEn,
      t(`clients.status.${r.status}` as MessageKey),
      t(`clients.risk.${r.riskLevel}` as MessageKey),
      r.intakeDate,
      r.lastContactAt ? csvDateTime(r.lastContactAt, timeZone) : "",
      r.nextContactDue ?? "",
      cadence,
      r.socialWorker ?? "",
      r.peerTutor ?? "",
      r.crisis ? t("reports.list.yes") : t("reports.list.no"),
    ];
  }
}

function plain(text: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}
