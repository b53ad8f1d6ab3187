/**
 * Individual service plans (个性化帮教服务方案). The client's social worker drafts a plan (goals
 * by area, with action, owner, due date and status; a review date) and submits it; a coordinator
 * of the client's district approves it or returns it with a note. Versions are kept: after an
 * approval, a new plan starts as a new draft (carrying the open goals over), and the older ones
 * stay read-only. The approved plan in effect (the latest approved) takes goal reviews.
 * Every write is audited in its transaction and needs a current consent (DESIGN.md §3); who may
 * do what is checked by the route with clientAccess (writeCaseRecords, approvePlan).
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import type { Db } from "#db/client";
import {
  clients,
  districts,
  GOAL_AREAS,
  GOAL_STATUSES,
  persons,
  planGoals,
  servicePlans,
  users,
  type GoalArea,
  type GoalStatus,
  type PlanStatus,
} from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { choice, isoDate, optionalText, text } from "~/domain/shared/fields";
import { clientScope, type Viewer } from "./access.server";
import { requireCurrentConsent } from "./assignments.server";
import { parseDate } from "./dates";

type Reader = Pick<Db, "select">;

export { GOAL_AREAS, GOAL_STATUSES };
export const PLAN_DECISIONS = ["approve", "return"] as const;
export type PlanDecision = (typeof PLAN_DECISIONS)[number];

/** An optional calendar date from a form: empty becomes null. */
export const optionalDate = z
  .string()
  .optional()
  .transform((s) => (s ?? "").trim())
  .pipe(z.union([z.literal("").transform(() => null), isoDate], { error: "form.invalidDate" }));

export const PLAN_LIMITS = { note: 2000, goal: 300, action: 1000, owner: 80, decisionNote: 1000 } as const;

/** The field rules of the plan forms (one definition; the route composes them per form). */
export const PLAN_FIELDS = {
  reviewDue: optionalDate,
  note: optionalText({ max: PLAN_LIMITS.note, multiline: true }),
  area: choice(GOAL_AREAS),
  goal: text({ max: PLAN_LIMITS.goal }),
  action: optionalText({ max: PLAN_LIMITS.action, multiline: true }),
  owner: optionalText({ max: PLAN_LIMITS.owner }),
  dueDate: optionalDate,
  status: choice(GOAL_STATUSES),
  decision: choice(PLAN_DECISIONS),
  decisionNote: optionalText({ max: PLAN_LIMITS.decisionNote, multiline: true }),
};

/** Statuses in which the social worker may still change the plan. */
const EDITABLE: readonly PlanStatus[] = ["draft", "returned"];
/** Statuses of a plan not yet decided for good: only one such plan per client at a time. */
const OPEN: readonly PlanStatus[] = ["draft", "submitted", "returned"];

export type PlanGoalRow = {
  id: number;
  area: GoalArea;
  goal: string;
  action: string;
  owner: string;
  dueDate: string | null;
  status: GoalStatus;
  reviewedBy: string | null;
  reviewedAt: string | null;
};

export type PlanVersion = {
  id: number;
  /** 1 for the client's first plan */
  version: number;
  status: PlanStatus;
  createdAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
};

export type PlanDetail = {
  id: number;
  version: number;
  status: PlanStatus;
  reviewDue: string | null;
  note: string;
  author: string;
  authorUserId: number;
  createdAt: string;
  submittedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string;
  goals: PlanGoalRow[];
  /** the latest version, still draft or returned: the social worker may change it */
  editable: boolean;
  /** submitted, waiting for a coordinator */
  awaitingDecision: boolean;
  /** the approved plan in effect: its goals take reviews */
  inEffect: boolean;
  /** the latest version of the client's plans */
  latest: boolean;
};

/** All versions of a client's plan, newest first. */
export function listPlanVersions(db: Reader, clientId: number): PlanVersion[] {
  const rows = db
    .select({
      id: servicePlans.id,
      status: servicePlans.status,
      createdAt: servicePlans.createdAt,
      submittedAt: servicePlans.submittedAt,
      decidedAt: servicePlans.decidedAt,
    })
    .from(servicePlans)
    .where(eq(servicePlans.clientId, clientId))
    .orderBy(asc(servicePlans.id))
    .all();
  return rows.map((r, i) => ({ ...r, version: i + 1 })).reverse();
}

