/**
 * The operators' interfaces as an operator meets them: the CLI as a child process (one-line
 * errors, non-zero exit on bad input) and the server refusing to start on a bad environment.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { attemptLogin, loginRateLimiter } from "~/auth/login.server";
import { migrateDatabase, openDatabase } from "#db/client";
import { eq } from "drizzle-orm";
import { users } from "#db/schema";

const dir = mkdtempSync(path.join(tmpdir(), "tongban-cli-"));
const dbFile = path.join(dir, "ops.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync("node", ["--import", "tsx", "cli/index.ts", ...args], {
    env: { ...process.env, DATABASE_URL: dbFile, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

describe("the command line", { timeout: 120_000 }, () => {
  it("migrates, creates a user who can sign in, resets and disables them", async () => {
    expect(run(["migrate"]).code).toBe(0);
    const created = run(["user", "create", "ops-admin", "--name", "运维测试（虚构）", "--roles", "admin", "--password", "a-long-password-1"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("created user ops-admin");

    const db = openDatabase(dbFile);
    migrateDatabase(db);
    loginRateLimiter.reset();
    const login = await attemptLogin(db, { login: "ops-admin", password: "a-long-password-1", ip: "10.0.0.1", userAgent: "test" });
    expect(login).toMatchObject({ ok: true, mustChangePassword: true });

    expect(run(["user", "reset-password", "ops-admin", "--password", "another-long-pass"]).code).toBe(0);
    expect(run(["user", "disable", "ops-admin"]).code).toBe(0);
    expect(db.select().from(users).where(eq(users.login, "ops-admin")).get()?.active).toBe(false);
    db.$client.close();
  });

  it.each([
    [["nonsense"], /unknown command/],
    [["user", "create", "Bad Login!", "--name", "x", "--roles", "admin", "--password", "a-long-password-1"], /^tongban: login:/],
    [["user", "create", "someone", "--name", "x", "--roles", "wizard", "--password", "a-long-password-1"], /unknown role "wizard"/],
    [["user", "create", "someone", "--name", "x", "--roles", "admin", "--password", "short"], /password: Use at least 10 characters/],
    [["user", "create", "someone", "--name", "x", "--roles", "coordinator@atlantis", "--password", "a-long-password-1"], /unknown district "atlantis"/],
    [["user", "disable", "nobody-here"], /no user with login "nobody-here"/],
    [["user", "create", "someone", "--bogus"], /Unknown option/],
  ])("refuses %j with one line and exit code 1", (args, reason) => {
    const r = run(args as string[]);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(reason as RegExp);
  });

  it("refuses a bad environment value with one line naming it", () => {
    const r = run(["migrate"], { PORT: "not-a-port" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tongban: Invalid environment: PORT/);
    expect(r.stderr.split("\n")).toHaveLength(1);
  });
});

describe("the server", { timeout: 120_000 }, () => {
  it("does not start with a bad environment value, and says why in one line", () => {
    const r = spawnSync("node", ["--import", "tsx", "server/index.ts"], {
      env: { ...process.env, DATABASE_URL: dbFile, NODE_ENV: "production", LOGIN_RATE_LIMIT: "lots" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^tongban: Invalid environment: LOGIN_RATE_LIMIT/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
