/**
 * The client list (/clients): scoped by the viewer's permissions inside the query, searched,
 * filtered, sorted and paged on the server, anyone in crisis first.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import * as list from "~/routes/clients._index/route";
import { clientFlags } from "#db/schema";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { addContact, assignTo, endAssignment, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { get } from "./clients-helpers";
import { workerFilterOptions } from "~/domain/clients";

type ListBody = {
  rows: { id: number; alias: string; crisis: boolean; overdue: { overdue: boolean } | null }[];
  total: number;
  pages: number;
};

async function listAs(cookie: string, search = ""): Promise<ListBody> {
  const res = await get(list.loader, `/clients${search}`, cookie);
  expect(res.status).toBe(200);
  return res.body as ListBody;
}

const ids = (body: ListBody) => body.rows.map((r) => r.id);

function raiseCrisis(clientId: number, byUserId: number, resolved = false) {
  getDb()
    .insert(clientFlags)
    .values({
      clientId,
      kind: "crisis",
      reason: "测试危机（虚构）",
      raisedByUserId: byUserId,
      raisedAt: new Date().toISOString(),
      resolvedAt: resolved ? new Date().toISOString() : null,
      resolvedByUserId: resolved ? byUserId : null,
    })
    .run();
}

describe("who sees which clients", () => {
  let d1: number;
  let d2: number;
  beforeAll(() => {
    d1 = makeDistrict().id;
    d2 = makeDistrict().id;
  });

  it("a peer tutor's list shows only their current mentees", async () => {
    const tutor = await makePeerTutor(d1);
    const other = await makePeerTutor(d1);
    const mine = await makeClient({ districtId: d1, peerTutorPersonId: tutor.personId });
    const theirs = await makeClient({ districtId: d1, peerTutorPersonId: other.personId });
    const former = await makeClient({ districtId: d1, peerTutorPersonId: tutor.personId });
    endAssignment(former.id, "peer_tutor", "2025-06-01");
    const shown = ids(await listAs(tutor.cookie));
    expect(shown).toEqual([mine.id]);
    expect(shown).not.toContain(theirs.id);
  });

  it("a social worker's list shows only their own caseload", async () => {
    const sw = await makeSocialWorker(d1);
    const other = await makeSocialWorker(d1);
    const mine = await makeClient({ districtId: d1, socialWorkerPersonId: sw.personId });
    await makeClient({ districtId: d1, socialWorkerPersonId: other.personId });
    expect(ids(await listAs(sw.cookie))).toEqual([mine.id]);
  });

  it("a coordinator sees the clients of their districts only", async () => {
    const coordinator = await makeCoordinator([d2]);
    const inside = await makeClient({ districtId: d2 });
    const outside = await makeClient({ districtId: d1 });
    const shown = ids(await listAs(coordinator.cookie));
    expect(shown).toContain(inside.id);
    expect(shown).not.toContain(outside.id);
  });

  it("a trainer gets 403", async () => {
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await get(list.loader, "/clients", trainer.cookie)).status).toBe(403);
  });
});

describe("search, filters, sorting and paging", () => {
  let districtId: number;
  let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;
  let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
  beforeAll(async () => {
    districtId = makeDistrict().id;
    coordinator = await makeCoordinator([districtId]);
    sw = await makeSocialWorker(districtId);
  });

  it("finds a client by part of the alias or of the case number", async () => {
    const a = await makeClient({ districtId, alias: "搜索测试甲（化名）", caseNumber: "SRCH-ALPHA-001" });
    const b = await makeClient({ districtId, alias: "Test Client Beta (fictional)", caseNumber: "SRCH-002" });
    expect(ids(await listAs(coordinator.cookie, `?q=${encodeURIComponent("测试甲")}`))).toEqual([a.id]);
    expect(ids(await listAs(coordinator.cookie, "?q=alpha"))).toEqual([a.id]);
    expect(ids(await listAs(coordinator.cookie, "?q=client%20beta"))).toEqual([b.id]);
    // LIKE wildcards are plain characters here
    expect(ids(await listAs(coordinator.cookie, "?q=SRCH-%25"))).toEqual([]);
  });

  it("filters by status, risk, worker and overdue", async () => {
    const d = makeDistrict().id;
    const c = await makeCoordinator([d]);
    const worker = await makeSocialWorker(d);
    const high = await makeClient({ districtId: d, riskLevel: "high", socialWorkerPersonId: worker.personId });
    const closed = await makeClient({ districtId: d, status: "closed" });
    const contacted = await makeClient({ districtId: d, riskLevel: "low" });
    addContact({ clientId: contacted.id, authorUserId: worker.id, happenedAt: new Date().toISOString() });
    expect(ids(await listAs(c.cookie, "?risk=high"))).toEqual([high.id]);
    expect(ids(await listAs(c.cookie, "?status=closed"))).toEqual([closed.id]);
    expect(ids(await listAs(c.cookie, `?worker=${worker.personId}`))).toEqual([high.id]);
    // overdue: never contacted and not closed
    expect(ids(await listAs(c.cookie, "?overdue=1"))).toEqual([high.id]);
    const all = await listAs(c.cookie);
    expect(all.rows.find((r) => r.id === contacted.id)!.overdue).toMatchObject({ overdue: false });
    expect(all.rows.find((r) => r.id === closed.id)!.overdue).toBeNull();
  });

  it("filters by part of a current worker's name, and offers that search instead of a list when a scope has too many workers", async () => {
    const d = makeDistrict().id;
    const c = await makeCoordinator([d]);
    const worker = await makeSocialWorker(d);
    const other = await makeSocialWorker(d);
    const former = await makeSocialWorker(d);
    const mine = await makeClient({ districtId: d, socialWorkerPersonId: worker.personId });
    await makeClient({ districtId: d, socialWorkerPersonId: other.personId });
    const moved = await makeClient({ districtId: d, socialWorkerPersonId: former.personId, intakeDate: "2025-01-10" });
    endAssignment(moved.id, "social_worker", "2025-06-01");
    const nameOf = (personId: number) => getDb().$client.prepare("select display_name as n from persons where id = ?").get(personId) as { n: string };
    const name = nameOf(worker.personId).n;
    expect(ids(await listAs(c.cookie, `?workerName=${encodeURIComponent(name)}`))).toEqual([mine.id]);
    // a former worker no longer finds the client they handed over
    expect(ids(await listAs(c.cookie, `?workerName=${encodeURIComponent(nameOf(former.personId).n)}`))).toEqual([]);
    const viewer = { id: c.id, personId: c.personId, roles: [{ role: "coordinator" as const, districtId: d }] };
    expect(workerFilterOptions(getDb(), viewer, 5)?.map((w) => w.personId).sort()).toEqual([worker.personId, other.personId].sort());
    expect(workerFilterOptions(getDb(), viewer, 1)).toBeNull();
  });

  it("ignores malformed filters instead of failing", async () => {
    const res = await get(list.loader, "/clients?district=abc&status=gone&risk=%00&sort=evil&dir=sideways&worker=-1&page=x", coordinator.cookie);
    expect(res.status).toBe(200);
  });

  it("sorts by alias, intake date and last contact, in both directions", async () => {
    const d = makeDistrict().id;
    const c = await makeCoordinator([d]);
    const x = await makeClient({ districtId: d, alias: "B测试（化名）", intakeDate: "2024-05-01" });
    const y = await makeClient({ districtId: d, alias: "A测试（化名）", intakeDate: "2025-05-01" });
    const z = await makeClient({ districtId: d, alias: "C测试（化名）", intakeDate: "2023-05-01" });
    addContact({ clientId: x.id, authorUserId: sw.id, happenedAt: "2025-01-01T02:00:00.000Z" });
    addContact({ clientId: y.id, authorUserId: sw.id, happenedAt: "2025-03-01T02:00:00.000Z" });
    expect(ids(await listAs(c.cookie, "?sort=alias"))).toEqual([y.id, x.id, z.id]);
    expect(ids(await listAs(c.cookie, "?sort=alias&dir=desc"))).toEqual([z.id, x.id, y.id]);
    expect(ids(await listAs(c.cookie, "?sort=intake"))).toEqual([z.id, x.id, y.id]);
    // never contacted first, then the longest ago
    expect(ids(await listAs(c.cookie, "?sort=lastContact"))).toEqual([z.id, x.id, y.id]);
    expect(ids(await listAs(c.cookie, "?sort=lastContact&dir=desc"))).toEqual([y.id, x.id, z.id]);
  });

  it("puts clients with an open crisis flag first in every ordering, not those whose crisis is resolved", async () => {
    const d = makeDistrict().id;
    const c = await makeCoordinator([d]);
    const a = await makeClient({ districtId: d, alias: "A危机测试（化名）" });
    const z = await makeClient({ districtId: d, alias: "Z危机测试（化名）" });
    const m = await makeClient({ districtId: d, alias: "M危机测试（化名）" });
    raiseCrisis(z.id, c.id);
    raiseCrisis(m.id, c.id, true);
    for (const search of ["?sort=alias", "?sort=alias&dir=desc", "?sort=intake", "?sort=lastContact&dir=desc"]) {
      const body = await listAs(c.cookie, search);
      expect(body.rows[0]!.id, search).toBe(z.id);
      expect(body.rows[0]!.crisis).toBe(true);
    }
    expect(ids(await listAs(c.cookie, "?sort=alias"))).toEqual([z.id, a.id, m.id]);
  });

  it("pages on the server, 25 a page", async () => {
    const d = makeDistrict().id;
    const c = await makeCoordinator([d]);
    for (let i = 0; i < 27; i++) await makeClient({ districtId: d });
    const first = await listAs(c.cookie, "?sort=intake");
    const second = await listAs(c.cookie, "?sort=intake&page=2");
    expect(first.total).toBe(27);
    expect(first.pages).toBe(2);
    expect(first.rows).toHaveLength(25);
    expect(second.rows).toHaveLength(2);
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(27);
  });

  it("shows a former worker none of the clients they no longer hold", async () => {
    const d = makeDistrict().id;
    const before = await makeSocialWorker(d);
    const after = await makeSocialWorker(d);
    const client = await makeClient({ districtId: d, socialWorkerPersonId: before.personId });
    expect(ids(await listAs(before.cookie))).toEqual([client.id]);
    assignTo(client.id, "social_worker", after.personId, "2025-06-01");
    expect(ids(await listAs(before.cookie))).toEqual([]);
    expect(ids(await listAs(after.cookie))).toEqual([client.id]);
  });
});
