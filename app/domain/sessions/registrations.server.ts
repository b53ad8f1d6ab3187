/**
 * Registration and waitlist (issue "Studios, peer-education groups and group sessions" item 6).
 *
 * A client's current social worker or peer tutor registers them for a session (or for every
 * future scheduled session of a group). Past capacity the client joins the waitlist, in order of
 * `waitlisted_at` (then id). A freed place — a registration cancelled, or a capacity raised
 * (`promoteWaitlist`, for the session edit to call) — goes to the first waitlisted client in the
 * same transaction, audited, and their current workers are notified.
 *
 * A coordinator (edit:session in the studio's district) may register a client of their district
 * past capacity with a recorded reason (`overrideReason`).
 *
 * Registering needs a current consent (requireCurrentConsent). Clients have no logins.
 */
import { and, asc, count, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Db } from "#db/client";
import { clientAssignments, clients, groupSessions, sessionRegistrations, studios, users } from "#db/schema";
import type { SessionUser } from "~/auth/roles";
import { recordAudit, type Actor } from "~/domain/audit";
import { clientAccess, requireCurrentConsent } from "~/domain/clients";
import { DomainError } from "~/domain/shared/errors";
import { notify, sessionLink } from "./notifications.server";
import { canEditAt, programTimeZone, type Tx } from "./sessions.server";
import { localDateOf } from "./time";

type Reader = Pick<Db, "select">;
export type RegistrationViewer = Pick<SessionUser, "id" | "personId" | "roles">;
export type RegistrationStatus = "registered" | "waitlisted";

export const OVERRIDE_REASON_MAX = 500;

function sessionWithDistrict(db: Reader, sessionId: number) {
  return db
    .select({ session: groupSessions, districtId: studios.districtId })
    .from(groupSessions)
    .innerJoin(studios, eq(studios.id, groupSessions.studioId))
    .where(eq(groupSessions.id, sessionId))
    .get();
}

function registeredCount(db: Reader, sessionId: number): number {
  return (
    db
      .select({ n: count() })
      .from(sessionRegistrations)
      .where(and(eq(sessionRegistrations.sessionId, sessionId), eq(sessionRegistrations.status, "registered")))
      .get()?.n ?? 0
  );
}

/**
 * May the viewer register (or unregister) this client for a session of this district? Their
 * current social worker or peer tutor may; a coordinator scheduling in the district may for a
 * client they can read. Otherwise the client is "unknown" (no existence revealed).
 */
function requireRegistrar(db: Reader, viewer: RegistrationViewer, clientId: number, districtId: number) {
  const access = clientAccess(db, viewer, clientId);
  if (!access) throw new DomainError("form.unknownId", "clientId");
  const own = access.isSocialWorker || access.isPeerTutor;
  const coordinating = canEditAt(viewer, districtId) && access.can.read;
  if (!own && !coordinating) throw new DomainError("sessions.error.notYourClient", "clientId");
  return access;
}

function registerIn(
  tx: Tx,
  actor: Actor,
  viewer: RegistrationViewer,
  sessionId: number,
  clientId: number,
  overrideReason: string,
): RegistrationStatus {
  const row = sessionWithDistrict(tx, sessionId);
  if (!row) throw new DomainError("form.unknownId", "sessionId");
  const session = row.session;
  if (session.status !== "scheduled") throw new DomainError("sessions.error.notScheduled");
  requireRegistrar(tx, viewer, clientId, row.districtId);
  const timeZone = programTimeZone(tx);
  requireCurrentConsent(tx, clientId, localDateOf(new Date(), timeZone));
  const reason = overrideReason.trim();
  if (reason && !canEditAt(viewer, row.districtId)) throw new DomainError("sessions.error.overrideNotAllowed", "overrideReason");

  const existing = tx
    .select()
    .from(sessionRegistrations)
    .where(and(eq(sessionRegistrations.sessionId, sessionId), eq(sessionRegistrations.clientId, clientId)))
    .get();
  if (existing && existing.status !== "cancelled") throw new DomainError("sessions.error.alreadyRegistered", "clientId");

  const full = registeredCount(tx, sessionId) >= session.capacity;
  const now = new Date().toISOString();
  const status: RegistrationStatus = full && !reason ? "waitlisted" : "registered";
  const values = {
    status,
    waitlistedAt: status === "waitlisted" ? now : null,
    registeredByUserId: actor.userId,
    overrideReason: full && reason ? reason : "",
    updatedAt: now,
  };
  let id: number;
  if (existing) {
    tx.update(sessionRegistrations).set(values).where(eq(sessionRegistrations.id, existing.id)).run();
    id = existing.id;
  } else {
    id = tx.insert(sessionRegistrations).values({ sessionId, clientId, ...values }).returning({ id: sessionRegistrations.id }).get().id;
  }
  recordAudit(tx, actor, {
    action: full && reason ? "register_override" : status === "waitlisted" ? "waitlist" : "register",
    entity: "session_registration",
    entityId: id,
    details: { sessionId, clientId, status, ...(full && reason ? { overrideReason: reason, capacity: session.capacity } : {}) },
  });
  return status;
}

