/**
 * Dashboard facts from the volunteering and data areas (their own functions: pendingHoursCount,
 * myHoursSummary, getLastBackup) and the database's own size. Each is one or two statements.
 */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { getLastBackup } from "~/domain/data/backup.server";
import { myHoursSummary, pendingHoursCount } from "~/domain/volunteering";
import type { Note, Viewer } from "./dashboard.server";

export type HoursFacts = {
  /** pending entries the viewer may approve */
  pending: number;
  pendingTo: string;
  /** the viewer's own hours this year, as fact lines */
  mine: Note[];
  mineTo: string;
};

const hours = (minutes: number) => (Math.round(minutes / 6) / 10).toString();

export function hoursFacts(db: Db, viewer: Viewer, today: string): HoursFacts {
  const year = today.slice(0, 4);
  const mine = myHoursSummary(db, viewer.personId, { from: `${year}-01-01`, to: `${year}-12-31` });
  return {
    pending: pendingHoursCount(db, viewer),
    pendingTo: "/hours/approvals",
    mine: [
      { key: "dashboard.fact.hoursThisYear", params: { hours: hours(mine.approvedMinutes) }, tone: "ok" },
      { key: "dashboard.fact.hoursPending", params: { hours: hours(mine.pendingMinutes) } },
    ],
    mineTo: "/hours",
  };
}

export type AdminFacts = { sizeMb: string; lastBackupAt: string | null; lastBackupOk: boolean };

/** The database's size (pages × page size, one pragma statement) and the last backup recorded. */
export function adminFacts(db: Db): AdminFacts {
  const row = db.get<{ bytes: number }>(sql`select page_count * page_size as bytes from pragma_page_count(), pragma_page_size()`);
  const mb = (Number(row?.bytes ?? 0) / (1024 * 1024)).toFixed(1);
  const last = getLastBackup(db);
  return { sizeMb: mb, lastBackupAt: last?.at ?? null, lastBackupOk: last?.ok ?? false };
}
