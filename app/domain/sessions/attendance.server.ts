/**
 * Attendance and self check-in (issue "Studios, peer-education groups and group sessions" item 7).
 *
 * A session's facilitators (attend:session:own) and the coordinators scheduling in its district
 * mark each registered client present, late, absent or excused in one save; saving marks the
 * session "held" (sequence bumped, for ICS) and is audited. Attendance appears on each client's
 * timeline (clients/timeline.server.ts, sessionAttendanceArm).
 *
 * Self check-in: a facilitator issues a random per-session token shown as a QR code. The code
 * opens /sessions/$id/check-in?token=… on a signed-in phone of someone who takes attendance
 * (typically a co-facilitator's), where registered clients tap their alias. Clients have no
 * logins, so the page is never public. The token is valid only until the session ends; it is
 * stored as issued (not hashed) so the facilitator can show the same code again while it lasts —
 * on its own it grants nothing without a signed-in attendance-taker.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import QRCode from "qrcode";
import type { Db } from "#db/client";
import { attendance, clients, groupSessions, sessionRegistrations, type ATTENDANCE_STATUSES } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { sessionAccess, type Viewer } from "./sessions.server";

type Reader = Pick<Db, "select">;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** Minutes after the start from which a self check-in counts as late. */
export const LATE_AFTER_MINUTES = 15;

/** May the viewer take attendance for this session: a facilitator, or a coordinator of its district. */
export function mayTakeAttendance(db: Reader, viewer: Viewer, sessionId: number): boolean {
  const access = sessionAccess(db, viewer, sessionId);
  return !!access && (access.canAttend || access.canEdit);
}

export type AttendanceLine = { clientId: number; alias: string; status: AttendanceStatus | null; checkedInAt: string | null };

/** The registered clients of a session, by alias, with any mark already taken. */
export function attendanceSheet(db: Reader, sessionId: number): AttendanceLine[] {
  const rows = db
    .select({ clientId: clients.id, alias: clients.alias, status: attendance.status, checkedInAt: attendance.checkedInAt })
    .from(sessionRegistrations)
    .innerJoin(clients, eq(clients.id, sessionRegistrations.clientId))
    .leftJoin(attendance, and(eq(attendance.sessionId, sessionRegistrations.sessionId), eq(attendance.clientId, sessionRegistrations.clientId)))
    .where(and(eq(sessionRegistrations.sessionId, sessionId), eq(sessionRegistrations.status, "registered")))
    .orderBy(asc(clients.alias), asc(clients.id))
    .all();
  return rows.map((r) => ({ ...r, status: r.status ?? null }));
}

function upsertMark(
  tx: Pick<Db, "select" | "insert" | "update">,
  values: { sessionId: number; clientId: number; status: AttendanceStatus; checkedInAt?: string | null; recordedByUserId: number | null },
) {
  const now = new Date().toISOString();
  const existing = tx
    .select({ id: attendance.id })
    .from(attendance)
    .where(and(eq(attendance.sessionId, values.sessionId), eq(attendance.clientId, values.clientId)))
    .get();
  if (existing) {
    const set: Partial<typeof attendance.$inferInsert> = { status: values.status, recordedByUserId: values.recordedByUserId, updatedAt: now };
    if (values.checkedInAt !== undefined) set.checkedInAt = values.checkedInAt;
    tx.update(attendance).set(set).where(eq(attendance.id, existing.id)).run();
    return existing.id;
  }
  return tx
    .insert(attendance)
    .values({ sessionId: values.sessionId, clientId: values.clientId, status: values.status, checkedInAt: values.checkedInAt ?? null, recordedByUserId: values.recordedByUserId })
    .returning({ id: attendance.id })
    .get().id;
}

/**
 * Saves the marks for a session's registered clients in one go and marks the session held.
 * A client who is not registered is an unknown id. Audited.
 */
export function recordAttendance(
  db: Db,
  actor: Actor,
  viewer: Viewer,
  sessionId: number,
  marks: readonly { clientId: number; status: AttendanceStatus }[],
): { saved: number } {
  return db.transaction((tx) => {
    const access = sessionAccess(tx, viewer, sessionId);
    if (!access) throw new DomainError("form.unknownId");
    if (!access.canAttend && !access.canEdit) throw new DomainError("sessions.error.notFacilitator");
    if (access.session.status === "cancelled") throw new DomainError("sessions.error.cancelledSession");
    const registered = new Set(attendanceSheet(tx, sessionId).map((l) => l.clientId));
    for (const m of marks) if (!registered.has(m.clientId)) throw new DomainError("form.unknownId", `status-${m.clientId}`);
    for (const m of marks) upsertMark(tx, { sessionId, clientId: m.clientId, status: m.status, recordedByUserId: actor.userId });
    const now = new Date().toISOString();
    if (access.session.status !== "held") {
      tx.update(groupSessions).set({ status: "held", sequence: access.session.sequence + 1, updatedAt: now }).where(eq(groupSessions.id, sessionId)).run();
    }
    recordAudit(tx, actor, {
      action: "attendance",
      entity: "group_session",
      entityId: sessionId,
      details: { marks: marks.map((m) => ({ clientId: m.clientId, status: m.status })) },
    });
    return { saved: marks.length };
  });
}

