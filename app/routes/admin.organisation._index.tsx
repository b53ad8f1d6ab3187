import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { Badge, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistrictDirectory } from "~/domain/organisation";
import { adminPath, placeName, statusPath } from "~/domain/organisation/display";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:org");
  return { districts: listDistrictDirectory(getDb()) };
}

export default function ManageOrganisation() {
  const { districts } = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  const add = (
    <LinkButton to={adminPath("district", "new")} kind="primary">
      {t("organisation.add.district")}
    </LinkButton>
  );
  return (
    <>
      <PageHeader title={t("organisation.admin.title")} subtitle={t("organisation.admin.intro")} actions={add} />
      {districts.length === 0 ? (
        <EmptyState title={t("organisation.empty.districts")} action={add}>
          {t("organisation.empty.districtsBody")}
        </EmptyState>
      ) : (
        <DataTable
          caption={t("organisation.admin.caption")}
          rows={districts}
          rowKey={(d) => d.id}
          columns={[
            {
              key: "name",
              header: t("organisation.col.name"),
              primary: true,
              cell: (d) => (
                <Link to={`/organisation/${d.id}`} className="inline-flex min-h-11 items-center">
                  {placeName(locale, d)}
                </Link>
              ),
            },
            { key: "code", header: t("organisation.col.code"), cell: (d) => <code>{d.code}</code> },
            {
              key: "status",
              header: t("organisation.col.status"),
              cell: (d) => (d.active ? <Badge tone="ok">{t("status.active")}</Badge> : <Badge>{t("status.inactive")}</Badge>),
            },
            {
              key: "actions",
              header: t("organisation.col.actions"),
              cell: (d) => (
                <span className="flex flex-wrap gap-3">
                  <Link to={adminPath("district", d.id)} className="inline-flex min-h-11 items-center" aria-label={t("organisation.action.editNamed", { name: placeName(locale, d) })}>
                    {t("organisation.action.edit")}
                  </Link>
                  <Link to={statusPath("district", d.id)} className="inline-flex min-h-11 items-center" aria-label={t("organisation.action.statusNamed", { name: placeName(locale, d) })}>
                    {t(d.active ? "organisation.action.deactivate" : "organisation.action.activate")}
                  </Link>
                </span>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

export const meta = titled("organisation.admin.title");
