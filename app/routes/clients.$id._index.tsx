import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField, type FormState } from "~/components/forms";
import { Badge, Button, Card, LinkButton } from "~/components/ui";
import { getDb } from "~/db.server";
import {
  ADDRESS_MAX,
  ALIAS_MAX,
  CASE_NUMBER_MAX,
  clientOverview,
  ClientDetailsFields,
  CONSENT_PURPOSES,
  ConsentSchema,
  ID_NUMBER_MAX,
  IdentityFields,
  intakeDistrictIds,
  LEGAL_STATUSES,
  PHONE_MAX,
  placeChoices,
  purposesFrom,
  REAL_NAME_MAX,
  REASON_MAX,
  recordConsent,
  revealIdentity,
  RISK_LEVELS,
  saveIdentity,
  setClientStatus,
  statusChangesFrom,
  StatusChangeSchema,
  updateClientDetails,
  withdrawConsent,
  type RevealedIdentity,
} from "~/domain/clients";
import { getSettings } from "~/domain/settings";
import { isDomainError } from "~/domain/shared/errors";
import { isoDate } from "~/domain/shared/fields";
import { requireClient } from "~/http/client-guard.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import {
  CadenceBadge,
  ClientDetailFields,
  ClientStatusBadge,
  ConsentFormFields,
  Fact,
  IdentityFormFields,
  legalStatusKey,
  RiskBadge,
  stateFor,
} from "./clients._index/client-parts";

