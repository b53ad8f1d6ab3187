/**
 * Dashboard facts that come from areas built alongside this one (volunteer hours, backups) and
 * the database's own size. Each is one statement; null means the source is not there yet and the
 * card says so instead of inventing a number.
 */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client";
import type { Note, Viewer } from "./dashboard.server";

export type HoursFacts = {
  /** pending entries the viewer may approve; null: hours not available */
  pending: number | null;
  pendingTo: string;
  /** the viewer's own hours as fact lines; null: not available */
  mine: Note[] | null;
  mineTo: string;
};

export function hoursFacts(_db: Db, _viewer: Viewer): HoursFacts {
  return { pending: null, pendingTo: "/hours", mine: null, mineTo: "/hours" };
}

export type AdminFacts = { sizeMb: string; lastBackupAt: string | null };

/** The database's size (pages × page size, one pragma statement) and the last backup recorded. */
export function adminFacts(db: Db): AdminFacts {
  const row = db.get<{ bytes: number }>(sql`select page_count * page_size as bytes from pragma_page_count(), pragma_page_size()`);
  const mb = (Number(row?.bytes ?? 0) / (1024 * 1024)).toFixed(1);
  return { sizeMb: mb, lastBackupAt: null };
}
