import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden, requireUser } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { SelectField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Button, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { programToday, recognitionWorklist, scopedDistrictOptions } from "~/domain/clients";
import { id } from "~/domain/shared/fields";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { ExportCsvForm } from "~/components/ExportCsvForm";
import { useT } from "~/i18n/use-t";

/**
 * The three-year recognition worklist (DESIGN.md §5): clients eligible today — served, case
 * open, not recognised, abstinent since three calendar years or more — among those the viewer
 * may read (a social worker's caseload, a coordinator's districts, all for an admin), longest
 * abstinent first. For the people who recognise (create:caseRecord) or oversee (approve:plan).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireUser(request);
  if (!can(viewer, "create:caseRecord") && !can(viewer, "approve:plan")) throw forbidden();
  const db = getDb();
  const url = new URL(request.url);
  const page = pageFromUrl(url);
  const districts = scopedDistrictOptions(db, viewer);
  const query = ListQuery.parse({ district: url.searchParams.get("district") || undefined });
  const districtId = districts.some((d) => d.id === query.district) ? (query.district ?? null) : null;
  const today = programToday(db);
  const { rows, total } = recognitionWorklist(db, viewer, { asOf: today, districtId, page });
  return { rows, total, page: page.page, pages: pageCount(total, page.limit), districts, districtId, today };
}

// The list's search params: anything malformed is dropped (the list shows unfiltered), never an error.
const ListQuery = z.object({ district: id.optional().catch(undefined) });

export default function RecognitionWorklist() {
  const { rows, total, page, pages, districts, districtId } = useLoaderData<typeof loader>();
  const { t, locale, date, number } = useT();
  return (
    <div>
      <PageHeader title={t("casework.worklist.title")} subtitle={t("casework.worklist.subtitle")} />
      {districts.length > 1 && (
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <div className="min-w-56">
            <SelectField
              name="district"
              label={t("casework.filter.district")}
              defaultValue={districtId ?? ""}
              options={districts.map((d) => ({ value: d.id, label: locale === "zh-CN" ? d.nameZh : d.nameEn }))}
              placeholder={t("casework.filter.allDistricts")}
            />
          </div>
          <Button kind="secondary" className="mb-4">
            {t("casework.filter.show")}
          </Button>
        </Form>
      )}
      {rows.length > 0 && (
        <ExportCsvForm action="/recognition/export" fields={{ district: districtId }} />
      )}
      {rows.length === 0 ? (
        <EmptyState title={t("casework.worklist.empty")}>{t("casework.worklist.emptyHelp")}</EmptyState>
      ) : (
        <>
          <DataTable
            caption={t("casework.worklist.title")}
            rows={rows}
            rowKey={(r) => r.clientId}
            columns={[
              {
                key: "client",
                header: t("casework.client"),
                primary: true,
                cell: (r) => (
                  <Link to={`/clients/${r.clientId}/recognition`} className="inline-flex min-h-11 items-center">
                    {r.alias}
                  </Link>
                ),
              },
              { key: "case", header: t("casework.print.caseNumber"), cell: (r) => r.caseNumber },
              { key: "district", header: t("casework.filter.district"), cell: (r) => (locale === "zh-CN" ? r.districtZh : r.districtEn) },
              { key: "since", header: t("casework.worklist.since"), cell: (r) => date(r.since) },
              { key: "days", header: t("casework.worklist.days"), cell: (r) => number(r.daysAbstinent) },
              { key: "from", header: t("casework.worklist.eligibleFrom"), cell: (r) => date(r.eligibleFrom) },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </>
      )}
    </div>
  );
}

export const meta = titled("casework.worklist.title");