/**
 * A client's overview: intake facts, status with its history, consent, the case team with its
 * history, abstinence and contact cadence. The current social worker edits details, status,
 * consent and identity here; identity is shown only after an explicit, audited "show identity"
 * (a POST: no loader ever returns it). Coordinators and admins find the assignment page here.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, access } = requireClient(request, params, { audit: "overview" });
  const db = getDb();
  const settings = getSettings(db);
  const today = todayIn(settings.timeZone);
  const overview = clientOverview(db, access, { asOf: today, thresholdDays: settings.overdueThresholdDays, timeZone: settings.timeZone });
  const canEdit = access.can.edit;
  let editing = null;
  if (canEdit) {
    const allowed = intakeDistrictIds(db, user);
    const districtIds = allowed === null ? null : [...new Set([...allowed, access.client.districtId])];
    editing = {
      places: placeChoices(db, districtIds, { subdistrictId: access.client.subdistrictId, pointId: access.client.pointId }),
      legalStatuses: LEGAL_STATUSES,
      riskLevels: RISK_LEVELS,
      purposes: CONSENT_PURPOSES,
      limits: { alias: ALIAS_MAX, caseNumber: CASE_NUMBER_MAX },
      statusChanges: statusChangesFrom(access.client.status),
      reasonMax: REASON_MAX,
    };
  }
  return {
    overview,
    today,
    can: {
      edit: canEdit,
      editIdentity: canEdit && access.isSocialWorker,
      revealIdentity: access.can.revealIdentity,
      assign: access.can.assign,
    },
    editing,
    identityLimits: { realName: REAL_NAME_MAX, idNumber: ID_NUMBER_MAX, phone: PHONE_MAX, address: ADDRESS_MAX },
  };
}

// One small form per action, told apart by the hidden `intent` field.
const ActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("reveal") }),
    z.object({ intent: z.literal("identity"), ...IdentityFields }),
    z.object({ intent: z.literal("details"), ...ClientDetailsFields }),
    StatusChangeSchema.extend({ intent: z.literal("status") }),
    ConsentSchema.extend({ intent: z.literal("consent") }),
    z.object({ intent: z.literal("withdraw"), withdrawnOn: isoDate }),
  ],
  { error: "clients.unknownAction" },
);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, access, actor } = requireClient(request, params);
  const form = await parseForm(request, ActionSchema);
  if (!form.ok) {
    const { intent, ...errors } = form.errors;
    return badForm({ errors: intent ? { ...errors, _form: intent } : errors, values: form.values });
  }
  const input = form.data;
  // each action's own permission, before anything is read or written
  const allowed =
    input.intent === "reveal" ? access.can.revealIdentity : input.intent === "identity" ? access.can.edit && access.isSocialWorker : access.can.edit;
  if (!allowed) throw forbidden();
  const db = getDb();
  const settings = getSettings(db);
  const today = todayIn(settings.timeZone);
  const to = `/clients/${access.client.id}`;
  const done = (key: MessageKey) => redirectWithFlash(to, { kind: "success", key });
  try {
    switch (input.intent) {
      case "reveal": {
        // an audited read answered in place, not a redirect: the values must never sit in a URL or a flash
        const identity: RevealedIdentity | null = revealIdentity(db, actor, access);
        return { ok: true as const, intent: "reveal" as const, identity, values: { intent: "reveal" } };
      }
      case "identity":
        saveIdentity(db, actor, access, input);
        return done("clients.identity.saved");
      case "details":
        updateClientDetails(db, actor, user, access, input, today);
        return done("clients.edit.saved");
      case "status":
        setClientStatus(db, actor, access, input, today);
        return done("clients.statusForm.done");
      case "consent":
        recordConsent(db, actor, access, { purposes: purposesFrom(input), sensitiveInfo: input.sensitiveInfo, agreedOn: input.agreedOn }, today);
        return done("clients.consent.recorded");
      case "withdraw":
        withdrawConsent(db, actor, access, input.withdrawnOn, today, settings.timeZone);
        return done("clients.consent.withdrawn");
    }
  } catch (e) {
    if (isDomainError(e)) return badForm({ errors: { [e.field]: e.key }, values: form.values });
    throw e;
  }
}

type ActionData = { ok: false; errors: Record<string, string>; values: Record<string, string> } | { ok: true; intent: "reveal"; identity: RevealedIdentity | null; values: Record<string, string> };

export default function ClientOverviewPage() {
  const { overview, today, can, editing, identityLimits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const formState: FormState = actionData && !actionData.ok ? actionData : undefined;
  const revealed = actionData?.ok && actionData.intent === "reveal" ? actionData : null;
  const { t, date, dateTime, locale } = useT();
  const f = overview.facts;
  const names = (n: { zh: string; en: string } | null) => (n ? (locale === "zh-CN" ? n.zh : n.en) : t("clients.field.none"));
  const shownIntents = ["details", "status", "consent", "withdraw", "identity", "reveal"];
  const unknownIntent = formState && !shownIntents.includes(formState.values?.intent ?? "");
  const current = overview.team.filter((a) => a.toDate === null);
  const past = overview.team.filter((a) => a.toDate !== null);
  const socialWorker = current.find((a) => a.kind === "social_worker");
  const peerTutor = current.find((a) => a.kind === "peer_tutor");
  const statusLabel = (s: string) => t(`clients.status.${s}` as MessageKey);

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {unknownIntent && (
        <div className="lg:col-span-2">
          <ErrorSummary state={formState} />
        </div>
      )}

      <Card title={t("clients.overview.facts")}>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <Fact label={t("clients.field.alias")}>{f.alias}</Fact>
          <Fact label={t("clients.field.caseNumber")}>{f.caseNumber}</Fact>
          <Fact label={t("clients.field.district")}>{names(f.district)}</Fact>
          <Fact label={t("clients.field.subdistrict")}>{names(f.subdistrict)}</Fact>
          <Fact label={t("clients.field.point")}>{names(f.point)}</Fact>
          <Fact label={t("clients.field.legalStatus")}>{t(legalStatusKey(f.legalStatus))}</Fact>
          <Fact label={t("clients.field.intakeDate")}>{date(f.intakeDate)}</Fact>
          <Fact label={t("clients.field.riskLevel")}>
            <RiskBadge risk={f.riskLevel} />
          </Fact>
          <Fact label={t("clients.col.status")}>
            <ClientStatusBadge status={f.status} />
          </Fact>
          {f.status === "closed" && (
            <>
              <Fact label={t("clients.closedOn")}>{f.closedOn ? date(f.closedOn) : "—"}</Fact>
              <Fact label={t("clients.closedReason")}>{f.closedReason}</Fact>
            </>
          )}
        </dl>
      </Card>

      <Card
        title={t("clients.teamCard.title")}
        actions={
          can.assign ? (
            <LinkButton to="assign" kind="secondary">
              {t("clients.teamCard.assign")}
            </LinkButton>
          ) : null
        }
      >
        <ul className="space-y-1">
          <li>
            {socialWorker ? (
              <>
                {t("clients.team.socialWorker", { name: socialWorker.name })}{" "}
                <span className="text-muted">{t("clients.teamCard.since", { date: date(socialWorker.fromDate) })}</span>
              </>
            ) : (
              <Badge tone="danger">{t("clients.teamCard.noSocialWorker")}</Badge>
            )}
          </li>
          <li>
            {peerTutor ? (
              <>
                {t("clients.team.peerTutor", { name: peerTutor.name })}{" "}
                <span className="text-muted">{t("clients.teamCard.since", { date: date(peerTutor.fromDate) })}</span>
              </>
            ) : (
              <span className="text-muted">{t("clients.teamCard.noPeerTutor")}</span>
            )}
          </li>
        </ul>
        {past.length > 0 && (
          <>
            <h3 className="mt-4 font-medium">{t("clients.teamCard.history")}</h3>
            <ol className="mt-1 space-y-1 text-sm">
              {past.map((a) => (
                <li key={a.id}>
                  {t(`clients.kind.${a.kind}`)}: {a.name} ·{" "}
                  {t("clients.teamCard.period", { from: date(a.fromDate), to: a.toDate ? date(a.toDate) : "" })}
                  {a.assignedByLogin && <span className="text-muted"> · {t("clients.teamCard.assignedBy", { login: a.assignedByLogin })}</span>}
                </li>
              ))}
            </ol>
          </>
        )}
      </Card>

      {overview.abstinence && (
        <Card title={t("clients.abstinence.title")}>
          <p className="text-lg">{t("clients.abstinence.since", { date: date(overview.abstinence.since) })}</p>
          <p className="text-muted">{t("clients.abstinence.days", { days: overview.abstinence.days })}</p>
          <p className="mt-2">
            {overview.abstinence.next
              ? t("clients.abstinence.next", {
                  milestone: t(`clients.milestone.${overview.abstinence.next.key}`),
                  date: date(overview.abstinence.next.date),
                })
              : t("clients.abstinence.allReached")}
          </p>
        </Card>
      )}

      {overview.cadence && (
        <Card title={t("clients.cadence.title")}>
          <p className="flex flex-wrap items-center gap-2">
            <span>
              {overview.cadence.lastContactAt
                ? t("clients.cadence.last", { date: date(overview.cadence.lastContactAt) })
                : t("clients.lastContact.never")}
            </span>
            <CadenceBadge overdue={overview.cadence.overdue} />
          </p>
          {overview.cadence.nextContactDue && <p className="mt-1 text-muted">{t("clients.cadence.nextDue", { date: date(overview.cadence.nextContactDue) })}</p>}
        </Card>
      )}

      <Card title={t("clients.consent.title")}>
        {overview.consent.current ? (
          <div>
            <h3 className="font-medium">{t("clients.consent.current")}</h3>
            <ul className="mt-1 flex flex-wrap gap-2">
              {overview.consent.current.purposes.map((p) => (
                <li key={p}>
                  <Badge tone="ok">{t(`clients.consent.purpose.${p}` as MessageKey)}</Badge>
                </li>
              ))}
            </ul>
            <p className="mt-2">{overview.consent.current.sensitiveInfo ? t("clients.consent.sensitiveYes") : t("clients.consent.sensitiveNo")}</p>
            <p className="text-sm text-muted">
              {t("clients.consent.agreedOnBy", { date: date(overview.consent.current.agreedOn), login: overview.consent.current.recordedByLogin })}
            </p>
          </div>
        ) : (
          <p>
            <Badge tone="warn">{t("clients.consent.none")}</Badge>
          </p>
        )}
        {overview.consent.history.length > 0 && (
          <details className="mt-3">
            <summary className="min-h-11 cursor-pointer py-2">{t("clients.consent.history")}</summary>
            <ol className="space-y-1 text-sm">
              {overview.consent.history.map((c) => (
                <li key={c.id}>
                  {c.purposes.map((p) => t(`clients.consent.purpose.${p}` as MessageKey)).join(locale === "zh-CN" ? "、" : ", ")} ·{" "}
                  {t("clients.consent.agreedOnBy", { date: date(c.agreedOn), login: c.recordedByLogin })}
                  {c.withdrawnOn && <> · {t("clients.consent.withdrawnOn", { date: date(c.withdrawnOn) })}</>}
                </li>
              ))}
            </ol>
          </details>
        )}
        {can.edit && editing && (
          <>
            <details className="mt-3" open={Boolean(stateFor(formState, "consent"))}>
              <summary className="min-h-11 cursor-pointer py-2 font-medium text-brand">{t("clients.consent.recordTitle")}</summary>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="consent" />
                <ErrorSummary state={stateFor(formState, "consent")} labels={{ purposes: t("clients.consent.purposes"), agreedOn: t("clients.consent.agreedOn") }} />
                <ConsentFormFields state={stateFor(formState, "consent")} purposes={editing.purposes} dateName="agreedOn" dateRequired today={today} />
                <FormActions>
                  <Button>{t("clients.consent.recordSubmit")}</Button>
                </FormActions>
              </Form>
            </details>
            {overview.consent.current && (
              <details className="mt-1" open={Boolean(stateFor(formState, "withdraw"))}>
                <summary className="min-h-11 cursor-pointer py-2 font-medium text-brand">{t("clients.consent.withdrawTitle")}</summary>
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="withdraw" />
                  <ErrorSummary state={stateFor(formState, "withdraw")} labels={{ withdrawnOn: t("clients.consent.withdrawnOnField") }} />
                  <p className="mb-3">{t("clients.consent.withdrawConsequence")}</p>
                  <TextField name="withdrawnOn" type="date" label={t("clients.consent.withdrawnOnField")} state={stateFor(formState, "withdraw")} defaultValue={today} required />
                  <FormActions>
                    <Button kind="danger">{t("clients.consent.withdrawSubmit")}</Button>
                  </FormActions>
                </Form>
              </details>
            )}
          </>
        )}
      </Card>

      <Card title={t("clients.statusHistory.title")}>
        <ol className="space-y-2">
          {overview.statusHistory.map((h, i) => (
            <li key={`${h.at}-${i}`} className="border-l-2 border-line pl-3">
              <p>
                {h.from === null ? t("clients.statusHistory.intake") : `${statusLabel(h.from)} → ${statusLabel(h.to)}`}
                {h.on && <span className="text-muted"> · {date(h.on)}</span>}
              </p>
              {h.reason && <p className="text-sm">{t("clients.statusHistory.reason", { reason: h.reason })}</p>}
              <p className="text-sm text-muted">{t("clients.statusHistory.by", { login: h.login })}</p>
            </li>
          ))}
        </ol>
        {can.edit && editing && editing.statusChanges.length > 0 && (
          <details className="mt-3" open={Boolean(stateFor(formState, "status"))}>
            <summary className="min-h-11 cursor-pointer py-2 font-medium text-brand">{t("clients.statusForm.title")}</summary>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="status" />
              <ErrorSummary
                state={stateFor(formState, "status")}
                labels={{ change: t("clients.statusForm.change"), on: t("clients.statusForm.on"), reason: t("clients.statusForm.reason") }}
              />
              {editing.statusChanges.includes("close") && <p className="mb-3">{t("clients.statusForm.closeConsequence")}</p>}
              <SelectField
                name="change"
                label={t("clients.statusForm.change")}
                state={stateFor(formState, "status")}
                required
                options={editing.statusChanges.map((c) => ({ value: c, label: t(`clients.change.${c}`) }))}
              />
              <TextField name="on" type="date" label={t("clients.statusForm.on")} state={stateFor(formState, "status")} defaultValue={today} required />
              <TextField
                name="reason"
                label={t("clients.statusForm.reason")}
                help={t("clients.statusForm.reasonHelp")}
                state={stateFor(formState, "status")}
                maxLength={editing.reasonMax}
                multiline
              />
              <FormActions>
                <Button kind="secondary">{t("clients.statusForm.submit")}</Button>
              </FormActions>
            </Form>
          </details>
        )}
      </Card>

      {can.revealIdentity && (
        <Card title={t("clients.identity.title")}>
          {revealed ? (
            revealed.identity ? (
              <div className="rounded-card border-2 border-warn bg-warn-soft p-3" role="region" aria-label={t("clients.identity.audited")}>
                <p className="mb-2">
                  <Badge tone="warn">{t("clients.identity.audited")}</Badge>
                </p>
                <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
                  <Fact label={t("clients.identity.realName")}>{revealed.identity.realName}</Fact>
                  <Fact label={t("clients.identity.idNumber")}>{revealed.identity.idNumber || "—"}</Fact>
                  <Fact label={t("clients.identity.phone")}>{revealed.identity.phone || "—"}</Fact>
                  <Fact label={t("clients.identity.address")}>{revealed.identity.address || "—"}</Fact>
                </dl>
                <p className="mt-2 text-sm">{t("clients.identity.auditedHelp", { time: dateTime(revealed.identity.revealedAt) })}</p>
                <p className="mt-2">
                  <Link to="." className="inline-flex min-h-11 items-center">
                    {t("clients.identity.hide")}
                  </Link>
                </p>
              </div>
            ) : (
              <p>{t("clients.identity.notOnFile")}</p>
            )
          ) : (
            <>
              <p className="mb-2">{overview.identityOnFile ? t("clients.identity.onFile") : t("clients.identity.notOnFile")}</p>
              {overview.identityOnFile && (
                <Form method="post">
                  <input type="hidden" name="intent" value="reveal" />
                  <p className="mb-2 text-sm text-muted">{t("clients.identity.revealHelp")}</p>
                  <Button kind="secondary">{t("clients.identity.reveal")}</Button>
                </Form>
              )}
            </>
          )}
          {can.editIdentity && (revealed?.identity || !overview.identityOnFile || stateFor(formState, "identity")) && (
            <details className="mt-3" open={Boolean(stateFor(formState, "identity"))}>
              <summary className="min-h-11 cursor-pointer py-2 font-medium text-brand">
                {overview.identityOnFile ? t("clients.identity.edit") : t("clients.identity.add")}
              </summary>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="identity" />
                <ErrorSummary
                  state={stateFor(formState, "identity")}
                  labels={{
                    realName: t("clients.identity.realName"),
                    idNumber: t("clients.identity.idNumber"),
                    phone: t("clients.identity.phone"),
                    address: t("clients.identity.address"),
                  }}
                />
                <IdentityFormFields state={stateFor(formState, "identity")} limits={identityLimits} defaults={revealed?.identity ?? undefined} />
                <FormActions>
                  <Button>{t("clients.identity.save")}</Button>
                </FormActions>
              </Form>
            </details>
          )}
        </Card>
      )}

      {can.edit && editing && (
        <Card title={t("clients.edit.title")} className="lg:col-span-2">
          <details open={Boolean(stateFor(formState, "details"))}>
            <summary className="min-h-11 cursor-pointer py-2 font-medium text-brand">{t("clients.edit.title")}</summary>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="details" />
              <ErrorSummary
                state={stateFor(formState, "details")}
                labels={{
                  caseNumber: t("clients.field.caseNumber"),
                  alias: t("clients.field.alias"),
                  districtId: t("clients.field.district"),
                  subdistrictId: t("clients.field.subdistrict"),
                  pointId: t("clients.field.point"),
                  legalStatus: t("clients.field.legalStatus"),
                  intakeDate: t("clients.field.intakeDate"),
                  riskLevel: t("clients.field.riskLevel"),
                }}
              />
              <ClientDetailFields
                state={stateFor(formState, "details")}
                places={editing.places}
                legalStatuses={editing.legalStatuses}
                riskLevels={editing.riskLevels}
                limits={editing.limits}
                today={today}
                defaults={f}
              />
              <FormActions>
                <Button>{t("clients.edit.submit")}</Button>
              </FormActions>
            </Form>
          </details>
        </Card>
      )}
    </div>
  );
}

export const meta = titled("clients.tab.overview");
