import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { forbidden, requireUserWithPermission } from "~/auth/guards.server";
import { rowScope } from "~/auth/permissions";
import { Pagination } from "~/components/Pagination";
import { Badge, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { daysBetween } from "~/domain/clients";
import { getSettings } from "~/domain/settings";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { EXPIRING_WITHIN_DAYS, listExpiring } from "~/domain/training";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { CertificateBadge, useDistrictName } from "./registry._index/parts";

export async function loader({ request }: LoaderFunctionArgs) {
  // the renewal worklist of trainers and coordinators: every reader of the whole registry
  const user = requireUserWithPermission(request, "read:certificate");
  if (rowScope(user, "read:certificate").kind !== "all") throw forbidden();
  const url = new URL(request.url);
  const db = getDb();
  const today = todayIn(getSettings(db).timeZone);
  const page = pageFromUrl(url);
  const { rows, total } = listExpiring(db, { today, page });
  return {
    rows: rows.map((r) => ({ ...r, daysLeft: daysBetween(today, r.expiresOn) })),
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    days: EXPIRING_WITHIN_DAYS,
  };
}

type Row = Awaited<ReturnType<typeof loader>>["rows"][number];

export default function ExpiringCertificates() {
  const { rows, total, page, pages, days } = useLoaderData<typeof loader>();
  const { t, date } = useT();
  const districtName = useDistrictName();
  return (
    <>
      <p className="mb-2">
        <Link to="/registry">← {t("registry.profile.back")}</Link>
      </p>
      <PageHeader title={t("registry.expiring.title")} subtitle={t("registry.expiring.subtitle", { days })} />
      {rows.length === 0 ? (
        <EmptyState title={t("registry.expiring.empty", { days })}>{t("registry.expiring.emptyHelp", { days })}</EmptyState>
      ) : (
        <DataTable<Row>
          caption={t("registry.expiring.caption")}
          rowKey={(r) => r.certificateId}
          rows={rows}
          columns={[
            {
              key: "name",
              header: t("registry.col.name"),
              primary: true,
              cell: (r) => (r.tutorId ? <Link to={`/registry/${r.tutorId}`}>{r.holderName}</Link> : r.holderName),
            },
            {
              key: "expires",
              header: t("registry.col.expires"),
              cell: (r) => (
                <span className="flex flex-wrap items-center gap-2">
                  <time dateTime={r.expiresOn}>{date(r.expiresOn)}</time>
                  <Badge tone="warn">{r.daysLeft === 0 ? t("registry.expiring.today") : t("registry.expiring.inDays", { days: r.daysLeft })}</Badge>
                  {r.suspended && <CertificateBadge standing="suspended" />}
                </span>
              ),
            },
            { key: "certificate", header: t("registry.col.certificate"), cell: (r) => <code>{r.number}</code> },
            { key: "cohort", header: t("registry.col.cohort"), cell: (r) => t("registry.cohortN", { number: r.cohortNumber }) },
            {
              key: "district",
              header: t("registry.col.district"),
              cell: (r) => (r.districtNameZh ? districtName({ nameZh: r.districtNameZh, nameEn: r.districtNameEn }) : t("registry.expiring.noTutor")),
            },
          ]}
        />
      )}
      <Pagination page={page} pages={pages} total={total} />
    </>
  );
}

export const meta = titled("registry.expiring.title");
