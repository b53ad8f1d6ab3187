/**
 * Tongban's HTTP server: Express in front of Remix, in development (Vite middleware) and
 * production (the built app). It validates the environment, migrates the database, sets the
 * security headers with a fresh CSP nonce per request, and shuts down gracefully on SIGTERM.
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { closeDatabase, migrateDatabase, openDatabase } from "../db/client";
import { parseEnv } from "../app/env.server";
import { CLIENT_IP_HEADER } from "../app/http/request.server";
import { securityHeaders } from "../app/http/security.server";

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
  console.error(`tongban: cannot open or migrate the database at ${env.DATABASE_URL}: ${(e as Error).message}`);
  process.exit(1);
}

const viteDevServer = dev
  ? await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }))
  : undefined;

const app = express();
app.disable("x-powered-by");
if (env.TRUST_PROXY === "true") app.set("trust proxy", 1);

app.use((req, res, next) => {
  // the only address the app trusts; whatever a client sent under this name is replaced
  req.headers[CLIENT_IP_HEADER] = req.ip ?? "";
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  for (const [k, v] of Object.entries(securityHeaders(nonce, { dev }))) res.setHeader(k, v);
  next();
});

app.use(compression());

// request log: method, path (no query string: it may hold search words), status, time
app.use((req, res, next) => {
  const start = process.hrtime.bigint();
  res.on("finish", () => {
    if (process.env.TONGBAN_QUIET === "1") return;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${req.method} ${req.path.slice(0, 200)} ${res.statusCode} ${ms.toFixed(1)}ms`);
  });
  next();
});

if (viteDevServer) {
  app.use(viteDevServer.middlewares);
} else {
  const client = path.resolve("build/client");
  app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(client, { maxAge: "1h", index: false }));
}

const build = viteDevServer
  ? () => viteDevServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
  : ((await import(/* @vite-ignore */ path.resolve("build/server/index.js"))) as ServerBuild);

app.all(
  "*",
  createRequestHandler({
    build,
    mode: env.NODE_ENV,
    getLoadContext: (_req, res) => ({ cspNonce: String(res.locals.cspNonce) }),
  }),
);

const server = app.listen(env.PORT, env.HOST, () => {
  console.log(`Tongban listening on http://localhost:${env.PORT} (${env.NODE_ENV}, database ${env.DATABASE_URL}, started in ${Date.now() - startedAt} ms)`);
});

function shutdown(signal: string) {
  console.log(`tongban: ${signal} received, finishing requests in flight`);
  server.close(() => process.exit(0));
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
