import { createHash, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, migrateDatabase, openDatabase, type Db } from "#db/client";
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemo, type DemoSummary } from "#db/demo/generate";
import { attemptLogin } from "~/auth/login.server";
import { getDb } from "~/db.server";
import { isDemoDatabase } from "~/domain/settings";

const SHANGHAI = [
  ["黄浦区", "Huangpu"],
  ["徐汇区", "Xuhui"],
  ["长宁区", "Changning"],
  ["静安区", "Jing'an"],
  ["普陀区", "Putuo"],
  ["虹口区", "Hongkou"],
  ["杨浦区", "Yangpu"],
  ["闵行区", "Minhang"],
  ["宝山区", "Baoshan"],
  ["嘉定区", "Jiading"],
  ["浦东新区", "Pudong New Area"],
  ["金山区", "Jinshan"],
  ["松江区", "Songjiang"],
  ["青浦区", "Qingpu"],
  ["奉贤区", "Fengxian"],
  ["崇明区", "Chongming"],
];

function all<T>(db: Db, query: string, ...params: unknown[]): T[] {
  return db.$client.prepare(query).all(...params) as T[];
}
function one<T>(db: Db, query: string, ...params: unknown[]): T {
  return db.$client.prepare(query).get(...params) as T;
}
const n = (db: Db, query: string) => one<{ n: number }>(db, query).n;

/** A hash of the generated content that must not change between runs (ids included, timestamps not). */
function contentHash(db: Db): string {
  const h = createHash("sha256");
  for (const q of [
    "select id, display_name from persons order by id",
    "select id, district_id, name_zh, name_en, address, capacity, opening_hours from studios order by id",
    "select id, district_id, subdistrict_id, workstation_id, name_zh, address from social_work_points order by id",
    "select id, person_id, kind, district_id, point_id, qualifications, hired_on from staff_profiles order by id",
    "select id, person_id, cohort_id, district_id, home_studio_id, certificate_number, certified_on, expires_on, status, status_reason from peer_tutors order by id",
    "select u.login, u.person_id, r.role, r.district_id from users u join user_roles r on r.user_id = u.id order by u.login, r.role, r.district_id",
  ]) {
    h.update(JSON.stringify(all(db, q)));
  }
  return h.digest("hex");
}

function freshDatabase(): { db: Db; file: string } {
  const file = path.resolve("tmp/test-db", `demo-${randomUUID()}.db`);
  const db = openDatabase(file);
  migrateDatabase(db);
  return { db, file };
}
function dispose({ db, file }: { db: Db; file: string }) {
  closeDatabase(db);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
}

