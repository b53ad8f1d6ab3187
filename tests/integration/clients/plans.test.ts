/**
 * Service plans through their pages: the social worker drafts (under a current consent), adds
 * goals and submits; a coordinator of the client's district approves or returns with a note; a
 * coordinator of another district gets 404; a peer tutor reads but may not change (403); a new
 * version after approval starts as a draft while the older one stays read-only; goal reviews; the
 * pending list per district; the printable page in both languages.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { and, eq } from "drizzle-orm";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, consents, planGoals, servicePlans } from "#db/schema";
import { getDb } from "~/db.server";
import type { Locale } from "~/i18n/config";
import * as planRoute from "~/routes/clients.$id.plan";
import * as printRoute from "~/routes/clients_.$id.plan.print";
import * as pendingRoute from "~/routes/plans.pending";
import { makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

const context = { cspNonce: "" };
type Mod = { loader?: (args: never) => unknown; action?: (args: never) => unknown };

async function get(mod: Mod, path: string, cookie: string, params: Record<string, string> = {}) {
  const request = makeRequest(path, { cookie });
  return respond(() => (mod.loader as (a: unknown) => unknown)({ request, params, context }));
}

async function post(mod: Mod, path: string, cookie: string, form: Record<string, string>, params: Record<string, string> = {}) {
  const request = makeRequest(path, { cookie, form });
  return respond(() => (mod.action as (a: unknown) => unknown)({ request, params, context }));
}

type Failure = { errors: Record<string, string>; values: Record<string, string> };
type PlanData = Awaited<ReturnType<typeof planRoute.loader>>;

function render(opts: { path: string; pattern: string; Component: ComponentType; loaderData: unknown; locale?: Locale }): string {
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: () => createElement(Outlet),
      children: [{ id: "page", path: opts.pattern.slice(1), Component: opts.Component }],
    },
  ]);
  return renderToString(
    createElement(Stub, {
      initialEntries: [opts.path],
      hydrationData: { loaderData: { root: { locale: opts.locale ?? "en", timeZone: "Asia/Shanghai" }, page: opts.loaderData } },
    }),
  );
}
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ");

let districtA: number;
let districtB: number;

beforeAll(() => {
  districtA = makeDistrict().id;
  districtB = makeDistrict().id;
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
});

/** A client in district A with its social worker and peer tutor, and the district's coordinator. */
async function team(options: { consent?: boolean } = {}) {
  const sw = await makeSocialWorker(districtA);
  const pt = await makePeerTutor(districtA);
  const coord = await makeCoordinator([districtA]);
  const client = await makeClient({ districtId: districtA, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId, consent: options.consent });
  const path = `/clients/${client.id}/plan`;
  const params = { id: String(client.id) };
  return { sw, pt, coord, client, path, params };
}

const goal = (planId: number, extra: Record<string, string> = {}) => ({
  intent: "addGoal",
  planId: String(planId),
  area: "employment",
  goal: "找到一份稳定的工作（虚构）",
  action: "每周参加一次就业辅导",
  owner: "服务对象",
  dueDate: "2099-06-30",
  status: "open",
  ...extra,
});

/** Starts a draft, adds a goal and sets the review date, as the social worker; returns the plan id. */
async function draftReady(t: Awaited<ReturnType<typeof team>>): Promise<number> {
  expect((await post(planRoute, t.path, t.sw.cookie, { intent: "start" }, t.params)).status).toBe(302);
  const planId = getDb().select().from(servicePlans).where(eq(servicePlans.clientId, t.client.id)).all().at(-1)!.id;
  expect((await post(planRoute, t.path, t.sw.cookie, goal(planId), t.params)).status).toBe(302);
  expect((await post(planRoute, t.path, t.sw.cookie, { intent: "details", planId: String(planId), reviewDue: "2099-12-31", note: "" }, t.params)).status).toBe(302);
  return planId;
}

function planRow(id: number) {
  return getDb().select().from(servicePlans).where(eq(servicePlans.id, id)).get()!;
}

