/**
 * Import jobs of the admin import page (issue 6, "progress shown for large files"). The upload is
 * imported in a worker thread (import-worker.server.ts) so the request answers at once and the
 * job page can show the rows read so far; the job itself lives only in this process's memory,
 * keyed by a random id, and is forgotten an hour after it finished. One import at a time per server.
 *
 * Locating the worker's code: in development and tests this module is a .ts file run through tsx
 * (or Vite), so the worker loads this same file with tsx's loader; in the built server this module
 * is bundled into build/server/index.js, so the worker loads that bundle. Either way the module
 * below sees it is the worker (workerData carries the job) and runs the job instead of serving.
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { runImportJob } from "./import-worker.server";
import type { JobInput, JobMessage, JobResult } from "./job-types";

const WORKER_KEY = "tongbanImportJob";
export const JOB_TTL_MS = 60 * 60 * 1000;

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_KEY]) {
  const port = parentPort;
  try {
    runImportJob((workerData as Record<string, JobInput>)[WORKER_KEY]!, (m) => port.postMessage(m));
  } catch (e) {
    port.postMessage({ type: "crash", message: e instanceof Error ? e.message : String(e) } satisfies JobMessage);
  }
}

export type Job = {
  id: string;
  kind: JobInput["kind"];
  dryRun: boolean;
  fileName: string;
  userId: number | null;
  startedAt: number;
  finishedAt: number | null;
  rows: number;
  result: JobResult | null;
  /** the worker stopped without a result (a bug or the server shutting down): nothing was committed */
  crashed: boolean;
};

const JOBS = Symbol.for("tongban.importJobs");
const holder = globalThis as typeof globalThis & { [JOBS]?: Map<string, Job> };
function jobs(): Map<string, Job> {
  return (holder[JOBS] ??= new Map());
}

function forgetOld(now = Date.now()): void {
  for (const [id, job] of jobs()) if (job.finishedAt !== null && now - job.finishedAt > JOB_TTL_MS) jobs().delete(id);
}

/** The job still running, if any. */
export function runningJob(): Job | null {
  for (const job of jobs().values()) if (job.finishedAt === null) return job;
  return null;
}

/** A job by id (a copy), or null when unknown or forgotten. Reads memory only. */
export function getJob(id: string, now = Date.now()): Job | null {
  forgetOld(now);
  const job = jobs().get(id);
  return job ? { ...job } : null;
}

/**
 * The worker's entry: the built bundle itself, or (a .ts source under tsx, Vite or Vitest) a tiny
 * ES module that registers tsx's loader in the worker and then imports this file.
 */
function workerEntry(): URL {
  const self = new URL(import.meta.url);
  if (!/\.tsx?$/.test(fileURLToPath(self))) return self;
  // tsx's ES module entry (its "import" export), found next to its package.json
  const tsxPackage = createRequire(path.join(process.cwd(), "package.json")).resolve("tsx/package.json");
  const tsx = pathToFileURL(path.join(path.dirname(tsxPackage), "dist/esm/api/index.mjs")).href;
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(self.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Starts an import in a worker; null when another import is still running. */
export function startImportJob(input: JobInput): Job | null {
  forgetOld();
  if (runningJob()) return null;
  const job: Job = {
    id: randomBytes(16).toString("hex"),
    kind: input.kind,
    dryRun: input.dryRun,
    fileName: input.fileName,
    userId: input.actor.userId,
    startedAt: Date.now(),
    finishedAt: null,
    rows: 0,
    result: null,
    crashed: false,
  };
  jobs().set(job.id, job);
  const url = workerEntry();
  const finish = (result: JobResult | null) => {
    if (job.finishedAt !== null) return;
    job.result = result;
    job.crashed = result === null;
    if (result) job.rows = result.rows;
    job.finishedAt = Date.now();
    setTimeout(forgetOld, JOB_TTL_MS + 1000).unref();
  };
  let worker: Worker;
  try {
    worker = new Worker(url, { workerData: { [WORKER_KEY]: input }, execArgv: [] });
  } catch (e) {
    console.error("tongban: the import worker could not start", e);
    finish(null);
    return job;
  }
  worker.unref();
  worker.on("message", (m: JobMessage) => {
    if (m.type === "progress") job.rows = m.rows;
    else if (m.type === "done") {
      finish(m.result);
      void worker.terminate();
    } else {
      console.error(`tongban: the import job ${job.id} failed: ${m.message}`);
      finish(null);
      void worker.terminate();
    }
  });
  worker.on("error", (e) => {
    console.error(`tongban: the import job ${job.id} failed`, e);
    finish(null);
  });
  worker.on("exit", () => finish(null));
  return job;
}

/** Waits until a job has finished (tests and the CLI-free checks); resolves with the job. */
export async function waitForJob(id: string, timeoutMs = 30_000): Promise<Job | null> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = getJob(id);
    if (!job || job.finishedAt !== null || Date.now() > until) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
}
