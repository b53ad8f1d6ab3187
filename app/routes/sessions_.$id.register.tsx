import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Badge, Button, Card, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import {
  cancelRegistration,
  programTimeZone,
  registerForGroup,
  registerForSession,
  registrableClients,
  sessionAccess,
  sessionDetail,
  sessionRegistrationList,
} from "~/domain/sessions";
import { REASON_MAX } from "~/domain/sessions/schemas";
import { choice, id, optionalText } from "~/domain/shared/fields";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * Registrations of one session: who is registered and waitlisted (by alias: everyone for the
 * facilitators and the district's coordinators, otherwise only the viewer's own clients), and a
 * form for a client's social worker or peer tutor — or a coordinator, who may go past capacity
 * with a reason — to register a client for this session or for every future session of its group.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const sessionId = idFromParam(params.id);
  if (sessionId === null) throw notFound();
  const db = getDb();
  const access = sessionAccess(db, user, sessionId);
  if (!access) throw notFound();
  const detail = sessionDetail(db, sessionId, programTimeZone(db))!;
  const seeAll = access.isFacilitator || access.canEdit;
  return {
    detail,
    canOverride: access.canEdit,
    registrations: sessionRegistrationList(db, user, sessionId, seeAll),
    clients: detail.status === "scheduled" ? registrableClients(db, user, access.districtId, access.canEdit) : [],
  };
}

const RegisterSchema = z.object({
  intent: z.literal("register"),
  clientId: id,
  scope: choice(["one", "group"]).default("one"),
  overrideReason: optionalText({ max: REASON_MAX }),
});
const CancelSchema = z.object({ intent: z.literal("cancel"), clientId: id });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const sessionId = idFromParam(params.id);
  if (sessionId === null) throw notFound();
  const db = getDb();
  const access = sessionAccess(db, user, sessionId);
  if (!access) throw notFound();
  const actor = actorOf(request, user);
  const here = `/sessions/${sessionId}/register`;
  const intent = (await request.clone().formData()).get("intent");

  if (intent === "cancel") {
    const form = await parseForm(request, CancelSchema);
    if (!form.ok) throw notFound();
    try {
      cancelRegistration(db, actor, user, sessionId, form.data.clientId);
    } catch (e) {
      return domainRefusal(e, form.values);
    }
    return redirectWithFlash(here, { kind: "success", key: "sessions.flash.registrationCancelled" });
  }

  const form = await parseForm(request, RegisterSchema);
  if (!form.ok) return badForm(form);
  const reason = form.data.overrideReason ?? "";
  try {
    if (form.data.scope === "group" && access.session.groupId !== null) {
      const r = registerForGroup(db, actor, user, access.session.groupId, form.data.clientId, { overrideReason: reason });
      return redirectWithFlash(here, { kind: "success", key: "sessions.flash.groupRegistered", params: r });
    }
    const status = registerForSession(db, actor, user, sessionId, form.data.clientId, { overrideReason: reason });
    return redirectWithFlash(here, { kind: "success", key: status === "registered" ? "sessions.flash.registered" : "sessions.flash.waitlisted" });
  } catch (e) {
    return domainRefusal(e, form.values);
  }
}

export default function SessionRegistrations() {
  const { detail, canOverride, registrations, clients } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, date, number } = useT();
  const labels = { clientId: t("sessions.register.client"), overrideReason: t("sessions.register.overrideReason"), scope: t("sessions.register.scope") };
  return (
    <div className="max-w-3xl">
      <p className="mb-2">
        <Link to={`/sessions/${detail.id}`} className="inline-flex min-h-11 items-center">
          ← {detail.topic}
        </Link>
      </p>
      <PageHeader
        title={t("sessions.register.title")}
        subtitle={`${detail.topic} · ${date(detail.date)} ${detail.startTime}–${detail.endTime} · ${t("sessions.session.registered", { registered: number(detail.registered), capacity: number(detail.capacity) })}`}
      />

      <Card title={t("sessions.register.formTitle")} className="mb-4">
        {detail.status !== "scheduled" ? (
          <p>{t("sessions.register.notOpen")}</p>
        ) : clients.length === 0 ? (
          <p>{t("sessions.register.noClients")}</p>
        ) : (
          <Form method="post" noValidate>
            <ErrorSummary state={state} labels={labels} />
            <input type="hidden" name="intent" value="register" />
            <SelectField name="clientId" label={labels.clientId} state={state} required options={clients.map((c) => ({ value: c.id, label: c.alias }))} placeholder="—" />
            {detail.groupId !== null && (
              <SelectField
                name="scope"
                label={labels.scope}
                state={state}
                defaultValue="one"
                options={[
                  { value: "one", label: t("sessions.register.scope.one") },
                  { value: "group", label: t("sessions.register.scope.group") },
                ]}
              />
            )}
            {canOverride && (
              <TextField name="overrideReason" label={labels.overrideReason} help={t("sessions.register.overrideHelp")} state={state} maxLength={REASON_MAX} />
            )}
            <FormActions>
              <Button>{t("sessions.register.submit")}</Button>
            </FormActions>
          </Form>
        )}
      </Card>

      <Card title={t("sessions.register.listTitle")}>
        {registrations.length === 0 ? (
          <EmptyState title={t("sessions.register.empty")} />
        ) : (
          <ul className="grid gap-2">
            {registrations.map((r) => (
              <li key={r.clientId} className="flex min-h-11 flex-wrap items-center gap-3 border-b border-line pb-2">
                <span className="font-medium">{r.alias}</span>
                <Badge tone={r.status === "registered" ? "ok" : "warn"}>
                  {r.status === "registered" ? t("sessions.register.registered") : t("sessions.register.waitlisted", { place: r.place ?? 0 })}
                </Badge>
                {r.overrideReason && <span className="text-sm text-muted">{t("sessions.register.override", { reason: r.overrideReason })}</span>}
                {(r.mine || canOverride) && detail.status === "scheduled" && (
                  <Form method="post" className="ml-auto">
                    <input type="hidden" name="intent" value="cancel" />
                    <input type="hidden" name="clientId" value={r.clientId} />
                    <Button kind="ghost">{t("sessions.register.cancel")}</Button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

export const meta = titled("sessions.register.title");
