import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { Badge, cx } from "~/components/ui";
import { getDb } from "~/db.server";
import { clientHeader } from "~/domain/clients";
import { requireClient } from "~/http/client-guard.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

/**
 * The client's record: the alias as the largest text, status badges, the case team, and the tabs
 * of the parts this viewer may open. Each child route guards and audits itself.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access } = requireClient(request, params);
  const tabs: { to: string; label: MessageKey }[] = [{ to: "", label: "clients.tab.overview" }];
  if (access.can.readContacts) tabs.push({ to: "contacts", label: "clients.tab.contacts" });
  if (access.can.readCaseRecords) {
    tabs.push({ to: "plan", label: "clients.tab.plan" });
    tabs.push({ to: "events", label: "clients.tab.events" });
    tabs.push({ to: "recognition", label: "casework.tab.recognition" });
    tabs.push({ to: "recovery", label: "clients.tab.recovery" });
    tabs.push({ to: "flags", label: "clients.tab.flags" });
    tabs.push({ to: "timeline", label: "clients.tab.timeline" });
  }
  if (access.can.revealIdentity) tabs.push({ to: "access-log", label: "clients.tab.accessLog" });
  if (access.can.revealIdentity) tabs.push({ to: "rights", label: "privacy.rights.tab" });
  return { header: clientHeader(getDb(), access), tabs };
}

export default function ClientLayout() {
  const { header, tabs } = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  return (
    <>
      <header className="mb-4">
        <p className="text-sm text-muted">
          {t("clients.caseNumber", { number: header.caseNumber })} · {locale === "zh-CN" ? header.district.zh : header.district.en}
        </p>
        <h1 className="text-3xl">{header.alias}</h1>
        <div className="mt-2 flex flex-wrap gap-2">
          {header.openFlags.crisis > 0 && <Badge tone="danger">{t("clients.flag.crisis")}</Badge>}
          {header.openFlags.risk > 0 && <Badge tone="warn">{t("clients.flag.risk")}</Badge>}
          <Badge tone={header.status === "active" ? "ok" : "neutral"}>{t(`clients.status.${header.status}`)}</Badge>
          <Badge tone={header.riskLevel === "high" ? "danger" : header.riskLevel === "medium" ? "warn" : "neutral"}>
            {t(`clients.risk.${header.riskLevel}`)}
          </Badge>
        </div>
        <p className="mt-2 text-sm text-muted">
          {header.socialWorker && t("clients.team.socialWorker", { name: header.socialWorker })}
          {" · "}
          {header.peerTutor ? t("clients.team.peerTutor", { name: header.peerTutor }) : t("clients.team.none")}
        </p>
      </header>
      <nav aria-label={t("clients.tabs")} className="no-print mb-5 overflow-x-auto border-b border-line">
        <ul className="flex gap-1">
          {tabs.map((tab) => (
            <li key={tab.to}>
              <NavLink
                to={tab.to}
                end={tab.to === ""}
                className={({ isActive }) =>
                  cx("flex min-h-11 items-center whitespace-nowrap border-b-2 px-3 no-underline", isActive ? "border-brand font-medium text-brand-strong" : "border-transparent text-ink")
                }
              >
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
