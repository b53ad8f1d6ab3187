/**
 * `tongban import` and `tongban export` as an operator meets them: progress and a one-line
 * result, every bad row as "line L, column C: reason" with exit code 1 and nothing written.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "#db/client";
import { buildWorld, csv, HEADERS } from "./world";

const dir = mkdtempSync(path.join(tmpdir(), "tongban-data-cli-"));
const dbFile = path.join(dir, "cli.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync("node", ["--import", "tsx", "cli/index.ts", ...args], {
    env: { ...process.env, DATABASE_URL: dbFile, TONGBAN_QUIET: "" },
    encoding: "utf8",
    timeout: 150_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

function file(name: string, lines: string[]): string {
  const p = path.join(dir, name);
  writeFileSync(p, csv(lines));
  return p;
}

function count(table: string): number {
  const db = openDatabase(dbFile);
  try {
    return (db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.$client.close();
  }
}

beforeAll(async () => {
  const db = openDatabase(dbFile);
  migrateDatabase(db);
  await buildWorld(db);
  db.$client.close();
});

const good = ["CLI-1,小林（化名）,dt-east,,2020-01-01,voluntary,sw-wang,", "CLI-2,小陈（化名）,dt-west,,2021-01-01,none,sw-li,"];

describe("tongban import / export", { timeout: 400_000 }, () => {
  it("a dry run prints what would happen and writes nothing", () => {
    const r = cli(["import", "clients", file("dry.csv", [HEADERS.clients, ...good]), "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("dry run: 2 rows are good (2 new, 0 unchanged); nothing written");
    expect(count("clients")).toBe(0);
  });

  it("imports, prints progress and 'imported N rows (M unchanged)'; the same file again is all unchanged", () => {
    const f = file("good.csv", [HEADERS.clients, ...good]);
    const r = cli(["import", "clients", f]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("2 rows read");
    expect(r.stdout.trim()).toBe("imported 2 rows (0 unchanged)");
    expect(cli(["import", "clients", f]).stdout.trim()).toBe("imported 2 rows (2 unchanged)");
    expect(count("clients")).toBe(2);
  });

  it("lists every bad row and exits 1 with nothing written", () => {
    const r = cli(["import", "clients", file("bad.csv", [HEADERS.clients, "CLI-3,小张（化名）,dt-east,,2020-01-01,voluntary,sw-wang,", "CLI-4,小王（化名）,atlantis,,2020-01-01,voluntary,sw-wang,", "CLI-5,小李（化名）,dt-east,,2099-01-01,parole,sw-wang,"])]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("line ") || l.startsWith("tongban:"));
    expect(lines).toEqual([
      "line 3, column district: No district is called atlantis (use the district's code or name).",
      "line 4, column legal_status: Use one of: community_treatment, community_rehab, compulsory_rehab, voluntary, none.",
      "tongban: nothing imported: 2 of 3 rows have problems",
    ]);
    expect(count("clients")).toBe(2);
  });

  it("refuses a file that is not UTF-8, an unknown kind and a missing file with exit 1", () => {
    const gbk = path.join(dir, "gbk.csv");
    writeFileSync(gbk, Buffer.concat([Buffer.from(`${HEADERS.clients}\r\nCLI-9,`), Buffer.from([0xd0, 0xa1, 0xc1, 0xd6]), Buffer.from(",dt-east,,2020-01-01,none,sw-wang,\r\n")]));
    const r = cli(["import", "clients", gbk]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("The file is not UTF-8 text");
    expect(cli(["import", "people", gbk])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^tongban: give the kind: one of clients, /) });
    expect(cli(["import", "clients", path.join(dir, "nope.csv")])).toMatchObject({ code: 1, stderr: expect.stringContaining("no such file") });
  });

  it("exports to stdout and to --out in the import format", () => {
    const r = cli(["export", "clients"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`\ufeff${HEADERS.clients}\r\nCLI-1,小林（化名）,dt-east,,2020-01-01,voluntary,sw-wang,\r\nCLI-2,小陈（化名）,dt-west,,2021-01-01,none,sw-li,\r\n`);
    const out = path.join(dir, "out.csv");
    const r2 = cli(["export", "clients", "--out", out]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain(`exported 2 rows to ${out}`);
    expect(readFileSync(out, "utf8")).toBe(r.stdout);
    expect(cli(["export"]).code).toBe(1);
  });
});
