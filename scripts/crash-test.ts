/**
 * `npm run crash-test [-- --rounds 20 --writers 8 --scale 1]`
 *
 * Crash safety: runs the production server on a private copy of the demo data set, drives write
 * load (contacts through the contact form, as a browser without JavaScript posts them, each with
 * a unique marker in its summary), kills the server with SIGKILL at a random moment, and checks,
 * with the server down: PRAGMA integrity_check is "ok" and every write whose HTTP answer was a
 * success (the redirect after the POST) is in the database. Then restarts the server and repeats.
 * Prints one line per round and exits 1 if any acknowledged write is lost or the check fails.
 *
 * Other options: --port (default 3302), --no-build, --min-ms / --max-ms (the random time each
 * round runs before the kill; default 300–3000), --db FILE (a copy of that database instead).
 */
import { openSqlite } from "../db/client";
import path from "node:path";
import { parseArgs } from "node:util";
import { copyDatabase, ensureDataset } from "./lib/dataset";
import { contactFields, postForm, signIn } from "./lib/http";
import { prepareBuild, removeDatabase, startServer, type RunningServer } from "./lib/server";
import { readTargets } from "./lib/targets";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "20" },
    writers: { type: "string", default: "8" },
    scale: { type: "string", default: "1" },
    port: { type: "string", default: "3302" },
    "min-ms": { type: "string", default: "300" },
    "max-ms": { type: "string", default: "3000" },
    "no-build": { type: "boolean", default: false },
    "reuse-snapshot": { type: "boolean", default: false },
    db: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const rounds = Number(values.rounds);
const writers = Number(values.writers);
const scale = Number(values.scale);
const port = Number(values.port);
const minMs = Number(values["min-ms"]);
const maxMs = Number(values["max-ms"]);
if (![rounds, writers, scale, port, minMs, maxMs].every((n) => n > 0) || maxMs < minMs) {
  console.error("crash-test: --rounds, --writers, --scale, --port, --min-ms and --max-ms take positive numbers (min ≤ max)");
  process.exit(2);
}

const MARKER = "崩溃测试（虚构）crash";

type Round = { round: number; ranMs: number; acknowledged: number; inFlight: number; refused: number; found: number; lost: number; integrity: string; restartMs: number };

/** The markers of all crash-test contacts in the database, and its integrity check, read with the server down. */
function inspect(file: string): { markers: Set<string>; integrity: string } {
  const db = openSqlite(file, { fileMustExist: true });
  try {
    const integrity = (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
    const rows = db.prepare("select summary from contacts where summary like ?").all(`${MARKER}%`) as { summary: string }[];
    return { markers: new Set(rows.map((r) => r.summary)), integrity };
  } finally {
    db.close();
  }
}

async function main() {
  const source = values.db ? path.resolve(values.db) : (await ensureDataset(scale)).file;
  const file = path.resolve("data", `crash-${scale}.db`);
  console.log(`copying ${path.relative(process.cwd(), source)} to ${path.relative(process.cwd(), file)} (the crash test writes only to the copy)`);
  copyDatabase(source, file);
  const targets = readTargets(file);
  const writable = Object.entries(targets.writableClients).filter(([, ids]) => ids.length > 0);
  if (!writable.length) throw new Error("no demo login has an open client to write a contact for");
  const dir = prepareBuild("crash", { skipBuild: values["no-build"], reuseSnapshot: values["reuse-snapshot"] });

  const acknowledged = new Set<string>();
  const results: Round[] = [];
  let seq = 0;
  let server: RunningServer | null = null;
  let restartMs = 0;
  try {
    for (let round = 1; round <= rounds; round++) {
      server = await startServer({ dir, database: file, port });
      restartMs = server.startMs;
      const base = server.base;
      // sessions are in the database too: sign in afresh after every restart (each round proves that works)
      const writersOf = await Promise.all(
        Array.from({ length: writers }, async (_, i) => {
          const [login, ids] = writable[i % writable.length]!;
          return { login, ids, cookie: await signIn(base, login) };
        }),
      );
      let stop = false;
      let inFlight = 0;
      let refused = 0;
      let ackThisRound = 0;
      const loops = writersOf.map(async (w) => {
        while (!stop) {
          const marker = `${MARKER} ${process.pid}-${round}-${++seq}`;
          const client = w.ids[seq % w.ids.length]!;
          inFlight++;
          try {
            const r = await postForm(base, `/clients/${client}/contacts`, w.cookie, contactFields(marker, targets.timeZone), 15_000);
            if ((r.status === 302 || r.status === 303) && r.location?.startsWith(`/clients/${client}/contacts`)) {
              acknowledged.add(marker);
              ackThisRound++;
            } else if (!stop) refused++;
          } catch {
            // the connection died with the server: not acknowledged, so it may or may not be there
          } finally {
            inFlight--;
          }
        }
      });
      const ranMs = minMs + Math.floor(Math.random() * (maxMs - minMs + 1));
      await new Promise((r) => setTimeout(r, ranMs));
      const inFlightAtKill = inFlight;
      await server.kill();
      stop = true;
      await Promise.all(loops);
      const { markers, integrity } = inspect(file);
      let lost = 0;
      for (const m of acknowledged) if (!markers.has(m)) lost++;
      const line: Round = { round, ranMs, acknowledged: ackThisRound, inFlight: inFlightAtKill, refused, found: markers.size, lost, integrity, restartMs };
      results.push(line);
      console.log(
        `round ${String(round).padStart(2)}: killed after ${String(ranMs).padStart(4)} ms, ${String(ackThisRound).padStart(4)} writes acknowledged (${inFlightAtKill} in flight at the kill, ${refused} refused), ${acknowledged.size} acknowledged so far, ${markers.size} in the database, lost ${lost}, integrity ${integrity}, start ${restartMs.toFixed(0)} ms`,
      );
      if (refused && round === 1) console.log("  (refused writes are answers other than the redirect; see the server output if this repeats)");
    }
  } finally {
    if (server && !server.exited()) await server.kill();
    if (!values.keep) removeDatabase(file);
  }

  // each round checks every write acknowledged so far, so the last rounds' counts are cumulative
  const lost = Math.max(0, ...results.map((r) => r.lost));
  const bad = results.filter((r) => r.integrity !== "ok").length;
  const totalAck = acknowledged.size;
  console.log("");
  console.log("round  ran ms  acked  in flight  lost (of all acked so far)  integrity");
  for (const r of results) console.log(`${String(r.round).padStart(5)}  ${String(r.ranMs).padStart(6)}  ${String(r.acknowledged).padStart(5)}  ${String(r.inFlight).padStart(9)}  ${String(r.lost).padStart(26)}  ${r.integrity}`);
  console.log("");
  console.log(`${rounds} SIGKILLs, ${totalAck} acknowledged writes, ${lost === 0 ? "0 lost" : `${lost} LOST`}, integrity_check ${bad === 0 ? "ok every time" : `FAILED ${bad} times`}`);
  if (totalAck === 0) {
    console.log("no write was acknowledged: the test proved nothing");
    process.exit(1);
  }
  process.exit(lost || bad ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(`crash-test: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
