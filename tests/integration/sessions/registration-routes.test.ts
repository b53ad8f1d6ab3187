/**
 * The registrations page as a browser uses it: a social worker registers their client (and sees
 * only their own clients on a session they do not facilitate); a peer tutor posting another
 * tutor's mentee gets a field refusal and nothing is saved; bad input is a 400, never a 500.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sessionRegistrations } from "#db/schema";
import { getDb } from "~/db.server";
import * as registerPage from "~/routes/sessions_.$id.register";
import { makeClient, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { makeRawSession, makeScheduleStudio, registerClient } from "../../sessions-factories";

const context = { cspNonce: "" };
type Fn = (args: never) => unknown;
const call = (fn: Fn, path: string, cookie: string, params: Record<string, string> = {}, form?: Record<string, string | string[]>) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie, form }), params, context }));

let districtId = 0;
let sessionId = 0;
beforeAll(() => {
  districtId = makeDistrict().id;
  const studio = makeScheduleStudio({ districtId });
  sessionId = makeRawSession({ studioId: studio.id, startsAt: "2099-05-05T02:00:00.000Z", endsAt: "2099-05-05T03:00:00.000Z" }).id;
});

const reg = (clientId: number) =>
  getDb().select().from(sessionRegistrations).where(and(eq(sessionRegistrations.sessionId, sessionId), eq(sessionRegistrations.clientId, clientId))).get();

describe("registrations page", () => {
  it("a social worker registers their client and sees only their own clients listed", async () => {
    const sw = await makeSocialWorker(districtId);
    const other = await makeSocialWorker(districtId);
    const mine = await makeClient({ districtId, socialWorkerPersonId: sw.personId, alias: "测试对象甲（化名）" });
    const theirs = await makeClient({ districtId, socialWorkerPersonId: other.personId, alias: "测试对象乙（化名）" });
    registerClient(sessionId, theirs.id);
    const path = `/sessions/${sessionId}/register`;
    const posted = await call(registerPage.action, path, sw.cookie, { id: String(sessionId) }, { intent: "register", clientId: String(mine.id) });
    expect(posted.status).toBe(302);
    expect(reg(mine.id)?.status).toBe("registered");
    const page = await call(registerPage.loader, path, sw.cookie, { id: String(sessionId) });
    const body = page.body as { registrations: { alias: string }[]; clients: { id: number }[] };
    expect(body.registrations.map((r) => r.alias)).toEqual(["测试对象甲（化名）"]);
    expect(body.clients.map((c) => c.id)).toEqual([mine.id]);
  });

  it("a peer tutor cannot register another tutor's mentee", async () => {
    const tutor = await makePeerTutor(districtId);
    const otherTutor = await makePeerTutor(districtId);
    const mentee = await makeClient({ districtId, peerTutorPersonId: otherTutor.personId });
    const res = await call(registerPage.action, `/sessions/${sessionId}/register`, tutor.cookie, { id: String(sessionId) }, { intent: "register", clientId: String(mentee.id) });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors.clientId).toBe("form.unknownId");
    expect(reg(mentee.id)).toBeUndefined();
  });

  it("bad input (a non-numeric client id, an over-long reason, an unknown session) is refused without a 500", async () => {
    const sw = await makeSocialWorker(districtId);
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const path = `/sessions/${sessionId}/register`;
    const wrongType = await call(registerPage.action, path, sw.cookie, { id: String(sessionId) }, { intent: "register", clientId: "abc" });
    expect(wrongType.status).toBe(400);
    const long = await call(registerPage.action, path, sw.cookie, { id: String(sessionId) }, { intent: "register", clientId: String(client.id), overrideReason: "长".repeat(500) });
    expect(long.status).toBe(400);
    const unknown = await call(registerPage.loader, "/sessions/999999/register", sw.cookie, { id: "999999" });
    expect(unknown.status).toBe(404);
    expect(reg(client.id)).toBeUndefined();
  });
});
