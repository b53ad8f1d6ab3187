import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUserWithPermission } from "~/auth/guards.server";
import { SelectField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Badge, Button, Card, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { caseloadDistricts, localDate, overdueByWorker, type WorkerLoadRow } from "~/domain/clients";
import { getSettings } from "~/domain/settings";
import { id } from "~/domain/shared/fields";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { ExportCsvForm } from "~/components/ExportCsvForm";
import { useT } from "~/i18n/use-t";

const ROWS_PER_PAGE = 50;

/**
 * "Who is falling behind": for each district the coordinator oversees, every social worker and
 * peer tutor with current clients there, with their count of overdue clients and caseload size,
 * most overdue first. One grouped query; the district filter lives in the URL.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "assign:caseload");
  const db = getDb();
  const url = new URL(request.url);
  const { timeZone, overdueThresholdDays } = getSettings(db);
  const districts = caseloadDistricts(db, user);
  const asked = Query.parse({ district: url.searchParams.get("district") || undefined }).district;
  // a district that is not the viewer's is ignored (the query is scoped anyway)
  const districtId = districts.some((d) => d.id === asked) ? asked : undefined;
  const page = pageFromUrl(url, ROWS_PER_PAGE);
  const rules = { asOf: localDate(new Date(), timeZone), thresholdDays: overdueThresholdDays, timeZone };
  const { rows, total } = overdueByWorker(db, user, rules, { districtId }, page);
  return {
    rows,
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    districts,
    district: districtId ? String(districtId) : "",
    thresholdDays: overdueThresholdDays,
  };
}

// The list's search params: anything malformed is dropped (the list shows all districts), never an error.
const Query = z.object({ district: id.optional().catch(undefined) });

export default function FallingBehind() {
  const { rows, total, page, pages, districts, district, thresholdDays } = useLoaderData<typeof loader>();
  const { t, locale, number } = useT();
  const groups: { districtId: number; name: string; rows: WorkerLoadRow[] }[] = [];
  for (const row of rows) {
    let group = groups.find((g) => g.districtId === row.districtId);
    if (!group) {
      group = { districtId: row.districtId, name: locale === "zh-CN" ? row.districtZh : row.districtEn, rows: [] };
      groups.push(group);
    }
    group.rows.push(row);
  }
  return (
    <>
      <PageHeader title={t("contacts.behind.title")} subtitle={t("contacts.behind.intro")} />
      <p className="mb-4 text-sm text-muted">{t("contacts.behind.threshold", { days: thresholdDays })}</p>
      {districts.length > 1 && (
        <Card className="mb-4">
          <Form method="get" className="flex flex-wrap items-end gap-3">
            <div className="min-w-60 flex-1">
              <SelectField
                name="district"
                label={t("contacts.behind.district")}
                defaultValue={district}
                placeholder={t("contacts.behind.allDistricts")}
                options={districts.map((d) => ({ value: d.id, label: locale === "zh-CN" ? d.nameZh : d.nameEn }))}
              />
            </div>
            <div className="mb-4">
              <Button kind="secondary">{t("form.filter")}</Button>
            </div>
          </Form>
        </Card>
      )}
      {rows.length > 0 && (
        <ExportCsvForm action="/caseloads/overdue/export" fields={{ district: district }} />
      )}
      {rows.length === 0 ? (
        <EmptyState title={t("contacts.behind.empty")}>{t("contacts.behind.emptyHelp")}</EmptyState>
      ) : (
        <div className="grid gap-4">
          {groups.map((g) => (
            <Card key={g.districtId} title={g.name}>
              <DataTable
                caption={g.name}
                rows={g.rows}
                rowKey={(r) => `${r.kind}-${r.personId}`}
                columns={[
                  { key: "name", header: t("contacts.behind.worker"), primary: true, cell: (r) => r.name },
                  { key: "role", header: t("contacts.behind.role"), cell: (r) => t(`contacts.role.${r.kind}`) },
                  {
                    key: "overdue",
                    header: t("contacts.behind.overdue"),
                    cell: (r) => (
                      <Badge tone={r.overdue > 0 ? "warn" : "ok"}>{t("contacts.behind.overdueOf", { overdue: number(r.overdue), caseload: number(r.caseload) })}</Badge>
                    ),
                  },
                  { key: "caseload", header: t("contacts.behind.caseload"), cell: (r) => number(r.caseload) },
                ]}
              />
            </Card>
          ))}
          <Pagination page={page} pages={pages} total={total} />
        </div>
      )}
    </>
  );
}

export const meta = titled("contacts.behind.title");
