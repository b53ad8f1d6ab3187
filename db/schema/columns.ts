import { sql } from "drizzle-orm";
import { text } from "drizzle-orm/sqlite-core";

/** UTC ISO-8601 timestamp with milliseconds, e.g. 2026-11-28T08:00:00.000Z. */
export const nowSql = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** created_at / updated_at, on every table. The domain layer sets updated_at on each update. */
export const timestamps = {
  createdAt: text("created_at").notNull().default(nowSql),
  updatedAt: text("updated_at").notNull().default(nowSql),
};
