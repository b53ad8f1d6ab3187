/**
 * Sessions as the Lucia guide (lucia-auth.com) teaches them, with @oslojs (ADR 0002):
 * a random token lives only in the person's HttpOnly cookie; the database keeps its SHA-256.
 * Idle expiry slides on writes (POST) only, because GET never writes (ADR 0002 explains).
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, lt, ne, or } from "drizzle-orm";
import type { Db } from "#db/client";
import { authSessions, persons, userRoles, users } from "#db/schema";
import type { RoleGrant, SessionUser } from "./roles";

export const IDLE_TIMEOUT_MS = 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function createSession(
  db: Pick<Db, "insert">,
  token: string,
  userId: number,
  meta: { ip: string; userAgent: string; secondFactor?: "ok" | "verify" | "enrol" },
  now = new Date(),
): { id: string; expiresAt: Date; absoluteExpiresAt: Date } {
  const id = sessionIdFromToken(token);
  const expiresAt = new Date(now.getTime() + IDLE_TIMEOUT_MS);
  const absoluteExpiresAt = new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS);
  db.insert(authSessions)
    .values({
      id,
      userId,
      expiresAt: expiresAt.toISOString(),
      absoluteExpiresAt: absoluteExpiresAt.toISOString(),
      lastSeenAt: now.toISOString(),
      ip: meta.ip.slice(0, 64),
      userAgent: meta.userAgent.slice(0, 300),
      secondFactor: meta.secondFactor ?? "ok",
    })
    .run();
  return { id, expiresAt, absoluteExpiresAt };
}

export function loadRoles(db: Pick<Db, "select">, userId: number): RoleGrant[] {
  return db
    .select({ role: userRoles.role, districtId: userRoles.districtId })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))
    .orderBy(userRoles.role, userRoles.districtId)
    .all()
    .map((r) => ({ role: r.role, districtId: r.districtId }));
}

/**
 * Returns the signed-in user for a cookie token, or null when the session is unknown, expired,
 * or its user is disabled. Reads only; `touchSession` extends it on writes.
 */
export function validateSessionToken(db: Db, token: string, now = new Date()): SessionUser | null {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  const row = db
    .select({
      session: authSessions,
      user: users,
      displayName: persons.displayName,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(authSessions.id, id))
    .get();
  if (!row) return null;
  const t = now.toISOString();
  if (t >= row.session.expiresAt || t >= row.session.absoluteExpiresAt || !row.user.active) return null;
  return {
    id: row.user.id,
    personId: row.user.personId,
    login: row.user.login,
    displayName: row.displayName,
    locale: row.user.locale ?? null,
    mustChangePassword: row.user.mustChangePassword,
    roles: loadRoles(db, row.user.id),
    sessionId: id,
    secondFactor: row.session.secondFactor,
  };
}

/** Slides the idle expiry (never past the absolute limit). Called on POST requests only. */
export function touchSession(db: Db, sessionId: string, now = new Date()): void {
  const session = db.select().from(authSessions).where(eq(authSessions.id, sessionId)).get();
  if (!session) return;
  const idle = new Date(now.getTime() + IDLE_TIMEOUT_MS).toISOString();
  const expiresAt = idle < session.absoluteExpiresAt ? idle : session.absoluteExpiresAt;
  db.update(authSessions)
    .set({ expiresAt, lastSeenAt: now.toISOString(), updatedAt: now.toISOString() })
    .where(eq(authSessions.id, sessionId))
    .run();
}

export function invalidateSession(db: Pick<Db, "delete">, sessionId: string): void {
  db.delete(authSessions).where(eq(authSessions.id, sessionId)).run();
}

/** Ends every session of a user, or every one but `keep`. */
export function invalidateUserSessions(db: Pick<Db, "delete">, userId: number, keep?: string): void {
  db.delete(authSessions)
    .where(keep ? and(eq(authSessions.userId, userId), ne(authSessions.id, keep)) : eq(authSessions.userId, userId))
    .run();
}

export type ActiveSession = { id: string; ip: string; userAgent: string; lastSeenAt: string; createdAt: string; current: boolean };

/** A person's sessions that have not expired, most recently used first. */
export function listActiveSessions(db: Pick<Db, "select">, userId: number, currentSessionId: string | null, now = new Date()): ActiveSession[] {
  const t = now.toISOString();
  return db
    .select()
    .from(authSessions)
    .where(eq(authSessions.userId, userId))
    .all()
    .filter((s) => s.expiresAt > t && s.absoluteExpiresAt > t)
    .sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt))
    .map((s) => ({ id: s.id, ip: s.ip, userAgent: s.userAgent, lastSeenAt: s.lastSeenAt, createdAt: s.createdAt, current: s.id === currentSessionId }));
}

/** Ends one of a person's own sessions; false when it is not theirs (or already gone). */
export function endOwnSession(db: Pick<Db, "delete">, userId: number, sessionId: string): boolean {
  return db.delete(authSessions).where(and(eq(authSessions.userId, userId), eq(authSessions.id, sessionId))).run().changes > 0;
}

/** Removes expired sessions; run on sign-in so the table does not grow without bound. */
export function purgeExpiredSessions(db: Pick<Db, "delete">, now = new Date()): void {
  const t = now.toISOString();
  db.delete(authSessions).where(or(lt(authSessions.expiresAt, t), lt(authSessions.absoluteExpiresAt, t))).run();
}
