import { asc, eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { districts } from "#db/schema";

export type District = typeof districts.$inferSelect;

export function listDistricts(db: Db, options: { activeOnly?: boolean } = {}): District[] {
  return db
    .select()
    .from(districts)
    .where(options.activeOnly ? eq(districts.active, true) : undefined)
    .orderBy(asc(districts.id))
    .all();
}
