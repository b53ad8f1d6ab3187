import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Button, Card, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { createTrainingSession, listCohortSessions, listModules } from "~/domain/training";
import { SessionSchema } from "~/domain/training/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm } from "~/http/forms.server";
import { dateTimeFormat } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { cohortFromParams, programClock, refused } from "./training._index/guard.server";
import { CohortNav, CohortStatusBadge, useLocalName } from "./training._index/parts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:training");
  const access = cohortFromParams(user, params, "read");
  const db = getDb();
  const { cohort, programme } = access;
  const canEdit = access.can.edit && cohort.status !== "closed";
  const { today } = programClock();
  return {
    cohort: { id: cohort.id, number: cohort.number, status: cohort.status, startsOn: cohort.startsOn, endsOn: cohort.endsOn },
    sessions: listCohortSessions(db, cohort.id).map((s) => ({
      id: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      topic: s.topic,
      moduleNameZh: s.moduleNameZh,
      moduleNameEn: s.moduleNameEn,
      marked: s.marked,
      attended: s.attended,
    })),
    canEdit,
    modules: canEdit ? listModules(db, programme.id).map((m) => ({ id: m.id, nameZh: m.nameZh, nameEn: m.nameEn })) : [],
    defaultDate: today < cohort.startsOn ? cohort.startsOn : today > cohort.endsOn ? cohort.endsOn : today,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:training");
  const access = cohortFromParams(user, params, "edit");
  const form = await parseForm(request, SessionSchema);
  if (!form.ok) return badForm(form);
  try {
    createTrainingSession(getDb(), actorOf(request, user), access.cohort.id, form.data, programClock().timeZone);
  } catch (e) {
    return refused(e, form.values);
  }
  return redirectWithFlash(`/training/cohorts/${access.cohort.id}/sessions`, { kind: "success", key: "training.session.created" });
}

export default function CohortTimetable() {
  const { cohort, sessions, canEdit, modules, defaultDate } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, dateTime, timeZone } = useT();
  const localName = useLocalName();
  const time = (iso: string) => dateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(new Date(iso));
  const labels = {
    date: t("training.session.date"),
    startTime: t("training.session.startTime"),
    endTime: t("training.session.endTime"),
    moduleId: t("training.session.module"),
    topic: t("training.session.topic"),
  };
  return (
    <>
      <p className="mb-2">
        <Link to="/training">← {t("training.back")}</Link>
      </p>
      <PageHeader title={`${t("training.cohort.name", { number: cohort.number })} · ${t("training.sessions.title")}`} badges={<CohortStatusBadge status={cohort.status} />} />
      <CohortNav cohortId={cohort.id} number={cohort.number} current="sessions" />
      <div className="grid gap-4">
        <Card title={t("training.sessions.title")}>
          {sessions.length === 0 ? (
            <EmptyState title={t("training.sessions.empty")}>{t("training.sessions.emptyHelp")}</EmptyState>
          ) : (
            <DataTable
              caption={t("training.sessions.caption")}
              rows={sessions}
              rowKey={(s) => s.id}
              columns={[
                {
                  key: "when",
                  header: t("training.sessions.when"),
                  primary: true,
                  cell: (s) => `${dateTime(s.startsAt)}–${time(s.endsAt)}`,
                },
                {
                  key: "module",
                  header: t("training.sessions.module"),
                  cell: (s) => (s.moduleNameZh ? localName({ nameZh: s.moduleNameZh, nameEn: s.moduleNameEn ?? s.moduleNameZh }) : "—"),
                },
                { key: "topic", header: t("training.sessions.topic"), cell: (s) => s.topic || "—" },
                {
                  key: "attendance",
                  header: t("training.sessions.attendance"),
                  cell: (s) => (
                    <span className="flex flex-wrap items-center gap-2">
                      <span>{t("training.sessions.marked", { attended: s.attended, marked: s.marked })}</span>
                      <Link to={`/training/cohorts/${cohort.id}/sessions/${s.id}`} className="inline-flex min-h-11 items-center">
                        {t("training.sessions.take")}
                      </Link>
                    </span>
                  ),
                },
              ]}
            />
          )}
        </Card>
        {canEdit && (
          <Card title={t("training.session.new")}>
            <Form method="post" noValidate>
              <ErrorSummary state={state} labels={labels} />
              <div className="grid gap-x-4 sm:grid-cols-3">
                <TextField name="date" type="date" label={labels.date} state={state} defaultValue={defaultDate} required />
                <TextField name="startTime" type="time" label={labels.startTime} state={state} defaultValue="09:00" required />
                <TextField name="endTime" type="time" label={labels.endTime} state={state} defaultValue="12:00" required />
              </div>
              <SelectField
                name="moduleId"
                label={labels.moduleId}
                state={state}
                placeholder={t("training.session.noModule")}
                options={modules.map((m) => ({ value: m.id, label: localName(m) }))}
              />
              <TextField name="topic" label={labels.topic} state={state} maxLength={200} />
              <FormActions>
                <Button>{t("training.session.create")}</Button>
              </FormActions>
            </Form>
          </Card>
        )}
      </div>
    </>
  );
}

export const meta = titled("training.sessions.title");
