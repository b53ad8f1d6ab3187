import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { Badge, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistrictDirectory } from "~/domain/organisation";
import { adminPath, otherPlaceName, placeName } from "~/domain/organisation/display";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:org");
  // a city has a bounded number of districts (16 in Shanghai): one page, counted in one query
  return { districts: listDistrictDirectory(getDb()), canEdit: can(user, "edit:org") };
}

export default function OrganisationDirectory() {
  const { districts, canEdit } = useLoaderData<typeof loader>();
  const { t, locale, number } = useT();
  type Row = (typeof districts)[number];
  return (
    <>
      <PageHeader
        title={t("organisation.title")}
        subtitle={t("organisation.directory.intro")}
        actions={canEdit ? <LinkButton to={adminPath("district", "new")} kind="primary">{t("organisation.add.district")}</LinkButton> : undefined}
      />
      {districts.length === 0 ? (
        <EmptyState
          title={t("organisation.empty.districts")}
          action={canEdit ? <LinkButton to={adminPath("district", "new")} kind="primary">{t("organisation.add.district")}</LinkButton> : undefined}
        >
          {t("organisation.empty.districtsBody")}
        </EmptyState>
      ) : (
        <>
          <DataTable<Row>
            caption={t("organisation.directory.caption")}
            rows={districts}
            rowKey={(d) => d.id}
            columns={[
              {
                key: "name",
                header: t("organisation.col.name"),
                primary: true,
                cell: (d) => (
                  <span className="flex flex-wrap items-center gap-2">
                    <Link to={`/organisation/${d.id}`} className="inline-flex min-h-11 items-center font-medium">
                      {placeName(locale, d)}
                    </Link>
                    <span className="text-sm text-muted">{otherPlaceName(locale, d)}</span>
                    {!d.active && <Badge>{t("status.inactive")}</Badge>}
                  </span>
                ),
              },
              { key: "subdistricts", header: t("organisation.col.subdistricts"), cell: (d) => number(d.subdistricts) },
              { key: "workstations", header: t("organisation.col.workstations"), cell: (d) => number(d.workstations) },
              { key: "points", header: t("organisation.col.points"), cell: (d) => number(d.points) },
              { key: "studios", header: t("organisation.col.studios"), cell: (d) => number(d.studios) },
              ...(canEdit
                ? [
                    {
                      key: "actions",
                      header: t("organisation.col.actions"),
                      cell: (d: Row) => (
                        <Link
                          to={adminPath("district", d.id)}
                          className="inline-flex min-h-11 items-center"
                          aria-label={t("organisation.action.editNamed", { name: placeName(locale, d) })}
                        >
                          {t("organisation.action.edit")}
                        </Link>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <p className="mt-3 text-sm text-muted">{t("organisation.directory.countsNote")}</p>
        </>
      )}
    </>
  );
}

export const meta = titled("organisation.title");
