import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField, type FormState } from "~/components/forms";
import { Badge, Button, Card, EmptyState, LinkButton, type Tone } from "~/components/ui";
import { getDb } from "~/db.server";
import {
  addGoal,
  decidePlan,
  GOAL_AREAS,
  GOAL_STATUSES,
  getPlan,
  listPlanVersions,
  PLAN_FIELDS,
  PLAN_LIMITS,
  programToday,
  removeGoal,
  reviewGoal,
  savePlanDetails,
  startPlan,
  submitPlan,
  updateGoal,
} from "~/domain/clients";
import type { PlanGoalRow } from "~/domain/clients";
import { id } from "~/domain/shared/fields";
import { requireClient } from "~/http/client-guard.server";
import { redirectWithFlash, type Flash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * The client's individual service plan (个性化帮教服务方案): the latest version (or an older one,
 * read-only, with ?version=), its goals, and what the viewer may do with it — the social worker
 * drafts, edits and submits; a coordinator of the district approves or returns it with a note;
 * the approved plan in effect takes goal reviews. Peer tutors and others with read access read.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, user } = requireClient(request, params, { audit: "plan" });
  if (!access.can.readCaseRecords) throw forbidden();
  const db = getDb();
  const search = new URL(request.url).searchParams;
  const raw = search.get("version");
  const wanted = raw ? id.safeParse(raw) : null;
  const goalParam = id.safeParse(search.get("goal") ?? "");
  const versions = listPlanVersions(db, access.client.id);
  const plan = getPlan(db, access.client.id, wanted?.success ? wanted.data : null) ?? (wanted ? getPlan(db, access.client.id) : null);
  const canWrite = access.can.writeCaseRecords;
  return {
    clientId: access.client.id,
    plan,
    versions,
    areas: GOAL_AREAS,
    statuses: GOAL_STATUSES,
    limits: PLAN_LIMITS,
    canWrite,
    canDecide: access.can.approvePlan && plan !== null && plan.awaitingDecision && plan.authorUserId !== user.id,
    canStart: canWrite && (plan === null || (plan.latest && plan.status === "approved")),
    // the goal whose edit or review form is open (one at a time)
    selectedGoal: goalParam.success && plan?.goals.some((g) => g.id === goalParam.data) ? goalParam.data : null,
    today: programToday(db),
  };
}

