import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField, type FormState } from "~/components/forms";
import { Badge, Button, Card, DataTable, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { programToday } from "~/domain/clients";
import { RETENTION_MAX_YEARS, RETENTION_MIN_YEARS, setRetentionYears } from "~/domain/clients/retention.server";
import { processingRegister, setImpactAssessmentDate, type ProcessingRecord } from "~/domain/privacy/processing.server";
import { int, isoDate } from "~/domain/shared/fields";
import { csvResponse } from "~/http/csv.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { serverT } from "~/i18n/locale.server";
import { useT } from "~/i18n/use-t";

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

function accessText(t: Translate, r: ProcessingRecord): string {
  return r.access.map((a) => `${t(`role.${a.role}` as MessageKey)} (${t(`privacy.processing.scope.${a.scope}` as MessageKey)})`).join("; ");
}

/**
 * The records of processing: purposes, kinds of data, who may see them (derived from the
 * permission module), retention and the last impact assessment; exportable as CSV (?format=csv).
 * Admins set the retention period and the impact-assessment date here.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:settings");
  const db = getDb();
  const register = processingRegister(db);
  if (new URL(request.url).searchParams.get("format") === "csv") {
    const t = serverT(request, user) as Translate;
    return csvResponse({
      filename: `${t("privacy.processing.title")}.csv`,
      asciiFilename: "records-of-processing.csv",
      header: [t("privacy.processing.col.data"), t("privacy.processing.col.purpose"), t("privacy.processing.col.sensitive"), t("privacy.processing.col.access"), t("privacy.processing.col.retention")],
      rows: register.records.map((r) => [
        t(`privacy.processing.${r.key}.data` as MessageKey),
        t(`privacy.processing.${r.key}.purpose` as MessageKey),
        r.sensitive ? t("form.yes") : t("form.no"),
        accessText(t, r),
        t(`privacy.processing.retention.${r.retention}` as MessageKey, { years: register.retentionYears }),
      ]),
    });
  }
  return { ...register, today: programToday(db), min: RETENTION_MIN_YEARS, max: RETENTION_MAX_YEARS };
}

const ProcessingSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("retention"), years: int({ min: 1, max: RETENTION_MAX_YEARS }) }),
  z.object({ intent: z.literal("assessment"), assessedOn: isoDate }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:settings");
  const form = await parseForm(request, ProcessingSchema);
  if (!form.ok) return badForm(form);
  const db = getDb();
  const actor = actorOf(request, user);
  try {
    if (form.data.intent === "retention") setRetentionYears(db, actor, form.data.years);
    else setImpactAssessmentDate(db, actor, form.data.assessedOn, programToday(db));
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash("/admin/processing", { kind: "success", key: "privacy.processing.saved" });
}

function stateFor(state: FormState, intent: string): FormState {
  return state?.values?.intent === intent ? state : undefined;
}

export default function ProcessingRegister() {
  const data = useLoaderData<typeof loader>() as Exclude<Awaited<ReturnType<typeof loader>>, Response>;
  const state = useActionData<typeof action>();
  const { t, date } = useT();
  return (
    <>
      <PageHeader
        title={t("privacy.processing.title")}
        subtitle={t("privacy.processing.intro")}
        actions={<LinkButton to="/admin/processing?format=csv" reloadDocument>{t("privacy.processing.export")}</LinkButton>}
      />
      <Card>
        <DataTable
          caption={t("privacy.processing.title")}
          rows={data.records}
          rowKey={(r) => r.key}
          columns={[
            {
              key: "data",
              header: t("privacy.processing.col.data"),
              primary: true,
              cell: (r) => (
                <>
                  {t(`privacy.processing.${r.key}.data` as MessageKey)} {r.sensitive && <Badge tone="danger">{t("privacy.processing.sensitive")}</Badge>}
                </>
              ),
            },
            { key: "purpose", header: t("privacy.processing.col.purpose"), cell: (r) => t(`privacy.processing.${r.key}.purpose` as MessageKey) },
            { key: "access", header: t("privacy.processing.col.access"), cell: (r) => accessText(t, r) },
            {
              key: "retention",
              header: t("privacy.processing.col.retention"),
              cell: (r) => t(`privacy.processing.retention.${r.retention}` as MessageKey, { years: data.retentionYears }),
            },
          ]}
        />
      </Card>
      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <Card title={t("privacy.retention.title")}>
          <Form method="post" noValidate>
            <ErrorSummary state={stateFor(state, "retention")} />
            <input type="hidden" name="intent" value="retention" />
            <TextField
              name="years"
              type="number"
              inputMode="numeric"
              label={t("privacy.retention.years")}
              help={t("privacy.retention.help", { min: data.min })}
              state={stateFor(state, "retention")}
              defaultValue={data.retentionYears}
              required
            />
            <FormActions>
              <Button>{t("privacy.retention.save")}</Button>
            </FormActions>
          </Form>
        </Card>
        <Card title={t("privacy.assessment.title")}>
          <p className="mb-2">{data.assessedOn ? t("privacy.assessment.last", { date: date(data.assessedOn) }) : t("privacy.assessment.never")}</p>
          <Form method="post" noValidate>
            <ErrorSummary state={stateFor(state, "assessment")} />
            <input type="hidden" name="intent" value="assessment" />
            <TextField name="assessedOn" type="date" label={t("privacy.assessment.date")} state={stateFor(state, "assessment")} defaultValue={data.today} required />
            <FormActions>
              <Button>{t("privacy.assessment.save")}</Button>
            </FormActions>
          </Form>
        </Card>
      </div>
    </>
  );
}

export const meta = titled("privacy.processing.title");
