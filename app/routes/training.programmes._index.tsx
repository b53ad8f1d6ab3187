import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listProgrammes } from "~/domain/training";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { useLocalName } from "./training._index/parts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:training");
  // programmes are a handful of curriculum versions, not a growing list
  const rows = listProgrammes(getDb()).map((p) => ({
    id: p.id,
    code: p.code,
    version: p.version,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    modules: p.modules,
    cohorts: p.cohorts,
  }));
  return { rows, canEdit: can(user, "edit:training") };
}

export default function Programmes() {
  const { rows, canEdit } = useLoaderData<typeof loader>();
  const { t } = useT();
  const localName = useLocalName();
  const newButton = canEdit ? (
    <LinkButton to="/training/programmes/new" kind="primary">
      {t("training.programmes.new")}
    </LinkButton>
  ) : null;
  return (
    <>
      <p className="mb-2">
        <Link to="/training">← {t("training.back")}</Link>
      </p>
      <PageHeader title={t("training.programmes.title")} actions={newButton} />
      {rows.length === 0 ? (
        <EmptyState title={t("training.programmes.empty")} action={newButton}>
          {t("training.programmes.emptyHelp")}
        </EmptyState>
      ) : (
        <Card>
          <DataTable
            caption={t("training.programmes.caption")}
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "name",
                header: t("training.programme.title"),
                primary: true,
                cell: (r) => (
                  <Link to={`/training/programmes/${r.id}`} className="inline-flex min-h-11 items-center">
                    {localName(r)}
                  </Link>
                ),
              },
              { key: "code", header: t("training.programme.code"), cell: (r) => `${r.code} · ${t("training.programme.version", { version: r.version })}` },
              { key: "modules", header: t("training.programmes.modules"), cell: (r) => r.modules },
              { key: "cohorts", header: t("training.programmes.cohorts"), cell: (r) => r.cohorts },
            ]}
          />
        </Card>
      )}
    </>
  );
}

export const meta = titled("training.programmes.title");
