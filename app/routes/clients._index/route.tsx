import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { can, rowScope } from "~/auth/permissions";
import { CheckboxField, SelectField, TextField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Button, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { CLIENT_SORTS, CLIENT_STATUSES, listClients, RISK_LEVELS, workerFilterOptions } from "~/domain/clients";
import { clientListFilter, readClientListQuery } from "~/domain/clients/list-query.server";
import { listDistricts } from "~/domain/organisation";
import { getSettings } from "~/domain/settings";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { ExportCsvForm } from "~/components/ExportCsvForm";
import { useT } from "~/i18n/use-t";
import { CadenceBadge, ClientStatusBadge, CrisisBadge, RiskBadge } from "./client-parts";

/**
 * The client list: the clients the viewer may read (clientScope inside the query), searched,
 * filtered, sorted and paged in SQL; anyone with an open crisis flag first.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireUserWithPermission(request, "read:client");
  const db = getDb();
  const url = new URL(request.url);
  const query = readClientListQuery((name) => url.searchParams.get(name));
  const page = pageFromUrl(url);
  const settings = getSettings(db);
  const rules = { asOf: todayIn(settings.timeZone), thresholdDays: settings.overdueThresholdDays, timeZone: settings.timeZone };
  const { rows, total } = listClients(db, viewer, clientListFilter(query), page, rules);
  const scope = rowScope(viewer, "read:client");
  // the district filter offers the districts the viewer's scope covers (16 rows at most)
  const districts = listDistricts(db)
    .filter((d) => scope.kind !== "districts" || scope.districtIds.includes(d.id))
    .map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn }));
  return {
    rows,
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    query: {
      q: query.q,
      district: query.district ? String(query.district) : "",
      status: query.status ?? "",
      risk: query.risk ?? "",
      overdue: query.overdue,
      worker: query.worker ? String(query.worker) : "",
      workerName: query.workerName,
      sort: query.sort ?? "lastContact",
      dir: query.dir ?? "asc",
    },
    filtered: Boolean(query.q || query.district || query.status || query.risk || query.overdue || query.worker || query.workerName),
    districts,
    workers: workerFilterOptions(db, viewer),
    statuses: CLIENT_STATUSES,
    risks: RISK_LEVELS,
    sorts: CLIENT_SORTS,
    canCreate: can(viewer, "create:client"),
  };
}

export default function ClientList() {
  const { rows, total, page, pages, query, filtered, districts, workers, statuses, risks, sorts, canCreate } = useLoaderData<typeof loader>();
  const { t, date, dateTime, locale } = useT();
  const newButton = canCreate ? (
    <LinkButton to="/clients/new" kind="primary">
      {t("clients.new")}
    </LinkButton>
  ) : null;
  return (
    <>
      <PageHeader title={t("clients.title")} subtitle={t("clients.subtitle")} actions={newButton} />
      <Card className="mb-4">
        <Form method="get" role="search" aria-label={t("clients.filter.label")}>
          <div className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-4">
            <TextField name="q" type="search" label={t("clients.filter.q")} defaultValue={query.q} maxLength={100} />
            <SelectField
              name="district"
              label={t("clients.filter.district")}
              defaultValue={query.district}
              placeholder={t("clients.filter.anyDistrict")}
              options={districts.map((d) => ({ value: d.id, label: locale === "zh-CN" ? d.nameZh : d.nameEn }))}
            />
            <SelectField
              name="status"
              label={t("clients.filter.status")}
              defaultValue={query.status}
              placeholder={t("clients.filter.anyStatus")}
              options={statuses.map((s) => ({ value: s, label: t(`clients.status.${s}`) }))}
            />
            <SelectField
              name="risk"
              label={t("clients.filter.risk")}
              defaultValue={query.risk}
              placeholder={t("clients.filter.anyRisk")}
              options={risks.map((r) => ({ value: r, label: t(`clients.risk.${r}`) }))}
            />
            {workers ? (
              <SelectField
                name="worker"
                label={t("clients.filter.worker")}
                defaultValue={query.worker}
                placeholder={t("clients.filter.anyWorker")}
                options={workers.map((w) => ({ value: w.personId, label: w.name }))}
              />
            ) : (
              <TextField name="workerName" type="search" label={t("clients.filter.workerName")} defaultValue={query.workerName} maxLength={40} />
            )}
            <SelectField
              name="sort"
              label={t("clients.filter.sort")}
              defaultValue={query.sort}
              options={sorts.map((s) => ({ value: s, label: t(`clients.sort.${s}`) }))}
            />
            <SelectField
              name="dir"
              label={t("clients.filter.dir")}
              defaultValue={query.dir}
              options={[
                { value: "asc", label: t("clients.dir.asc") },
                { value: "desc", label: t("clients.dir.desc") },
              ]}
            />
            <div className="flex items-end pb-2">
              <CheckboxField name="overdue" value="1" label={t("clients.filter.overdue")} defaultChecked={query.overdue} />
            </div>
          </div>
          <div className="flex flex-wrap gap-3">
            <Button>{t("form.filter")}</Button>
            {filtered && (
              <LinkButton to="/clients" kind="ghost">
                {t("form.clear")}
              </LinkButton>
            )}
          </div>
        </Form>
      </Card>
      {total > 0 && (
        <ExportCsvForm action="/clients/export" fields={query} />
      )}
      {total === 0 ? (
        filtered ? (
          <EmptyState
            title={t("clients.noMatch.title")}
            action={
              <LinkButton to="/clients" kind="secondary">
                {t("form.clear")}
              </LinkButton>
            }
          >
            {t("clients.noMatch.body")}
          </EmptyState>
        ) : (
          <EmptyState title={t("clients.empty.title")} action={newButton}>
            {t("clients.empty.body")}
          </EmptyState>
        )
      ) : (
        <Card>
          <DataTable
            caption={t("clients.listCaption")}
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "alias",
                header: t("clients.col.alias"),
                primary: true,
                cell: (r) => (
                  <span className="flex flex-wrap items-center gap-2">
                    <Link to={`/clients/${r.id}`} className="inline-flex min-h-11 items-center text-lg">
                      {r.alias}
                    </Link>
                    {r.crisis && <CrisisBadge />}
                  </span>
                ),
              },
              {
                key: "caseNumber",
                header: t("clients.col.caseNumber"),
                cell: (r) => (
                  <span>
                    {r.caseNumber}
                    <span className="block text-sm text-muted">
                      {t("clients.field.intakeDate")}: {date(r.intakeDate)}
                    </span>
                  </span>
                ),
              },
              { key: "district", header: t("clients.col.district"), cell: (r) => (locale === "zh-CN" ? r.districtZh : r.districtEn) },
              {
                key: "status",
                header: t("clients.col.status"),
                cell: (r) => (
                  <span className="inline-flex flex-wrap gap-1">
                    <ClientStatusBadge status={r.status} />
                    <RiskBadge risk={r.riskLevel} />
                  </span>
                ),
              },
              {
                key: "lastContact",
                header: t("clients.col.lastContact"),
                cell: (r) => (
                  <span className="inline-flex flex-wrap items-center gap-2">
                    <span>{r.lastContactAt ? dateTime(r.lastContactAt) : <span className="text-muted">{t("clients.lastContact.never")}</span>}</span>
                    <CadenceBadge overdue={r.overdue} />
                  </span>
                ),
              },
              {
                key: "team",
                header: t("clients.col.team"),
                cell: (r) => (
                  <span className="text-sm">
                    {r.socialWorker && <span className="block">{t("clients.team.socialWorker", { name: r.socialWorker })}</span>}
                    {r.peerTutor && <span className="block">{t("clients.team.peerTutor", { name: r.peerTutor })}</span>}
                  </span>
                ),
              },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </Card>
      )}
    </>
  );
}

export const meta = titled("clients.title");
