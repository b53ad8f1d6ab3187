/**
 * Admin import page (DESIGN.md §7): upload a CSV of one kind, optionally as a dry run. The same
 * all-or-nothing import as `npm run cli -- import`, run in a worker thread (issue 6): the upload
 * redirects to its job page (/admin/import/jobs/<id>), which shows the rows read so far and then
 * the counts, or every problem with its line, column and reason and a download of the failed rows
 * (kept an hour under data/tmp by a random id; the upload itself is deleted once read). The
 * download is a POST to this page. One import at a time per server.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { rmSync } from "node:fs";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { CheckboxField, ErrorSummary, FormActions, SelectField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { dataTmpDir, purgeOldFailedRows, readFailedRows } from "~/domain/data";
import { COLUMNS, DATA_KINDS, isDataKind, MAX_UPLOAD_BYTES, type DataKind } from "~/domain/data/formats";
import { startImportJob } from "~/domain/data/jobs.server";
import { env } from "~/env.server";
import { contentDisposition } from "~/http/csv.server";
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
  // The import runs in a worker (same function, transaction, checks and audit row as the CLI);
  // the job page shows its progress and then its result.
  const job = startImportJob({
    databaseUrl: env().DATABASE_URL,
    tmpDir: dir,
    kind: values.kind,
    dryRun: values.dryRun === "on",
    filePath: upload.file.path,
    fileName: upload.file.name,
    actor: actorOf(request, user),
    locale: resolveLocale(request, user),
  });
  if (!job) {
    // one import at a time per server
    rmSync(upload.file.path, { force: true });
    return data<Outcome>({ values, errors: { _form: "data.import.busy" } }, { status: 409 });
  }
  return redirect(`/admin/import/jobs/${job.id}`);
}

export default function ImportPage() {
  const { kinds, columns, maxMb } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as Outcome | undefined;
  const { t, tm } = useT();
  const busy = useNavigation().state === "submitting";
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

    </div>
  );
}

export const meta = titled("data.import.title");
