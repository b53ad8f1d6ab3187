/**
 * Builds the app (under the shared build lock) into a private snapshot and runs the production
 * server from it, so another build in the same tree cannot swap files under a running measurement.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

export const BUILD_LOCK = "/tmp/tongban-build.lock";

/**
 * `npm run build` under the build lock, then a copy of build/ into `tmp/perf-<name>/build`
 * (taken under the same lock). Returns the directory to run the server in. With `skipBuild`
 * only the copy is made (from the existing build/); with `reuseSnapshot` the last snapshot is used as it is.
 */
export function prepareBuild(name: string, options: { skipBuild?: boolean; reuseSnapshot?: boolean } = {}): string {
  const root = process.cwd();
  const dir = path.resolve(root, "tmp", `perf-${name}`);
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, "build");
  if (options.reuseSnapshot) {
    if (!existsSync(path.join(target, "start.js"))) throw new Error(`--reuse-snapshot: no earlier snapshot in ${target}`);
    console.log(`reusing the build snapshot in ${path.relative(root, target)} (--reuse-snapshot)`);
    return dir;
  }
  const steps = [
    options.skipBuild ? "" : "npm run build",
    `rm -rf '${target}'`,
    `cp -r build '${target}'`,
  ]
    .filter(Boolean)
    .join(" && ");
  console.log(options.skipBuild ? "copying the existing build/ (--no-build)" : "building (npm run build, under the build lock)");
  const r = spawnSync("flock", [BUILD_LOCK, "sh", "-c", steps], { stdio: "inherit", cwd: root });
  if (r.status !== 0) throw new Error(`the build failed (exit ${r.status})`);
  if (!existsSync(path.join(target, "start.js"))) throw new Error(`no build/start.js in ${target}`);
  return dir;
}

export type RunningServer = {
  child: ChildProcess;
  pid: number;
  port: number;
  base: string;
  /** spawn → first 200 from /healthz, in ms */
  startMs: number;
  /** lines of output mentioning SQLITE_BUSY (stdout and stderr) */
  busyLines: () => number;
  /** the last lines the server printed */
  tail: () => string[];
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited */
  stop: () => Promise<void>;
  /** SIGKILL now; resolves when the process has exited */
  kill: () => Promise<void>;
  exited: () => boolean;
};

export type ServerOptions = {
  /** directory holding build/ (from prepareBuild) */
  dir: string;
  database: string;
  port: number;
  env?: Record<string, string>;
  startTimeoutMs?: number;
};

/** Starts `node build/start.js` in production mode and waits until /healthz answers 200. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const base = `http://127.0.0.1:${options.port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ["build/start.js"], {
    cwd: options.dir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: path.resolve(options.database),
      MIGRATIONS_DIR: path.resolve("drizzle"),
      PORT: String(options.port),
      HOST: "127.0.0.1",
      TONGBAN_QUIET: "1",
      COOKIE_SECURE: "false",
      // every virtual user signs in from 127.0.0.1
      LOGIN_RATE_LIMIT: "100000",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let busy = 0;
  const tail: string[] = [];
  let partial = "";
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.includes("SQLITE_BUSY")) busy++;
      tail.push(line);
      if (tail.length > 200) tail.shift();
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  let exitedFlag = false;
  const exit = new Promise<void>((resolve) => child.on("exit", () => ((exitedFlag = true), resolve())));

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let startMs = -1;
  while (Date.now() < deadline) {
    if (exitedFlag) throw new Error(`the server exited while starting:\n${tail.slice(-20).join("\n")}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) {
        startMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  if (startMs < 0) {
    child.kill("SIGKILL");
    throw new Error(`the server did not answer /healthz within ${(options.startTimeoutMs ?? 60_000) / 1000} s:\n${tail.slice(-20).join("\n")}`);
  }
  return {
    child,
    pid: child.pid!,
    port: options.port,
    base,
    startMs,
    busyLines: () => busy,
    tail: () => [...tail, ...(partial ? [partial] : [])],
    exited: () => exitedFlag,
    stop: async () => {
      if (exitedFlag) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
    },
    kill: async () => {
      if (exitedFlag) return;
      child.kill("SIGKILL");
      await exit;
    },
  };
}

/** Resident memory of a process in MB (VmRSS from /proc), or null where /proc is absent. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Removes a database file, its WAL companions and the pid file a killed server leaves beside it. */
export function removeDatabase(file: string): void {
  for (const suffix of ["", "-wal", "-shm", ".pid"]) rmSync(file + suffix, { force: true });
}

