/**
 * Tongban's operator command line: `npm run cli -- <command>` or `npx tongban <command>`.
 * Works on DATABASE_URL (default data/tongban.db). Bad input: a one-line reason, exit code 1.
 */
import { parseArgs } from "node:util";
import { migrateDatabase, openDatabase, type Db } from "../db/client";
import { parseEnv } from "../app/env.server";
import { commands } from "./commands";

import { CommandError } from "./commands";

class CliError extends CommandError {}

const USAGE = `Usage: tongban <command> [options]
Commands:
${commands.map((c) => `  ${c.usage.padEnd(58)} ${c.summary}`).join("\n")}
Every command works on DATABASE_URL (default data/tongban.db).`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const words = name.split(" ");
  const command = commands.find((c) => c.name === name) ?? commands.find((c) => c.name === `${name} ${rest[0]}`);
  if (!command) throw new CliError(`unknown command "${[...words, rest[0] ?? ""].join(" ").trim()}"; run "tongban help" for the list`);
  const args = command.name.includes(" ") ? rest.slice(1) : rest;
  let parsed;
  try {
    parsed = parseArgs({ args, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${command.name}: ${(e as Error).message.split("\n")[0]}`);
  }
  const env = parseEnv();
  let db: Db | undefined;
  const open = () => {
    if (!db) {
      db = openDatabase(env.DATABASE_URL);
      migrateDatabase(db);
    }
    return db;
  };
  try {
    await command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined>, db: open, databaseUrl: env.DATABASE_URL });
  } finally {
    db?.$client.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`tongban: ${message.split("\n")[0]}`);
    process.exit(1);
  },
);