/**
 * One version of the client's plan with its goals (the latest when `planId` is not given), or
 * null when the client has no plan or the id is not one of this client's plans.
 */
export function getPlan(db: Reader, clientId: number, planId?: number | null): PlanDetail | null {
  const versions = listPlanVersions(db, clientId);
  if (versions.length === 0) return null;
  const wanted = planId == null ? versions[0] : versions.find((v) => v.id === planId);
  if (!wanted) return null;
  const author = alias(persons, "author");
  const authorUser = alias(users, "author_user");
  const decider = alias(persons, "decider");
  const deciderUser = alias(users, "decider_user");
  const plan = db
    .select({
      id: servicePlans.id,
      status: servicePlans.status,
      reviewDue: servicePlans.reviewDue,
      note: servicePlans.note,
      author: author.displayName,
      authorUserId: servicePlans.authorUserId,
      createdAt: servicePlans.createdAt,
      submittedAt: servicePlans.submittedAt,
      decidedBy: decider.displayName,
      decidedAt: servicePlans.decidedAt,
      decisionNote: servicePlans.decisionNote,
    })
    .from(servicePlans)
    .innerJoin(authorUser, eq(authorUser.id, servicePlans.authorUserId))
    .innerJoin(author, eq(author.id, authorUser.personId))
    .leftJoin(deciderUser, eq(deciderUser.id, servicePlans.decidedByUserId))
    .leftJoin(decider, eq(decider.id, deciderUser.personId))
    .where(eq(servicePlans.id, wanted.id))
    .get()!;
  const reviewer = alias(persons, "reviewer");
  const reviewerUser = alias(users, "reviewer_user");
  const goals = db
    .select({
      id: planGoals.id,
      area: planGoals.area,
      goal: planGoals.goal,
      action: planGoals.action,
      owner: planGoals.owner,
      dueDate: planGoals.dueDate,
      status: planGoals.status,
      reviewedBy: reviewer.displayName,
      reviewedAt: planGoals.reviewedAt,
    })
    .from(planGoals)
    .leftJoin(reviewerUser, eq(reviewerUser.id, planGoals.reviewedByUserId))
    .leftJoin(reviewer, eq(reviewer.id, reviewerUser.personId))
    .where(eq(planGoals.planId, wanted.id))
    .orderBy(asc(planGoals.id))
    .all();
  const latest = versions[0]!.id === wanted.id;
  const inEffectId = versions.find((v) => v.status === "approved")?.id ?? null;
  return {
    ...plan,
    version: wanted.version,
    goals,
    latest,
    editable: latest && EDITABLE.includes(plan.status),
    awaitingDecision: plan.status === "submitted",
    inEffect: inEffectId === wanted.id,
  };
}

type PlanRow = typeof servicePlans.$inferSelect;

function planOf(tx: Reader, clientId: number, planId: number): PlanRow {
  const plan = tx.select().from(servicePlans).where(and(eq(servicePlans.id, planId), eq(servicePlans.clientId, clientId))).get();
  if (!plan) throw new DomainError("form.unknownId", "planId");
  return plan;
}

function latestPlanId(tx: Reader, clientId: number): number | null {
  return tx.select({ id: servicePlans.id }).from(servicePlans).where(eq(servicePlans.clientId, clientId)).orderBy(desc(servicePlans.id)).get()?.id ?? null;
}

/** The plan must be the client's latest version and still a draft or returned. */
function editablePlan(tx: Reader, clientId: number, planId: number): PlanRow {
  const plan = planOf(tx, clientId, planId);
  if (!EDITABLE.includes(plan.status) || latestPlanId(tx, clientId) !== plan.id) throw new DomainError("casework.plan.notEditable");
  return plan;
}

function touch(tx: Pick<Db, "update">, planId: number) {
  tx.update(servicePlans).set({ updatedAt: new Date().toISOString() }).where(eq(servicePlans.id, planId)).run();
}

