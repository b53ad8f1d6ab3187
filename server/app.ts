/**
 * The Express layer in front of Remix, built by a function so that tests can run it with a
 * stand-in for the app (server/index.ts passes the real Remix handler):
 * security headers with a fresh CSP nonce per request, compression, a cheap request log without
 * personal data, static files (a year's cache only for content-hashed files), a per-address rate
 * limit on exports, and graceful shutdown (stop accepting, finish requests in flight, then exit).
 */
import compression from "compression";
import express, { type Express, type RequestHandler } from "express";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { createRateLimiter } from "../app/auth/rate-limit.server";
import { CLIENT_IP_HEADER } from "../app/http/request.server";
import { securityHeaders } from "../app/http/security.server";
import { DEFAULT_LOCALE, isLocale, localeFromAcceptLanguage, type Locale } from "../app/i18n/config";
import { translate } from "../app/i18n/translate";
import { loggedPath } from "../app/http/log-redact";

export { loggedPath };

// This file is bundled on its own by esbuild (npm run build → build/start.js) with every bare
// import left external, so it and what it imports must not use the "~/" and "#db/" aliases
// (a test bundles it and checks).

/** The language cookie (app/http/cookies.server.ts LOCALE_COOKIE; a test keeps them equal). */
export const LOCALE_COOKIE_NAME = "tb_lang";

/** The reader's language for the server's own answers: the cookie, then Accept-Language, then Chinese. */
export function localeOf(cookieHeader: string | undefined, acceptLanguage: string | undefined): Locale {
  const cookie = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE_NAME}=([^;]*)`).exec(cookieHeader ?? "")?.[1];
  const fromCookie = cookie ? decodeURIComponent(cookie) : undefined;
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(acceptLanguage ?? null) ?? DEFAULT_LOCALE;
}

/** Closes the app's database handle, which app/db.server.ts keeps on globalThis under this symbol. */
export function closeAppDatabase(): void {
  const holder = globalThis as Record<symbol, { $client: { close(): void } } | undefined>;
  const key = Symbol.for("tongban.db");
  holder[key]?.$client.close();
  holder[key] = undefined;
}

/** Exports of whole lists per address in 15 minutes (CSV exports are the heaviest requests there are). */
export const EXPORT_RATE_LIMIT = 30;
const EXPORT_WINDOW_MS = 15 * 60 * 1000;

/** Paths of exports: a segment named export or exports, e.g. /admin/audit/export, /registry/export.csv, /admin/data/export/clients. */
export function isExportPath(pathname: string): boolean {
  return /\/exports?(?:\.[a-z]+)?(?:\/|$)/i.test(pathname);
}

/** Cache-Control for a file under build/client: a year only for names with a content hash. */
export function cacheControlFor(file: string): string {
  const base = path.basename(file);
  return /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(base) ? "public, max-age=31536000, immutable" : "public, max-age=3600";
}

export type InFlight = { requests: number; sockets: Set<Socket>; busy: WeakSet<Socket>; shuttingDown: boolean };

export type AppOptions = {
  dev: boolean;
  trustProxy: boolean;
  /** build/client (production); absent in development, where Vite serves the files */
  clientDir?: string;
  /** Vite's middlewares in development */
  before?: RequestHandler;
  /** the app: Remix's request handler */
  handler: RequestHandler;
  /** where the request log goes (default: stdout unless TONGBAN_QUIET=1) */
  log?: (line: string) => void;
};

export function createApp(options: AppOptions): { app: Express; inFlight: InFlight } {
  const inFlight: InFlight = { requests: 0, sockets: new Set(), busy: new WeakSet(), shuttingDown: false };
  const log = options.log ?? ((line: string) => process.env.TONGBAN_QUIET !== "1" && console.log(line));
  const exportLimiter = createRateLimiter({ limit: () => EXPORT_RATE_LIMIT, windowMs: EXPORT_WINDOW_MS });

  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", 1);

  // requests in flight (for shutdown), headers, the request log: one middleware, one closure
  app.use((req, res, next) => {
    inFlight.requests += 1;
    inFlight.busy.add(req.socket);
    const start = process.hrtime.bigint();
    const pathname = req.path;
    res.once("close", () => {
      inFlight.requests -= 1;
      inFlight.busy.delete(req.socket);
      if (inFlight.shuttingDown && !req.socket.destroyed) req.socket.end();
      // static files that were found are not logged: they say nothing and cost the most lines
      if (res.statusCode < 400 && pathname.startsWith("/assets/")) return;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      log(`${req.method} ${loggedPath(pathname)} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    if (inFlight.shuttingDown) res.setHeader("Connection", "close");
    // the only address the app trusts; whatever a client sent under this name is replaced
    req.headers[CLIENT_IP_HEADER] = req.ip ?? "";
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    for (const [k, v] of Object.entries(securityHeaders(nonce, { dev: options.dev }))) res.setHeader(k, v);
    next();
  });

  app.use(compression());

  app.use((req, res, next) => {
    if (!isExportPath(req.path) || exportLimiter.hit(req.ip || "unknown")) return next();
    const locale = localeOf(req.headers.cookie, req.headers["accept-language"]);
    const minutes = String(EXPORT_WINDOW_MS / 60000);
    res
      .status(429)
      .set({ "Retry-After": String(EXPORT_WINDOW_MS / 1000), "Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8" })
      .send(
        `<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>${translate(locale, "operations.rateLimited.title")}</title>` +
          `<h1>${translate(locale, "operations.rateLimited.title")}</h1><p>${translate(locale, "operations.rateLimited.body", { minutes })}</p></html>`,
      );
  });

  if (options.before) app.use(options.before);
  if (options.clientDir) {
    const setHeaders = (res: express.Response, file: string) => res.setHeader("Cache-Control", cacheControlFor(file));
    app.use("/assets", express.static(path.join(options.clientDir, "assets"), { cacheControl: false, setHeaders, index: false, fallthrough: false }));
    app.use(express.static(options.clientDir, { cacheControl: false, setHeaders, index: false }));
  }

  app.all("*", options.handler);
  return { app, inFlight };
}

