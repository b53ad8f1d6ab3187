import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUserWithPermission } from "~/auth/guards.server";
import { SelectField, TextField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Button, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistricts } from "~/domain/organisation";
import { listScheduleStudios } from "~/domain/sessions";
import { id, searchText } from "~/domain/shared/fields";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "read:session");
  const db = getDb();
  const url = new URL(request.url);
  const query = ListQuery.parse({ q: url.searchParams.get("q") || undefined, district: url.searchParams.get("district") || undefined });
  const page = pageFromUrl(url);
  const { rows, total } = listScheduleStudios(db, { q: query.q || undefined, districtId: query.district }, page);
  return {
    rows,
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    query: { q: query.q, district: query.district ? String(query.district) : "" },
    filtered: Boolean(query.q || query.district),
    districts: listDistricts(db)
      .filter((d) => d.active)
      .map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn })),
  };
}

// Malformed search params are dropped (the list shows unfiltered), never an error.
const ListQuery = z.object({
  q: searchText(100),
  district: id.optional().catch(undefined),
});

export default function StudiosList() {
  const { rows, total, page, pages, query, filtered, districts } = useLoaderData<typeof loader>();
  const { t, locale, number } = useT();
  const name = (p: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? p.nameZh : p.nameEn);
  return (
    <>
      <PageHeader title={t("sessions.studios.title")} subtitle={t("sessions.studios.subtitle")} />
      <Card className="mb-4">
        <Form method="get" role="search" aria-label={t("sessions.studios.filter.label")}>
          <div className="grid gap-x-4 sm:grid-cols-2">
            <TextField name="q" type="search" label={t("sessions.studios.filter.q")} defaultValue={query.q} maxLength={100} />
            <SelectField
              name="district"
              label={t("sessions.studios.filter.district")}
              defaultValue={query.district}
              placeholder={t("sessions.studios.filter.anyDistrict")}
              options={districts.map((d) => ({ value: d.id, label: name(d) }))}
            />
          </div>
          <div className="flex flex-wrap gap-3">
            <Button>{t("form.filter")}</Button>
            {filtered && (
              <LinkButton to="/studios" kind="ghost">
                {t("form.clear")}
              </LinkButton>
            )}
          </div>
        </Form>
      </Card>
      {total === 0 ? (
        <EmptyState
          title={t(filtered ? "sessions.studios.noMatch" : "sessions.studios.empty")}
          action={
            filtered ? (
              <LinkButton to="/studios" kind="secondary">
                {t("form.clear")}
              </LinkButton>
            ) : null
          }
        >
          {t("sessions.studios.emptyBody")}
        </EmptyState>
      ) : (
        <Card>
          <DataTable
            caption={t("sessions.studios.caption")}
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "name",
                header: t("sessions.studios.col.name"),
                primary: true,
                cell: (r) => (
                  <Link to={`/studios/${r.id}`} className="inline-flex min-h-11 items-center">
                    {name(r)}
                  </Link>
                ),
              },
              { key: "district", header: t("sessions.studios.col.district"), cell: (r) => (locale === "zh-CN" ? r.districtZh : r.districtEn) },
              { key: "address", header: t("sessions.studios.col.address"), cell: (r) => r.address },
              { key: "capacity", header: t("sessions.studios.col.capacity"), cell: (r) => number(r.capacity) },
              { key: "rooms", header: t("sessions.studios.col.rooms"), cell: (r) => (r.rooms > 0 ? number(r.rooms) : t("sessions.studios.oneSpace")) },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </Card>
      )}
    </>
  );
}

export const meta = titled("sessions.studios.title");
