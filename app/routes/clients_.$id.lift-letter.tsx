import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary } from "~/components/forms";
import { useNonce } from "~/components/nonce";
import { Button } from "~/components/ui";
import { getDb } from "~/db.server";
import { liftLetter, programToday, revealNameForLiftLetter } from "~/domain/clients";
import { requireClient } from "~/http/client-guard.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import type { Locale } from "~/i18n/config";
import { formatDate } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { translate, type TranslateParams } from "~/i18n/translate";
import { useT } from "~/i18n/use-t";

/**
 * The printable request to the police to lift dynamic monitoring of a recognised client: both
 * languages on one A4 page, the organisation's name from settings, the alias, case number and
 * recognition date. No real name: a blank line to fill in by hand — unless a viewer who may
 * reveal the identity asks for it (a POST), which is an audited reveal (reveal_identity,
 * part lift_letter). For the people who send it: the social worker, coordinators, admins.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access } = requireClient(request, params, {
    audit: "lift_letter",
    allow: (can) => can.writeCaseRecords || can.approvePlan || can.revealIdentity,
  });
  if (!access.can.writeCaseRecords && !access.can.approvePlan && !access.can.revealIdentity) throw forbidden();
  const db = getDb();
  return {
    clientId: access.client.id,
    letter: liftLetter(db, access.client, programToday(db)),
    canReveal: access.can.revealIdentity,
  };
}

const IncludeIdentitySchema = z.object({ intent: z.literal("includeIdentity", { error: "form.badRequest" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { access, actor } = requireClient(request, params);
  // only a viewer who may reveal the identity can ask for the name (the social worker, admins)
  if (!access.can.revealIdentity) throw forbidden();
  const form = await parseForm(request, IncludeIdentitySchema);
  if (!form.ok) return badForm({ errors: { _form: "form.badRequest" }, values: form.values });
  try {
    // an audited read, not a change: the letter is shown again, with the name
    return { ok: true as const, realName: revealNameForLiftLetter(getDb(), actor, access) };
  } catch (e) {
    return domainRefusal(e, form.values);
  }
}

const LOCALES: Locale[] = ["zh-CN", "en"];

export default function LiftLetter() {
  const { clientId, letter, canReveal } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useT();
  const nonce = useNonce();
  const revealed = result && result.ok ? { name: result.realName } : null;
  return (
    <article className="mx-auto max-w-[210mm] bg-white text-ink print:max-w-none">
      <style nonce={nonce}>{`@page { size: A4; margin: 14mm 16mm; }`}</style>
      <div className="mb-4 space-y-3 print:hidden">
        <div className="flex flex-wrap gap-3">
          {letter && (
            <Button type="button" onClick={() => window.print()}>
              {t("casework.print.print")}
            </Button>
          )}
          <Link to={`/clients/${clientId}/recognition`} className="inline-flex min-h-11 items-center px-2">
            {t("casework.print.back")}
          </Link>
        </div>
        {result && !result.ok && <ErrorSummary state={result} />}
        {letter && canReveal && !revealed && (
          <Form method="post" className="rounded-card border border-line p-3">
            <input type="hidden" name="intent" value="includeIdentity" />
            <p className="mb-2 text-sm text-muted">{t("casework.letter.includeHelp")}</p>
            <Button kind="secondary">{t("casework.letter.includeIdentity")}</Button>
          </Form>
        )}
        {revealed && (
          <p role="status" className="rounded-card border border-warn/40 bg-warn-soft p-3 text-warn">
            {revealed.name ? t("casework.letter.identityIncluded") : t("casework.letter.noIdentity")}
          </p>
        )}
      </div>
      {!letter ? (
        <p>{t("casework.letter.notRecognised")}</p>
      ) : (
        <>
          <h1 className="sr-only">{t("casework.letter.title")}</h1>
          {LOCALES.map((locale, i) => (
            <LetterPart key={locale} locale={locale} letter={letter} realName={revealed?.name ?? null} divider={i > 0} />
          ))}
        </>
      )}
    </article>
  );
}

type Letter = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["letter"]>;

/** One language's half of the letter; its texts are fixed to that language whatever the reader's. */
function LetterPart({ locale, letter, realName, divider }: { locale: Locale; letter: Letter; realName: string | null; divider: boolean }) {
  const tr = (key: MessageKey, params?: TranslateParams) => translate(locale, key, params);
  const d = (v: string) => formatDate(locale, v);
  const zh = locale === "zh-CN";
  return (
    <section lang={locale} className={divider ? "mt-6 border-t border-dashed border-ink pt-5 break-inside-avoid" : "break-inside-avoid"}>
      <header className="mb-3 flex items-baseline justify-between text-sm">
        <span className="font-semibold">{zh ? letter.organisationNameZh : letter.organisationNameEn}</span>
        <span>{tr("casework.letter.date", { date: d(letter.date) })}</span>
      </header>
      <h2 className="mb-3 text-center text-lg font-bold">
        {tr("casework.letter.title")}
      </h2>
      <p className="mb-2">{tr("casework.letter.to")}</p>
      <p className={zh ? "mb-3 indent-8 leading-7" : "mb-3 leading-7"}>
        {tr("casework.letter.body", {
          alias: letter.alias,
          caseNumber: letter.caseNumber,
          district: zh ? letter.districtZh : letter.districtEn,
          since: d(letter.abstinentSince),
          recognisedOn: d(letter.recognisedOn),
        })}
      </p>
      <p className="mb-4">
        {tr("casework.letter.realName")}
        {zh ? "：" : ": "}
        {realName ? <span className="font-semibold">{realName}</span> : <span className="inline-block w-48 border-b border-ink align-bottom">&nbsp;</span>}
      </p>
      <div className="mt-6 grid grid-cols-2 gap-8 text-sm">
        <div>
          <div className="h-8 border-b border-ink" />
          <p className="mt-1">{tr("casework.letter.signature")}</p>
        </div>
        <div>
          <div className="h-8 border-b border-ink" />
          <p className="mt-1">{tr("casework.letter.seal")}</p>
        </div>
      </div>
    </section>
  );
}

export const meta = titled("casework.letter.title");