/**
 * Starts a new plan version as a draft, written by the actor. The open and in-progress goals of
 * the approved plan in effect carry over (as new rows; the old version stays as it was).
 * Refused while another version is still open (draft, submitted or returned) or without a
 * current consent. Returns the new plan's id.
 */
export function startPlan(db: Db, actor: Actor, input: { clientId: number; today: string }): number {
  parseDate(input.today);
  if (actor.userId === null) throw new DomainError("form.unknownId");
  const authorUserId = actor.userId;
  return db.transaction((tx) => {
    const client = tx.select({ id: clients.id }).from(clients).where(eq(clients.id, input.clientId)).get();
    if (!client) throw new DomainError("form.unknownId", "clientId");
    requireCurrentConsent(tx, client.id, input.today);
    const open = tx
      .select({ id: servicePlans.id })
      .from(servicePlans)
      .where(and(eq(servicePlans.clientId, client.id), inArray(servicePlans.status, [...OPEN])))
      .get();
    if (open) throw new DomainError("casework.plan.openExists");
    const previous = tx
      .select({ id: servicePlans.id, reviewDue: servicePlans.reviewDue })
      .from(servicePlans)
      .where(and(eq(servicePlans.clientId, client.id), eq(servicePlans.status, "approved")))
      .orderBy(desc(servicePlans.id))
      .get();
    const id = tx.insert(servicePlans).values({ clientId: client.id, status: "draft", authorUserId }).returning({ id: servicePlans.id }).get().id;
    let carried = 0;
    if (previous) {
      const goals = tx
        .select()
        .from(planGoals)
        .where(and(eq(planGoals.planId, previous.id), inArray(planGoals.status, ["open", "in_progress"])))
        .orderBy(asc(planGoals.id))
        .all();
      for (const g of goals) {
        tx.insert(planGoals).values({ planId: id, area: g.area, goal: g.goal, action: g.action, owner: g.owner, dueDate: g.dueDate, status: g.status }).run();
      }
      carried = goals.length;
    }
    recordAudit(tx, actor, {
      action: "plan_create",
      entity: "client",
      entityId: client.id,
      details: { planId: id, ...(previous ? { previousPlanId: previous.id, goalsCarried: carried } : {}) },
    });
    return id;
  });
}

/** Sets the plan's next review date and note (draft or returned plans only). The review date may not be in the past. */
export function savePlanDetails(
  db: Db,
  actor: Actor,
  input: { clientId: number; planId: number; reviewDue: string | null; note: string; today: string },
): void {
  parseDate(input.today);
  if (input.reviewDue !== null) parseDate(input.reviewDue);
  db.transaction((tx) => {
    const plan = editablePlan(tx, input.clientId, input.planId);
    if (input.reviewDue !== null && input.reviewDue < input.today) throw new DomainError("casework.plan.reviewPast", "reviewDue");
    requireCurrentConsent(tx, input.clientId, input.today);
    tx.update(servicePlans)
      .set({ reviewDue: input.reviewDue, note: input.note, updatedAt: new Date().toISOString() })
      .where(eq(servicePlans.id, plan.id))
      .run();
    recordAudit(tx, actor, { action: "plan_update", entity: "client", entityId: input.clientId, details: { planId: plan.id, reviewDue: input.reviewDue } });
  });
}

export type GoalInput = {
  area: GoalArea;
  goal: string;
  action: string;
  owner: string;
  dueDate: string | null;
  status: GoalStatus;
};

/** Adds a goal to a draft or returned plan. Returns the goal's id. */
export function addGoal(db: Db, actor: Actor, input: { clientId: number; planId: number; today: string } & GoalInput): number {
  parseDate(input.today);
  if (input.dueDate !== null) parseDate(input.dueDate);
  return db.transaction((tx) => {
    const plan = editablePlan(tx, input.clientId, input.planId);
    requireCurrentConsent(tx, input.clientId, input.today);
    const id = tx
      .insert(planGoals)
      .values({ planId: plan.id, area: input.area, goal: input.goal, action: input.action, owner: input.owner, dueDate: input.dueDate, status: input.status })
      .returning({ id: planGoals.id })
      .get().id;
    touch(tx, plan.id);
    recordAudit(tx, actor, { action: "plan_goal_add", entity: "client", entityId: input.clientId, details: { planId: plan.id, goalId: id, area: input.area } });
    return id;
  });
}

