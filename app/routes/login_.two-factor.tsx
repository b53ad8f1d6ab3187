import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ENROLMENT_PATH, actorOf, getOptionalUser } from "~/auth/guards.server";
import { recoveryCodesLeft, verifySecondFactor } from "~/auth/second-factor.server";
import type { SessionUser } from "~/auth/roles";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { msg } from "~/domain/shared/fields";
import { SESSION_COOKIE, clearCookie } from "~/http/cookies.server";
import { badForm, parseForm } from "~/http/forms.server";
import { redirectWithFlash } from "~/http/flash.server";
import { safeRedirect } from "~/http/request.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/** Only a session whose password was accepted and whose code is still to come may use this page. */
function requirePendingSession(request: Request): SessionUser {
  const user = getOptionalUser(request, { includePending: true });
  if (!user) throw redirect("/login");
  if (user.secondFactor === "enrol") throw redirect(ENROLMENT_PATH);
  if (user.secondFactor === "ok") throw redirect("/");
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  requirePendingSession(request);
  return null;
}

const CodeSchema = z.object({
  code: z.string({ error: "form.required" }).trim().min(1, { error: "form.required" }).max(40, { error: msg("form.tooLong", { max: 40 }) }),
  redirectTo: z.string().max(2000).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const user = requirePendingSession(request);
  const form = await parseForm(request, CodeSchema, undefined, { secretFields: ["code"] });
  if (!form.ok) return badForm(form);
  const db = getDb();
  const outcome = verifySecondFactor(db, actorOf(request, user), user.id, user.sessionId, form.data.code);
  if (!outcome.ok) {
    if (outcome.reason === "locked") {
      return redirectWithFlash("/login", { kind: "error", key: "privacy.twoFactor.locked" }, { headers: { "Set-Cookie": clearCookie(SESSION_COOKIE) } });
    }
    return badForm({ errors: { code: "privacy.twoFactor.wrongCode" }, values: {} });
  }
  const to = safeRedirect(form.data.redirectTo);
  if (outcome.usedRecoveryCode) {
    return redirectWithFlash(to, { kind: "info", key: "privacy.twoFactor.usedRecovery", params: { count: recoveryCodesLeft(db, user.id) } });
  }
  return redirect(to);
}

export default function SecondFactorPage() {
  const state = useActionData<typeof action>();
  const { t } = useT();
  const [params] = useSearchParams();
  return (
    <div className="mx-auto max-w-md">
      <PageHeader title={t("privacy.twoFactor.verifyTitle")} subtitle={t("privacy.twoFactor.verifyIntro")} />
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={{ code: t("privacy.twoFactor.code") }} />
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <TextField
            name="code"
            label={t("privacy.twoFactor.code")}
            help={t("privacy.twoFactor.codeHelp")}
            state={state}
            required
            autoComplete="one-time-code"
            inputMode="text"
          />
          <FormActions>
            <Button className="w-full">{t("privacy.twoFactor.verify")}</Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("privacy.twoFactor.verifyTitle");
