/**
 * `demo --scale N`: a data set N times the source figures. At scale 0.02 (715 clients) these
 * tests prove the proportions, the fixed seed, the app's rules on every row, and the three-year
 * rate computed from the records; the CLI tests run the command as an operator would.
 */
import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, migrateDatabase, openDatabase, type Db } from "#db/client";
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemo, type DemoSummary } from "#db/demo/generate";
import { DEMO_DISTRICTS } from "#db/demo/places";
import { apportion, parseScale, scaledCounts, scaledLayout } from "#db/demo/scale";
import { attemptLogin, loginRateLimiter } from "~/auth/login.server";
import { getDb } from "~/db.server";
import { addMonths } from "~/domain/clients/dates";
import { isEligibleForRecognition, threeYearRate, type SubstanceEventFact } from "~/domain/clients/outcomes";
import { isDemoDatabase } from "~/domain/settings";

const TODAY = "2026-11-20";
const SCALE = 0.02;

function all<T>(db: Db, query: string, ...params: unknown[]): T[] {
  return db.$client.prepare(query).all(...params) as T[];
}
const n = (db: Db, query: string, ...params: unknown[]) => (db.$client.prepare(query).get(...params) as { n: number }).n;

const TABLES = [
  "persons",
  "staff_profiles",
  "peer_tutors",
  "studios",
  "social_work_points",
  "clients",
  "consents",
  "client_assignments",
  "contacts",
  "substance_events",
  "recognitions",
  "client_flags",
  "barc10_assessments",
  "service_plans",
];

/** Row counts of the tables the generator writes, and a checksum of what identifies the clients and their histories. */
function fingerprint(db: Db) {
  const counts = Object.fromEntries(TABLES.map((t) => [t, n(db, `select count(*) n from ${t}`)]));
  const h = createHash("sha256");
  for (const q of [
    "select id, case_number, alias, intake_date, district_id, point_id, status, closed_on from clients order by id",
    "select client_id, happened_at, type, author_user_id from contacts order by id",
    "select client_id, date, kind from substance_events order by id",
    "select client_id, recognised_on from recognitions order by id",
    "select client_id, kind, person_id, from_date, to_date from client_assignments order by id",
  ]) {
    h.update(JSON.stringify(all(db, q)));
  }
  return { counts, checksum: h.digest("hex") };
}