describe("service plan: draft, submit, approve", () => {
  it("a social worker records a consent-backed plan, submits it, and the district's coordinator approves it", async () => {
    const t = await team();
    const planId = await draftReady(t);
    expect(planRow(planId).status).toBe("draft");

    const submitted = await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(planId) }, t.params);
    expect(submitted.status).toBe(302);
    expect(planRow(planId).status).toBe("submitted");

    const approved = await post(planRoute, t.path, t.coord.cookie, { intent: "decide", planId: String(planId), decision: "approve", note: "" }, t.params);
    expect(approved.status).toBe(302);
    const row = planRow(planId);
    expect(row.status).toBe("approved");
    expect(row.decidedByUserId).toBe(t.coord.id);
    expect(row.decidedAt).not.toBeNull();

    const actions = getDb()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entity, "client"), eq(auditLog.entityId, String(t.client.id))))
      .all()
      .map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["plan_create", "plan_goal_add", "plan_update", "plan_submit", "plan_approve"]));
  });

  it("a coordinator of another district gets 404 on the plan page and on the approval", async () => {
    const t = await team();
    const planId = await draftReady(t);
    await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(planId) }, t.params);
    const other = await makeCoordinator([districtB]);
    expect((await get(planRoute, t.path, other.cookie, t.params)).status).toBe(404);
    const res = await post(planRoute, t.path, other.cookie, { intent: "decide", planId: String(planId), decision: "approve", note: "" }, t.params);
    expect(res.status).toBe(404);
    expect(planRow(planId).status).toBe("submitted");
  });

  it("a peer tutor reads the plan but any change is refused with 403", async () => {
    const t = await team();
    const planId = await draftReady(t);
    const page = await get(planRoute, t.path, t.pt.cookie, t.params);
    expect(page.status).toBe(200);
    const data = page.body as PlanData;
    expect(data.plan?.goals.map((g) => g.goal)).toEqual(["找到一份稳定的工作（虚构）"]);
    expect(data.canWrite).toBe(false);
    expect((await post(planRoute, t.path, t.pt.cookie, goal(planId), t.params)).status).toBe(403);
    expect((await post(planRoute, t.path, t.pt.cookie, { intent: "submit", planId: String(planId) }, t.params)).status).toBe(403);
    expect(getDb().select().from(planGoals).where(eq(planGoals.planId, planId)).all()).toHaveLength(1);
  });

  it("the social worker cannot approve a plan (403) and a coordinator cannot draft one (403)", async () => {
    const t = await team();
    const planId = await draftReady(t);
    await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(planId) }, t.params);
    expect((await post(planRoute, t.path, t.sw.cookie, { intent: "decide", planId: String(planId), decision: "approve", note: "" }, t.params)).status).toBe(403);
    expect((await post(planRoute, t.path, t.coord.cookie, goal(planId), t.params)).status).toBe(403);
  });

  it("a coordinator returns a plan with a note; without a note the return is refused with 400", async () => {
    const t = await team();
    const planId = await draftReady(t);
    await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(planId) }, t.params);

    const bare = await post(planRoute, t.path, t.coord.cookie, { intent: "decide", planId: String(planId), decision: "return", note: "  " }, t.params);
    expect(bare.status).toBe(400);
    expect((bare.body as Failure).errors.note).toBe("casework.plan.returnNoteRequired");
    expect(planRow(planId).status).toBe("submitted");

    const returned = await post(planRoute, t.path, t.coord.cookie, { intent: "decide", planId: String(planId), decision: "return", note: "请补充家庭方面的目标" }, t.params);
    expect(returned.status).toBe(302);
    expect(planRow(planId)).toMatchObject({ status: "returned", decisionNote: "请补充家庭方面的目标" });

    // returned: the social worker may change and resubmit it
    expect((await post(planRoute, t.path, t.sw.cookie, goal(planId, { area: "family", goal: "与家人恢复联系" }), t.params)).status).toBe(302);
    expect((await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(planId) }, t.params)).status).toBe(302);
    expect(planRow(planId).status).toBe("submitted");
  });

  it("submitting without a goal or without a review date is refused with the reason", async () => {
    const t = await team();
    await post(planRoute, t.path, t.sw.cookie, { intent: "start" }, t.params);
    const planId = getDb().select().from(servicePlans).where(eq(servicePlans.clientId, t.client.id)).get()!.id;
    const noGoals = await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(planId) }, t.params);
    expect(noGoals.status).toBe(400);
    expect((noGoals.body as Failure).errors._form).toBe("casework.plan.noGoals");
    await post(planRoute, t.path, t.sw.cookie, goal(planId), t.params);
    const noReview = await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(planId) }, t.params);
    expect(noReview.status).toBe(400);
    expect((noReview.body as Failure).errors.reviewDue).toBe("casework.plan.reviewDueRequired");
    expect(planRow(planId).status).toBe("draft");
  });

  it("a coordinator cannot approve a plan they drafted themselves", async () => {
    const t = await team();
    // someone who is both the client's social worker and the district's coordinator
    const both = await makeSocialWorker(districtA, [{ role: "coordinator", districtId: districtA }]);
    const client = await makeClient({ districtId: districtA, socialWorkerPersonId: both.personId });
    const path = `/clients/${client.id}/plan`;
    const params = { id: String(client.id) };
    const planId = await draftReady({ ...t, sw: both, client, path, params });
    await post(planRoute, path, both.cookie, { intent: "submit", planId: String(planId) }, params);
    const own = await post(planRoute, path, both.cookie, { intent: "decide", planId: String(planId), decision: "approve", note: "" }, params);
    expect(own.status).toBe(400);
    expect((own.body as Failure).errors._form).toBe("casework.plan.ownPlan");
    expect(planRow(planId).status).toBe("submitted");
  });
});

