import { rmSync } from "node:fs";
import { closeDatabase, migrateDatabase, openDatabase, type Db } from "../db/client";
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemo } from "../db/demo/generate";
import { withBulkLoadPragmas } from "../db/demo/bulk";
import { parseScale, scaledCounts } from "../db/demo/scale";
import { parseDate } from "../app/domain/clients/dates";
import { isDemoDatabase } from "../app/domain/settings";
import type { Command } from "./commands";

/** A one-line reason for the operator (the CLI prints any Error's first line; no runtime import of ./commands, which imports this file). */
class CommandError extends Error {}

function isEmpty(db: Db): boolean {
  const row = db.$client
    .prepare("select (select count(*) from districts) + (select count(*) from users) as n")
    .get() as { n: number };
  return row.n === 0;
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
}

/** `--today YYYY-MM-DD`: a real calendar date, or a one-line reason. */
function parseToday(text: string): string {
  try {
    parseDate(text);
    return text;
  } catch {
    throw new CommandError(`--today must be a date YYYY-MM-DD (got "${text}")`);
  }
}

/**
 * `demo [--force] [--scale N] [--today YYYY-MM-DD]`: fills the (empty) DATABASE_URL database with
 * the demo data. `--force` replaces an existing demo database; it never touches a database that
 * is not one. `--scale N` writes N times the source figures instead of the normal demo (see
 * docs/demo-data.md); `--today` fixes the generation date, so the same N and today give the same
 * rows. Each progress line says how long the generation has run.
 */
export const demoCommand: Command = {
  name: "demo",
  usage: "demo [--force] [--scale N] [--today YYYY-MM-DD]",
  summary: "fill an empty database with the fictional demo data (--scale N: N × the source figures; --force replaces a demo database)",
  options: { force: { type: "boolean" }, scale: { type: "string" }, today: { type: "string" } },
  run: async (ctx) => {
    let scale: number | undefined;
    if (ctx.values.scale !== undefined) {
      if (typeof ctx.values.scale !== "string") throw new CommandError("--scale needs a number, e.g. --scale 1");
      try {
        scale = parseScale(ctx.values.scale);
      } catch (e) {
        throw new CommandError((e as Error).message);
      }
    }
    const today = typeof ctx.values.today === "string" ? parseToday(ctx.values.today) : undefined;
    if (ctx.positionals.length > 0) throw new CommandError(`demo takes no arguments (got "${ctx.positionals[0]}")`);
    const file = ctx.databaseUrl;
    let db = openDatabase(file);
    try {
      migrateDatabase(db);
      if (!isEmpty(db)) {
        if (ctx.values.force !== true) {
          throw new CommandError(`${file} is not empty; demo data goes only into an empty database (--force replaces a demo database)`);
        }
        if (!isDemoDatabase(db) || file === ":memory:") {
          throw new CommandError(`${file} is not a demo database; --force replaces only demo databases`);
        }
        closeDatabase(db);
        removeDatabaseFiles(file);
        console.log(`removed the old demo database ${file}`);
        db = openDatabase(file);
        migrateDatabase(db);
      }
      const started = Date.now();
      const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
      const onProgress = (line: string) => console.log(`  [${elapsed().padStart(7)}] ${line}`);
      const target = db;
      const generate = async () => {
        if (scale === undefined) {
          console.log(`filling ${file} with demo data`);
          return generateDemo(target, { onProgress, today });
        }
        const counts = scaledCounts(scale);
        console.log(
          `filling ${file} with demo data at scale ${scale}: ${counts.clients} clients, ${counts.socialWorkers} social workers, ` +
            `${counts.peerTutors} peer tutors, ${counts.studios} studios`,
        );
        const summary = await withBulkLoadPragmas(target.$client, () => generateDemo(target, { onProgress, today, scale }));
        console.log(
          `  ${summary.clients} clients, ${summary.contacts} contacts; three-year rate ${summary.threeYearRate}% ` +
            `(${summary.recognised} recognised of ${summary.clients} served, as of ${summary.today})`,
        );
        return summary;
      };
      try {
        await generate();
      } catch (e) {
        // the database was empty: a half-filled one is neither empty nor a demo, so remove it for the next run
        if (file !== ":memory:") {
          closeDatabase(target);
          removeDatabaseFiles(file);
          console.log(`removed the half-filled ${file}`);
        }
        throw e;
      }
      console.log(`done in ${elapsed()}; logins (password ${DEMO_PASSWORD}):`);
      for (const l of DEMO_LOGINS) console.log(`  ${l.login.padEnd(14)} ${l.description}`);
      console.log("Every person in the demo data is fictional.");
    } finally {
      if (db.$client.open) closeDatabase(db);
    }
  },
};
