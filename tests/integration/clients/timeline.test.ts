/**
 * The client timeline (issue "Clients and caseloads" item 12): every kind of fact in one list,
 * newest first, private notes kept private, paged in SQL with milestones on exactly one page.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { auditLog, barc10Assessments, clientFlags, consents, servicePlans, substanceEvents } from "#db/schema";
import { clientAccess, clientTimeline, type TimelineItem } from "~/domain/clients";
import { loader } from "~/routes/clients.$id.timeline";
import { makeDistrict, makeRequest, respond } from "../../factories";
import { addContact, assignTo, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";

const TZ = "Asia/Shanghai";
let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let pt: Awaited<ReturnType<typeof makePeerTutor>>;
let formerPt: Awaited<ReturnType<typeof makePeerTutor>>;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;

type Person = { id: number; personId: number };
const asViewer = (u: Person, role: "social_worker" | "peer_tutor" | "coordinator") => ({ id: u.id, personId: u.personId, roles: [{ role, districtId }] });

function timeline(u: Person, role: "social_worker" | "peer_tutor" | "coordinator", clientId: number, page = { limit: 100, offset: 0 }, asOf = "2025-12-31") {
  const viewer = asViewer(u, role);
  const access = clientAccess(getDb(), viewer, clientId);
  if (!access) throw new Error("no access");
  return clientTimeline(getDb(), viewer, access, { asOf, timeZone: TZ, page });
}

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
  pt = await makePeerTutor(districtId);
  formerPt = await makePeerTutor(districtId);
  coordinator = await makeCoordinator([districtId]);
});

/** A client with one fact of each kind, at known times. */
async function clientWithHistory() {
  const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, peerTutorPersonId: formerPt.personId, intakeDate: "2025-01-10" });
  const db = getDb();
  const ptFrom = "2025-02-01";
  assignTo(client.id, "peer_tutor", pt.personId, ptFrom);
  const swPublic = addContact({ clientId: client.id, authorUserId: sw.id, happenedAt: "2025-03-01T02:00:00.000Z", summary: "家访，情况稳定（虚构）" });
  const swPrivate = addContact({ clientId: client.id, authorUserId: sw.id, happenedAt: "2025-03-05T02:00:00.000Z", summary: "社工私密记录（虚构）", private: true });
  const ptPrivate = addContact({ clientId: client.id, authorUserId: pt.id, happenedAt: "2025-03-06T02:00:00.000Z", summary: "同伴私密记录（虚构）", private: true });
  db.insert(substanceEvents).values({ clientId: client.id, date: "2025-04-10", kind: "relapse", note: "自述复吸（虚构）", recordedBy: sw.id }).run();
  db.insert(servicePlans)
    .values({ clientId: client.id, status: "approved", authorUserId: sw.id, submittedAt: "2025-02-15T03:00:00.000Z", decidedByUserId: coordinator.id, decidedAt: "2025-02-20T03:00:00.000Z" })
    .run();
  db.insert(clientFlags)
    .values({
      clientId: client.id,
      kind: "crisis",
      reason: "家庭危机（虚构）",
      raisedByUserId: pt.id,
      raisedAt: "2025-06-01T01:00:00.000Z",
      resolvedByUserId: sw.id,
      resolvedAt: "2025-06-03T01:00:00.000Z",
      resolutionNote: "已解除（虚构）",
    })
    .run();
  db.insert(barc10Assessments).values({ clientId: client.id, takenOn: "2025-07-01", answers: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4], total: 40, recordedBy: pt.id }).run();
  return { client, swPublic, swPrivate, ptPrivate };
}

const sortedNewestFirst = (items: TimelineItem[]) => items.every((item, i) => i === 0 || items[i - 1]!.at >= item.at);

