import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, forbidden, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField, type FormState } from "~/components/forms";
import { Button, Card, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistricts } from "~/domain/organisation";
import { choice, cleanSearch, id } from "~/domain/shared/fields";
import {
  addCohortTrainer,
  certifyAllQualifying,
  listCohortTrainers,
  listEnrollments,
  listProgrammes,
  listTrainerChoices,
  removeCohortTrainer,
  requirementReports,
  searchPersons,
  setCohortStatus,
  updateCohort,
  enrolTrainee,
  CERTIFYING_STATUSES,
} from "~/domain/training";
import { COHORT_STATUS_LIST, COHORT_TRANSITIONS } from "~/domain/training/requirements";
import { CohortSchema, EnrolSchema } from "~/domain/training/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { cohortFromParams, parseIntentForm, programClock, refused } from "./training._index/guard.server";
import { CohortNav, CohortStatusBadge, EnrollmentStatusBadge, RequirementSummary, useLocalName } from "./training._index/parts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:training");
  const access = cohortFromParams(user, params, "read");
  const db = getDb();
  const { cohort, programme } = access;
  const trainers = listCohortTrainers(db, cohort.id);
  const reports = requirementReports(db, cohort.id);
  const trainees = listEnrollments(db, cohort.id).map((e) => {
    const report = reports.get(e.id);
    return { ...e, missing: report ? report.missing.length : 0 };
  });
  const url = new URL(request.url);
  const q = cleanSearch(url.searchParams.get("q"), 80);
  const canEdit = access.can.edit && cohort.status !== "closed";
  const trainerIds = new Set(trainers.map((t) => t.userId));
  return {
    cohort: { id: cohort.id, number: cohort.number, status: cohort.status, startsOn: cohort.startsOn, endsOn: cohort.endsOn, capacity: cohort.capacity, programmeId: cohort.programmeId },
    programme: { id: programme.id, nameZh: programme.nameZh, nameEn: programme.nameEn, version: programme.version, certificateValidMonths: programme.certificateValidMonths },
    trainers: trainers.map((t) => ({ userId: t.userId, displayName: t.displayName })),
    trainees,
    qualifying: trainees.filter((e) => e.status === "enrolled" && e.missing === 0).length,
    canEdit,
    canCertify: access.can.certify && (CERTIFYING_STATUSES as readonly string[]).includes(cohort.status),
    transitions: access.can.edit ? COHORT_TRANSITIONS[cohort.status] : [],
    edit: canEdit
      ? {
          trainerChoices: listTrainerChoices(db)
            .filter((t) => !trainerIds.has(t.userId))
            .map((t) => ({ userId: t.userId, displayName: t.displayName })),
          districts: listDistricts(db, { activeOnly: true }).map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn })),
          programmes:
            cohort.status === "planning"
              ? listProgrammes(db).map((p) => ({ id: p.id, nameZh: p.nameZh, nameEn: p.nameEn, version: p.version, code: p.code }))
              : [],
          q,
          matches: searchPersons(db, q, cohort.id),
          today: programClock().today,
        }
      : null,
  };
}

