/**
 * `import <kind> <file.csv> [--dry-run]` and `export <kind> [--out file]` (DESIGN.md §7): the
 * same formats, checks and all-or-nothing rule as the admin import and export pages.
 */
import { createWriteStream, existsSync, statSync } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { SYSTEM_ACTOR } from "../app/domain/audit";
import { DATA_KINDS, exportHeader, exportRows, importCsv, isDataKind, problemLine, recordDataExport, type DataKind } from "../app/domain/data";
import { csvHead, csvRecords } from "../app/http/csv.server";
import type { Command } from "./commands";

/** A one-line reason for the operator (no runtime import of ./commands, which imports this file). */
class CommandError extends Error {}

const CLI_ACTOR = { ...SYSTEM_ACTOR, login: "cli" };

function kindOf(value: string | undefined): DataKind {
  if (!isDataKind(value)) throw new CommandError(`give the kind: one of ${DATA_KINDS.join(", ")}${value ? ` (got "${value}")` : ""}`);
  return value;
}

const quiet = () => process.env.TONGBAN_QUIET === "1";

export const importCommand: Command = {
  name: "import",
  usage: "import <kind> <file.csv> [--dry-run]",
  summary: `load a CSV file, all or nothing (kinds: ${DATA_KINDS.join(", ")}); --dry-run checks without writing`,
  options: { "dry-run": { type: "boolean" } },
  run: (ctx) => {
    const kind = kindOf(ctx.positionals[0]);
    const file = ctx.positionals[1];
    if (!file) throw new CommandError("give the CSV file to import");
    if (ctx.positionals.length > 2) throw new CommandError(`import takes a kind and one file (got "${ctx.positionals[2]}")`);
    if (!existsSync(file) || !statSync(file).isFile()) throw new CommandError(`no such file: ${file}`);
    const dryRun = ctx.values["dry-run"] === true;
    const tty = process.stderr.isTTY;
    const result = importCsv(ctx.db(), CLI_ACTOR, {
      kind,
      source: { path: file },
      dryRun,
      fileName: file,
      progressEvery: 10_000,
      onProgress: (n) => {
        if (quiet()) return;
        if (tty) process.stderr.write(`\r${n} rows read…`);
        else process.stderr.write(`${n} rows read\n`);
      },
    });
    if (tty && !quiet()) process.stderr.write("\n");
    if (!result.ok) {
      for (const p of [...result.fileErrors, ...result.rowErrors]) process.stderr.write(`${problemLine(p)}\n`);
      throw new CommandError(
        result.fileErrors.length
          ? `nothing imported: the file cannot be read as a ${kind} CSV`
          : `nothing imported: ${result.badRows} of ${result.rows} rows have problems`,
      );
    }
    if (dryRun) console.log(`dry run: ${result.rows} rows are good (${result.inserted} new, ${result.unchanged} unchanged); nothing written`);
    else console.log(`imported ${result.rows} rows (${result.unchanged} unchanged)`);
  },
};

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

export const exportCommand: Command = {
  name: "export",
  usage: "export <kind> [--out file]",
  summary: "write a CSV in the import format (stdout unless --out)",
  options: { out: { type: "string" } },
  run: async (ctx) => {
    const kind = kindOf(ctx.positionals[0]);
    if (ctx.positionals.length > 1) throw new CommandError(`export takes one kind (got "${ctx.positionals[1]}")`);
    const db = ctx.db();
    const outPath = typeof ctx.values.out === "string" ? ctx.values.out : null;
    const total = recordDataExport(db, CLI_ACTOR, kind, "cli");
    const out: Writable = outPath ? createWriteStream(outPath) : process.stdout;
    await write(out, csvHead(exportHeader(kind)));
    let batch: (string | number)[][] = [];
    let done = 0;
    for (const row of exportRows(db, kind)) {
      batch.push(row);
      if (batch.length === 500) {
        await write(out, csvRecords(batch));
        done += batch.length;
        batch = [];
        if (outPath && !quiet() && done % 10_000 === 0) process.stderr.write(`${done} of ${total} rows written\n`);
      }
    }
    if (batch.length) await write(out, csvRecords(batch));
    done += batch.length;
    if (outPath) {
      out.end();
      await once(out, "finish");
      console.log(`exported ${done} rows to ${outPath}`);
    }
  },
};
