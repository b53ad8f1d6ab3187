/**
 * The fixture world of the authorisation matrix (tests/integration/auth/matrix-*.test.ts): two
 * districts, A ("own") and B ("other"), one person of every role, and for every entity a route
 * names in its URL an "own" record (in district A, on the viewer's caseload, in the viewer's
 * cohort, facilitated by the viewer) and an "other" record (district B, another worker's client,
 * another trainer's cohort). Everyone and everything here is fictional and named so.
 *
 * Own means the same record for every role wherever that is possible: client A is on social
 * worker 1's caseload, mentored by peer tutor 1 and in coordinator A's district; session A is at
 * a studio of district A and facilitated by social worker 1 and peer tutor 1. Where "own" is
 * personal (one's volunteer hours entry, one's calendar token), `params` picks the viewer's own.
 */
import { getDb } from "~/db.server";
import type { RoleGrant } from "~/auth/roles";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { createFeedToken, revokeFeedTokens } from "~/domain/sessions/calendar.server";
import {
  certificates,
  clientFlags,
  clientIdentities,
  groupFacilitators,
  notifications,
  planGoals,
  servicePlans,
  groups,
  projectDistricts,
  projects,
  volunteerHours,
} from "#db/schema";
import { makeDistrict, makePoint, makeSignedInUser, makeSubdistrict, makeWorkstation, signIn } from "./factories";
import { addContact, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker, personOf } from "./clients-factories";
import { makeRawSession, makeScheduleStudio, registerClient } from "./sessions-factories";
import { addTrainingSession, enrol, makeCohort, makeTrainer } from "./training-factories";

/** Who calls: anonymous, signed in without a role, or a person of one role. */
export const VIEWERS = ["anonymous", "noRole", "admin", "coordinator", "socialWorker", "peerTutor", "trainer"] as const;
export type Viewer = (typeof VIEWERS)[number];

export type Scope = "own" | "other";

type Person = { id: number; personId: number; cookie: string };

export type AuthzWorld = Awaited<ReturnType<typeof buildAuthzWorld>>;

/** Days from today as a UTC instant at 02:00 (10:00 in Shanghai). */
function dayAt(offsetDays: number, hourUtc = 2): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString();
}

function isoDay(offsetDays: number): string {
  return dayAt(offsetDays).slice(0, 10);
}

function makeGroup(studioId: number, facilitatorPersonIds: number[], topic: string) {
  const db = getDb();
  const group = db
    .insert(groups)
    .values({
      studioId,
      topic,
      kind: "peerSupport",
      capacity: 10,
      recurrence: "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=4",
      firstStartsLocal: `${isoDay(14)}T19:00`,
      durationMinutes: 90,
    })
    .returning()
    .get();
  for (const personId of facilitatorPersonIds) db.insert(groupFacilitators).values({ groupId: group.id, personId }).run();
  return group;
}

function makeProject(districtId: number, name: string) {
  const db = getDb();
  const project = db
    .insert(projects)
    .values({ name, funder: "测试资助方（虚构）", kind: "government_purchase", startsOn: "2025-01-01", endsOn: "2027-12-31", budgetFen: 100_000 })
    .returning()
    .get();
  db.insert(projectDistricts).values({ projectId: project.id, districtId }).run();
  return project;
}

function makeHoursEntry(personId: number, districtId: number, note = "测试志愿服务（虚构）") {
  return getDb()
    .insert(volunteerHours)
    .values({ personId, districtId, activity: "peerSupport", workedOn: isoDay(-1), minutes: 60, note, status: "pending" })
    .returning()
    .get();
}

function makeCertificate(holderPersonId: number, cohortId: number, number: string, verificationCode: string) {
  return getDb()
    .insert(certificates)
    .values({ number, verificationCode, holderPersonId, cohortId, issuedOn: "2025-07-01", expiresOn: "2099-06-30" })
    .returning()
    .get();
}

