import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField, type FormState } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { assignFromForm, assignmentHistory, AssignSchema, endPeerTutor, peerTutorChoices, socialWorkerChoices } from "~/domain/clients";
import { getSettings } from "~/domain/settings";
import { isDomainError } from "~/domain/shared/errors";
import { isoDate } from "~/domain/shared/fields";
import { requireClient } from "~/http/client-guard.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { stateFor } from "./clients._index/client-parts";

/**
 * Assigning a client's social worker and peer tutor (coordinators in their districts, admins):
 * one current of each kind, history kept by assignWorker. Social worker choices are the active
 * social workers of the client's district; peer tutor choices the active certified peer tutors.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access } = requireClient(request, params, { audit: "assign", allow: (can) => can.assign });
  if (!access.can.assign) throw forbidden();
  const db = getDb();
  const today = todayIn(getSettings(db).timeZone);
  const client = access.client;
  const current = assignmentHistory(db, client.id).filter((a) => a.toDate === null);
  return {
    clientId: client.id,
    closed: client.status === "closed",
    today,
    current: {
      social_worker: current.find((a) => a.kind === "social_worker") ?? null,
      peer_tutor: current.find((a) => a.kind === "peer_tutor") ?? null,
    },
    choices: {
      social_worker: socialWorkerChoices(db, client.districtId).map((c) => ({ value: c.personId, label: c.name })),
      peer_tutor: peerTutorChoices(db, today, client.districtId).map((c) => ({ value: c.personId, label: c.name })),
    },
  };
}

const ActionSchema = z.discriminatedUnion(
  "intent",
  [AssignSchema.extend({ intent: z.literal("assign") }), z.object({ intent: z.literal("endPeerTutor"), toDate: isoDate })],
  { error: "clients.unknownAction" },
);

export async function action({ request, params }: ActionFunctionArgs) {
  const { access, actor } = requireClient(request, params);
  if (!access.can.assign) throw forbidden();
  const form = await parseForm(request, ActionSchema);
  if (!form.ok) {
    const { intent, ...errors } = form.errors;
    return badForm({ errors: intent ? { ...errors, _form: intent } : errors, values: form.values });
  }
  const db = getDb();
  const today = todayIn(getSettings(db).timeZone);
  const input = form.data;
  try {
    if (input.intent === "assign") {
      assignFromForm(db, actor, access, { kind: input.kind, personId: input.personId, fromDate: input.fromDate }, today);
      return redirectWithFlash(`/clients/${access.client.id}`, { kind: "success", key: "clients.assign.done" });
    }
    endPeerTutor(db, actor, access, input.toDate, today);
    return redirectWithFlash(`/clients/${access.client.id}`, { kind: "success", key: "clients.assign.ended" });
  } catch (e) {
    if (isDomainError(e)) return badForm({ errors: { [e.field]: e.key }, values: form.values });
    throw e;
  }
}

/** The answer for the form of one kind (the hidden `kind` of the assign forms). */
function stateForKind(state: FormState, kind: string): FormState {
  const s = stateFor(state, "assign");
  return s?.values?.kind === kind ? s : undefined;
}

export default function AssignWorkers() {
  const { closed, today, current, choices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, date } = useT();
  const kinds = ["social_worker", "peer_tutor"] as const;
  const known = actionData?.values?.intent === "endPeerTutor" || (actionData?.values?.intent === "assign" && kinds.includes(actionData.values.kind as never));
  return (
    <div className="max-w-3xl">
      <p className="mb-2">
        <Link to="..">← {t("clients.tab.overview")}</Link>
      </p>
      <PageHeader title={t("clients.assign.title")} subtitle={t("clients.assign.subtitle")} />
      {actionData && !known && <ErrorSummary state={actionData} />}
      {closed ? (
        <p className="mb-4 rounded-card border border-line bg-neutral-soft p-4">{t("clients.assign.closedNote")}</p>
      ) : (
        <div className="grid gap-4">
          {kinds.map((kind) => {
            const state = stateForKind(actionData, kind);
            const holder = current[kind];
            return (
              <Card key={kind} title={t(`clients.kind.${kind}`)}>
                <p className="mb-3">
                  {holder ? t("clients.assign.current", { name: holder.name, date: date(holder.fromDate) }) : t("clients.assign.noneCurrent")}
                </p>
                {choices[kind].length === 0 ? (
                  <p className="text-muted">{t("clients.assign.noChoices")}</p>
                ) : (
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="assign" />
                    <input type="hidden" name="kind" value={kind} />
                    <ErrorSummary state={state} labels={{ personId: t("clients.assign.person"), fromDate: t("clients.assign.fromDate") }} />
                    <SelectField
                      name="personId"
                      label={t("clients.assign.person")}
                      help={kind === "peer_tutor" ? t("clients.assign.peerTutorHelp") : t("clients.assign.socialWorkerHelp")}
                      state={state}
                      required
                      placeholder={t("clients.field.choose")}
                      options={choices[kind]}
                    />
                    <TextField
                      name="fromDate"
                      type="date"
                      label={t("clients.assign.fromDate")}
                      help={holder ? t("clients.assign.fromDateHelp") : undefined}
                      state={state}
                      defaultValue={today}
                      required
                    />
                    <FormActions>
                      <Button>{t(`clients.assign.submit.${kind}`)}</Button>
                    </FormActions>
                  </Form>
                )}
                {kind === "peer_tutor" && holder && (
                  <details className="mt-4" open={Boolean(stateFor(actionData, "endPeerTutor"))}>
                    <summary className="min-h-11 cursor-pointer py-2 font-medium text-brand">{t("clients.assign.endTitle")}</summary>
                    <Form method="post" noValidate>
                      <input type="hidden" name="intent" value="endPeerTutor" />
                      <ErrorSummary state={stateFor(actionData, "endPeerTutor")} labels={{ toDate: t("clients.assign.toDate") }} />
                      <p className="mb-3">{t("clients.assign.endConsequence")}</p>
                      <TextField name="toDate" type="date" label={t("clients.assign.toDate")} state={stateFor(actionData, "endPeerTutor")} defaultValue={today} required />
                      <FormActions>
                        <Button kind="danger">{t("clients.assign.endSubmit")}</Button>
                      </FormActions>
                    </Form>
                  </details>
                )}
              </Card>
            );
          })}
        </div>
      )}
    </div>
  );
}

export const meta = titled("clients.assign.title");