function goalOf(tx: Reader, planId: number, goalId: number) {
  const goal = tx.select().from(planGoals).where(and(eq(planGoals.id, goalId), eq(planGoals.planId, planId))).get();
  if (!goal) throw new DomainError("form.unknownId", "goalId");
  return goal;
}

/** Changes a goal of a draft or returned plan. */
export function updateGoal(db: Db, actor: Actor, input: { clientId: number; planId: number; goalId: number; today: string } & GoalInput): void {
  parseDate(input.today);
  if (input.dueDate !== null) parseDate(input.dueDate);
  db.transaction((tx) => {
    const plan = editablePlan(tx, input.clientId, input.planId);
    const goal = goalOf(tx, plan.id, input.goalId);
    requireCurrentConsent(tx, input.clientId, input.today);
    tx.update(planGoals)
      .set({ area: input.area, goal: input.goal, action: input.action, owner: input.owner, dueDate: input.dueDate, status: input.status, updatedAt: new Date().toISOString() })
      .where(eq(planGoals.id, goal.id))
      .run();
    touch(tx, plan.id);
    recordAudit(tx, actor, { action: "plan_goal_update", entity: "client", entityId: input.clientId, details: { planId: plan.id, goalId: goal.id } });
  });
}

/** Removes a goal from a draft or returned plan (a plan not yet in effect: nothing counts it). */
export function removeGoal(db: Db, actor: Actor, input: { clientId: number; planId: number; goalId: number; today: string }): void {
  parseDate(input.today);
  db.transaction((tx) => {
    const plan = editablePlan(tx, input.clientId, input.planId);
    const goal = goalOf(tx, plan.id, input.goalId);
    requireCurrentConsent(tx, input.clientId, input.today);
    tx.delete(planGoals).where(eq(planGoals.id, goal.id)).run();
    touch(tx, plan.id);
    recordAudit(tx, actor, { action: "plan_goal_remove", entity: "client", entityId: input.clientId, details: { planId: plan.id, goalId: goal.id, goal: goal.goal } });
  });
}

/**
 * Submits a draft or returned plan for approval. Refused without goals ("casework.plan.noGoals"),
 * without a review date ("casework.plan.reviewDueRequired"), or without a current consent.
 */
export function submitPlan(db: Db, actor: Actor, input: { clientId: number; planId: number; today: string }): void {
  parseDate(input.today);
  db.transaction((tx) => {
    const plan = editablePlan(tx, input.clientId, input.planId);
    const goals = tx.select({ n: sql<number>`count(*)` }).from(planGoals).where(eq(planGoals.planId, plan.id)).get()?.n ?? 0;
    if (goals === 0) throw new DomainError("casework.plan.noGoals");
    if (!plan.reviewDue) throw new DomainError("casework.plan.reviewDueRequired", "reviewDue");
    requireCurrentConsent(tx, input.clientId, input.today);
    const now = new Date().toISOString();
    tx.update(servicePlans).set({ status: "submitted", submittedAt: now, updatedAt: now }).where(eq(servicePlans.id, plan.id)).run();
    recordAudit(tx, actor, { action: "plan_submit", entity: "client", entityId: input.clientId, details: { planId: plan.id } });
  });
}

/**
 * A coordinator's decision on a submitted plan: approve, or return with a note (required).
 * Refused for a plan not submitted ("casework.plan.notSubmitted") and for the plan's own author
 * ("casework.plan.ownPlan": four eyes). Approving needs a current consent; returning does not.
 */
