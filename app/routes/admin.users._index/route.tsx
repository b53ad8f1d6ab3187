import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { ROLES } from "~/auth/roles";
import { SelectField, TextField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Button, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistricts } from "~/domain/organisation";
import { listUsers, type UserListFilter } from "~/domain/people";
import { choice, id, searchText } from "~/domain/shared/fields";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { RoleList, UserStatusBadge, type DistrictOption } from "./user-parts";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireUserWithPermission(request, "read:user");
  const db = getDb();
  const url = new URL(request.url);
  const query = readQuery(url.searchParams);
  const page = pageFromUrl(url);
  const now = new Date();
  const filter: UserListFilter = {
    q: query.q || undefined,
    role: query.role,
    districtId: query.district,
    active: query.status === "active" ? true : query.status === "disabled" ? false : undefined,
    locked: query.status === "locked" ? true : undefined,
    now,
  };
  const { rows, total } = listUsers(db, filter, page);
  const districts: DistrictOption[] = listDistricts(db).map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn, active: d.active }));
  return {
    rows: rows.map((r) => ({
      id: r.id,
      login: r.login,
      displayName: r.displayName,
      active: r.active,
      // a lock that has run out is no lock
      lockedUntil: r.lockedUntil && r.lockedUntil > now.toISOString() ? r.lockedUntil : null,
      lastLoginAt: r.lastLoginAt,
      roles: r.roles,
    })),
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    query: {
      q: query.q,
      role: query.role ?? "",
      district: query.district ? String(query.district) : "",
      status: query.status ?? "",
    },
    filtered: Boolean(query.q || query.role || query.district || query.status),
    districts,
    canEdit: can(viewer, "edit:user"),
  };
}

// The list's search params: anything malformed is dropped (the list shows unfiltered), never an error.
const STATUSES = ["active", "disabled", "locked"] as const;
const ListQuery = z.object({
  q: searchText(100),
  role: choice(ROLES).optional().catch(undefined),
  district: id.optional().catch(undefined),
  status: choice(STATUSES).optional().catch(undefined),
});

function readQuery(params: URLSearchParams) {
  const raw = (name: string) => params.get(name) || undefined;
  return ListQuery.parse({ q: raw("q"), role: raw("role"), district: raw("district"), status: raw("status") });
}

export default function UsersList() {
  const { rows, total, page, pages, query, filtered, districts, canEdit } = useLoaderData<typeof loader>();
  const { t, dateTime, locale } = useT();
  const newButton = canEdit ? (
    <LinkButton to="/admin/users/new" kind="primary">
      {t("users.new")}
    </LinkButton>
  ) : null;
  return (
    <>
      <PageHeader title={t("users.title")} subtitle={t("users.subtitle")} actions={newButton} />
      <Card className="mb-4">
        <Form method="get" role="search" aria-label={t("users.filter.label")}>
          <div className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-4">
            <TextField name="q" type="search" label={t("users.filter.q")} defaultValue={query.q} maxLength={100} />
            <SelectField
              name="role"
              label={t("users.filter.role")}
              defaultValue={query.role}
              placeholder={t("users.filter.anyRole")}
              options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
            <SelectField
              name="district"
              label={t("users.filter.district")}
              help={t("users.filter.districtHelp")}
              defaultValue={query.district}
              placeholder={t("users.filter.anyDistrict")}
              options={districts.map((d) => ({ value: d.id, label: locale === "zh-CN" ? d.nameZh : d.nameEn }))}
            />
            <SelectField
              name="status"
              label={t("users.filter.status")}
              defaultValue={query.status}
              placeholder={t("users.filter.anyStatus")}
              options={[
                { value: "active", label: t("users.status.active") },
                { value: "disabled", label: t("users.status.disabled") },
                { value: "locked", label: t("users.status.lockedNow") },
              ]}
            />
          </div>
          <div className="flex flex-wrap gap-3">
            <Button>{t("form.filter")}</Button>
            {filtered && (
              <LinkButton to="/admin/users" kind="ghost">
                {t("form.clear")}
              </LinkButton>
            )}
          </div>
        </Form>
      </Card>
      {total === 0 ? (
        filtered ? (
          <EmptyState
            title={t("users.noMatch.title")}
            action={
              <LinkButton to="/admin/users" kind="secondary">
                {t("form.clear")}
              </LinkButton>
            }
          >
            {t("users.noMatch.body")}
          </EmptyState>
        ) : (
          <EmptyState title={t("users.empty.title")} action={newButton}>
            {t("users.empty.body")}
          </EmptyState>
        )
      ) : (
        <Card>
          <DataTable
            caption={t("users.listCaption")}
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "login",
                header: t("users.col.login"),
                primary: true,
                cell: (r) => (
                  <Link to={`/admin/users/${r.id}`} className="inline-flex min-h-11 items-center">
                    {r.login}
                  </Link>
                ),
              },
              { key: "name", header: t("users.col.name"), cell: (r) => r.displayName },
              { key: "roles", header: t("users.col.roles"), cell: (r) => <RoleList roles={r.roles} districts={districts} /> },
              { key: "status", header: t("users.col.status"), cell: (r) => <UserStatusBadge active={r.active} lockedUntil={r.lockedUntil} /> },
              {
                key: "lastLogin",
                header: t("users.col.lastLogin"),
                cell: (r) => (r.lastLoginAt ? dateTime(r.lastLoginAt) : <span className="text-muted">{t("users.never")}</span>),
              },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </Card>
      )}
    </>
  );
}

export const meta = titled("users.title");