describe("service plan: consent and input", () => {
  it("without a current consent a plan cannot be started (400, clients.noConsent)", async () => {
    const t = await team({ consent: false });
    const res = await post(planRoute, t.path, t.sw.cookie, { intent: "start" }, t.params);
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors._form).toBe("clients.noConsent");
    expect(getDb().select().from(servicePlans).where(eq(servicePlans.clientId, t.client.id)).all()).toHaveLength(0);
  });

  it("a consent withdrawn after the draft began stops further goals (400, clients.noConsent), input kept", async () => {
    const t = await team();
    await post(planRoute, t.path, t.sw.cookie, { intent: "start" }, t.params);
    const planId = getDb().select().from(servicePlans).where(eq(servicePlans.clientId, t.client.id)).get()!.id;
    getDb().update(consents).set({ withdrawnAt: new Date().toISOString() }).where(eq(consents.clientId, t.client.id)).run();
    const res = await post(planRoute, t.path, t.sw.cookie, goal(planId), t.params);
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors._form).toBe("clients.noConsent");
    expect((res.body as Failure).values.goal).toBe("找到一份稳定的工作（虚构）");
  });

  it("bad goal input is refused field by field with the input kept: too long, control characters, unknown area, bad date", async () => {
    const t = await team();
    await post(planRoute, t.path, t.sw.cookie, { intent: "start" }, t.params);
    const planId = getDb().select().from(servicePlans).where(eq(servicePlans.clientId, t.client.id)).get()!.id;
    const res = await post(
      planRoute,
      t.path,
      t.sw.cookie,
      goal(planId, { goal: "长".repeat(301), owner: "家属\u0007", area: "astrology", dueDate: "2026-02-30" }),
      t.params,
    );
    expect(res.status).toBe(400);
    const { errors, values } = res.body as Failure;
    expect(errors.goal).toBe("form.tooLong?max=300");
    expect(errors.owner).toBe("form.controlChars");
    expect(errors.area).toBe("form.unknownChoice");
    expect(errors.dueDate).toBe("form.invalidDate");
    expect(values.goal).toBe("长".repeat(301));
    expect(getDb().select().from(planGoals).where(eq(planGoals.planId, planId)).all()).toHaveLength(0);
  });

  it("a plan id of another client is refused as unknown, and an unknown intent as a bad request", async () => {
    const t = await team();
    const other = await team();
    const otherPlan = await draftReady(other);
    const res = await post(planRoute, t.path, t.sw.cookie, goal(otherPlan), t.params);
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors.planId).toBe("form.unknownId");
    const odd = await post(planRoute, t.path, t.sw.cookie, { intent: "delete-everything" }, t.params);
    expect(odd.status).toBe(400);
    expect((odd.body as Failure).errors._form).toBe("form.badRequest");
  });

  it("a review date in the past is refused", async () => {
    const t = await team();
    await post(planRoute, t.path, t.sw.cookie, { intent: "start" }, t.params);
    const planId = getDb().select().from(servicePlans).where(eq(servicePlans.clientId, t.client.id)).get()!.id;
    const res = await post(planRoute, t.path, t.sw.cookie, { intent: "details", planId: String(planId), reviewDue: "2001-01-01", note: "" }, t.params);
    expect(res.status).toBe(400);
    expect((res.body as Failure).errors.reviewDue).toBe("casework.plan.reviewPast");
  });
});

