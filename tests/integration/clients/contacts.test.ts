/**
 * The contact log (issue "Clients and caseloads" item 5): who may log a contact, the rules a
 * contact keeps, private notes, and what the audit log holds.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { auditLog, contacts, settings } from "#db/schema";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { localInputFromUtc } from "~/domain/clients/contact-fields";
import { DEFAULT_CONTACT_TYPES, getContactTypes, saveContactTypes } from "~/domain/settings";
import { action, loader } from "~/routes/clients.$id.contacts";
import { loader as menteesLoader } from "~/routes/mentees";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { addContact, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";

const TZ = "Asia/Shanghai";
const DAY = 86_400_000;

let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let pt: Awaited<ReturnType<typeof makePeerTutor>>;
let otherPt: Awaited<ReturnType<typeof makePeerTutor>>;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
  pt = await makePeerTutor(districtId);
  otherPt = await makePeerTutor(districtId);
  coordinator = await makeCoordinator([districtId]);
});

function menteeOfPt(options: { consent?: boolean } = {}) {
  return makeClient({ districtId, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId, consent: options.consent });
}

const localNow = (offsetMs = 0) => localInputFromUtc(new Date(Date.now() + offsetMs), TZ);
const localDay = (offsetDays: number) => localInputFromUtc(new Date(Date.now() + offsetDays * DAY), TZ).slice(0, 10);

function goodForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    intent: "save",
    type: "phone",
    happenedAt: localNow(-60 * 60 * 1000),
    durationMinutes: "20",
    participants: ["family", "residentsCommittee"],
    summary: "电话联系，情绪平稳，约定下周家访。（虚构）\nTest summary (fictional).",
    mood: "stable",
    riskObservation: "",
    nextContactDue: localDay(7),
    ...overrides,
  };
}

function post(clientId: number, cookie: string, form: Record<string, string | string[]>) {
  const request = makeRequest(`/clients/${clientId}/contacts`, { method: "POST", cookie, form });
  return respond(() => action({ request, params: { id: String(clientId) }, context: { cspNonce: "" } }));
}

function get(clientId: number, cookie: string) {
  const request = makeRequest(`/clients/${clientId}/contacts`, { cookie });
  return respond(() => loader({ request, params: { id: String(clientId) }, context: { cspNonce: "" } }));
}

type Failure = { errors: Record<string, string>; values: Record<string, string> };
type Page = { rows: { id: number; summary: string; private: boolean }[]; total: number; canAdd: boolean };

describe("logging a contact", () => {
  it("a peer tutor logs a phone contact for their mentee and the mentee stops being overdue", async () => {
    const client = await menteeOfPt();
    const mentees = async () =>
      ((await respond(() => menteesLoader({ request: makeRequest("/mentees", { cookie: pt.cookie }), params: {}, context: { cspNonce: "" } }))).body as {
        rows: { id: number; overdue: { overdue: boolean } }[];
      }).rows.find((r) => r.id === client.id);
    expect((await mentees())?.overdue.overdue).toBe(true);

    const res = await post(client.id, pt.cookie, goodForm());
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/clients/${client.id}/contacts`);

    const saved = getDb().select().from(contacts).where(eq(contacts.clientId, client.id)).all();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ type: "phone", durationMinutes: 20, authorUserId: pt.id, participants: ["family", "residentsCommittee"], mood: "stable", private: false });
    expect((await mentees())?.overdue.overdue).toBe(false);
  });

  it("the time typed is read in the program's time zone and stored in UTC", async () => {
    const client = await menteeOfPt();
    const res = await post(client.id, pt.cookie, goodForm({ happenedAt: "2026-03-02T08:15" }));
    expect(res.status).toBe(302);
    const saved = getDb().select().from(contacts).where(eq(contacts.clientId, client.id)).get();
    expect(saved?.happenedAt).toBe("2026-03-02T00:15:00.000Z");
  });

  it("a tutor cannot add a contact to another tutor's mentee (404)", async () => {
    const client = await menteeOfPt();
    expect((await post(client.id, otherPt.cookie, goodForm())).status).toBe(404);
    expect((await get(client.id, otherPt.cookie)).status).toBe(404);
    expect(getDb().select().from(contacts).where(eq(contacts.clientId, client.id)).all()).toHaveLength(0);
  });

  it("a coordinator reads the contact log of their district but cannot add to it (403)", async () => {
    const client = await menteeOfPt();
    expect((await get(client.id, coordinator.cookie)).status).toBe(200);
    expect(((await get(client.id, coordinator.cookie)).body as Page).canAdd).toBe(false);
    expect((await post(client.id, coordinator.cookie, goodForm())).status).toBe(403);
  });

  it("a contact without consent is refused with clients.noConsent and the input kept (400)", async () => {
    const client = await menteeOfPt({ consent: false });
    const form = goodForm();
    const res = await post(client.id, pt.cookie, form);
    expect(res.status).toBe(400);
    const body = res.body as Failure;
    expect(body.errors._form).toBe("clients.noConsent");
    expect(body.values).toMatchObject({
      type: "phone",
      happenedAt: form.happenedAt,
      durationMinutes: "20",
      participants: "family,residentsCommittee",
      summary: form.summary,
      mood: "stable",
      nextContactDue: form.nextContactDue,
    });
    expect(getDb().select().from(contacts).where(eq(contacts.clientId, client.id)).all()).toHaveLength(0);
  });

  const bad: [string, Record<string, string | string[]>, string, string][] = [
    ["a time in the future", { happenedAt: localNow(2 * 60 * 60 * 1000) }, "happenedAt", "contacts.inFuture"],
    ["a time that is not a date and time", { happenedAt: "2026-02-30T10:00" }, "happenedAt", "contacts.invalidDateTime"],
    ["a next-contact date in the past", { nextContactDue: localDay(-1) }, "nextContactDue", "contacts.nextDueInPast"],
    ["duration 721", { durationMinutes: "721" }, "durationMinutes", "form.numberRange?min=0&max=720"],
    ["a negative duration", { durationMinutes: "-5" }, "durationMinutes", "form.notANumber"],
    ["an unknown type", { type: "carrierPigeon" }, "type", "form.unknownChoice"],
    ["an unknown participant", { participants: ["family", "mayor"] }, "participants", "form.unknownChoice"],
    ["an unknown mood", { mood: "ecstatic" }, "mood", "form.unknownChoice"],
    ["an over-long summary", { summary: "长".repeat(4001) }, "summary", "form.tooLong?max=4000"],
    ["an empty summary", { summary: "   " }, "summary", "form.required"],
    ["control characters in the summary", { summary: "记录\u0007内容" }, "summary", "form.controlChars"],
    ["control characters in the risk observations", { riskObservation: "观察\u001b" }, "riskObservation", "form.controlChars"],
  ];
  for (const [what, overrides, field, key] of bad) {
    it(`${what} is refused (400) with the input kept`, async () => {
      const client = await menteeOfPt();
      const form = goodForm(overrides);
      const res = await post(client.id, pt.cookie, form);
      expect(res.status).toBe(400);
      const body = res.body as Failure;
      expect(body.errors[field]).toBe(key);
      expect(body.values.summary).toBe(form.summary);
      expect(getDb().select().from(contacts).where(eq(contacts.clientId, client.id)).all()).toHaveLength(0);
    });
  }

  it("a multi-line summary is kept with its line breaks", async () => {
    const client = await menteeOfPt();
    expect((await post(client.id, pt.cookie, goodForm({ summary: "第一行\n第二行\r\n第三行" }))).status).toBe(302);
    expect(getDb().select().from(contacts).where(eq(contacts.clientId, client.id)).get()?.summary).toBe("第一行\n第二行\r\n第三行");
  });

  it("contact types come from settings: a type the organisation adds is accepted, one it deactivates is refused", async () => {
    const before = getContactTypes(getDb());
    expect(before.map((t) => t.id)).toEqual(["homeVisit", "phone", "letter", "facilityVisit", "familyCall", "office", "groupSession", "other"]);
    saveContactTypes(getDb(), SYSTEM_ACTOR, [
      ...DEFAULT_CONTACT_TYPES.map((t) => ({ ...t, active: t.id !== "letter" })),
      { id: "videoCall", zh: "视频通话", en: "Video call", active: true },
    ]);
    try {
      const client = await menteeOfPt();
      expect((await post(client.id, pt.cookie, goodForm({ type: "videoCall" }))).status).toBe(302);
      const refused = await post(client.id, pt.cookie, goodForm({ type: "letter" }));
      expect(refused.status).toBe(400);
      expect((refused.body as Failure).errors.type).toBe("form.unknownChoice");
    } finally {
      saveContactTypes(getDb(), SYSTEM_ACTOR, before);
    }
  });

  it("a stored list of contact types that is not valid is ignored: the defaults apply", () => {
    for (const value of [[], "phone", [{ id: "Bad Id", zh: "坏", en: "Bad", active: true }], [{ id: "phone", zh: "", en: "Phone", active: true }]]) {
      getDb().insert(settings).values({ key: "contactTypes", value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run();
      expect(getContactTypes(getDb()).map((t) => t.id)).toEqual(DEFAULT_CONTACT_TYPES.map((t) => t.id));
    }
    getDb().delete(settings).where(eq(settings.key, "contactTypes")).run();
  });

  it("the contact audit row holds no summary text", async () => {
    const client = await menteeOfPt();
    const secret = "只应出现在记录中的内容（虚构）";
    const risk = "风险观察原文（虚构）";
    expect((await post(client.id, pt.cookie, goodForm({ summary: secret, riskObservation: risk }))).status).toBe(302);
    const contact = getDb().select().from(contacts).where(eq(contacts.clientId, client.id)).get()!;
    const row = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, "contact"), eq(auditLog.entityId, String(contact.id))))
      .get();
    expect(row).toMatchObject({ action: "create", actorUserId: pt.id });
    expect(row?.details).toMatchObject({ clientId: client.id, type: "phone" });
    const everything = JSON.stringify(getDb().select().from(auditLog).all());
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(risk);
  });
});

describe("private notes", () => {
  it("a private note is hidden from the peer tutor and the coordinator but visible to its author and the social worker", async () => {
    const client = await menteeOfPt();
    const swNote = addContact({ clientId: client.id, authorUserId: sw.id, private: true, summary: "社工私密记录（虚构）" });
    const ptNote = addContact({ clientId: client.id, authorUserId: pt.id, private: true, summary: "辅导员私密记录（虚构）" });
    const open = addContact({ clientId: client.id, authorUserId: pt.id, summary: "公开记录（虚构）" });
    const seen = async (cookie: string) => {
      const body = (await get(client.id, cookie)).body as Page;
      return { ids: body.rows.map((r) => r.id).sort((a, b) => a - b), total: body.total };
    };
    const sorted = (...ids: number[]) => ids.sort((a, b) => a - b);
    // the social worker is the author of one note and the case manager of the other
    expect(await seen(sw.cookie)).toEqual({ ids: sorted(swNote.id, ptNote.id, open.id), total: 3 });
    // the peer tutor sees their own private note, not the social worker's
    expect(await seen(pt.cookie)).toEqual({ ids: sorted(ptNote.id, open.id), total: 2 });
    // the coordinator sees neither private note
    expect(await seen(coordinator.cookie)).toEqual({ ids: [open.id], total: 1 });
  });

  it("an author marks a note private", async () => {
    const client = await menteeOfPt();
    expect((await post(client.id, pt.cookie, goodForm({ private: "on" }))).status).toBe(302);
    expect(getDb().select().from(contacts).where(eq(contacts.clientId, client.id)).get()?.private).toBe(true);
  });
});

describe("the contact list", () => {
  it("lists newest first, in pages", async () => {
    const client = await menteeOfPt();
    const base = Date.now() - 60 * DAY;
    for (let i = 0; i < 27; i++) addContact({ clientId: client.id, authorUserId: pt.id, happenedAt: new Date(base + i * DAY).toISOString() });
    const first = (await get(client.id, sw.cookie)).body as Omit<Page, "rows"> & { pages: number; rows: { happenedAt: string }[] };
    expect(first.total).toBe(27);
    expect(first.pages).toBe(2);
    expect(first.rows).toHaveLength(25);
    expect(first.rows[0]!.happenedAt).toBe(new Date(base + 26 * DAY).toISOString());
    const happened = first.rows.map((r) => r.happenedAt);
    expect([...happened].sort().reverse()).toEqual(happened);
    const request = makeRequest(`/clients/${client.id}/contacts?page=2`, { cookie: sw.cookie });
    const second = (await respond(() => loader({ request, params: { id: String(client.id) }, context: { cspNonce: "" } }))).body as Page;
    expect(second.rows).toHaveLength(2);
  });

  it("opening the contact log is recorded as a view of the client's record", async () => {
    const client = await menteeOfPt();
    await get(client.id, pt.cookie);
    const views = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, "client"), eq(auditLog.entityId, String(client.id)), eq(auditLog.action, "view")))
      .all();
    expect(views.map((v) => v.details)).toContainEqual({ part: "contacts" });
  });
});
