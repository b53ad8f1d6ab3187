/**
 * CSV import (DESIGN.md §7), all or nothing: the whole file is read, checked and written inside
 * one SQLite transaction; any bad row (or a dry run) rolls it all back, and every bad row is
 * reported with its line, column and reason. Rows are streamed from the file and inserted as
 * they are checked, so a file of 100,000 rows is never held in memory; only the problems are.
 *
 * The transaction is synchronous (better-sqlite3): while an import runs, nothing else uses the
 * connection, so no other request's write can slip into it or be rolled back with it.
 *
 * Audit: one row per successful import (action "import", entity "data", the kind as entity id)
 * with the counts and the id range each table received, instead of one row per record.
 */
import type { Db } from "#db/client";
import { recordAudit, type Actor } from "~/domain/audit";
import { localDate } from "~/domain/clients/dates";
import { getSettings } from "~/domain/settings";
import { isDomainError } from "~/domain/shared/errors";
import { msg } from "~/domain/shared/fields";
import { readCsvBytes, readCsvFile, type CsvHandlers } from "./csv-reader.server";
import { COLUMNS, type DataKind, type ImportProblem, type ImportResult } from "./formats";
import { makeImporter } from "./import-kinds.server";
import { lookups, type Problem } from "./lookups.server";

export type ImportOptions = {
  kind: DataKind;
  /** the file (path on disk) or its bytes */
  source: { path: string } | { bytes: Uint8Array };
  dryRun?: boolean;
  /** the name the file had, for the audit row */
  fileName?: string;
  /** now (tests); defaults to the clock */
  now?: Date;
  /** called every `progressEvery` rows and once at the end with the rows read so far */
  onProgress?: (rowsDone: number) => void;
  progressEvery?: number;
  /** called for each bad row with its cells as read and its problems (the failed-rows file) */
  onBadRow?: (cells: string[], line: number, problems: ImportProblem[]) => void;
};

const ROLLBACK = Symbol("rollback");

/** Cells exported with a formula guard (a leading ' before = + - @ …, app/http/csv.server.ts) come back without it. */
const GUARDED = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
export function unguard(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell;
}

/** The header must hold exactly the kind's columns (any order), each once. */
export function headerProblems(kind: DataKind, cells: string[]): ImportProblem[] {
  const expected: readonly string[] = COLUMNS[kind];
  const problems: ImportProblem[] = [];
  const missing = expected.filter((c) => !cells.includes(c));
  const unknown = cells.filter((c) => !expected.includes(c));
  const twice = [...new Set(cells.filter((c, i) => cells.indexOf(c) !== i))];
  if (missing.length) problems.push({ line: 1, column: "", key: msg("data.header.missing", { columns: missing.join(", ") }) });
  if (unknown.length) problems.push({ line: 1, column: "", key: msg("data.header.unknown", { columns: unknown.map((c) => c || "(empty)").join(", ") }) });
  if (twice.length) problems.push({ line: 1, column: "", key: msg("data.header.twice", { columns: twice.join(", ") }) });
  if (problems.length) problems.push({ line: 1, column: "", key: msg("data.header.expected", { columns: expected.join(", ") }) });
  return problems;
}

export function importCsv(db: Db, actor: Actor, options: ImportOptions): ImportResult {
  const { kind } = options;
  const dryRun = options.dryRun ?? false;
  const now = options.now ?? new Date();
  const { timeZone } = getSettings(db);
  const today = localDate(now, timeZone);
  const every = options.progressEvery ?? 1000;
  const result: ImportResult = { kind, dryRun, ok: false, rows: 0, inserted: 0, unchanged: 0, fileErrors: [], rowErrors: [], badRows: 0 };
  const columns: readonly string[] = COLUMNS[kind];

  try {
    db.transaction(
      (tx) => {
        const importer = makeImporter(kind, { tx: tx as unknown as Db, raw: db.$client, actor, today, now, timeZone, l: lookups(tx as unknown as Db) });
        let positions: number[] = [];
        let width = 0;
        const handlers: CsvHandlers = {
          header(cells) {
            const problems = headerProblems(kind, cells);
            positions = columns.map((c) => cells.indexOf(c));
            width = cells.length;
            return problems;
          },
          row(cells, line) {
            result.rows++;
            let problems: Problem[] = [];
            if (cells.length !== width) {
              problems = [{ column: "", key: msg("data.row.width", { found: cells.length, expected: width }) }];
            } else {
              const values = Object.fromEntries(columns.map((c, i) => [c, unguard(cells[positions[i]!] ?? "")]));
              const parsed = importer.schema.safeParse(values);
              if (!parsed.success) {
                const seen = new Set<string>();
                for (const issue of parsed.error.issues) {
                  const column = String(issue.path[0] ?? "");
                  if (seen.has(column)) continue;
                  seen.add(column);
                  problems.push({ column, key: issue.message });
                }
              } else {
                try {
                  const verdict = importer.apply(parsed.data);
                  if (verdict === "inserted") result.inserted++;
                  else if (verdict === "unchanged") result.unchanged++;
                  else problems = verdict;
                } catch (e) {
                  if (!isDomainError(e)) throw e;
                  problems = [{ column: "", key: e.key }];
                }
              }
            }
            if (problems.length) {
              result.badRows++;
              const listed = problems.map((p) => ({ line, ...p }));
              result.rowErrors.push(...listed);
              options.onBadRow?.(cells, line, listed);
            }
            if (result.rows % every === 0) options.onProgress?.(result.rows);
          },
        };
        result.fileErrors = "path" in options.source ? readCsvFile(options.source.path, handlers) : readCsvBytes(options.source.bytes, handlers);
        options.onProgress?.(result.rows);
        if (result.fileErrors.length || result.rowErrors.length || dryRun) throw ROLLBACK;
        recordAudit(tx, actor, {
          action: "import",
          entity: "data",
          entityId: kind,
          details: { file: options.fileName ?? null, rows: result.rows, inserted: result.inserted, unchanged: result.unchanged, added: importer.added() },
        });
      },
      { behavior: "immediate" },
    );
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  result.ok = result.fileErrors.length === 0 && result.rowErrors.length === 0;
  if (!result.ok) {
    result.inserted = 0;
    result.unchanged = 0;
  }
  return result;
}
