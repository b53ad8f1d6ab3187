import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { CheckboxField, ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { activitiesFromForm, getVolunteerActivities, saveVolunteerActivities } from "~/domain/settings/volunteer-activities.server";
import { VOLUNTEER_ACTIVITY_LABEL_MAX } from "~/domain/settings/volunteer-activities";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, readForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * The volunteer activities (settings, admins): labels in both languages, offered or not, and one
 * new activity at a time. An activity is never removed (old entries keep their label). Linked
 * from the settings page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:settings");
  return { activities: getVolunteerActivities(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:settings");
  const db = getDb();
  const input = await readForm(request);
  if (!input) return badForm({ errors: { _form: "form.badRequest" }, values: {} });
  const parsed = activitiesFromForm(getVolunteerActivities(db), input.values);
  if (!parsed.ok) return badForm({ errors: parsed.errors, values: input.values });
  try {
    saveVolunteerActivities(db, actorOf(request, user), parsed.list);
  } catch (e) {
    return domainRefusal(e, input.values);
  }
  return redirectWithFlash("/admin/settings", { kind: "success", key: "volunteering.activities.saved" });
}

export default function VolunteerActivitiesPage() {
  const { activities } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  // a re-rendered failed form keeps the ticks as typed (an unticked box sends nothing)
  const ticked = (id: string, active: boolean) => (state?.values ? state.values[`active-${id}`] === "on" : active);
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to="/admin/settings" className="inline-flex min-h-11 items-center">
          ← {t("settings.title")}
        </Link>
      </p>
      <PageHeader title={t("volunteering.activities.title")} subtitle={t("volunteering.activities.intro")} />
      <Form method="post" noValidate>
        <ErrorSummary state={state} />
        {activities.map((a) => (
          <Card key={a.id} className="mb-3">
            <p className="mb-2 font-mono text-sm text-muted">{a.id}</p>
            <div className="grid gap-x-4 sm:grid-cols-2">
              <TextField name={`zh-${a.id}`} label={t("volunteering.activities.zh", { id: a.id })} state={state} defaultValue={a.zh} required maxLength={VOLUNTEER_ACTIVITY_LABEL_MAX} />
              <TextField name={`en-${a.id}`} label={t("volunteering.activities.en", { id: a.id })} state={state} defaultValue={a.en} required maxLength={VOLUNTEER_ACTIVITY_LABEL_MAX} />
            </div>
            <CheckboxField name={`active-${a.id}`} label={t("volunteering.activities.active", { id: a.id })} defaultChecked={ticked(a.id, a.active)} />
          </Card>
        ))}
        <Card className="mb-3">
          <TextField name="newId" label={t("volunteering.activities.newId")} state={state} maxLength={32} autoComplete="off" />
          <div className="grid gap-x-4 sm:grid-cols-2">
            <TextField name="newZh" label={t("volunteering.activities.newZh")} state={state} maxLength={VOLUNTEER_ACTIVITY_LABEL_MAX} />
            <TextField name="newEn" label={t("volunteering.activities.newEn")} state={state} maxLength={VOLUNTEER_ACTIVITY_LABEL_MAX} />
          </div>
        </Card>
        <FormActions>
          <Button>{t("volunteering.activities.save")}</Button>
        </FormActions>
      </Form>
    </div>
  );
}

export const meta = titled("volunteering.activities.title");
