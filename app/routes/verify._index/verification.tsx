/**
 * The public verification page, shared by /verify and /verify/$number: the answer (if any) and
 * the form. What was typed comes back from the URL, never from the server's answer, so the
 * server's answers for an unknown number and a wrong code stay identical.
 * Not a route (no route.tsx name), nothing server-only.
 */
import { Form } from "@remix-run/react";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Badge, Button, Card, PageHeader, type Tone } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { Fact, Facts } from "../registry._index/parts";

/** What the verification loaders answer (verify.server.ts). */
export type VerifyPageData =
  | { state: "form" }
  | { state: "limited" }
  | { state: "invalid"; errors: { number?: string; code?: string } }
  | { state: "no_match" }
  | {
      state: "answer";
      answer: { result: "valid" | "expired" | "revoked" | "not_valid"; holderName: string; issuedOn: string; expiresOn: string; revokedOn: string | null };
    };

const TONES: Record<string, Tone> = { valid: "ok", expired: "warn", revoked: "danger", not_valid: "danger" };

export function VerificationPage({ data, number, code }: { data: VerifyPageData; number: string; code: string }) {
  const { t, date } = useT();
  const state = { errors: data.state === "invalid" ? data.errors : undefined, values: { number, code } };
  const labels = { number: t("registry.verify.number"), code: t("registry.verify.code") };
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title={t("registry.verify.title")} subtitle={t("registry.verify.intro")} />

      {data.state === "answer" && (
        <Card className="mb-4" title={<Badge tone={TONES[data.answer.result] ?? "neutral"}>{t(`registry.verify.result.${data.answer.result}` as MessageKey)}</Badge>}>
          <p className="mb-3 text-lg">{t(`registry.verify.body.${data.answer.result}` as MessageKey)}</p>
          <Facts>
            <Fact label={t("registry.verify.holder")}>{data.answer.holderName}</Fact>
            <Fact label={t("registry.verify.issued")}>{date(data.answer.issuedOn)}</Fact>
            <Fact label={t("registry.verify.validUntil")}>{date(data.answer.expiresOn)}</Fact>
            {data.answer.revokedOn && <Fact label={t("registry.verify.revokedOn")}>{date(data.answer.revokedOn)}</Fact>}
          </Facts>
        </Card>
      )}
      {data.state === "no_match" && (
        <Card className="mb-4" title={t("registry.verify.noMatch.title")}>
          <p>{t("registry.verify.noMatch.body")}</p>
        </Card>
      )}
      {data.state === "limited" && (
        <Card className="mb-4" title={t("registry.verify.limited.title")}>
          <p>{t("registry.verify.limited.body")}</p>
        </Card>
      )}

      <Card title={data.state === "answer" ? t("registry.verify.again") : undefined}>
        <Form method="get" action="/verify" noValidate>
          <ErrorSummary state={state} labels={labels} />
          <TextField
            name="number"
            label={labels.number}
            help={t("registry.verify.numberHelp")}
            state={state}
            required
            maxLength={40}
            autoComplete="off"
          />
          <TextField name="code" label={labels.code} help={t("registry.verify.codeHelp")} state={state} required maxLength={20} autoComplete="off" />
          <FormActions>
            <Button>{t("registry.verify.submit")}</Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}
