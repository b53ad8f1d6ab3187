import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { assignWorker, currentAssignment } from "~/domain/clients";
import type { Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import {
  auditLog,
  clientAssignments,
  clients,
  cohorts,
  peerTutors,
  persons,
  trainingProgrammes,
  users,
  type ClientStatus,
} from "#db/schema";
import { makeDistrict, makeUser } from "../../factories";

let seq = 0;
let districtId: number;
let actor: Actor;
let cohortId: number;

function makeClient(status: ClientStatus = "active") {
  const n = ++seq;
  return getDb()
    .insert(clients)
    .values({
      caseNumber: `TEST-ASSIGN-${n}`,
      alias: `测试对象${n}（虚构）`,
      districtId,
      legalStatus: "community_rehab",
      intakeDate: "2025-01-10",
      riskLevel: "medium",
      status,
      closedOn: status === "closed" ? "2025-06-01" : null,
    })
    .returning()
    .get();
}

function personOf(userId: number): number {
  return getDb().select({ personId: users.personId }).from(users).where(eq(users.id, userId)).get()!.personId;
}

async function makeSocialWorker(): Promise<number> {
  const u = await makeUser([{ role: "social_worker", districtId: null }]);
  return personOf(u.id);
}

function makePeerTutor(status: "active" | "paused" | "alumni" | "revoked" = "active", expiresOn = "2030-12-31"): number {
  const n = ++seq;
  const db = getDb();
  const personId = db.insert(persons).values({ displayName: `测试辅导员${n}（虚构）` }).returning().get().id;
  db.insert(peerTutors)
    .values({ personId, cohortId, districtId, certificateNumber: `TEST-CERT-${n}`, certifiedOn: "2024-01-01", expiresOn, status })
    .run();
  return personId;
}

function expectDomainError(fn: () => unknown, key: string, field?: string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).key).toBe(key);
    if (field) expect((e as DomainError).field).toBe(field);
    return;
  }
  throw new Error(`expected DomainError ${key}`);
}

function assignmentsOf(clientId: number) {
  return getDb().select().from(clientAssignments).where(eq(clientAssignments.clientId, clientId)).orderBy(clientAssignments.id).all();
}

function auditFor(clientId: number) {
  return getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "client"), eq(auditLog.entityId, String(clientId))))
    .all();
}

beforeAll(async () => {
  districtId = makeDistrict().id;
  const coordinator = await makeUser([{ role: "coordinator", districtId }]);
  actor = { userId: coordinator.id, login: coordinator.login, ip: "127.0.0.1" };
  const db = getDb();
  const programmeId = db
    .insert(trainingProgrammes)
    .values({ code: "TEST-PROG", nameZh: "测试培训计划", nameEn: "Test Programme" })
    .returning()
    .get().id;
  cohortId = db
    .insert(cohorts)
    .values({ number: 901, programmeId, startsOn: "2023-09-01", endsOn: "2023-12-31", status: "certified" })
    .returning()
    .get().id;
});

