import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Button, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { AUDIT_FILTER_MAX, compactDetails, distinctAuditValues, listAudit, parseAuditFilters } from "~/domain/audit";
import { getSettings } from "~/domain/settings";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

const DETAILS_SHOWN = 160;

export async function loader({ request }: LoaderFunctionArgs) {
  // admins only: the log is read:audit (DESIGN.md §4)
  requireUserWithPermission(request, "read:audit");
  const url = new URL(request.url);
  const db = getDb();
  const { timeZone } = getSettings(db);
  const choices = distinctAuditValues(db);
  const parsed = parseAuditFilters(Object.fromEntries(url.searchParams), { timeZone, ...choices });
  const page = pageFromUrl(url);
  const { rows, total } = listAudit(db, parsed.filter, page);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      person: r.actorLogin,
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      ip: r.ip,
      details: compactDetails(r.details, DETAILS_SHOWN),
    })),
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    choices,
    limits: AUDIT_FILTER_MAX,
    applied: parsed.applied,
    values: parsed.values,
    errors: parsed.errors,
  };
}

type Row = Awaited<ReturnType<typeof loader>>["rows"][number];

export default function AuditLog() {
  const { rows, total, page, pages, choices, limits, applied, values, errors } = useLoaderData<typeof loader>();
  const { t, dateTime, timeZone } = useT();
  const state = { errors, values };
  const hasErrors = Object.keys(errors).length > 0;
  const labels = {
    person: t("audit.filter.person"),
    entity: t("audit.filter.entity"),
    action: t("audit.filter.action"),
    from: t("audit.filter.from"),
    to: t("audit.filter.to"),
  };
  return (
    <>
      <PageHeader title={t("audit.title")} subtitle={t("audit.subtitle")} />
      <p className="mb-4 rounded-card border border-brand/30 bg-brand-soft p-3">{t("audit.appendOnly")}</p>

      <Card title={t("audit.filters")} className="mb-4">
        <Form method="get" noValidate>
          {hasErrors && (
            <>
              <ErrorSummary state={state} labels={labels} />
              <p className="mb-4 text-sm text-muted">{t("audit.filter.ignored")}</p>
            </>
          )}
          <div className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-3">
            <TextField name="person" type="search" label={labels.person} help={t("audit.filter.personHelp")} state={state} maxLength={limits.person} />
            <SelectField
              name="entity"
              label={labels.entity}
              state={state}
              placeholder={t("audit.filter.any")}
              options={choices.entities.map((v) => ({ value: v, label: v }))}
            />
            <SelectField
              name="action"
              label={labels.action}
              state={state}
              placeholder={t("audit.filter.any")}
              options={choices.actions.map((v) => ({ value: v, label: v }))}
            />
            <TextField name="from" type="date" label={labels.from} help={t("audit.filter.dateHelp", { timeZone })} state={state} />
            <TextField name="to" type="date" label={labels.to} help={t("audit.filter.dateHelp", { timeZone })} state={state} />
          </div>
          <FormActions>
            <Button>{t("audit.filter.submit")}</Button>
            <LinkButton to="/admin/audit">{t("audit.filter.clear")}</LinkButton>
          </FormActions>
        </Form>
      </Card>

      <Card title={t("audit.export.title")} className="mb-4">
        <p className="mb-3 text-muted">{t("audit.export.help")}</p>
        {/* a real POST (the export is recorded) answered by a file download: no client-side navigation */}
        <Form method="post" action="/admin/audit/export" reloadDocument>
          {Object.entries(applied).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <Button kind="secondary">{t("list.exportCsv")}</Button>
        </Form>
      </Card>

      <p className="mb-2 text-sm text-muted">{t("audit.timeZoneNote", { timeZone })}</p>
      {rows.length === 0 ? (
        <EmptyState title={t("audit.empty")}>{t("audit.emptyHelp")}</EmptyState>
      ) : (
        <DataTable<Row>
          caption={t("audit.list.caption")}
          rowKey={(r) => r.id}
          rows={rows}
          columns={[
            { key: "time", header: t("audit.col.time"), primary: true, cell: (r) => <time dateTime={r.at}>{dateTime(r.at)}</time> },
            { key: "person", header: t("audit.col.person"), cell: (r) => r.person || <span className="text-muted">{t("audit.anonymous")}</span> },
            { key: "action", header: t("audit.col.action"), cell: (r) => <code>{r.action}</code> },
            { key: "entity", header: t("audit.col.entity"), cell: (r) => <code>{r.entity}</code> },
            { key: "entityId", header: t("audit.col.entityId"), cell: (r) => r.entityId },
            { key: "ip", header: t("audit.col.address"), cell: (r) => r.ip },
            {
              key: "details",
              header: t("audit.col.details"),
              cell: (r) => <code className="block max-w-md text-sm break-all">{r.details}</code>,
            },
          ]}
        />
      )}
      <Pagination page={page} pages={pages} total={total} />
    </>
  );
}

export const meta = titled("audit.title");