/** Listens, and keeps the list of open connections that shutdown needs. */
export function listen(app: Express, inFlight: InFlight, port: number, host: string, onListening?: (server: Server) => void): Server {
  const server = app.listen(port, host, () => onListening?.(server));
  server.on("connection", (socket) => {
    inFlight.sockets.add(socket);
    socket.once("close", () => inFlight.sockets.delete(socket));
  });
  return server;
}

/**
 * Stops accepting connections, lets the requests in flight finish (their connections then
 * close), and resolves "clean" when none is left, or "timeout" after timeoutMs (connections
 * still open are then cut).
 */
export function gracefulShutdown(server: Server, inFlight: InFlight, timeoutMs = 10_000): Promise<"clean" | "timeout"> {
  inFlight.shuttingDown = true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      for (const socket of inFlight.sockets) socket.destroy();
      resolve("timeout");
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve("clean");
    });
    // idle keep-alive connections are closed now; busy ones when their response is sent
    for (const socket of inFlight.sockets) if (!inFlight.busy.has(socket)) socket.end();
  });
}

/**
 * SIGTERM / SIGINT: graceful shutdown, then `cleanup` (close the database, remove the pid file),
 * then exit 0. A second signal while shutting down exits at once.
 */
export function exitOnSignals(server: Server, inFlight: InFlight, cleanup: () => void | Promise<void>, timeoutMs = 10_000): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`tongban: ${signal} received, finishing ${inFlight.requests} request(s) in flight`);
    const outcome = await gracefulShutdown(server, inFlight, timeoutMs);
    try {
      await cleanup();
    } catch (e) {
      console.error(`tongban: while shutting down: ${(e as Error).message}`);
    }
    console.log(`tongban: stopped (${outcome === "clean" ? "every request finished" : "requests cut after the time limit"})`);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
