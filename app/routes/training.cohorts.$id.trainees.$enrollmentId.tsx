import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, forbidden, requireUserWithPermission } from "~/auth/guards.server";
import { CheckboxField, ErrorSummary, FormActions, SelectField, TextField, type FormState } from "~/components/forms";
import { Badge, Button, Card, DataTable, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { cleanSearch, id } from "~/domain/shared/fields";
import {
  addPracticum,
  canManageCertificates,
  certificateOfEnrollment,
  certifyEnrollment,
  listAssessments,
  listCohortTrainers,
  listModules,
  listPracticum,
  recordAssessment,
  requirementReport,
  signOffPracticum,
  supervisorChoices,
  withdrawTrainee,
  CERTIFYING_STATUSES,
} from "~/domain/training";
import type { RequirementItem } from "~/domain/training/requirements";
import { AssessmentSchema, PracticumSchema, reason } from "~/domain/training/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { cohortFromParams, enrollmentFromParams, parseIntentForm, programClock, refused } from "./training._index/guard.server";
import { EnrollmentStatusBadge, RequirementList, useLocalName } from "./training._index/parts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:training");
  const access = cohortFromParams(user, params, "read");
  const enrollment = enrollmentFromParams(access.cohort.id, params);
  const db = getDb();
  const { cohort, programme } = access;
  const { today } = programClock();
  const report = requirementReport(db, cohort.id, enrollment.id);
  const assessments = listAssessments(db, enrollment.id);
  const latest = new Map<number, number>();
  for (const a of assessments) latest.set(a.moduleId, Math.max(latest.get(a.moduleId) ?? 0, a.attempt));
  const open = enrollment.status === "enrolled" && cohort.status !== "closed";
  const canEdit = access.can.edit && open;
  const url = new URL(request.url);
  const sup = cleanSearch(url.searchParams.get("sup"), 80);
  const trainers = listCohortTrainers(db, cohort.id);
  return {
    cohort: { id: cohort.id, number: cohort.number, status: cohort.status },
    programme: { certificateValidMonths: programme.certificateValidMonths },
    enrollment,
    items: report?.items ?? [],
    meetsAll: report?.meetsAll ?? false,
    assessments: assessments.map((a) => ({ ...a, counts: latest.get(a.moduleId) === a.attempt })),
    practicum: listPracticum(db, enrollment.id),
    certificate: certificateOfEnrollment(db, enrollment.id) ?? null,
    canEdit,
    canPrint: canManageCertificates(user),
    canCertify: access.can.certify && open && (CERTIFYING_STATUSES as readonly string[]).includes(cohort.status),
    form: canEdit
      ? {
          today,
          sup,
          modules: listModules(db, programme.id).map((m) => ({ id: m.id, nameZh: m.nameZh, nameEn: m.nameEn, passMark: m.passMark })),
          assessors: trainers.map((t) => ({ userId: t.userId, displayName: t.displayName })),
          defaultAssessor: trainers.some((t) => t.userId === user.id) ? user.id : (trainers[0]?.userId ?? null),
          supervisors: supervisorChoices(db, {
            cohortId: cohort.id,
            districtId: enrollment.districtId,
            query: sup,
            date: today,
            excludePersonId: enrollment.personId,
          }),
        }
      : null,
  };
}

const ACTION_SCHEMAS = {
  assessment: AssessmentSchema,
  practicum: PracticumSchema,
  signOff: z.object({ logId: id }),
  certify: z.object({}),
  withdraw: z.object({ reason }),
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:training");
  const access = cohortFromParams(user, params, "edit");
  const enrollment = enrollmentFromParams(access.cohort.id, params);
  const form = await parseIntentForm(request, ACTION_SCHEMAS);
  if (!form.ok) return badForm(form);
  const db = getDb();
  const actor = actorOf(request, user);
  const cohortId = access.cohort.id;
  const to = `/training/cohorts/${cohortId}/trainees/${enrollment.id}`;
  const { today, timeZone } = programClock();
  try {
    switch (form.intent) {
      case "assessment":
        recordAssessment(db, actor, cohortId, enrollment.id, form.data, today);
        return redirectWithFlash(to, { kind: "success", key: "training.assessment.recorded" });
      case "practicum":
        addPracticum(db, actor, cohortId, enrollment.id, form.data, today, timeZone);
        return redirectWithFlash(to, { kind: "success", key: "training.practicum.added" });
      case "signOff":
        signOffPracticum(db, actor, cohortId, enrollment.id, form.data.logId);
        return redirectWithFlash(to, { kind: "success", key: "training.practicum.signedDone" });
      case "certify": {
        if (!access.can.certify) throw forbidden();
        const issued = certifyEnrollment(db, actor, cohortId, enrollment.id, today);
        return redirectWithFlash(to, { kind: "success", key: "training.certify.done", params: { number: issued.number } });
      }
      case "withdraw":
        withdrawTrainee(db, actor, cohortId, enrollment.id, form.data.reason);
        return redirectWithFlash(to, { kind: "success", key: "training.withdraw.done" });
    }
  } catch (e) {
    return refused(e, form.values);
  }
}

