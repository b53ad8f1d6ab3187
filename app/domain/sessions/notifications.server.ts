/**
 * In-app notifications (a session cancelled, a waitlist place freed, …). A notification stores a
 * message key and its parameters, so each reader sees it in their own language; instants in the
 * parameters (`startsAt`) are formatted when shown. Written inside the transaction of the change
 * that causes it, which records that change in the audit log.
 */
import { and, count, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "#db/client";
import { clientAssignments, notifications, sessionFacilitators, sessionRegistrations, users } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { queueNotificationMail } from "~/domain/notifications/email.server";

type Writer = Pick<Db, "insert">;
type Reader = Pick<Db, "select">;

export type NotificationContent = {
  /** what happened, for filtering: "sessionCancelled", … */
  kind: string;
  /** a message key of the sessions catalogue (or another area's) */
  messageKey: string;
  params?: Record<string, string | number>;
  /** where the notification leads, an app path */
  link?: string;
};

/** One notification per user (each user once); returns how many were written. Also e-mailed when SMTP is configured (notifications/email.server). */
export function notify(db: Writer, userIds: readonly number[], content: NotificationContent): number {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return 0;
  const written = db
    .insert(notifications)
    .values(unique.map((userId) => ({ userId, kind: content.kind, messageKey: content.messageKey, params: content.params ?? {}, link: content.link ?? "" })))
    .returning({ id: notifications.id })
    .all();
  // optional e-mail of the same notifications, after the transaction, only when SMTP is configured
  queueNotificationMail(db as unknown as Db, written.map((w) => w.id));
  return unique.length;
}

/**
 * Who hears about a change to a session: the facilitators' logins, and the current social workers
 * and peer tutors of the clients registered for it (clients have no logins). Active logins only.
 */
export function sessionAudience(db: Reader, sessionId: number): number[] {
  const facilitators = db
    .select({ userId: users.id })
    .from(sessionFacilitators)
    .innerJoin(users, eq(users.personId, sessionFacilitators.personId))
    .where(and(eq(sessionFacilitators.sessionId, sessionId), eq(users.active, true)))
    .all();
  const workers = db
    .select({ userId: users.id })
    .from(sessionRegistrations)
    .innerJoin(clientAssignments, and(eq(clientAssignments.clientId, sessionRegistrations.clientId), isNull(clientAssignments.toDate)))
    .innerJoin(users, eq(users.personId, clientAssignments.personId))
    .where(and(eq(sessionRegistrations.sessionId, sessionId), inArray(sessionRegistrations.status, ["registered", "waitlisted"]), eq(users.active, true)))
    .all();
  return [...new Set([...facilitators, ...workers].map((r) => r.userId))];
}

export type NotificationRow = {
  id: number;
  kind: string;
  messageKey: string;
  params: Record<string, string | number>;
  link: string;
  readAt: string | null;
  createdAt: string;
};

/** A page of a user's notifications, newest first. */
export function listNotifications(db: Reader, userId: number, page: { limit: number; offset: number }): { rows: NotificationRow[]; total: number } {
  const rows = db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      messageKey: notifications.messageKey,
      params: notifications.params,
      link: notifications.link,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  const total = db.select({ n: count() }).from(notifications).where(eq(notifications.userId, userId)).get()?.n ?? 0;
  return { rows, total };
}

/** How many of a user's notifications are unread (the number in the top bar). */
export function unreadCount(db: Reader, userId: number): number {
  return db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).get()?.n ?? 0;
}

/** Marks one of the user's notifications, or all of them, read. Someone else's id is unknown. Audited. */
export function markNotificationsRead(db: Db, actor: Actor, userId: number, which: number | "all"): number {
  return db.transaction((tx) => {
    const now = new Date().toISOString();
    const where =
      which === "all"
        ? and(eq(notifications.userId, userId), isNull(notifications.readAt))
        : and(eq(notifications.userId, userId), eq(notifications.id, which));
    if (which !== "all" && !tx.select({ id: notifications.id }).from(notifications).where(where).get()) {
      throw new DomainError("form.unknownId", "id");
    }
    const changed = tx.update(notifications).set({ readAt: now, updatedAt: now }).where(and(where, isNull(notifications.readAt))).run().changes;
    if (changed > 0) recordAudit(tx, actor, { action: "read", entity: "notification", entityId: which === "all" ? "all" : which, details: { count: changed } });
    return changed;
  });
}

/** The page of a session, the link of notifications about it. */
export const sessionLink = (sessionId: number) => `/sessions/${sessionId}`;
