import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { SECOND_FACTOR_POLICIES } from "~/auth/second-factor";
import { getSecondFactorPolicy, setSecondFactorPolicy } from "~/auth/second-factor.server";
import { ErrorSummary, FormActions } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { databaseEncryption } from "~/domain/data/backup.server";
import { choice } from "~/domain/shared/fields";
import { badForm, parseForm } from "~/http/forms.server";
import { redirectWithFlash } from "~/http/flash.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:settings");
  const db = getDb();
  return { policy: getSecondFactorPolicy(db), encryption: databaseEncryption(db) };
}

const PolicySchema = z.object({ policy: choice(SECOND_FACTOR_POLICIES) });

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:settings");
  const form = await parseForm(request, PolicySchema);
  if (!form.ok) return badForm(form);
  setSecondFactorPolicy(getDb(), actorOf(request, user), form.data.policy);
  return redirectWithFlash("/admin/security", { kind: "success", key: "privacy.policy.saved" });
}

export default function AdminSecurity() {
  const { policy, encryption } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("privacy.security.title")} />
      {policy === "optional" && (
        <p role="status" className="mb-4 rounded-card border border-warn/40 bg-warn-soft p-3 text-warn" data-testid="second-factor-warning">
          {t("privacy.policy.optionalWarning")}
        </p>
      )}
      {!encryption.encrypted && (
        <p role="status" className="mb-4 rounded-card border border-warn/40 bg-warn-soft p-3 text-warn" data-testid="encryption-warning">
          {t("privacy.encryption.offWarning")}
        </p>
      )}
      <Card title={t("privacy.policy.title")}>
        <Form method="post">
          <ErrorSummary state={state} />
          <fieldset className="grid gap-2">
            <legend className="sr-only">{t("privacy.policy.title")}</legend>
            {SECOND_FACTOR_POLICIES.map((p) => (
              <label key={p} className="flex min-h-11 items-center gap-3">
                <input type="radio" name="policy" value={p} defaultChecked={p === policy} className="h-5 w-5" />
                {t(`privacy.policy.${p}`)}
              </label>
            ))}
          </fieldset>
          <FormActions>
            <Button>{t("privacy.policy.save")}</Button>
          </FormActions>
        </Form>
      </Card>
      {encryption.encrypted && (
        <Card title={t("privacy.encryption.title")} className="mt-4">
          <p data-testid="encryption-status">{t("privacy.encryption.on")}</p>
        </Card>
      )}
    </div>
  );
}

export const meta = titled("privacy.security.title");
