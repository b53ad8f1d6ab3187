/**
 * Role dashboards (issue 7 item 2): counts and top items per role on hand-built data, each item
 * linking to where the work is done; a coordinator sees their own districts only; the number of
 * statements a dashboard runs does not grow with the rows.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { certificates, clientFlags, users, volunteerHours } from "#db/schema";
import type { RoleGrant } from "~/auth/roles";
import { getDb } from "~/db.server";
import { recordAudit } from "~/domain/audit";
import { dashboardFor, type DashboardCard, type DashboardSection } from "~/domain/dashboard/dashboard.server";
import { loader as homeLoader } from "~/routes/_index";
import { makeDistrict, makeRequest, makeSignedInUser, makeStudio, respond } from "../../factories";
import { addContact, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeRawSession } from "../../sessions-factories";
import { enrol, makeCohort, makeQualifiedTrainee, makeTrainer } from "../../training-factories";

// Wednesday 25 November 2026, 12:00 in Shanghai; the week runs Monday 23 to Sunday 29
const NOW = new Date("2026-11-25T04:00:00.000Z");

const viewer = (id: number, personId: number, roles: RoleGrant[]) => ({ id, personId, roles });
const card = (sections: DashboardSection[], role: string, id: string): DashboardCard => {
  const found = sections.find((s) => s.role === role)?.cards.find((c) => c.id === id);
  if (!found) throw new Error(`no card ${role}/${id}`);
  return found;
};
const flag = (clientId: number, by: number) =>
  getDb().insert(clientFlags).values({ clientId, kind: "crisis", reason: "测试危机（虚构）", raisedByUserId: by, raisedAt: "2026-11-24T01:00:00.000Z" }).run();

let A: number, B: number;
let coordA: Awaited<ReturnType<typeof makeCoordinator>>, coordB: Awaited<ReturnType<typeof makeCoordinator>>;
let swA: Awaited<ReturnType<typeof makeSocialWorker>>;
let ptA: Awaited<ReturnType<typeof makePeerTutor>>;
let studioA: number;
const ids: Record<string, number> = {};

beforeAll(async () => {
  A = makeDistrict().id;
  B = makeDistrict().id;
  studioA = makeStudio(A).id;
  const studioB = makeStudio(B).id;
  coordA = await makeCoordinator([A]);
  coordB = await makeCoordinator([B]);
  swA = await makeSocialWorker(A);
  const swB = await makeSocialWorker(B);
  ptA = await makePeerTutor(A);
  // district A: one past session without attendance, one ahead without facilitator, one ahead
  // facilitated by the tutor, one cancelled, one next week
  ids.s1 = makeRawSession({ studioId: studioA, startsAt: "2026-11-24T02:00:00.000Z", endsAt: "2026-11-24T04:00:00.000Z", facilitatorIds: [ptA.personId], topic: "测试A过去（虚构）" }).id;
  ids.s2 = makeRawSession({ studioId: studioA, startsAt: "2026-11-26T02:00:00.000Z", endsAt: "2026-11-26T04:00:00.000Z", topic: "测试A无带领人（虚构）" }).id;
  ids.s5 = makeRawSession({ studioId: studioA, startsAt: "2026-11-26T06:00:00.000Z", endsAt: "2026-11-26T08:00:00.000Z", facilitatorIds: [ptA.personId], topic: "测试A同伴（虚构）" }).id;
  makeRawSession({ studioId: studioA, startsAt: "2026-11-27T02:00:00.000Z", endsAt: "2026-11-27T04:00:00.000Z", status: "cancelled" });
  makeRawSession({ studioId: studioA, startsAt: "2026-12-01T02:00:00.000Z", endsAt: "2026-12-01T04:00:00.000Z", facilitatorIds: [ptA.personId] });
  // district B: the same problems, which A's coordinator must never count
  ids.sb1 = makeRawSession({ studioId: studioB, startsAt: "2026-11-24T02:00:00.000Z", endsAt: "2026-11-24T04:00:00.000Z", facilitatorIds: [swB.personId] }).id;
  ids.sb2 = makeRawSession({ studioId: studioB, startsAt: "2026-11-26T02:00:00.000Z", endsAt: "2026-11-26T04:00:00.000Z" }).id;

  // clients: A1 never contacted (overdue) with a crisis; A2 contacted yesterday, the tutor's mentee
  ids.cA1 = (await makeClient({ districtId: A, socialWorkerPersonId: swA.personId, alias: "测试对象甲（化名）", intakeDate: "2026-01-05" })).id;
  ids.cA2 = (await makeClient({ districtId: A, socialWorkerPersonId: swA.personId, peerTutorPersonId: ptA.personId, alias: "测试对象乙（化名）", intakeDate: "2026-01-05" })).id;
  addContact({ clientId: ids.cA2, authorUserId: swA.id, happenedAt: "2026-11-24T03:00:00.000Z" });
  flag(ids.cA1, swA.id);
  ids.cB1 = (await makeClient({ districtId: B, socialWorkerPersonId: swB.personId, intakeDate: "2026-01-05" })).id;
  flag(ids.cB1, swB.id);

  // certificates: a tutor of each district expiring in 10 days, one of A far ahead
  ids.expA = (await makePeerTutor(A, { expiresOn: "2026-12-05" })).peerTutorId;
  await makePeerTutor(B, { expiresOn: "2026-12-05" });
  await makePeerTutor(A, { expiresOn: "2027-12-05" });

  // volunteer hours of the tutor: 90 minutes approved this year, 30 pending (in A), one approved last year
  getDb()
    .insert(volunteerHours)
    .values([
      { personId: ptA.personId, districtId: A, activity: "session", workedOn: "2026-10-01", minutes: 90, status: "approved" },
      { personId: ptA.personId, districtId: A, activity: "session", workedOn: "2026-11-20", minutes: 30, status: "pending" },
      { personId: ptA.personId, districtId: A, activity: "session", workedOn: "2025-10-01", minutes: 600, status: "approved" },
    ])
    .run();
});

describe("coordinator dashboard", () => {
  it("counts this week's sessions, unfilled slots, missing attendance, workers behind, flags and expiring certificates of their district only", () => {
    const d = dashboardFor(getDb(), viewer(coordA.id, coordA.personId, [{ role: "coordinator", districtId: A }]), NOW);
    expect(d.map((s) => s.role)).toEqual(["coordinator"]);
    expect(card(d, "coordinator", "weekSessions").count).toBe(3);
    expect(card(d, "coordinator", "weekSessions").items.map((i) => i.to)).toEqual([`/sessions/${ids.s2}`, `/sessions/${ids.s5}`]);
    const unfilled = card(d, "coordinator", "unfilled");
    expect(unfilled.count).toBe(1);
    expect(unfilled.items.map((i) => i.to)).toEqual([`/sessions/${ids.s2}`]);
    const noAttendance = card(d, "coordinator", "noAttendance");
    expect(noAttendance.count).toBe(1);
    expect(noAttendance.items[0]!.to).toBe(`/sessions/${ids.s1}/attendance`);
    const behind = card(d, "coordinator", "overdueByWorker");
    expect(behind.count).toBe(1);
    expect(behind.to).toBe("/caseloads/overdue");
    expect(behind.items[0]!.notes).toContainEqual(expect.objectContaining({ key: "dashboard.note.overdueOf", params: { overdue: 1, caseload: 2 } }));
    const flags = card(d, "coordinator", "flags");
    expect(flags.count).toBe(1);
    expect(flags.items.map((i) => i.to)).toEqual([`/clients/${ids.cA1}/flags`]);
    const expiring = card(d, "coordinator", "expiring");
    expect(expiring.count).toBe(1);
    expect(expiring.items.map((i) => i.to)).toEqual([`/registry/${ids.expA}`]);
    expect(card(d, "coordinator", "pendingHours").count).toBe(1);
  });

  it("a coordinator of another district sees that district's figures, none of A's items", () => {
    const d = dashboardFor(getDb(), viewer(coordB.id, coordB.personId, [{ role: "coordinator", districtId: B }]), NOW);
    expect(card(d, "coordinator", "weekSessions").count).toBe(2);
    expect(card(d, "coordinator", "unfilled").items.map((i) => i.to)).toEqual([`/sessions/${ids.sb2}`]);
    expect(card(d, "coordinator", "noAttendance").items.map((i) => i.to)).toEqual([`/sessions/${ids.sb1}/attendance`]);
    expect(card(d, "coordinator", "flags").items.map((i) => i.to)).toEqual([`/clients/${ids.cB1}/flags`]);
    expect(card(d, "coordinator", "expiring").count).toBe(1);
    expect(card(d, "coordinator", "pendingHours").count).toBe(0);
    const links = d.flatMap((s) => s.cards.flatMap((c) => c.items.map((i) => i.to)));
    const ofA = [`/sessions/${ids.s1}`, `/sessions/${ids.s2}`, `/sessions/${ids.s5}`, `/clients/${ids.cA1}`, `/clients/${ids.cA2}`, `/registry/${ids.expA}`];
    expect(links.filter((l) => ofA.some((a) => l === a || l.startsWith(`${a}/`)))).toEqual([]);
  });
});

describe("social worker and peer tutor dashboards", () => {
  it("a social worker sees the caseload overdue and crisis first, tasks due and their flags", () => {
    const d = dashboardFor(getDb(), viewer(swA.id, swA.personId, [{ role: "social_worker", districtId: A }]), NOW);
    const caseload = card(d, "social_worker", "caseload");
    expect(caseload.count).toBe(2);
    expect(caseload.items.map((i) => i.to)).toEqual([`/clients/${ids.cA1}`, `/clients/${ids.cA2}`]);
    expect(caseload.items[0]!.notes!.map((n) => n.key)).toEqual(["dashboard.note.crisis", "dashboard.note.neverContacted"]);
    expect(caseload.items[1]!.notes!.map((n) => n.key)).toEqual(["dashboard.note.onTrack"]);
    const tasks = card(d, "social_worker", "tasks");
    // a BARC-10 is due for each client never assessed
    expect(tasks.count).toBeGreaterThanOrEqual(2);
    expect(tasks.items.every((i) => i.to.startsWith("/clients/"))).toBe(true);
    expect(card(d, "social_worker", "flags").count).toBe(1);
  });

  it("a peer tutor sees their mentees and their next sessions (not past, not cancelled, two weeks ahead)", () => {
    const d = dashboardFor(getDb(), viewer(ptA.id, ptA.personId, [{ role: "peer_tutor", districtId: A }]), NOW);
    const mentees = card(d, "peer_tutor", "mentees");
    expect(mentees.count).toBe(1);
    expect(mentees.items[0]!.to).toBe(`/clients/${ids.cA2}`);
    const next = card(d, "peer_tutor", "nextSessions");
    expect(next.count).toBe(2);
    expect(next.items[0]!.to).toBe(`/sessions/${ids.s5}`);
    const hours = card(d, "peer_tutor", "myHours").facts!;
    expect(hours).toContainEqual(expect.objectContaining({ key: "dashboard.fact.hoursThisYear", params: { hours: "1.5" } }));
    expect(hours).toContainEqual(expect.objectContaining({ key: "dashboard.fact.hoursPending", params: { hours: "0.5" } }));
  });
});

describe("trainer and admin dashboards", () => {
  it("a trainer sees running cohorts, the trainee missing requirements linked to their page, and certificates expiring", async () => {
    const { cohort } = makeCohort({ status: "running" });
    const trainer = await makeTrainer(cohort.id);
    makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId, "测试合格学员（虚构）");
    const missing = enrol(cohort.id, "测试未合格学员（虚构）");
    getDb()
      .insert(certificates)
      .values({ number: "TEST-DASH-1", verificationCode: "x1", holderPersonId: missing.personId, cohortId: cohort.id, issuedOn: "2024-12-01", expiresOn: "2026-12-10" })
      .run();
    const d = dashboardFor(getDb(), viewer(trainer.id, trainer.personId, [{ role: "trainer", districtId: null }]), NOW);
    const running = card(d, "trainer", "cohortsRunning");
    expect(running.count).toBe(1);
    expect(running.items[0]!.to).toBe(`/training/cohorts/${cohort.id}`);
    const gaps = card(d, "trainer", "traineesMissing");
    expect(gaps.count).toBe(1);
    expect(gaps.items[0]!.to).toBe(`/training/cohorts/${cohort.id}/trainees/${missing.id}`);
    const expiring = card(d, "trainer", "expiring");
    expect(expiring.count).toBe(1);
    expect(expiring.to).toBe("/registry/expiring");
  });

  it("an admin sees locked accounts linked to the user page, recent audit events, the database size and that no backup is recorded", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const locked = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    getDb().update(users).set({ lockedUntil: "2026-11-25T05:00:00.000Z" }).where(eq(users.id, locked.id)).run();
    recordAudit(getDb(), { userId: admin.id, login: admin.login, ip: "127.0.0.1" }, { action: "test", entity: "dashboard", entityId: 1 });
    const personId = getDb().select({ p: users.personId }).from(users).where(eq(users.id, admin.id)).get()!.p;
    const d = dashboardFor(getDb(), viewer(admin.id, personId, [{ role: "admin", districtId: null }]), NOW);
    const lockedCard = card(d, "admin", "locked");
    expect(lockedCard.count).toBe(1);
    expect(lockedCard.items[0]!.to).toBe(`/admin/users/${locked.id}`);
    expect(card(d, "admin", "audit").items[0]!.label).toContain("dashboard");
    const facts = card(d, "admin", "database").facts!;
    expect(facts[0]!.key).toBe("dashboard.fact.dbSize");
    expect(Number(facts[0]!.params!.mb)).toBeGreaterThan(0);
    expect(facts.map((f) => f.key)).toContain("dashboard.fact.noBackup");
  });
});

describe("home page", () => {
  it("shows one section per role held, and none (with the welcome kept) for a person without roles", async () => {
    const both = await makeSignedInUser([
      { role: "social_worker", districtId: A },
      { role: "peer_tutor", districtId: A },
    ]);
    const res = await respond(() => homeLoader({ request: makeRequest("/", { cookie: both.cookie }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(200);
    const body = res.body as { displayName: string; sections: DashboardSection[] };
    expect(body.sections.map((s) => s.role)).toEqual(["social_worker", "peer_tutor"]);
    expect(body.displayName).toBeTruthy();
    const none = await makeSignedInUser([]);
    const empty = await respond(() => homeLoader({ request: makeRequest("/", { cookie: none.cookie }), params: {}, context: { cspNonce: "" } }));
    expect((empty.body as { sections: unknown[] }).sections).toEqual([]);
  });
});

describe("no dashboard runs a query per row", () => {
  function statements(run: () => void): number {
    const client = getDb().$client;
    const spy = vi.spyOn(client, "prepare");
    try {
      run();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  it("the coordinator's, social worker's and tutor's dashboards run as many statements with 20 more clients and sessions as before", async () => {
    const asCoord = viewer(coordA.id, coordA.personId, [{ role: "coordinator", districtId: A }]);
    const asSw = viewer(swA.id, swA.personId, [{ role: "social_worker", districtId: A }]);
    const asPt = viewer(ptA.id, ptA.personId, [{ role: "peer_tutor", districtId: A }]);
    const before = [asCoord, asSw, asPt].map((v) => statements(() => dashboardFor(getDb(), v, NOW)));
    for (let i = 0; i < 20; i++) {
      const c = await makeClient({ districtId: A, socialWorkerPersonId: swA.personId, peerTutorPersonId: ptA.personId, intakeDate: "2026-02-01" });
      if (i % 2 === 0) flag(c.id, swA.id);
      if (i % 3 === 0) addContact({ clientId: c.id, authorUserId: swA.id, happenedAt: "2026-11-20T03:00:00.000Z" });
      const day = 23 + (i % 7);
      makeRawSession({ studioId: studioA, startsAt: `2026-11-${day}T${String(i % 10).padStart(2, "0")}:00:00.000Z`, endsAt: `2026-11-${day}T${String((i % 10) + 1).padStart(2, "0")}:00:00.000Z`, facilitatorIds: i % 2 ? [ptA.personId] : [] });
    }
    const after = [asCoord, asSw, asPt].map((v) => statements(() => dashboardFor(getDb(), v, NOW)));
    expect(before.every((n) => n > 0)).toBe(true);
    expect(after).toEqual(before);
    // and the figures did grow, so the same statements counted the new rows
    expect(card(dashboardFor(getDb(), asCoord, NOW), "coordinator", "weekSessions").count).toBeGreaterThan(3);
  });
});
