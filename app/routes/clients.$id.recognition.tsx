import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField, type FormState } from "~/components/forms";
import { Badge, Button, Card, LinkButton, type Tone } from "~/components/ui";
import { getDb } from "~/db.server";
import {
  createLiftRequest,
  decideLiftRequest,
  EVIDENCE_MAX,
  LIFT_NOTE_MAX,
  LIFT_OUTCOMES,
  listLiftRequests,
  programToday,
  RECOGNITION_FIELDS,
  recognitionStatus,
  recordRecognition,
  sendLiftRequest,
} from "~/domain/clients";
import { id } from "~/domain/shared/fields";
import { requireClient } from "~/http/client-guard.server";
import { redirectWithFlash, type Flash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * Three-year recognition (认定) and the request to lift police dynamic monitoring. The client's
 * current social worker records the recognition (refused, with the reason, when the client is
 * not eligible) and takes a lift request from draft to sent to granted or refused; the case team
 * reads. The printable request letter is a separate page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access } = requireClient(request, params, { audit: "recognition" });
  if (!access.can.readCaseRecords) throw forbidden();
  const db = getDb();
  const today = programToday(db);
  const status = recognitionStatus(db, access.client, today);
  const requests = listLiftRequests(db, access.client.id);
  const canWrite = access.can.writeCaseRecords;
  return {
    clientId: access.client.id,
    today,
    status,
    requests,
    outcomes: LIFT_OUTCOMES,
    limits: { evidence: EVIDENCE_MAX, note: LIFT_NOTE_MAX },
    canWrite,
    canRecognise: canWrite && status.recognitions.length === 0,
    canStartLift: canWrite && status.recognised && !requests.some((r) => r.status === "draft" || r.status === "sent" || r.status === "granted"),
    canPrintLetter: status.recognised && (access.can.writeCaseRecords || access.can.approvePlan || access.can.revealIdentity),
  };
}

const RecognitionActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("recognise"), recognisedOn: RECOGNITION_FIELDS.recognisedOn, evidence: RECOGNITION_FIELDS.evidence }),
  z.object({ intent: z.literal("liftCreate") }),
  z.object({ intent: z.literal("liftSend"), requestId: id, sentOn: RECOGNITION_FIELDS.sentOn }),
  z.object({
    intent: z.literal("liftDecide"),
    requestId: id,
    outcome: RECOGNITION_FIELDS.outcome,
    decidedOn: RECOGNITION_FIELDS.decidedOn,
    note: RECOGNITION_FIELDS.note,
  }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { access, actor } = requireClient(request, params);
  if (!access.can.writeCaseRecords) throw forbidden();
  const form = await parseForm(request, RecognitionActionSchema);
  if (!form.ok) {
    if (form.errors.intent || form.errors._form) return badForm({ errors: { _form: "form.badRequest" }, values: form.values });
    return badForm(form);
  }
  const db = getDb();
  const clientId = access.client.id;
  const today = programToday(db);
  const input = form.data;
  let flash: Flash["key"];
  try {
    switch (input.intent) {
      case "recognise":
        recordRecognition(db, actor, { clientId, recognisedOn: input.recognisedOn, evidence: input.evidence, today });
        flash = "casework.recognition.recorded";
        break;
      case "liftCreate":
        createLiftRequest(db, actor, { clientId, today });
        flash = "casework.lift.created";
        break;
      case "liftSend":
        sendLiftRequest(db, actor, { clientId, requestId: input.requestId, sentOn: input.sentOn, today });
        flash = "casework.lift.sentFlash";
        break;
      case "liftDecide":
        decideLiftRequest(db, actor, { clientId, requestId: input.requestId, outcome: input.outcome, decidedOn: input.decidedOn, note: input.note, today });
        flash = "casework.lift.decidedFlash";
        break;
    }
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/clients/${clientId}/recognition`, { kind: "success", key: flash });
}

const LIFT_TONE: Record<string, Tone> = { draft: "neutral", sent: "warn", granted: "ok", refused: "danger" };

export default function ClientRecognition() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, tm, date, dateTime } = useT();
  const { status } = data;
  const stateFor = (intent: string): FormState => (result && result.values?.intent === intent ? result : undefined);
  // a refusal whose form is not on the page (any more) shows at the top
  const shown = new Set<string>([
    ...(data.canRecognise ? ["recognise"] : []),
    ...(data.canStartLift ? ["liftCreate"] : []),
    ...(data.canWrite && data.requests.some((r) => r.status === "draft") ? ["liftSend"] : []),
    ...(data.canWrite && data.requests.some((r) => r.status === "sent") ? ["liftDecide"] : []),
  ]);
  const formLevel = result && !shown.has(result.values?.intent ?? "") ? result : undefined;
  return (
    <div className="space-y-5">
      <ErrorSummary state={formLevel} />
      <Card title={t("casework.recognition.heading")}>
        {status.recognitions.length > 0 ? (
          <ul className="space-y-2">
            {status.recognitions.map((r) => (
              <li key={r.id}>
                <p className="flex flex-wrap items-center gap-2">
                  <Badge tone="ok">{t("casework.recognition.recognisedLine", { date: date(r.recognisedOn), name: r.recognisedBy })}</Badge>
                </p>
                {r.evidence && (
                  <p className="mt-1 whitespace-pre-line">
                    <span className="text-muted">{t("casework.recognition.evidence")}: </span>
                    {r.evidence}
                  </p>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <>
            <p className={status.eligible ? "font-medium text-ok" : "text-muted"}>
              {status.eligible
                ? t("casework.recognition.eligible", { since: date(status.since), from: date(status.eligibleFrom) })
                : status.reason
                  ? tm(status.reason)
                  : t("casework.recognition.none")}
            </p>
            {data.canRecognise && (
              <Form method="post" noValidate className="mt-4">
                <input type="hidden" name="intent" value="recognise" />
                <ErrorSummary
                  state={stateFor("recognise")}
                  labels={{ recognisedOn: t("casework.recognition.date"), evidence: t("casework.recognition.evidence") }}
                />
                <TextField name="recognisedOn" type="date" label={t("casework.recognition.date")} state={stateFor("recognise")} defaultValue={data.today} required />
                <TextField
                  name="evidence"
                  label={t("casework.recognition.evidence")}
                  help={t("casework.recognition.evidenceHelp")}
                  multiline
                  required
                  state={stateFor("recognise")}
                  maxLength={data.limits.evidence}
                />
                <FormActions>
                  <Button>{t("casework.recognition.record")}</Button>
                </FormActions>
              </Form>
            )}
          </>
        )}
      </Card>

      <Card
        title={t("casework.lift.title")}
        actions={
          data.canPrintLetter ? (
            <LinkButton to={`/clients/${data.clientId}/lift-letter`} reloadDocument>
              {t("casework.lift.letter")}
            </LinkButton>
          ) : undefined
        }
      >
        <p className="mb-3 text-sm text-muted">{t("casework.lift.help")}</p>
        {data.requests.length === 0 && <p>{t("casework.lift.none")}</p>}
        <ul className="space-y-3">
          {data.requests.map((r) => (
            <li key={r.id} className="rounded-card border border-line p-3">
              <p className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{t("casework.lift.requestOf", { date: dateTime(r.createdAt) })}</span>
                <Badge tone={LIFT_TONE[r.status]}>{t(`casework.liftStatus.${r.status}`)}</Badge>
                {r.sentOn && <span className="text-sm text-muted">{t("casework.lift.sentLine", { date: date(r.sentOn) })}</span>}
                {r.decidedOn && <span className="text-sm text-muted">{t("casework.lift.decidedLine", { date: date(r.decidedOn) })}</span>}
              </p>
              {r.note && <p className="mt-1 whitespace-pre-line">{r.note}</p>}
              {data.canWrite && r.status === "draft" && (
                <Form method="post" noValidate className="mt-3">
                  <input type="hidden" name="intent" value="liftSend" />
                  <input type="hidden" name="requestId" value={r.id} />
                  <ErrorSummary state={stateFor("liftSend")} labels={{ sentOn: t("casework.lift.sentOn") }} />
                  <TextField name="sentOn" type="date" label={t("casework.lift.sentOn")} state={stateFor("liftSend")} defaultValue={data.today} required />
                  <Button>{t("casework.lift.markSent")}</Button>
                </Form>
              )}
              {data.canWrite && r.status === "sent" && (
                <Form method="post" noValidate className="mt-3">
                  <input type="hidden" name="intent" value="liftDecide" />
                  <input type="hidden" name="requestId" value={r.id} />
                  <ErrorSummary
                    state={stateFor("liftDecide")}
                    labels={{ outcome: t("casework.lift.outcome"), decidedOn: t("casework.lift.decidedOn"), note: t("casework.lift.note") }}
                  />
                  <div className="grid gap-x-4 sm:grid-cols-2">
                    <SelectField
                      name="outcome"
                      label={t("casework.lift.outcome")}
                      state={stateFor("liftDecide")}
                      options={data.outcomes.map((o) => ({ value: o, label: t(`casework.liftStatus.${o}`) }))}
                      placeholder=""
                      required
                    />
                    <TextField name="decidedOn" type="date" label={t("casework.lift.decidedOn")} state={stateFor("liftDecide")} defaultValue={data.today} required />
                  </div>
                  <TextField
                    name="note"
                    label={t("casework.lift.note")}
                    help={t("casework.lift.noteHelp")}
                    multiline
                    required
                    state={stateFor("liftDecide")}
                    maxLength={data.limits.note}
                  />
                  <Button>{t("casework.lift.record")}</Button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {data.canStartLift && (
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="liftCreate" />
            <ErrorSummary state={stateFor("liftCreate")} />
            <Button kind="secondary">{t("casework.lift.create")}</Button>
          </Form>
        )}
      </Card>
    </div>
  );
}

export const meta = titled("casework.recognition.title");
