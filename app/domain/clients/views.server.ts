import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { auditLog } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";

/** The only write a GET may make (ADR 0004): one audit row for each view of a client's record. */
export const VIEW_ACTION = "view";

/** Records that the actor opened a part of a client's record ("page", "timeline", "plan", …). */
export function recordClientView(db: Db, actor: Actor, clientId: number, part: string): void {
  recordAudit(db, actor, { action: VIEW_ACTION, entity: "client", entityId: clientId, details: { part } });
}

export type AccessLogRow = { at: string; login: string; action: string; part: string | null };

/** Who opened or changed the client's record, newest first (the access log of issue "clients" item 13). */
export function clientAccessLog(db: Db, clientId: number, page: { limit: number; offset: number }): { rows: AccessLogRow[]; total: number } {
  const where = and(eq(auditLog.entity, "client"), eq(auditLog.entityId, String(clientId)));
  const rows = db
    .select({ at: auditLog.at, login: auditLog.actorLogin, action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(page.limit)
    .offset(page.offset)
    .all()
    .map((r) => ({ at: r.at, login: r.login, action: r.action, part: typeof r.details?.part === "string" ? r.details.part : null }));
  const total = db.select({ n: sql<number>`count(*)` }).from(auditLog).where(where).get()?.n ?? 0;
  return { rows, total };
}
