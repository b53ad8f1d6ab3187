/**
 * Tongban's HTTP server: Express in front of Remix, in development (Vite middleware) and
 * production (the built app). It validates the environment, migrates the database, marks the
 * database as in use (a pid file beside it, which `tongban restore` respects), and on SIGTERM
 * stops accepting, finishes the requests in flight, closes the database and exits 0.
 * The Express layer itself is in ./app.ts.
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import path from "node:path";
import { closeDatabase, isDatabaseKeyError, migrateDatabase, openDatabase } from "../db/client";
import { removePidFile, writePidFile } from "../app/domain/data/restore-lock";
import { parseEnv } from "../app/env.server";
import { closeAppDatabase, createApp, exitOnSignals, listen } from "./app";

let env;
try {
  env = parseEnv();
} catch (e) {
  console.error(`tongban: ${(e as Error).message}`);
  process.exit(1);
}
const dev = env.NODE_ENV !== "production";
const startedAt = Date.now();

try {
  const db = openDatabase(env.DATABASE_URL);
  migrateDatabase(db);
  closeDatabase(db);
} catch (e) {
  // an encrypted database without its key (or a key for an unencrypted one): the one-line reason, no stack
  if (isDatabaseKeyError(e)) console.error(`tongban: refusing to start: ${e.message}`);
  else console.error(`tongban: cannot open or migrate the database at ${env.DATABASE_URL}: ${(e as Error).message}`);
  process.exit(1);
}

const signalListeners = new Set(process.listeners("SIGTERM"));
const viteDevServer = dev
  ? await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }))
  : undefined;
// Vite installs a SIGTERM listener that exits at once; this server's shutdown (below) finishes
// the requests in flight first and closes Vite itself
for (const listener of process.listeners("SIGTERM")) if (!signalListeners.has(listener)) process.off("SIGTERM", listener);

const build = viteDevServer
  ? () => viteDevServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
  : ((await import(/* @vite-ignore */ path.resolve("build/server/index.js"))) as ServerBuild);

const { app, inFlight } = createApp({
  dev,
  trustProxy: env.TRUST_PROXY === "true",
  before: viteDevServer?.middlewares,
  clientDir: viteDevServer ? undefined : path.resolve("build/client"),
  handler: createRequestHandler({
    build,
    mode: env.NODE_ENV,
    getLoadContext: (_req, res) => ({ cspNonce: String(res.locals.cspNonce) }),
  }),
});

const databaseUrl = env.DATABASE_URL;
const server = listen(app, inFlight, env.PORT, env.HOST, () => {
  writePidFile(databaseUrl);
  console.log(`Tongban listening on http://localhost:${env.PORT} (${env.NODE_ENV}, database ${databaseUrl}, started in ${Date.now() - startedAt} ms)`);
});

exitOnSignals(server, inFlight, async () => {
  await viteDevServer?.close();
  closeAppDatabase();
  removePidFile(databaseUrl);
});
