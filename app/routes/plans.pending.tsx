import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUserWithPermission } from "~/auth/guards.server";
import { SelectField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Button, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { pendingPlans, scopedDistrictOptions } from "~/domain/clients";
import { id } from "~/domain/shared/fields";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { ExportCsvForm } from "~/components/ExportCsvForm";
import { useT } from "~/i18n/use-t";

/**
 * A coordinator's list of service plans waiting for approval: submitted plans of clients in
 * their districts (clientScope with approve:plan, in the SQL), oldest submission first, paged;
 * optionally one district (?district=).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireUserWithPermission(request, "approve:plan");
  const db = getDb();
  const url = new URL(request.url);
  const page = pageFromUrl(url);
  const districts = scopedDistrictOptions(db, viewer, "approve:plan");
  const query = ListQuery.parse({ district: url.searchParams.get("district") || undefined });
  const districtId = districts.some((d) => d.id === query.district) ? (query.district ?? null) : null;
  const { rows, total } = pendingPlans(db, viewer, { districtId, page });
  return { rows, total, page: page.page, pages: pageCount(total, page.limit), districts, districtId };
}

// The list's search params: anything malformed is dropped (the list shows unfiltered), never an error.
const ListQuery = z.object({ district: id.optional().catch(undefined) });

export default function PendingPlans() {
  const { rows, total, page, pages, districts, districtId } = useLoaderData<typeof loader>();
  const { t, locale, dateTime, date } = useT();
  return (
    <div>
      <PageHeader title={t("casework.pending.title")} subtitle={t("casework.pending.subtitle")} />
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
        <ExportCsvForm action="/plans/pending/export" fields={{ district: districtId }} />
      )}
      {rows.length === 0 ? (
        <EmptyState title={t("casework.pending.empty")}>{t("casework.pending.emptyHelp")}</EmptyState>
      ) : (
        <>
          <DataTable
            caption={t("casework.pending.title")}
            rows={rows}
            rowKey={(r) => r.planId}
            columns={[
              {
                key: "client",
                header: t("casework.client"),
                primary: true,
                cell: (r) => (
                  <Link to={`/clients/${r.clientId}/plan`} className="inline-flex min-h-11 items-center">
                    {r.alias}
                  </Link>
                ),
              },
              { key: "case", header: t("casework.print.caseNumber"), cell: (r) => r.caseNumber },
              { key: "district", header: t("casework.filter.district"), cell: (r) => (locale === "zh-CN" ? r.districtZh : r.districtEn) },
              { key: "author", header: t("casework.pending.author"), cell: (r) => r.author },
              { key: "submitted", header: t("casework.pending.submitted"), cell: (r) => (r.submittedAt ? dateTime(r.submittedAt) : "") },
              { key: "review", header: t("casework.plan.reviewDue"), cell: (r) => (r.reviewDue ? date(r.reviewDue) : "") },
              { key: "goals", header: t("casework.pending.goals"), cell: (r) => r.goals },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </>
      )}
    </div>
  );
}

export const meta = titled("casework.pending.title");
