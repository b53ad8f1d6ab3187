/**
 * A client's rights over what is held about them (PIPL articles 44–47): a complete copy of
 * everything held, printable and as JSON; correction requests and their outcomes. Withdrawal
 * of consent is in consent.server.ts (it also moves the case to closure).
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "#db/client";
import {
  attendance,
  barc10Assessments,
  clientAssignments,
  clientFlags,
  clientIdentities,
  clients,
  consents,
  contacts,
  correctionRequests,
  monitoringLiftRequests,
  persons,
  planGoals,
  recognitions,
  servicePlans,
  sessionRegistrations,
  substanceEvents,
  users,
} from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import type { ClientAccess } from "./access.server";

type Row = Record<string, unknown>;
export type HeldSection = { key: string; rows: Row[] };
export type HeldData = { clientId: number; caseNumber: string; alias: string; exportedAt: string; sections: HeldSection[] };

/** Internal bookkeeping that says nothing about the person. */
const OMIT = new Set(["updatedAt"]);

function plain(row: Row): Row {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !OMIT.has(k)));
}

function rowsOf(db: Pick<Db, "select">, table: SQLiteTable, column: SQLiteColumn, clientId: number): Row[] {
  return (db.select().from(table).where(eq(column, clientId)).all() as Row[]).map(plain);
}

/**
 * Everything Tongban holds about a client, section by section: the case, identity (only for a
 * viewer allowed to reveal it), consents, the case team's history, contacts (including private
 * notes: the copy is the client's), plans and goals, substance events, recognitions, BARC-10,
 * flags, monitoring-lift requests, session registrations and attendance, correction requests.
 * Audited as a view of the record and, when identity is included, as an identity read.
 */
export function subjectAccessExport(db: Db, actor: Actor, access: ClientAccess, now = new Date()): HeldData {
  if (!access.can.revealIdentity) throw new DomainError("clients.notAllowed");
  const id = access.client.id;
  const plans = rowsOf(db, servicePlans, servicePlans.clientId, id);
  const planIds = plans.map((p) => p.id as number);
  const team = db
    .select({
      kind: clientAssignments.kind,
      person: persons.displayName,
      fromDate: clientAssignments.fromDate,
      toDate: clientAssignments.toDate,
    })
    .from(clientAssignments)
    .innerJoin(persons, eq(persons.id, clientAssignments.personId))
    .where(eq(clientAssignments.clientId, id))
    .orderBy(asc(clientAssignments.fromDate))
    .all();
  const sections: HeldSection[] = [
    { key: "case", rows: rowsOf(db, clients, clients.id, id) },
    { key: "identity", rows: rowsOf(db, clientIdentities, clientIdentities.clientId, id) },
    { key: "consents", rows: rowsOf(db, consents, consents.clientId, id) },
    { key: "team", rows: team },
    { key: "contacts", rows: rowsOf(db, contacts, contacts.clientId, id) },
    { key: "plans", rows: plans },
    { key: "goals", rows: planIds.length ? (db.select().from(planGoals).where(inArray(planGoals.planId, planIds)).all() as Row[]).map(plain) : [] },
    { key: "events", rows: rowsOf(db, substanceEvents, substanceEvents.clientId, id) },
    { key: "recognitions", rows: rowsOf(db, recognitions, recognitions.clientId, id) },
    { key: "recovery", rows: rowsOf(db, barc10Assessments, barc10Assessments.clientId, id) },
    { key: "flags", rows: rowsOf(db, clientFlags, clientFlags.clientId, id) },
    { key: "liftRequests", rows: rowsOf(db, monitoringLiftRequests, monitoringLiftRequests.clientId, id) },
    { key: "registrations", rows: rowsOf(db, sessionRegistrations, sessionRegistrations.clientId, id) },
    { key: "attendance", rows: rowsOf(db, attendance, attendance.clientId, id) },
    { key: "corrections", rows: rowsOf(db, correctionRequests, correctionRequests.clientId, id) },
  ];
  db.transaction((tx) => {
    recordAudit(tx, actor, { action: "view", entity: "client", entityId: id, details: { section: "subject_access_export" } });
    if (sections[1]!.rows.length > 0) recordAudit(tx, actor, { action: "reveal_identity", entity: "client", entityId: id, details: { reason: "subject_access_export" } });
  });
  return { clientId: id, caseNumber: access.client.caseNumber, alias: access.client.alias, exportedAt: now.toISOString(), sections };
}

