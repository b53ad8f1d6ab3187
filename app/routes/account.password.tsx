import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUser } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { changeOwnPassword } from "~/domain/people";
import { msg, newPassword } from "~/domain/shared/fields";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { redirectWithFlash } from "~/http/flash.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  // any signed-in person, including one who must change a reset password first
  const user = requireUser(request, { allowPasswordChange: true });
  return { forced: user.mustChangePassword };
}

const PasswordSchema = z
  .object({
    current: z.string({ error: "form.required" }).min(1, { error: "form.required" }).max(256, { error: msg("form.tooLong", { max: 256 }) }),
    next: newPassword,
    confirm: z.string({ error: "form.required" }).min(1, { error: "form.required" }).max(256, { error: msg("form.tooLong", { max: 256 }) }),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], error: "account.password.mismatch" });

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request, { allowPasswordChange: true });
  const form = await parseForm(request, PasswordSchema, undefined, { secretFields: ["current", "next", "confirm"] });
  // every field here is a password: none is sent back (the names do not say "password")
  if (!form.ok) return badForm(form);
  try {
    await changeOwnPassword(getDb(), actorOf(request, user), {
      userId: user.id,
      currentSessionId: user.sessionId,
      current: form.data.current,
      next: form.data.next,
    });
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash("/", { kind: "success", key: "account.password.changed" });
}

export default function ChangePassword() {
  const { forced } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  return (
    <div className="max-w-lg">
      <PageHeader title={t("account.password.title")} />
      {forced && <p className="mb-4 rounded-card border border-warn/40 bg-warn-soft p-3 text-warn">{t("account.password.forced")}</p>}
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={{ current: t("account.password.current"), next: t("account.password.new"), confirm: t("account.password.confirm") }} />
          <TextField name="current" type="password" label={t("account.password.current")} state={state} required autoComplete="current-password" />
          <TextField name="next" type="password" label={t("account.password.new")} help={t("account.password.newHelp")} state={state} required autoComplete="new-password" />
          <TextField name="confirm" type="password" label={t("account.password.confirm")} state={state} required autoComplete="new-password" />
          <FormActions>
            <Button>{t("account.password.submit")}</Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("account.password.title");
