/**
 * Secret calendar-feed addresses (issue "Studios, peer-education groups and group sessions" item 8).
 *
 * Each person may have one active feed token; only its SHA-256 is stored (like sign-in sessions),
 * so the address is shown once, when made. Making a new one revokes the old; revoking leaves none.
 * A revoked or unknown token, or the token of a deactivated login, finds nobody (the feed answers 404).
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "#db/client";
import { calendarTokens, users } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";

type Reader = Pick<Db, "select">;

export function hashFeedToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Makes a new feed token for the user (revoking any active one) and returns it; audited. */
export function createFeedToken(db: Db, actor: Actor, userId: number): string {
  return db.transaction((tx) => {
    const now = new Date().toISOString();
    const revoked = tx
      .update(calendarTokens)
      .set({ revokedAt: now, updatedAt: now })
      .where(and(eq(calendarTokens.userId, userId), isNull(calendarTokens.revokedAt)))
      .run().changes;
    const token = randomBytes(24).toString("base64url");
    const id = tx.insert(calendarTokens).values({ userId, tokenHash: hashFeedToken(token) }).returning({ id: calendarTokens.id }).get().id;
    recordAudit(tx, actor, { action: "create", entity: "calendar_token", entityId: id, details: { userId, replaced: revoked } });
    return token;
  });
}

/** Revokes the user's active feed token(s); audited. Returns how many were revoked. */
export function revokeFeedTokens(db: Db, actor: Actor, userId: number): number {
  return db.transaction((tx) => {
    const now = new Date().toISOString();
    const changed = tx
      .update(calendarTokens)
      .set({ revokedAt: now, updatedAt: now })
      .where(and(eq(calendarTokens.userId, userId), isNull(calendarTokens.revokedAt)))
      .run().changes;
    if (changed > 0) recordAudit(tx, actor, { action: "revoke", entity: "calendar_token", entityId: userId, details: { count: changed } });
    return changed;
  });
}

/** When the user's active feed address was made, or null when they have none. */
export function activeFeedSince(db: Reader, userId: number): string | null {
  return (
    db
      .select({ createdAt: calendarTokens.createdAt })
      .from(calendarTokens)
      .where(and(eq(calendarTokens.userId, userId), isNull(calendarTokens.revokedAt)))
      .orderBy(desc(calendarTokens.id))
      .get()?.createdAt ?? null
  );
}

/** The owner of an active feed token (an active login), or null. */
export function feedOwner(db: Reader, token: string): { userId: number; personId: number } | null {
  if (!token || token.length > 200) return null;
  return (
    db
      .select({ userId: users.id, personId: users.personId })
      .from(calendarTokens)
      .innerJoin(users, eq(users.id, calendarTokens.userId))
      .where(and(eq(calendarTokens.tokenHash, hashFeedToken(token)), isNull(calendarTokens.revokedAt), eq(users.active, true)))
      .get() ?? null
  );
}
