import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField, type FormState } from "~/components/forms";
import { Badge, Button, Card, LinkButton, type Tone } from "~/components/ui";
import { getDb } from "~/db.server";
import { programToday } from "~/domain/clients";
import { CORRECTION_TEXT_MAX, decideCorrectionRequest, listCorrectionRequests, recordCorrectionRequest } from "~/domain/clients/rights.server";
import { id, isoDate, text } from "~/domain/shared/fields";
import { requireClient } from "~/http/client-guard.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * The client's rights over what is held about them: a complete copy (printable and JSON) for
 * the client's social worker and admins, and correction requests with their outcomes, recorded by
 * the social worker. Withdrawal of consent is on the overview (it closes the case).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access } = requireClient(request, params, { audit: "rights", allow: (can) => can.revealIdentity });
  if (!access.can.revealIdentity) throw forbidden();
  const db = getDb();
  return {
    clientId: access.client.id,
    today: programToday(db),
    requests: listCorrectionRequests(db, access.client.id),
    canWrite: access.can.edit,
    max: CORRECTION_TEXT_MAX,
  };
}

const RightsSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("request"), requestedOn: isoDate, request: text({ max: CORRECTION_TEXT_MAX }) }),
  z.object({
    intent: z.literal("decide"),
    requestId: id,
    outcome: z.enum(["corrected", "declined"], { error: "form.required" }),
    decidedOn: isoDate,
    note: text({ max: CORRECTION_TEXT_MAX }),
  }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { access, actor } = requireClient(request, params);
  if (!access.can.edit) throw forbidden();
  const form = await parseForm(request, RightsSchema);
  if (!form.ok) return badForm(form);
  const db = getDb();
  const today = programToday(db);
  try {
    if (form.data.intent === "request") {
      recordCorrectionRequest(db, actor, access, form.data, today);
    } else {
      decideCorrectionRequest(db, actor, access, form.data, today);
    }
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  const key = form.data.intent === "request" ? "privacy.rights.requestSaved" : "privacy.rights.decisionSaved";
  return redirectWithFlash(`/clients/${access.client.id}/rights`, { kind: "success", key });
}

const OUTCOME_TONE: Record<string, Tone> = { pending: "warn", corrected: "ok", declined: "neutral" };

function stateFor(state: FormState, intent: string, requestId?: number): FormState {
  if (state?.values?.intent !== intent) return undefined;
  if (requestId !== undefined && state.values.requestId !== String(requestId)) return undefined;
  return state;
}

export default function ClientRights() {
  const { clientId, today, requests, canWrite, max } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, date } = useT();
  return (
    <div className="grid gap-4">
      <Card title={t("privacy.rights.copyTitle")}>
        <p className="mb-3">{t("privacy.rights.copyIntro")}</p>
        <div className="flex flex-wrap gap-3">
          <LinkButton to={`/clients/${clientId}/held-data`}>{t("privacy.rights.print")}</LinkButton>
          <a href={`/clients/${clientId}/held-data?format=json`} className="inline-flex min-h-11 items-center rounded-lg border border-line px-4 font-medium no-underline" download>
            {t("privacy.rights.json")}
          </a>
        </div>
      </Card>
      <Card title={t("privacy.rights.correctionsTitle")}>
        <p className="mb-3 text-muted">{t("privacy.rights.correctionsIntro")}</p>
        {requests.length === 0 ? (
          <p>{t("privacy.rights.none")}</p>
        ) : (
          <ul className="grid gap-3">
            {requests.map((r) => (
              <li key={r.id} className="rounded-lg border border-line p-3">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{date(r.requestedOn)}</span>
                  <Badge tone={OUTCOME_TONE[r.outcome]}>{t(`privacy.rights.outcome.${r.outcome}`)}</Badge>
                  <span className="text-sm text-muted">{t("privacy.rights.recordedBy", { login: r.recordedBy })}</span>
                </p>
                <p className="whitespace-pre-wrap">{r.request}</p>
                {r.outcome !== "pending" && (
                  <p className="mt-1 text-sm">
                    {t("privacy.rights.decided", { date: date(r.decidedOn ?? ""), login: r.decidedBy ?? "" })} {r.outcomeNote}
                  </p>
                )}
                {canWrite && r.outcome === "pending" && (
                  <details className="mt-2" open={Boolean(stateFor(state, "decide", r.id))}>
                    <summary className="min-h-11 cursor-pointer py-2 font-medium text-brand">{t("privacy.rights.decide")}</summary>
                    <Form method="post" noValidate>
                      <ErrorSummary state={stateFor(state, "decide", r.id)} />
                      <input type="hidden" name="intent" value="decide" />
                      <input type="hidden" name="requestId" value={r.id} />
                      <SelectField
                        name="outcome"
                        label={t("privacy.rights.outcomeLabel")}
                        state={stateFor(state, "decide", r.id)}
                        required
                        options={[
                          { value: "corrected", label: t("privacy.rights.outcome.corrected") },
                          { value: "declined", label: t("privacy.rights.outcome.declined") },
                        ]}
                      />
                      <TextField name="decidedOn" type="date" label={t("privacy.rights.decidedOn")} state={stateFor(state, "decide", r.id)} defaultValue={today} required />
                      <TextField name="note" label={t("privacy.rights.note")} help={t("privacy.rights.noteHelp")} state={stateFor(state, "decide", r.id)} multiline maxLength={max} required />
                      <FormActions>
                        <Button>{t("privacy.rights.saveDecision")}</Button>
                      </FormActions>
                    </Form>
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
        {canWrite && (
          <Form method="post" noValidate className="mt-4 border-t border-line pt-4">
            <h3 className="mb-2 font-semibold">{t("privacy.rights.newRequest")}</h3>
            <ErrorSummary state={stateFor(state, "request")} />
            <input type="hidden" name="intent" value="request" />
            <TextField name="requestedOn" type="date" label={t("privacy.rights.requestedOn")} state={stateFor(state, "request")} defaultValue={today} required />
            <TextField name="request" label={t("privacy.rights.request")} help={t("privacy.rights.requestHelp")} state={stateFor(state, "request")} multiline maxLength={max} required />
            <FormActions>
              <Button>{t("privacy.rights.saveRequest")}</Button>
            </FormActions>
          </Form>
        )}
      </Card>
    </div>
  );
}

export const meta = titled("privacy.rights.title");
