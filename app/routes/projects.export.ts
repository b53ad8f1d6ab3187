/**
 * CSV export of the funded projects list (/projects): the list's own query (listProjects, scoped
 * by read:project inside it) with the list's status filter, newest period first, a page at a time.
 * Projects, not client data: a plain GET download, nothing recorded (GET never writes).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { PROJECT_LIST_STATUSES, type ProjectListRow } from "~/domain/projects";
import { iterateProjects } from "~/domain/reports/exports.server";
import { getSettings } from "~/domain/settings";
import { csvResponse, type CsvRow } from "~/http/csv.server";
import { todayIn } from "~/i18n/format";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import type { Translate } from "~/i18n/translate";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireApiUserWithPermission(request, "read:project");
  const t = serverT(request, user);
  const db = getDb();
  // the list's filter, read as the list reads it: anything else shows every project
  const raw = new URL(request.url).searchParams.get("status") ?? "";
  const status = (PROJECT_LIST_STATUSES as readonly string[]).includes(raw) ? (raw as (typeof PROJECT_LIST_STATUSES)[number]) : null;
  const today = todayIn(getSettings(db).timeZone);
  return csvResponse({
    filename: t("reports.list.projectsFilename", { date: today }),
    asciiFilename: `projects-${today}.csv`,
    header: COLUMNS.map((key) => t(key)),
    rows: csvRows(iterateProjects(db, user, status), t, resolveLocale(request, user) === "zh-CN"),
  });
}

// the list's own column names where it has them
const COLUMNS: readonly MessageKey[] = [
  "projects.col.name",
  "projects.col.funder",
  "projects.col.kind",
  "reports.list.col.startsOn",
  "reports.list.col.endsOn",
  "projects.col.districts",
  "projects.col.status",
];

function* csvRows(rows: Iterable<ProjectListRow>, t: Translate, zh: boolean): Generator<CsvRow> {
  for (const r of rows) {
    yield [
      r.name,
      r.funder,
      t(`projects.kind.${r.kind}` as MessageKey),
      r.startsOn,
      r.endsOn,
      r.districts.map((d) => (zh ? d.nameZh : d.nameEn)).join(zh ? "、" : ", "),
      t(`projects.status.${r.status}` as MessageKey),
    ];
  }
}
