import { rmSync } from "node:fs";
import { closeDatabase, migrateDatabase, openDatabase, type Db } from "../db/client";
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemo } from "../db/demo/generate";
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

/**
 * `demo [--force]`: fills the (empty) DATABASE_URL database with the demo data.
 * `--force` replaces an existing demo database; it never touches a database that is not one.
 */
export const demoCommand: Command = {
  name: "demo",
  usage: "demo [--force]",
  summary: "fill an empty database with the fictional demo data (--force replaces a demo database)",
  options: { force: { type: "boolean" }, scale: { type: "string" } },
  run: async (ctx) => {
    if (ctx.values.scale !== undefined) throw new CommandError("--scale is not supported yet");
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
      console.log(`filling ${file} with demo data`);
      const summary = await generateDemo(db, { onProgress: (line) => console.log(`  ${line}`) });
      console.log(`done in ${(summary.elapsedMs / 1000).toFixed(1)} s; logins (password ${DEMO_PASSWORD}):`);
      for (const l of DEMO_LOGINS) console.log(`  ${l.login.padEnd(14)} ${l.description}`);
      console.log("Every person in the demo data is fictional.");
    } finally {
      if (db.$client.open) closeDatabase(db);
    }
  },
};
