/**
 * Funded projects' progress (issue 7 item 6): every figure computed from the records of the
 * project's period (both days included, program time zone) and districts. Each expected number is
 * worked out by hand below, with the records that must not count beside those that must.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attendance, certificates, clients, peerTutors, recognitions, volunteerHours } from "#db/schema";
import { getDb } from "~/db.server";
import { projectFigures, projectProgress } from "~/domain/projects";
import { makeDistrict, makeStudio, makeUser } from "../../factories";
import { addContact, makeClient, testCohortId } from "../../clients-factories";
import { makeRawSession } from "../../sessions-factories";
import { enrol, makePerson } from "../../training-factories";

const PERIOD = { startsOn: "2026-01-01", endsOn: "2026-06-30" };
let A: number, B: number, C: number;
let by: number;

beforeAll(async () => {
  const db = getDb();
  A = makeDistrict().id;
  B = makeDistrict().id;
  C = makeDistrict().id;
  by = (await makeUser([{ role: "admin", districtId: null }])).id;
  const studioA = makeStudio(A).id;
  const studioC = makeStudio(C).id;

  // clients (intake / closing): served = a1, a2, a4, a6 → 4; new = a2, a6 → 2
  const a1 = (await makeClient({ districtId: A, intakeDate: "2025-05-01" })).id; // served, not new
  const a2 = (await makeClient({ districtId: A, intakeDate: "2026-02-01" })).id; // served, new
  const a3 = (await makeClient({ districtId: A, intakeDate: "2025-01-01", status: "closed" })).id; // closed the day before: not served
  db.update(clients).set({ closedOn: "2025-12-31" }).where(eq(clients.id, a3)).run();
  const a4 = (await makeClient({ districtId: B, intakeDate: "2025-01-01", status: "closed" })).id; // closed on the first day: served
  db.update(clients).set({ closedOn: "2026-01-01" }).where(eq(clients.id, a4)).run();
  await makeClient({ districtId: A, intakeDate: "2026-07-01" }); // taken in after the last day: neither
  await makeClient({ districtId: A, intakeDate: "2026-06-30" }); // a6: the last day: served and new
  const closedUndated = (await makeClient({ districtId: A, intakeDate: "2025-01-01", status: "closed" })).id; // closed without a date: not served
  db.update(clients).set({ closedOn: null }).where(eq(clients.id, closedUndated)).run();
  const c1 = (await makeClient({ districtId: C, intakeDate: "2026-02-01" })).id; // another district: neither

  // sessions held: s1 (A, in), s2 (A, 00:30 local on the first day, in) → 2
  const s1 = makeRawSession({ studioId: studioA, startsAt: "2026-03-01T02:00:00.000Z", endsAt: "2026-03-01T04:00:00.000Z", status: "held" }).id;
  makeRawSession({ studioId: studioA, startsAt: "2025-12-31T16:30:00.000Z", endsAt: "2025-12-31T18:00:00.000Z", status: "held" });
  makeRawSession({ studioId: studioA, startsAt: "2026-06-30T16:30:00.000Z", endsAt: "2026-06-30T18:00:00.000Z", status: "held" }); // 1 July local: out
  makeRawSession({ studioId: studioA, startsAt: "2026-03-02T02:00:00.000Z", endsAt: "2026-03-02T04:00:00.000Z", status: "scheduled" }); // not held
  makeRawSession({ studioId: studioA, startsAt: "2026-03-03T02:00:00.000Z", endsAt: "2026-03-03T04:00:00.000Z", status: "cancelled" });
  const sC = makeRawSession({ studioId: studioC, startsAt: "2026-03-01T02:00:00.000Z", endsAt: "2026-03-01T04:00:00.000Z", status: "held" }).id; // other district

  // attendances: present + late at s1 → 2 (+ a4 late → 3); absent and another district's do not count
  db.insert(attendance)
    .values([
      { sessionId: s1, clientId: a1, status: "present" },
      { sessionId: s1, clientId: a2, status: "late" },
      { sessionId: s1, clientId: a4, status: "present" },
      { sessionId: s1, clientId: a3, status: "absent" },
      { sessionId: sC, clientId: c1, status: "present" },
    ])
    .run();

  // contacts: a1 in March and a2 at 00:00 local on the first day → 2
  addContact({ clientId: a1, authorUserId: by, happenedAt: "2026-03-05T02:00:00.000Z" });
  addContact({ clientId: a2, authorUserId: by, happenedAt: "2025-12-31T16:00:00.000Z" });
  addContact({ clientId: a1, authorUserId: by, happenedAt: "2025-12-31T15:59:59.000Z" }); // 23:59 local the day before
  addContact({ clientId: a1, authorUserId: by, happenedAt: "2026-06-30T16:00:00.000Z" }); // 00:00 local 1 July
  addContact({ clientId: c1, authorUserId: by, happenedAt: "2026-03-05T02:00:00.000Z" }); // another district

  // volunteer hours: approved 90 (A) + 45 (B, last day) = 135 minutes = 2.25 hours, shown 2.2
  const someone = makePerson("测试志愿者（虚构）").id;
  db.insert(volunteerHours)
    .values([
      { personId: someone, districtId: A, activity: "session", workedOn: "2026-02-01", minutes: 90, status: "approved" },
      { personId: someone, districtId: B, activity: "session", workedOn: "2026-06-30", minutes: 45, status: "approved" },
      { personId: someone, districtId: A, activity: "session", workedOn: "2026-02-02", minutes: 60, status: "pending" },
      { personId: someone, districtId: A, activity: "session", workedOn: "2026-02-03", minutes: 60, status: "rejected" },
      { personId: someone, districtId: C, activity: "session", workedOn: "2026-02-01", minutes: 120, status: "approved" },
      { personId: someone, districtId: A, activity: "session", workedOn: "2026-07-01", minutes: 30, status: "approved" },
    ])
    .run();

  // recognitions: a1 in April → 1
  db.insert(recognitions)
    .values([
      { clientId: a1, recognisedOn: "2026-04-01", recognisedByUserId: by },
      { clientId: c1, recognisedOn: "2026-04-01", recognisedByUserId: by },
      { clientId: a4, recognisedOn: "2025-12-01", recognisedByUserId: by },
    ])
    .run();

  // certified: trained from A (in); trained from C but a peer tutor of B (in) → 2
  const cohortId = testCohortId();
  const cert = (number: string, personId: number, enrollmentId: number | null, issuedOn: string, revokedAt: string | null = null) =>
    db.insert(certificates).values({ number, verificationCode: number, holderPersonId: personId, cohortId, enrollmentId, issuedOn, expiresOn: "2029-01-01", revokedAt }).run();
  const eA = enrol(cohortId, undefined, { districtId: A });
  cert("P-1", eA.personId, eA.id, "2026-03-01");
  const eRevoked = enrol(cohortId, undefined, { districtId: A });
  cert("P-2", eRevoked.personId, eRevoked.id, "2026-03-01", "2026-04-01T00:00:00.000Z");
  const eC = enrol(cohortId, undefined, { districtId: C });
  cert("P-3", eC.personId, eC.id, "2026-03-01");
  db.insert(peerTutors).values({ personId: eC.personId, cohortId, districtId: B, certificateNumber: "P-3", certifiedOn: "2026-03-01", expiresOn: "2029-01-01" }).run();
  const eEarly = enrol(cohortId, undefined, { districtId: A });
  cert("P-4", eEarly.personId, eEarly.id, "2025-12-01");
  const eOther = enrol(cohortId, undefined, { districtId: C });
  cert("P-5", eOther.personId, eOther.id, "2026-03-01");
});

describe("project progress from the records", () => {
  it("counts each metric in the project's period and districts only, both days included, in the program's time zone", () => {
    expect(projectFigures(getDb(), { ...PERIOD, districtIds: [A, B] })).toEqual({
      sessions_held: 2,
      attendances: 3,
      clients_served: 4,
      new_clients: 2,
      contacts: 2,
      volunteer_hours: 2.2,
      recognitions: 1,
      peer_tutors_certified: 2,
    });
  });

  it("another district's project counts only that district's records", () => {
    const c = projectFigures(getDb(), { ...PERIOD, districtIds: [C] });
    expect(c.sessions_held).toBe(1);
    expect(c.attendances).toBe(1);
    expect(c.clients_served).toBe(1);
    expect(c.contacts).toBe(1);
    expect(c.volunteer_hours).toBe(2);
    expect(c.recognitions).toBe(1);
    // P-3 (trained from C, serving in B) and P-5 (trained from C)
    expect(c.peer_tutors_certified).toBe(2);
  });

  it("progress compares each figure with its target: percent of the target (capped at 100), met or not, targets first", () => {
    const progress = projectProgress(getDb(), { ...PERIOD, districtIds: [A, B] }, { clients_served: 4, sessions_held: 4, contacts: 3 });
    expect(progress.slice(0, 3)).toEqual([
      { metric: "sessions_held", actual: 2, target: 4, percent: 50, met: false },
      { metric: "clients_served", actual: 4, target: 4, percent: 100, met: true },
      { metric: "contacts", actual: 2, target: 3, percent: 66, met: false },
    ]);
    expect(progress.slice(3).every((p) => p.target === null && p.percent === null && !p.met)).toBe(true);
    expect(progress).toHaveLength(8);
  });

  it("a period with no districts counts nothing", () => {
    expect(Object.values(projectFigures(getDb(), { ...PERIOD, districtIds: [] })).every((n) => n === 0)).toBe(true);
  });
});
