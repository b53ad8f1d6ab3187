/** Calling the clients routes' loaders and actions in tests. */
import { and, eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { auditLog } from "#db/schema";
import { makeRequest, respond } from "../../factories";

type Handler = (args: { request: Request; params: Record<string, string>; context: { cspNonce: string } }) => unknown;

export function get(handler: unknown, path: string, cookie: string | undefined, params: Record<string, string> = {}) {
  return respond(() => (handler as Handler)({ request: makeRequest(path, { cookie }), params, context: { cspNonce: "" } }));
}

export function post(handler: unknown, path: string, cookie: string | undefined, form: Record<string, string | string[]>, params: Record<string, string> = {}) {
  return respond(() => (handler as Handler)({ request: makeRequest(path, { cookie, form }), params, context: { cspNonce: "" } }));
}

export type FormAnswer = { ok: false; errors: Record<string, string>; values: Record<string, string> };

export function clientAudit(clientId: number, action?: string) {
  return getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "client"), eq(auditLog.entityId, String(clientId)), action ? eq(auditLog.action, action) : undefined))
    .orderBy(auditLog.id)
    .all();
}

/** A past date that is safely before "today" in any zone. */
export const PAST = "2025-03-01";

/** A date in the future whatever the time zone. */
export function futureDate(): string {
  return new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
}
