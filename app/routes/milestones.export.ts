/**
 * CSV export of upcoming abstinence milestones (/milestones): the list's own function
 * (upcomingMilestones, scoped by clientScope inside it) for the next 30 days, with the list's
 * district filter (a city-wide viewer must choose one, as on the page), a page at a time. A POST,
 * because the export of client data is recorded in the audit log (GET never writes). No identity
 * fields: alias and case number only.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { isCityWide, programToday, scopedDistrictOptions, type UpcomingMilestone } from "~/domain/clients";
import { countUpcomingMilestones, iterateUpcomingMilestones, recordListExport } from "~/domain/reports/exports.server";
import { id } from "~/domain/shared/fields";
import { csvResponse, type CsvRow } from "~/http/csv.server";
import { readForm } from "~/http/forms.server";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import type { Translate } from "~/i18n/translate";

/** The list's window: milestones in the next 30 days. */
const WITHIN_DAYS = 30;

export async function loader({ request }: LoaderFunctionArgs) {
  // the export is a POST from the list page; a GET only says so
  const user = requireApiUserWithPermission(request, "read:client");
  return plain(serverT(request, user)("reports.list.exportHelp"), 405, { Allow: "POST" });
}

const COLUMNS = ["alias", "caseNumber", "milestone", "milestoneDate", "inDays", "abstinentSince", "district"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = requireApiUserWithPermission(request, "read:client");
  const t = serverT(request, user);
  const form = await readForm(request);
  if (!form) return plain(t("form.badRequest"), 400);
  const db = getDb();
  // the list's filter, read as the list reads it: a malformed or foreign district is ignored
  const asked = id.safeParse(form.values.district || undefined);
  const districtId = asked.success && scopedDistrictOptions(db, user).some((d) => d.id === asked.data) ? asked.data : null;
  // as on the page, a city-wide viewer sees nothing until a district is chosen
  if (isCityWide(user) && districtId === null) return plain(t("casework.filter.chooseDistrict"), 400);
  const today = programToday(db);
  recordListExport(db, actorOf(request, user), {
    list: "milestones",
    filters: { asOf: today, ...(districtId ? { district: String(districtId) } : {}) },
    rows: countUpcomingMilestones(db, user, today, WITHIN_DAYS, districtId),
  });
  return csvResponse({
    filename: t("reports.list.milestonesFilename", { date: today }),
    asciiFilename: `upcoming-milestones-${today}.csv`,
    header: COLUMNS.map((c) => t(`reports.list.col.${c}` as MessageKey)),
    rows: csvRows(iterateUpcomingMilestones(db, user, today, WITHIN_DAYS, districtId), t, resolveLocale(request, user) === "zh-CN"),
  });
}

function* csvRows(rows: Iterable<UpcomingMilestone>, t: Translate, zh: boolean): Generator<CsvRow> {
  for (const r of rows) {
    yield [r.alias, r.caseNumber, t(`casework.milestone.${r.milestone.key}` as MessageKey), r.milestone.date, r.inDays, r.since, zh ? r.districtZh : r.districtEn];
  }
}

function plain(text: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}
