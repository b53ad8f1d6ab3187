/**
 * `npm run load [-- --users 200 --duration 60 --scale 1]`
 *
 * Drives many signed-in people at once through a mixed script against the production server, on
 * a private copy of the bench data set (data/load-N.db; the bench data set stays untouched):
 * 80% reads (My mentees, a client's timeline, a studio's week, the registry, home) and 20% writes
 * (a contact for one's own mentee through the contact form, attendance of a session through its
 * attendance form, an hour logged through the form on /hours). Each virtual user has its own session (the demo
 * logins are shared between them), waits for each answer and then "reads" for 0.5–1.5 × --think ms
 * (default 1000; --think 0 makes it a stress test) before its next request.
 * Reports requests, errors (a status other than 2xx/3xx, a network error, a timeout), p50/p99
 * latency per action and the SQLITE_BUSY lines the server printed. Exits 1 on any error.
 *
 * Other options: --port (default 3301), --no-build, --reuse-snapshot, --timeout MS (default 10000), --db FILE (a copy of
 * that database instead of the generated data set).
 */
import { parseArgs } from "node:util";
import os from "node:os";
import path from "node:path";
import { copyDatabase, ensureDataset } from "./lib/dataset";
import { contactFields, getPage, percentile, postForm, selectOptions, shanghaiLocalInput, signIn } from "./lib/http";
import { prepareBuild, removeDatabase, rssMb, startServer } from "./lib/server";
import { readTargets } from "./lib/targets";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "200" },
    duration: { type: "string", default: "60" },
    scale: { type: "string", default: "1" },
    port: { type: "string", default: "3301" },
    timeout: { type: "string", default: "10000" },
    think: { type: "string", default: "1000" },
    "no-build": { type: "boolean", default: false },
    "reuse-snapshot": { type: "boolean", default: false },
    db: { type: "string" },
  },
});
const users = Number(values.users);
const duration = Number(values.duration);
const scale = Number(values.scale);
const port = Number(values.port);
const timeoutMs = Number(values.timeout);
const thinkMs = Number(values.think);
if (!(users > 0) || !(duration > 0) || !(scale > 0) || !(port > 0) || !(timeoutMs > 0) || !(thinkMs >= 0)) {
  console.error("load: --users, --duration, --scale, --port and --timeout take positive numbers, --think a number of ms");
  process.exit(2);
}

type Outcome = { action: string; ms: number; ok: boolean; detail?: string };

type Vu = { login: string; cookie: string };

type Action = { name: string; weight: number; write: boolean; run: (vu: Vu, base: string) => Promise<{ ok: boolean; detail?: string }> };

function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)]!;
}

const okStatus = (s: number) => s >= 200 && s < 400;