describe("service plan: versions and reviews", () => {
  it("after approval a new version starts as a draft with the open goals; the approved one stays read-only and in effect", async () => {
    const t = await team();
    const first = await draftReady(t);
    await post(planRoute, t.path, t.sw.cookie, goal(first, { goal: "已完成的目标", status: "done" }), t.params);
    await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(first) }, t.params);
    await post(planRoute, t.path, t.coord.cookie, { intent: "decide", planId: String(first), decision: "approve", note: "" }, t.params);

    // while only one plan is open at a time
    expect((await post(planRoute, t.path, t.sw.cookie, { intent: "start" }, t.params)).status).toBe(302);
    const second = await post(planRoute, t.path, t.sw.cookie, { intent: "start" }, t.params);
    expect(second.status).toBe(400);
    expect((second.body as Failure).errors._form).toBe("casework.plan.openExists");

    const plans = getDb().select().from(servicePlans).where(eq(servicePlans.clientId, t.client.id)).all();
    expect(plans.map((p) => p.status)).toEqual(["approved", "draft"]);
    const draftId = plans[1]!.id;
    // the open goal carried over, the done one did not
    expect(getDb().select({ goal: planGoals.goal }).from(planGoals).where(eq(planGoals.planId, draftId)).all()).toEqual([{ goal: "找到一份稳定的工作（虚构）" }]);

    // the old version cannot be edited any more
    const edit = await post(planRoute, t.path, t.sw.cookie, goal(first), t.params);
    expect(edit.status).toBe(400);
    expect((edit.body as Failure).errors._form).toBe("casework.plan.notEditable");

    const latest = (await get(planRoute, t.path, t.sw.cookie, t.params)).body as PlanData;
    expect(latest.plan).toMatchObject({ id: draftId, version: 2, editable: true, inEffect: false });
    expect(latest.versions.map((v) => v.version)).toEqual([2, 1]);
    const old = (await get(planRoute, `${t.path}?version=${first}`, t.sw.cookie, t.params)).body as PlanData;
    expect(old.plan).toMatchObject({ id: first, version: 1, editable: false, inEffect: true, latest: false });
  });

  it("a goal of the plan in effect takes a review (status, who, when); a draft's goal does not", async () => {
    const t = await team();
    const planId = await draftReady(t);
    const goalId = getDb().select().from(planGoals).where(eq(planGoals.planId, planId)).get()!.id;
    const early = await post(planRoute, t.path, t.sw.cookie, { intent: "review", planId: String(planId), goalId: String(goalId), status: "in_progress" }, t.params);
    expect(early.status).toBe(400);
    expect((early.body as Failure).errors._form).toBe("casework.plan.notInEffect");

    await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(planId) }, t.params);
    await post(planRoute, t.path, t.coord.cookie, { intent: "decide", planId: String(planId), decision: "approve", note: "" }, t.params);
    const res = await post(planRoute, t.path, t.sw.cookie, { intent: "review", planId: String(planId), goalId: String(goalId), status: "in_progress" }, t.params);
    expect(res.status).toBe(302);
    const row = getDb().select().from(planGoals).where(eq(planGoals.id, goalId)).get()!;
    expect(row.status).toBe("in_progress");
    expect(row.reviewedByUserId).toBe(t.sw.id);
    expect(row.reviewedAt).not.toBeNull();
  });

  it("opening the plan page is audited as a view of part 'plan'", async () => {
    const t = await team();
    await get(planRoute, t.path, t.pt.cookie, t.params);
    const views = getDb()
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, "view"), eq(auditLog.entityId, String(t.client.id)), eq(auditLog.actorUserId, t.pt.id)))
      .all();
    expect(views.map((v) => v.details)).toEqual([{ part: "plan" }]);
  });
});

