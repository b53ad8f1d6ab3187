import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Button, Card, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { SettingsSchema, getSettings, saveSettings } from "~/domain/settings";
import { ORGANISATION_NAME_MAX, TIME_ZONE_MAX } from "~/domain/settings/limits";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:settings");
  return { settings: getSettings(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:settings");
  const form = await parseForm(request, SettingsSchema);
  if (!form.ok) return badForm(form);
  try {
    saveSettings(getDb(), actorOf(request, user), form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash("/admin/settings", { kind: "success", key: "settings.saved" });
}

export default function SettingsPage() {
  const { settings } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  const labels = {
    organisationNameZh: t("settings.organisationNameZh"),
    organisationNameEn: t("settings.organisationNameEn"),
    timeZone: t("settings.timeZone"),
    overdueThresholdDays: t("settings.overdueThresholdDays"),
  };
  return (
    <div className="max-w-2xl">
      <PageHeader title={t("settings.title")} subtitle={t("settings.intro")} />
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={labels} />
          <TextField
            name="organisationNameZh"
            label={labels.organisationNameZh}
            help={t("settings.organisationNameHelp")}
            state={state}
            defaultValue={settings.organisationNameZh}
            required
            maxLength={ORGANISATION_NAME_MAX}
          />
          <TextField
            name="organisationNameEn"
            label={labels.organisationNameEn}
            help={t("settings.organisationNameHelp")}
            state={state}
            defaultValue={settings.organisationNameEn}
            required
            maxLength={ORGANISATION_NAME_MAX}
          />
          <TextField
            name="timeZone"
            label={labels.timeZone}
            help={t("settings.timeZoneHelp")}
            state={state}
            defaultValue={settings.timeZone}
            required
            autoComplete="off"
            maxLength={TIME_ZONE_MAX}
          />
          <TextField
            name="overdueThresholdDays"
            type="number"
            inputMode="numeric"
            label={labels.overdueThresholdDays}
            help={t("settings.overdueThresholdDaysHelp")}
            state={state}
            defaultValue={settings.overdueThresholdDays}
            required
          />
          <FormActions>
            <Button>{t("settings.submit")}</Button>
          </FormActions>
        </Form>
      </Card>
      <Card title={t("volunteering.activities.title")} className="mt-6" actions={<LinkButton to="/hours/activities">{t("volunteering.activities.edit")}</LinkButton>}>
        <p className="text-muted">{t("volunteering.activities.intro")}</p>
      </Card>
    </div>
  );
}

export const meta = titled("settings.title");
