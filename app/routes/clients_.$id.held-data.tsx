import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { forbidden } from "~/auth/guards.server";
import { useNonce } from "~/components/nonce";
import { Button } from "~/components/ui";
import { getDb } from "~/db.server";
import { programToday } from "~/domain/clients";
import { subjectAccessExport, type HeldData } from "~/domain/clients/rights.server";
import { getSettings } from "~/domain/settings";
import { requireClient } from "~/http/client-guard.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * Everything held about a client, for the client (a person's right of access): printable (A4,
 * no navigation) or, with ?format=json, a JSON file. Only the client's social worker and admins;
 * each copy is audited as a view and as an identity read (ADR 0004: the one write a GET makes).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, actor } = requireClient(request, params);
  if (!access.can.revealIdentity) throw forbidden();
  const db = getDb();
  const held = subjectAccessExport(db, actor, access);
  if (new URL(request.url).searchParams.get("format") === "json") {
    return new Response(JSON.stringify(held, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="client-${held.clientId}-held-data.json"`,
        "Cache-Control": "no-store",
      },
    });
  }
  const settings = getSettings(db);
  return { held, organisation: { zh: settings.organisationNameZh, en: settings.organisationNameEn }, today: programToday(db) };
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export default function HeldDataPrint() {
  // the JSON answer is a file download and never renders; the page always has the printable data
  const { held, organisation, today } = useLoaderData<typeof loader>() as unknown as {
    held: HeldData;
    organisation: { zh: string; en: string };
    today: string;
  };
  const { t, locale, date } = useT();
  const nonce = useNonce();
  return (
    <article className="mx-auto max-w-[210mm] bg-white text-ink print:max-w-none">
      <style nonce={nonce}>{`@page { size: A4; margin: 16mm 14mm 18mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }`}</style>
      <div className="mb-4 flex flex-wrap gap-3 print:hidden">
        <Button type="button" onClick={() => window.print()}>
          {t("casework.print.print")}
        </Button>
        <Link to={`/clients/${held.clientId}/rights`} className="inline-flex min-h-11 items-center px-2">
          {t("casework.print.back")}
        </Link>
      </div>
      <header className="mb-4 flex items-baseline justify-between border-b-2 border-ink pb-2 text-sm">
        <span className="font-semibold">{locale === "zh-CN" ? organisation.zh : organisation.en}</span>
        <span>{t("casework.print.printedOn", { date: date(today) })}</span>
      </header>
      <h1 className="mb-1 text-center text-xl">{t("privacy.rights.heldTitle")}</h1>
      <p className="mb-4 text-center">
        {held.alias} · {held.caseNumber}
      </p>
      <p className="mb-4 text-sm">{t("privacy.rights.heldIntro")}</p>
      {held.sections.map((section) => (
        <section key={section.key} className="mb-4 break-inside-avoid-page">
          <h2 className="mb-1 text-base font-semibold">
            {t(`privacy.rights.section.${section.key}` as Parameters<typeof t>[0])} ({section.rows.length})
          </h2>
          {section.rows.length === 0 ? (
            <p className="text-sm text-muted">{t("privacy.rights.sectionEmpty")}</p>
          ) : (
            section.rows.map((row, i) => (
              <table key={i} className="mb-2 w-full border-collapse text-sm">
                <tbody>
                  {Object.entries(row).map(([k, v]) => (
                    <tr key={k}>
                      <th scope="row" className="w-1/4 border border-line px-2 py-1 text-left font-medium">
                        {k}
                      </th>
                      <td className="whitespace-pre-wrap break-words border border-line px-2 py-1">{cell(v)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))
          )}
        </section>
      ))}
    </article>
  );
}

export const meta = titled("privacy.rights.heldTitle");