describe("demo data", () => {
  let db: Db;
  let summary: DemoSummary;
  const progress: string[] = [];

  beforeAll(async () => {
    db = getDb();
    summary = await generateDemo(db, { onProgress: (line) => progress.push(line) });
  });

  it("has Shanghai's 16 districts by their real Chinese and English names", () => {
    const rows = all<{ name_zh: string; name_en: string; code: string }>(db, "select name_zh, name_en, code from districts order by id");
    expect(rows.map((r) => [r.name_zh, r.name_en])).toEqual(SHANGHAI);
    for (const r of rows) expect(r.code).toMatch(/^[a-z]+$/);
    expect(summary.districts).toBe(16);
  });

  it("has 13 workstations in 13 districts and 154 social-work points covering all 16 districts", () => {
    expect(n(db, "select count(*) n from workstations")).toBe(13);
    expect(n(db, "select count(distinct district_id) n from workstations")).toBe(13);
    expect(n(db, "select count(*) n from social_work_points")).toBe(154);
    expect(n(db, "select count(distinct district_id) n from social_work_points")).toBe(16);
    // every subdistrict has a point, and each point lies in its own district's subdistrict
    expect(n(db, "select count(*) n from subdistricts s where not exists (select 1 from social_work_points p where p.subdistrict_id = s.id)")).toBe(0);
    expect(n(db, "select count(*) n from social_work_points p join subdistricts s on s.id = p.subdistrict_id where s.district_id <> p.district_id")).toBe(0);
  });

  it("has 10 studios in 10 distinct districts, with fictional addresses, capacities 12–30 and weekday hours", () => {
    const rows = all<{ district_id: number; address: string; capacity: number; opening_hours: string }>(db, "select * from studios");
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.district_id)).size).toBe(10);
    for (const r of rows) {
      expect(r.address).toContain("虚构地址");
      expect(r.capacity).toBeGreaterThanOrEqual(12);
      expect(r.capacity).toBeLessThanOrEqual(30);
      const days = (JSON.parse(r.opening_hours) as { weekday: number }[]).map((p) => p.weekday);
      expect(days).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
    }
    expect(rows.some((r) => r.opening_hours.includes('"weekday":6'))).toBe(true);
  });

  it("has 794 social workers spread over the points, every person marked fictional", () => {
    expect(n(db, "select count(*) n from staff_profiles where kind = 'social_worker'")).toBe(794);
    expect(n(db, "select count(*) n from staff_profiles where kind = 'social_worker' and point_id is null")).toBe(0);
    expect(n(db, "select count(distinct district_id) n from staff_profiles where kind = 'social_worker'")).toBe(16);
    expect(n(db, "select count(*) n from persons where display_name not like '%（虚构）'")).toBe(0);
    // most social workers have no login
    expect(n(db, "select count(*) n from users")).toBe(6);
  });

  it("has 47 certified peer tutors from cohorts 1–4 with unique certificate numbers and a reason on each revocation", () => {
    const cohorts = all<{ number: number; status: string; ends_on: string; tutors: number }>(
      db,
      "select c.number, c.status, c.ends_on, count(t.id) tutors from cohorts c left join peer_tutors t on t.cohort_id = c.id group by c.id order by c.number",
    );
    expect(cohorts.map((c) => c.number)).toEqual([1, 2, 3, 4]);
    expect(cohorts.every((c) => c.status === "certified" && c.ends_on < "2026-01-01")).toBe(true);
    expect(cohorts.reduce((s, c) => s + c.tutors, 0)).toBe(47);
    expect(n(db, "select count(distinct certificate_number) n from peer_tutors")).toBe(47);
    expect(n(db, "select count(*) n from peer_tutors where certificate_number not glob 'TB-C[1-4]-[0-9][0-9][0-9]'")).toBe(0);
    const statuses = Object.fromEntries(
      all<{ status: string; n: number }>(db, "select status, count(*) n from peer_tutors group by status").map((r) => [r.status, r.n]),
    );
    expect(statuses.active).toBeGreaterThan(30);
    expect(statuses.revoked).toBeGreaterThanOrEqual(1);
    expect(statuses.revoked).toBeLessThanOrEqual(2);
    expect(n(db, "select count(*) n from peer_tutors where status = 'revoked' and status_reason = ''")).toBe(0);
    // certified at the end of their cohort; an active tutor's certificate has been renewed and is still valid
    expect(n(db, "select count(*) n from peer_tutors t join cohorts c on c.id = t.cohort_id where t.certified_on <> c.ends_on")).toBe(0);
    expect(n(db, "select count(*) n from peer_tutors where status = 'active' and expires_on < '2027-01-01'")).toBe(0);
  });

  it("lets each of the six demo logins sign in with the demo password", async () => {
    expect(DEMO_LOGINS.map((l) => l.login)).toEqual(["admin", "coordinator", "socialworker", "tutor", "tutor2", "trainer"]);
    for (const { login } of DEMO_LOGINS) {
      const result = await attemptLogin(db, { login, password: DEMO_PASSWORD, ip: "127.0.0.1", userAgent: "vitest" });
      expect(result, login).toMatchObject({ ok: true, mustChangePassword: false });
    }
    const wrong = await attemptLogin(db, { login: "admin", password: "not-the-demo-password", ip: "127.0.0.1", userAgent: "vitest" });
    expect(wrong.ok).toBe(false);
  });

  it("scopes the coordinator to exactly Huangpu and Xuhui", () => {
    const grants = all<{ role: string; code: string | null }>(
      db,
      "select r.role, d.code from user_roles r join users u on u.id = r.user_id left join districts d on d.id = r.district_id where u.login = 'coordinator' order by d.code",
    );
    expect(grants).toEqual([
      { role: "coordinator", code: "huangpu" },
      { role: "coordinator", code: "xuhui" },
    ]);
  });

  it("links socialworker to a Huangpu social worker, and tutor and tutor2 to two different active peer tutors", () => {
    const sw = one<{ code: string; kind: string }>(
      db,
      "select d.code, s.kind from users u join staff_profiles s on s.person_id = u.person_id join districts d on d.id = s.district_id where u.login = 'socialworker'",
    );
    expect(sw).toEqual({ code: "huangpu", kind: "social_worker" });
    const tutors = all<{ login: string; id: number; status: string; code: string }>(
      db,
      "select u.login, t.id, t.status, d.code from users u join peer_tutors t on t.person_id = u.person_id join districts d on d.id = t.district_id where u.login in ('tutor', 'tutor2') order by u.login",
    );
    expect(tutors).toHaveLength(2);
    expect(tutors[0]!.id).not.toBe(tutors[1]!.id);
    expect(tutors.map((t) => [t.login, t.status, t.code])).toEqual([
      ["tutor", "active", "huangpu"],
      ["tutor2", "active", "xuhui"],
    ]);
  });

  it("marks the database as a demo and records the generation in the audit log", () => {
    expect(isDemoDatabase(db)).toBe(true);
    expect(n(db, "select count(*) n from audit_log where actor_login = 'demo' and action = 'generate' and entity = 'demo'")).toBe(1);
    expect(progress.length).toBeGreaterThan(0);
  });

  it("refuses to generate into a database that already has data", async () => {
    await expect(generateDemo(db)).rejects.toThrow(/not empty/);
    expect(n(db, "select count(*) n from districts")).toBe(16);
  });

  it("writes the same rows on a second run into a fresh database (fixed seed)", async () => {
    const other = freshDatabase();
    try {
      expect(isDemoDatabase(other.db)).toBe(false);
      await generateDemo(other.db);
      expect(contentHash(other.db)).toBe(contentHash(db));
    } finally {
      dispose(other);
    }
  });
});