describe("the demo at a scale", () => {
  let db: Db;
  let summary: DemoSummary;
  const progress: string[] = [];

  beforeAll(async () => {
    db = getDb();
    summary = await generateDemo(db, { today: TODAY, scale: SCALE, onProgress: (line) => progress.push(line) });
  }, 120_000);

  it("writes round(35,740 × N) clients and N times the social workers, peer tutors and studios, inside the 16 districts", () => {
    expect(n(db, "select count(*) n from clients")).toBe(Math.round(35_740 * SCALE));
    expect(n(db, "select count(*) n from clients")).toBe(715);
    // 794 × 0.02 = 15.88 → 16 (also the floor: one per district); 47 × 0.02 rounds to 1, the floor is the two tutor logins; 10 × 0.02 → the floor of one studio
    expect(n(db, "select count(*) n from staff_profiles where kind = 'social_worker'")).toBe(16);
    expect(n(db, "select count(*) n from peer_tutors")).toBe(2);
    expect(n(db, "select count(*) n from studios")).toBe(1);
    expect(n(db, "select count(*) n from districts")).toBe(16);
    expect(n(db, "select count(distinct district_id) n from clients")).toBe(16);
    expect(n(db, "select count(distinct district_id) n from staff_profiles where kind = 'social_worker'")).toBe(16);
    expect(summary).toMatchObject({ clients: 715, socialWorkers: 16, peerTutors: 2, studios: 1, districts: 16 });
    expect(n(db, "select count(*) n from persons where display_name not like '%（虚构）'")).toBe(0);
    expect(n(db, "select count(*) n from clients where alias not like '%（化名）'")).toBe(0);
    expect(isDemoDatabase(db)).toBe(true);
    expect(n(db, "select count(*) n from audit_log where action = 'generate' and entity = 'demo' and json_extract(details, '$.scale') = ?", SCALE)).toBe(1);
  });

  it("scales the source figures by N at any scale, with floors that keep a tiny data set usable", () => {
    expect(scaledCounts(1)).toEqual({ clients: 35_740, socialWorkers: 794, peerTutors: 47, studios: 10 });
    expect(scaledCounts(10)).toEqual({ clients: 357_400, socialWorkers: 7_940, peerTutors: 470, studios: 100 });
    expect(scaledCounts(0.01)).toEqual({ clients: 357, socialWorkers: 16, peerTutors: 2, studios: 1 });
    const cohorts = [12, 11, 12, 12].map((tutors, i) => ({ number: i + 1, startsOn: "", endsOn: "", tutors, others: [{ becameSocialWorker: false }] }));
    const ten = scaledLayout(10, DEMO_DISTRICTS, cohorts, [3, 4]);
    expect(ten.cohorts.map((c) => c.tutors)).toEqual([120, 110, 120, 120]);
    expect(DEMO_DISTRICTS.reduce((s, d) => s + ten.pointsIn(d), 0)).toBe(1540);
    expect(ten.studios).toHaveLength(100);
    expect(new Set(ten.studios.map((s) => s.district.code)).size).toBe(16);
    const tiny = scaledLayout(0.02, DEMO_DISTRICTS, cohorts, [3, 4]);
    expect(tiny.cohorts.map((c) => c.tutors)).toEqual([0, 0, 1, 1]);
    expect(scaledLayout(1, DEMO_DISTRICTS, cohorts, [3, 4]).cohorts.map((c) => c.tutors)).toEqual([12, 11, 12, 12]);
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });

  it("writes the same rows on a second run with the same scale and today (fixed seed)", async () => {
    const file = path.resolve("tmp/test-db", `scale-${randomUUID()}.db`);
    const other = openDatabase(file);
    try {
      migrateDatabase(other);
      await generateDemo(other, { today: TODAY, scale: SCALE });
      expect(fingerprint(other)).toEqual(fingerprint(db));
    } finally {
      closeDatabase(other);
      for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    }
  }, 120_000);

  it("spreads intake from 2011 to a month before today, with about 14 contacts a client and substance events of every kind", () => {
    expect(all<{ d: string }>(db, "select min(intake_date) d from clients")[0]!.d < "2012-01-01").toBe(true);
    expect(all<{ d: string }>(db, "select max(intake_date) d from clients")[0]!.d <= addMonths(TODAY, -1)).toBe(true);
    expect(n(db, "select count(distinct substr(intake_date, 1, 4)) n from clients")).toBe(16);
    const perClient = n(db, "select count(*) n from contacts") / n(db, "select count(*) n from clients");
    expect(perClient).toBeGreaterThan(12);
    expect(perClient).toBeLessThan(17);
    const kinds = all<{ kind: string }>(db, "select distinct kind from substance_events order by kind").map((r) => r.kind);
    expect(kinds).toEqual(["facility_release", "relapse", "test_negative", "test_positive", "use"]);
    const statuses = all<{ status: string }>(db, "select distinct status from clients order by status").map((r) => r.status);
    expect(statuses).toEqual(["active", "closed", "in_facility"]);
    expect(progress.some((line) => line.startsWith("clients: 715 of 715 written"))).toBe(true);
  });

  it("writes no contact before the intake date, after the closing date or outside a consent, and nothing after today", () => {
    // local (Asia/Shanghai) date of each contact: UTC + 8 hours
    expect(n(db, "select count(*) n from contacts k join clients c on c.id = k.client_id where date(k.happened_at, '+8 hours') < c.intake_date")).toBe(0);
    expect(n(db, "select count(*) n from contacts k join clients c on c.id = k.client_id where c.closed_on is not null and date(k.happened_at, '+8 hours') > c.closed_on")).toBe(0);
    expect(
      n(
        db,
        `select count(*) n from contacts k where not exists (select 1 from consents s where s.client_id = k.client_id
          and s.agreed_on <= date(k.happened_at, '+8 hours') and (s.withdrawn_at is null or s.withdrawn_at > k.happened_at))`,
      ),
    ).toBe(0);
    // every client has its intake interview on the intake date, and a consent from that day
    expect(n(db, "select count(*) n from clients c where not exists (select 1 from contacts k where k.client_id = c.id and date(k.happened_at, '+8 hours') = c.intake_date)")).toBe(0);
    expect(n(db, "select count(*) n from clients c where not exists (select 1 from consents s where s.client_id = c.id and s.agreed_on = c.intake_date)")).toBe(0);
    expect(n(db, "select count(*) n from consents s join clients c on c.id = s.client_id where s.withdrawn_at is not null and c.status <> 'closed'")).toBe(0);
    expect(n(db, `select count(*) n from contacts where happened_at > '${TODAY}T16:00:00Z'`)).toBe(0);
    expect(n(db, `select count(*) n from substance_events where date > '${TODAY}'`)).toBe(0);
    expect(n(db, "select count(*) n from substance_events e join clients c on c.id = e.client_id where c.closed_on is not null and e.date > c.closed_on")).toBe(0);
  });

  it("gives every open client exactly one current social worker of their district, and peer tutors only while certified and active", () => {
    expect(
      n(db, "select count(*) n from clients c where c.status <> 'closed' and (select count(*) from client_assignments a where a.client_id = c.id and a.kind = 'social_worker' and a.to_date is null) <> 1"),
    ).toBe(0);
    expect(n(db, "select count(*) n from clients c where c.status = 'closed' and exists (select 1 from client_assignments a where a.client_id = c.id and a.to_date is null)")).toBe(0);
    expect(n(db, "select count(*) n from client_assignments where to_date is not null and to_date < from_date")).toBe(0);
    expect(n(db, "select count(*) n from client_assignments a join clients c on c.id = a.client_id where a.from_date < c.intake_date")).toBe(0);
    expect(
      n(db, "select count(*) n from client_assignments a join clients c on c.id = a.client_id where a.kind = 'social_worker' and not exists (select 1 from staff_profiles s where s.person_id = a.person_id and s.kind = 'social_worker' and s.district_id = c.district_id)"),
    ).toBe(0);
    expect(n(db, "select count(*) n from client_assignments where kind = 'peer_tutor' and to_date is null")).toBeGreaterThan(0);
    expect(
      n(db, `select count(*) n from client_assignments a join peer_tutors t on t.person_id = a.person_id where a.kind = 'peer_tutor' and a.to_date is null and (t.status <> 'active' or t.expires_on <= '${TODAY}' or a.from_date < t.certified_on)`),
    ).toBe(0);
  });

  it("computes a three-year abstinence rate within 1.5 points of the source's 29.60% from the records, every recognition earned", () => {
    const served = n(db, "select count(*) n from clients where intake_date <= ?", TODAY);
    const recognised = n(db, "select count(distinct client_id) n from recognitions where recognised_on <= ?", TODAY);
    const rate = Number(threeYearRate(recognised, served));
    expect(Math.abs(rate - 29.6)).toBeLessThanOrEqual(1.5);
    expect(summary.threeYearRate).toBe(threeYearRate(recognised, served));
    expect(n(db, "select count(*) n from (select client_id from recognitions group by client_id having count(*) > 1)")).toBe(0);
    const recognitions = all<{ client_id: number; recognised_on: string }>(db, "select client_id, recognised_on from recognitions");
    for (const r of recognitions) {
      const c = all<{ intake_date: string; status: "active" | "in_facility" | "closed"; closed_on: string | null }>(
        db,
        "select intake_date, status, closed_on from clients where id = ?",
        r.client_id,
      )[0]!;
      const events = all<SubstanceEventFact>(db, "select date, kind from substance_events where client_id = ?", r.client_id);
      const candidate = { intakeDate: c.intake_date, status: c.status, closedOn: c.closed_on, events, recognitions: [] };
      expect(isEligibleForRecognition(candidate, r.recognised_on), `client ${r.client_id}`).toBe(true);
    }
  });

  it("lets the six demo logins sign in with the demo password, socialworker with a caseload and tutor and tutor2 with mentees", async () => {
    loginRateLimiter.reset();
    for (const { login } of DEMO_LOGINS) {
      const result = await attemptLogin(db, { login, password: DEMO_PASSWORD, ip: "127.0.0.1", userAgent: "vitest" });
      expect(result, login).toMatchObject({ ok: true });
    }
    expect(n(db, "select count(*) n from users")).toBe(6);
    const current = (login: string, kind: string) =>
      n(db, "select count(*) n from client_assignments a join users u on u.person_id = a.person_id where u.login = ? and a.kind = ? and a.to_date is null", login, kind);
    expect(current("socialworker", "social_worker")).toBeGreaterThanOrEqual(10);
    expect(current("tutor", "peer_tutor")).toBeGreaterThanOrEqual(5);
    expect(current("tutor2", "peer_tutor")).toBeGreaterThanOrEqual(5);
  });
});

