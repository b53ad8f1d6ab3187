import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { Pagination } from "~/components/Pagination";
import { Badge, Card, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listTasks, localDate } from "~/domain/clients";
import { getSettings } from "~/domain/settings";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { ExportCsvForm } from "~/components/ExportCsvForm";
import { useT } from "~/i18n/use-t";

/**
 * The worker's tasks: due work across the clients the person may see (their caseload, or the
 * districts they coordinate), crisis clients first, then the most overdue. One list of typed
 * items (app/domain/clients/tasks.server.ts); each links to where the work is done.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:client");
  const db = getDb();
  const today = localDate(new Date(), getSettings(db).timeZone);
  const page = pageFromUrl(new URL(request.url));
  const { items, total } = listTasks(db, user, today, page);
  return { items, total, page: page.page, pages: pageCount(total, page.limit) };
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["items"][number];

/** Where each kind of task is done. */
function taskLink(item: Item): string {
  switch (item.kind) {
    case "barc10Due":
      return `/clients/${item.clientId}/recovery`;
  }
}

export default function Tasks() {
  const { items, total, page, pages } = useLoaderData<typeof loader>();
  const { t, date } = useT();
  const due = (item: Item) =>
    item.daysOverdue > 0 ? (
      <Badge tone="warn">{t("wellbeing.barc10.overdueDays", { days: item.daysOverdue })}</Badge>
    ) : item.daysOverdue === 0 ? (
      <Badge tone="warn">{t("wellbeing.barc10.dueToday")}</Badge>
    ) : (
      <Badge tone="brand">{t("wellbeing.barc10.dueInDays", { days: -item.daysOverdue })}</Badge>
    );
  const detail = (item: Item) => {
    switch (item.kind) {
      case "barc10Due":
        return item.lastTakenOn ? t("wellbeing.tasks.lastTaken", { date: date(item.lastTakenOn) }) : t("wellbeing.tasks.neverTaken");
    }
  };
  return (
    <>
      <PageHeader title={t("wellbeing.tasks.title")} subtitle={t("wellbeing.tasks.subtitle")} />
      {total > 0 && (
        <ExportCsvForm action="/tasks/export" />
      )}
      {total === 0 ? (
        <EmptyState title={t("wellbeing.tasks.empty.title")}>{t("wellbeing.tasks.empty.body")}</EmptyState>
      ) : (
        <Card>
          <DataTable
            caption={t("wellbeing.tasks.listCaption")}
            rows={items}
            rowKey={(r) => `${r.kind}-${r.clientId}`}
            columns={[
              {
                key: "client",
                header: t("wellbeing.tasks.col.client"),
                primary: true,
                cell: (r) => (
                  <span className="flex flex-wrap items-center gap-2">
                    <Link to={taskLink(r)} className="inline-flex min-h-11 items-center">
                      {r.alias}
                    </Link>
                    {r.crisis && <Badge tone="danger">{t("clients.flag.crisis")}</Badge>}
                  </span>
                ),
              },
              { key: "task", header: t("wellbeing.tasks.col.task"), cell: (r) => t(`wellbeing.tasks.kind.${r.kind}`) },
              {
                key: "due",
                header: t("wellbeing.tasks.col.due"),
                cell: (r) => (
                  <span className="flex flex-wrap items-center gap-2">
                    {date(r.dueOn)} {due(r)}
                  </span>
                ),
              },
              { key: "detail", header: t("wellbeing.tasks.col.detail"), cell: detail },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </Card>
      )}
    </>
  );
}

export const meta = titled("wellbeing.tasks.title");
