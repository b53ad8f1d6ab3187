/**
 * Admin import page (DESIGN.md §7): upload a CSV of one kind, optionally as a dry run. The same
 * all-or-nothing import as `npm run cli -- import`: counts when it worked, otherwise every problem
 * with its line, column and reason, and a download of the failed rows (kept an hour under
 * data/tmp by a random id; the upload itself is deleted once read).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { rmSync } from "node:fs";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { CheckboxField, ErrorSummary, FormActions, SelectField } from "~/components/forms";
import { Button, Card, DataTable, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { dataTmpDir, failedRowsWriter, importCsv, problemReason, purgeOldFailedRows, readFailedRows } from "~/domain/data";
import { COLUMNS, DATA_KINDS, ERRORS_SHOWN, isDataKind, MAX_UPLOAD_BYTES, type DataKind, type ImportProblem } from "~/domain/data/formats";
import { env } from "~/env.server";
import { contentDisposition } from "~/http/csv.server";
import { redirectWithFlash } from "~/http/flash.server";
import { readForm } from "~/http/forms.server";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { readUpload } from "./upload.server";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:data");
  return { kinds: DATA_KINDS, columns: COLUMNS, maxMb: MAX_UPLOAD_BYTES / (1024 * 1024) };
}

const FailedSchema = z.object({ intent: z.literal("failed"), id: z.string().regex(/^[a-f0-9]{32}$/), kind: z.enum(DATA_KINDS) });

type Outcome = {
  values: Record<string, string>;
  errors?: Record<string, string>;
  result?: {
    kind: DataKind;
    ok: boolean;
    dryRun: boolean;
    rows: number;
    inserted: number;
    unchanged: number;
    badRows: number;
    fileErrors: ImportProblem[];
    rowErrors: ImportProblem[];
    totalErrors: number;
    failedId: string | null;
  };
};

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:data");
  const dir = dataTmpDir(env().DATABASE_URL);
  const maxMb = MAX_UPLOAD_BYTES / (1024 * 1024);

  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    // the download of a failed-rows file
    const form = await readForm(request);
    const parsed = FailedSchema.safeParse(form?.values ?? {});
    const bytes = parsed.success ? readFailedRows(dir, parsed.data.id) : null;
    if (!parsed.success || !bytes) {
      return data<Outcome>({ values: {}, errors: { _form: "data.import.failedExpired" } }, { status: 400 });
    }
    return new Response(new Uint8Array(bytes), {
      status: 200,
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": contentDisposition(
          serverT(request, user)("data.import.failedFilename", { kind: parsed.data.kind }),
          `failed-rows-${parsed.data.kind}.csv`,
        ),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  }

  purgeOldFailedRows(dir);
  const upload = await readUpload(request, dir);
  if (!upload.ok) {
    const key = upload.reason === "tooBig" ? `data.import.tooBig?max=${maxMb}` : "data.import.badUpload";
    return data<Outcome>({ values: {}, errors: { file: key } }, { status: upload.reason === "tooBig" ? 413 : 400 });
  }
  const values = { kind: upload.fields.kind ?? "", dryRun: upload.fields.dryRun ?? "" };
  const errors: Record<string, string> = {};
  if (!isDataKind(values.kind)) errors.kind = "form.unknownChoice";
  if (!upload.file) errors.file = "data.import.noFile";
  if (!isDataKind(values.kind) || !upload.file) {
    if (upload.file) rmSync(upload.file.path, { force: true });
    return data<Outcome>({ values, errors }, { status: 400 });
  }
  const kind = values.kind;
  const dryRun = values.dryRun === "on";
  const locale = resolveLocale(request, user);
  const failed = failedRowsWriter(dir, COLUMNS[kind]);
  let result;
  try {
    result = importCsv(getDb(), actorOf(request, user), {
      kind,
      source: { path: upload.file.path },
      dryRun,
      fileName: upload.file.name,
      onBadRow: (cells, line, problems) =>
        failed.write(cells, problems.map((p) => `${line}${p.column ? ` ${p.column}` : ""}: ${problemReason(locale, p.key)}`).join("; ")),
    });
  } finally {
    rmSync(upload.file.path, { force: true });
  }
  const failedCount = failed.close();
  if (failedCount === 0) failed.discard();
  if (result.ok && !dryRun) {
    return redirectWithFlash("/admin/import", { kind: "success", key: "data.import.done", params: { rows: result.rows, unchanged: result.unchanged } });
  }
  const all = [...result.fileErrors, ...result.rowErrors];
  return data<Outcome>(
    {
      values,
      result: {
        kind,
        ok: result.ok,
        dryRun,
        rows: result.rows,
        inserted: result.inserted,
        unchanged: result.unchanged,
        badRows: result.badRows,
        fileErrors: result.fileErrors,
        rowErrors: result.rowErrors.slice(0, ERRORS_SHOWN),
        totalErrors: all.length,
        failedId: failedCount > 0 ? failed.id : null,
      },
    },
    { status: result.ok ? 200 : 400 },
  );
}

export default function ImportPage() {
  const { kinds, columns, maxMb } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as Outcome | undefined;
  const { t, tm, number } = useT();
  const busy = useNavigation().state === "submitting";
  const result = state?.result;
  const kindLabel = (k: DataKind) => t(`data.kind.${k}` as MessageKey);
  return (
    <div className="max-w-4xl">
      <PageHeader title={t("data.import.title")} subtitle={t("data.import.intro")} />
      <Card>
        <Form method="post" encType="multipart/form-data" noValidate>
          <ErrorSummary state={state} labels={{ kind: t("data.import.kind"), file: t("data.import.file") }} />
          <SelectField
            name="kind"
            label={t("data.import.kind")}
            state={state}
            required
            options={kinds.map((k) => ({ value: k, label: kindLabel(k) }))}
          />
          <div className="mb-4">
            <label htmlFor="f-file" className="block font-medium">
              {t("data.import.file")}
              <span className="ml-1 text-danger" aria-hidden="true">*</span>
            </label>
            <p id="f-file-help" className="text-sm text-muted">
              {t("data.import.fileHint", { max: maxMb })}
            </p>
            <input
              id="f-file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              required
              aria-invalid={state?.errors?.file ? true : undefined}
              aria-describedby={state?.errors?.file ? "f-file-help f-file-error" : "f-file-help"}
              className="mt-1 block min-h-11 w-full rounded-lg border border-line bg-surface px-3 py-2"
            />
            {state?.errors?.file && (
              <p id="f-file-error" className="mt-1 text-sm font-medium text-danger">
                {tm(state.errors.file)}
              </p>
            )}
          </div>
          <CheckboxField name="dryRun" label={t("data.import.dryRun")} state={state} />
          <FormActions>
            <Button disabled={busy}>{t("data.import.submit")}</Button>
          </FormActions>
        </Form>
        <details className="mt-4 text-sm">
          <summary className="min-h-11 cursor-pointer py-2">{t("data.import.formatsLink")}</summary>
          <ul className="mt-2 space-y-1">
            {kinds.map((k) => (
              <li key={k}>
                <span className="font-medium">{kindLabel(k)}</span> ({k}): <code className="break-words">{columns[k].join(",")}</code>
              </li>
            ))}
          </ul>
        </details>
      </Card>

      {result?.ok && (
        <Card className="mt-4">
          <p role="status">{t("data.import.dryRunOk", { rows: number(result.rows), inserted: number(result.inserted), unchanged: number(result.unchanged) })}</p>
        </Card>
      )}

      {result && !result.ok && (
        <Card className="mt-4" title={t("data.import.errorsTitle")}>
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
            <Form method="post" reloadDocument className="mt-4">
              <input type="hidden" name="intent" value="failed" />
              <input type="hidden" name="id" value={result.failedId} />
              <input type="hidden" name="kind" value={result.kind} />
              <Button kind="secondary">{t("data.import.downloadFailed")}</Button>
            </Form>
          )}
        </Card>
      )}
    </div>
  );
}

export const meta = titled("data.import.title");
