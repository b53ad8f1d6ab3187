/**
 * Contact drafts: what is typed into the contact form is never lost. Saved by the page's script
 * (POST intent "draft"), restored into the form, replaced, discarded when the contact is saved,
 * purged after 7 days, and still there after a timed-out session and a new sign-in.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { auditLog, authSessions, contactDrafts, contacts } from "#db/schema";
import { sessionIdFromToken } from "~/auth/session.server";
import { clientAccess, getContactDraft, saveContactDraft } from "~/domain/clients";
import { localInputFromUtc } from "~/domain/clients/contact-fields";
import { action, loader } from "~/routes/clients.$id.contacts";
import { makeDistrict, makeRequest, respond, signIn } from "../../factories";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";

const TZ = "Asia/Shanghai";
const DAY = 86_400_000;

let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let pt: Awaited<ReturnType<typeof makePeerTutor>>;

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
  pt = await makePeerTutor(districtId);
});

const mentee = (consent = true) => makeClient({ districtId, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId, consent });

function post(clientId: number, cookie: string, form: Record<string, string | string[]>) {
  const request = makeRequest(`/clients/${clientId}/contacts`, { method: "POST", cookie, form });
  return respond(() => action({ request, params: { id: String(clientId) }, context: { cspNonce: "" } }));
}

async function page(clientId: number, cookie: string) {
  const request = makeRequest(`/clients/${clientId}/contacts`, { cookie });
  return (await respond(() => loader({ request, params: { id: String(clientId) }, context: { cspNonce: "" } }))).body as {
    draft: { values: Record<string, string>; savedAt: string } | null;
  };
}

const drafts = (clientId: number) => getDb().select().from(contactDrafts).where(eq(contactDrafts.clientId, clientId)).all();

const typed = (summary: string): Record<string, string | string[]> => ({
  type: "homeVisit",
  happenedAt: localInputFromUtc(new Date(Date.now() - 30 * 60 * 1000), TZ),
  durationMinutes: "45",
  participants: ["family", "communityPolice"],
  summary,
  mood: "low",
  private: "on",
});

describe("contact drafts", () => {
  it("a draft is saved by the page's script and restored into the form", async () => {
    const client = await mentee();
    const res = await post(client.id, pt.cookie, { intent: "draft", ...typed("家访中，尚未写完（虚构）") });
    expect(res.status).toBe(200);
    expect((res.body as { draftSavedAt: string }).draftSavedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const { draft } = await page(client.id, pt.cookie);
    expect(draft?.values).toMatchObject({
      type: "homeVisit",
      durationMinutes: "45",
      participants: "family,communityPolice",
      summary: "家访中，尚未写完（虚构）",
      mood: "low",
      private: "on",
    });
    expect(draft?.values).not.toHaveProperty("intent");
  });

  it("a draft is one per person and client: saving again replaces it, and nobody else sees it", async () => {
    const client = await mentee();
    await post(client.id, pt.cookie, { intent: "draft", ...typed("第一稿（虚构）") });
    await post(client.id, pt.cookie, { intent: "draft", ...typed("第二稿（虚构）") });
    expect(drafts(client.id)).toHaveLength(1);
    expect((await page(client.id, pt.cookie)).draft?.values.summary).toBe("第二稿（虚构）");
    expect((await page(client.id, sw.cookie)).draft).toBeNull();
  });

  it("a draft is discarded when the contact is saved", async () => {
    const client = await mentee();
    await post(client.id, pt.cookie, { intent: "draft", ...typed("草稿（虚构）") });
    const res = await post(client.id, pt.cookie, { intent: "save", ...typed("完整记录（虚构）") });
    expect(res.status).toBe(302);
    expect(drafts(client.id)).toHaveLength(0);
    expect((await page(client.id, pt.cookie)).draft).toBeNull();
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.entity, "contact"), eq(auditLog.action, "create"))).all();
    expect(audit.at(-1)?.details).toMatchObject({ clientId: client.id, draftDiscarded: true });
  });

  it("a person may discard their draft", async () => {
    const client = await mentee();
    await post(client.id, pt.cookie, { intent: "draft", ...typed("不要了（虚构）") });
    const res = await post(client.id, pt.cookie, { intent: "discardDraft" });
    expect(res.status).toBe(302);
    expect(drafts(client.id)).toHaveLength(0);
  });

  it("a failed submission keeps a draft as well as returning the input", async () => {
    const client = await mentee(false);
    const res = await post(client.id, pt.cookie, { intent: "save", ...typed("没有同意书时写的记录（虚构）") });
    expect(res.status).toBe(400);
    expect((await page(client.id, pt.cookie)).draft?.values.summary).toBe("没有同意书时写的记录（虚构）");
  });

  it("a draft older than 7 days is not restored, and it is purged on the next write", async () => {
    const client = await mentee();
    const other = await mentee();
    const access = clientAccess(getDb(), { id: pt.id, personId: pt.personId, roles: [{ role: "peer_tutor", districtId }] }, client.id)!;
    const actor = { userId: pt.id, login: pt.login, ip: "127.0.0.1" };
    saveContactDraft(getDb(), actor, access, { summary: "八天前的草稿（虚构）" }, new Date(Date.now() - 8 * DAY));
    saveContactDraft(getDb(), actor, access, { summary: "六天前的草稿（虚构）" }, new Date(Date.now() - 6 * DAY));
    expect(drafts(client.id)).toHaveLength(1); // the second save replaced the first
    expect(getContactDraft(getDb(), pt.id, client.id)?.values.summary).toBe("六天前的草稿（虚构）");

    // an eight-day-old draft: ignored on read, gone after any write
    getDb().update(contactDrafts).set({ savedAt: new Date(Date.now() - 8 * DAY).toISOString() }).where(eq(contactDrafts.clientId, client.id)).run();
    expect(getContactDraft(getDb(), pt.id, client.id)).toBeNull();
    expect((await page(client.id, pt.cookie)).draft).toBeNull();
    expect(drafts(client.id)).toHaveLength(1); // GET never writes
    await post(other.id, pt.cookie, { intent: "draft", summary: "别的对象（虚构）" });
    expect(drafts(client.id)).toHaveLength(0);
    expect(drafts(other.id)).toHaveLength(1);
  });

  it("after the session expires, saving sends the person to sign in and back, and the draft is restored into the form", async () => {
    const client = await mentee();
    const cookie = signIn(pt.id);
    await post(client.id, cookie, { intent: "draft", ...typed("会话过期前写的内容（虚构）") });
    // the session runs out while the phone sits in a pocket
    const token = cookie.replace(/^tb_session=/, "");
    getDb()
      .update(authSessions)
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where(eq(authSessions.id, sessionIdFromToken(token)))
      .run();

    // the script's next save is answered quietly (no navigation away from the form)
    const quiet = await post(client.id, cookie, { intent: "draft", ...typed("过期后") });
    expect(quiet.status).toBe(401);
    expect(quiet.body).toEqual({ expired: true });

    // pressing "Save contact" leads to sign-in, which will come back here
    const res = await post(client.id, cookie, { intent: "save", ...typed("会话过期前写的内容（虚构）") });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/clients/${client.id}/contacts`)}`);
    expect(getDb().select().from(contacts).where(eq(contacts.clientId, client.id)).all()).toHaveLength(0);

    // signed in again: the form comes back with the draft
    const again = signIn(pt.id);
    expect((await page(client.id, again)).draft?.values.summary).toBe("会话过期前写的内容（虚构）");
  });

  it("only someone who may add a contact keeps a draft (a coordinator gets 403)", async () => {
    const client = await mentee();
    const coordinator = await makeCoordinator([districtId]);
    expect((await post(client.id, coordinator.cookie, { intent: "draft", summary: "协调员（虚构）" })).status).toBe(403);
    expect(drafts(client.id)).toHaveLength(0);
  });

  it("a draft keeps only the form's fields and no control characters; its audit row holds no text", async () => {
    const client = await mentee();
    await post(client.id, pt.cookie, { intent: "draft", summary: "带\u0007控制字符（虚构）", unrelated: "x".repeat(50) });
    const row = drafts(client.id)[0]!;
    expect(row.values).toEqual({ participants: "", summary: "带控制字符（虚构）" });
    const audit = getDb().select().from(auditLog).where(eq(auditLog.entity, "contact_draft")).all();
    expect(audit.at(-1)).toMatchObject({ action: "save", details: { clientId: client.id } });
    expect(JSON.stringify(audit)).not.toContain("控制字符");
  });
});
