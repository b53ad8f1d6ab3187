import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUser } from "~/auth/guards.server";
import {
  beginEnrolment,
  confirmEnrolment,
  getSecondFactorPolicy,
  hasSecondFactor,
  pendingEnrolment,
  recoveryCodesLeft,
  secondFactorRequired,
} from "~/auth/second-factor.server";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Badge, Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { choice, msg } from "~/domain/shared/fields";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { redirectWithFlash } from "~/http/flash.server";
import { qrSvg } from "~/http/qr.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  // any signed-in person, including one whose role makes this set-up the first thing to do
  const user = requireUser(request, { allowEnrolment: true, allowPasswordChange: true });
  const db = getDb();
  const enrolled = hasSecondFactor(db, user.id);
  const pending = enrolled ? null : pendingEnrolment(db, user);
  return {
    enrolled,
    forced: user.secondFactor === "enrol",
    required: secondFactorRequired(getSecondFactorPolicy(db), user.roles),
    codesLeft: enrolled ? recoveryCodesLeft(db, user.id) : 0,
    pending: pending && !pending.expired ? { secret: pending.secret, expiresAt: pending.expiresAt, qr: await qrSvg(pending.uri) } : null,
    expired: Boolean(pending?.expired),
  };
}

const TwoFactorSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start") }),
  z.object({
    intent: z.literal("confirm"),
    code: z.string({ error: "form.required" }).trim().min(1, { error: "form.required" }).max(40, { error: msg("form.tooLong", { max: 40 }) }),
  }),
]);
const IntentSchema = z.object({ intent: choice(["start", "confirm"]) });

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request, { allowEnrolment: true, allowPasswordChange: true });
  const form = await parseForm(request, TwoFactorSchema, undefined, { secretFields: ["code"] });
  if (!form.ok) {
    if (!IntentSchema.safeParse(form.values).success) return badForm({ errors: { _form: "form.invalid" }, values: {} });
    return badForm(form);
  }
  const db = getDb();
  const actor = actorOf(request, user);
  if (form.data.intent === "start") {
    try {
      beginEnrolment(db, actor, user);
    } catch (e) {
      return domainRefusal(e, {});
    }
    return redirectWithFlash("/account/two-factor", { kind: "info", key: "privacy.twoFactor.scan" });
  }
  const outcome = confirmEnrolment(db, actor, user.id, user.sessionId, form.data.code);
  if (!outcome.ok) {
    if (outcome.reason === "locked") return redirectWithFlash("/login", { kind: "error", key: "privacy.twoFactor.locked" });
    const key = outcome.reason === "expired" ? "privacy.twoFactor.expired" : "privacy.twoFactor.wrongCode";
    return badForm({ errors: { code: key }, values: {} });
  }
  // the recovery codes are shown once, in this answer, and never stored in readable form;
  // sending the form again is refused (the code is spent), so a refresh cannot show them twice
  return { recoveryCodes: outcome.recoveryCodes ?? [] };
}

export default function TwoFactorPage() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, dateTime } = useT();
  const codes = state && "recoveryCodes" in state ? state.recoveryCodes : null;
  const errorState = state && "errors" in state ? state : undefined;
  if (codes) {
    return (
      <div className="max-w-lg">
        <PageHeader title={t("privacy.twoFactor.recoveryTitle")} subtitle={t("privacy.twoFactor.turnedOn")} />
        <Card>
          <p className="mb-3">{t("privacy.twoFactor.recoveryIntro")}</p>
          <ol className="mb-4 grid grid-cols-2 gap-2 font-mono text-lg" data-testid="recovery-codes">
            {codes.map((c: string) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
          <Link to="/" className="inline-flex min-h-11 items-center rounded-lg bg-brand px-4 font-medium text-white no-underline">
            {t("privacy.twoFactor.continue")}
          </Link>
        </Card>
      </div>
    );
  }
  return (
    <div className="max-w-lg">
      <PageHeader
        title={t("privacy.twoFactor.title")}
        subtitle={t("privacy.twoFactor.intro")}
        badges={<Badge tone={data.enrolled ? "ok" : "neutral"}>{t(data.enrolled ? "privacy.twoFactor.statusOn" : "privacy.twoFactor.statusOff")}</Badge>}
      />
      {(data.forced || (data.required && !data.enrolled)) && (
        <p className="mb-4 rounded-card border border-warn/40 bg-warn-soft p-3 text-warn">{t("privacy.twoFactor.required")}</p>
      )}
      {data.enrolled ? (
        <Card>
          <p>{t("privacy.twoFactor.enrolled")}</p>
          <p className="text-muted">{t("privacy.twoFactor.codesLeft", { count: data.codesLeft })}</p>
        </Card>
      ) : data.pending ? (
        <Card>
          <p>{t("privacy.twoFactor.scan")}</p>
          <div
            role="img"
            aria-label={t("privacy.twoFactor.qrLabel")}
            className="my-3 h-56 w-56 [&>svg]:h-full [&>svg]:w-full"
            // the SVG is the qrcode library's output: paths only, built from the person's own key URI
            dangerouslySetInnerHTML={{ __html: data.pending.qr }}
          />
          <p className="text-sm">{t("privacy.twoFactor.manual")}</p>
          <p className="mb-3 break-all font-mono" data-testid="totp-secret">
            {data.pending.secret}
          </p>
          <p className="text-sm text-muted">{t("privacy.twoFactor.expiresAt", { time: dateTime(data.pending.expiresAt) })}</p>
          <Form method="post" noValidate className="mt-4">
            <ErrorSummary state={errorState} labels={{ code: t("privacy.twoFactor.code") }} />
            <input type="hidden" name="intent" value="confirm" />
            <p>{t("privacy.twoFactor.enterCode")}</p>
            <TextField name="code" label={t("privacy.twoFactor.code")} state={errorState} required autoComplete="one-time-code" inputMode="numeric" />
            <FormActions>
              <Button>{t("privacy.twoFactor.confirm")}</Button>
            </FormActions>
          </Form>
        </Card>
      ) : (
        <Card>
          {data.expired && <p className="mb-3 text-warn">{t("privacy.twoFactor.expired")}</p>}
          <ErrorSummary state={errorState} />
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <Button>{t(data.expired ? "privacy.twoFactor.restart" : "privacy.twoFactor.start")}</Button>
          </Form>
        </Card>
      )}
    </div>
  );
}

export const meta = titled("privacy.twoFactor.title");
