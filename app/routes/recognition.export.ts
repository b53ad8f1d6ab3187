/**
 * CSV export of the three-year recognition worklist (/recognition): the list's own function
 * (recognitionWorklist, scoped by clientScope inside it) as of the program's today, with the
 * list's district filter, longest abstinent first, a page at a time. Guarded as the list is (those
 * who recognise or oversee). A POST, because the export of client data is recorded in the audit
 * log (GET never writes). No identity fields: alias and case number only.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, forbidden, requireApiUser } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { getDb } from "~/db.server";
import { programToday, scopedDistrictOptions, type RecognitionWorklistRow } from "~/domain/clients";
import { countRecognitionWorklist, iterateRecognitionWorklist, recordListExport } from "~/domain/reports/exports.server";
import { id } from "~/domain/shared/fields";
import { csvResponse, type CsvRow } from "~/http/csv.server";
import { readForm } from "~/http/forms.server";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";

/** The list's guard: those who recognise (create:caseRecord) or oversee (approve:plan). */
function requireWorklistUser(request: Request) {
  const user = requireApiUser(request);
  if (!can(user, "create:caseRecord") && !can(user, "approve:plan")) throw forbidden();
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  // the export is a POST from the list page; a GET only says so
  const user = requireWorklistUser(request);
  return plain(serverT(request, user)("reports.list.exportHelp"), 405, { Allow: "POST" });
}

const COLUMNS = ["alias", "caseNumber", "district", "abstinentSince", "daysAbstinent", "eligibleFrom"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = requireWorklistUser(request);
  const t = serverT(request, user);
  const form = await readForm(request);
  if (!form) return plain(t("form.badRequest"), 400);
  const db = getDb();
  // the list's filter, read as the list reads it: a malformed or foreign district is ignored
  const asked = id.safeParse(form.values.district || undefined);
  const districtId = asked.success && scopedDistrictOptions(db, user).some((d) => d.id === asked.data) ? asked.data : null;
  const today = programToday(db);
  recordListExport(db, actorOf(request, user), {
    list: "recognition",
    filters: { asOf: today, ...(districtId ? { district: String(districtId) } : {}) },
    rows: countRecognitionWorklist(db, user, today, districtId),
  });
  return csvResponse({
    filename: t("reports.list.recognitionFilename", { date: today }),
    asciiFilename: `recognition-worklist-${today}.csv`,
    header: COLUMNS.map((c) => t(`reports.list.col.${c}` as MessageKey)),
    rows: csvRows(iterateRecognitionWorklist(db, user, today, districtId), resolveLocale(request, user) === "zh-CN"),
  });
}

function* csvRows(rows: Iterable<RecognitionWorklistRow>, zh: boolean): Generator<CsvRow> {
  for (const r of rows) {
    yield [r.alias, r.caseNumber, zh ? r.districtZh : r.districtEn, r.since, r.daysAbstinent, r.eligibleFrom];
  }
}

function plain(text: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}