const ACTION_SCHEMAS = {
  details: CohortSchema,
  status: z.object({ to: choice(COHORT_STATUS_LIST) }),
  addTrainer: z.object({ userId: id }),
  removeTrainer: z.object({ userId: id }),
  enrol: EnrolSchema,
  certifyAll: z.object({}),
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:training");
  const access = cohortFromParams(user, params, "edit");
  const form = await parseIntentForm(request, ACTION_SCHEMAS);
  if (!form.ok) return badForm(form);
  const db = getDb();
  const actor = actorOf(request, user);
  const cohortId = access.cohort.id;
  const to = `/training/cohorts/${cohortId}`;
  const { today } = programClock();
  try {
    switch (form.intent) {
      case "details":
        updateCohort(db, actor, cohortId, form.data);
        return redirectWithFlash(to, { kind: "success", key: "training.cohort.saved" });
      case "status":
        setCohortStatus(db, actor, cohortId, form.data.to);
        return redirectWithFlash(to, { kind: "success", key: `training.cohort.now.${form.data.to}` });
      case "addTrainer":
        addCohortTrainer(db, actor, cohortId, form.data.userId);
        return redirectWithFlash(to, { kind: "success", key: "training.cohort.trainerAdded" });
      case "removeTrainer":
        removeCohortTrainer(db, actor, cohortId, form.data.userId);
        return redirectWithFlash(to, { kind: "success", key: "training.cohort.trainerRemoved" });
      case "enrol": {
        const enrollmentId = enrolTrainee(db, actor, cohortId, form.data);
        return redirectWithFlash(`${to}/trainees/${enrollmentId}`, { kind: "success", key: "training.enrol.done" });
      }
      case "certifyAll": {
        if (!access.can.certify) throw forbidden();
        const result = certifyAllQualifying(db, actor, cohortId, today);
        return redirectWithFlash(to, {
          kind: result.certified.length > 0 ? "success" : "info",
          key: "training.certify.allDone",
          params: { count: result.certified.length, skipped: result.notQualified },
        });
      }
    }
  } catch (e) {
    return refused(e, form.values);
  }
}

function stateFor(state: FormState, intent: string, extra?: Record<string, string>): FormState {
  if (state?.values?.intent !== intent) return undefined;
  for (const [k, v] of Object.entries(extra ?? {})) if (state.values[k] !== v) return undefined;
  return state;
}

