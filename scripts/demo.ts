/**
 * `npm run demo`: creates and fills data/demo.db (unless it exists), builds the app and starts it
 * on http://localhost:3000 (PORT overrides), then prints the demo logins. DEMO_DATABASE_URL
 * chooses another file. Every person in the demo data is fictional.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { closeDatabase, isDatabaseKeyError, migrateDatabase, openDatabase } from "../db/client";
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemo } from "../db/demo/generate";

const databaseUrl = process.env.DEMO_DATABASE_URL || "data/demo.db";
const port = process.env.PORT || "3000";
const url = `http://localhost:${port}`;

function fail(message: string): never {
  console.error(`demo: ${message}`);
  process.exit(1);
}

async function fillDatabase(): Promise<void> {
  if (existsSync(databaseUrl)) {
    // an encrypted demo database and no DATABASE_KEY (or the wrong one): say so before building
    try {
      closeDatabase(openDatabase(databaseUrl, { fileMustExist: true }));
    } catch (e) {
      fail(isDatabaseKeyError(e) ? e.message : `cannot open ${databaseUrl}: ${(e as Error).message.split("\n")[0]}`);
    }
    console.log(`demo: reusing ${databaseUrl} (delete it to start afresh)`);
    return;
  }
  console.log(`demo: creating ${databaseUrl}${process.env.DATABASE_KEY ? " (encrypted with DATABASE_KEY)" : ""}`);
  let db;
  try {
    db = openDatabase(databaseUrl);
  } catch (e) {
    fail(e instanceof Error ? e.message.split("\n")[0]! : String(e));
  }
  try {
    migrateDatabase(db);
    const summary = await generateDemo(db, { onProgress: (line) => console.log(`demo:   ${line}`) });
    console.log(`demo: demo data written in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
    closeDatabase(db);
  } catch (e) {
    // a half-filled file would be reused next time: remove it so the next run starts clean
    if (db.$client.open) closeDatabase(db);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(databaseUrl + suffix, { force: true });
    fail(`could not fill ${databaseUrl}: ${(e as Error).message.split("\n")[0]}`);
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function printLogins(): void {
  const width = Math.max(...DEMO_LOGINS.map((l) => l.login.length)) + 2;
  console.log("");
  console.log(`Tongban demo: ${url}`);
  console.log(`Sign in with one of these logins, password "${DEMO_PASSWORD}":`);
  for (const l of DEMO_LOGINS) console.log(`  ${l.login.padEnd(width)}${l.description}`);
  console.log("Every person in the demo data is fictional; any likeness to real people is coincidence.");
  console.log("Press Ctrl+C to stop.");
  console.log("");
}

/** Waits until the server answers (any status) so the banner appears after its start-up lines. */
async function waitUntilUp(child: ChildProcess, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      await fetch(`${url}/login`, { redirect: "manual", signal: AbortSignal.timeout(2000) });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return false;
}

async function main(): Promise<void> {
  await fillDatabase();

  console.log("demo: building the app (npm run build)");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const built = await run(npm, ["run", "build"]);
  if (built !== 0) fail(`the build failed (exit code ${built})`);

  console.log(`demo: starting the server on ${url}`);
  const server = spawn(process.execPath, ["build/start.js"], {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: port,
      // plain http on localhost: a Secure cookie would never come back
      COOKIE_SECURE: "false",
    },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (server.exitCode === null) server.kill(signal);
    });
  }
  server.on("error", (e) => fail(`could not start the server: ${e.message}`));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

  if (await waitUntilUp(server)) printLogins();
  else if (server.exitCode === null) console.error(`demo: the server did not answer on ${url} within 30 s; still waiting`);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message.split("\n")[0]! : String(e)));
