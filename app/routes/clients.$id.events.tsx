import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Badge, Button, Card, DataTable, EmptyState, type Tone } from "~/components/ui";
import { getDb } from "~/db.server";
import {
  abstinenceOf,
  daysBetween,
  EVENT_NOTE_MAX,
  listSubstanceEvents,
  programToday,
  recordSubstanceEvent,
  SUBSTANCE_EVENT_KINDS,
  SubstanceEventSchema,
  MILESTONES,
} from "~/domain/clients";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { requireClient } from "~/http/client-guard.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * Substance events and the abstinence clock: abstinent since D — N days (abstinentSince), the
 * milestones reached with their dates and the next one (milestones), and the events newest
 * first. The client's current social worker records events; the case team reads.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access } = requireClient(request, params, { audit: "events" });
  if (!access.can.readCaseRecords) throw forbidden();
  const db = getDb();
  const today = programToday(db);
  const page = pageFromUrl(new URL(request.url));
  const { rows, total } = listSubstanceEvents(db, access.client.id, page);
  const clock = abstinenceOf(db, access.client, today);
  return {
    clientId: access.client.id,
    intakeDate: access.client.intakeDate,
    today,
    clock,
    nextInDays: clock.next ? daysBetween(today, clock.next.date) : null,
    milestoneKeys: MILESTONES.map((m) => m.key),
    kinds: SUBSTANCE_EVENT_KINDS,
    noteMax: EVENT_NOTE_MAX,
    canRecord: access.can.writeCaseRecords,
    showRecognition: access.can.writeCaseRecords || access.can.approvePlan || access.can.revealIdentity,
    rows,
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
  };
}

// The form's schema is the domain's SubstanceEventSchema (date, kind, note).

export async function action({ request, params }: ActionFunctionArgs) {
  const { access, actor } = requireClient(request, params);
  if (!access.can.writeCaseRecords) throw forbidden();
  const form = await parseForm(request, SubstanceEventSchema);
  if (!form.ok) return badForm(form);
  const db = getDb();
  try {
    recordSubstanceEvent(db, actor, { clientId: access.client.id, ...form.data, today: programToday(db) });
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/clients/${access.client.id}/events`, { kind: "success", key: "casework.events.recorded" });
}

const KIND_TONE: Record<string, Tone> = { use: "danger", relapse: "danger", test_positive: "danger", test_negative: "ok", facility_release: "warn" };

export default function ClientEvents() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, date, dateTime, number } = useT();
  const { clock } = data;
  const reached = new Map(clock.reached.map((m) => [m.key, m.date]));
  const started = clock.since <= data.today;
  return (
    <div className="space-y-5">
      <h2 className="sr-only">{t("casework.events.title")}</h2>
      <Card>
        {started ? (
          <>
            <p className="text-muted">{t("casework.events.since", { date: date(clock.since) })}</p>
            <p className="text-4xl font-bold text-brand-strong">{t("casework.events.days", { days: number(clock.days) })}</p>
          </>
        ) : (
          <p>{t("casework.events.notStarted", { date: date(data.intakeDate) })}</p>
        )}
        <p className="mt-2 text-sm text-muted">{t("casework.events.clockHelp")}</p>
      </Card>

      <Card title={t("casework.events.milestones")}>
        <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          {data.milestoneKeys.map((key) => {
            const on = reached.get(key);
            const isNext = clock.next?.key === key;
            return (
              <li key={key} className="rounded-card border border-line p-3">
                <p className="font-medium">{t(`casework.milestone.${key}`)}</p>
                {on ? (
                  <Badge tone="ok">{t("casework.events.reachedOn", { date: date(on) })}</Badge>
                ) : isNext && clock.next ? (
                  <p className="text-sm">
                    <Badge tone="brand">{t("casework.events.nextOn", { date: date(clock.next.date) })}</Badge>{" "}
                    <span className="text-muted">{t("casework.events.nextIn", { days: number(data.nextInDays ?? 0) })}</span>
                  </p>
                ) : (
                  <span className="text-sm text-muted">{t("casework.events.notYet")}</span>
                )}
              </li>
            );
          })}
        </ul>
        {!clock.next && started && <p className="mt-2 text-muted">{t("casework.events.allReached")}</p>}
      </Card>

      {data.showRecognition && (
        <p>
          <Link to={`/clients/${data.clientId}/recognition`} className="inline-flex min-h-11 items-center">
            {t("casework.events.recognitionLink")} →
          </Link>
        </p>
      )}

      {data.canRecord && (
        <Card title={t("casework.events.addTitle")}>
          <Form method="post" noValidate>
            <ErrorSummary
              state={state}
              labels={{ date: t("casework.events.date"), kind: t("casework.events.kind"), note: t("casework.events.note") }}
            />
            <div className="grid gap-x-4 sm:grid-cols-2">
              <TextField name="date" type="date" label={t("casework.events.date")} state={state} defaultValue={data.today} required />
              <SelectField
                name="kind"
                label={t("casework.events.kind")}
                state={state}
                options={data.kinds.map((k) => ({ value: k, label: t(`casework.eventKind.${k}`) }))}
                placeholder=""
                required
              />
            </div>
            <TextField name="note" label={t("casework.events.note")} multiline state={state} maxLength={data.noteMax} />
            <FormActions>
              <Button>{t("casework.events.add")}</Button>
            </FormActions>
          </Form>
        </Card>
      )}

      <section aria-labelledby="events-list">
        <h2 id="events-list" className="mb-3">
          {t("casework.events.list")}
        </h2>
        {data.rows.length === 0 ? (
          <EmptyState title={t("casework.events.empty")}>{t("casework.events.emptyHelp")}</EmptyState>
        ) : (
          <>
            <DataTable
              caption={t("casework.events.list")}
              rows={data.rows}
              rowKey={(r) => r.id}
              columns={[
                { key: "date", header: t("casework.events.date"), primary: true, cell: (r) => date(r.date) },
                { key: "kind", header: t("casework.events.kind"), cell: (r) => <Badge tone={KIND_TONE[r.kind]}>{t(`casework.eventKind.${r.kind}`)}</Badge> },
                { key: "note", header: t("casework.events.note"), cell: (r) => <span className="whitespace-pre-line">{r.note}</span> },
                {
                  key: "by",
                  header: t("casework.events.recordedBy"),
                  cell: (r) => (
                    <span className="text-sm text-muted">
                      {r.recordedBy ?? t("casework.events.imported")} · {dateTime(r.createdAt)}
                    </span>
                  ),
                },
              ]}
            />
            <Pagination page={data.page} pages={data.pages} total={data.total} />
          </>
        )}
      </section>
    </div>
  );
}

export const meta = titled("casework.events.title");
