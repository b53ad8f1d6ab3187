/**
 * A small world for the hostile-input fuzz: two districts (A and B) with the same kinds of records,
 * so that small ids (1, 2, 3…) point at real rows of both, and a person of every role in district A.
 * Everyone here is fictional and named so.
 */
import { getDb } from "~/db.server";
import { projectDistricts, projects, volunteerHours } from "#db/schema";
import { makeDistrict, makePoint, makeSubdistrict, makeUser, makeWorkstation } from "../../factories";
import { addContact, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeRawSession, makeRoom, makeScheduleStudio, registerClient } from "../../sessions-factories";
import { addTrainingSession, enrol, makeCohort, makeTrainer } from "../../training-factories";

export type Role = "admin" | "coordinator" | "social_worker" | "peer_tutor" | "trainer" | "no_role" | "anonymous";
export const ROLES: Role[] = ["admin", "coordinator", "social_worker", "peer_tutor", "trainer", "no_role", "anonymous"];

export type World = {
  /** the user id to sign in as, per role (null: anonymous) */
  userIds: Record<Role, number | null>;
  /** ids of real rows, as strings, district A's and B's together */
  ids: string[];
  /** ids of district B's rows (the "other district" for the district-A people) */
  otherDistrictIds: string[];
  /** users that admin routes may edit in the fuzz without disturbing the role users */
  sacrificialUserIds: string[];
  dates: string[];
};

function hoursFor(personId: number, districtId: number, createdByUserId: number) {
  return getDb()
    .insert(volunteerHours)
    .values({ personId, districtId, activity: "peerSupport", workedOn: new Date().toISOString().slice(0, 10), minutes: 60, note: "测试时长（虚构）", createdByUserId })
    .returning()
    .get();
}

function project(districtId: number, n: number) {
  const p = getDb()
    .insert(projects)
    .values({ name: `测试项目${n}（虚构）`, funder: "虚构基金会", kind: "public_welfare", startsOn: "2025-01-01", endsOn: "2027-12-31" })
    .returning()
    .get();
  getDb().insert(projectDistricts).values({ projectId: p.id, districtId }).run();
  return p;
}

export async function buildWorld(): Promise<World> {
  const A = makeDistrict().id;
  const B = makeDistrict().id;
  const ids = new Set<number>();
  const other = new Set<number>();
  const note = (d: number, ...xs: number[]) => xs.forEach((x) => (ids.add(x), d === B && other.add(x)));

  const admin = await makeUser([{ role: "admin", districtId: null }]);
  const coordinator = await makeCoordinator([A]);
  const coordinatorB = await makeCoordinator([B]);
  const sw = await makeSocialWorker(A);
  const swB = await makeSocialWorker(B);
  const pt = await makePeerTutor(A);
  const ptB = await makePeerTutor(B);
  const noRole = await makeUser([]);
  const { cohort, modules } = makeCohort();
  const { cohort: cohortB } = makeCohort();
  const trainer = await makeTrainer(cohort.id);
  await makeTrainer(cohortB.id);
  const sacrificial = [await makeUser([{ role: "social_worker", districtId: A }]), await makeUser([{ role: "peer_tutor", districtId: B }])];

  const studios: number[] = [];
  for (const d of [A, B]) {
    const sub = makeSubdistrict(d);
    const ws = makeWorkstation(d);
    const point = makePoint(d, sub.id);
    const studio = makeScheduleStudio({ districtId: d });
    const room = makeRoom(studio.id);
    note(d, d, sub.id, ws.id, point.id, studio.id, room.id);
    studios.push(studio.id);
  }
  const teams = [
    { d: A, sw, pt },
    { d: B, sw: swB, pt: ptB },
  ];
  for (const [i, { d, sw: worker, pt: tutor }] of teams.entries()) {
    for (let k = 0; k < 3; k++) {
      const client = await makeClient({ districtId: d, socialWorkerPersonId: worker.personId, peerTutorPersonId: k === 0 ? tutor.personId : undefined });
      const contact = addContact({ clientId: client.id, authorUserId: worker.id });
      note(d, client.id, contact.id);
      const starts = new Date(Date.now() + (k - 1) * 86_400_000 * 3);
      starts.setUTCHours(2, 0, 0, 0);
      const session = makeRawSession({
        studioId: studios[i]!,
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 2 * 3_600_000).toISOString(),
        facilitatorIds: [worker.personId, tutor.personId],
      });
      registerClient(session.id, client.id);
      note(d, session.id);
      note(d, hoursFor(k === 0 ? tutor.personId : worker.personId, d, k === 0 ? tutor.id : worker.id).id);
      note(d, project(d, i * 3 + k).id);
    }
  }
  for (const c of [cohort, cohortB]) {
    const e1 = enrol(c.id, undefined, { districtId: c === cohort ? A : B });
    const s1 = addTrainingSession(c.id, "2025-03-03T01:00:00.000Z", 2, modules[0]!.id);
    note(c === cohort ? A : B, c.id, e1.id, s1.id);
  }
  for (const u of [admin, coordinator, coordinatorB, sw, swB, pt, ptB, trainer, noRole]) ids.add(u.id);

  const today = new Date().toISOString().slice(0, 10);
  return {
    userIds: {
      admin: admin.id,
      coordinator: coordinator.id,
      social_worker: sw.id,
      peer_tutor: pt.id,
      trainer: trainer.id,
      no_role: noRole.id,
      anonymous: null,
    },
    ids: [...ids].sort((a, b) => a - b).map(String),
    otherDistrictIds: [...other].map(String),
    sacrificialUserIds: sacrificial.map((u) => String(u.id)),
    dates: [today, "2025-06-01", "2025-03-03"],
  };
}
