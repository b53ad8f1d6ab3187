/**
 * CSV export of crisis and risk (/crisis): the clients with an open flag the viewer may see, from
 * the list's own query (flaggedClients, scoped by clientScope), crisis first then the newest flag,
 * a page at a time. A POST, because the export of client data is recorded in the audit log (GET
 * never writes). No identity fields: alias and case number only, as the list shows.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { localDate, type FlaggedClientRow } from "~/domain/clients";
import {
  countFlaggedClients,
  iterateFlaggedClients,
  recordListExport,
} from "~/domain/reports/exports.server";
import { getSettings } from "~/domain/settings";
import { csvDateTime, csvResponse, type CsvRow } from "~/http/csv.server";
import { serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import type { Translate } from "~/i18n/translate";

export async function loader({ request }: LoaderFunctionArgs) {
  // the export is a POST from the list page; a GET only says so
  const user = requireApiUserWithPermission(request, "read:client");
  return plain(serverT(request, user)("reports.list.exportHelp"), 405, {
    Allow: "POST",
  });
}

const COLUMNS = [
  "alias",
  "caseNumber",
  "status",
  "openCrisis",
  "openRisk",
  "latestKind",
  "latestReason",
  "latestRaised",
] as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = requireApiUserWithPermission(request, "read:client");
  const t = serverT(request, user);
  const db = getDb();
  const { timeZone } = getSettings(db);
  const today = localDate(new Date(), timeZone);
  recordListExport(db, actorOf(request, user), {
    list: "crisis",
    filters: {},
    rows: countFlaggedClients(db, user),
  });
  return csvResponse({
    filename: t("reports.list.crisisFilename", { date: today }),
    asciiFilename: `crisis-and-risk-${today}.csv`,
    header: COLUMNS.map((c) => t(`reports.list.col.${c}` as MessageKey)),
    rows: csvRows(iterateFlaggedClients(db, user), t, timeZone),
  });
}

function* csvRows(
  rows: Iterable<FlaggedClientRow>,
  t: Translate,
  timeZone: string
): Generator<CsvRow> {
  for (const r of rows) {
    yield [
      r.alias,
      r.caseNumber,
      t(`clients.status.${r.status}` as MessageKey),
      r.openCrisis,
      r.openRisk,
      r.latestKind ? t(`clients.flag.${r.latestKind}` as MessageKey) : "",
      r.latestReason ?? "",
      r.latestRaisedAt ? csvDateTime(r.latestRaisedAt, timeZone) : "",
    ];
  }
}

function plain(
  text: string,
  status: number,
  headers: Record<string, string> = {}
): Response {
  return new Response(text, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...headers },
  });
}
