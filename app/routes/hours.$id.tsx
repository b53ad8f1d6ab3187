import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Badge, Button, Card, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import { getVolunteerActivities } from "~/domain/settings/volunteer-activities.server";
import { volunteerActivityLabel } from "~/domain/settings/volunteer-activities";
import { LogHoursSchema, editHours, loggableDistricts, ownHoursEntry, withdrawHours } from "~/domain/volunteering";
import { EDIT_WINDOW_DAYS, HOURS_STATUS_TONES, LOG_MAX_AGE_DAYS, NOTE_MAX, hoursText } from "~/domain/volunteering/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * One of my own entries: change it or withdraw it while it is pending and within 7 days of
 * logging; otherwise the page says why it is locked. Someone else's entry is 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "log:hours");
  const entryId = idFromParam(params.id);
  if (entryId === null) throw notFound();
  const db = getDb();
  const entry = ownHoursEntry(db, user, entryId);
  if (!entry) throw notFound();
  const districts = loggableDistricts(db, user.personId, entry.districtId);
  const activities = getVolunteerActivities(db);
  return {
    entry: {
      id: entry.id,
      workedOn: entry.workedOn,
      activity: entry.activity,
      hours: hoursText(entry.minutes),
      districtId: entry.districtId,
      note: entry.note,
      status: entry.status,
      fromSession: entry.sessionId !== null,
      editRefusal: entry.editRefusal,
    },
    // the entry's own activity and district stay choosable even if no longer offered
    activities: activities.filter((a) => a.active || a.id === entry.activity),
    allActivities: activities,
    districts,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "log:hours");
  const entryId = idFromParam(params.id);
  if (entryId === null) throw notFound();
  const db = getDb();
  const current = ownHoursEntry(db, user, entryId);
  if (!current) throw notFound();
  const actor = actorOf(request, user);
  const body = await request.clone().formData().catch(() => null);
  if (body?.get("intent") === "withdraw") {
    try {
      withdrawHours(db, actor, user, entryId);
    } catch (e) {
      return domainRefusal(e, {});
    }
    return redirectWithFlash("/hours", { kind: "success", key: "volunteering.flash.withdrawn" });
  }
  // an entry from a session keeps its day, hours, activity and district (only the note changes)
  const form = await parseForm(request, LogHoursSchema, ({ values }) =>
    current.sessionId !== null
      ? { ...values, activity: current.activity, workedOn: current.workedOn, hours: hoursText(current.minutes), districtId: String(current.districtId) }
      : values,
  );
  if (!form.ok) return badForm(form);
  try {
    editHours(db, actor, user, entryId, form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash("/hours", { kind: "success", key: "volunteering.flash.saved" });
}

export default function EditHours() {
  const { entry, activities, allActivities, districts } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, tm, locale, date } = useT();
  const labels = {
    activity: t("volunteering.field.activity"),
    workedOn: t("volunteering.field.workedOn"),
    hours: t("volunteering.field.hours"),
    districtId: t("volunteering.field.districtId"),
    note: t("volunteering.field.note"),
  };
  const districtName = (d: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? d.nameZh : d.nameEn);
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to="/hours" className="inline-flex min-h-11 items-center">
          ← {t("volunteering.edit.back")}
        </Link>
      </p>
      <PageHeader
        title={t("volunteering.edit.title")}
        subtitle={t("volunteering.edit.subtitle", { days: EDIT_WINDOW_DAYS })}
        badges={<Badge tone={HOURS_STATUS_TONES[entry.status]}>{t(`volunteering.status.${entry.status}`)}</Badge>}
      />
      {entry.editRefusal !== null ? (
        <Card title={t("volunteering.edit.lockedTitle")}>
          <p className="mb-3">{tm(entry.editRefusal)}</p>
          <p className="text-muted">
            {date(entry.workedOn)} · {volunteerActivityLabel(allActivities, entry.activity, locale)} · {t("volunteering.hoursValue", { hours: entry.hours })}
          </p>
        </Card>
      ) : (
        <>
          <Card className="mb-4">
            <Form method="post" noValidate>
              <ErrorSummary state={state} labels={labels} />
              <input type="hidden" name="intent" value="save" />
              {entry.fromSession ? (
                <p className="mb-4 text-muted">
                  {t("volunteering.edit.sessionFixed")} ({date(entry.workedOn)} · {volunteerActivityLabel(allActivities, entry.activity, locale)} ·{" "}
                  {t("volunteering.hoursValue", { hours: entry.hours })})
                </p>
              ) : (
                <>
                  <SelectField
                    name="activity"
                    label={labels.activity}
                    state={state}
                    required
                    defaultValue={entry.activity}
                    options={activities.map((a) => ({ value: a.id, label: locale === "zh-CN" ? a.zh : a.en }))}
                  />
                  <div className="grid gap-x-4 sm:grid-cols-2">
                    <TextField name="workedOn" type="date" label={labels.workedOn} help={t("volunteering.field.workedOnHelp", { days: LOG_MAX_AGE_DAYS })} state={state} defaultValue={entry.workedOn} required />
                    <TextField name="hours" inputMode="decimal" label={labels.hours} help={t("volunteering.field.hoursHelp")} state={state} defaultValue={entry.hours} required maxLength={6} />
                  </div>
                  <SelectField
                    name="districtId"
                    label={labels.districtId}
                    help={t("volunteering.field.districtHelp")}
                    state={state}
                    required
                    defaultValue={entry.districtId}
                    options={districts.map((d) => ({ value: d.id, label: districtName(d) }))}
                  />
                </>
              )}
              <TextField name="note" label={labels.note} help={t("volunteering.field.noteHelp", { max: NOTE_MAX })} state={state} defaultValue={entry.note} multiline maxLength={NOTE_MAX} />
              <FormActions>
                <Button>{t("volunteering.edit.save")}</Button>
                <LinkButton to="/hours" kind="secondary">
                  {t("form.cancel")}
                </LinkButton>
              </FormActions>
            </Form>
          </Card>
          <Card title={t("volunteering.edit.withdrawTitle")}>
            <p className="mb-3 text-muted">{t("volunteering.edit.withdrawHelp")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="withdraw" />
              <Button kind="danger">{t("volunteering.edit.withdraw")}</Button>
            </Form>
          </Card>
        </>
      )}
    </div>
  );
}

export const meta = titled("volunteering.edit.title");
