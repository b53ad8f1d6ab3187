/**
 * The production server's Express layer (issue 8, item 3): graceful shutdown on SIGTERM (a slow
 * request in flight completes, new connections are refused, the database is closed, exit 0),
 * per-address rate limits on exports with a localised 429, a request log without personal data,
 * and a year's cache only for content-hashed files.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { LOCALE_COOKIE } from "~/http/cookies.server";
import { EXPORT_RATE_LIMIT, LOCALE_COOKIE_NAME, cacheControlFor, createApp, isExportPath, listen, localeOf, loggedPath } from "../../../server/app";

const dir = mkdtempSync(path.join(tmpdir(), "tongban-server-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let servers: Server[] = [];
afterEach(() => {
  for (const s of servers) s.close();
  servers = [];
});

/** The Express layer with a stand-in app that answers "app" (and the log lines it wrote). */
async function start(options: { trustProxy?: boolean; clientDir?: string } = {}) {
  const lines: string[] = [];
  const { app, inFlight } = createApp({
    dev: false,
    trustProxy: options.trustProxy ?? false,
    clientDir: options.clientDir,
    log: (line) => lines.push(line),
    handler: (_req, res) => void res.send("app"),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = listen(app, inFlight, 0, "127.0.0.1", () => resolve(s));
  });
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, lines };
}

