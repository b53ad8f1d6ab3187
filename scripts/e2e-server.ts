/**
 * Starts the production build for the Playwright journeys on a fresh demo database
 * (tmp/e2e.db), plus one extra account that the lockout journey may lock.
 */
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

const db = "tmp/e2e.db";
for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
const env = { ...process.env, DATABASE_URL: db, TONGBAN_QUIET: "1", TONGBAN_NO_SWEEP: "1" };

function cli(...args: string[]) {
  const r = spawnSync("npx", ["tsx", "cli/index.ts", ...args], { env, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) {
    console.error(`e2e-server: "tongban ${args.join(" ")}" failed`);
    process.exit(1);
  }
}

cli("demo");
cli("user", "create", "locktest", "--name", "锁定测试（虚构）", "--roles", "trainer", "--password", "lock-test-password", "--no-change");
cli("user", "create", "twofactor", "--name", "两步登录测试（虚构）", "--roles", "trainer", "--password", "two-factor-password", "--no-change");

const server = spawn("node", ["build/start.js"], {
  env: {
    ...env,
    NODE_ENV: "production",
    PORT: process.env.E2E_PORT ?? "3210",
    COOKIE_SECURE: "false",
    LOGIN_RATE_LIMIT: "100000",
  },
  stdio: "inherit",
});
const stop = () => server.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
