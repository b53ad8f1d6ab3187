/**
 * CSV export of the worker's tasks (/tasks): the list's own query (listTasks, scoped to the
 * viewer's clients) as of today, in the list's order, a page at a time. A POST, because the
 * export of client data is recorded in the audit log (GET never writes). No identity fields:
 * the alias, as the list shows.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { localDate, type Task } from "~/domain/clients";
import {
  countTasks,
  iterateTasks,
  recordListExport,
} from "~/domain/reports/exports.server";
import { getSettings } from "~/domain/settings";
import { csvResponse, type CsvRow } from "~/http/csv.server";
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
  "task",
  "dueOn",
  "daysOverdue",
  "lastTaken",
  "crisis",
] as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = requireApiUserWithPermission(request, "read:client");
  const t = serverT(request, user);
  const db = getDb();
  const today = localDate(new Date(), getSettings(db).timeZone);
  recordListExport(db, actorOf(request, user), {
    list: "tasks",
    filters: { asOf: today },
    rows: countTasks(db, user, today),
  });
  return csvResponse({
    filename: t("reports.list.tasksFilename", { date: today }),
    asciiFilename: `tasks-${today}.csv`,
    header: COLUMNS.map((c) => t(`reports.list.col.${c}` as MessageKey)),
    rows: csvRows(iterateTasks(db, user, today), t),
  });
}

function* csvRows(rows: Iterable<Task>, t: Translate): Generator<CsvRow> {
  for (const r of rows) {
    yield [
      r.alias,
      t(`wellbeing.tasks.kind.${r.kind}` as MessageKey),
      r.dueOn,
      r.daysOverdue,
      r.kind === "barc10Due" ? r.lastTakenOn ?? "" : "",
      r.crisis ? t("reports.list.yes") : t("reports.list.no"),
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
