import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { forbidden, requireUserWithPermission } from "~/auth/guards.server";
import { rowScope } from "~/auth/permissions";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Button, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import {
  canManageCertificates,
  CERTIFICATE_FILTERS,
  listRegistry,
  parseRegistryFilters,
  REGISTRY_SEARCH_MAX,
  REGISTRY_SORTS,
  registryChoices,
  TUTOR_STATUS_FILTERS,
} from "~/domain/training";
import { todayIn } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { CertificateBadge, StandingBadge, TutorStatusBadge, useDistrictName } from "./parts";

export async function loader({ request }: LoaderFunctionArgs) {
  // coordinators, social workers, trainers and admins read the whole registry; a peer tutor
  // (read:certificate:own) has /my-certificate instead
  const user = requireUserWithPermission(request, "read:certificate");
  const scope = rowScope(user, "read:certificate");
  if (scope.kind !== "all") throw forbidden();
  const url = new URL(request.url);
  const db = getDb();
  const today = todayIn(getSettings(db).timeZone);
  const parsed = parseRegistryFilters(Object.fromEntries(url.searchParams));
  const page = pageFromUrl(url);
  const { rows, total } = listRegistry(db, { filter: parsed.filter, scope, viewerPersonId: user.personId, today }, page);
  return {
    rows,
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    choices: registryChoices(db),
    applied: parsed.applied,
    values: parsed.values,
    errors: parsed.errors,
    canManage: canManageCertificates(user),
    options: { statuses: TUTOR_STATUS_FILTERS, certificates: CERTIFICATE_FILTERS, sorts: REGISTRY_SORTS, searchMax: REGISTRY_SEARCH_MAX },
  };
}

type Row = Awaited<ReturnType<typeof loader>>["rows"][number];

export default function Registry() {
  const { rows, total, page, pages, choices, applied, values, errors, canManage, options } = useLoaderData<typeof loader>();
  const { t, date, number } = useT();
  const districtName = useDistrictName();
  const state = { errors, values };
  const labels = {
    district: t("registry.filter.district"),
    cohort: t("registry.filter.cohort"),
    status: t("registry.filter.status"),
    certificate: t("registry.filter.certificate"),
    q: t("registry.filter.q"),
    sort: t("registry.filter.sort"),
  };
  return (
    <>
      <PageHeader
        title={t("registry.title")}
        subtitle={t("registry.subtitle")}
        actions={<LinkButton to="/registry/expiring">{t("registry.expiring.link")}</LinkButton>}
      />

      <Card title={t("registry.filters")} className="mb-4">
        <Form method="get" noValidate>
          {Object.keys(errors).length > 0 && (
            <>
              <ErrorSummary state={state} labels={labels} />
              <p className="mb-4 text-sm text-muted">{t("registry.filter.ignored")}</p>
            </>
          )}
          <div className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-3">
            <TextField name="q" type="search" label={labels.q} state={state} maxLength={options.searchMax} />
            <SelectField
              name="district"
              label={labels.district}
              state={state}
              placeholder={t("registry.filter.any")}
              options={choices.districts.map((d) => ({ value: d.id, label: districtName(d) }))}
            />
            <SelectField
              name="cohort"
              label={labels.cohort}
              state={state}
              placeholder={t("registry.filter.any")}
              options={choices.cohorts.map((c) => ({ value: c.id, label: t("registry.cohortN", { number: c.number }) }))}
            />
            <SelectField
              name="status"
              label={labels.status}
              state={state}
              placeholder={t("registry.filter.any")}
              options={options.statuses.map((s) => ({ value: s, label: t(`registry.tutorStatus.${s}` as MessageKey) }))}
            />
            <SelectField
              name="certificate"
              label={labels.certificate}
              state={state}
              placeholder={t("registry.filter.any")}
              options={options.certificates.map((s) => ({ value: s, label: t(`registry.cert.${s}` as MessageKey) }))}
            />
            <SelectField
              name="sort"
              label={labels.sort}
              state={state}
              options={options.sorts.map((s) => ({ value: s, label: t(`registry.sort.${s}` as MessageKey) }))}
            />
          </div>
          <FormActions>
            <Button>{t("registry.filter.submit")}</Button>
            <LinkButton to="/registry">{t("registry.filter.clear")}</LinkButton>
            {canManage && applied.cohort && (
              <LinkButton to={`/certificates/cohort/${applied.cohort}`} reloadDocument>{t("registry.printCohort")}</LinkButton>
            )}
          </FormActions>
        </Form>
      </Card>

      <Card title={t("registry.export.title")} className="mb-4">
        <p className="mb-3 text-muted">{t("registry.export.help")}</p>
        {/* a real POST (the export is recorded) answered by a file download */}
        <Form method="post" action="/registry/export" reloadDocument>
          {Object.entries(applied).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <Button kind="secondary">{t("list.exportCsv")}</Button>
        </Form>
      </Card>

      <p className="mb-2 text-sm text-muted">{t("registry.standing.help")}</p>
      {rows.length === 0 ? (
        <EmptyState title={t("registry.empty")}>{t("registry.emptyHelp")}</EmptyState>
      ) : (
        <DataTable<Row>
          caption={t("registry.list.caption")}
          rowKey={(r) => r.tutorId}
          rows={rows}
          columns={[
            { key: "name", header: t("registry.col.name"), primary: true, cell: (r) => <Link to={`/registry/${r.tutorId}`}>{r.name}</Link> },
            { key: "cohort", header: t("registry.col.cohort"), cell: (r) => t("registry.cohortN", { number: r.cohortNumber }) },
            { key: "district", header: t("registry.col.district"), cell: (r) => districtName({ nameZh: r.districtNameZh, nameEn: r.districtNameEn }) },
            {
              key: "studio",
              header: t("registry.col.studio"),
              cell: (r) =>
                r.studioNameZh ? districtName({ nameZh: r.studioNameZh, nameEn: r.studioNameEn }) : <span className="text-muted">{t("registry.noStudio")}</span>,
            },
            { key: "status", header: t("registry.col.status"), cell: (r) => <TutorStatusBadge status={r.status} /> },
            { key: "certificate", header: t("registry.col.certificate"), cell: (r) => <code>{r.certificateNumber}</code> },
            {
              key: "expires",
              header: t("registry.col.expires"),
              cell: (r) => (
                <span className="flex flex-wrap items-center gap-2">
                  <time dateTime={r.expiresOn}>{date(r.expiresOn)}</time>
                  <CertificateBadge standing={r.certificateStatus} />
                </span>
              ),
            },
            { key: "standing", header: t("registry.col.standing"), cell: (r) => <StandingBadge standing={r.standing} /> },
            { key: "sessions", header: t("registry.col.sessions"), cell: (r) => number(r.sessionsFacilitated) },
          ]}
        />
      )}
      <Pagination page={page} pages={pages} total={total} />
    </>
  );
}

export const meta = titled("registry.title");