export default function CohortOverview() {
  const { cohort, programme, trainers, trainees, qualifying, canEdit, canCertify, transitions, edit } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, date } = useT();
  const localName = useLocalName();
  const known = ["details", "enrol"];
  // answers of the small one-button forms (and unknown intents) are summarised at the top
  const topState = state && !known.includes(state.values?.intent ?? "") ? state : undefined;
  const districtOptions = (edit?.districts ?? []).map((d) => ({ value: d.id, label: localName(d) }));
  return (
    <>
      <p className="mb-2">
        <Link to="/training">← {t("training.back")}</Link>
      </p>
      <PageHeader
        title={t("training.cohort.name", { number: cohort.number })}
        subtitle={`${localName(programme)} · ${t("training.programme.version", { version: programme.version })} · ${date(cohort.startsOn)} – ${date(cohort.endsOn)}`}
        badges={<CohortStatusBadge status={cohort.status} />}
      />
      <CohortNav cohortId={cohort.id} number={cohort.number} current="overview" />
      <ErrorSummary state={topState} />
      {!canEdit && cohort.status !== "closed" && <p className="mb-4 text-muted">{t("training.readOnly")}</p>}

      <div className="grid gap-4">
        <Card
          title={t("training.cohort.trainees")}
          actions={<span className="text-muted">{t("training.cohort.traineeCount", { count: trainees.filter((e) => e.status !== "withdrawn").length, capacity: cohort.capacity })}</span>}
        >
          {trainees.length === 0 ? (
            <EmptyState title={t("training.trainees.empty")}>{t("training.trainees.emptyHelp")}</EmptyState>
          ) : (
            <DataTable
              caption={t("training.trainees.caption")}
              rows={trainees}
              rowKey={(e) => e.id}
              columns={[
                {
                  key: "name",
                  header: t("training.trainees.name"),
                  primary: true,
                  cell: (e) => (
                    <Link to={`/training/cohorts/${cohort.id}/trainees/${e.id}`} className="inline-flex min-h-11 items-center">
                      {e.displayName}
                    </Link>
                  ),
                },
                {
                  key: "district",
                  header: t("training.trainees.district"),
                  cell: (e) => (e.districtNameZh ? localName({ nameZh: e.districtNameZh, nameEn: e.districtNameEn ?? e.districtNameZh }) : "—"),
                },
                { key: "status", header: t("training.trainees.status"), cell: (e) => <EnrollmentStatusBadge status={e.status} /> },
                {
                  key: "req",
                  header: t("training.trainees.requirements"),
                  cell: (e) => (e.status === "enrolled" ? <RequirementSummary missing={e.missing} /> : <span className="text-muted">—</span>),
                },
              ]}
            />
          )}
          {canCertify && (
            <Form method="post" className="mt-4 border-t border-line pt-4">
              <input type="hidden" name="intent" value="certifyAll" />
              <p className="mb-2 text-muted">{t("training.certify.allConsequence")}</p>
              <Button disabled={qualifying === 0}>
                {t("training.certify.all")} ({qualifying})
              </Button>
            </Form>
          )}
        </Card>

        <div className="grid gap-4 lg:grid-cols-2">
          <Card title={t("training.cohort.trainers")}>
            <ul className="grid gap-2">
              {trainers.map((tr) => (
                <li key={tr.userId} className="flex flex-wrap items-center justify-between gap-2">
                  <span>{tr.displayName}</span>
                  {canEdit && trainers.length > 1 && (
                    <Form method="post">
                      <input type="hidden" name="intent" value="removeTrainer" />
                      <input type="hidden" name="userId" value={tr.userId} />
                      <Button kind="ghost">{t("training.cohort.removeTrainer", { name: tr.displayName })}</Button>
                    </Form>
                  )}
                </li>
              ))}
            </ul>
            {edit && edit.trainerChoices.length > 0 && (
              <Form method="post" className="mt-3 flex flex-wrap items-end gap-3">
                <input type="hidden" name="intent" value="addTrainer" />
                <div className="min-w-56 flex-1">
                  <SelectField
                    name="userId"
                    label={t("training.cohort.trainerToAdd")}
                    required
                    options={edit.trainerChoices.map((c) => ({ value: c.userId, label: c.displayName }))}
                  />
                </div>
                <div className="mb-4">
                  <Button kind="secondary">{t("training.cohort.addTrainer")}</Button>
                </div>
              </Form>
            )}
          </Card>

          <Card title={t("training.cohort.statusTitle")}>
            <p className="mb-3">
              <CohortStatusBadge status={cohort.status} />
            </p>
            <div className="grid gap-3">
              {transitions.map((to) => (
                <Form method="post" key={to}>
                  <input type="hidden" name="intent" value="status" />
                  <input type="hidden" name="to" value={to} />
                  {to === "closed" && <p className="mb-2 text-sm text-muted">{t("training.cohort.closeConsequence")}</p>}
                  <Button kind={to === "closed" ? "danger" : "secondary"}>{t(`training.cohort.to.${to}`)}</Button>
                </Form>
              ))}
            </div>
          </Card>
        </div>

        {edit && (
          <Card title={t("training.enrol.title")}>
            <div className="grid gap-6 lg:grid-cols-2">
              <div>
                <h3 className="mb-2 font-medium">{t("training.enrol.modeExisting")}</h3>
                <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
                  <div className="min-w-48 flex-1">
                    <TextField name="q" type="search" label={t("training.enrol.search")} help={t("training.enrol.searchHelp")} defaultValue={edit.q} maxLength={80} />
                  </div>
                  <div className="mb-4">
                    <Button kind="secondary">{t("training.enrol.find")}</Button>
                  </div>
                </Form>
                {edit.q && edit.matches.length === 0 && <p className="mb-3 text-muted">{t("training.enrol.noMatches", { q: edit.q })}</p>}
                {(edit.matches.length > 0 || stateFor(state, "enrol", { mode: "existing" })) && (
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="enrol" />
                    <input type="hidden" name="mode" value="existing" />
                    <ErrorSummary
                      state={stateFor(state, "enrol", { mode: "existing" })}
                      labels={{ personId: t("training.enrol.person"), districtId: t("training.enrol.district"), enrolledOn: t("training.enrol.enrolledOn") }}
                    />
                    <SelectField
                      name="personId"
                      label={t("training.enrol.person")}
                      state={stateFor(state, "enrol", { mode: "existing" })}
                      required
                      placeholder="—"
                      options={edit.matches.map((p) => ({ value: p.id, label: p.displayName }))}
                    />
                    <EnrolCommonFields state={stateFor(state, "enrol", { mode: "existing" })} districts={districtOptions} today={edit.today} />
                    <FormActions>
                      <Button>{t("training.enrol.submit")}</Button>
                    </FormActions>
                  </Form>
                )}
              </div>
              <div>
                <h3 className="mb-2 font-medium">{t("training.enrol.modeNew")}</h3>
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="enrol" />
                  <input type="hidden" name="mode" value="new" />
                  <ErrorSummary
                    state={stateFor(state, "enrol", { mode: "new" })}
                    labels={{ displayName: t("training.enrol.displayName"), districtId: t("training.enrol.district"), enrolledOn: t("training.enrol.enrolledOn") }}
                  />
                  <TextField
                    name="displayName"
                    label={t("training.enrol.displayName")}
                    help={t("training.enrol.displayNameHelp")}
                    state={stateFor(state, "enrol", { mode: "new" })}
                    required
                    maxLength={80}
                    autoComplete="off"
                  />
                  <EnrolCommonFields state={stateFor(state, "enrol", { mode: "new" })} districts={districtOptions} today={edit.today} />
                  <FormActions>
                    <Button>{t("training.enrol.submit")}</Button>
                  </FormActions>
                </Form>
              </div>
            </div>
          </Card>
        )}

        {edit && (
          <Card title={t("training.cohort.edit")}>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="details" />
              <ErrorSummary
                state={stateFor(state, "details")}
                labels={{
                  number: t("training.cohort.number"),
                  programmeId: t("training.cohort.programme"),
                  startsOn: t("training.cohort.startsOn"),
                  endsOn: t("training.cohort.endsOn"),
                  capacity: t("training.cohort.capacity"),
                }}
              />
              <div className="grid gap-x-4 sm:grid-cols-2">
                <TextField name="number" type="number" inputMode="numeric" label={t("training.cohort.number")} state={stateFor(state, "details")} defaultValue={cohort.number} required />
                <TextField name="capacity" type="number" inputMode="numeric" label={t("training.cohort.capacity")} state={stateFor(state, "details")} defaultValue={cohort.capacity} required />
                <TextField name="startsOn" type="date" label={t("training.cohort.startsOn")} state={stateFor(state, "details")} defaultValue={cohort.startsOn} required />
                <TextField name="endsOn" type="date" label={t("training.cohort.endsOn")} state={stateFor(state, "details")} defaultValue={cohort.endsOn} required />
              </div>
              {edit.programmes.length > 0 ? (
                <SelectField
                  name="programmeId"
                  label={t("training.cohort.programme")}
                  state={stateFor(state, "details")}
                  defaultValue={cohort.programmeId}
                  required
                  options={edit.programmes.map((p) => ({ value: p.id, label: `${localName(p)} · ${p.code} · ${t("training.programme.version", { version: p.version })}` }))}
                />
              ) : (
                <input type="hidden" name="programmeId" value={cohort.programmeId} />
              )}
              <FormActions>
                <Button kind="secondary">{t("training.cohort.save")}</Button>
              </FormActions>
            </Form>
          </Card>
        )}
      </div>
    </>
  );
}

function EnrolCommonFields({ state, districts, today }: { state: FormState; districts: { value: number; label: string }[]; today: string }) {
  const { t } = useT();
  return (
    <>
      <SelectField name="districtId" label={t("training.enrol.district")} help={t("training.enrol.districtHelp")} state={state} required placeholder="—" options={districts} />
      <TextField name="enrolledOn" type="date" label={t("training.enrol.enrolledOn")} state={state} defaultValue={today} required />
    </>
  );
}

export const meta = titled("training.title");
