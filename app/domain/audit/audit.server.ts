import { and, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { auditLog } from "#db/schema";
import { noteReadAudit, READ_AUDIT_ACTIONS } from "~/domain/shared/memo.server";

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
 * Nothing in the code base updates or deletes audit rows (a test scans for it) and the database
 * refuses both (triggers in drizzle/0001_audit_append_only.sql).
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
  // a read recorded is not a change of the data memoised aggregates read
  if (READ_AUDIT_ACTIONS.has(event.action)) noteReadAudit();
}

export type AuditFilter = {
  /** part of the actor's login, case-insensitive */
  actor?: string;
  entity?: string;
  action?: string;
  /** UTC ISO instant, inclusive (see parseAuditFilters for local dates) */
  from?: string;
  /** UTC ISO instant, exclusive */
  to?: string;
  /** only rows with an id up to this one: an export's snapshot of the log */
  upToId?: number;
};

function where(filter: AuditFilter): SQL | undefined {
  const parts: SQL[] = [];
  // instr, not LIKE: login names may hold "_", which LIKE would read as a wildcard
  if (filter.actor) parts.push(sql`instr(lower(${auditLog.actorLogin}), lower(${filter.actor})) > 0`);
  if (filter.entity) parts.push(eq(auditLog.entity, filter.entity));
  if (filter.action) parts.push(eq(auditLog.action, filter.action));
  if (filter.from) parts.push(gte(auditLog.at, filter.from));
  if (filter.to) parts.push(lt(auditLog.at, filter.to));
  if (filter.upToId !== undefined) parts.push(lte(auditLog.id, filter.upToId));
  return parts.length ? and(...parts) : undefined;
}

export type AuditRow = typeof auditLog.$inferSelect;

function auditPage(db: Pick<Db, "select">, filter: AuditFilter, page: { limit: number; offset: number }): AuditRow[] {
  return db
    .select()
    .from(auditLog)
    .where(where(filter))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

/** One page of the log, newest first (by time, then by id), with the total for the pager. */
export function listAudit(
  db: Db,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): { rows: AuditRow[]; total: number } {
  return { rows: auditPage(db, filter, page), total: countAudit(db, filter) };
}

/**
 * The newest `limit` rows matching the filter, in listAudit's order, without counting the log:
 * for a glance at recent events (the home dashboard), where no pager needs a total and a count
 * would read the whole log on every visit.
 */
export function latestAudit(db: Pick<Db, "select">, filter: AuditFilter, limit: number): AuditRow[] {
  return auditPage(db, filter, { limit, offset: 0 });
}

export function countAudit(db: Pick<Db, "select">, filter: AuditFilter): number {
  return db.select({ n: sql<number>`count(*)` }).from(auditLog).where(where(filter)).get()?.n ?? 0;
}

/**
 * Streams matching rows newest first, in the same order as listAudit, in batches (keyset paging
 * on time and id), so the CSV export never loads the whole log.
 */
export function* iterateAudit(db: Db, filter: AuditFilter, batch = 1000): Generator<AuditRow> {
  const w = where(filter);
  let cursor: { at: string; id: number } | null = null;
  for (;;) {
    // a row-value comparison lets SQLite seek the time index; the equivalent OR scans from the top
    const after: SQL | undefined = cursor ? sql`(${auditLog.at}, ${auditLog.id}) < (${cursor.at}, ${cursor.id})` : undefined;
    const rows: AuditRow[] = db
      .select()
      .from(auditLog)
      .where(w && after ? and(w, after) : (w ?? after))
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(batch)
      .all();
    if (rows.length === 0) return;
    yield* rows;
    if (rows.length < batch) return;
    const last: AuditRow = rows[rows.length - 1]!;
    cursor = { at: last.at, id: last.id };
  }
}

/**
 * The entities and actions that occur in the log, for the filter selects. A loose index scan
 * (one index probe per distinct value) keeps this quick on a log of millions of rows.
 */
export function distinctAuditValues(db: Db): { entities: string[]; actions: string[] } {
  const entities = db.all<{ v: string }>(sql`
    WITH RECURSIVE d(v) AS (
      SELECT min(entity) FROM audit_log
      UNION ALL
      SELECT (SELECT min(entity) FROM audit_log WHERE entity > d.v) FROM d WHERE d.v IS NOT NULL
    ) SELECT v FROM d WHERE v IS NOT NULL`);
  const actions = db.all<{ v: string }>(sql`
    WITH RECURSIVE d(v) AS (
      SELECT min(action) FROM audit_log
      UNION ALL
      SELECT (SELECT min(action) FROM audit_log WHERE action > d.v) FROM d WHERE d.v IS NOT NULL
    ) SELECT v FROM d WHERE v IS NOT NULL`);
  return { entities: entities.map((r) => r.v), actions: actions.map((r) => r.v) };
}

/**
 * An export of the log is itself recorded: in one transaction, fix the snapshot (the rows that
 * exist now), count what it will contain and write the "export" event with the filters used.
 * The caller then streams `iterateAudit(db, { ...filter, upToId })`.
 */
export function beginAuditExport(
  db: Db,
  actor: Actor,
  input: { filter: AuditFilter; filters: Record<string, string> },
): { upToId: number; rows: number } {
  return db.transaction((tx) => {
    const upToId = tx.select({ id: sql<number | null>`max(${auditLog.id})` }).from(auditLog).get()?.id ?? 0;
    const rows = countAudit(tx, { ...input.filter, upToId });
    recordAudit(tx, actor, {
      action: "export",
      entity: "audit_log",
      details: { filters: input.filters, rows, format: "csv" },
    });
    return { upToId, rows };
  });
}