describe("the client timeline", () => {
  it("shows contacts, plans, events, milestones, BARC-10, flags, consent and assignments, newest first", async () => {
    const { client } = await clientWithHistory();
    const { items, total } = timeline(sw, "social_worker", client.id);
    expect(sortedNewestFirst(items)).toBe(true);
    const summary = items.map((i) => [i.kind, i.day ?? i.at.slice(0, 10), i.label]);
    expect(summary).toEqual([
      ["milestone", "2025-10-10", "months6"],
      ["milestone", "2025-07-09", "days90"],
      ["barc10", "2025-07-01", null],
      ["flag_resolved", "2025-06-03", "crisis"],
      ["flag_raised", "2025-06-01", "crisis"],
      ["milestone", "2025-05-10", "days30"],
      ["substance_event", "2025-04-10", "relapse"],
      ["contact", "2025-03-06", "phone"],
      ["contact", "2025-03-05", "phone"],
      ["contact", "2025-03-01", "phone"],
      ["plan_decided", "2025-02-20", "approved"],
      ["plan_submitted", "2025-02-15", "approved"],
      ["milestone", "2025-02-09", "days30"],
      ["assignment_started", "2025-02-01", "peer_tutor"],
      ["assignment_ended", "2025-02-01", "peer_tutor"],
      // the same instant: by kind, then the newer row first
      ["consent_recorded", "2025-01-10", null],
      ["assignment_started", "2025-01-10", "peer_tutor"],
      ["assignment_started", "2025-01-10", "social_worker"],
    ]);
    // milestones are computed, not counted among the stored facts
    expect(total).toBe(items.length - 4);
    const barc = items.find((i) => i.kind === "barc10")!;
    expect(barc.value).toBe(40);
    // a date-only fact sits at the start of its day in Shanghai
    expect(barc.at).toBe("2025-06-30T16:00:00.000Z");
    expect(items.find((i) => i.kind === "flag_raised")!.detail).toBe("家庭危机（虚构）");
    const started = items.filter((i) => i.kind === "assignment_started" && i.label === "peer_tutor").map((i) => i.who);
    expect(started).toHaveLength(2);
  });

  it("shows a consent withdrawal", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, intakeDate: "2025-01-10" });
    getDb().update(consents).set({ withdrawnAt: "2025-08-01T04:00:00.000Z" }).where(eq(consents.clientId, client.id)).run();
    const kinds = timeline(sw, "social_worker", client.id).items.map((i) => i.kind);
    expect(kinds[0]).toBe("consent_withdrawn");
    expect(kinds).toContain("consent_recorded");
  });

  it("hides another author's private note from the peer tutor and the coordinator, not from the social worker", async () => {
    const { client, swPublic, swPrivate, ptPrivate } = await clientWithHistory();
    const contactIds = (items: TimelineItem[]) => items.filter((i) => i.kind === "contact").map((i) => i.id);
    expect(contactIds(timeline(pt, "peer_tutor", client.id).items)).toEqual([ptPrivate.id, swPublic.id]);
    expect(contactIds(timeline(coordinator, "coordinator", client.id).items)).toEqual([swPublic.id]);
    expect(contactIds(timeline(sw, "social_worker", client.id).items)).toEqual([ptPrivate.id, swPrivate.id, swPublic.id]);
    const mine = timeline(pt, "peer_tutor", client.id).items.find((i) => i.id === ptPrivate.id && i.kind === "contact")!;
    expect(mine.private).toBe(true);
    // the count does not reveal the hidden note either
    expect(timeline(pt, "peer_tutor", client.id).total).toBe(timeline(sw, "social_worker", client.id).total - 1);
  });

  it("pages correctly: more than a page of facts, each on exactly one page, newest first throughout", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, intakeDate: "2025-01-10" });
    const contactIds: number[] = [];
    for (let i = 0; i < 30; i++) {
      const day = String(1 + (i % 28)).padStart(2, "0");
      const month = String(2 + Math.floor(i / 28) * 6).padStart(2, "0");
      contactIds.push(addContact({ clientId: client.id, authorUserId: sw.id, happenedAt: `2025-${month}-${day}T0${i % 10}:00:00.000Z` }).id);
    }
    const all = timeline(sw, "social_worker", client.id, { limit: 1000, offset: 0 });
    expect(all.total).toBe(32); // 30 contacts, the consent, the assignment

    const pages: TimelineItem[][] = [];
    for (let offset = 0; offset < all.total; offset += 10) pages.push(timeline(sw, "social_worker", client.id, { limit: 10, offset }).items);
    expect(pages).toHaveLength(4);
    expect(pages.map((p) => p.filter((i) => i.kind !== "milestone").length)).toEqual([10, 10, 10, 2]);
    const joined = pages.flat();
    expect(sortedNewestFirst(joined)).toBe(true);
    expect(joined.map((i) => `${i.kind}:${i.id}:${i.at}`)).toEqual(all.items.map((i) => `${i.kind}:${i.id}:${i.at}`));
    expect(joined.filter((i) => i.kind === "contact").map((i) => i.id).sort((a, b) => a - b)).toEqual(contactIds);
    // no relapse: 30 days, 90 days and 6 months after intake, each once
    expect(joined.filter((i) => i.kind === "milestone").map((i) => i.label)).toEqual(["months6", "days90", "days30"]);
    expect(timeline(sw, "social_worker", client.id, { limit: 10, offset: 40 }).items).toEqual([]);
  });
});

describe("the timeline page", () => {
  it("answers the peer tutor without the social worker's private note, and records the view", async () => {
    const { client, swPrivate } = await clientWithHistory();
    const res = await respond(() => loader({ request: makeRequest(`/clients/${client.id}/timeline`, { cookie: pt.cookie }), params: { id: String(client.id) }, context: { cspNonce: "" } }));
    expect(res.status).toBe(200);
    const body = res.body as { items: TimelineItem[]; total: number; pages: number };
    expect(body.items.some((i) => i.kind === "contact" && i.id === swPrivate.id)).toBe(false);
    expect(body.items.some((i) => i.kind === "flag_raised")).toBe(true);
    const views = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "view"), eq(auditLog.entityId, String(client.id)), eq(auditLog.actorUserId, pt.id)))
      .all();
    expect(views.map((v) => v.details)).toEqual([{ part: "timeline" }]);
  });

  it("answers 404 to the former peer tutor and to a tutor of another client", async () => {
    const { client } = await clientWithHistory();
    for (const cookie of [formerPt.cookie, (await makePeerTutor(districtId)).cookie]) {
      const res = await respond(() => loader({ request: makeRequest(`/clients/${client.id}/timeline`, { cookie }), params: { id: String(client.id) }, context: { cspNonce: "" } }));
      expect(res.status).toBe(404);
    }
  });
});
