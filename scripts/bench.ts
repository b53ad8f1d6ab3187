/**
 * `npm run bench -- --scale N [--duration S] [--connections C]`
 *
 * Measures the production server on the demo data set at scale N (data/bench-N.db, generated
 * once, then reused): builds, starts `node build/start.js`, times its start (spawn → /healthz 200),
 * signs in as the demo roles and runs autocannon against each page in turn: the sign-in page (the
 * trivial page every other is compared with) and the pages people use most. Prints requests/s,
 * p50 and p99 latency, each page's throughput as a share of the trivial page's, the server's
 * resident memory after the run and the gzipped JavaScript each page ships.
 *
 * Other options: --port (default 3300), --no-build (copy the existing build/ without building),
 * --reuse-snapshot (run the last snapshot in tmp/perf-bench as it is), --regenerate
 * (make the data set afresh), --json FILE (write the figures), --only a,b (page keys),
 * --db FILE (measure a copy of that database instead of the generated data set).
 */
import autocannon from "autocannon";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { ensureDataset, givenDataset, tableCounts } from "./lib/dataset";
import { getPage, signIn } from "./lib/http";
import { prepareBuild, rssMb, startServer, type RunningServer } from "./lib/server";
import { readTargets } from "./lib/targets";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    port: { type: "string", default: "3300" },
    "no-build": { type: "boolean", default: false },
    "reuse-snapshot": { type: "boolean", default: false },
    regenerate: { type: "boolean", default: false },
    json: { type: "string" },
    db: { type: "string" },
    only: { type: "string" },
  },
});

const scale = Number(values.scale);
const duration = Number(values.duration);
const connections = Number(values.connections);
const port = Number(values.port);
if (!(scale > 0) || !(duration > 0) || !(connections > 0) || !(port > 0)) {
  console.error("bench: --scale, --duration, --connections and --port take positive numbers");
  process.exit(2);
}

type Page = { key: string; label: string; path: string; login: string | null };
type Measured = Page & {
  status: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  jsGzipBytes: number;
  htmlGzipBytes: number;
};

/** The asset URLs a page's HTML makes the browser load: module scripts and modulepreload links. */
function scriptUrls(html: string): string[] {
  const urls = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    if (!/\brel="modulepreload"/.test(tag)) continue;
    const href = /\bhref="([^"]+)"/.exec(tag);
    if (href) urls.add(href[1]!);
  }
  // the inline bootstrap script imports the entry and route modules by URL
  for (const m of html.matchAll(/(?:from|import\()\s*"(\/assets\/[^"]+\.js)"/g)) urls.add(m[1]!);
  return [...urls].filter((u) => u.startsWith("/") && !u.startsWith("//"));
}

function gzippedJs(buildDir: string, html: string): number {
  let sum = 0;
  for (const url of scriptUrls(html)) {
    const file = path.join(buildDir, "build", "client", decodeURIComponent(url.split("?")[0]!));
    if (existsSync(file)) sum += gzipSync(readFileSync(file)).length;
  }
  return sum;
}

async function measure(server: RunningServer, buildDir: string, page: Page, cookie: string | undefined): Promise<Measured | string> {
  const probe = await getPage(server.base, page.path, cookie);
  if (probe.status !== 200) return `HTTP ${probe.status}${probe.location ? ` → ${probe.location}` : ""}`;
  const jsGzipBytes = gzippedJs(buildDir, probe.body);
  const htmlGzipBytes = gzipSync(Buffer.from(probe.body)).length;
  const result = await autocannon({
    url: server.base + page.path,
    connections,
    duration,
    timeout: 30,
    headers: cookie ? { Cookie: cookie, "Accept-Encoding": "gzip" } : { "Accept-Encoding": "gzip" },
  });
  return {
    ...page,
    status: probe.status,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    jsGzipBytes,
    htmlGzipBytes,
  };
}

/**
 * Waits until the server has worked off the requests still queued from the last page (autocannon
 * stops sending, the server does not stop answering), so they do not slow the next page down.
 */
async function settle(server: RunningServer, maxMs = 120_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const t0 = performance.now();
    try {
      await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(maxMs) });
    } catch {
      // keep waiting
    }
    if (performance.now() - t0 < 100) return;
  }
}

function pad(s: string, n: number, right = false) {
  return right ? s.padStart(n) : s.padEnd(n);
}

