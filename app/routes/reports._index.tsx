import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { Badge, Card, EmptyState, PageHeader } from "~/components/ui";
import { availableReports, reportScope } from "~/domain/reports";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * The outcome reports the viewer may run (read:report: admins the whole city, coordinators their
 * districts, everyone else their own work), each with one line saying what it counts.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:report");
  return { reports: availableReports(user), scope: reportScope(user).kind };
}

export default function Reports() {
  const { reports, scope } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <PageHeader
        title={t("reports.title")}
        subtitle={t("reports.subtitle")}
        badges={scope !== "none" ? <Badge tone="brand">{t(`reports.scope.${scope}` as MessageKey)}</Badge> : null}
      />
      {reports.length === 0 ? (
        <EmptyState title={t("reports.none")}>{t("reports.noneHelp")}</EmptyState>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {reports.map((name) => (
            <li key={name}>
              <Card className="h-full">
                <h2>
                  <Link to={`/reports/${name}`} className="inline-flex min-h-11 items-center">
                    {t(`reports.name.${name}` as MessageKey)}
                  </Link>
                </h2>
                <p className="text-sm text-muted">{t(`reports.summary.${name}` as MessageKey)}</p>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export const meta = titled("reports.title");
