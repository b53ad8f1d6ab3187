/**
 * Three-year recognition (认定) and the request to the police to lift dynamic monitoring
 * (动态管控的解除). Eligibility is DESIGN.md §5's, decided only by isEligibleForRecognition; this
 * module fetches the facts (scoped in SQL), explains a refusal, and records — audited, in one
 * transaction, under a current consent — a recognition and each step of a lift request:
 * draft → sent (with its date) → granted or refused (with date and note), in that order only.
 */
import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { clientIdentities, clients, districts, monitoringLiftRequests, persons, recognitions, users, type LiftRequestStatus } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { getSettings } from "~/domain/settings";
import { DomainError } from "~/domain/shared/errors";
import { choice, isoDate, msg, optionalText, text } from "~/domain/shared/fields";
import { clientScope, type ClientAccess, type Viewer } from "./access.server";
import { requireCurrentConsent } from "./assignments.server";
import { daysBetween, parseDate } from "./dates";
import { isUniqueViolation, restartingEvents } from "./events.server";
import { abstinentSinceSql, eligibleSql } from "./outcomes-sql.server";
import { worklistClientColumns } from "./worklist-rows.server";
import { windowTotal } from "~/domain/shared/paging";
import {
  abstinentSince,
  isClosedAsOf,
  isEligibleForRecognition,
  isRecognised,
  threeYearsAfter,
  type RecognitionCandidate,
} from "./outcomes";

type Reader = Pick<Db, "select">;

export const LIFT_OUTCOMES = ["granted", "refused"] as const;
export type LiftOutcome = (typeof LIFT_OUTCOMES)[number];
export const EVIDENCE_MAX = 2000;
export const LIFT_NOTE_MAX = 1000;

/** The field rules of the recognition and lift-request forms. */
export const RECOGNITION_FIELDS = {
  recognisedOn: isoDate,
  evidence: text({ max: EVIDENCE_MAX, multiline: true }),
  sentOn: isoDate,
  decidedOn: isoDate,
  outcome: choice(LIFT_OUTCOMES),
  note: text({ max: LIFT_NOTE_MAX, multiline: true }),
  optionalNote: optionalText({ max: LIFT_NOTE_MAX, multiline: true }),
};

/**
 * Why a client is not eligible at D, as a message key (with params), or null when eligible. The
 * verdict is isEligibleForRecognition's; this only names the first condition that fails.
 * Any recognition at all (even one dated after D) counts as "already recognised": a client is
 * recognised once.
 */
export function ineligibilityReason(candidate: RecognitionCandidate, asOf: string): string | null {
  const first = [...candidate.recognitions].sort((a, b) => (a.recognisedOn < b.recognisedOn ? -1 : 1))[0];
  if (first) return msg("casework.recognition.already", { date: first.recognisedOn });
  if (isEligibleForRecognition(candidate, asOf)) return null;
  if (candidate.intakeDate > asOf) return msg("casework.recognition.notServed", { date: candidate.intakeDate });
  if (isClosedAsOf(candidate, asOf)) return "casework.recognition.closed";
  const since = abstinentSince(candidate.intakeDate, candidate.events, asOf);
  return msg("casework.recognition.notYet", { since, from: threeYearsAfter(since) });
}

export type RecognitionRow = { id: number; recognisedOn: string; recognisedBy: string; evidence: string; createdAt: string };

function recognitionRows(db: Reader, clientId: number): RecognitionRow[] {
  return db
    .select({
      id: recognitions.id,
      recognisedOn: recognitions.recognisedOn,
      recognisedBy: persons.displayName,
      evidence: recognitions.evidence,
      createdAt: recognitions.createdAt,
    })
    .from(recognitions)
    .innerJoin(users, eq(users.id, recognitions.recognisedByUserId))
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(recognitions.clientId, clientId))
    .orderBy(asc(recognitions.recognisedOn), asc(recognitions.id))
    .all();
}

function candidateOf(db: Reader, client: typeof clients.$inferSelect, asOf: string): RecognitionCandidate {
  return {
    intakeDate: client.intakeDate,
    status: client.status,
    closedOn: client.closedOn,
    events: restartingEvents(db, client.id, asOf),
    recognitions: db.select({ recognisedOn: recognitions.recognisedOn }).from(recognitions).where(eq(recognitions.clientId, client.id)).all(),
  };
}

