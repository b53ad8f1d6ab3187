/**
 * CSV export of the hours waiting for approval (/hours/approvals): the list's own query
 * (listPendingApprovals, scoped by approve:hours inside it) with the list's URL filters (person,
 * district, dates), oldest day first, a page at a time. Volunteer hours of staff and tutors, not
 * client data: a plain GET download, nothing recorded (GET never writes).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { iteratePendingApprovals } from "~/domain/reports/exports.server";
import { getSettings } from "~/domain/settings";
import { getVolunteerActivities } from "~/domain/settings/volunteer-activities.server";
import { volunteerActivityLabel, type VolunteerActivity } from "~/domain/settings/volunteer-activities";
import { id, isoDate } from "~/domain/shared/fields";
import { approvalDistricts, type ApprovalRow } from "~/domain/volunteering";
import { hoursText } from "~/domain/volunteering/schemas";
import { csvResponse, type CsvRow } from "~/http/csv.server";
import { todayIn } from "~/i18n/format";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireApiUserWithPermission(request, "approve:hours");
  const t = serverT(request, user);
  const locale = resolveLocale(request, user);
  const db = getDb();
  const url = new URL(request.url);
  const q = ListQuery.parse(Object.fromEntries(["person", "district", "from", "to"].map((k) => [k, url.searchParams.get(k) || undefined])));
  const districtId = approvalDistricts(db, user).some((d) => d.id === q.district) ? (q.district ?? null) : null;
  const filter = { person: q.person ?? null, districtId, from: q.from ?? null, to: q.to ?? null };
  const today = todayIn(getSettings(db).timeZone);
  return csvResponse({
    filename: t("reports.list.hoursApprovalsFilename", { date: today }),
    asciiFilename: `hours-to-approve-${today}.csv`,
    header: COLUMNS.map((c) => t(`volunteering.col.${c}` as MessageKey)),
    rows: csvRows(iteratePendingApprovals(db, user, filter), getVolunteerActivities(db), locale),
  });
}

// The list's search params, read as the list reads them: anything malformed is dropped, never an error.
const ListQuery = z.object({
  person: z.string().trim().max(64).optional().catch(undefined),
  district: id.optional().catch(undefined),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
});

const COLUMNS = ["person", "date", "activity", "hours", "note", "district"] as const;

function* csvRows(rows: Iterable<ApprovalRow>, activities: readonly VolunteerActivity[], locale: string): Generator<CsvRow> {
  for (const r of rows) {
    yield [r.personName, r.workedOn, volunteerActivityLabel(activities, r.activity, locale), hoursText(r.minutes), r.note, locale === "zh-CN" ? r.districtZh : r.districtEn];
  }
}
