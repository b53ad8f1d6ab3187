import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden, requireUserWithPermission } from "~/auth/guards.server";
import { hasRole } from "~/auth/permissions";
import { Pagination } from "~/components/Pagination";
import { EmptyState, PageHeader } from "~/components/ui";
import { WorklistCards } from "~/components/Worklist";
import { getDb } from "~/db.server";
import { localDate, ownWorklist } from "~/domain/clients";
import { getSettings } from "~/domain/settings";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/** A social worker's current caseload: open crisis first, then the most overdue, then the longest since last contact. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:client");
  if (!hasRole(user, "social_worker")) throw forbidden();
  const db = getDb();
  const { timeZone, overdueThresholdDays } = getSettings(db);
  const page = pageFromUrl(new URL(request.url));
  const rules = { asOf: localDate(new Date(), timeZone), thresholdDays: overdueThresholdDays, timeZone };
  const { rows, total } = ownWorklist(db, user, "social_worker", rules, page);
  return { rows, total, page: page.page, pages: pageCount(total, page.limit) };
}

export default function MyCaseload() {
  const { rows, total, page, pages } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <PageHeader title={t("contacts.caseload.title")} subtitle={t("contacts.caseload.intro")} />
      {rows.length === 0 ? (
        <EmptyState title={t("contacts.caseload.empty")}>{t("contacts.caseload.emptyHelp")}</EmptyState>
      ) : (
        <>
          <WorklistCards rows={rows} />
          <Pagination page={page} pages={pages} total={total} />
        </>
      )}
    </>
  );
}

export const meta = titled("contacts.caseload.title");