describe("assignWorker", () => {
  it("makes a social worker the client's current one and records who did it in the audit log", async () => {
    const client = makeClient();
    const worker = await makeSocialWorker();
    const id = assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: worker, fromDate: "2026-01-05" });

    expect(currentAssignment(getDb(), client.id, "social_worker")).toMatchObject({
      id,
      personId: worker,
      fromDate: "2026-01-05",
      toDate: null,
      assignedBy: actor.userId,
    });
    const audit = auditFor(client.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "assign_worker", actorUserId: actor.userId });
    expect(audit[0]!.details).toMatchObject({ assignmentId: id, kind: "social_worker", personId: worker });
  });

  it("a new social worker ends the current one on the new start date, keeping the history", async () => {
    const client = makeClient();
    const first = await makeSocialWorker();
    const second = await makeSocialWorker();
    const a = assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: first, fromDate: "2026-01-05" });
    const b = assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: second, fromDate: "2026-03-01" });

    const rows = assignmentsOf(client.id);
    expect(rows.map((r) => [r.id, r.personId, r.fromDate, r.toDate])).toEqual([
      [a, first, "2026-01-05", "2026-03-01"],
      [b, second, "2026-03-01", null],
    ]);
    expect(auditFor(client.id).at(-1)!.details).toMatchObject({ endedAssignmentId: a, previousPersonId: first });
  });

  it("a client can have one current social worker and one current peer tutor at the same time", async () => {
    const client = makeClient();
    const worker = await makeSocialWorker();
    const tutor = makePeerTutor();
    assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: worker, fromDate: "2026-01-05" });
    assignWorker(getDb(), actor, { clientId: client.id, kind: "peer_tutor", personId: tutor, fromDate: "2026-01-06" });

    expect(currentAssignment(getDb(), client.id, "social_worker")?.personId).toBe(worker);
    expect(currentAssignment(getDb(), client.id, "peer_tutor")?.personId).toBe(tutor);
  });

  it("the database refuses a second current assignment of the same kind inserted any other way", async () => {
    const client = makeClient();
    const first = await makeSocialWorker();
    const second = await makeSocialWorker();
    assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: first, fromDate: "2026-01-05" });

    const insertCurrent = () =>
      getDb()
        .insert(clientAssignments)
        .values({ clientId: client.id, kind: "social_worker", personId: second, fromDate: "2026-02-01" })
        .run();
    expect(insertCurrent).toThrow(/UNIQUE constraint failed: client_assignments\.client_id, client_assignments\.kind/);

    // an ended (historical) assignment is fine next to the current one
    getDb()
      .insert(clientAssignments)
      .values({ clientId: client.id, kind: "social_worker", personId: second, fromDate: "2025-01-10", toDate: "2026-01-05" })
      .run();
    const current = getDb()
      .select()
      .from(clientAssignments)
      .where(and(eq(clientAssignments.clientId, client.id), isNull(clientAssignments.toDate)))
      .all();
    expect(current.map((r) => r.personId)).toEqual([first]);
  });

  it("refuses a person who is not a social worker, and writes nothing", async () => {
    const client = makeClient();
    const trainer = personOf((await makeUser([{ role: "trainer", districtId: null }])).id);
    expectDomainError(
      () => assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: trainer, fromDate: "2026-01-05" }),
      "clients.assign.notSocialWorker",
      "personId",
    );
    expect(assignmentsOf(client.id)).toEqual([]);
    expect(auditFor(client.id)).toEqual([]);
  });

  it("refuses a revoked, a paused or an expired peer tutor, and a social worker as peer tutor", async () => {
    const client = makeClient();
    for (const personId of [makePeerTutor("revoked"), makePeerTutor("paused"), makePeerTutor("active", "2025-12-31"), await makeSocialWorker()]) {
      expectDomainError(
        () => assignWorker(getDb(), actor, { clientId: client.id, kind: "peer_tutor", personId, fromDate: "2026-01-05" }),
        "clients.assign.notActivePeerTutor",
        "personId",
      );
    }
    expect(assignmentsOf(client.id)).toEqual([]);
  });

  it("refuses a start date before the current assignment began and leaves the current one open", async () => {
    const client = makeClient();
    const first = await makeSocialWorker();
    const second = await makeSocialWorker();
    assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: first, fromDate: "2026-03-01" });
    expectDomainError(
      () => assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: second, fromDate: "2026-02-28" }),
      "clients.assign.beforeCurrent",
      "fromDate",
    );
    expect(assignmentsOf(client.id).map((r) => [r.personId, r.toDate])).toEqual([[first, null]]);
    expect(auditFor(client.id)).toHaveLength(1);
  });

  it("refuses assigning the current worker again", async () => {
    const client = makeClient();
    const worker = await makeSocialWorker();
    assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: worker, fromDate: "2026-01-05" });
    expectDomainError(
      () => assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: worker, fromDate: "2026-02-01" }),
      "clients.assign.alreadyAssigned",
    );
    expect(assignmentsOf(client.id)).toHaveLength(1);
  });

  it("refuses unknown client and person ids", async () => {
    const client = makeClient();
    const worker = await makeSocialWorker();
    expectDomainError(
      () => assignWorker(getDb(), actor, { clientId: 999_999, kind: "social_worker", personId: worker, fromDate: "2026-01-05" }),
      "form.unknownId",
      "clientId",
    );
    expectDomainError(
      () => assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: 999_999, fromDate: "2026-01-05" }),
      "form.unknownId",
      "personId",
    );
  });

  it("refuses a closed client", async () => {
    const client = makeClient("closed");
    const worker = await makeSocialWorker();
    expectDomainError(
      () => assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: worker, fromDate: "2026-01-05" }),
      "clients.closed",
    );
  });

  it("refuses a start date that is not a calendar date", async () => {
    const client = makeClient();
    const worker = await makeSocialWorker();
    expectDomainError(
      () => assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: worker, fromDate: "2026-02-30" }),
      "form.invalidDate",
      "fromDate",
    );
  });
});
