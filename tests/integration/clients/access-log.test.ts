/**
 * The client's access log (issue "Clients and caseloads" item 13): who opened or changed the
 * record and when, for the client's social worker and admins only.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { auditLog } from "#db/schema";
import { loader } from "~/routes/clients.$id.access-log";
import { action as flagsAction, loader as flagsLoader } from "~/routes/clients.$id.flags";
import { loader as timelineLoader } from "~/routes/clients.$id.timeline";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";

let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let pt: Awaited<ReturnType<typeof makePeerTutor>>;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;
let admin: Awaited<ReturnType<typeof makeSignedInUser>>;

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
  pt = await makePeerTutor(districtId);
  coordinator = await makeCoordinator([districtId]);
  admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
});

const clientOfTeam = () => makeClient({ districtId, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId });

type LogPage = { rows: { at: string; login: string; action: string; part: string | null }[]; total: number; page: number; pages: number };

function openLog(clientId: number, cookie: string, search = "") {
  return respond(() => loader({ request: makeRequest(`/clients/${clientId}/access-log${search}`, { cookie }), params: { id: String(clientId) }, context: { cspNonce: "" } }));
}

const params = (clientId: number) => ({ id: String(clientId) });

describe("the access log", () => {
  it("shows views made by a coordinator and a peer tutor, and changes, newest first", async () => {
    const client = await clientOfTeam();
    expect((await respond(() => flagsLoader({ request: makeRequest(`/clients/${client.id}/flags`, { cookie: coordinator.cookie }), params: params(client.id), context: { cspNonce: "" } }))).status).toBe(200);
    expect((await respond(() => timelineLoader({ request: makeRequest(`/clients/${client.id}/timeline`, { cookie: pt.cookie }), params: params(client.id), context: { cspNonce: "" } }))).status).toBe(200);
    const raise = makeRequest(`/clients/${client.id}/flags`, { method: "POST", cookie: pt.cookie, form: { intent: "raise", kind: "risk", reason: "测试风险（虚构）" } });
    expect((await respond(() => flagsAction({ request: raise, params: params(client.id), context: { cspNonce: "" } }))).status).toBe(302);

    const res = await openLog(client.id, sw.cookie);
    expect(res.status).toBe(200);
    const { rows } = res.body as LogPage;
    // the social worker's own opening of the log is recorded too, and is the newest
    expect(rows.map((r) => [r.login, r.action, r.part])).toEqual([
      [sw.login, "view", "access-log"],
      [pt.login, "raise_flag", null],
      [pt.login, "view", "timeline"],
      [coordinator.login, "view", "flags"],
    ]);
  });

  it("is visible to an admin", async () => {
    const client = await clientOfTeam();
    const res = await openLog(client.id, admin.cookie);
    expect(res.status).toBe(200);
    expect((res.body as LogPage).rows[0]).toMatchObject({ login: admin.login, part: "access-log" });
  });

  it("answers 403 to the peer tutor and the coordinator, and does not log the refused attempt as a view", async () => {
    const client = await clientOfTeam();
    expect((await openLog(client.id, pt.cookie)).status).toBe(403);
    expect((await openLog(client.id, coordinator.cookie)).status).toBe(403);
    const views = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, "client"), eq(auditLog.entityId, String(client.id)), eq(auditLog.action, "view")))
      .all();
    expect(views).toEqual([]);
  });

  it("answers 404 to a social worker of another caseload and for an unknown client", async () => {
    const client = await clientOfTeam();
    const other = await makeSocialWorker(districtId);
    expect((await openLog(client.id, other.cookie)).status).toBe(404);
    expect((await openLog(424_242, sw.cookie)).status).toBe(404);
  });

  it("pages: thirty views make two pages, the second holding the oldest", async () => {
    const client = await clientOfTeam();
    for (let i = 0; i < 30; i++) {
      await respond(() => timelineLoader({ request: makeRequest(`/clients/${client.id}/timeline`, { cookie: pt.cookie }), params: params(client.id), context: { cspNonce: "" } }));
    }
    const first = (await openLog(client.id, sw.cookie)).body as LogPage;
    expect(first.total).toBe(31);
    expect(first.rows).toHaveLength(25);
    expect(first.pages).toBe(2);
    const second = (await openLog(client.id, sw.cookie, "?page=2")).body as LogPage;
    expect(second.page).toBe(2);
    expect(second.total).toBe(32);
    expect(second.rows).toHaveLength(7);
    expect(second.rows.every((r) => r.login === pt.login || r.login === sw.login)).toBe(true);
    expect(second.rows[second.rows.length - 1]).toMatchObject({ login: pt.login, part: "timeline" });
  });
});
