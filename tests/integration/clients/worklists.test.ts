/**
 * Worklists on the one overdue rule (issue "Clients and caseloads" item 6): "My mentees" for peer
 * tutors, the social worker's caseload, and the coordinator's "who is falling behind".
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { clientFlags } from "#db/schema";
import { navigationFor } from "~/auth/navigation";
import { loader as menteesLoader } from "~/routes/mentees";
import { loader as caseloadLoader } from "~/routes/caseload";
import { loader as behindLoader } from "~/routes/caseloads.overdue";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { addContact, endAssignment, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

type Row = { id: number; alias: string; crisis: boolean; overdue: { overdue: boolean; daysOverdue: number | null; reason: string | null } };
type Worker = { districtId: number; kind: string; personId: number; caseload: number; overdue: number };

async function call(fn: (args: never) => unknown, path: string, cookie: string) {
  return respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie }), params: {}, context: { cspNonce: "" } }));
}

function crisis(clientId: number, raisedByUserId: number, resolved = false) {
  getDb()
    .insert(clientFlags)
    .values({ clientId, kind: "crisis", reason: "测试危机（虚构）", raisedByUserId, raisedAt: daysAgo(1), resolvedAt: resolved ? daysAgo(0) : null })
    .run();
}

describe("My mentees", () => {
  let districtId: number;
  let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
  let pt: Awaited<ReturnType<typeof makePeerTutor>>;
  beforeAll(async () => {
    districtId = makeDistrict().id;
    sw = await makeSocialWorker(districtId);
    pt = await makePeerTutor(districtId);
  });

  it("My mentees lists overdue first and crisis above all", async () => {
    const mk = (alias: string) => makeClient({ districtId, alias, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId });
    const onTrack = await mk("按期（化名）");
    addContact({ clientId: onTrack.id, authorUserId: pt.id, happenedAt: daysAgo(2) });
    const tenOver = await mk("逾期十天（化名）");
    addContact({ clientId: tenOver.id, authorUserId: pt.id, happenedAt: daysAgo(40) });
    const fiveOver = await mk("逾期五天（化名）");
    addContact({ clientId: fiveOver.id, authorUserId: pt.id, happenedAt: daysAgo(35) });
    const promised = await mk("约定日期已过（化名）");
    addContact({ clientId: promised.id, authorUserId: pt.id, happenedAt: daysAgo(10), nextContactDue: daysAgo(3).slice(0, 10) });
    const never = await mk("从未帮教（化名）");
    const inCrisis = await mk("危机（化名）");
    addContact({ clientId: inCrisis.id, authorUserId: pt.id, happenedAt: daysAgo(1) });
    crisis(inCrisis.id, sw.id);
    const pastCrisis = await mk("危机已解除（化名）");
    addContact({ clientId: pastCrisis.id, authorUserId: pt.id, happenedAt: daysAgo(3) });
    crisis(pastCrisis.id, sw.id, true);

    const res = await call(menteesLoader, "/mentees", pt.cookie);
    expect(res.status).toBe(200);
    const rows = (res.body as { rows: Row[] }).rows;
    expect(rows.map((r) => r.id)).toEqual([inCrisis.id, never.id, tenOver.id, fiveOver.id, promised.id, pastCrisis.id, onTrack.id]);
    expect(rows[0]).toMatchObject({ crisis: true, overdue: { overdue: false } });
    expect(rows[1]!.overdue).toMatchObject({ overdue: true, daysOverdue: null, reason: "never_contacted" });
    expect(rows[2]!.overdue).toMatchObject({ overdue: true, daysOverdue: 10 });
    expect(rows[3]!.overdue).toMatchObject({ overdue: true, daysOverdue: 5 });
    expect(rows[4]!.overdue).toMatchObject({ overdue: true, reason: "next_due_passed" });
    expect(rows.slice(5).every((r) => !r.overdue.overdue && !r.crisis)).toBe(true);
  });

  it("My mentees leaves out other tutors' mentees, former mentees and closed cases", async () => {
    const other = await makePeerTutor(districtId);
    const mine = await makeClient({ districtId, peerTutorPersonId: other.personId });
    const someoneElses = await makeClient({ districtId, peerTutorPersonId: pt.personId });
    const former = await makeClient({ districtId, peerTutorPersonId: other.personId });
    endAssignment(former.id, "peer_tutor", "2025-06-01");
    const closed = await makeClient({ districtId, peerTutorPersonId: other.personId, status: "closed" });
    const ids = ((await call(menteesLoader, "/mentees", other.cookie)).body as { rows: Row[] }).rows.map((r) => r.id);
    expect(ids).toEqual([mine.id]);
    expect(ids).not.toContain(someoneElses.id);
    expect(ids).not.toContain(former.id);
    expect(ids).not.toContain(closed.id);
  });

  it("only peer tutors open My mentees; a social worker gets 403", async () => {
    expect((await call(menteesLoader, "/mentees", sw.cookie)).status).toBe(403);
  });
});

describe("the social worker's caseload", () => {
  it("lists the clients they are the current social worker of, overdue first", async () => {
    const districtId = makeDistrict().id;
    const sw = await makeSocialWorker(districtId);
    const otherSw = await makeSocialWorker(districtId);
    const recent = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    addContact({ clientId: recent.id, authorUserId: sw.id, happenedAt: daysAgo(1) });
    const overdue = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    addContact({ clientId: overdue.id, authorUserId: sw.id, happenedAt: daysAgo(45) });
    await makeClient({ districtId, socialWorkerPersonId: otherSw.personId });
    const res = await call(caseloadLoader, "/caseload", sw.cookie);
    expect(res.status).toBe(200);
    const rows = (res.body as { rows: Row[]; total: number }).rows;
    expect(rows.map((r) => r.id)).toEqual([overdue.id, recent.id]);
    expect(rows[0]!.overdue.daysOverdue).toBe(15);
  });

  it("a peer tutor gets 403 on the caseload page", async () => {
    const pt = await makePeerTutor(makeDistrict().id);
    expect((await call(caseloadLoader, "/caseload", pt.cookie)).status).toBe(403);
  });
});

describe("who is falling behind", () => {
  it("the coordinator overview counts overdue clients per worker in their districts only", async () => {
    const d1 = makeDistrict().id;
    const d2 = makeDistrict().id;
    const swA = await makeSocialWorker(d1);
    const swB = await makeSocialWorker(d1);
    const swC = await makeSocialWorker(d2);
    const ptA = await makePeerTutor(d1);
    const coordinator = await makeCoordinator([d1]);
    const client = async (districtId: number, swPersonId: number, lastContactDaysAgo: number | null, ptPersonId?: number) => {
      const c = await makeClient({ districtId, socialWorkerPersonId: swPersonId, peerTutorPersonId: ptPersonId });
      if (lastContactDaysAgo !== null) addContact({ clientId: c.id, authorUserId: swA.id, happenedAt: daysAgo(lastContactDaysAgo) });
      return c;
    };
    // swA in d1: 3 clients, 2 overdue (one never contacted); ptA mentors two of them
    await client(d1, swA.personId, 45, ptA.personId);
    await client(d1, swA.personId, null);
    await client(d1, swA.personId, 3, ptA.personId);
    // swB in d1: 1 client, on track
    await client(d1, swB.personId, 5);
    // swA also has a client in d2, and swC works in d2: neither is the d1 coordinator's business
    await client(d2, swA.personId, 90);
    await client(d2, swC.personId, 90);
    // a closed case is nobody's caseload
    await makeClient({ districtId: d1, socialWorkerPersonId: swB.personId, status: "closed" });

    const res = await call(behindLoader, "/caseloads/overdue", coordinator.cookie);
    expect(res.status).toBe(200);
    const rows = (res.body as { rows: Worker[]; total: number }).rows;
    expect(rows.map((r) => ({ districtId: r.districtId, kind: r.kind, personId: r.personId, caseload: r.caseload, overdue: r.overdue }))).toEqual([
      { districtId: d1, kind: "social_worker", personId: swA.personId, caseload: 3, overdue: 2 },
      { districtId: d1, kind: "peer_tutor", personId: ptA.personId, caseload: 2, overdue: 1 },
      { districtId: d1, kind: "social_worker", personId: swB.personId, caseload: 1, overdue: 0 },
    ]);
    expect((res.body as { total: number }).total).toBe(3);

    // a district that is not theirs in the URL changes nothing
    const sneaky = await call(behindLoader, `/caseloads/overdue?district=${d2}`, coordinator.cookie);
    expect((sneaky.body as { rows: Worker[] }).rows.every((r) => r.districtId === d1)).toBe(true);
  });

  it("a coordinator of two districts sees both, grouped by district, and can narrow to one", async () => {
    const d1 = makeDistrict().id;
    const d2 = makeDistrict().id;
    const sw1 = await makeSocialWorker(d1);
    const sw2 = await makeSocialWorker(d2);
    await makeClient({ districtId: d1, socialWorkerPersonId: sw1.personId });
    await makeClient({ districtId: d2, socialWorkerPersonId: sw2.personId });
    const coordinator = await makeCoordinator([d1, d2]);
    const all = (await call(behindLoader, "/caseloads/overdue", coordinator.cookie)).body as { rows: Worker[] };
    expect(all.rows.map((r) => r.districtId)).toEqual([d1, d2]);
    const one = (await call(behindLoader, `/caseloads/overdue?district=${d2}`, coordinator.cookie)).body as { rows: Worker[] };
    expect(one.rows.map((r) => r.personId)).toEqual([sw2.personId]);
  });

  it("social workers and peer tutors get 403 on the overview", async () => {
    const d = makeDistrict().id;
    expect((await call(behindLoader, "/caseloads/overdue", (await makeSocialWorker(d)).cookie)).status).toBe(403);
    expect((await call(behindLoader, "/caseloads/overdue", (await makePeerTutor(d)).cookie)).status).toBe(403);
  });
});

describe("navigation", () => {
  it("offers My mentees to peer tutors, the caseload to social workers and the overview to coordinators", () => {
    const paths = (role: "peer_tutor" | "social_worker" | "coordinator" | "trainer") => navigationFor({ roles: [{ role, districtId: 1 }] }).map((i) => i.to);
    expect(paths("peer_tutor")).toContain("/mentees");
    expect(paths("peer_tutor")).not.toContain("/caseload");
    expect(paths("social_worker")).toContain("/caseload");
    expect(paths("social_worker")).not.toContain("/caseloads/overdue");
    expect(paths("coordinator")).toContain("/caseloads/overdue");
    expect(paths("trainer").filter((p) => p.startsWith("/mentees") || p.startsWith("/caseload"))).toEqual([]);
  });
});
