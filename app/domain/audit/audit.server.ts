import { and, desc, eq, gte, like, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { auditLog } from "#db/schema";

/** Who did it, from where: built once per request by the route and passed to every domain call. */
export type Actor = { userId: number | null; login: string; ip: string };

export const SYSTEM_ACTOR: Actor = { userId: null, login: "system", ip: "" };

export type AuditEvent = {
  action: string;
  entity: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
};

/**
 * The one way anything is written to the audit log. Domain functions call it inside the same
 * transaction as the write they record, so a write and its record stand or fall together.
 */
export function recordAudit(db: Pick<Db, "insert">, actor: Actor, event: AuditEvent): void {
  db.insert(auditLog)
    .values({
      actorUserId: actor.userId,
      actorLogin: actor.login,
      action: event.action,
      entity: event.entity,
      entityId: event.entityId == null ? "" : String(event.entityId),
      ip: actor.ip,
      details: event.details ?? null,
    })
    .run();
}

export type AuditFilter = {
  actor?: string; // login, partial
  entity?: string;
  action?: string;
  from?: string; // YYYY-MM-DD inclusive, UTC bounds computed by caller
  to?: string; // ISO exclusive
};

function where(filter: AuditFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.actor) parts.push(like(auditLog.actorLogin, `%${filter.actor.replace(/[%_]/g, "")}%`));
  if (filter.entity) parts.push(eq(auditLog.entity, filter.entity));
  if (filter.action) parts.push(eq(auditLog.action, filter.action));
  if (filter.from) parts.push(gte(auditLog.at, filter.from));
  if (filter.to) parts.push(lt(auditLog.at, filter.to));
  return parts.length ? and(...parts) : undefined;
}

export type AuditRow = typeof auditLog.$inferSelect;

export function listAudit(
  db: Db,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): { rows: AuditRow[]; total: number } {
  const w = where(filter);
  const rows = db.select().from(auditLog).where(w).orderBy(desc(auditLog.id)).limit(page.limit).offset(page.offset).all();
  const total = db.select({ n: sql<number>`count(*)` }).from(auditLog).where(w).get()?.n ?? 0;
  return { rows, total };
}

/** Streams matching rows in id order, newest first, in batches, for the CSV export. */
export function* iterateAudit(db: Db, filter: AuditFilter, batch = 1000): Generator<AuditRow> {
  let before = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const w = where(filter);
    const rows = db
      .select()
      .from(auditLog)
      .where(w ? and(w, lt(auditLog.id, before)) : lt(auditLog.id, before))
      .orderBy(desc(auditLog.id))
      .limit(batch)
      .all();
    if (rows.length === 0) return;
    yield* rows;
    before = rows[rows.length - 1]!.id;
  }
}

export function distinctAuditValues(db: Db): { entities: string[]; actions: string[] } {
  const entities = db.selectDistinct({ v: auditLog.entity }).from(auditLog).orderBy(auditLog.entity).all().map((r) => r.v);
  const actions = db.selectDistinct({ v: auditLog.action }).from(auditLog).orderBy(auditLog.action).all().map((r) => r.v);
  return { entities, actions };
}