describe("graceful shutdown", { timeout: 60_000 }, () => {
  it("on SIGTERM a request in flight completes, new connections are refused, the database is closed and the process exits 0", async () => {
    const dbFile = path.join(dir, "shutdown.db");
    const child = spawn(process.execPath, ["--import", "tsx", "tests/integration/operations/fixtures/slow-server.ts"], {
      env: { ...process.env, DATABASE_URL: dbFile, SLOW_MS: "1500", TONGBAN_QUIET: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/listening (\d+)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const port = Number(/listening (\d+)/.exec(out)![1]);
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/`)).text()).toBe("fast");

      const slow = fetch(`${base}/slow`).then(async (r) => ({ status: r.status, body: await r.text(), at: Date.now() }));
      await new Promise((r) => setTimeout(r, 300));
      expect(existsSync(`${dbFile}-wal`)).toBe(true); // the slow page wrote; the database is open in WAL mode
      const signalledAt = Date.now();
      child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 200));
      await expect(fetch(`${base}/`, { headers: { Connection: "close" } })).rejects.toThrow();

      const answer = await slow;
      expect(answer).toMatchObject({ status: 200, body: "finished" });
      expect(answer.at - signalledAt).toBeGreaterThan(500); // it really was in flight when the signal came
      expect(await exited).toBe(0);
      expect(out).toContain("SIGTERM received, finishing 1 request(s) in flight");
      expect(out).toContain("database closed");
      expect(out).toContain("every request finished");
      // a cleanly closed SQLite database checkpoints and removes its write-ahead log
      expect(existsSync(`${dbFile}-wal`)).toBe(false);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("rate limit on exports", () => {
  it("recognises export paths", () => {
    expect(["/admin/audit/export", "/registry/export", "/registry/export.csv", "/admin/data/export/clients", "/admin/data/exports"].every(isExportPath)).toBe(true);
    expect(["/admin/audit", "/exporters", "/clients/export-help", "/registry"].some(isExportPath)).toBe(false);
  });

  it(`allows ${EXPORT_RATE_LIMIT} exports per address, then answers 429 in the person's language with Retry-After; other pages and addresses are not limited`, async () => {
    const { base } = await start({ trustProxy: true });
    const from = (ip: string, headers: Record<string, string> = {}) => ({ headers: { "X-Forwarded-For": ip, ...headers } });
    for (let i = 0; i < EXPORT_RATE_LIMIT; i++) expect((await fetch(`${base}/admin/audit/export`, from("10.0.0.1"))).status).toBe(200);

    const zh = await fetch(`${base}/registry/export`, from("10.0.0.1", { Cookie: "tb_lang=zh-CN" }));
    expect(zh.status).toBe(429);
    expect(zh.headers.get("Retry-After")).toBe("900");
    const zhBody = await zh.text();
    expect(zhBody).toContain('lang="zh-CN"');
    expect(zhBody).toContain("请求过于频繁");
    expect(zhBody).toContain("15 分钟");

    const en = await fetch(`${base}/registry/export`, from("10.0.0.1", { "Accept-Language": "en-GB,en;q=0.8" }));
    expect(en.status).toBe(429);
    expect(await en.text()).toContain("Wait 15 minutes and try again.");

    expect((await fetch(`${base}/admin/audit`, from("10.0.0.1"))).status).toBe(200);
    expect((await fetch(`${base}/admin/audit/export`, from("10.0.0.2"))).status).toBe(200);
  });
});

describe("request log", () => {
  it("writes method, path shape, status and time: no query string, ids, numbers, tokens or names", async () => {
    const { base, lines } = await start();
    await fetch(`${base}/clients/123/contacts?q=${encodeURIComponent("王小明")}&page=2`);
    await fetch(`${base}/verify/TB-2024-0007?code=ABCD`);
    await fetch(`${base}/calendar/person/9f8e7d6c5b4a39281706f5e4d3c2b1a0.ics`);
    await fetch(`${base}/clients/${encodeURIComponent("小林")}`);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^GET \/clients\/:x\/contacts 200 \d+\.\dms$/);
    expect(lines[1]).toMatch(/^GET \/verify\/:x 200 /);
    expect(lines[2]).toMatch(/^GET \/calendar\/person\/:x 200 /);
    expect(lines[3]).toMatch(/^GET \/clients\/:x 200 /);
    const all = lines.join("\n");
    for (const secret of ["123", "王", "q=", "TB-2024", "ABCD", "9f8e7d", "%E5", "小林"]) expect(all).not.toContain(secret);
  });

  it("keeps the words of a path", () => {
    expect(loggedPath("/admin/audit/export")).toBe("/admin/audit/export");
    expect(loggedPath("/registry/export.csv")).toBe("/registry/export.csv");
    expect(loggedPath("/")).toBe("/");
  });
});

describe("static files", () => {
  it("are cached for a year only when their name carries a content hash", async () => {
    const client = path.join(dir, "client");
    mkdirSync(path.join(client, "assets"), { recursive: true });
    writeFileSync(path.join(client, "assets", "root-B3kQx9_a.js"), "export {};");
    writeFileSync(path.join(client, "assets", "plain.js"), "export {};");
    writeFileSync(path.join(client, "favicon.svg"), "<svg/>");
    const { base, lines } = await start({ clientDir: client });

    const hashed = await fetch(`${base}/assets/root-B3kQx9_a.js`);
    expect(hashed.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect((await fetch(`${base}/assets/plain.js`)).headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect((await fetch(`${base}/favicon.svg`)).headers.get("Cache-Control")).toBe("public, max-age=3600");
    // a missing asset is a plain 404, not a page of the app
    const missing = await fetch(`${base}/assets/gone-B3kQx9_a.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toBe("app");
    expect(hashed.headers.get("Content-Security-Policy")).toMatch(/script-src 'self' 'nonce-/);
    await new Promise((r) => setTimeout(r, 50));
    // found assets are not logged; the favicon and the miss are
    expect(lines.some((l) => l.includes("root-B3kQx9_a"))).toBe(false);
    expect(cacheControlFor("/x/assets/_index-DMWPM6Pf.js")).toContain("immutable");
  });
});

describe("the server bundle", { timeout: 60_000 }, () => {
  it("bundles as npm run build does, leaving only real packages external (no ~/ or #db/ alias, which node cannot resolve)", () => {
    const out = path.join(dir, "start.js");
    const r = spawnSync(
      "npx",
      ["esbuild", "server/index.ts", "--bundle", "--platform=node", "--format=esm", "--target=node20", "--packages=external", `--outfile=${out}`, "--log-level=error"],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    const imports = [...readFileSync(out, "utf8").matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(3);
    expect(imports.filter((i) => i!.startsWith("~") || i!.startsWith("#"))).toEqual([]);
  });

  it("reads the same language cookie as the app", () => {
    expect(LOCALE_COOKIE_NAME).toBe(LOCALE_COOKIE);
    expect(localeOf(`${LOCALE_COOKIE}=en; tb_session=x`, "zh-CN")).toBe("en");
    expect(localeOf(undefined, "en-US,en;q=0.9")).toBe("en");
    expect(localeOf("tb_lang=xx", undefined)).toBe("zh-CN");
  });
});