/**
 * Registers a client for one session: "registered" while places remain, else "waitlisted" — or
 * "registered" past capacity when a coordinator gives an override reason. Audited.
 */
export function registerForSession(
  db: Db,
  actor: Actor,
  viewer: RegistrationViewer,
  sessionId: number,
  clientId: number,
  options: { overrideReason?: string } = {},
): RegistrationStatus {
  return db.transaction((tx) => registerIn(tx, actor, viewer, sessionId, clientId, options.overrideReason ?? ""));
}

/**
 * Registers a client for every future scheduled session of a group (sessions they are already on
 * are left as they are). Returns how many were registered and waitlisted.
 */
export function registerForGroup(
  db: Db,
  actor: Actor,
  viewer: RegistrationViewer,
  groupId: number,
  clientId: number,
  options: { overrideReason?: string; now?: Date } = {},
): { registered: number; waitlisted: number } {
  return db.transaction((tx) => {
    const now = (options.now ?? new Date()).toISOString();
    const sessions = tx
      .select({ id: groupSessions.id })
      .from(groupSessions)
      .where(and(eq(groupSessions.groupId, groupId), eq(groupSessions.status, "scheduled"), gt(groupSessions.startsAt, now)))
      .orderBy(asc(groupSessions.startsAt))
      .all();
    if (sessions.length === 0) throw new DomainError("sessions.error.noFutureSessions", "groupId");
    const taken = new Set(
      tx
        .select({ sessionId: sessionRegistrations.sessionId })
        .from(sessionRegistrations)
        .where(
          and(
            eq(sessionRegistrations.clientId, clientId),
            inArray(sessionRegistrations.sessionId, sessions.map((s) => s.id)),
            inArray(sessionRegistrations.status, ["registered", "waitlisted"]),
          ),
        )
        .all()
        .map((r) => r.sessionId),
    );
    const out = { registered: 0, waitlisted: 0 };
    for (const s of sessions) {
      if (taken.has(s.id)) continue;
      const status = registerIn(tx, actor, viewer, s.id, clientId, options.overrideReason ?? "");
      out[status] += 1;
    }
    return out;
  });
}

/**
 * Cancels a client's registration (or waitlist place). A freed place goes to the first on the
 * waitlist in the same transaction. Returns the clients promoted.
 */
export function cancelRegistration(db: Db, actor: Actor, viewer: RegistrationViewer, sessionId: number, clientId: number): { promoted: number[] } {
  return db.transaction((tx) => {
    const row = sessionWithDistrict(tx, sessionId);
    if (!row) throw new DomainError("form.unknownId", "sessionId");
    requireRegistrar(tx, viewer, clientId, row.districtId);
    const reg = tx
      .select()
      .from(sessionRegistrations)
      .where(and(eq(sessionRegistrations.sessionId, sessionId), eq(sessionRegistrations.clientId, clientId)))
      .get();
    if (!reg || reg.status === "cancelled") throw new DomainError("form.unknownId", "clientId");
    const now = new Date().toISOString();
    tx.update(sessionRegistrations).set({ status: "cancelled", waitlistedAt: null, updatedAt: now }).where(eq(sessionRegistrations.id, reg.id)).run();
    recordAudit(tx, actor, { action: "cancel", entity: "session_registration", entityId: reg.id, details: { sessionId, clientId, was: reg.status } });
    const promoted = row.session.status === "scheduled" ? promoteWaitlist(tx, actor, sessionId) : [];
    return { promoted };
  });
}

/**
 * Fills free places from the waitlist, first come first served, inside the caller's transaction:
 * each promotion is audited and the promoted client's current social worker and peer tutor are
 * notified. Call after anything that frees a place (a cancelled registration, a raised capacity).
 */