export function decidePlan(
  db: Db,
  actor: Actor,
  input: { clientId: number; planId: number; decision: PlanDecision; note: string; today: string },
): void {
  parseDate(input.today);
  if (actor.userId === null) throw new DomainError("form.unknownId");
  const deciderId = actor.userId;
  db.transaction((tx) => {
    const plan = planOf(tx, input.clientId, input.planId);
    if (plan.status !== "submitted") throw new DomainError("casework.plan.notSubmitted");
    if (plan.authorUserId === deciderId) throw new DomainError("casework.plan.ownPlan");
    if (input.decision === "return" && input.note.trim() === "") throw new DomainError("casework.plan.returnNoteRequired", "note");
    if (input.decision === "approve") requireCurrentConsent(tx, input.clientId, input.today);
    const now = new Date().toISOString();
    tx.update(servicePlans)
      .set({
        status: input.decision === "approve" ? "approved" : "returned",
        decidedByUserId: deciderId,
        decidedAt: now,
        decisionNote: input.note,
        updatedAt: now,
      })
      .where(eq(servicePlans.id, plan.id))
      .run();
    recordAudit(tx, actor, {
      action: input.decision === "approve" ? "plan_approve" : "plan_return",
      entity: "client",
      entityId: input.clientId,
      details: { planId: plan.id },
    });
  });
}

/**
 * Reviews a goal of the approved plan in effect: its status now, who reviewed it and when.
 * Refused for any other version ("casework.plan.notInEffect") or without a current consent.
 */
export function reviewGoal(
  db: Db,
  actor: Actor,
  input: { clientId: number; planId: number; goalId: number; status: GoalStatus; today: string },
): void {
  parseDate(input.today);
  db.transaction((tx) => {
    const plan = planOf(tx, input.clientId, input.planId);
    const inEffect = tx
      .select({ id: servicePlans.id })
      .from(servicePlans)
      .where(and(eq(servicePlans.clientId, input.clientId), eq(servicePlans.status, "approved")))
      .orderBy(desc(servicePlans.id))
      .get();
    if (inEffect?.id !== plan.id) throw new DomainError("casework.plan.notInEffect");
    const goal = goalOf(tx, plan.id, input.goalId);
    requireCurrentConsent(tx, input.clientId, input.today);
    const now = new Date().toISOString();
    tx.update(planGoals).set({ status: input.status, reviewedByUserId: actor.userId, reviewedAt: now, updatedAt: now }).where(eq(planGoals.id, goal.id)).run();
    recordAudit(tx, actor, {
      action: "plan_goal_review",
      entity: "client",
      entityId: input.clientId,
      details: { planId: plan.id, goalId: goal.id, from: goal.status, to: input.status },
    });
  });
}

export type PendingPlanRow = {
  planId: number;
  clientId: number;
  alias: string;
  caseNumber: string;
  districtZh: string;
  districtEn: string;
  author: string;
  submittedAt: string | null;
  reviewDue: string | null;
  goals: number;
};

/**
 * Plans waiting for approval that the viewer may decide (clientScope with approve:plan: a
 * coordinator's districts, everything for an admin), oldest submission first; paged in SQL.
 */
export function pendingPlans(
  db: Reader,
  viewer: Viewer,
  options: { districtId?: number | null; page: { limit: number; offset: number } },
): { rows: PendingPlanRow[]; total: number } {
  const where = and(
    eq(servicePlans.status, "submitted"),
    clientScope(viewer, "approve:plan"),
    options.districtId ? eq(clients.districtId, options.districtId) : undefined,
  );
  const rows = db
    .select({
      planId: servicePlans.id,
      clientId: clients.id,
      alias: clients.alias,
      caseNumber: clients.caseNumber,
      districtZh: districts.nameZh,
      districtEn: districts.nameEn,
      author: persons.displayName,
      submittedAt: servicePlans.submittedAt,
      reviewDue: servicePlans.reviewDue,
      goals: sql<number>`(select count(*) from ${planGoals} g where g.plan_id = ${servicePlans.id})`,
    })
    .from(servicePlans)
    .innerJoin(clients, eq(clients.id, servicePlans.clientId))
    .innerJoin(districts, eq(districts.id, clients.districtId))
    .innerJoin(users, eq(users.id, servicePlans.authorUserId))
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(where)
    .orderBy(asc(servicePlans.submittedAt), asc(servicePlans.id))
    .limit(options.page.limit)
    .offset(options.page.offset)
    .all();
  const total =
    db
      .select({ n: sql<number>`count(*)` })
      .from(servicePlans)
      .innerJoin(clients, eq(clients.id, servicePlans.clientId))
      .where(where)
      .get()?.n ?? 0;
  return { rows, total };
}