async function main() {
  const dataset = values.db ? { file: path.resolve(values.db), generatedWith: `copy of ${values.db}` } : await ensureDataset(scale);
  const copy = path.resolve("data", `load-${scale}.db`);
  console.log(`copying ${path.relative(process.cwd(), dataset.file)} to ${path.relative(process.cwd(), copy)} (writes go to the copy)`);
  copyDatabase(dataset.file, copy);
  const targets = readTargets(copy);
  const buildDir = prepareBuild("load", { skipBuild: values["no-build"], reuseSnapshot: values["reuse-snapshot"] });
  const server = await startServer({ dir: buildDir, database: copy, port });
  const base = server.base;
  const notes: string[] = [];
  if (dataset.generatedWith === "demo") notes.push(`data set: the plain demo data (the generator did not take --scale ${scale} yet)`);
  try {
    // who writes what: peer tutors and the social worker add contacts to their own clients; the coordinator takes attendance
    const contactLogins = ["tutor", "tutor2", "socialworker"].filter((l) => (targets.writableClients[l] ?? []).length > 0);
    // the hours form's choices (activity, district) as the page offers them to each tutor
    const hoursChoice: Record<string, { activity: string; districtId: string }> = {};
    for (const login of ["tutor", "tutor2"]) {
      const page = await getPage(base, "/hours", await signIn(base, login));
      const activity = selectOptions(page.body, "activity")[0];
      const districtId = selectOptions(page.body, "districtId")[0];
      if (page.status === 200 && activity && districtId) hoursChoice[login] = { activity, districtId };
    }
    const hasHours = Object.keys(hoursChoice).length > 0;
    if (!hasHours) notes.push("hours: skipped, /hours offers the tutors no activity and district to choose");
    if (targets.attendanceSessions.length === 0) notes.push("attendance: skipped, no past session with registered clients in the coordinator's districts");

    // the logins each virtual user takes, in turn
    const roster = ["tutor", "tutor2", "socialworker", "coordinator", "admin", ...(targets.attendanceSessions.length ? ["coordinator"] : [])];
    console.log(`signing in ${users} virtual users (${[...new Set(roster)].join(", ")}; each its own session)`);
    const vus: Vu[] = [];
    const signInStarted = Date.now();
    for (let i = 0; i < users; i += 8) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(8, users - i) }, async (_, j) => {
          const login = roster[(i + j) % roster.length]!;
          return { login, cookie: await signIn(base, login) };
        }),
      );
      vus.push(...batch);
    }
    console.log(`signed in in ${((Date.now() - signInStarted) / 1000).toFixed(1)} s`);

    let seq = 0;
    const runId = Date.now().toString(36);
    const reads: Action[] = [
      { name: "home", weight: 16, write: false, run: async (vu) => get(vu, "/") },
      {
        name: "mentees",
        weight: 16,
        write: false,
        // one's own clients: a tutor's mentees, a social worker's caseload, everyone else's clients list
        run: async (vu) => get(vu, vu.login.startsWith("tutor") ? "/mentees" : vu.login === "socialworker" ? "/caseload" : "/clients"),
      },
      {
        name: "timeline",
        weight: 16,
        write: false,
        run: async (vu) => {
          // own clients for tutors and the social worker; the tutor's mentee (in the coordinator's district) for the others
          const own = targets.writableClients[vu.login] ?? [];
          const list = own.length ? own : targets.tutorMentee ? [targets.tutorMentee] : [];
          if (!list.length) return get(vu, "/clients?page=2");
          return get(vu, `/clients/${pick(list)}/timeline`);
        },
      },
      { name: "studio-week", weight: 16, write: false, run: async (vu) => get(vu, targets.coordinatorStudio ? `/studios/${targets.coordinatorStudio}` : "/studios") },
      // the registry is for coordinators, social workers and admins; a tutor reads their own certificate
      { name: "registry", weight: 16, write: false, run: async (vu) => get(vu, vu.login.startsWith("tutor") ? "/my-certificate" : "/registry") },
    ];
    const writes: Action[] = [];
    if (contactLogins.length)
      writes.push({
        name: "add-contact",
        weight: 10,
        write: true,
        run: async (vu) => {
          const writer = contactLogins.includes(vu.login) ? vu : null;
          if (!writer) return get(vu, "/registry?page=2");
          const client = pick(targets.writableClients[vu.login]!);
          const r = await postForm(base, `/clients/${client}/contacts`, vu.cookie, contactFields(`负载测试（虚构）load ${runId}-${++seq}`, targets.timeZone), timeoutMs);
          return { ok: r.status === 302 || r.status === 303, detail: `HTTP ${r.status}` };
        },
      });
    if (targets.attendanceSessions.length)
      writes.push({
        name: "attendance",
        weight: hasHours ? 5 : 10,
        write: true,
        run: async (vu) => {
          const s = pick(targets.attendanceSessions);
          const coordinator = vus.find((v) => v.login === "coordinator")!;
          const fields: [string, string][] = [["intent", "save"], ...s.clientIds.map((id): [string, string] => [`status-${id}`, pick(["present", "late", "absent"])])];
          const r = await postForm(base, `/sessions/${s.id}/attendance`, vu.login === "coordinator" ? vu.cookie : coordinator.cookie, fields, timeoutMs);
          return { ok: r.status === 302 || r.status === 303, detail: `HTTP ${r.status}` };
        },
      });
    if (hasHours)
      writes.push({
        name: "hours",
        weight: 5,
        write: true,
        // the tutors log an hour through the form on /hours (app/routes/hours._index.tsx)
        run: async (vu) => {
          const choice = hoursChoice[vu.login];
          if (!choice) return get(vu, "/hours");
          const fields: [string, string][] = [
            ["intent", "log"],
            ["activity", choice.activity],
            ["workedOn", shanghaiLocalInput(0, targets.timeZone).slice(0, 10)],
            ["hours", "1"],
            ["districtId", choice.districtId],
            ["note", `负载测试（虚构）load ${runId}-${++seq}`],
          ];
          const r = await postForm(base, "/hours", vu.cookie, fields, timeoutMs);
          return { ok: r.status === 302 || r.status === 303, detail: `HTTP ${r.status}` };
        },
      });
    // writes are 20% of actions whatever subset exists
    const writeWeight = writes.reduce((s, a) => s + a.weight, 0);
    for (const w of writes) w.weight = writeWeight ? (20 * w.weight) / writeWeight : 0;
    const actions = [...reads, ...writes];
    const total = actions.reduce((s, a) => s + a.weight, 0);

    async function get(vu: Vu, p: string): Promise<{ ok: boolean; detail?: string }> {
      const res = await fetch(base + p, { redirect: "manual", headers: { Cookie: vu.cookie, "Accept-Encoding": "gzip" }, signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      return { ok: okStatus(res.status), detail: `HTTP ${res.status} ${p}` };
    }

    const outcomes: Outcome[] = [];
    const deadline = Date.now() + duration * 1000;
    console.log(`running ${users} virtual users for ${duration} s (${(100 - (writes.length ? 20 : 0)).toFixed(0)}% reads, ${thinkMs} ms mean think time)`);
    await Promise.all(
      vus.map(async (vu) => {
        while (Date.now() < deadline) {
          let r = Math.random() * total;
          let action = actions[0]!;
          for (const a of actions) {
            if ((r -= a.weight) < 0) {
              action = a;
              break;
            }
          }
          const t0 = performance.now();
          try {
            const res = await action.run(vu, base);
            outcomes.push({ action: action.name, ms: performance.now() - t0, ok: res.ok, detail: res.ok ? undefined : res.detail });
          } catch (e) {
            const name = (e as Error).name === "TimeoutError" ? "timeout" : (e as Error).message;
            outcomes.push({ action: action.name, ms: performance.now() - t0, ok: false, detail: name });
          }
          // a person reads the page before the next click: 0.5–1.5 × --think
          if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
        }
      }),
    );
    const rss = rssMb(server.pid);

    console.log("");
    console.log(`Tongban load — scale ${scale} (${dataset.generatedWith}), ${users} users, ${duration} s, think ${thinkMs} ms, ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    console.log("");
    const head = `${"action".padEnd(14)} ${"requests".padStart(9)} ${"errors".padStart(7)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"max ms".padStart(8)}`;
    console.log(head);
    console.log("-".repeat(head.length));
    const names = [...new Set(outcomes.map((o) => o.action))];
    for (const name of [...names, "all"]) {
      const list = name === "all" ? outcomes : outcomes.filter((o) => o.action === name);
      const ms = list.map((o) => o.ms);
      console.log(
        `${name.padEnd(14)} ${String(list.length).padStart(9)} ${String(list.filter((o) => !o.ok).length).padStart(7)} ${percentile(ms, 50).toFixed(0).padStart(8)} ${percentile(ms, 99).toFixed(0).padStart(8)} ${Math.max(...ms).toFixed(0).padStart(8)}`,
      );
    }
    const errors = outcomes.filter((o) => !o.ok);
    const writesDone = outcomes.filter((o) => o.ok && writes.some((w) => w.name === o.action && w.name !== "hours")).length;
    console.log("");
    console.log(`throughput: ${(outcomes.length / duration).toFixed(0)} requests/s (${writesDone} writes acknowledged)`);
    console.log(`errors: ${errors.length}${errors.length ? ` (first: ${[...new Set(errors.map((e) => `${e.action}: ${e.detail}`))].slice(0, 5).join("; ")})` : ""}`);
    console.log(`SQLITE_BUSY lines in the server's output: ${server.busyLines()}`);
    console.log(`server resident memory after the run: ${rss?.toFixed(0) ?? "?"} MB`);
    for (const n of notes) console.log(`note: ${n}`);
    process.exitCode = errors.length || server.busyLines() ? 1 : 0;
  } finally {
    await server.stop();
    removeDatabase(copy);
  }
}

main().catch((e: unknown) => {
  console.error(`load: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
