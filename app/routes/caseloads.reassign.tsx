import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { Pagination } from "~/components/Pagination";
import { Badge, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { reassignQueue } from "~/domain/clients";
import { getSettings } from "~/domain/settings";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { ExportCsvForm } from "~/components/ExportCsvForm";
import { useT } from "~/i18n/use-t";

/**
 * The reassignment queue (coordinators in their districts, admins): open cases with no social
 * worker, or whose worker's login is disabled or who is no longer an active social worker or
 * active certified peer tutor. Each row links to the assignment page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireUserWithPermission(request, "assign:caseload");
  const db = getDb();
  const page = pageFromUrl(new URL(request.url));
  const { rows, total } = reassignQueue(db, viewer, todayIn(getSettings(db).timeZone), page);
  return { rows, total, page: page.page, pages: pageCount(total, page.limit) };
}

export default function ReassignQueue() {
  const { rows, total, page, pages } = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  return (
    <>
      <PageHeader title={t("clients.reassign.title")} subtitle={t("clients.reassign.subtitle")} />
      {total > 0 && (
        <ExportCsvForm action="/caseloads/reassign/export" />
      )}
      {total === 0 ? (
        <EmptyState title={t("clients.reassign.empty.title")}>{t("clients.reassign.empty.body")}</EmptyState>
      ) : (
        <Card>
          <DataTable
            caption={t("clients.reassign.caption")}
            rows={rows}
            rowKey={(r) => `${r.clientId}-${r.kind}`}
            columns={[
              {
                key: "client",
                header: t("clients.reassign.col.client"),
                primary: true,
                cell: (r) => (
                  <Link to={`/clients/${r.clientId}`} className="inline-flex min-h-11 items-center">
                    {r.alias}
                  </Link>
                ),
              },
              { key: "district", header: t("clients.reassign.col.district"), cell: (r) => (locale === "zh-CN" ? r.districtZh : r.districtEn) },
              { key: "role", header: t("clients.reassign.col.role"), cell: (r) => t(`clients.kind.${r.kind}`) },
              { key: "worker", header: t("clients.reassign.col.worker"), cell: (r) => r.workerName ?? "—" },
              {
                key: "reason",
                header: t("clients.reassign.col.reason"),
                cell: (r) => <Badge tone={r.reason === "no_social_worker" ? "danger" : "warn"}>{t(`clients.reassign.reason.${r.reason}`)}</Badge>,
              },
              {
                key: "action",
                header: t("clients.reassign.assign"),
                cell: (r) => (
                  <LinkButton to={`/clients/${r.clientId}/assign`} kind="secondary">
                    {t("clients.reassign.assign")}
                  </LinkButton>
                ),
              },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </Card>
      )}
    </>
  );
}

export const meta = titled("clients.reassign.title");
