import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, forbidden, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { rowScope } from "~/auth/permissions";
import type { SessionUser } from "~/auth/roles";
import { CheckboxField, ErrorSummary, FormActions, TextField, type FormState } from "~/components/forms";
import { Badge, Button, Card, DataTable, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import { checkbox, id, int, isoDate, text } from "~/domain/shared/fields";
import {
  canManageCertificates,
  CE_ACTIVITY_MAX,
  getTutorProfile,
  liftSuspension,
  recordContinuingEducation,
  renewCertificate,
  revokeCertificate,
  suspendCertificate,
} from "~/domain/training";
import { practicumHours, reason, REASON_MAX } from "~/domain/training/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { CertificateBadge, Fact, Facts, StandingBadge, TutorStatusBadge, useDistrictName } from "./registry._index/parts";

/** Readers of the whole registry only (a peer tutor has /my-certificate). Call first. */
function requireRegistryReader(request: Request) {
  const user = requireUserWithPermission(request, "read:certificate");
  const scope = rowScope(user, "read:certificate");
  if (scope.kind !== "all") throw forbidden();
  return { user, scope };
}

/** The tutor named in the URL, or a thrown 404 for an unknown or malformed id. Call after the guard. */
function profileFromParams(user: SessionUser, scope: ReturnType<typeof rowScope>, params: LoaderFunctionArgs["params"]) {
  const parsed = id.safeParse(params.tutorId ?? "");
  if (!parsed.success) throw notFound();
  const db = getDb();
  const { timeZone } = getSettings(db);
  const today = todayIn(timeZone);
  const profile = getTutorProfile(db, { tutorId: parsed.data, scope, viewerPersonId: user.personId, today, timeZone });
  if (!profile) throw notFound();
  return { profile, today, timeZone };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scope } = requireRegistryReader(request);
  const { profile, today } = profileFromParams(user, scope, params);
  return {
    ...profile,
    // the verification code is for the printed certificate, not for this page
    certificates: profile.certificates.map(({ verificationCode: _code, ...c }) => c),
    canManage: canManageCertificates(user),
    today,
    limits: { activity: CE_ACTIVITY_MAX, reason: REASON_MAX },
  };
}

const confirmed = (key: string) => checkbox.refine((v) => v, { error: key });

// One small form per action, told apart by the hidden `intent` field.
const ActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("ce"), date: isoDate, hours: practicumHours, activity: text({ max: CE_ACTIVITY_MAX }) }),
    z.object({
      intent: z.literal("renew"),
      certificateId: id,
      serviceSessions: int({ min: 0, max: 10000 }),
      attest: confirmed("registry.renew.attestRequired"),
    }),
    z.object({ intent: z.literal("suspend"), certificateId: id, reason }),
    z.object({ intent: z.literal("lift"), certificateId: id, reason }),
    z.object({ intent: z.literal("revoke"), certificateId: id, reason, confirm: confirmed("registry.revoke.confirmRequired") }),
  ],
  { error: "registry.unknownIntent" },
);

export async function action({ request, params }: ActionFunctionArgs) {
  // trainers and admins manage certificates (renewal, suspension, revocation, continuing education)
  const { user, scope } = requireRegistryReader(request);
  if (!canManageCertificates(user)) throw forbidden();
  const { profile, today, timeZone } = profileFromParams(user, scope, params);
  const form = await parseForm(request, ActionSchema);
  if (!form.ok) {
    // an unknown intent belongs to no form: say so at the top of the page
    const { intent, ...errors } = form.errors;
    return badForm({ errors: intent ? { ...errors, _form: intent } : errors, values: form.values });
  }
  const input = form.data;
  // a certificate id from the form must be one of this tutor's certificates
  if ("certificateId" in input && !profile.certificates.some((c) => c.id === input.certificateId)) {
    return badForm({ errors: { _form: "form.unknownId" }, values: form.values });
  }
  const db = getDb();
  const actor = actorOf(request, user);
  const to = `/registry/${profile.tutor.tutorId}`;
  try {
    switch (input.intent) {
      case "ce":
        recordContinuingEducation(db, actor, { personId: profile.tutor.personId, date: input.date, hours: input.hours, activity: input.activity, today });
        return redirectWithFlash(to, { kind: "success", key: "registry.ce.saved" });
      case "renew": {
        const until = renewCertificate(db, actor, { certificateId: input.certificateId, serviceSessions: input.serviceSessions, today, timeZone });
        return redirectWithFlash(to, { kind: "success", key: "registry.renew.done", params: { date: until } });
      }
      case "suspend":
        suspendCertificate(db, actor, { certificateId: input.certificateId, reason: input.reason });
        return redirectWithFlash(to, { kind: "success", key: "registry.suspend.done" });
      case "lift":
        liftSuspension(db, actor, { certificateId: input.certificateId, reason: input.reason });
        return redirectWithFlash(to, { kind: "success", key: "registry.lift.done" });
      case "revoke":
        revokeCertificate(db, actor, { certificateId: input.certificateId, reason: input.reason });
        return redirectWithFlash(to, { kind: "success", key: "registry.revoke.done" });
    }
  } catch (e) {
    return domainRefusal(e, form.values);
  }
}