/** Issues (or keeps) the session's check-in token; a facilitator's or coordinator's act. Audited when new. */
export function issueCheckInToken(db: Db, actor: Actor, viewer: Viewer, sessionId: number, now: Date = new Date()): string {
  return db.transaction((tx) => {
    const access = sessionAccess(tx, viewer, sessionId);
    if (!access) throw new DomainError("form.unknownId");
    if (!access.canAttend && !access.canEdit) throw new DomainError("sessions.error.notFacilitator");
    if (access.session.status === "cancelled") throw new DomainError("sessions.error.cancelledSession");
    if (access.session.endsAt <= now.toISOString()) throw new DomainError("sessions.checkin.expired");
    if (access.session.checkInToken) return access.session.checkInToken;
    const token = randomBytes(18).toString("base64url");
    tx.update(groupSessions).set({ checkInToken: token, updatedAt: now.toISOString() }).where(eq(groupSessions.id, sessionId)).run();
    recordAudit(tx, actor, { action: "issue_check_in", entity: "group_session", entityId: sessionId, details: {} });
    return token;
  });
}

/** Is this the session's check-in token, and has the session not ended yet? */
export function checkInValid(db: Reader, sessionId: number, token: string, now: Date = new Date()): boolean {
  const session = db.select().from(groupSessions).where(eq(groupSessions.id, sessionId)).get();
  if (!session || !session.checkInToken || session.status === "cancelled") return false;
  const a = Buffer.from(session.checkInToken);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
  return now.toISOString() < session.endsAt;
}

/**
 * A registered client checks in on a signed-in phone opened with the session's code: present, or
 * late after LATE_AFTER_MINUTES. Refused once the session has ended. A mark already taken by a
 * facilitator is kept (only the check-in time is added). Audited.
 */
export function checkIn(db: Db, actor: Actor, sessionId: number, token: string, clientId: number, now: Date = new Date()): AttendanceStatus {
  return db.transaction((tx) => {
    if (!checkInValid(tx, sessionId, token, now)) throw new DomainError("sessions.checkin.expired");
    const session = tx.select().from(groupSessions).where(eq(groupSessions.id, sessionId)).get()!;
    const line = attendanceSheet(tx, sessionId).find((l) => l.clientId === clientId);
    if (!line) throw new DomainError("form.unknownId", "clientId");
    const lateFrom = new Date(Date.parse(session.startsAt) + LATE_AFTER_MINUTES * 60_000);
    const status: AttendanceStatus = line.status ?? (now > lateFrom ? "late" : "present");
    const id = upsertMark(tx, { sessionId, clientId, status, checkedInAt: now.toISOString(), recordedByUserId: actor.userId });
    recordAudit(tx, actor, { action: "check_in", entity: "attendance", entityId: id, details: { sessionId, clientId, status } });
    return status;
  });
}

/** How many of these sessions have any attendance recorded (for the coordinator's week). */
export function sessionsWithAttendance(db: Reader, sessionIds: readonly number[]): Set<number> {
  if (sessionIds.length === 0) return new Set();
  return new Set(
    db
      .select({ sessionId: attendance.sessionId })
      .from(attendance)
      .where(inArray(attendance.sessionId, [...sessionIds]))
      .groupBy(attendance.sessionId)
      .all()
      .map((r) => r.sessionId),
  );
}

/** The session's current check-in token, while the session has not ended; else null. */
export function currentCheckInToken(db: Reader, sessionId: number, now: Date = new Date()): { token: string; endsAt: string } | null {
  const session = db.select().from(groupSessions).where(eq(groupSessions.id, sessionId)).get();
  if (!session?.checkInToken || session.status === "cancelled" || session.endsAt <= now.toISOString()) return null;
  return { token: session.checkInToken, endsAt: session.endsAt };
}

/** The check-in QR code: an SVG (paths only, no scripts) encoding the check-in page's URL. */
export function checkInQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
}

/** The page the check-in QR code opens. */
export function checkInUrl(origin: string, sessionId: number, token: string): string {
  return `${origin}/sessions/${sessionId}/check-in?token=${encodeURIComponent(token)}`;
}