export function promoteWaitlist(tx: Tx, actor: Actor, sessionId: number): number[] {
  const session = tx.select().from(groupSessions).where(eq(groupSessions.id, sessionId)).get();
  if (!session || session.status !== "scheduled") return [];
  const free = session.capacity - registeredCount(tx, sessionId);
  if (free <= 0) return [];
  const next = tx
    .select({ id: sessionRegistrations.id, clientId: sessionRegistrations.clientId })
    .from(sessionRegistrations)
    .where(and(eq(sessionRegistrations.sessionId, sessionId), eq(sessionRegistrations.status, "waitlisted")))
    .orderBy(asc(sessionRegistrations.waitlistedAt), asc(sessionRegistrations.id))
    .limit(free)
    .all();
  const now = new Date().toISOString();
  for (const r of next) {
    tx.update(sessionRegistrations).set({ status: "registered", waitlistedAt: null, updatedAt: now }).where(eq(sessionRegistrations.id, r.id)).run();
    const workers = tx
      .select({ userId: users.id })
      .from(clientAssignments)
      .innerJoin(users, eq(users.personId, clientAssignments.personId))
      .where(and(eq(clientAssignments.clientId, r.clientId), isNull(clientAssignments.toDate), eq(users.active, true)))
      .all()
      .map((u) => u.userId);
    const alias = tx.select({ alias: clients.alias }).from(clients).where(eq(clients.id, r.clientId)).get()?.alias ?? "";
    const notified = notify(tx, workers, {
      kind: "waitlistPromoted",
      messageKey: "sessions.notice.promoted",
      params: { topic: session.topic, startsAt: session.startsAt, alias },
      link: sessionLink(sessionId),
    });
    recordAudit(tx, actor, { action: "promote", entity: "session_registration", entityId: r.id, details: { sessionId, clientId: r.clientId, notified } });
  }
  return next.map((r) => r.clientId);
}

export type RegistrationRow = {
  clientId: number;
  alias: string;
  status: "registered" | "waitlisted";
  /** 1-based place on the waitlist; null when registered */
  place: number | null;
  overrideReason: string;
  /** the viewer is this client's current social worker or peer tutor */
  mine: boolean;
};

/**
 * The registered and waitlisted clients of a session, by alias, that the viewer may see: all of
 * them for its facilitators and those scheduling in its district; otherwise only the viewer's own
 * clients (a peer tutor sees others' clients only for sessions they facilitate).
 */
export function sessionRegistrationList(db: Reader, viewer: RegistrationViewer, sessionId: number, seeAll: boolean): RegistrationRow[] {
  const mineIds = new Set(
    viewer.personId == null
      ? []
      : db
          .select({ clientId: clientAssignments.clientId })
          .from(clientAssignments)
          .innerJoin(sessionRegistrations, eq(sessionRegistrations.clientId, clientAssignments.clientId))
          .where(and(eq(sessionRegistrations.sessionId, sessionId), eq(clientAssignments.personId, viewer.personId), isNull(clientAssignments.toDate)))
          .all()
          .map((r) => r.clientId),
  );
  const rows = db
    .select({
      clientId: sessionRegistrations.clientId,
      alias: clients.alias,
      status: sessionRegistrations.status,
      overrideReason: sessionRegistrations.overrideReason,
    })
    .from(sessionRegistrations)
    .innerJoin(clients, eq(clients.id, sessionRegistrations.clientId))
    .where(and(eq(sessionRegistrations.sessionId, sessionId), inArray(sessionRegistrations.status, ["registered", "waitlisted"])))
    .orderBy(asc(sessionRegistrations.status), asc(sessionRegistrations.waitlistedAt), asc(sessionRegistrations.id))
    .all();
  let place = 0;
  const out: RegistrationRow[] = [];
  for (const r of rows) {
    const status = r.status as "registered" | "waitlisted";
    const p = status === "waitlisted" ? ++place : null;
    if (!seeAll && !mineIds.has(r.clientId)) continue;
    out.push({ clientId: r.clientId, alias: r.alias, status, place: p, overrideReason: r.overrideReason, mine: mineIds.has(r.clientId) });
  }
  return out;
}

/** The viewer's current clients (as social worker or peer tutor), or a coordinator's district clients, for the register form. */
export function registrableClients(db: Reader, viewer: RegistrationViewer, districtId: number, coordinating: boolean): { id: number; alias: string }[] {
  const own =
    viewer.personId == null
      ? []
      : db
          .select({ id: clients.id, alias: clients.alias })
          .from(clientAssignments)
          .innerJoin(clients, eq(clients.id, clientAssignments.clientId))
          .where(and(eq(clientAssignments.personId, viewer.personId), isNull(clientAssignments.toDate), inArray(clients.status, ["active", "in_facility"])))
          .orderBy(asc(clients.alias))
          .all();
  if (!coordinating) return own;
  const district = db
    .select({ id: clients.id, alias: clients.alias })
    .from(clients)
    .where(and(eq(clients.districtId, districtId), inArray(clients.status, ["active", "in_facility"])))
    .orderBy(asc(clients.alias))
    .limit(500)
    .all();
  const seen = new Set(own.map((c) => c.id));
  return [...own, ...district.filter((c) => !seen.has(c.id))];
}
