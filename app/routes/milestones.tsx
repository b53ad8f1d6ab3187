import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUserWithPermission } from "~/auth/guards.server";
import { SelectField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Badge, Button, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { isCityWide, programToday, scopedDistrictOptions, upcomingMilestones } from "~/domain/clients";
import { id } from "~/domain/shared/fields";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { ExportCsvForm } from "~/components/ExportCsvForm";
import { useT } from "~/i18n/use-t";

/**
 * Upcoming abstinence milestones (30 and 90 days, 6 months, 1, 2, 3, 5 years) in the next 30
 * days, for the clients the viewer supports or oversees: a social worker's caseload, a peer
 * tutor's mentees, a coordinator's districts (clientScope in the SQL). Computed from the records
 * with abstinentSince and milestones. A city-wide viewer chooses a district first.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireUserWithPermission(request, "read:client");
  const db = getDb();
  const url = new URL(request.url);
  const page = pageFromUrl(url);
  const districts = scopedDistrictOptions(db, viewer);
  const query = ListQuery.parse({ district: url.searchParams.get("district") || undefined });
  const districtId = districts.some((d) => d.id === query.district) ? (query.district ?? null) : null;
  const needsDistrict = isCityWide(viewer) && districtId === null;
  const today = programToday(db);
  const { rows, total } = needsDistrict ? { rows: [], total: 0 } : upcomingMilestones(db, viewer, { today, withinDays: 30, districtId, page });
  return { rows, total, page: page.page, pages: pageCount(total, page.limit), districts, districtId, needsDistrict, cityWide: isCityWide(viewer) };
}

// The list's search params: anything malformed is dropped (the list shows unfiltered), never an error.
const ListQuery = z.object({ district: id.optional().catch(undefined) });

export default function Milestones() {
  const { rows, total, page, pages, districts, districtId, needsDistrict, cityWide } = useLoaderData<typeof loader>();
  const { t, locale, date, number } = useT();
  return (
    <div>
      <PageHeader title={t("casework.milestones.title")} subtitle={t("casework.milestones.subtitle")} />
      {districts.length > 1 && (
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <div className="min-w-56">
            <SelectField
              name="district"
              label={t("casework.filter.district")}
              defaultValue={districtId ?? ""}
              options={districts.map((d) => ({ value: d.id, label: locale === "zh-CN" ? d.nameZh : d.nameEn }))}
              placeholder={cityWide ? "" : t("casework.filter.allDistricts")}
              required={cityWide}
            />
          </div>
          <Button kind="secondary" className="mb-4">
            {t("casework.filter.show")}
          </Button>
        </Form>
      )}
      {rows.length > 0 && (
        <ExportCsvForm action="/milestones/export" fields={{ district: districtId }} />
      )}
      {needsDistrict ? (
        <EmptyState title={t("casework.filter.chooseDistrict")}>{t("casework.filter.chooseDistrictHelp")}</EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title={t("casework.milestones.empty")}>{t("casework.milestones.emptyHelp")}</EmptyState>
      ) : (
        <>
          <DataTable
            caption={t("casework.milestones.title")}
            rows={rows}
            rowKey={(r) => r.clientId}
            columns={[
              {
                key: "client",
                header: t("casework.client"),
                primary: true,
                cell: (r) => (
                  <Link to={`/clients/${r.clientId}/events`} className="inline-flex min-h-11 items-center">
                    {r.alias}
                  </Link>
                ),
              },
              { key: "milestone", header: t("casework.milestones.milestone"), cell: (r) => <Badge tone="brand">{t(`casework.milestone.${r.milestone.key}`)}</Badge> },
              {
                key: "date",
                header: t("casework.milestones.date"),
                cell: (r) => (
                  <>
                    {date(r.milestone.date)}{" "}
                    <span className="text-sm text-muted">
                      ({r.inDays === 0 ? t("casework.milestones.today") : t("casework.milestones.inDays", { days: number(r.inDays) })})
                    </span>
                  </>
                ),
              },
              { key: "since", header: t("casework.milestones.since"), cell: (r) => date(r.since) },
              { key: "district", header: t("casework.filter.district"), cell: (r) => (locale === "zh-CN" ? r.districtZh : r.districtEn) },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </>
      )}
    </div>
  );
}

export const meta = titled("casework.milestones.title");