async function main() {
  const dataset = values.db
    ? givenDataset(values.db, path.resolve("tmp", "perf-bench", "given.db"), scale)
    : await ensureDataset(scale, { regenerate: values.regenerate });
  const counts = tableCounts(dataset.file);
  const targets = readTargets(dataset.file);
  const buildDir = prepareBuild("bench", { skipBuild: values["no-build"], reuseSnapshot: values["reuse-snapshot"] });

  console.log(`starting the production server on port ${port}`);
  const server = await startServer({ dir: buildDir, database: dataset.file, port });
  const rssAtStart = rssMb(server.pid);
  const notes: string[] = [];
  if (values.db) notes.push(`data set: a copy of ${values.db}, not the generator's scale ${scale}`);
  if (dataset.generatedWith === "demo") notes.push(`data set: the plain demo data (the generator did not take --scale ${scale} yet)`);
  try {
    const cookies: Record<string, string> = {};
    for (const login of ["tutor", "coordinator", "admin"]) cookies[login] = await signIn(server.base, login);

    const pages: Page[] = [{ key: "signin", label: "Sign-in page (trivial)", path: "/login", login: null }];
    pages.push({ key: "mentees", label: "My mentees (peer tutor)", path: "/mentees", login: "tutor" });
    if (targets.tutorMenteeCount > 25) pages.push({ key: "mentees-p2", label: "My mentees, page 2", path: "/mentees?page=2", login: "tutor" });
    else notes.push(`My mentees page 2: skipped, the tutor has ${targets.tutorMenteeCount} mentees (one page)`);
    if (targets.tutorMentee) pages.push({ key: "timeline", label: "Client timeline (peer tutor)", path: `/clients/${targets.tutorMentee}/timeline`, login: "tutor" });
    else notes.push("client timeline: skipped, the tutor has no mentee");
    if (targets.coordinatorStudio) pages.push({ key: "studio", label: "Studio week (coordinator)", path: `/studios/${targets.coordinatorStudio}`, login: "coordinator" });
    else notes.push("studio week: skipped, no studio in the coordinator's districts");
    pages.push({ key: "dashboard", label: "Coordinator home / dashboard", path: "/", login: "coordinator" });
    // the outcome report: measured where the route exists
    let reportPath: string | null = null;
    // the three-year abstinence rate is the program's headline outcome (reports.$name, "abstinence")
    for (const candidate of ["/reports/abstinence", "/reports/outcomes", "/reports"]) {
      const probe = await getPage(server.base, candidate, cookies.coordinator);
      if (probe.status === 200) {
        reportPath = candidate;
        break;
      }
    }
    if (reportPath) pages.push({ key: "report", label: "Outcome report (coordinator)", path: reportPath, login: "coordinator" });
    else notes.push("outcome report: skipped, no /reports/abstinence, /reports/outcomes or /reports route answers 200 in this build");
    pages.push({ key: "registry", label: "Peer-tutor registry (coordinator)", path: "/registry", login: "coordinator" });
    pages.push({ key: "registry-p2", label: "Registry, page 2", path: "/registry?page=2", login: "coordinator" });
    pages.push({ key: "clients-p2", label: "Clients list, page 2 (coordinator)", path: "/clients?page=2", login: "coordinator" });

    const only = values.only ? new Set(["signin", ...values.only.split(",")]) : null;
    const results: Measured[] = [];
    for (const page of pages) {
      if (only && !only.has(page.key)) continue;
      process.stdout.write(`measuring ${page.label} (${page.path}) for ${duration} s … `);
      const r = await measure(server, buildDir, page, page.login ? cookies[page.login] : undefined);
      if (typeof r === "string") {
        console.log(`skipped: ${r}`);
        notes.push(`${page.label} (${page.path}): skipped, ${r}`);
        continue;
      }
      console.log(`${r.rps.toFixed(0)} req/s`);
      results.push(r);
      await settle(server);
    }
    const rssAfter = rssMb(server.pid);
    const trivial = results.find((r) => r.key === "signin");

    console.log("");
    console.log(
      `Tongban bench — scale ${scale} (${dataset.generatedWith}; ${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")})`,
    );
    console.log(`${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; ${connections} connections, ${duration} s per page`);
    console.log("");
    const head = `${pad("page", 36)} ${pad("path", 26)} ${pad("req/s", 8, true)} ${pad("p50 ms", 7, true)} ${pad("p99 ms", 7, true)} ${pad("share", 6, true)} ${pad("JS gz kB", 9, true)} ${pad("HTML gz kB", 11, true)} ${pad("non-2xx", 8, true)}`;
    console.log(head);
    console.log("-".repeat(head.length));
    for (const r of results) {
      const share = trivial ? `${Math.round((100 * r.rps) / trivial.rps)}%` : "-";
      console.log(
        `${pad(r.label, 36)} ${pad(r.path.length > 26 ? r.path.slice(0, 25) + "…" : r.path, 26)} ${pad(r.rps.toFixed(0), 8, true)} ${pad(String(r.p50), 7, true)} ${pad(String(r.p99), 7, true)} ${pad(share, 6, true)} ${pad((r.jsGzipBytes / 1024).toFixed(1), 9, true)} ${pad((r.htmlGzipBytes / 1024).toFixed(1), 11, true)} ${pad(String(r.non2xx + r.errors + r.timeouts), 8, true)}`,
      );
    }
    console.log("");
    console.log(`server start (spawn → /healthz 200): ${server.startMs.toFixed(0)} ms`);
    console.log(`server resident memory: ${rssAtStart?.toFixed(0) ?? "?"} MB after start, ${rssAfter?.toFixed(0) ?? "?"} MB after the run`);
    if (dataset.seconds !== null) console.log(`data set generated in ${dataset.seconds.toFixed(1)} s`);
    else console.log(`data set reused: ${path.relative(process.cwd(), dataset.file)}`);
    console.log(`SQLITE_BUSY lines in the server's output: ${server.busyLines()}`);
    for (const n of notes) console.log(`note: ${n}`);
    const misses = results.filter((r) => r.key !== "signin" && ((trivial && r.rps < 0.6 * trivial.rps) || r.p99 >= 250));
    if (misses.length) console.log(`below target (≥ 60% of the trivial page, p99 < 250 ms): ${misses.map((m) => m.key).join(", ")}`);

    if (values.json) {
      writeFileSync(
        values.json,
        JSON.stringify(
          {
            at: new Date().toISOString(),
            scale,
            dataset: { generatedWith: dataset.generatedWith, seconds: dataset.seconds, counts },
            connections,
            duration,
            cpus: os.cpus().length,
            loadavg: os.loadavg(),
            startMs: server.startMs,
            rssMbAtStart: rssAtStart,
            rssMbAfter: rssAfter,
            results,
            notes,
          },
          null,
          2,
        ) + "\n",
      );
      console.log(`figures written to ${values.json}`);
    }
  } finally {
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
