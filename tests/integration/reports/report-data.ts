/**
 * One small, hand-built data set for the outcome-report tests, with every expected figure worked
 * out in the comments below (as of D = 2026-03-01, program zone Asia/Shanghai, threshold 30 days).
 * All people are fictional.
 *
 * District A (the coordinator's):
 *   c1 intake 2020-01-10; recognised 2023-02-01; relapse 2024-05-01 → recognised, relapsed after recognition
 *   c2 intake 2019-06-01; facility release 2024-01-15 → the clock restarts: not eligible at D (eligible on 2023-02-28)
 *   c3 intake 2019-03-01; use 2020-02-29 → abstinent since 29 Feb 2020: eligible from 2023-02-28 (not 2023-02-27)
 *   c4 intake 2018-05-01; closed 2025-12-31 → served, closed before D, not eligible at D (eligible at 2025-12-30)
 *   c5 intake 2025-06-01 → served, new in 2025, not eligible
 *   c6 intake 2026-04-01 → not served at D
 * District B:
 *   c7 intake 2019-01-01; recognised 2022-06-01
 *   c8 intake 2021-01-01 → eligible at D
 *
 * At D: A served 5, recognised 1 (20.00%), eligible 1 (c3); B served 2, recognised 1 (50.00%),
 * eligible 1 (c8); all: 7, 2, 28.57%, 2. Relapse: A 1 of 1; B 0 of 1.
 * Retention (months 2025-12, 2026-01, 2026-02): A in support 4 (c1 c2 c3 c5), retained c2 and c5
 * (c5's 2026-01-31T16:30Z is 1 February in Shanghai) → 50.00%; B 2, retained 0.
 * Contact cadence: overdue A c1 (never) and c3 (next contact 2026-02-25 passed) → 2 of 4; B 2 of 2.
 * Contacts in 2026-01-01 – 2026-03-01: A 5 contacts, 3 clients contacted.
 * Sessions in February 2026 at A's studio (Mon–Fri 09–17, no rooms): s1 held (3 registered, 2
 * attended: present + late), s2 cancelled, s3 held (1 registered who was absent; a waitlisted
 * client present does not count), s4 scheduled; s5 held on 2 March (outside). Held 2, cancelled 1,
 * scheduled 1, registered 4, attended 2 → 50.00%. Utilisation: 6 booked hours (s1 s3 s4, two hours
 * each) of 160 opening hours (20 weekdays × 8) → 3.75%.
 * Peer tutors (one cohort): t1 active, may practise, facilitated s1 and s3; t2 paused; t3 expired
 * 2025-12-31; t4 certified 2026-06-01 (after D) → certified 3, may practise 1, sessions 2 (t2 also
 * facilitated s1: counted once).
 * Volunteer hours, February 2026: t1 approved 90 min in A (+ pending 60, rejected 30 not counted,
 * approved 45 on 2025-12-01 outside), approved 120 min in B → A 1.5 h, B 2.0 h, total 3.5 h.
 */
import { eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { attendance, clients, peerTutors, recognitions, substanceEvents, volunteerHours } from "#db/schema";
import { addContact, assignTo, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeSignedInUser, makeUser } from "../../factories";
import { makeRawSession, makeScheduleStudio, registerClient, WEEKDAYS_9_TO_5 } from "../../sessions-factories";

export const D = "2026-03-01";

export async function buildReportData(options: { districtA?: Partial<Parameters<typeof makeDistrict>[0]> } = {}) {
  const db = getDb();
  const A = makeDistrict({ code: `rep-a-${Math.random().toString(36).slice(2, 8)}`, nameZh: "测试甲区（虚构）", nameEn: "Test District A (fictional)", ...options.districtA });
  const B = makeDistrict({ code: `rep-b-${Math.random().toString(36).slice(2, 8)}`, nameZh: "测试乙区（虚构）", nameEn: "Test District B (fictional)" });
  const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
  const coordinator = await makeCoordinator([A.id]);
  const socialWorker = await makeSocialWorker(A.id);
  const recorder = await makeUser([{ role: "admin", districtId: null }]);

  const client = (districtId: number, intakeDate: string, alias: string) => makeClient({ districtId, intakeDate, alias, byUserId: recorder.id });
  const c1 = await client(A.id, "2020-01-10", "测试对象一（化名）");
  const c2 = await client(A.id, "2019-06-01", "测试对象二（化名）");
  const c3 = await client(A.id, "2019-03-01", "测试对象三（化名）");
  const c4 = await client(A.id, "2018-05-01", "测试对象四（化名）");
  const c5 = await client(A.id, "2025-06-01", "测试对象五（化名）");
  const c6 = await client(A.id, "2026-04-01", "测试对象六（化名）");
  const c7 = await client(B.id, "2019-01-01", "Test Client Seven (fictional)");
  const c8 = await client(B.id, "2021-01-01", "Test Client Eight (fictional)");
  db.update(clients).set({ status: "closed", closedOn: "2025-12-31", closedReason: "测试结案（虚构）" }).where(eq(clients.id, c4.id)).run();

  db.insert(recognitions).values({ clientId: c1.id, recognisedOn: "2023-02-01", recognisedByUserId: recorder.id }).run();
  db.insert(recognitions).values({ clientId: c7.id, recognisedOn: "2022-06-01", recognisedByUserId: recorder.id }).run();
  db.insert(substanceEvents).values({ clientId: c1.id, date: "2024-05-01", kind: "relapse" }).run();
  db.insert(substanceEvents).values({ clientId: c2.id, date: "2024-01-15", kind: "facility_release" }).run();
  db.insert(substanceEvents).values({ clientId: c3.id, date: "2020-02-29", kind: "use" }).run();

  // the social worker holds c2 and c3
  assignTo(c2.id, "social_worker", socialWorker.personId, "2024-01-01");
  assignTo(c3.id, "social_worker", socialWorker.personId, "2024-01-01");

  const contact = (clientId: number, happenedAt: string, nextContactDue: string | null = null) =>
    addContact({ clientId, authorUserId: recorder.id, happenedAt, nextContactDue });
  contact(c2.id, "2025-12-10T02:00:00Z");
  contact(c2.id, "2026-01-10T02:00:00Z");
  contact(c2.id, "2026-02-20T02:00:00Z");
  contact(c3.id, "2025-12-05T02:00:00Z");
  contact(c3.id, "2026-02-10T02:00:00Z", "2026-02-25");
  contact(c5.id, "2025-12-20T02:00:00Z");
  contact(c5.id, "2026-01-15T02:00:00Z");
  contact(c5.id, "2026-01-31T16:30:00Z");

  // peer tutors of one cohort
  const t1 = await makePeerTutor(A.id);
  const t2 = await makePeerTutor(A.id, { status: "paused" });
  const t3 = await makePeerTutor(A.id, { expiresOn: "2025-12-31" });
  const t4 = await makePeerTutor(A.id);
  db.update(peerTutors).set({ certifiedOn: "2026-06-01" }).where(eq(peerTutors.id, t4.peerTutorId)).run();
  const cohortId = db.select({ c: peerTutors.cohortId }).from(peerTutors).where(eq(peerTutors.id, t1.peerTutorId)).get()!.c;

  // sessions at A's studio, February 2026 (local = UTC + 8)
  const studio = makeScheduleStudio({ districtId: A.id, openingHours: WEEKDAYS_9_TO_5 });
  const s1 = makeRawSession({ studioId: studio.id, startsAt: "2026-02-02T02:00:00.000Z", endsAt: "2026-02-02T04:00:00.000Z", status: "held", facilitatorIds: [t1.personId, t2.personId] });
  const s2 = makeRawSession({ studioId: studio.id, startsAt: "2026-02-03T02:00:00.000Z", endsAt: "2026-02-03T04:00:00.000Z", status: "cancelled" });
  const s3 = makeRawSession({ studioId: studio.id, startsAt: "2026-02-04T06:00:00.000Z", endsAt: "2026-02-04T08:00:00.000Z", status: "held", facilitatorIds: [t1.personId] });
  const s4 = makeRawSession({ studioId: studio.id, startsAt: "2026-02-27T02:00:00.000Z", endsAt: "2026-02-27T04:00:00.000Z", status: "scheduled" });
  const s5 = makeRawSession({ studioId: studio.id, startsAt: "2026-03-02T02:00:00.000Z", endsAt: "2026-03-02T04:00:00.000Z", status: "held", facilitatorIds: [t1.personId] });
  for (const c of [c2, c3, c5]) registerClient(s1.id, c.id);
  registerClient(s3.id, c2.id);
  registerClient(s3.id, c5.id, "waitlisted");
  registerClient(s5.id, c2.id);
  const mark = (sessionId: number, clientId: number, status: "present" | "late" | "absent") =>
    db.insert(attendance).values({ sessionId, clientId, status, recordedByUserId: recorder.id }).run();
  mark(s1.id, c2.id, "present");
  mark(s1.id, c3.id, "late");
  mark(s1.id, c5.id, "absent");
  mark(s3.id, c2.id, "absent");
  mark(s3.id, c5.id, "present");
  mark(s5.id, c2.id, "present");

  const hours = (districtId: number, workedOn: string, minutes: number, status: "approved" | "pending" | "rejected") =>
    db.insert(volunteerHours).values({ personId: t1.personId, districtId, activity: "peerSupport", workedOn, minutes, status }).run();
  hours(A.id, "2026-02-10", 90, "approved");
  hours(A.id, "2026-02-11", 60, "pending");
  hours(A.id, "2026-02-12", 30, "rejected");
  hours(A.id, "2025-12-01", 45, "approved");
  hours(B.id, "2026-02-12", 120, "approved");

  return { A, B, admin, coordinator, socialWorker, c1, c2, c3, c4, c5, c6, c7, c8, t1, t2, t3, t4, cohortId, studio, s1, s2, s3, s4, s5 };
}