export type RecognitionStatus = {
  recognitions: RecognitionRow[];
  recognised: boolean;
  eligible: boolean;
  /** why not, as a message key; null when eligible */
  reason: string | null;
  since: string;
  /** the day three calendar years of abstinence are complete */
  eligibleFrom: string;
};

/** Where one client stands on recognition as of D. */
export function recognitionStatus(db: Reader, client: typeof clients.$inferSelect, asOf: string): RecognitionStatus {
  const candidate = candidateOf(db, client, asOf);
  const since = abstinentSince(client.intakeDate, candidate.events, asOf);
  const reason = ineligibilityReason(candidate, asOf);
  return {
    recognitions: recognitionRows(db, client.id),
    recognised: isRecognised(candidate.recognitions, asOf),
    eligible: reason === null,
    reason,
    since,
    eligibleFrom: threeYearsAfter(since),
  };
}

export type RecognitionInput = { clientId: number; recognisedOn: string; evidence: string; today: string };

/**
 * Records the three-year recognition of a client by the acting social worker. Refused
 * (DomainError) for a date after today, without a current consent, or when the client is not
 * eligible on that date — with the reason ("casework.recognition.notYet?since=…&from=…",
 * "…closed", "…already?date=…", "…notServed?date=…"). Returns the recognition id.
 */
export function recordRecognition(db: Db, actor: Actor, input: RecognitionInput): number {
  parseDate(input.today);
  try {
    parseDate(input.recognisedOn);
  } catch {
    throw new DomainError("form.invalidDate", "recognisedOn");
  }
  if (actor.userId === null) throw new DomainError("form.unknownId");
  const userId = actor.userId;
  return db.transaction((tx) => {
    const client = tx.select().from(clients).where(eq(clients.id, input.clientId)).get();
    if (!client) throw new DomainError("form.unknownId", "clientId");
    if (input.recognisedOn > input.today) throw new DomainError("casework.recognition.future", "recognisedOn");
    requireCurrentConsent(tx, client.id, input.today);
    const reason = ineligibilityReason(candidateOf(tx, client, input.recognisedOn), input.recognisedOn);
    if (reason) throw new DomainError(reason);
    let id: number;
    try {
      id = tx
        .insert(recognitions)
        .values({ clientId: client.id, recognisedOn: input.recognisedOn, recognisedByUserId: userId, evidence: input.evidence })
        .returning({ id: recognitions.id })
        .get().id;
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError(msg("casework.recognition.already", { date: input.recognisedOn }));
      throw e;
    }
    recordAudit(tx, actor, {
      action: "record_recognition",
      entity: "client",
      entityId: client.id,
      details: { recognitionId: id, recognisedOn: input.recognisedOn },
    });
    return id;
  });
}

export type RecognitionWorklistRow = {
  clientId: number;
  alias: string;
  caseNumber: string;
  districtZh: string;
  districtEn: string;
  since: string;
  eligibleFrom: string;
  daysAbstinent: number;
};

/**
 * The social workers' worklist (DESIGN.md §5): clients the viewer may read (clientScope: their
 * caseload, their districts, or all) eligible for three-year recognition at D. The whole list is
 * decided in SQL — the filter is eligibleSql, the SQL twin of isEligibleForRecognition (proved
 * equal by tests/integration/reports/outcomes-sql.test.ts), the total a window count over the
 * same rows, the page LIMIT/OFFSET — so a page never loads the eligible set. Longest abstinent
 * first, then alias (SQLite's code-point order, the same on every server) and id.
 */
export function recognitionWorklist(
  db: Reader,
  viewer: Viewer,
  options: { asOf: string; districtId?: number | null; page: { limit: number; offset: number } },
): { rows: RecognitionWorklistRow[]; total: number } {
  const asOf = options.asOf;
  const where = and(
    clientScope(viewer, "read:client"),
    options.districtId ? eq(clients.districtId, options.districtId) : undefined,
    eligibleSql(asOf),
  )!;
  const since = sql<string>`${abstinentSinceSql(asOf)}`.as("since");
  const found = db
    .select({ ...worklistClientColumns, since })
    .from(clients)
    .innerJoin(districts, eq(districts.id, clients.districtId))
    .where(where)
    .orderBy(sql`"since"`, asc(clients.alias), asc(clients.id))
    .limit(options.page.limit)
    .offset(options.page.offset)
    .all();
  const total = windowTotal(found, options.page, () => db.select({ n: sql<number>`count(*)` }).from(clients).where(where).get()?.n ?? 0);
  const rows = found.map(({ total: _total, ...r }) => ({
    ...r,
    eligibleFrom: threeYearsAfter(r.since),
    daysAbstinent: daysBetween(r.since, asOf),
  }));
  return { rows, total };
}

