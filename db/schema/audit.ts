import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { nowSql } from "./columns";

/**
 * Append-only record of every write and every audited read. Triggers in the migrations
 * refuse UPDATE and DELETE; no route offers either.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull().default(nowSql),
    actorUserId: integer("actor_user_id"),
    /** login at the time of the event, kept so the log reads the same after renames */
    actorLogin: text("actor_login").notNull().default(""),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull().default(""),
    ip: text("ip").notNull().default(""),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: text("created_at").notNull().default(nowSql),
    updatedAt: text("updated_at").notNull().default(nowSql),
  },
  (t) => [
    index("audit_at_idx").on(t.at),
    index("audit_entity_idx").on(t.entity, t.entityId, t.at),
    index("audit_entity_at_idx").on(t.entity, t.at),
    index("audit_actor_idx").on(t.actorUserId, t.at),
    index("audit_action_idx").on(t.action, t.at),
  ],
);
