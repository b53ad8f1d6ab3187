/**
 * CSV export of the coordinator's week (/sessions/week): this week's sessions across the districts
 * where the viewer schedules, from the page's own function (coordinatorWeek, scoped by edit:session
 * and bounded inside it), with the counts the page shows (places, waiting, facilitators). Group
 * sessions, not client data: a plain GET download, nothing recorded (GET never writes).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { coordinatorWeek, programTimeZone, type CoordinatorLine } from "~/domain/sessions";
import { mondayOf } from "~/domain/sessions/time";
import { csvDateTime, csvResponse, type CsvRow } from "~/http/csv.server";
import { todayIn } from "~/i18n/format";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import type { Translate } from "~/i18n/translate";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireApiUserWithPermission(request, "edit:session");
  const t = serverT(request, user);
  const db = getDb();
  const timeZone = programTimeZone(db);
  const today = todayIn(timeZone);
  const monday = mondayOf(today);
  const { sessions } = coordinatorWeek(db, user, monday, today.slice(0, 7), timeZone);
  return csvResponse({
    filename: t("reports.list.weekFilename", { date: monday }),
    asciiFilename: `this-week-sessions-${monday}.csv`,
    header: COLUMNS.map((key) => t(key)),
    rows: csvRows(sessions, t, resolveLocale(request, user) === "zh-CN", timeZone),
  });
}

// the page's own column names where it has them
const COLUMNS: readonly MessageKey[] = [
  "sessions.coord.when",
  "sessions.coord.topic",
  "sessions.coord.studio",
  "reports.list.col.status",
  "sessions.field.capacity",
  "reports.list.col.registered",
  "reports.list.col.waitlisted",
  "reports.list.col.facilitators",
];

function* csvRows(rows: Iterable<CoordinatorLine>, t: Translate, zh: boolean, timeZone: string): Generator<CsvRow> {
  for (const r of rows) {
    yield [csvDateTime(r.startsAt, timeZone), r.topic, zh ? r.studioZh : r.studioEn, t(`sessions.status.${r.status}` as MessageKey), r.capacity, r.registered, r.waitlisted, r.facilitators];
  }
}