// ---------------------------------------------------------------------------------------------
// Monitoring-lift requests

export type LiftRequestRow = {
  id: number;
  status: LiftRequestStatus;
  sentOn: string | null;
  decidedOn: string | null;
  note: string;
  createdAt: string;
};

/** A client's lift requests, newest first. */
export function listLiftRequests(db: Reader, clientId: number): LiftRequestRow[] {
  return db
    .select({
      id: monitoringLiftRequests.id,
      status: monitoringLiftRequests.status,
      sentOn: monitoringLiftRequests.sentOn,
      decidedOn: monitoringLiftRequests.decidedOn,
      note: monitoringLiftRequests.note,
      createdAt: monitoringLiftRequests.createdAt,
    })
    .from(monitoringLiftRequests)
    .where(eq(monitoringLiftRequests.clientId, clientId))
    .orderBy(desc(monitoringLiftRequests.id))
    .all();
}

function firstRecognitionOn(db: Reader, clientId: number, asOf: string): string | null {
  return (
    db
      .select({ on: recognitions.recognisedOn })
      .from(recognitions)
      .where(and(eq(recognitions.clientId, clientId), lte(recognitions.recognisedOn, asOf)))
      .orderBy(asc(recognitions.recognisedOn))
      .get()?.on ?? null
  );
}

/**
 * Starts a lift request (a draft) for a recognised client. Refused for a client not recognised by
 * today ("casework.lift.notRecognised"), when a draft or sent request is already open
 * ("casework.lift.openExists"), when monitoring was already lifted ("casework.lift.alreadyGranted"),
 * or without a current consent.
 */
export function createLiftRequest(db: Db, actor: Actor, input: { clientId: number; today: string }): number {
  parseDate(input.today);
  return db.transaction((tx) => {
    const client = tx.select({ id: clients.id }).from(clients).where(eq(clients.id, input.clientId)).get();
    if (!client) throw new DomainError("form.unknownId", "clientId");
    const recognised = tx.select({ recognisedOn: recognitions.recognisedOn }).from(recognitions).where(eq(recognitions.clientId, client.id)).all();
    if (!isRecognised(recognised, input.today)) throw new DomainError("casework.lift.notRecognised");
    requireCurrentConsent(tx, client.id, input.today);
    const existing = tx
      .select({ status: monitoringLiftRequests.status })
      .from(monitoringLiftRequests)
      .where(and(eq(monitoringLiftRequests.clientId, client.id), inArray(monitoringLiftRequests.status, ["draft", "sent", "granted"])))
      .all();
    if (existing.some((r) => r.status === "granted")) throw new DomainError("casework.lift.alreadyGranted");
    if (existing.length > 0) throw new DomainError("casework.lift.openExists");
    const id = tx.insert(monitoringLiftRequests).values({ clientId: client.id, status: "draft" }).returning({ id: monitoringLiftRequests.id }).get().id;
    recordAudit(tx, actor, { action: "lift_request_create", entity: "client", entityId: client.id, details: { requestId: id } });
    return id;
  });
}

function requestOf(tx: Reader, clientId: number, requestId: number) {
  const row = tx
    .select()
    .from(monitoringLiftRequests)
    .where(and(eq(monitoringLiftRequests.id, requestId), eq(monitoringLiftRequests.clientId, clientId)))
    .get();
  if (!row) throw new DomainError("form.unknownId", "requestId");
  return row;
}

/**
 * Marks a draft request as sent to the police on `sentOn`. Refused unless the request is a draft
 * ("casework.lift.notDraft"), for a date after today or before the client's recognition, or
 * without a current consent.
 */
