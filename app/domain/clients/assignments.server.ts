/**
 * Invariants of the clients area that need the database (DESIGN.md §3):
 * - a client has at most one current social worker and at most one current peer tutor;
 * - nothing is recorded for a client without a current consent.
 */
import { and, desc, eq, isNull, lte } from "drizzle-orm";
import Database from "better-sqlite3";
import type { Db } from "#db/client";
import {
  clientAssignments,
  clients,
  consents,
  persons,
  users,
  type AssignmentKind,
} from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { notify } from "~/domain/sessions/notifications.server";
import { DomainError } from "~/domain/shared/errors";
import { parseDate } from "./dates";
import { isActiveSocialWorker } from "~/domain/people/staff.server";
// directly, not through ~/domain/training: that index reaches back into this area
import { mayPractiseOn } from "~/domain/training/practise.server";

type Reader = Pick<Db, "select">;

export type AssignWorkerInput = { clientId: number; kind: AssignmentKind; personId: number; fromDate: string };

/** The current (to_date null) assignment of a kind, or undefined. */
export function currentAssignment(db: Reader, clientId: number, kind: AssignmentKind) {
  return db
    .select()
    .from(clientAssignments)
    .where(and(eq(clientAssignments.clientId, clientId), eq(clientAssignments.kind, kind), isNull(clientAssignments.toDate)))
    .get();
}

/**
 * Only an active, certified, unrevoked peer tutor can hold a caseload (DESIGN.md §3): the
 * training area's one "may practise" rule, which session scheduling uses too.
 */
function isActivePeerTutor(db: Reader, personId: number, onDate: string): boolean {
  return mayPractiseOn(db, personId, onDate);
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Database.SqliteError && e.code === "SQLITE_CONSTRAINT_UNIQUE";
}

/**
 * Makes `personId` the client's current social worker or peer tutor from `fromDate`. The current
 * assignment of that kind, if any, ends on the same date (to_date = fromDate: assignments cover
 * [from_date, to_date)). One transaction, audited. Refused (DomainError) when the client or
 * person is unknown, the client is closed, the person cannot hold that role, the person already
 * holds it, or fromDate is before the current assignment began. A second current assignment
 * made any other way is refused by the partial unique index client_assignments_active_uq.
 * Returns the new assignment's id.
 */
export function assignWorker(db: Db, actor: Actor, input: AssignWorkerInput): number {
  try {
    parseDate(input.fromDate);
  } catch {
    throw new DomainError("form.invalidDate", "fromDate");
  }
  return db.transaction((tx) => {
    const client = tx.select({ id: clients.id, status: clients.status }).from(clients).where(eq(clients.id, input.clientId)).get();
    if (!client) throw new DomainError("form.unknownId", "clientId");
    if (client.status === "closed") throw new DomainError("clients.closed");
    const person = tx.select({ id: persons.id }).from(persons).where(eq(persons.id, input.personId)).get();
    if (!person) throw new DomainError("form.unknownId", "personId");
    if (input.kind === "social_worker" && !isActiveSocialWorker(tx, input.personId)) {
      throw new DomainError("clients.assign.notSocialWorker", "personId");
    }
    if (input.kind === "peer_tutor" && !isActivePeerTutor(tx, input.personId, input.fromDate)) {
      throw new DomainError("clients.assign.notActivePeerTutor", "personId");
    }

    const current = currentAssignment(tx, input.clientId, input.kind);
    if (current) {
      if (current.personId === input.personId) throw new DomainError("clients.assign.alreadyAssigned", "personId");
      if (input.fromDate < current.fromDate) throw new DomainError("clients.assign.beforeCurrent", "fromDate");
      tx.update(clientAssignments)
        .set({ toDate: input.fromDate, updatedAt: new Date().toISOString() })
        .where(eq(clientAssignments.id, current.id))
        .run();
    }
    // The index client_assignments_active_uq is the last word: should another current
    // assignment appear by any other path, the insert fails and becomes a DomainError, not a 500.
    let id: number;
    try {
      id = tx
        .insert(clientAssignments)
        .values({ ...input, toDate: null, assignedBy: actor.userId })
        .returning({ id: clientAssignments.id })
        .get().id;
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError("clients.assign.alreadyActive");
      throw e;
    }
    recordAudit(tx, actor, {
      action: "assign_worker",
      entity: "client",
      entityId: input.clientId,
      details: {
        assignmentId: id,
        kind: input.kind,
        personId: input.personId,
        fromDate: input.fromDate,
        ...(current ? { endedAssignmentId: current.id, previousPersonId: current.personId } : {}),
      },
    });
    if (input.kind === "peer_tutor") notifyMenteeAssigned(tx, actor, input.clientId, input.personId);
    return id;
  });
}

/** Tells a peer tutor (their active logins, not the one assigning) that a client is now their mentee. */
function notifyMenteeAssigned(tx: Pick<Db, "select" | "insert">, actor: Actor, clientId: number, personId: number): void {
  const alias = tx.select({ alias: clients.alias }).from(clients).where(eq(clients.id, clientId)).get()?.alias ?? "";
  const logins = tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.personId, personId), eq(users.active, true)))
    .all()
    .map((u) => u.id)
    .filter((id) => id !== actor.userId);
  notify(tx, logins, { kind: "menteeAssigned", messageKey: "dashboard.notify.menteeAssigned", params: { alias }, link: `/clients/${clientId}` });
}

/**
 * A current consent covers `onDate` when it was agreed on or before that date and has not been
 * withdrawn. A withdrawn consent covers nothing any more, not even dates before the withdrawal:
 * once a client withdraws, nothing new is recorded under that consent. Throws
 * DomainError("clients.noConsent") otherwise; returns the covering consent's id (the latest).
 * Accepts a transaction, so a write can check inside its own transaction.
 */
export function requireCurrentConsent(db: Reader, clientId: number, onDate: string): number {
  parseDate(onDate);
  const row = db
    .select({ id: consents.id })
    .from(consents)
    .where(and(eq(consents.clientId, clientId), isNull(consents.withdrawnAt), lte(consents.agreedOn, onDate)))
    .orderBy(desc(consents.agreedOn), desc(consents.id))
    .get();
  if (!row) throw new DomainError("clients.noConsent");
  return row.id;
}
