import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField, type FormState } from "~/components/forms";
import { LineChart } from "~/components/LineChart";
import { Badge, Button, Card, DataTable, EmptyState } from "~/components/ui";
import { getDb } from "~/db.server";
import { barc10Schedule, listBarc10, localDate, mayRecordBarc10, recordBarc10, requireCurrentConsent } from "~/domain/clients";
import { BARC10_ITEMS } from "~/domain/clients/outcomes";
import { getSettings } from "~/domain/settings";
import { int, isoDate } from "~/domain/shared/fields";
import { requireClient } from "~/http/client-guard.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * Recovery capital: the BARC-10 questionnaire (at intake, then every three months), its trend as
 * a chart with a data table, and when the next one is due. The client's social worker or peer
 * tutor records it; everyone who reads case records sees it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access } = requireClient(request, params, { audit: "recovery" });
  if (!access.can.readCaseRecords) throw forbidden();
  const db = getDb();
  const today = localDate(new Date(), getSettings(db).timeZone);
  const client = access.client;
  let hasConsent = true;
  try {
    requireCurrentConsent(db, client.id, today);
  } catch {
    hasConsent = false;
  }
  return {
    clientId: client.id,
    today,
    intakeDate: client.intakeDate,
    closed: client.status === "closed",
    canRecord: mayRecordBarc10(access),
    hasConsent,
    schedule: barc10Schedule(db, client, today),
    rows: listBarc10(db, client.id),
  };
}

const ITEM_NUMBERS = Array.from({ length: BARC10_ITEMS }, (_, i) => i + 1);
const itemFields: Record<string, ReturnType<typeof int>> = Object.fromEntries(ITEM_NUMBERS.map((n) => [`item${n}`, int({ min: 1, max: 6 })]));
const Barc10Schema = z.object({ takenOn: isoDate, ...itemFields });