export const CORRECTION_TEXT_MAX = 1000;

export type CorrectionRow = {
  id: number;
  requestedOn: string;
  request: string;
  outcome: "pending" | "corrected" | "declined";
  outcomeNote: string;
  decidedOn: string | null;
  recordedBy: string;
  decidedBy: string | null;
};

export function listCorrectionRequests(db: Pick<Db, "select">, clientId: number): CorrectionRow[] {
  const rows = db
    .select({ c: correctionRequests, recordedBy: users.login })
    .from(correctionRequests)
    .innerJoin(users, eq(users.id, correctionRequests.recordedBy))
    .where(eq(correctionRequests.clientId, clientId))
    .orderBy(desc(correctionRequests.requestedOn), desc(correctionRequests.id))
    .all();
  const deciders = new Map(
    db
      .select({ id: users.id, login: users.login })
      .from(users)
      .where(inArray(users.id, [0, ...rows.map((r) => r.c.decidedBy ?? 0)]))
      .all()
      .map((u) => [u.id, u.login]),
  );
  return rows.map(({ c, recordedBy }) => ({
    id: c.id,
    requestedOn: c.requestedOn,
    request: c.request,
    outcome: c.outcome,
    outcomeNote: c.outcomeNote,
    decidedOn: c.decidedOn,
    recordedBy,
    decidedBy: c.decidedBy ? (deciders.get(c.decidedBy) ?? null) : null,
  }));
}

/** The client asks for something held about them to be corrected. Recorded by their social worker. */
export function recordCorrectionRequest(db: Db, actor: Actor, access: ClientAccess, input: { requestedOn: string; request: string }, today: string): number {
  if (!access.can.edit || actor.userId === null) throw new DomainError("clients.notAllowed");
  if (input.requestedOn > today) throw new DomainError("clients.dateInFuture", "requestedOn");
  if (input.requestedOn < access.client.intakeDate) throw new DomainError("privacy.rights.beforeIntake", "requestedOn");
  return db.transaction((tx) => {
    const row = tx
      .insert(correctionRequests)
      .values({ clientId: access.client.id, requestedOn: input.requestedOn, request: input.request, recordedBy: actor.userId! })
      .returning({ id: correctionRequests.id })
      .get();
    recordAudit(tx, actor, { action: "create", entity: "correction_request", entityId: row.id, details: { clientId: access.client.id } });
    return row.id;
  });
}

/** The outcome of a correction request: corrected (the record was changed) or declined, with a note. */
export function decideCorrectionRequest(
  db: Db,
  actor: Actor,
  access: ClientAccess,
  input: { requestId: number; outcome: "corrected" | "declined"; note: string; decidedOn: string },
  today: string,
): void {
  if (!access.can.edit || actor.userId === null) throw new DomainError("clients.notAllowed");
  if (input.decidedOn > today) throw new DomainError("clients.dateInFuture", "decidedOn");
  db.transaction((tx) => {
    const existing = tx
      .select()
      .from(correctionRequests)
      .where(and(eq(correctionRequests.id, input.requestId), eq(correctionRequests.clientId, access.client.id)))
      .get();
    if (!existing) throw new DomainError("privacy.rights.unknownRequest");
    if (existing.outcome !== "pending") throw new DomainError("privacy.rights.alreadyDecided");
    if (input.decidedOn < existing.requestedOn) throw new DomainError("privacy.rights.decidedBeforeRequested", "decidedOn");
    tx.update(correctionRequests)
      .set({ outcome: input.outcome, outcomeNote: input.note, decidedOn: input.decidedOn, decidedBy: actor.userId, updatedAt: new Date().toISOString() })
      .where(eq(correctionRequests.id, existing.id))
      .run();
    recordAudit(tx, actor, { action: "decide", entity: "correction_request", entityId: existing.id, details: { clientId: access.client.id, outcome: input.outcome } });
  });
}
