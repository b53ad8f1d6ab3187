import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ENROLMENT_PATH, SECOND_FACTOR_PATH, getOptionalUser } from "~/auth/guards.server";
import { attemptLogin } from "~/auth/login.server";
import { Button, Card } from "~/components/ui";
import { ErrorSummary, TextField } from "~/components/forms";
import { getDb } from "~/db.server";
import { isDemoDatabase } from "~/domain/settings";
import { SESSION_COOKIE, serializeCookie } from "~/http/cookies.server";
import { badForm, parseForm } from "~/http/forms.server";
import { clientIp, safeRedirect, userAgent } from "~/http/request.server";
import { msg } from "~/domain/shared/fields";
import { ABSOLUTE_TIMEOUT_MS } from "~/auth/session.server";
import { useT } from "~/i18n/use-t";
import { titled } from "~/i18n/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  // public route: an already signed-in person goes where they were heading
  const user = getOptionalUser(request);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (user) throw redirect(redirectTo);
  return { demo: isDemoDatabase(getDb()) };
}

const LoginSchema = z.object({
  login: z.string({ error: "form.required" }).trim().min(1, { error: "form.required" }).max(64, { error: msg("form.tooLong", { max: 64 }) }),
  password: z.string({ error: "form.required" }).min(1, { error: "form.required" }).max(256, { error: msg("form.tooLong", { max: 256 }) }),
  redirectTo: z.string().optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const form = await parseForm(request, LoginSchema);
  if (!form.ok) return badForm(form);
  const result = await attemptLogin(getDb(), {
    login: form.data.login,
    password: form.data.password,
    ip: clientIp(request),
    userAgent: userAgent(request),
  });
  if (!result.ok) {
    const message =
      result.reason === "locked" ? msg("login.locked", { minutes: result.minutes }) : result.reason === "rateLimited" ? "login.rateLimited" : "login.invalid";
    return badForm({ errors: { _form: message }, values: form.values }, result.reason === "rateLimited" ? 429 : 400);
  }
  const back = safeRedirect(form.data.redirectTo);
  const to =
    result.secondFactor === "verify"
      ? `${SECOND_FACTOR_PATH}${back === "/" ? "" : `?redirectTo=${encodeURIComponent(back)}`}`
      : result.secondFactor === "enrol"
        ? ENROLMENT_PATH
        : result.mustChangePassword
          ? "/account/password"
          : back;
  return redirect(to, {
    headers: { "Set-Cookie": serializeCookie(SESSION_COOKIE, result.token, { maxAgeSeconds: ABSOLUTE_TIMEOUT_MS / 1000 }) },
  });
}

export default function LoginPage() {
  const { demo } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-4">{t("login.heading")}</h1>
      {demo && (
        <p className="mb-4 rounded-card border border-warn/40 bg-warn-soft p-3 text-warn" data-testid="demo-notice">
          {t("app.demoNotice")}
        </p>
      )}
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} />
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <TextField name="login" label={t("login.login")} state={state} required autoComplete="username" />
          <TextField name="password" type="password" label={t("login.password")} state={state} required autoComplete="current-password" />
          <Button className="w-full" disabled={navigation.state === "submitting"}>
            {t("login.submit")}
          </Button>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("login.title");
