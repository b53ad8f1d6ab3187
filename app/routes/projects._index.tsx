import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { Pagination } from "~/components/Pagination";
import { Badge, Button, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listProjects, PROJECT_LIST_STATUSES, type ProjectListRow } from "~/domain/projects";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/** Funded projects the viewer may read (admins all, coordinators those serving their districts), newest first, paged in SQL. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:project");
  const url = new URL(request.url);
  const raw = url.searchParams.get("status") ?? "";
  const status = (PROJECT_LIST_STATUSES as readonly string[]).includes(raw) ? (raw as (typeof PROJECT_LIST_STATUSES)[number]) : null;
  const page = pageFromUrl(url);
  const { rows, total } = listProjects(getDb(), user, { status }, page);
  return { rows, total, page: page.page, pages: pageCount(total, page.limit), status: status ?? "", statuses: PROJECT_LIST_STATUSES, canEdit: can(user, "edit:project") };
}

export default function Projects() {
  const { rows, total, page, pages, status, statuses, canEdit } = useLoaderData<typeof loader>();
  const { t, date, locale } = useT();
  return (
    <>
      <PageHeader title={t("projects.title")} subtitle={t("projects.intro")} actions={canEdit ? <LinkButton to="/projects/new" kind="primary">{t("projects.new")}</LinkButton> : undefined} />
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-2">
        <label className="grid gap-1">
          <span className="font-medium">{t("projects.filter.status")}</span>
          <select name="status" defaultValue={status} className="min-h-11 rounded-lg border border-line bg-surface px-3">
            <option value="">{t("projects.filter.all")}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`projects.status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <Button kind="secondary">{t("form.filter")}</Button>
      </Form>
      {rows.length > 0 && (
        <div className="mb-4 flex flex-wrap items-center gap-3">
          <LinkButton to={`/projects/export${status ? `?status=${status}` : ""}`} reloadDocument kind="secondary">
            {t("reports.list.export")}
          </LinkButton>
        </div>
      )}
      {rows.length === 0 ? (
        <EmptyState title={t("projects.empty")}>{t("projects.emptyHelp")}</EmptyState>
      ) : (
        <>
          <DataTable<ProjectListRow>
            caption={t("projects.caption")}
            rowKey={(r) => r.id}
            rows={rows}
            columns={[
              {
                key: "name",
                header: t("projects.col.name"),
                primary: true,
                cell: (r) => (
                  <Link to={`/projects/${r.id}`} className="inline-flex min-h-11 items-center">
                    {r.name}
                  </Link>
                ),
              },
              { key: "funder", header: t("projects.col.funder"), cell: (r) => r.funder },
              { key: "kind", header: t("projects.col.kind"), cell: (r) => <Badge tone="brand">{t(`projects.kind.${r.kind}`)}</Badge> },
              { key: "period", header: t("projects.col.period"), cell: (r) => t("projects.period", { from: date(r.startsOn), to: date(r.endsOn) }) },
              { key: "districts", header: t("projects.col.districts"), cell: (r) => r.districts.map((d) => (locale === "zh-CN" ? d.nameZh : d.nameEn)).join(locale === "zh-CN" ? "、" : ", ") },
              { key: "status", header: t("projects.col.status"), cell: (r) => <Badge tone={r.status === "active" ? "ok" : "neutral"}>{t(`projects.status.${r.status}`)}</Badge> },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </>
      )}
    </>
  );
}

export const meta = titled("projects.title");
