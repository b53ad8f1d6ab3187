import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { forbidden } from "~/auth/guards.server";
import { useNonce } from "~/components/nonce";
import { Button } from "~/components/ui";
import { getDb } from "~/db.server";
import { clientHeader, getPlan, programToday } from "~/domain/clients";
import { getSettings } from "~/domain/settings";
import { id } from "~/domain/shared/fields";
import { requireClient } from "~/http/client-guard.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * The printable service plan: A4, no navigation (the app bar is hidden in print), the
 * organisation's name and the date in the header, page numbers in the footer, in the reader's
 * language. Outside the client layout (the `_` escape) so no tabs print. ?version= prints an
 * older version.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access } = requireClient(request, params, { audit: "plan_print" });
  if (!access.can.readCaseRecords) throw forbidden();
  const db = getDb();
  const raw = new URL(request.url).searchParams.get("version");
  const wanted = raw ? id.safeParse(raw) : null;
  const plan = getPlan(db, access.client.id, wanted?.success ? wanted.data : null);
  const settings = getSettings(db);
  return {
    client: clientHeader(db, access),
    plan,
    organisation: { zh: settings.organisationNameZh, en: settings.organisationNameEn },
    today: programToday(db),
  };
}

export default function PlanPrint() {
  const { client, plan, organisation, today } = useLoaderData<typeof loader>();
  const { t, locale, date, dateTime } = useT();
  const nonce = useNonce();
  const back = `/clients/${client.id}/plan${plan && !plan.latest ? `?version=${plan.id}` : ""}`;
  return (
    <article className="mx-auto max-w-[210mm] bg-white text-ink print:max-w-none">
      <style nonce={nonce}>{`@page { size: A4; margin: 16mm 14mm 18mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }`}</style>
      <div className="mb-4 flex flex-wrap gap-3 print:hidden">
        <Button type="button" onClick={() => window.print()}>
          {t("casework.print.print")}
        </Button>
        <Link to={back} className="inline-flex min-h-11 items-center px-2">
          {t("casework.print.back")}
        </Link>
      </div>
      <header className="mb-4 flex items-baseline justify-between border-b-2 border-ink pb-2 text-sm">
        <span className="font-semibold">{locale === "zh-CN" ? organisation.zh : organisation.en}</span>
        <span>{t("casework.print.printedOn", { date: date(today) })}</span>
      </header>
      <h1 className="mb-3 text-center text-xl">{t("casework.plan.title")}</h1>
      <table className="mb-4 w-full border-collapse text-sm">
        <tbody>
          <tr>
            <th scope="row" className="w-1/5 border border-line px-2 py-1 text-left font-medium">
              {t("casework.print.alias")}
            </th>
            <td className="border border-line px-2 py-1">{client.alias}</td>
            <th scope="row" className="w-1/5 border border-line px-2 py-1 text-left font-medium">
              {t("casework.print.caseNumber")}
            </th>
            <td className="border border-line px-2 py-1">{client.caseNumber}</td>
          </tr>
          <tr>
            <th scope="row" className="border border-line px-2 py-1 text-left font-medium">
              {t("casework.print.district")}
            </th>
            <td className="border border-line px-2 py-1">{locale === "zh-CN" ? client.district.zh : client.district.en}</td>
            <th scope="row" className="border border-line px-2 py-1 text-left font-medium">
              {t("casework.print.status")}
            </th>
            <td className="border border-line px-2 py-1">
              {plan ? `${t("casework.plan.version", { n: plan.version })} · ${t(`casework.planStatus.${plan.status}`)}` : "—"}
            </td>
          </tr>
          {plan && (
            <tr>
              <th scope="row" className="border border-line px-2 py-1 text-left font-medium">
                {t("casework.plan.reviewDue")}
              </th>
              <td className="border border-line px-2 py-1">{plan.reviewDue ? date(plan.reviewDue) : t("casework.plan.reviewDueNone")}</td>
              <th scope="row" className="border border-line px-2 py-1 text-left font-medium">
                {t("casework.pending.author")}
              </th>
              <td className="border border-line px-2 py-1">{plan.author}</td>
            </tr>
          )}
        </tbody>
      </table>
      {!plan ? (
        <p>{t("casework.plan.none")}</p>
      ) : (
        <>
          {plan.status === "approved" && plan.decidedBy && plan.decidedAt && (
            <p className="mb-3 text-sm">{t("casework.plan.approvedBy", { name: plan.decidedBy, date: dateTime(plan.decidedAt) })}</p>
          )}
          {plan.note && <p className="mb-3 whitespace-pre-line text-sm">{plan.note}</p>}
          <table className="w-full border-collapse text-sm">
            <caption className="mb-1 text-left font-semibold">{t("casework.plan.goals")}</caption>
            <thead>
              <tr>
                <th scope="col" className="border border-line px-2 py-1 text-left">{t("casework.goal.area")}</th>
                <th scope="col" className="border border-line px-2 py-1 text-left">{t("casework.goal.goal")}</th>
                <th scope="col" className="border border-line px-2 py-1 text-left">{t("casework.goal.action")}</th>
                <th scope="col" className="border border-line px-2 py-1 text-left">{t("casework.goal.owner")}</th>
                <th scope="col" className="border border-line px-2 py-1 text-left">{t("casework.goal.dueDate")}</th>
                <th scope="col" className="border border-line px-2 py-1 text-left">{t("casework.goal.status")}</th>
              </tr>
            </thead>
            <tbody>
              {plan.goals.map((g) => (
                <tr key={g.id} className="break-inside-avoid">
                  <td className="border border-line px-2 py-1 align-top">{t(`casework.area.${g.area}`)}</td>
                  <td className="border border-line px-2 py-1 align-top">{g.goal}</td>
                  <td className="whitespace-pre-line border border-line px-2 py-1 align-top">{g.action}</td>
                  <td className="border border-line px-2 py-1 align-top">{g.owner}</td>
                  <td className="border border-line px-2 py-1 align-top">{g.dueDate ? date(g.dueDate) : ""}</td>
                  <td className="border border-line px-2 py-1 align-top">{t(`casework.goalStatus.${g.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="mt-10 grid grid-cols-3 gap-6 text-sm break-inside-avoid">
            {(["casework.print.signClient", "casework.print.signSocialWorker", "casework.print.signCoordinator"] as const).map((key) => (
              <div key={key}>
                <div className="h-10 border-b border-ink" />
                <p className="mt-1">{t(key)}</p>
              </div>
            ))}
          </div>
        </>
      )}
    </article>
  );
}

export const meta = titled("casework.plan.title");