/** A finished import job in the server's memory (the jobs map of app/domain/data/jobs.server.ts). */
function makeImportJob(userId: number, fileName: string): string {
  const holder = globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>;
  const key = Symbol.for("tongban.importJobs");
  const jobs = (holder[key] ??= new Map());
  const id = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const now = Date.now();
  jobs.set(id, {
    id,
    kind: "clients",
    dryRun: true,
    fileName,
    userId,
    startedAt: now - 1000,
    finishedAt: now,
    rows: 0,
    result: { ok: true, rows: 0, created: 0, updated: 0, problems: [], dryRun: true },
    crashed: false,
  });
  return id;
}

/** Builds the world once (call in beforeAll). */
export async function buildAuthzWorld() {
  const db = getDb();
  const dA = makeDistrict({ nameZh: "测试甲区（虚构）", nameEn: "Test District A (fictional)" });
  const dB = makeDistrict({ nameZh: "测试乙区（虚构）", nameEn: "Test District B (fictional)" });
  const sdA = makeSubdistrict(dA.id);
  const sdB = makeSubdistrict(dB.id);
  const wsA = makeWorkstation(dA.id);
  const wsB = makeWorkstation(dB.id);
  const pointA = makePoint(dA.id, sdA.id);
  const pointB = makePoint(dB.id, sdB.id);
  const studioA = makeScheduleStudio({ districtId: dA.id });
  const studioB = makeScheduleStudio({ districtId: dB.id });

  const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
  const noRole = await makeSignedInUser([]);
  const coordinator = await makeCoordinator([dA.id]);
  const sw1 = await makeSocialWorker(dA.id);
  const sw2 = await makeSocialWorker(dB.id);
  const pt1 = await makePeerTutor(dA.id);
  const pt2 = await makePeerTutor(dB.id);

  const cohort1 = makeCohort({ status: "running" });
  const cohort2 = makeCohort({ status: "running" });
  const t1 = await makeTrainer(cohort1.cohort.id);
  const t2 = await makeTrainer(cohort2.cohort.id);
  const enrollment1 = enrol(cohort1.cohort.id, "测试学员甲（虚构）", { districtId: dA.id });
  const enrollment2 = enrol(cohort2.cohort.id, "测试学员乙（虚构）", { districtId: dB.id });
  const trainingSession1 = addTrainingSession(cohort1.cohort.id, dayAt(-3), 2, cohort1.modules[0]!.id);
  const trainingSession2 = addTrainingSession(cohort2.cohort.id, dayAt(-3), 2, cohort2.modules[0]!.id);

  const clientA = await makeClient({
    districtId: dA.id,
    subdistrictId: sdA.id,
    pointId: pointA.id,
    socialWorkerPersonId: sw1.personId,
    peerTutorPersonId: pt1.personId,
    alias: "测试对象甲（化名）",
    byUserId: admin.id,
  });
  const clientB = await makeClient({
    districtId: dB.id,
    subdistrictId: sdB.id,
    pointId: pointB.id,
    socialWorkerPersonId: sw2.personId,
    peerTutorPersonId: pt2.personId,
    alias: "测试对象乙（化名）",
    byUserId: admin.id,
  });
  // in district A but on social worker 2's caseload and peer tutor 2's mentees: the coordinator's, not social worker 1's
  const clientA2 = await makeClient({
    districtId: dA.id,
    subdistrictId: sdA.id,
    socialWorkerPersonId: sw2.personId,
    peerTutorPersonId: pt2.personId,
    alias: "测试对象甲二（化名）",
    byUserId: admin.id,
  });
  const identityA = "测试真名甲（虚构）";
  const identityB = "测试真名乙（虚构）";
  db.insert(clientIdentities).values({ clientId: clientA.id, realName: identityA, phone: "10000000001" }).run();
  db.insert(clientIdentities).values({ clientId: clientB.id, realName: identityB, phone: "10000000002" }).run();
  const contactA = addContact({ clientId: clientA.id, authorUserId: sw1.id, summary: "测试帮教记录甲（虚构）" });
  const privateNoteA = addContact({ clientId: clientA.id, authorUserId: sw1.id, summary: "测试私密记录甲（虚构）", private: true });
  const contactB = addContact({ clientId: clientB.id, authorUserId: sw2.id, summary: "测试帮教记录乙（虚构）" });
  // open crisis flags and submitted plans (they head the crisis list, the dashboard and the approvals queue)
  const crisisB = "测试危机原因乙（虚构）";
  const crisisA2 = "测试危机原因甲二（虚构）";
  const goalB = "测试计划目标乙（虚构）";
  for (const [clientId, reason, by] of [[clientB.id, crisisB, sw2.id], [clientA2.id, crisisA2, sw2.id]] as const) {
    db.insert(clientFlags).values({ clientId, kind: "crisis", reason, raisedByUserId: by, raisedAt: dayAt(-1) }).run();
  }
  const planB = db
    .insert(servicePlans)
    .values({ clientId: clientB.id, status: "submitted", authorUserId: sw2.id, submittedAt: dayAt(-1), reviewDue: isoDay(30) })
    .returning()
    .get();
  db.insert(planGoals).values({ planId: planB.id, area: "family", goal: goalB }).run();
  // social worker 2's notification naming client B
  db.insert(notifications).values({ userId: sw2.id, kind: "test", messageKey: "sessions.notify.registered", params: { alias: clientB.alias, topic: "测试通知乙（虚构）" } }).run();

  const sessionA = makeRawSession({ studioId: studioA.id, startsAt: dayAt(-2), endsAt: dayAt(-2, 4), facilitatorIds: [sw1.personId, pt1.personId] });
  const sessionB = makeRawSession({ studioId: studioB.id, startsAt: dayAt(-2), endsAt: dayAt(-2, 4), facilitatorIds: [sw2.personId, pt2.personId] });
  // a session next week at studio A, facilitated by social worker 1 and peer tutor 1, nobody registered yet
  const nextSessionA = makeRawSession({ studioId: studioA.id, startsAt: dayAt(7), endsAt: dayAt(7, 4), facilitatorIds: [sw1.personId, pt1.personId] });
  registerClient(sessionA.id, clientA.id);
  registerClient(sessionB.id, clientB.id);
  const groupA = makeGroup(studioA.id, [sw1.personId, pt1.personId], "测试同伴小组甲（虚构）");
  const groupB = makeGroup(studioB.id, [sw2.personId, pt2.personId], "测试同伴小组乙（虚构）");

  const projectA = makeProject(dA.id, "测试项目甲（虚构）");
  const projectB = makeProject(dB.id, "测试项目乙（虚构）");

  const certificate1 = makeCertificate(pt1.personId, cohort1.cohort.id, "TB-AZ-0001", "ABCDEFGHJK");
  const certificate2 = makeCertificate(pt2.personId, cohort2.cohort.id, "TB-AZ-0002", "BCDEFGHJKL");

  const people: Record<Exclude<Viewer, "anonymous">, Person> = {
    admin: { ...admin, personId: personOf(admin.id) },
    noRole: { ...noRole, personId: personOf(noRole.id) },
    coordinator,
    socialWorker: sw1,
    peerTutor: pt1,
    trainer: t1,
  };

  // one's own volunteer hours entry, for every signed-in viewer; "other": someone else's entry in district A
  const ownHours = Object.fromEntries(Object.entries(people).map(([k, p]) => [k, makeHoursEntry(p.personId, dA.id).id])) as Record<keyof typeof people, number>;
  const otherHoursNote = "测试甲区志愿服务备注（虚构）";
  const hoursInBNote = "测试乙区志愿服务备注（虚构）";
  const otherHours = makeHoursEntry(sw2.personId, dA.id, otherHoursNote).id;
  const hoursInB = makeHoursEntry(pt2.personId, dB.id, hoursInBNote).id;

  // calendar feeds: a live token of social worker 1 ("own" works for whoever holds it), a revoked one of social worker 2
  const liveToken = createFeedToken(db, SYSTEM_ACTOR, sw1.id);
  const revokedToken = createFeedToken(db, SYSTEM_ACTOR, sw2.id);
  revokeFeedTokens(db, SYSTEM_ACTOR, sw2.id);

  const jobOwn = makeImportJob(admin.id, "clients-own.csv");
  const jobOther = makeImportJob(sw1.id, "clients-other.csv");

  /**
   * Text that only some viewers may ever receive, in any answer of any route: the matrix checks
   * every body against it. Client B is out of scope for everyone but the admin; client A is in
   * scope of its social worker, peer tutor and district coordinator; identity (real names) only
   * for the admin and the client's own social worker; a private note only for its author (and the
   * admin, who reads all contacts).
   */
  const secrets: { text: string; what: string; visibleTo: readonly Viewer[] }[] = [
    { what: "client B's alias", text: clientB.alias, visibleTo: ["admin"] },
    { what: "client B's case number", text: clientB.caseNumber, visibleTo: ["admin"] },
    { what: "client B's real name", text: identityB, visibleTo: ["admin"] },
    { what: "client B's crisis flag", text: crisisB, visibleTo: ["admin"] },
    { what: "client B's plan goal", text: goalB, visibleTo: ["admin"] },
    { what: "social worker 2's notification", text: "测试通知乙（虚构）", visibleTo: [] },
    { what: "client A2's crisis flag (district A, another worker's)", text: crisisA2, visibleTo: ["admin", "coordinator"] },
    { what: "a contact entry of client B", text: contactB.summary, visibleTo: ["admin"] },
    { what: "client A2's alias (district A, another worker's caseload)", text: clientA2.alias, visibleTo: ["admin", "coordinator"] },
    { what: "client A's alias", text: clientA.alias, visibleTo: ["admin", "coordinator", "socialWorker", "peerTutor"] },
    { what: "client A's real name", text: identityA, visibleTo: ["admin", "socialWorker"] },
    { what: "a contact entry of client A", text: contactA.summary, visibleTo: ["admin", "coordinator", "socialWorker", "peerTutor"] },
    { what: "social worker 1's private note on client A", text: privateNoteA.summary, visibleTo: ["admin", "socialWorker"] },
    { what: "a project of district B", text: projectB.name, visibleTo: ["admin"] },
    { what: "a project of district A", text: projectA.name, visibleTo: ["admin", "coordinator"] },
    { what: "someone else's hours entry in district B", text: hoursInBNote, visibleTo: ["admin"] },
    { what: "someone else's hours entry in district A", text: otherHoursNote, visibleTo: ["admin", "coordinator"] },
    { what: "peer tutor 2's certificate verification code", text: certificate2.verificationCode, visibleTo: ["admin", "trainer"] },
    { what: "peer tutor 1's certificate verification code", text: certificate1.verificationCode, visibleTo: ["admin", "trainer", "peerTutor"] },
    { what: "social worker 1's calendar feed token (stored hashed, shown once)", text: liveToken, visibleTo: [] },
  ];

  /** The entity named by each dynamic segment of a route id, own and other. */
  const entity = {
    client: { own: clientA.id, other: clientB.id },
    district: { own: dA.id, other: dB.id },
    subdistrict: { own: sdA.id, other: sdB.id },
    workstation: { own: wsA.id, other: wsB.id },
    point: { own: pointA.id, other: pointB.id },
    studio: { own: studioA.id, other: studioB.id },
    session: { own: sessionA.id, other: sessionB.id },
    group: { own: groupA.id, other: groupB.id },
    project: { own: projectA.id, other: projectB.id },
    cohort: { own: cohort1.cohort.id, other: cohort2.cohort.id },
    programme: { own: cohort1.programme.id, other: cohort2.programme.id },
    trainingSession: { own: trainingSession1.id, other: trainingSession2.id },
    enrollment: { own: enrollment1.id, other: enrollment2.id },
    certificate: { own: certificate1.number, other: certificate2.number },
    peerTutor: { own: pt1.peerTutorId, other: pt2.peerTutorId },
    user: { own: sw1.id, other: sw2.id },
    importJob: { own: jobOwn, other: jobOther },
    calendarToken: { own: liveToken, other: revokedToken },
  };

  return { db, dA, dB, people, entity, secrets, ownHours, otherHours, hoursInB, nextSessionA, clientA, clientA2, clientB, sw2, pt2, t2, verificationCode: certificate1.verificationCode };
}

/** A fresh signed-in session for the viewer (POSTs get one each, so an action that ends a session ends only its own). */
export function freshCookie(world: AuthzWorld, viewer: Viewer): string | undefined {
  if (viewer === "anonymous") return undefined;
  return signIn(world.people[viewer].id);
}

export function cookieOf(world: AuthzWorld, viewer: Viewer): string | undefined {
  return viewer === "anonymous" ? undefined : world.people[viewer].cookie;
}

export type { RoleGrant };