/** The action's answer, when it belongs to the form of this intent. */
function stateFor(state: FormState, intent: string): FormState {
  return state?.values?.intent === intent ? state : undefined;
}

export default function TutorProfilePage() {
  const data = useLoaderData<typeof loader>();
  const { tutor, certificates, renewal, continuingEducation, roles, currentMentees, path, canManage, today, limits } = data;
  const actionData = useActionData<typeof action>();
  const { t, tm, date, number } = useT();
  const districtName = useDistrictName();
  const current = certificates.find((c) => c.number === tutor.certificateNumber);
  const manageable = canManage && current && current.standing !== "revoked";
  const shownIntents = canManage ? ["ce", ...(manageable ? ["renew", current.suspendedAt ? "lift" : "suspend", "revoke"] : [])] : [];
  const unknownIntent = actionData && !shownIntents.includes(actionData.values?.intent ?? "");
  const ce = stateFor(actionData, "ce");
  const renew = stateFor(actionData, "renew");
  const suspend = stateFor(actionData, current?.suspendedAt ? "lift" : "suspend");
  const revoke = stateFor(actionData, "revoke");
  return (
    <>
      <p className="mb-2 no-print">
        <Link to="/registry">← {t("registry.profile.back")}</Link>
      </p>
      <PageHeader
        title={tutor.name}
        subtitle={t("registry.cohortN", { number: tutor.cohortNumber })}
        badges={
          <>
            <TutorStatusBadge status={tutor.status} />
            <StandingBadge standing={tutor.standing} />
          </>
        }
      />
      {unknownIntent && <ErrorSummary state={actionData} />}

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("registry.profile.summary")}>
          <Facts>
            <Fact label={t("registry.col.district")}>{districtName({ nameZh: tutor.districtNameZh, nameEn: tutor.districtNameEn })}</Fact>
            <Fact label={t("registry.profile.homeStudio")}>
              {tutor.studioNameZh ? districtName({ nameZh: tutor.studioNameZh, nameEn: tutor.studioNameEn }) : t("registry.noStudio")}
            </Fact>
            <Fact label={t("registry.col.status")}>
              <TutorStatusBadge status={tutor.status} />
            </Fact>
            {tutor.statusReason && <Fact label={t("registry.profile.statusReason")}>{tutor.statusReason}</Fact>}
            <Fact label={t("registry.col.certificate")}>
              <code>{tutor.certificateNumber}</code> <CertificateBadge standing={tutor.certificateStatus} />
            </Fact>
            <Fact label={t("registry.col.issued")}>{date(tutor.issuedOn)}</Fact>
            <Fact label={t("registry.col.expires")}>{date(tutor.expiresOn)}</Fact>
            <Fact label={t("registry.col.standing")}>
              <StandingBadge standing={tutor.standing} />
            </Fact>
            <Fact label={t("registry.profile.mentees")}>{number(currentMentees)}</Fact>
            <Fact label={t("registry.col.sessions")}>{number(tutor.sessionsFacilitated)}</Fact>
          </Facts>
          <p className="mt-3 text-sm text-muted">{t("registry.standing.help")}</p>
        </Card>

        <Card title={t("registry.profile.path")}>
          <ol className="space-y-3 border-l-2 border-line pl-4">
            {path.map((e, i) => (
              <li key={i}>
                <time dateTime={e.date} className="block text-sm text-muted">
                  {date(e.date)}
                </time>
                <span>
                  {t(`registry.path.${e.kind}` as MessageKey, {
                    ...e.params,
                    ...(e.kind === "role" ? { role: t(`role.${e.params.role}` as MessageKey) } : {}),
                    ...(e.kind === "enrolment_ended" ? { status: t(`registry.enrolment.${e.params.status}` as MessageKey) } : {}),
                    ...(e.kind === "renewed" ? { until: date(String(e.params.until)) } : {}),
                  })}
                </span>
              </li>
            ))}
          </ol>
          <h3 className="mt-4 font-medium">{t("registry.profile.roles")}</h3>
          {roles.length === 0 ? (
            <p className="text-muted">{t("registry.profile.noRoles")}</p>
          ) : (
            <ul className="mt-1 space-y-1">
              {roles.map((r, i) => (
                <li key={i}>
                  {t(`role.${r.role}` as MessageKey)}
                  {r.districtNameZh && <> · {districtName({ nameZh: r.districtNameZh, nameEn: r.districtNameEn })}</>}
                  <span className="text-muted"> · {t("registry.profile.roleSince", { date: date(r.since) })}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title={t("registry.profile.certificates")} className="lg:col-span-2">
          {certificates.length === 0 ? (
            <p className="text-muted">{t("registry.profile.noCertificates")}</p>
          ) : (
            <ul className="space-y-4">
              {certificates.map((c) => (
                <li key={c.id} className="rounded-card border border-line p-3">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="flex flex-wrap items-center gap-2">
                      <code className="font-medium">{c.number}</code>
                      <CertificateBadge standing={c.standing} />
                      <span className="text-muted">{t("registry.cohortN", { number: c.cohortNumber })}</span>
                    </span>
                    {canManage && (
                      <Link to={`/certificates/${encodeURIComponent(c.number)}`} reloadDocument className="inline-flex min-h-11 items-center">
                        {t("registry.profile.print")}
                      </Link>
                    )}
                  </div>
                  <p className="mt-1">
                    {t("registry.col.issued")}: {date(c.issuedOn)} · {t("registry.col.expires")}: {date(c.expiresOn)}
                  </p>
                  {c.suspendedAt && (
                    <p className="mt-1 text-danger">
                      {t("registry.suspend.since", { date: date(c.suspendedAt) })} {t("registry.reason")}: {c.suspendedReason}
                    </p>
                  )}
                  {c.revokedAt && (
                    <p className="mt-1 text-danger">
                      {t("registry.revoke.on", { date: date(c.revokedAt) })} {t("registry.reason")}: {c.revokedReason}
                    </p>
                  )}
                  <h3 className="mt-2 text-sm font-medium">{t("registry.profile.renewals")}</h3>
                  {c.renewals.length === 0 ? (
                    <p className="text-sm text-muted">{t("registry.profile.noRenewals")}</p>
                  ) : (
                    <ul className="text-sm">
                      {c.renewals.map((r) => (
                        <li key={r.id}>
                          {t("registry.profile.renewedLine", { date: date(r.renewedOn), until: date(r.newExpiresOn), was: date(r.previousExpiresOn) })}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title={t("registry.ce.title")} className="lg:col-span-2">
          {continuingEducation.length === 0 ? (
            <p className="mb-3 text-muted">{t("registry.ce.empty")}</p>
          ) : (
            <DataTable
              caption={t("registry.ce.caption")}
              rowKey={(r) => r.id}
              rows={continuingEducation}
              columns={[
                { key: "date", header: t("registry.ce.date"), primary: true, cell: (r) => date(r.date) },
                { key: "hours", header: t("registry.ce.hours"), cell: (r) => number(r.hours) },
                { key: "activity", header: t("registry.ce.activity"), cell: (r) => r.activity },
              ]}
            />
          )}
          {canManage && (
            <Form method="post" noValidate className="mt-4">
              <input type="hidden" name="intent" value="ce" />
              <ErrorSummary state={ce} labels={{ date: t("registry.ce.date"), hours: t("registry.ce.hours"), activity: t("registry.ce.activity") }} />
              <div className="grid gap-x-4 sm:grid-cols-3">
                <TextField name="date" type="date" label={t("registry.ce.date")} state={ce} defaultValue={today} required />
                <TextField name="hours" label={t("registry.ce.hours")} help={t("registry.ce.hoursHelp")} state={ce} inputMode="decimal" required />
                <TextField name="activity" label={t("registry.ce.activity")} help={t("registry.ce.activityHelp")} state={ce} maxLength={limits.activity} required />
              </div>
              <FormActions>
                <Button kind="secondary">{t("registry.ce.submit")}</Button>
              </FormActions>
            </Form>
          )}
        </Card>

        {manageable && renewal && (
          <Card title={t("registry.renew.title")}>
            <p>
              {t("registry.renew.rules", {
                hours: number(renewal.requiredEducationHours),
                sessions: number(renewal.requiredServiceSessions),
                since: date(renewal.periodStart),
              })}
            </p>
            <p className="mt-2">
              <Badge tone={renewal.educationHours >= renewal.requiredEducationHours ? "ok" : "warn"}>
                {t("registry.renew.have", { hours: number(renewal.educationHours), need: number(renewal.requiredEducationHours) })}
              </Badge>
            </p>
            <p className="mt-2">{t("registry.renew.recorded", { count: number(renewal.recordedServiceSessions) })}</p>
            <p className="mt-2">{t("registry.renew.newExpiry", { months: renewal.validMonths, date: date(renewal.newExpiresOn) })}</p>
            {renewal.blocked === "suspended" ? (
              <p className="mt-3 text-warn">{t("registry.renew.suspended")}</p>
            ) : (
              <Form method="post" noValidate className="mt-3">
                <input type="hidden" name="intent" value="renew" />
                <input type="hidden" name="certificateId" value={current.id} />
                <ErrorSummary state={renew} labels={{ serviceSessions: t("registry.renew.serviceSessions") }} />
                <TextField
                  name="serviceSessions"
                  type="number"
                  inputMode="numeric"
                  label={t("registry.renew.serviceSessions")}
                  help={t("registry.renew.serviceHelp")}
                  state={renew}
                  defaultValue={renewal.recordedServiceSessions}
                  required
                />
                <CheckboxField name="attest" label={t("registry.renew.attest")} state={renew} />
                {renew?.errors?.attest && <p className="text-sm font-medium text-danger">{tm(renew.errors.attest)}</p>}
                <FormActions>
                  <Button>{t("registry.renew.submit")}</Button>
                </FormActions>
              </Form>
            )}
          </Card>
        )}

        {manageable && (
          <Card title={t("registry.suspend.title")}>
            <p className="mb-3">{t("registry.suspend.explain", { name: tutor.name })}</p>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value={current.suspendedAt ? "lift" : "suspend"} />
              <input type="hidden" name="certificateId" value={current.id} />
              <ErrorSummary state={suspend} labels={{ reason: t("registry.reason") }} />
              <TextField
                name="reason"
                label={t(current.suspendedAt ? "registry.lift.reason" : "registry.suspend.reason")}
                state={suspend}
                multiline
                maxLength={limits.reason}
                required
              />
              <FormActions>
                <Button kind={current.suspendedAt ? "primary" : "danger"}>
                  {t(current.suspendedAt ? "registry.lift.submit" : "registry.suspend.submit")}
                </Button>
              </FormActions>
            </Form>
          </Card>
        )}

        {manageable && (
          <Card title={t("registry.revoke.title")} className="border-danger/40 lg:col-span-2">
            <p className="mb-2">{t("registry.revoke.explain", { number: current.number, name: tutor.name })}</p>
            {currentMentees > 0 && <p className="mb-3 font-medium">{t("registry.revoke.mentees", { name: tutor.name, count: number(currentMentees) })}</p>}
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="revoke" />
              <input type="hidden" name="certificateId" value={current.id} />
              <ErrorSummary state={revoke} labels={{ reason: t("registry.revoke.reason") }} />
              <TextField name="reason" label={t("registry.revoke.reason")} state={revoke} multiline maxLength={limits.reason} required />
              <CheckboxField name="confirm" label={t("registry.revoke.confirm")} state={revoke} />
              {revoke?.errors?.confirm && <p className="text-sm font-medium text-danger">{tm(revoke.errors.confirm)}</p>}
              <FormActions>
                <Button kind="danger">{t("registry.revoke.submit")}</Button>
              </FormActions>
            </Form>
          </Card>
        )}
      </div>
    </>
  );
}

export const meta = titled("registry.title");
