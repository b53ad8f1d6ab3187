import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { Pagination } from "~/components/Pagination";
import { Badge, Card, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { flaggedClients } from "~/domain/clients";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { ExportCsvForm } from "~/components/ExportCsvForm";
import { useT } from "~/i18n/use-t";

/**
 * Crisis and risk (危机干预): the clients with an open flag that the person may see — their own
 * caseload, or the districts they coordinate — crisis first, then the newest flag. Scoped and
 * paged in SQL (flaggedClients uses clientScope).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:client");
  const page = pageFromUrl(new URL(request.url));
  const { rows, total } = flaggedClients(getDb(), user, page);
  return { rows, total, page: page.page, pages: pageCount(total, page.limit) };
}

export default function Crisis() {
  const { rows, total, page, pages } = useLoaderData<typeof loader>();
  const { t, dateTime } = useT();
  return (
    <>
      <PageHeader title={t("wellbeing.crisis.title")} subtitle={t("wellbeing.crisis.subtitle")} />
      {total > 0 && (
        <ExportCsvForm action="/crisis/export" />
      )}
      {total === 0 ? (
        <EmptyState title={t("wellbeing.crisis.empty.title")}>{t("wellbeing.crisis.empty.body")}</EmptyState>
      ) : (
        <Card>
          <DataTable
            caption={t("wellbeing.crisis.listCaption")}
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "client",
                header: t("wellbeing.crisis.col.client"),
                primary: true,
                cell: (r) => (
                  <Link to={`/clients/${r.id}/flags`} className="inline-flex min-h-11 items-center">
                    {r.alias}
                  </Link>
                ),
              },
              {
                key: "flags",
                header: t("wellbeing.crisis.col.flags"),
                cell: (r) => (
                  <span className="flex flex-wrap gap-2">
                    {r.openCrisis > 0 && <Badge tone="danger">{t("wellbeing.crisis.crisisCount", { count: r.openCrisis })}</Badge>}
                    {r.openRisk > 0 && <Badge tone="warn">{t("wellbeing.crisis.riskCount", { count: r.openRisk })}</Badge>}
                  </span>
                ),
              },
              {
                key: "latest",
                header: t("wellbeing.crisis.col.latest"),
                cell: (r) => <span className="line-clamp-3 whitespace-pre-line break-words">{r.latestReason}</span>,
              },
              { key: "raised", header: t("wellbeing.crisis.col.raised"), cell: (r) => dateTime(r.latestRaisedAt) },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </Card>
      )}
    </>
  );
}

export const meta = titled("wellbeing.crisis.title");
