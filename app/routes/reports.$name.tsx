import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { forbidden, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { BarChart } from "~/components/charts";
import { ErrorSummary, SelectField, TextField } from "~/components/forms";
import { useNonce } from "~/components/nonce";
import { Button, Card, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { availableReports, isReportName, parseReportParams, PARAM_FIELDS, reportDistricts, reportSearch, runReport, type RawReportParams } from "~/domain/reports";
import { allowsIntakeYear, cellText, chartValue, GROUPINGS, labelHeaderKey, REPORTS, type ReportName } from "~/domain/reports/definitions";
import { getSettings } from "~/domain/settings";
import { todayIn } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { translate } from "~/i18n/translate";
import { useT } from "~/i18n/use-t";

/**
 * One outcome report: filters in the URL (as-of date, period, district, intake year, rows by
 * district or intake year), a chart and a table of the same figures, the definition under them in
 * both languages, a CSV export of exactly what is shown, and a print layout (A4, no navigation,
 * organisation and date at the top). Bad filters answer 400 with the form kept and no figures.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:report");
  const name = params.name ?? "";
  if (!isReportName(name)) throw notFound();
  if (!availableReports(user).includes(name)) throw forbidden();
  const db = getDb();
  const settings = getSettings(db);
  const today = todayIn(settings.timeZone);
  const districts = reportDistricts(db, user);
  const url = new URL(request.url);
  const raw: RawReportParams = {};
  for (const field of PARAM_FIELDS) raw[field] = url.searchParams.get(field) ?? undefined;
  const parsed = parseReportParams(name, raw, { today, districtIds: districts.map((d) => d.id) });
  const base = {
    name,
    districts,
    today,
    organisation: { zh: settings.organisationNameZh, en: settings.organisationNameEn },
    // what the definitions quote when no figures were computed (bad filters)
    defaultNotes: { thresholdDays: settings.overdueThresholdDays, months: "—" },
  };
  if (!parsed.ok) return data({ ...base, report: null, errors: parsed.errors, values: parsed.values, csv: null }, { status: 400 });
  const report = runReport(db, user, name, parsed.params);
  return { ...base, report, errors: undefined, values: parsed.values, csv: `/reports/${name}/csv${reportSearch(parsed.values)}` };
}

export default function ReportPage() {
  const { name, districts, today, organisation, defaultNotes, report, errors, values, csv } = useLoaderData<typeof loader>();
  const { t, locale, number, date } = useT();
  const nonce = useNonce();
  const def = REPORTS[name as ReportName];
  const title = t(`reports.name.${def.name}` as MessageKey);
  const state = { errors: errors ?? undefined, values };
  const other = locale === "zh-CN" ? "en" : "zh-CN";
  const notes = Object.fromEntries(Object.entries({ ...defaultNotes, ...report?.notes }).map(([k, v]) => [k, String(v)]));
  const label = (r: { labelZh: string; labelEn: string }) => (locale === "zh-CN" ? r.labelZh : r.labelEn);
  const shown = (kind: string, text: string) => (kind === "count" && text !== "" ? number(Number(text)) : text);
  const columns = def.columns;
  const percentOnly = def.chart.every((k) => columns.find((c) => c.key === k)?.kind === "percent");

  return (
    <article className="print:text-[11pt]">
      <style nonce={nonce}>{`@page { size: A4; margin: 16mm 14mm 18mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }`}</style>
      <header className="mb-3 hidden items-baseline justify-between border-b-2 border-ink pb-2 text-sm print:flex">
        <span className="font-semibold">{locale === "zh-CN" ? organisation.zh : organisation.en}</span>
        <span>{date(today)}</span>
      </header>
      <p className="mb-2 print:hidden">
        <Link to="/reports" className="inline-flex min-h-11 items-center">
          ← {t("reports.back")}
        </Link>
      </p>
      <PageHeader
        title={title}
        subtitle={
          report ? (
            <>
              {t("reports.asOfLine", { asOf: date(report.params.asOf) })}
              {def.usesPeriod && <> · {t("reports.periodLine", { from: date(report.params.from), to: date(report.params.to) })}</>}
            </>
          ) : (
            t(`reports.summary.${def.name}` as MessageKey)
          )
        }
        actions={
          report && (
            <div className="flex flex-wrap gap-2 print:hidden">
              <a href={csv!} download className="inline-flex min-h-11 items-center justify-center gap-2 rounded-lg border border-line bg-surface px-4 py-2 font-medium text-ink no-underline hover:bg-neutral-soft">
                {t("reports.exportCsv")}
              </a>
              <Button type="button" kind="secondary" onClick={() => window.print()}>
                {t("reports.print")}
              </Button>
            </div>
          )
        }
      />

      <Card title={t("reports.filter.title")} className="mb-4 print:hidden">
        <ErrorSummary state={state} />
        <Form method="get" className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-3">
          <TextField name="asOf" type="date" label={t("reports.filter.asOf")} state={state} defaultValue={report?.params.asOf ?? today} />
          {def.usesPeriod && (
            <>
              <TextField name="from" type="date" label={t("reports.filter.from")} help={t("reports.filter.periodHelp")} state={state} defaultValue={report?.params.from} />
              <TextField name="to" type="date" label={t("reports.filter.to")} state={state} defaultValue={report?.params.to} />
            </>
          )}
          {districts.length > 0 && (
            <SelectField
              name="district"
              label={t("reports.filter.district")}
              state={state}
              defaultValue={values.district ?? ""}
              placeholder={t("reports.filter.allDistricts")}
              options={districts.map((d) => ({ value: d.id, label: locale === "zh-CN" ? d.nameZh : d.nameEn }))}
            />
          )}
          {allowsIntakeYear(def.name) && (
            <>
              <TextField name="intakeYear" type="number" inputMode="numeric" label={t("reports.filter.intakeYear")} help={t("reports.filter.intakeYearHelp")} state={state} />
              <SelectField
                name="by"
                label={t("reports.filter.by")}
                state={state}
                defaultValue={report?.params.groupBy ?? "district"}
                required
                options={GROUPINGS.map((g) => ({ value: g, label: t(`reports.filter.by.${g}` as MessageKey) }))}
              />
            </>
          )}
          <div className="flex items-end pb-4 sm:col-span-2 lg:col-span-3">
            <Button>{t("reports.filter.run")}</Button>
          </div>
        </Form>
      </Card>

      {report &&
        (report.rows.length === 0 ? (
          <EmptyState title={t("reports.empty")}>{t("reports.emptyHelp")}</EmptyState>
        ) : (
          <>
            <Card className="mb-4 print:border-0 print:p-0 print:shadow-none">
              <BarChart
                title={title}
                caption={t("reports.chart.caption", { report: title, asOf: date(report.params.asOf) })}
                labelHeader={t(labelHeaderKey(def.name, report.params.groupBy))}
                labels={report.rows.map(label)}
                series={def.chart.map((key) => {
                  const kind = columns.find((c) => c.key === key)!.kind;
                  return { name: t(`reports.col.${key}` as MessageKey), values: report.rows.map((r) => chartValue(kind, r.values[key])) };
                })}
                max={percentOnly ? 100 : undefined}
                formatValue={(n) => (percentOnly ? `${n.toFixed(2)}%` : number(Math.round(n * 10) / 10))}
                formatTick={(n) => (percentOnly ? `${n}%` : number(n))}
                printTable={false}
              />
            </Card>
            <Card className="mb-4 print:border-0 print:p-0 print:shadow-none">
              <DataTable
                caption={t("reports.table.caption", { report: title })}
                rows={[...report.rows.map((r) => ({ key: r.key, label: label(r), values: r.values, total: false })), { key: "__total", label: t("reports.total"), values: report.totals, total: true }]}
                rowKey={(r) => r.key}
                columns={[
                  { key: "label", header: t(labelHeaderKey(def.name, report.params.groupBy)), primary: true, cell: (r) => (r.total ? <strong>{r.label}</strong> : r.label) },
                  ...columns.map((c) => ({
                    key: c.key,
                    header: t(`reports.col.${c.key}` as MessageKey),
                    cell: (r: { values: Record<string, number | string>; total: boolean }) => {
                      const text = r.total && c.kind === "text" ? "" : shown(c.kind, cellText(c.kind, c.key, r.values, locale));
                      return r.total ? <strong>{text}</strong> : text;
                    },
                  })),
                ]}
              />
            </Card>
          </>
        ))}

      <section className="rounded-card border border-line bg-surface p-4 text-sm print:border-0 print:p-0" aria-labelledby="definition">
        <h2 id="definition" className="mb-1 text-base">
          {t("reports.definition.title")}
        </h2>
        <p>{t(`reports.definition.${def.name}` as MessageKey, notes)}</p>
        <p lang={other} className="mt-2 text-muted">
          {translate(other, `reports.definition.${def.name}` as MessageKey, notes)}
        </p>
      </section>
    </article>
  );
}

export const meta = titled("reports.title");
