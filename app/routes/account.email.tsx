import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, forbidden, requireUser } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { mailConfigured } from "~/domain/notifications/email.server";
import { EmailSchema, getOwnEmail, setOwnEmail } from "~/domain/notifications/email-address.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  // anyone who holds a role (notifications come with roles): their own address only
  const user = requireUser(request);
  if (user.roles.length === 0) throw forbidden();
  return { email: getOwnEmail(getDb(), user.id) ?? "", mailOn: mailConfigured() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request);
  if (user.roles.length === 0) throw forbidden();
  const form = await parseForm(request, EmailSchema);
  if (!form.ok) return badForm(form);
  setOwnEmail(getDb(), actorOf(request, user), user.id, form.data.email);
  return redirectWithFlash("/account/email", { kind: "success", key: form.data.email ? "dashboard.email.saved" : "dashboard.email.removed" });
}

export default function AccountEmail() {
  const { email, mailOn } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  return (
    <div className="max-w-lg">
      <PageHeader title={t("dashboard.email.title")} subtitle={t("dashboard.email.intro")} />
      {!mailOn && <p className="mb-4 rounded-card border border-line bg-neutral-soft p-3">{t("dashboard.email.off")}</p>}
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={{ email: t("dashboard.email.field") }} />
          <TextField name="email" type="email" label={t("dashboard.email.field")} help={t("dashboard.email.help")} state={state} defaultValue={email} autoComplete="email" maxLength={254} />
          <FormActions>
            <Button>{t("form.save")}</Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("dashboard.email.title");
