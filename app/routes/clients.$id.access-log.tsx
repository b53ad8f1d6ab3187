import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden } from "~/auth/guards.server";
import { Pagination } from "~/components/Pagination";
import { Card, DataTable, EmptyState } from "~/components/ui";
import { getDb } from "~/db.server";
import { clientAccessLog, recordClientView, VIEW_ACTION } from "~/domain/clients";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { requireClient } from "~/http/client-guard.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { isMessageKey } from "~/i18n/translate";

/**
 * Who opened or changed this client's record and when: the audit rows about the client, newest
 * first, paged. Only for the client's current social worker and admins — exactly the people who
 * may reveal the identity (access.can.revealIdentity); everyone else gets 403. Opening it is
 * itself recorded, after the check, so a refused attempt is not logged as a view.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, actor } = requireClient(request, params);
  if (!access.can.revealIdentity) throw forbidden();
  const db = getDb();
  recordClientView(db, actor, access.client.id, "access-log");
  const page = pageFromUrl(new URL(request.url));
  const { rows, total } = clientAccessLog(db, access.client.id, page);
  return { rows: rows.map((r, i) => ({ ...r, n: page.offset + i })), total, page: page.page, pages: pageCount(total, page.limit), viewAction: VIEW_ACTION };
}

// the parts of the record a view names, with the tab they are opened from
const PART_LABELS: Record<string, MessageKey> = {
  page: "clients.tab.overview",
  overview: "clients.tab.overview",
  contacts: "clients.tab.contacts",
  plan: "clients.tab.plan",
  events: "clients.tab.events",
  recovery: "clients.tab.recovery",
  flags: "clients.tab.flags",
  timeline: "clients.tab.timeline",
  "access-log": "clients.tab.accessLog",
  assign: "clients.assign.title",
  recognition: "casework.tab.recognition",
  lift_letter: "casework.letter.title",
  plan_print: "casework.plan.print",
};

export default function AccessLog() {
  const { rows, total, page, pages, viewAction } = useLoaderData<typeof loader>();
  const { t, dateTime } = useT();
  const what = (r: (typeof rows)[number]) =>
    r.action === viewAction
      ? t("wellbeing.accessLog.viewed", { part: r.part ? (PART_LABELS[r.part] ? t(PART_LABELS[r.part]!) : r.part) : "—" })
      : isMessageKey(`wellbeing.accessLog.action.${r.action}`)
        ? t(`wellbeing.accessLog.action.${r.action}` as MessageKey)
        : t("wellbeing.accessLog.changed", { action: r.action });
  return (
    <Card title={t("wellbeing.accessLog.title")}>
      <p className="mb-3 text-muted">{t("wellbeing.accessLog.subtitle")}</p>
      {total === 0 ? (
        <EmptyState title={t("wellbeing.accessLog.empty.title")}>{t("wellbeing.accessLog.empty.body")}</EmptyState>
      ) : (
        <>
          <DataTable
            caption={t("wellbeing.accessLog.listCaption")}
            rows={rows}
            rowKey={(r) => r.n}
            columns={[
              { key: "at", header: t("wellbeing.accessLog.col.at"), primary: true, cell: (r) => dateTime(r.at) },
              { key: "who", header: t("wellbeing.accessLog.col.who"), cell: (r) => r.login },
              { key: "what", header: t("wellbeing.accessLog.col.what"), cell: what },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </>
      )}
    </Card>
  );
}

export const meta = titled("wellbeing.accessLog.title");