const planId = { planId: id };
const goalFields = {
  area: PLAN_FIELDS.area,
  goal: PLAN_FIELDS.goal,
  action: PLAN_FIELDS.action,
  owner: PLAN_FIELDS.owner,
  dueDate: PLAN_FIELDS.dueDate,
  status: PLAN_FIELDS.status,
};
const PlanActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start") }),
  z.object({ intent: z.literal("details"), ...planId, reviewDue: PLAN_FIELDS.reviewDue, note: PLAN_FIELDS.note }),
  z.object({ intent: z.literal("addGoal"), ...planId, ...goalFields }),
  z.object({ intent: z.literal("updateGoal"), ...planId, goalId: id, ...goalFields }),
  z.object({ intent: z.literal("removeGoal"), ...planId, goalId: id }),
  z.object({ intent: z.literal("submit"), ...planId }),
  z.object({ intent: z.literal("decide"), ...planId, decision: PLAN_FIELDS.decision, note: PLAN_FIELDS.decisionNote }),
  z.object({ intent: z.literal("review"), ...planId, goalId: id, status: PLAN_FIELDS.status }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { access, actor } = requireClient(request, params);
  if (!access.can.writeCaseRecords && !access.can.approvePlan) throw forbidden();
  const form = await parseForm(request, PlanActionSchema);
  if (!form.ok) {
    if (form.errors.intent || form.errors._form) return badForm({ errors: { _form: "form.badRequest" }, values: form.values });
    return badForm(form);
  }
  const input = form.data;
  // deciding is the coordinator's; everything else is the client's social worker's
  if (input.intent === "decide" ? !access.can.approvePlan : !access.can.writeCaseRecords) throw forbidden();
  const db = getDb();
  const clientId = access.client.id;
  const today = programToday(db);
  let flash: Flash["key"];
  let version: number | null = "planId" in input ? input.planId : null;
  try {
    switch (input.intent) {
      case "start":
        version = startPlan(db, actor, { clientId, today });
        flash = "casework.plan.started";
        break;
      case "details":
        savePlanDetails(db, actor, { clientId, planId: input.planId, reviewDue: input.reviewDue, note: input.note, today });
        flash = "casework.plan.saved";
        break;
      case "addGoal":
        addGoal(db, actor, { clientId, today, ...input });
        flash = "casework.goal.added";
        break;
      case "updateGoal":
        updateGoal(db, actor, { clientId, today, ...input });
        flash = "casework.goal.saved";
        break;
      case "removeGoal":
        removeGoal(db, actor, { clientId, today, planId: input.planId, goalId: input.goalId });
        flash = "casework.goal.removed";
        break;
      case "submit":
        submitPlan(db, actor, { clientId, today, planId: input.planId });
        flash = "casework.plan.submitted";
        break;
      case "decide":
        decidePlan(db, actor, { clientId, today, planId: input.planId, decision: input.decision, note: input.note });
        flash = input.decision === "approve" ? "casework.plan.approved" : "casework.plan.returned";
        version = null;
        break;
      case "review":
        reviewGoal(db, actor, { clientId, today, planId: input.planId, goalId: input.goalId, status: input.status });
        flash = "casework.goal.reviewedFlash";
        break;
    }
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  const latest = listPlanVersions(db, clientId)[0]?.id;
  const to = version && version !== latest ? `/clients/${clientId}/plan?version=${version}` : `/clients/${clientId}/plan`;
  return redirectWithFlash(to, { kind: "success", key: flash });
}

const STATUS_TONE: Record<string, Tone> = { draft: "neutral", submitted: "warn", approved: "ok", returned: "danger" };
const GOAL_TONE: Record<string, Tone> = { open: "neutral", in_progress: "brand", done: "ok", dropped: "neutral" };

export default function ClientPlan() {
  const data = useLoaderData<typeof loader>();
  const { plan, versions, canWrite, canDecide, canStart, clientId, selectedGoal } = data;
  const result = useActionData<typeof action>();
  const { t, date, dateTime } = useT();
  // each form gets back only its own errors and typed values
  const stateFor = (intent: string, goalId?: number): FormState =>
    result && result.values?.intent === intent && (goalId === undefined || result.values.goalId === String(goalId)) ? result : undefined;

  if (!plan) {
    const formLevel = result && !(canStart && result.values?.intent === "start") ? result : undefined;
    return (
      <section aria-labelledby="plan-title">
        <h2 id="plan-title" className="mb-3">
          {t("casework.plan.title")}
        </h2>
        <ErrorSummary state={formLevel ?? stateFor("start")} />
        <EmptyState
          title={t("casework.plan.none")}
          action={
            canStart ? (
              <Form method="post">
                <input type="hidden" name="intent" value="start" />
                <Button>{t("casework.plan.start")}</Button>
              </Form>
            ) : undefined
          }
        >
          {t("casework.plan.noneHelp")}
        </EmptyState>
      </section>
    );
  }

  const editable = plan.editable && canWrite;
  const reviewable = plan.inEffect && canWrite;
  // a refusal whose form is not on the page (any more) shows at the top
  const intent = result?.values?.intent ?? "";
  const goalOfResult = Number(result?.values?.goalId ?? 0);
  const shown =
    (editable && ["details", "submit"].includes(intent)) ||
    (editable && intent === "addGoal" && selectedGoal === null) ||
    (editable && ["updateGoal", "removeGoal"].includes(intent) && selectedGoal === goalOfResult) ||
    (reviewable && intent === "review" && selectedGoal === goalOfResult) ||
    (canDecide && intent === "decide") ||
    (canStart && intent === "start");
  const formLevel = result && !shown ? result : undefined;
  const here = `/clients/${clientId}/plan`;
  const versionQuery = plan.latest ? "" : `version=${plan.id}&`;
  const options = {
    areas: data.areas.map((a) => ({ value: a, label: t(`casework.area.${a}`) })),
    statuses: data.statuses.map((s) => ({ value: s, label: t(`casework.goalStatus.${s}`) })),
  };
  return (
    <section aria-labelledby="plan-title" className="space-y-5">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="plan-title">
            {t("casework.plan.title")} · {t("casework.plan.version", { n: plan.version })}
          </h2>
          <div className="mt-1 flex flex-wrap gap-2">
            <Badge tone={STATUS_TONE[plan.status]}>{t(`casework.planStatus.${plan.status}`)}</Badge>
            {plan.inEffect && <Badge tone="ok">{t("casework.plan.inEffect")}</Badge>}
          </div>
          <p className="mt-1 text-sm text-muted">
            {t("casework.plan.author", { name: plan.author })} · {t("casework.plan.created", { date: dateTime(plan.createdAt) })}
            {plan.submittedAt && <> · {t("casework.plan.submittedAt", { date: dateTime(plan.submittedAt) })}</>}
          </p>
        </div>
        <LinkButton to={`${here}/print${plan.latest ? "" : `?version=${plan.id}`}`} reloadDocument>
          {t("casework.plan.print")}
        </LinkButton>
      </header>

      <ErrorSummary state={formLevel} />

      {!plan.latest && (
        <p className="rounded-card border border-line bg-neutral-soft p-3">
          {t("casework.plan.viewingOld")} <Link to={here}>{t("casework.plan.toLatest")}</Link>
        </p>
      )}

      {plan.decidedAt && plan.decidedBy && (plan.status === "approved" || plan.status === "returned") && (
        <div className={plan.status === "returned" ? "rounded-card border border-danger/40 bg-danger-soft p-3" : "rounded-card border border-line bg-surface p-3"}>
          <p className="font-medium">
            {plan.status === "returned"
              ? t("casework.plan.returnedBy", { name: plan.decidedBy, date: dateTime(plan.decidedAt) })
              : t("casework.plan.approvedBy", { name: plan.decidedBy, date: dateTime(plan.decidedAt) })}
          </p>
          {plan.decisionNote && (
            <p className="mt-1 whitespace-pre-line">
              <span className="text-muted">{t("casework.plan.decisionNote")}: </span>
              {plan.decisionNote}
            </p>
          )}
        </div>
      )}

      <Card>
        {editable ? (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="details" />
            <input type="hidden" name="planId" value={plan.id} />
            <ErrorSummary state={stateFor("details")} labels={{ reviewDue: t("casework.plan.reviewDue"), note: t("casework.plan.note") }} />
            <TextField
              name="reviewDue"
              type="date"
              label={t("casework.plan.reviewDue")}
              help={t("casework.plan.reviewDueHelp")}
              state={stateFor("details")}
              defaultValue={plan.reviewDue}
            />
            <TextField name="note" label={t("casework.plan.note")} multiline state={stateFor("details")} defaultValue={plan.note} maxLength={data.limits.note} />
            <Button kind="secondary">{t("casework.plan.saveDetails")}</Button>
          </Form>
        ) : (
          <dl className="grid gap-2 sm:grid-cols-[12rem_1fr]">
            <dt className="text-muted">{t("casework.plan.reviewDue")}</dt>
            <dd>{plan.reviewDue ? date(plan.reviewDue) : t("casework.plan.reviewDueNone")}</dd>
            {plan.note && (
              <>
                <dt className="text-muted">{t("casework.plan.note")}</dt>
                <dd className="whitespace-pre-line">{plan.note}</dd>
              </>
            )}
          </dl>
        )}
      </Card>

      <Card title={t("casework.plan.goals")}>
        {plan.goals.length === 0 && <p className="text-muted">{t("casework.plan.noGoalsYet")}</p>}
        <ul className="space-y-3">
          {plan.goals.map((g) => (
            <li key={g.id} id={`goal-${g.id}`} className="rounded-card border border-line p-3">
              <GoalSummary goal={g} />
              {/* one goal form at a time (?goal=), so field ids stay unique on the page */}
              {editable && selectedGoal === g.id && (
                <>
                  <Form method="post" noValidate className="mt-3">
                    <input type="hidden" name="intent" value="updateGoal" />
                    <input type="hidden" name="planId" value={plan.id} />
                    <input type="hidden" name="goalId" value={g.id} />
                    <GoalFields state={stateFor("updateGoal", g.id)} goal={g} options={options} limits={data.limits} />
                    <FormActions>
                      <Button>{t("casework.goal.save")}</Button>
                      <Link to={here} className="inline-flex min-h-11 items-center px-2">
                        {t("form.cancel")}
                      </Link>
                    </FormActions>
                  </Form>
                  <Form method="post" className="mt-3">
                    <input type="hidden" name="intent" value="removeGoal" />
                    <input type="hidden" name="planId" value={plan.id} />
                    <input type="hidden" name="goalId" value={g.id} />
                    <ErrorSummary state={stateFor("removeGoal", g.id)} />
                    <Button kind="danger">{t("casework.goal.remove")}</Button>
                  </Form>
                </>
              )}
              {reviewable && selectedGoal === g.id && (
                <Form method="post" noValidate className="mt-3">
                  <input type="hidden" name="intent" value="review" />
                  <input type="hidden" name="planId" value={plan.id} />
                  <input type="hidden" name="goalId" value={g.id} />
                  <ErrorSummary state={stateFor("review", g.id)} labels={{ status: t("casework.goal.status") }} />
                  <SelectField name="status" label={t("casework.goal.status")} state={stateFor("review", g.id)} defaultValue={g.status} options={options.statuses} required />
                  <FormActions>
                    <Button>{t("casework.goal.review")}</Button>
                    <Link to={`${here}${plan.latest ? "" : `?version=${plan.id}`}`} className="inline-flex min-h-11 items-center px-2">
                      {t("form.cancel")}
                    </Link>
                  </FormActions>
                </Form>
              )}
              {(editable || reviewable) && selectedGoal !== g.id && (
                <Link to={`${here}?${versionQuery}goal=${g.id}#goal-${g.id}`} className="mt-2 inline-flex min-h-11 items-center">
                  {editable ? t("casework.goal.edit") : t("casework.goal.review")}
                </Link>
              )}
            </li>
          ))}
        </ul>
        {editable && selectedGoal === null && (
          <Form method="post" noValidate className="mt-5 border-t border-line pt-4">
            <h3 className="mb-3 font-semibold">{t("casework.goal.addTitle")}</h3>
            <input type="hidden" name="intent" value="addGoal" />
            <input type="hidden" name="planId" value={plan.id} />
            <GoalFields state={stateFor("addGoal")} options={options} limits={data.limits} />
            <FormActions>
              <Button>{t("casework.goal.add")}</Button>
            </FormActions>
          </Form>
        )}
      </Card>

      {editable && (
        <Card title={t("casework.plan.submit")}>
          <p className="mb-3 text-muted">{t("casework.plan.submitHelp")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="submit" />
            <input type="hidden" name="planId" value={plan.id} />
            <ErrorSummary state={stateFor("submit")} labels={{ reviewDue: t("casework.plan.reviewDue") }} />
            <Button>{t("casework.plan.submit")}</Button>
          </Form>
        </Card>
      )}

      {plan.awaitingDecision && !canDecide && <p className="rounded-card border border-warn/40 bg-warn-soft p-3 text-warn">{t("casework.plan.awaiting")}</p>}

      {canDecide && (
        <Card title={t("casework.plan.decideTitle")}>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="decide" />
            <input type="hidden" name="planId" value={plan.id} />
            <ErrorSummary state={stateFor("decide")} labels={{ note: t("casework.plan.decisionNoteField") }} />
            <TextField
              name="note"
              label={t("casework.plan.decisionNoteField")}
              help={t("casework.plan.decisionNoteHelp")}
              multiline
              state={stateFor("decide")}
              maxLength={data.limits.decisionNote}
            />
            <FormActions>
              <Button name="decision" value="approve">
                {t("casework.plan.approve")}
              </Button>
              <Button name="decision" value="return" kind="secondary">
                {t("casework.plan.return")}
              </Button>
            </FormActions>
          </Form>
        </Card>
      )}

      {canStart && (
        <Card title={t("casework.plan.startNew")}>
          <p className="mb-3 text-muted">{t("casework.plan.startNewHelp")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <ErrorSummary state={stateFor("start")} />
            <Button kind="secondary">{t("casework.plan.startNew")}</Button>
          </Form>
        </Card>
      )}

      {versions.length > 1 && (
        <Card title={t("casework.plan.versions")}>
          <ul className="space-y-1">
            {versions.map((v) => (
              <li key={v.id} className="flex min-h-11 flex-wrap items-center gap-2">
                {v.id === plan.id ? (
                  <span className="font-medium">{t("casework.plan.version", { n: v.version })}</span>
                ) : (
                  <Link to={`${here}?version=${v.id}`}>{t("casework.plan.version", { n: v.version })}</Link>
                )}
                <Badge tone={STATUS_TONE[v.status]}>{t(`casework.planStatus.${v.status}`)}</Badge>
                <span className="text-sm text-muted">{dateTime(v.decidedAt ?? v.submittedAt ?? v.createdAt)}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </section>
  );
}

type Option = { value: string; label: string };

function GoalFields({
  state,
  goal,
  options,
  limits,
}: {
  state: FormState;
  goal?: PlanGoalRow;
  options: { areas: Option[]; statuses: Option[] };
  limits: { goal: number; action: number; owner: number };
}) {
  const { t } = useT();
  const labels = {
    area: t("casework.goal.area"),
    goal: t("casework.goal.goal"),
    action: t("casework.goal.action"),
    owner: t("casework.goal.owner"),
    dueDate: t("casework.goal.dueDate"),
    status: t("casework.goal.status"),
  };
  return (
    <>
      <ErrorSummary state={state} labels={labels} />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <SelectField name="area" label={labels.area} state={state} defaultValue={goal?.area ?? ""} options={options.areas} placeholder="" required />
        <SelectField name="status" label={labels.status} state={state} defaultValue={goal?.status ?? "open"} options={options.statuses} required />
      </div>
      <TextField name="goal" label={labels.goal} state={state} defaultValue={goal?.goal} required maxLength={limits.goal} />
      <TextField name="action" label={labels.action} multiline state={state} defaultValue={goal?.action} maxLength={limits.action} />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <TextField name="owner" label={labels.owner} help={t("casework.goal.ownerHelp")} state={state} defaultValue={goal?.owner} maxLength={limits.owner} />
        <TextField name="dueDate" type="date" label={labels.dueDate} state={state} defaultValue={goal?.dueDate} />
      </div>
    </>
  );
}

function GoalSummary({ goal }: { goal: PlanGoalRow }) {
  const { t, date, dateTime } = useT();
  return (
    <div>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="brand">{t(`casework.area.${goal.area}`)}</Badge>
        <Badge tone={GOAL_TONE[goal.status]}>{t(`casework.goalStatus.${goal.status}`)}</Badge>
        {goal.dueDate && (
          <span className="text-sm text-muted">
            {t("casework.goal.dueDate")}: {date(goal.dueDate)}
          </span>
        )}
      </div>
      <p className="mt-1 font-medium">{goal.goal}</p>
      {goal.action && <p className="whitespace-pre-line">{goal.action}</p>}
      {goal.owner && (
        <p className="text-sm text-muted">
          {t("casework.goal.owner")}: {goal.owner}
        </p>
      )}
      <p className="text-sm text-muted">
        {goal.reviewedBy && goal.reviewedAt ? t("casework.goal.reviewed", { name: goal.reviewedBy, date: dateTime(goal.reviewedAt) }) : t("casework.goal.notReviewed")}
      </p>
    </div>
  );
}

export const meta = titled("casework.plan.title");
