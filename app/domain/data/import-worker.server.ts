/**
 * The body of an import job (issue 6): runs inside a worker thread with its own connection to the
 * same database file (openDatabase: WAL, busy_timeout), and calls the very import the page and the
 * CLI use, so the transaction, the checks and the audit row (the admin as actor) are the same.
 * It posts the rows read so far while it runs, and the result (counts, or the problems and the
 * failed-rows file id) at the end. The upload is deleted once read.
 * An encrypted database is opened with DATABASE_KEY from the worker's environment (a worker
 * thread starts with a copy of the server's), like the server's own connection (ADR 0006).
 */
import { rmSync } from "node:fs";
import { openDatabase } from "#db/client";
import type { Actor } from "~/domain/audit";
import type { Locale } from "~/i18n/config";
import { COLUMNS, ERRORS_SHOWN, type DataKind } from "./formats";
import { importCsv } from "./import.server";
import { problemReason } from "./problems";
import { failedRowsWriter } from "./tmp.server";
import type { JobInput, JobMessage, JobResult } from "./job-types";

export function runImportJob(input: JobInput, post: (message: JobMessage) => void): void {
  const db = openDatabase(input.databaseUrl);
  const failed = failedRowsWriter(input.tmpDir, COLUMNS[input.kind as DataKind]);
  try {
    const result = importCsv(db, input.actor as Actor, {
      kind: input.kind,
      source: { path: input.filePath },
      dryRun: input.dryRun,
      fileName: input.fileName,
      progressEvery: input.progressEvery ?? 500,
      onProgress: (rows) => post({ type: "progress", rows }),
      onBadRow: (cells, line, problems) =>
        failed.write(
          cells,
          problems.map((p) => `${line}${p.column ? ` ${p.column}` : ""}: ${problemReason(input.locale as Locale, p.key)}`).join("; "),
        ),
    });
    const failedCount = failed.close();
    if (failedCount === 0) failed.discard();
    const outcome: JobResult = {
      kind: input.kind,
      ok: result.ok,
      dryRun: input.dryRun,
      rows: result.rows,
      inserted: result.inserted,
      unchanged: result.unchanged,
      badRows: result.badRows,
      fileErrors: result.fileErrors,
      rowErrors: result.rowErrors.slice(0, ERRORS_SHOWN),
      totalErrors: result.fileErrors.length + result.rowErrors.length,
      failedId: failedCount > 0 ? failed.id : null,
    };
    post({ type: "done", result: outcome });
  } catch (e) {
    failed.discard();
    throw e;
  } finally {
    rmSync(input.filePath, { force: true });
    db.$client.close();
  }
}