export function sendLiftRequest(db: Db, actor: Actor, input: { clientId: number; requestId: number; sentOn: string; today: string }): void {
  parseDate(input.today);
  try {
    parseDate(input.sentOn);
  } catch {
    throw new DomainError("form.invalidDate", "sentOn");
  }
  db.transaction((tx) => {
    const request = requestOf(tx, input.clientId, input.requestId);
    if (request.status !== "draft") throw new DomainError("casework.lift.notDraft");
    if (input.sentOn > input.today) throw new DomainError("casework.lift.future", "sentOn");
    const recognisedOn = firstRecognitionOn(tx, input.clientId, input.today);
    if (recognisedOn === null) throw new DomainError("casework.lift.notRecognised");
    if (input.sentOn < recognisedOn) throw new DomainError(msg("casework.lift.beforeRecognition", { date: recognisedOn }), "sentOn");
    requireCurrentConsent(tx, input.clientId, input.today);
    tx.update(monitoringLiftRequests)
      .set({ status: "sent", sentOn: input.sentOn, updatedAt: new Date().toISOString() })
      .where(eq(monitoringLiftRequests.id, request.id))
      .run();
    recordAudit(tx, actor, { action: "lift_request_send", entity: "client", entityId: input.clientId, details: { requestId: request.id, sentOn: input.sentOn } });
  });
}

/**
 * Records the police's answer to a sent request: granted or refused, with the date and a note.
 * Refused unless the request was sent ("casework.lift.notSent"), for a date after today or
 * before the sending date, or without a current consent.
 */
export function decideLiftRequest(
  db: Db,
  actor: Actor,
  input: { clientId: number; requestId: number; outcome: LiftOutcome; decidedOn: string; note: string; today: string },
): void {
  parseDate(input.today);
  try {
    parseDate(input.decidedOn);
  } catch {
    throw new DomainError("form.invalidDate", "decidedOn");
  }
  db.transaction((tx) => {
    const request = requestOf(tx, input.clientId, input.requestId);
    if (request.status !== "sent") throw new DomainError("casework.lift.notSent");
    if (input.decidedOn > input.today) throw new DomainError("casework.lift.future", "decidedOn");
    if (request.sentOn && input.decidedOn < request.sentOn) throw new DomainError(msg("casework.lift.beforeSent", { date: request.sentOn }), "decidedOn");
    requireCurrentConsent(tx, input.clientId, input.today);
    tx.update(monitoringLiftRequests)
      .set({ status: input.outcome, decidedOn: input.decidedOn, note: input.note, updatedAt: new Date().toISOString() })
      .where(eq(monitoringLiftRequests.id, request.id))
      .run();
    recordAudit(tx, actor, {
      action: "lift_request_decide",
      entity: "client",
      entityId: input.clientId,
      details: { requestId: request.id, outcome: input.outcome, decidedOn: input.decidedOn },
    });
  });
}

export type LiftLetter = {
  organisationNameZh: string;
  organisationNameEn: string;
  alias: string;
  caseNumber: string;
  districtZh: string;
  districtEn: string;
  recognisedOn: string;
  abstinentSince: string;
  /** the letter's date */
  date: string;
};

/** What the printable lift-request letter says, or null when the client is not recognised by D. No real name here. */
export function liftLetter(db: Db, client: typeof clients.$inferSelect, asOf: string): LiftLetter | null {
  const recognisedOn = firstRecognitionOn(db, client.id, asOf);
  if (recognisedOn === null) return null;
  const settings = getSettings(db);
  const district = db.select({ zh: districts.nameZh, en: districts.nameEn }).from(districts).where(eq(districts.id, client.districtId)).get();
  return {
    organisationNameZh: settings.organisationNameZh,
    organisationNameEn: settings.organisationNameEn,
    alias: client.alias,
    caseNumber: client.caseNumber,
    districtZh: district?.zh ?? "",
    districtEn: district?.en ?? "",
    recognisedOn,
    abstinentSince: abstinentSince(client.intakeDate, restartingEvents(db, client.id, recognisedOn), recognisedOn),
    date: asOf,
  };
}

/**
 * Reads the client's real name for the lift letter, for a viewer allowed to reveal the identity
 * (access.can.revealIdentity, else "clients.notAllowed"): an audited reveal (action
 * reveal_identity, part lift_letter), recorded even when no identity is on file. Returns the
 * name, or null when none is recorded. Only the name is read: the letter needs nothing else.
 */
export function revealNameForLiftLetter(db: Db, actor: Actor, access: ClientAccess): string | null {
  if (!access.can.revealIdentity) throw new DomainError("clients.notAllowed");
  const clientId = access.client.id;
  return db.transaction((tx) => {
    const row = tx.select({ realName: clientIdentities.realName }).from(clientIdentities).where(eq(clientIdentities.clientId, clientId)).get();
    recordAudit(tx, actor, { action: "reveal_identity", entity: "client", entityId: clientId, details: { part: "lift_letter", found: Boolean(row) } });
    return row?.realName ?? null;
  });
}