describe("the demo command with --scale", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tongban-scale-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `tongban demo …` as a child process without blocking the test worker (its runs take seconds). */
  function run(args: string[], file: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        "node",
        ["--import", "tsx", "cli/index.ts", "demo", ...args],
        { env: { ...process.env, DATABASE_URL: file }, encoding: "utf8", timeout: 100_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr: stderr.trim() }),
      );
    });
  }

  it("accepts a positive decimal of at least 0.01 and rejects anything else with a reason", () => {
    expect(parseScale("1")).toBe(1);
    expect(parseScale("10")).toBe(10);
    expect(parseScale("0.02")).toBe(0.02);
    expect(parseScale(".5")).toBe(0.5);
    for (const bad of ["0", "0.001", "-1", "abc", "", "1e2", "0x10", "Infinity", "NaN", "1,5", "101"]) {
      expect(() => parseScale(bad), bad).toThrow(/--scale must be/);
    }
  });

  it("exits 1 with a one-line reason for a bad --scale or --today and writes nothing", async () => {
    for (const [args, reason] of [
      [["--scale", "0"], /--scale must be at least 0.01/],
      [["--scale", "ten"], /--scale must be a positive decimal/],
      [["--scale=-2"], /--scale must be a positive decimal/],
      [["--scale", "1", "--today", "2026-02-30"], /--today must be a date YYYY-MM-DD/],
    ] as const) {
      const file = path.join(dir, `bad-${randomUUID()}.db`);
      const r = await run([...args], file);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr.split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
      expect(r.stdout).not.toContain("filling");
    }
  });

  it("fills an empty database with progress lines and the elapsed time, refuses it again without --force and replaces it with --force", async () => {
    const file = path.join(dir, "scaled.db");
    const first = await run(["--scale", "0.01", "--today", TODAY], file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("at scale 0.01: 357 clients");
    expect(first.stdout).toMatch(/\[\s*\d+\.\d s\] clients: 357 of 357 written/);
    expect(first.stdout).toMatch(/three-year rate \d+\.\d\d%/);
    expect(first.stdout).toMatch(/done in \d+\.\d s/);
    // opened without the app's pragmas: the file is back in WAL mode after the bulk load's in-memory journal
    const raw = new Database(file);
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
      expect((raw.prepare("select count(*) n from clients").get() as { n: number }).n).toBe(357);
    } finally {
      raw.close();
    }
    const again = await run(["--scale", "0.01", "--today", TODAY], file);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty/);
    const forced = await run(["--scale", "0.01", "--today", TODAY, "--force"], file);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("removed the old demo database");
  });

  it("removes the database it started to fill when the generation fails, so the next run starts clean", async () => {
    const file = path.join(dir, "too-early.db");
    const r = await run(["--scale", "0.01", "--today", "2024-01-01"], file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/today \(2024-01-01\) must be on or after/);
    expect(r.stdout).toContain("removed the half-filled");
    expect(existsSync(file)).toBe(false);
  });
});
