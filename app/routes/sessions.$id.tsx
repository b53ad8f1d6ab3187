import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, forbidden, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Badge, Button, Card, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import {
  cancelSession,
  personNames,
  programTimeZone,
  roomsOf,
  schedulableStudios,
  sessionAccess,
  sessionDetail,
  suggestForSession,
  updateSession,
} from "~/domain/sessions";
import { CancelFormSchema, REASON_MAX, SessionFormSchema, SessionSuggestSchema } from "~/domain/sessions/schemas";
import { getSessionKinds } from "~/domain/settings/session-kinds.server";
import { sessionHoursLogged } from "~/domain/volunteering";
import { redirectWithFlash } from "~/http/flash.server";
import { parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { intentOf, parseSessionsForm, refusal, reply, tickedIds } from "./studios._index/sessions-form.server";
import {
  ConflictReport,
  FacilitatorPicker,
  PlacementFields,
  SessionStatusBadge,
  TimeFields,
  useFieldLabels,
  useKindLabel,
  useReasonText,
  type SessionsState,
} from "./studios._index/session-parts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const sessionId = idFromParam(params.id);
  if (sessionId === null) throw notFound();
  const db = getDb();
  const access = sessionAccess(db, user, sessionId);
  if (!access) throw notFound();
  const detail = sessionDetail(db, sessionId, programTimeZone(db))!;
  const url = new URL(request.url);
  const changeable = access.canEdit && detail.status === "scheduled";
  const mode = changeable && url.searchParams.get("edit") === "1" ? "edit" : changeable && url.searchParams.get("cancel") === "1" ? "cancel" : "view";
  const studios = mode === "edit" ? schedulableStudios(db, user) : [];
  return {
    detail,
    mode,
    canEdit: changeable,
    isFacilitator: access.isFacilitator,
    canAttend: access.canAttend || access.canEdit,
    hoursLogged: access.isFacilitator && detail.status === "held" ? sessionHoursLogged(db, user.personId, sessionId) : null,
    kinds: getSessionKinds(db),
    studios,
    rooms: studios.flatMap((s) => roomsOf(db, s.id).map((r) => ({ id: r.id, studioId: r.studioId, nameZh: r.nameZh, nameEn: r.nameEn, capacity: r.capacity }))),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:session");
  const sessionId = idFromParam(params.id);
  if (sessionId === null) throw notFound();
  const db = getDb();
  const access = sessionAccess(db, user, sessionId);
  if (!access) throw notFound();
  if (!access.canEdit) throw forbidden();
  const intent = await intentOf(request);
  const actor = actorOf(request, user);

  if (intent === "cancel") {
    const form = await parseForm(request, CancelFormSchema);
    if (!form.ok) return reply({ errors: form.errors, values: form.values });
    try {
      const { notified } = cancelSession(db, actor, user, sessionId, form.data.reason);
      return redirectWithFlash(`/sessions/${sessionId}`, { kind: "success", key: "sessions.flash.sessionCancelled", params: { count: notified } });
    } catch (e) {
      return refusal(e, form.values);
    }
  }

  if (intent === "suggest") {
    const form = await parseSessionsForm(request, SessionSuggestSchema);
    const people = personNames(db, tickedIds(form.values));
    if (!form.ok) return reply({ errors: form.errors, values: form.values, people });
    try {
      return reply({ values: form.values, people, suggestions: suggestForSession(db, user, { ...form.data, excludeSessionIds: [sessionId] }) }, 200);
    } catch (e) {
      return refusal(e, form.values, { people });
    }
  }

  const form = await parseSessionsForm(request, SessionFormSchema);
  const people = personNames(db, tickedIds(form.values));
  if (!form.ok) return reply({ errors: form.errors, values: form.values, people });
  try {
    updateSession(db, actor, user, sessionId, form.data);
  } catch (e) {
    return refusal(e, form.values, { people });
  }
  return redirectWithFlash(`/sessions/${sessionId}`, { kind: "success", key: "sessions.flash.sessionSaved" });
}

export default function SessionPage() {
  const { detail, mode, canEdit, isFacilitator, canAttend, hoursLogged, kinds, studios, rooms } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as SessionsState;
  const { t, locale, date, number } = useT();
  const labels = useFieldLabels();
  const kindLabel = useKindLabel(kinds);
  const reasonText = useReasonText();
  const name = (p: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? p.nameZh : p.nameEn);
  const here = `/sessions/${detail.id}`;
  return (
    <div className="max-w-3xl">
      <p className="mb-2">
        <Link to={`/studios/${detail.studio.id}?week=${detail.date}`} className="inline-flex min-h-11 items-center">
          ← {name(detail.studio)}
        </Link>
      </p>
      <PageHeader
        title={detail.topic}
        subtitle={`${date(detail.date)} ${detail.startTime}–${detail.endTime}`}
        badges={
          <>
            <SessionStatusBadge status={detail.status} />
            <Badge>{kindLabel(detail.kind)}</Badge>
            {isFacilitator && <Badge tone="ok">{t("sessions.session.youFacilitate")}</Badge>}
          </>
        }
        actions={
          canEdit && mode === "view" ? (
            <>
              <LinkButton to={`${here}?edit=1`}>{t("sessions.session.changeOne")}</LinkButton>
              {detail.groupId !== null && <LinkButton to={`/groups/${detail.groupId}?from=${detail.id}`}>{t("sessions.session.changeFollowing")}</LinkButton>}
              <LinkButton to={`${here}?cancel=1`} kind="ghost">
                {t("sessions.session.cancel")}
              </LinkButton>
            </>
          ) : null
        }
      />

      {mode === "view" && (
        <nav className="mb-4 flex flex-wrap gap-2">
          <LinkButton to={`${here}/register`}>{t("sessions.register.link")}</LinkButton>
          {canAttend && detail.status !== "cancelled" && <LinkButton to={`${here}/attendance`}>{t("sessions.attendance.link")}</LinkButton>}
          {hoursLogged === false && (
            <Form method="post" action={`${here}/hours`} title={t("volunteering.session.help")}>
              <Button kind="secondary">{t("volunteering.session.log")}</Button>
            </Form>
          )}
          {hoursLogged === true && <Badge tone="ok">{t("volunteering.session.logged")}</Badge>}
        </nav>
      )}

      {detail.status === "cancelled" && (
        <div role="note" className="mb-4 rounded-card border border-danger/40 bg-danger-soft p-4">
          <p className="font-medium text-danger">{t("sessions.session.cancelledBecause", { reason: reasonText(detail.cancelReason) })}</p>
        </div>
      )}

      {mode === "cancel" && (
        <Card title={t("sessions.cancel.title")} className="mb-4">
          <p className="mb-3">{t("sessions.cancel.consequence", { count: detail.facilitators.length, registered: detail.registered })}</p>
          <Form method="post" noValidate>
            <ErrorSummary state={state} labels={labels} />
            <input type="hidden" name="intent" value="cancel" />
            <TextField name="reason" label={t("sessions.cancel.reason")} help={t("sessions.cancel.reasonHelp")} state={state} required maxLength={REASON_MAX} />
            <label className="mb-2 flex min-h-11 items-center gap-3" id="f-confirm">
              <input type="checkbox" name="confirm" value="yes" className="h-5 w-5" defaultChecked={state?.values?.confirm === "yes"} />
              <span>{t("sessions.cancel.confirm")}</span>
            </label>
            {state?.errors?.confirm && <p className="mb-2 text-sm font-medium text-danger">{t("sessions.cancel.confirmRequired")}</p>}
            <FormActions>
              <Button kind="danger">{t("sessions.cancel.submit")}</Button>
              <LinkButton to={here} kind="secondary">
                {t("sessions.cancel.keep")}
              </LinkButton>
            </FormActions>
          </Form>
        </Card>
      )}

      {mode === "edit" ? (
        <Card title={t("sessions.session.changeOneTitle")}>
          {detail.groupId !== null && <p className="mb-3 text-muted">{t("sessions.session.changeOneHelp")}</p>}
          <Form method="post" noValidate>
            <ErrorSummary state={state} labels={labels} />
            <ConflictReport conflicts={state?.conflicts} />
            <PlacementFields
              state={state}
              studios={studios}
              rooms={rooms}
              kinds={kinds}
              defaults={{ studioId: detail.studio.id, roomId: detail.room?.id ?? null, topic: detail.topic, kind: detail.kind, capacity: detail.capacity }}
            />
            <TextField name="date" type="date" label={t("sessions.field.date")} state={state} defaultValue={detail.date} required />
            <TimeFields state={state} defaults={{ startTime: detail.startTime, endTime: detail.endTime }} />
            <FacilitatorPicker state={state} current={detail.facilitators} />
            <FormActions>
              <Button name="intent" value="save">
                {t("sessions.session.save")}
              </Button>
              <LinkButton to={here} kind="secondary">
                {t("form.cancel")}
              </LinkButton>
            </FormActions>
          </Form>
        </Card>
      ) : (
        <Card title={t("sessions.session.details")}>
          <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
            <dt className="font-medium">{t("sessions.field.studio")}</dt>
            <dd>
              <Link to={`/studios/${detail.studio.id}`}>{name(detail.studio)}</Link>
              <span className="text-muted"> · {locale === "zh-CN" ? detail.studio.districtZh : detail.studio.districtEn}</span>
            </dd>
            <dt className="font-medium">{t("sessions.field.room")}</dt>
            <dd>{detail.room ? name(detail.room) : <span className="text-muted">{t("sessions.field.noRoom")}</span>}</dd>
            <dt className="font-medium">{t("sessions.field.facilitators")}</dt>
            <dd>{detail.facilitators.map((f) => f.name).join(locale === "zh-CN" ? "、" : ", ")}</dd>
            <dt className="font-medium">{t("sessions.field.capacity")}</dt>
            <dd>{t("sessions.session.registered", { registered: number(detail.registered), capacity: number(detail.capacity) })}</dd>
            {detail.groupId !== null && (
              <>
                <dt className="font-medium">{t("sessions.session.group")}</dt>
                <dd>
                  <Link to={`/groups/${detail.groupId}`}>{detail.groupTopic}</Link>
                  {detail.occurrence !== null && <span className="text-muted"> · {t("sessions.occurrence", { n: detail.occurrence })}</span>}
                </dd>
              </>
            )}
          </dl>
        </Card>
      )}
    </div>
  );
}

export const meta = titled("sessions.session.title");
