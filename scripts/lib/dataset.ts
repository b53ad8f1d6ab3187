/**
 * Data sets for the performance scripts: `data/bench-<N>.db`, made once by the demo generator at
 * scale N and reused after that, and private copies of it for scripts that write. With
 * DATABASE_KEY set: `data/bench-<N>-encrypted.db`, encrypted with that key; copies are encrypted
 * with it too (VACUUM INTO on the keyed connection).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openSqlite } from "../../db/client";

export type DatasetInfo = {
  file: string;
  scale: number;
  /** the command that made it; "demo" (without --scale) when the generator could not scale yet */
  generatedWith: string;
  /** seconds the generator took, when this run made the file */
  seconds: number | null;
  reused: boolean;
};

function metaFile(file: string) {
  return `${file}.json`;
}

function removeDb(file: string) {
  for (const suffix of ["", "-wal", "-shm", ".json"]) rmSync(file + suffix, { force: true });
}

/** Runs `npm run cli -- <args>` on `database`, echoing its output; resolves with the exit code and the output. */
function cli(args: string[], database: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "cli", "--", ...args], {
      env: { ...process.env, DATABASE_URL: database, TONGBAN_QUIET: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const echo = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk.toString().replace(/^(?=.)/gm, "  | "));
    };
    child.stdout.on("data", echo);
    child.stderr.on("data", echo);
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * The data set at `scale`: reused when data/bench-<scale>.db exists (unless `regenerate`), otherwise
 * generated with `demo --scale N`. While the generator does not know --scale, it falls back to the
 * plain demo data set and says so (generatedWith "demo").
 */
export async function ensureDataset(scale: number, options: { regenerate?: boolean; dir?: string } = {}): Promise<DatasetInfo> {
  // with DATABASE_KEY set the data set is made (and read) encrypted, under its own name, so both can be kept side by side
  const file = path.resolve(options.dir ?? "data", process.env.DATABASE_KEY ? `bench-${scale}-encrypted.db` : `bench-${scale}.db`);
  if (options.regenerate) removeDb(file);
  if (existsSync(file)) {
    let generatedWith = "unknown (made before this script recorded it)";
    try {
      generatedWith = (JSON.parse(readFileSync(metaFile(file), "utf8")) as { generatedWith: string }).generatedWith;
    } catch {
      // no sidecar: made by hand
    }
    return { file, scale, generatedWith, seconds: null, reused: true };
  }
  const started = Date.now();
  let generatedWith = `demo --scale ${scale}`;
  console.log(`generating ${path.relative(process.cwd(), file)} (npm run cli -- ${generatedWith})`);
  let run = await cli(["demo", "--scale", String(scale)], file);
  if (run.code !== 0 && /--scale/.test(run.output) && /not supported|unknown option|Unknown option/i.test(run.output)) {
    removeDb(file);
    generatedWith = "demo";
    console.log(`the demo generator does not take --scale yet: falling back to the plain demo data set (NOT scale ${scale})`);
    run = await cli(["demo"], file);
  }
  if (run.code !== 0) {
    removeDb(file);
    throw new Error(`the demo generator failed (exit ${run.code}); see its output above`);
  }
  const seconds = (Date.now() - started) / 1000;
  writeFileSync(metaFile(file), JSON.stringify({ scale, generatedWith, seconds, at: new Date().toISOString() }, null, 2) + "\n");
  return { file, scale, generatedWith, seconds, reused: false };
}

/** A consistent private copy of a database (VACUUM INTO, so a WAL file is folded in); replaces `to`. */
export function copyDatabase(from: string, to: string): void {
  for (const suffix of ["", "-wal", "-shm", ".pid"]) rmSync(to + suffix, { force: true });
  mkdirSync(path.dirname(path.resolve(to)), { recursive: true });
  const db = openSqlite(from, { readonly: true, fileMustExist: true });
  try {
    db.prepare("vacuum into ?").run(to);
  } finally {
    db.close();
  }
}

/** Row counts of the tables that grow with the program, for the report header. */
export function tableCounts(file: string): Record<string, number> {
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  try {
    const out: Record<string, number> = {};
    for (const t of ["clients", "contacts", "group_sessions", "attendance", "audit_log", "users"]) {
      try {
        out[t] = (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
      } catch {
        // table absent in an older schema
      }
    }
    return out;
  } finally {
    db.close();
  }
}

/** `--db FILE`: a private copy of a database the operator names (left untouched), instead of a generated data set. */
export function givenDataset(file: string, copyTo: string, scale: number): DatasetInfo {
  if (!existsSync(file)) throw new Error(`no database at ${file}`);
  copyDatabase(file, copyTo);
  return { file: copyTo, scale, generatedWith: `copy of ${file}`, seconds: null, reused: true };
}