export async function action({ request, params }: ActionFunctionArgs) {
  const { access, actor } = requireClient(request, params);
  if (!access.can.readCaseRecords || !mayRecordBarc10(access)) throw forbidden();
  const form = await parseForm(request, Barc10Schema);
  if (!form.ok) return badForm(form);
  const db = getDb();
  const answers = ITEM_NUMBERS.map((n) => (form.data as Record<string, unknown>)[`item${n}`]);
  let total: number;
  try {
    total = recordBarc10(db, actor, {
      clientId: access.client.id,
      takenOn: form.data.takenOn,
      answers,
      today: localDate(new Date(), getSettings(db).timeZone),
    }).total;
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/clients/${access.client.id}/recovery`, { kind: "success", key: "wellbeing.barc10.saved", params: { total } });
}

const SCALE = [1, 2, 3, 4, 5, 6] as const;

function ItemField({ n, state }: { n: number; state: FormState }) {
  const { t, tm } = useT();
  const name = `item${n}`;
  const error = state?.errors?.[name];
  const chosen = state?.values?.[name];
  return (
    <fieldset className="mb-4" aria-describedby={error ? `f-${name}-error` : undefined}>
      <legend className="font-medium">
        {n}. {t(`wellbeing.barc10.item${n}` as MessageKey)}
        <span className="ml-1 text-danger" aria-hidden="true">
          *
        </span>
      </legend>
      <div className="mt-1 grid grid-cols-6 gap-1 sm:max-w-md">
        {SCALE.map((v) => (
          <label
            key={v}
            className="flex min-h-11 cursor-pointer items-center justify-center rounded-lg border border-line bg-surface has-[:checked]:border-brand has-[:checked]:bg-brand-soft has-[:checked]:font-medium"
          >
            <input
              type="radio"
              id={v === 1 ? `f-${name}` : `f-${name}-${v}`}
              name={name}
              value={v}
              defaultChecked={chosen === String(v)}
              aria-invalid={error ? true : undefined}
              className="sr-only"
            />
            <span aria-hidden="true">{v}</span>
            <span className="sr-only">
              {v} {t(`wellbeing.barc10.scale${v}` as MessageKey)}
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={`f-${name}-error`} className="mt-1 text-sm font-medium text-danger">
          {tm(error)}
        </p>
      )}
    </fieldset>
  );
}

function DueBadge({ days }: { days: number }) {
  const { t } = useT();
  if (days < 0) return <Badge tone="warn">{t("wellbeing.barc10.overdueDays", { days: -days })}</Badge>;
  if (days === 0) return <Badge tone="warn">{t("wellbeing.barc10.dueToday")}</Badge>;
  return <Badge tone={days <= 14 ? "brand" : "ok"}>{t("wellbeing.barc10.dueInDays", { days })}</Badge>;
}

export default function Recovery() {
  const { today, intakeDate, closed, canRecord, hasConsent, schedule, rows } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, date } = useT();
  const chronological = [...rows].reverse();
  const labels: Record<string, string> = { takenOn: t("wellbeing.barc10.takenOn") };
  for (const n of ITEM_NUMBERS) labels[`item${n}`] = `${n}`;

  return (
    <div className="grid gap-4">
      <Card title={t("wellbeing.barc10.title")}>
        <p className="text-muted">{t("wellbeing.barc10.intro")}</p>
        <h3 className="mt-3 font-medium">{t("wellbeing.barc10.schedule")}</h3>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          {schedule.lastTakenOn ? (
            <>
              <span>{t("wellbeing.barc10.nextDue", { date: date(schedule.nextDue) })}</span>
              <span className="text-muted">· {t("wellbeing.barc10.lastTaken", { date: date(schedule.lastTakenOn) })}</span>
            </>
          ) : (
            <span>{t("wellbeing.barc10.neverTaken", { date: date(intakeDate) })}</span>
          )}
          {!closed && <DueBadge days={schedule.daysUntilDue} />}
        </div>
      </Card>

      {rows.length === 0 ? (
        <EmptyState title={t("wellbeing.barc10.empty.title")}>{t("wellbeing.barc10.empty.body")}</EmptyState>
      ) : (
        <>
          <Card title={t("wellbeing.barc10.trend")}>
            <LineChart
              caption={t("wellbeing.barc10.chartCaption")}
              labels={chronological.map((r) => date(r.takenOn))}
              labelHeader={t("wellbeing.barc10.col.date")}
              series={[{ name: t("wellbeing.barc10.series"), values: chronological.map((r) => r.total) }]}
              yDomain={[10, 60]}
              yTicks={[10, 20, 30, 40, 50, 60]}
            />
          </Card>
          <Card title={t("wellbeing.barc10.history")}>
            <DataTable
              caption={t("wellbeing.barc10.historyCaption")}
              rows={rows}
              rowKey={(r) => r.id}
              columns={[
                { key: "date", header: t("wellbeing.barc10.col.date"), primary: true, cell: (r) => date(r.takenOn) },
                { key: "total", header: t("wellbeing.barc10.col.total"), cell: (r) => t("wellbeing.barc10.totalOf", { total: r.total }) },
                { key: "by", header: t("wellbeing.barc10.col.by"), cell: (r) => r.recordedBy ?? "—" },
              ]}
            />
          </Card>
        </>
      )}

      {!closed && canRecord && (
        <Card title={t("wellbeing.barc10.newTitle")}>
          {!hasConsent && (
            <p role="status" className="mb-3 rounded-card border border-warn/40 bg-warn-soft p-3 text-warn">
              {t("wellbeing.barc10.noConsentNotice")}
            </p>
          )}
          <Form method="post" noValidate>
            <ErrorSummary state={state} labels={labels} />
            <TextField name="takenOn" type="date" label={t("wellbeing.barc10.takenOn")} state={state} defaultValue={today} required />
            <p className="mb-3 text-sm text-muted">
              {SCALE.map((v) => `${v} = ${t(`wellbeing.barc10.scale${v}` as MessageKey)}`).join(" · ")}
            </p>
            {ITEM_NUMBERS.map((n) => (
              <ItemField key={n} n={n} state={state} />
            ))}
            <FormActions>
              <Button>{t("wellbeing.barc10.save")}</Button>
            </FormActions>
          </Form>
        </Card>
      )}
      {!closed && !canRecord && <p className="text-sm text-muted">{t("wellbeing.barc10.whoRecords")}</p>}
    </div>
  );
}

export const meta = titled("wellbeing.barc10.title");
