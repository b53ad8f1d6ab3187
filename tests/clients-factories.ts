/**
 * Builders for the clients area's test data. Every client, worker and tutor here is fictional and
 * named so ("测试对象N（化名）", "Test Client N (fictional)"). Raw inserts, so tests of other areas do not
 * depend on the clients domain functions; use the domain functions when the behaviour under test
 * is theirs.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "~/db.server";
import type { RoleGrant } from "~/auth/roles";
import {
  clientAssignments,
  clients,
  cohorts,
  consents,
  contacts,
  peerTutors,
  staffProfiles,
  trainingProgrammes,
  users,
  type AssignmentKind,
  type ClientStatus,
  type LegalStatus,
  type RiskLevel,
} from "#db/schema";
import { makeSignedInUser, makeUser } from "./factories";

let seq = 0;
const next = () => ++seq;

export function personOf(userId: number): number {
  return getDb().select({ personId: users.personId }).from(users).where(eq(users.id, userId)).get()!.personId;
}

export type MakeClientOptions = {
  districtId: number;
  subdistrictId?: number | null;
  pointId?: number | null;
  /** made the current social worker from the intake date */
  socialWorkerPersonId?: number;
  /** made the current peer tutor from the intake date */
  peerTutorPersonId?: number;
  /** a current consent (all purposes, sensitive information included) agreed on the intake date; default true */
  consent?: boolean;
  /** YYYY-MM-DD, default 2025-01-10 */
  intakeDate?: string;
  alias?: string;
  caseNumber?: string;
  status?: ClientStatus;
  riskLevel?: RiskLevel;
  legalStatus?: LegalStatus;
  /** who recorded the consent and made the assignments; default: a fresh admin user */
  byUserId?: number;
};

let recorderId: number | null = null;
async function defaultRecorder(): Promise<number> {
  if (recorderId === null) recorderId = (await makeUser([{ role: "admin", districtId: null }])).id;
  return recorderId;
}

/** A client with a fictional alias, optionally with a current social worker, peer tutor and consent. */
export async function makeClient(options: MakeClientOptions) {
  const n = next();
  const db = getDb();
  const intakeDate = options.intakeDate ?? "2025-01-10";
  const by = options.byUserId ?? (await defaultRecorder());
  const status = options.status ?? "active";
  const client = db
    .insert(clients)
    .values({
      caseNumber: options.caseNumber ?? `TEST-C-${Date.now().toString(36)}-${n}`,
      alias: options.alias ?? `测试对象${n}（化名）`,
      districtId: options.districtId,
      subdistrictId: options.subdistrictId ?? null,
      pointId: options.pointId ?? null,
      legalStatus: options.legalStatus ?? "community_rehab",
      intakeDate,
      riskLevel: options.riskLevel ?? "medium",
      status,
      closedOn: status === "closed" ? intakeDate : null,
      closedReason: status === "closed" ? "测试结案（虚构）" : "",
    })
    .returning()
    .get();
  if (options.socialWorkerPersonId) assignTo(client.id, "social_worker", options.socialWorkerPersonId, intakeDate, by);
  if (options.peerTutorPersonId) assignTo(client.id, "peer_tutor", options.peerTutorPersonId, intakeDate, by);
  if (options.consent ?? true) {
    db.insert(consents)
      .values({
        clientId: client.id,
        purposes: ["case_management", "peer_support", "group_sessions", "reporting"],
        sensitiveInfo: true,
        agreedOn: intakeDate,
        recordedBy: by,
      })
      .run();
  }
  return client;
}

/**
 * Makes `personId` the client's current worker of `kind` from `fromDate` (raw: no role checks), ending
 * the current one of that kind on the same date. Returns the assignment id.
 */
export function assignTo(clientId: number, kind: AssignmentKind, personId: number, fromDate = "2025-01-10", byUserId: number | null = null): number {
  const db = getDb();
  db.update(clientAssignments)
    .set({ toDate: fromDate })
    .where(and(eq(clientAssignments.clientId, clientId), eq(clientAssignments.kind, kind), isNull(clientAssignments.toDate)))
    .run();
  return db
    .insert(clientAssignments)
    .values({ clientId, kind, personId, fromDate, toDate: null, assignedBy: byUserId })
    .returning({ id: clientAssignments.id })
    .get().id;
}

