/**
 * CSV export of the audit log: the viewer's filters, as a file, with column names in the
 * person's language. A POST, because the export is itself recorded in the log (GET never writes).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import {
  AUDIT_CSV_COLUMNS,
  auditCsvRows,
  beginAuditExport,
  distinctAuditValues,
  iterateAudit,
  parseAuditFilters,
  type AuditCsvColumn,
} from "~/domain/audit";
import { getSettings } from "~/domain/settings";
import { csvDateTime, csvResponse } from "~/http/csv.server";
import { readForm } from "~/http/forms.server";
import { serverT } from "~/i18n/locale.server";
import { todayIn } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";

export async function loader({ request }: LoaderFunctionArgs) {
  // the export is a POST from the audit log page; a GET only says so
  const user = requireApiUserWithPermission(request, "read:audit");
  return plain(serverT(request, user)("audit.export.useButton"), 405, { Allow: "POST" });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireApiUserWithPermission(request, "read:audit");
  const t = serverT(request, user);
  const form = await readForm(request);
  if (!form) return plain(t("form.badRequest"), 400);

  const db = getDb();
  const { timeZone } = getSettings(db);
  const parsed = parseAuditFilters(form.values, { timeZone, ...distinctAuditValues(db) });
  // the page only sends filters it applied; anything else was typed by hand, and exporting a
  // wider slice of the log than asked for would be worse than exporting nothing
  if (Object.keys(parsed.errors).length > 0) return plain(t("audit.export.badFilters"), 400);

  const { upToId } = beginAuditExport(db, actorOf(request, user), { filter: parsed.filter, filters: parsed.applied });
  const today = todayIn(timeZone);
  const header = AUDIT_CSV_COLUMNS.map((c: AuditCsvColumn) =>
    c === "time" ? t("audit.col.timeLocal", { timeZone }) : t(`audit.col.${c}` as MessageKey),
  );
  return csvResponse({
    filename: t("audit.export.filename", { date: today }),
    asciiFilename: `audit-log-${today}.csv`,
    header,
    rows: auditCsvRows(iterateAudit(db, { ...parsed.filter, upToId }), (iso) => csvDateTime(iso, timeZone)),
  });
}

function plain(text: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}