function stateFor(state: FormState, intent: string): FormState {
  return state?.values?.intent === intent ? state : undefined;
}

export default function TraineeRecord() {
  const { cohort, programme, enrollment, items, meetsAll, assessments, practicum, certificate, canEdit, canPrint, canCertify, form } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, tm, date } = useT();
  const localName = useLocalName();
  const missing: RequirementItem[] = state && "missing" in state ? state.missing : [];
  const known = ["assessment", "practicum", "withdraw", "certify"];
  const topState = state && !known.includes(state.values?.intent ?? "") ? state : undefined;
  const district = enrollment.districtNameZh ? localName({ nameZh: enrollment.districtNameZh, nameEn: enrollment.districtNameEn ?? enrollment.districtNameZh }) : "—";
  const missingCount = items.filter((i) => !i.met).length;
  const assessmentState = stateFor(state, "assessment");
  const practicumState = stateFor(state, "practicum");
  const certifyState = stateFor(state, "certify");
  return (
    <>
      <p className="mb-2">
        <Link to={`/training/cohorts/${cohort.id}`}>← {t("training.backToCohort", { number: cohort.number })}</Link>
      </p>
      <PageHeader
        title={enrollment.displayName}
        subtitle={t("training.trainee.subtitle", { number: cohort.number, district })}
        badges={<EnrollmentStatusBadge status={enrollment.status} />}
      />
      {enrollment.statusReason && <p className="mb-4 text-muted">{t("training.trainee.reason", { reason: enrollment.statusReason })}</p>}
      <ErrorSummary state={topState} />

      <div className="grid gap-4">
        <Card
          title={t("training.req.title")}
          actions={
            <Badge tone={meetsAll ? "ok" : "warn"}>
              {meetsAll ? t("training.req.summaryMet") : t("training.req.summaryMissing", { count: missingCount })}
            </Badge>
          }
        >
          <RequirementList items={items} />
          {certificate && (
            <dl className="mt-4 grid gap-1 border-t border-line pt-4 sm:grid-cols-3">
              <div>
                <dt className="text-sm text-muted">{t("training.certify.number")}</dt>
                <dd className="font-medium">{certificate.number}</dd>
              </div>
              <div>
                <dt className="text-sm text-muted">{t("training.certify.issuedOn")}</dt>
                <dd>{date(certificate.issuedOn)}</dd>
              </div>
              <div>
                <dt className="text-sm text-muted">{t("training.certify.expiresOn")}</dt>
                <dd>{date(certificate.expiresOn)}</dd>
              </div>
            </dl>
          )}
          {certificate && canPrint && (
            <p className="mt-2">
              {/* a full page load: the print page's stylesheet carries the request's CSP nonce */}
              <Link to={`/certificates/${encodeURIComponent(certificate.number)}`} reloadDocument className="inline-flex min-h-11 items-center">
                {t("registry.profile.print")}
              </Link>
            </p>
          )}
          {canCertify && (
            <Form method="post" className="mt-4 border-t border-line pt-4">
              <input type="hidden" name="intent" value="certify" />
              {certifyState && (
                <div role="alert" className="mb-3 rounded-card border border-danger/40 bg-danger-soft p-4">
                  <p className="font-medium text-danger">{tm(certifyState.errors?._form ?? "training.certify.notQualified")}</p>
                  {missing.length > 0 && (
                    <>
                      <p className="mt-2">{t("training.certify.missingList")}</p>
                      <RequirementList items={missing} />
                    </>
                  )}
                </div>
              )}
              <p className="mb-2 text-muted">{t("training.certify.oneConsequence", { months: programme.certificateValidMonths })}</p>
              <Button>{t("training.certify.one")}</Button>
            </Form>
          )}
        </Card>

        <Card title={t("training.assessments.title")}>
          {assessments.length === 0 ? (
            <p className="text-muted">{t("training.assessments.empty")}</p>
          ) : (
            <DataTable
              caption={t("training.assessments.caption")}
              rows={assessments}
              rowKey={(a) => a.id}
              columns={[
                {
                  key: "module",
                  header: t("training.assessment.module"),
                  primary: true,
                  cell: (a) => (
                    <span>
                      {localName({ nameZh: a.moduleNameZh, nameEn: a.moduleNameEn })} · {t("training.assessment.attempt", { attempt: a.attempt })}
                      {a.counts && (
                        <span className="ml-2">
                          <Badge tone="brand">{t("training.assessment.latest")}</Badge>
                        </span>
                      )}
                    </span>
                  ),
                },
                {
                  key: "score",
                  header: t("training.assessment.score"),
                  cell: (a) => (
                    <span className="flex flex-wrap items-center gap-2">
                      {a.score} / {a.passMark}
                      <Badge tone={a.passed ? "ok" : "warn"}>{a.passed ? t("training.assessment.passed") : t("training.assessment.failed")}</Badge>
                    </span>
                  ),
                },
                { key: "date", header: t("training.assessment.assessedOn"), cell: (a) => date(a.assessedOn) },
                { key: "assessor", header: t("training.assessment.assessor"), cell: (a) => a.assessor },
                { key: "notes", header: t("training.assessment.notes"), cell: (a) => a.notes || "—" },
              ]}
            />
          )}
          {form && (
            <Form method="post" noValidate className="mt-4 border-t border-line pt-4">
              <h3 className="mb-1 font-medium">{t("training.assessment.record")}</h3>
              <p className="mb-3 text-sm text-muted">{t("training.assessment.recordHelp")}</p>
              <input type="hidden" name="intent" value="assessment" />
              <ErrorSummary
                state={assessmentState}
                labels={{
                  moduleId: t("training.assessment.module"),
                  score: t("training.assessment.score"),
                  assessedOn: t("training.assessment.assessedOn"),
                  assessorUserId: t("training.assessment.assessor"),
                  notes: t("training.assessment.notes"),
                }}
              />
              <div className="grid gap-x-4 sm:grid-cols-2">
                <SelectField
                  name="moduleId"
                  label={t("training.assessment.module")}
                  state={assessmentState}
                  required
                  placeholder="—"
                  options={form.modules.map((m) => ({ value: m.id, label: `${localName(m)} (${m.passMark})` }))}
                />
                <TextField name="score" type="number" inputMode="numeric" label={t("training.assessment.score")} help={t("training.assessment.scoreHelp")} state={assessmentState} required />
                <TextField name="assessedOn" type="date" label={t("training.assessment.assessedOn")} state={assessmentState} defaultValue={form.today} required />
                <SelectField
                  name="assessorUserId"
                  label={t("training.assessment.assessor")}
                  state={assessmentState}
                  defaultValue={form.defaultAssessor}
                  required
                  options={form.assessors.map((a) => ({ value: a.userId, label: a.displayName }))}
                />
              </div>
              <TextField name="notes" label={t("training.assessment.notes")} state={assessmentState} multiline maxLength={1000} />
              <FormActions>
                <Button>{t("training.assessment.record")}</Button>
              </FormActions>
            </Form>
          )}
        </Card>

        <Card title={t("training.practicum.title")}>
          {practicum.length === 0 ? (
            <p className="text-muted">{t("training.practicum.empty")}</p>
          ) : (
            <DataTable
              caption={t("training.practicum.caption")}
              rows={practicum}
              rowKey={(p) => p.id}
              columns={[
                { key: "date", header: t("training.practicum.date"), primary: true, cell: (p) => `${date(p.date)} · ${p.hours} h` },
                {
                  key: "activity",
                  header: t("training.practicum.activity"),
                  cell: (p) => (
                    <span>
                      {p.activity}
                      {p.groupSessionId !== null && (
                        <>
                          {" · "}
                          <Link to={`/sessions/${p.groupSessionId}`}>{t("training.practicum.sessionLink", { id: p.groupSessionId })}</Link>
                        </>
                      )}
                    </span>
                  ),
                },
                { key: "supervisor", header: t("training.practicum.supervisor"), cell: (p) => p.supervisor },
                {
                  key: "signed",
                  header: t("training.practicum.signOffAction"),
                  cell: (p) =>
                    p.signedOffAt ? (
                      <Badge tone="ok">{t("training.practicum.signedOff", { name: p.signedOffBy ?? "—" })}</Badge>
                    ) : (
                      <span className="flex flex-wrap items-center gap-2">
                        <Badge tone="warn">{t("training.practicum.awaiting")}</Badge>
                        {canEdit && (
                          <Form method="post">
                            <input type="hidden" name="intent" value="signOff" />
                            <input type="hidden" name="logId" value={p.id} />
                            <Button kind="secondary">{t("training.practicum.signOffAction")}</Button>
                          </Form>
                        )}
                      </span>
                    ),
                },
              ]}
            />
          )}
          {form && (
            <div className="mt-4 border-t border-line pt-4">
              <h3 className="mb-2 font-medium">{t("training.practicum.add")}</h3>
              <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
                <div className="min-w-48 flex-1">
                  <TextField name="sup" type="search" label={t("training.practicum.findSupervisor")} defaultValue={form.sup} maxLength={80} />
                </div>
                <div className="mb-4">
                  <Button kind="secondary">{t("training.enrol.find")}</Button>
                </div>
              </Form>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="practicum" />
                <ErrorSummary
                  state={practicumState}
                  labels={{
                    date: t("training.practicum.date"),
                    hours: t("training.practicum.hours"),
                    activity: t("training.practicum.activity"),
                    supervisorPersonId: t("training.practicum.supervisor"),
                    groupSessionId: t("training.practicum.groupSession"),
                  }}
                />
                <div className="grid gap-x-4 sm:grid-cols-2">
                  <TextField name="date" type="date" label={t("training.practicum.date")} state={practicumState} defaultValue={form.today} required />
                  <TextField name="hours" inputMode="decimal" label={t("training.practicum.hours")} help={t("training.practicum.hoursHelp")} state={practicumState} required maxLength={8} />
                </div>
                <TextField name="activity" label={t("training.practicum.activity")} help={t("training.practicum.activityHelp")} state={practicumState} required maxLength={200} />
                <SelectField
                  name="supervisorPersonId"
                  label={t("training.practicum.supervisor")}
                  help={t("training.practicum.supervisorHelp")}
                  state={practicumState}
                  required
                  placeholder="—"
                  options={form.supervisors.map((s) => ({ value: s.personId, label: `${s.displayName} · ${t(`role.${s.kind}`)}` }))}
                />
                <TextField
                  name="groupSessionId"
                  inputMode="numeric"
                  label={t("training.practicum.groupSession")}
                  help={t("training.practicum.groupSessionHelp")}
                  state={practicumState}
                  maxLength={16}
                />
                <CheckboxField name="signOff" label={t("training.practicum.signOff")} state={practicumState} />
                <FormActions>
                  <Button>{t("training.practicum.add")}</Button>
                </FormActions>
              </Form>
            </div>
          )}
        </Card>

        {canEdit && (
          <Card title={t("training.withdraw.title")}>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="withdraw" />
              <p className="mb-3 text-muted">{t("training.withdraw.consequence")}</p>
              <ErrorSummary state={stateFor(state, "withdraw")} labels={{ reason: t("training.withdraw.reason") }} />
              <TextField name="reason" label={t("training.withdraw.reason")} state={stateFor(state, "withdraw")} required multiline maxLength={500} />
              <FormActions>
                <Button kind="danger">{t("training.withdraw.submit")}</Button>
              </FormActions>
            </Form>
          </Card>
        )}
      </div>
    </>
  );
}

export const meta = titled("training.trainee.title");