export function assignSocialWorker(clientId: number, personId: number, fromDate?: string) {
  return assignTo(clientId, "social_worker", personId, fromDate);
}

export function assignPeerTutor(clientId: number, personId: number, fromDate?: string) {
  return assignTo(clientId, "peer_tutor", personId, fromDate);
}

/** Ends the client's current assignment of `kind` on `toDate` (raw). */
export function endAssignment(clientId: number, kind: AssignmentKind, toDate = "2025-06-01") {
  getDb()
    .update(clientAssignments)
    .set({ toDate })
    .where(and(eq(clientAssignments.clientId, clientId), eq(clientAssignments.kind, kind), isNull(clientAssignments.toDate)))
    .run();
}

/** A signed-in social worker (role scoped to the district) with an active social-worker staff profile there. */
export async function makeSocialWorker(districtId: number, extraRoles: RoleGrant[] = []) {
  const user = await makeSignedInUser([{ role: "social_worker", districtId }, ...extraRoles]);
  const personId = personOf(user.id);
  getDb().insert(staffProfiles).values({ personId, kind: "social_worker", districtId }).run();
  return { ...user, personId };
}

let cohortId: number | null = null;
/** One certified cohort (with its programme) per test database, for peer-tutor rows. */
export function testCohortId(): number {
  if (cohortId !== null) return cohortId;
  const db = getDb();
  const n = next();
  const programmeId = db
    .insert(trainingProgrammes)
    .values({ code: `TEST-PROG-CF-${n}`, nameZh: "测试培训计划（虚构）", nameEn: "Test Programme (fictional)" })
    .returning()
    .get().id;
  const maxNumber = db.select({ n: sql<number>`coalesce(max(${cohorts.number}), 0)` }).from(cohorts).get()?.n ?? 0;
  cohortId = db
    .insert(cohorts)
    .values({ number: Math.max(maxNumber, 8000) + 1, programmeId, startsOn: "2023-09-01", endsOn: "2023-12-31", status: "certified" })
    .returning()
    .get().id;
  return cohortId;
}

export type PeerTutorOptions = {
  status?: "active" | "paused" | "alumni" | "revoked";
  /** YYYY-MM-DD, default 2099-12-31 */
  expiresOn?: string;
};

/** A signed-in peer tutor (role scoped to the district) with a peer_tutors row (active, unexpired by default). */
export async function makePeerTutor(districtId: number, options: PeerTutorOptions = {}) {
  const user = await makeSignedInUser([{ role: "peer_tutor", districtId }]);
  const personId = personOf(user.id);
  const n = next();
  const peerTutorId = getDb()
    .insert(peerTutors)
    .values({
      personId,
      cohortId: testCohortId(),
      districtId,
      certificateNumber: `TEST-CERT-CF-${Date.now().toString(36)}-${n}`,
      certifiedOn: "2024-01-01",
      expiresOn: options.expiresOn ?? "2099-12-31",
      status: options.status ?? "active",
    })
    .returning({ id: peerTutors.id })
    .get().id;
  return { ...user, personId, peerTutorId };
}

/** A signed-in coordinator for the given districts. */
export async function makeCoordinator(districtIds: number[]) {
  const user = await makeSignedInUser(districtIds.map((districtId) => ({ role: "coordinator" as const, districtId })));
  return { ...user, personId: personOf(user.id) };
}

export type AddContactOptions = {
  clientId: number;
  authorUserId: number;
  /** UTC ISO instant, default now */
  happenedAt?: string;
  type?: string;
  summary?: string;
  durationMinutes?: number;
  private?: boolean;
  /** YYYY-MM-DD */
  nextContactDue?: string | null;
};

/** A contact log entry (raw insert; no consent or access checks). */
export function addContact(options: AddContactOptions) {
  return getDb()
    .insert(contacts)
    .values({
      clientId: options.clientId,
      authorUserId: options.authorUserId,
      type: options.type ?? "phone",
      happenedAt: options.happenedAt ?? new Date().toISOString(),
      durationMinutes: options.durationMinutes ?? 15,
      summary: options.summary ?? "测试帮教记录（虚构）",
      private: options.private ?? false,
      nextContactDue: options.nextContactDue ?? null,
    })
    .returning()
    .get();
}