describe("plans waiting for approval", () => {
  it("lists the submitted plans of the coordinator's districts only, and refuses people without approve:plan", async () => {
    const mine = await team();
    const minePlan = await draftReady(mine);
    await post(planRoute, mine.path, mine.sw.cookie, { intent: "submit", planId: String(minePlan) }, mine.params);
    const draftOnly = await team();
    await draftReady(draftOnly);

    const swB = await makeSocialWorker(districtB);
    const clientB = await makeClient({ districtId: districtB, socialWorkerPersonId: swB.personId });
    const tB = { sw: swB, client: clientB, path: `/clients/${clientB.id}/plan`, params: { id: String(clientB.id) } };
    const planB = await draftReady({ ...mine, ...tB });
    await post(planRoute, tB.path, swB.cookie, { intent: "submit", planId: String(planB) }, tB.params);

    const coordA = await makeCoordinator([districtA]);
    const list = (await get(pendingRoute, "/plans/pending", coordA.cookie)).body as Awaited<ReturnType<typeof pendingRoute.loader>>;
    const ids = list.rows.map((r) => r.planId);
    expect(ids).toContain(minePlan);
    expect(ids).not.toContain(planB);
    expect(list.rows.every((r) => r.clientId !== draftOnly.client.id)).toBe(true);

    expect((await get(pendingRoute, "/plans/pending", mine.sw.cookie)).status).toBe(403);
    expect((await get(pendingRoute, "/plans/pending", mine.pt.cookie)).status).toBe(403);
  });
});

describe("printable plan", () => {
  it("prints the plan in English and in Chinese with the organisation's name and the date in the header, outside the tabs", async () => {
    const t = await team();
    const planId = await draftReady(t);
    const res = await get(printRoute, `${t.path}/print`, t.sw.cookie, t.params);
    expect(res.status).toBe(200);
    const data = res.body as Awaited<ReturnType<typeof printRoute.loader>>;
    expect(data.plan?.id).toBe(planId);

    const en = text(render({ path: `${t.path}/print`, pattern: "/clients/:id/plan/print", Component: printRoute.default, loaderData: data }));
    expect(en).toContain("Peer Education Program (example organisation)");
    expect(en).toContain("Printed ");
    expect(en).toContain("Service plan");
    expect(en).toContain(t.client.alias);
    expect(en).toContain("Employment");
    expect(en).toContain("找到一份稳定的工作（虚构）");
    expect(en).toContain("Coordinator (signature)");

    const zh = text(render({ path: `${t.path}/print`, pattern: "/clients/:id/plan/print", Component: printRoute.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain("同伴教育项目（示例组织）");
    expect(zh).toContain("打印日期");
    expect(zh).toContain("个性化帮教服务方案");
    expect(zh).toContain("就业");
    expect(zh).toContain("项目协调员（签名）");
  });

  it("the print page is audited as part 'plan_print', and is 404 outside the viewer's scope", async () => {
    const t = await team();
    await get(printRoute, `${t.path}/print`, t.coord.cookie, t.params);
    const parts = getDb()
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, "view"), eq(auditLog.entityId, String(t.client.id)), eq(auditLog.actorUserId, t.coord.id)))
      .all();
    expect(parts).toEqual([{ details: { part: "plan_print" } }]);
    const other = await makeCoordinator([districtB]);
    expect((await get(printRoute, `${t.path}/print`, other.cookie, t.params)).status).toBe(404);
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    expect((await get(printRoute, `${t.path}/print`, trainer.cookie, t.params)).status).toBe(403);
  });
});

describe("plan page renders", () => {
  it("shows the social worker's forms on a draft and the coordinator's decision on a submitted plan, in both languages", async () => {
    const t = await team();
    const planId = await draftReady(t);
    const swData = (await get(planRoute, t.path, t.sw.cookie, t.params)).body;
    const en = text(render({ path: t.path, pattern: "/clients/:id/plan", Component: planRoute.default, loaderData: swData }));
    expect(en).toContain("Version 1");
    expect(en).toContain("Draft");
    expect(en).toContain("Add goal");
    expect(en).toContain("Submit for approval");
    expect(en).not.toContain("Approve plan");

    await post(planRoute, t.path, t.sw.cookie, { intent: "submit", planId: String(planId) }, t.params);
    const coordData = (await get(planRoute, t.path, t.coord.cookie, t.params)).body;
    const zh = text(render({ path: t.path, pattern: "/clients/:id/plan", Component: planRoute.default, loaderData: coordData, locale: "zh-CN" }));
    expect(zh).toContain("待审批");
    expect(zh).toContain("批准方案");
    expect(zh).toContain("附意见退回");
    expect(zh).not.toContain("添加目标");
  });
});
