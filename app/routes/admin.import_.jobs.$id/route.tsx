/**
 * An import job's page (issue 6): the rows read so far and the time taken, refreshing itself every
 * 2 seconds with <meta http-equiv="refresh"> while the import runs (no JavaScript needed); once
 * finished, the counts, or every problem with its line, column and reason and the failed-rows
 * download (a POST to /admin/import). GET only reads the job kept in memory; unknown or forgotten
 * jobs (an hour after finishing) are 404.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { notFound, requireUserWithPermission } from "~/auth/guards.server";
import { Button, Card, DataTable, LinkButton, PageHeader } from "~/components/ui";
import { getJob } from "~/domain/data/jobs.server";
import { DEFAULT_LOCALE, isLocale } from "~/i18n/config";
import type { MessageKey } from "~/i18n/messages";
import { translate } from "~/i18n/translate";
import { useT } from "~/i18n/use-t";

const JobId = z.string().regex(/^[a-f0-9]{32}$/);

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:data");
  const id = JobId.safeParse(params.id ?? "");
  const job = id.success ? getJob(id.data) : null;
  if (!job) throw notFound();
  const now = Date.now();
  return {
    id: job.id,
    kind: job.kind,
    dryRun: job.dryRun,
    fileName: job.fileName,
    running: job.finishedAt === null,
    rows: job.rows,
    elapsedSeconds: Math.max(0, Math.round(((job.finishedAt ?? now) - job.startedAt) / 100) / 10),
    crashed: job.crashed,
    result: job.result,
  };
}

export default function ImportJobPage() {
  const job = useLoaderData<typeof loader>();
  const { t, tm, number } = useT();
  const kindLabel = t(`data.kind.${job.kind}` as MessageKey);
  const result = job.result;
  return (
    <div className="max-w-4xl">
      <PageHeader title={t(job.running ? "data.job.title" : "data.import.title")} subtitle={job.fileName} />
      {job.running && (
        <Card>
          <p role="status" aria-live="polite">
            {t(job.dryRun ? "data.job.runningDry" : "data.job.running", {
              kind: kindLabel,
              rows: number(job.rows),
              elapsed: number(job.elapsedSeconds),
            })}
          </p>
          <div className="mt-4">
            <LinkButton to={`/admin/import/jobs/${job.id}`} reloadDocument>
              {t("data.job.refresh")}
            </LinkButton>
          </div>
        </Card>
      )}

      {!job.running && (
        <p className="mb-3 text-sm text-muted">{t("data.job.finished", { elapsed: number(job.elapsedSeconds), file: job.fileName })}</p>
      )}

      {job.crashed && (
        <Card>
          <p role="alert" className="font-medium text-danger">
            {t("data.job.crashed")}
          </p>
        </Card>
      )}

      {result?.ok && (
        <Card>
          <p role="status">
            {result.dryRun
              ? t("data.import.dryRunOk", { rows: number(result.rows), inserted: number(result.inserted), unchanged: number(result.unchanged) })
              : t("data.job.doneOk", { rows: number(result.rows), inserted: number(result.inserted), unchanged: number(result.unchanged) })}
          </p>
        </Card>
      )}

      {result && !result.ok && (
        <Card title={t("data.import.errorsTitle")}>
          <p role="alert" className="mb-3 font-medium text-danger">
            {result.fileErrors.length ? t("data.import.fileFailed") : t("data.import.failed", { count: number(result.badRows) })}
          </p>
          {result.fileErrors.length > 0 && (
            <ul className="mb-3 list-disc pl-5">
              {result.fileErrors.map((e, i) => (
                <li key={i}>{tm(e.key)}</li>
              ))}
            </ul>
          )}
          {result.rowErrors.length > 0 && (
            <DataTable
              caption={t("data.import.errorsTitle")}
              rows={result.rowErrors.map((e, i) => ({ ...e, i }))}
              rowKey={(r) => r.i}
              columns={[
                { key: "line", header: t("data.import.line"), cell: (r) => r.line, primary: true },
                { key: "column", header: t("data.import.column"), cell: (r) => (r.column ? <code>{r.column}</code> : "—") },
                { key: "reason", header: t("data.import.reason"), cell: (r) => tm(r.key) },
              ]}
            />
          )}
          {result.totalErrors > result.rowErrors.length + result.fileErrors.length && (
            <p className="mt-3 text-sm text-muted">
              {t("data.import.moreErrors", { shown: number(result.rowErrors.length + result.fileErrors.length), total: number(result.totalErrors) })}
            </p>
          )}
          {result.failedId && (
            <Form method="post" action="/admin/import" reloadDocument className="mt-4">
              <input type="hidden" name="intent" value="failed" />
              <input type="hidden" name="id" value={result.failedId} />
              <input type="hidden" name="kind" value={result.kind} />
              <Button kind="secondary">{t("data.import.downloadFailed")}</Button>
            </Form>
          )}
        </Card>
      )}

      {!job.running && (
        <div className="mt-4">
          <LinkButton to="/admin/import">{t("data.job.back")}</LinkButton>
        </div>
      )}
    </div>
  );
}

/** The title, and while the import runs a refresh every 2 seconds (no JavaScript needed). */
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const locale = isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
  const title = { title: `${translate(locale, data?.running ? "data.job.title" : "data.import.title")} · ${translate(locale, "app.name")}` };
  return data?.running ? [title, { httpEquiv: "refresh", content: "2" }] : [title];
};
