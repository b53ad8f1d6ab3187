import { createHash, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, migrateDatabase, openDatabase, type Db } from "#db/client";
import { DEMO_LOGINS, DEMO_PASSWORD, generateDemo, type DemoSummary } from "#db/demo/generate";
import { attemptLogin } from "~/auth/login.server";
import { getDb } from "~/db.server";
import { addMonths } from "~/domain/clients/dates";
import { isEligibleForRecognition, isOverdue, threeYearRate, type SubstanceEventFact } from "~/domain/clients/outcomes";
import { isDemoDatabase } from "~/domain/settings";
import { requirementReports } from "~/domain/training/facts.server";
import { meetsAllRequirements, VERIFICATION_ALPHABET } from "~/domain/training/requirements";

/** The generation date the tests fix, so the histories (and the hash) do not move with the clock. */
const TODAY = "2026-11-20";
const ZONE = "Asia/Shanghai";
const THRESHOLD_DAYS = 30;

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

/** A hash of the generated content that must not change between runs with the same today (ids included, timestamps not). */
function contentHash(db: Db): string {
  const h = createHash("sha256");
  for (const q of [
    "select id, display_name from persons order by id",
    "select id, district_id, name_zh, name_en, address, capacity, opening_hours from studios order by id",
    "select id, district_id, subdistrict_id, workstation_id, name_zh, address from social_work_points order by id",
    "select id, person_id, kind, district_id, point_id, qualifications, hired_on from staff_profiles order by id",
    "select id, person_id, cohort_id, district_id, home_studio_id, certificate_number, certified_on, expires_on, status, status_reason from peer_tutors order by id",
    "select u.login, u.person_id, r.role, r.district_id from users u join user_roles r on r.user_id = u.id order by u.login, r.role, r.district_id",
    "select id, case_number, alias, district_id, subdistrict_id, point_id, legal_status, intake_date, risk_level, status, closed_reason, closed_on, person_id from clients order by id",
    "select id, client_id, author_user_id, type, happened_at, duration_minutes, participants, summary, mood, risk_observation, private, next_contact_due from contacts order by id",
    "select id, client_id, date, kind, note, recorded_by from substance_events order by id",
    "select id, client_id, recognised_on, recognised_by_user_id, evidence from recognitions order by id",
    "select id, client_id, kind, person_id, from_date, to_date from client_assignments order by id",
    "select id, client_id, purposes, agreed_on, withdrawn_at from consents order by id",
    "select id, number, verification_code, holder_person_id, cohort_id, enrollment_id, issued_on, expires_on, revoked_at, revoked_reason from certificates order by id",
    "select id, cohort_id, person_id, district_id, status, status_reason, enrolled_on from enrollments order by id",
    "select id, enrollment_id, module_id, attempt, score, assessed_on from assessments order by id",
    "select id, enrollment_id, date, hours, supervisor_person_id, signed_off_at from practicum_logs order by id",
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
    summary = await generateDemo(db, { today: TODAY, onProgress: (line) => progress.push(line) });
  }, 120_000);

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
      "select c.number, c.status, c.ends_on, count(t.id) tutors from cohorts c left join peer_tutors t on t.cohort_id = c.id where c.number <= 4 group by c.id order by c.number",
    );
    expect(cohorts.map((c) => c.number)).toEqual([1, 2, 3, 4]);
    expect(cohorts.every((c) => c.status === "certified" && c.ends_on < "2026-01-01")).toBe(true);
    expect(cohorts.reduce((s, c) => s + c.tutors, 0)).toBe(47);
    // cohort 5's trainees are not peer tutors yet
    expect(n(db, "select count(*) n from peer_tutors")).toBe(47);
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

  it("refuses a generation date too early for the demo's fixed history", async () => {
    const other = freshDatabase();
    try {
      await expect(generateDemo(other.db, { today: "2024-01-01" })).rejects.toThrow(/must be on or after/);
      await expect(generateDemo(other.db, { today: "2026-02-30" })).rejects.toThrow(RangeError);
    } finally {
      dispose(other);
    }
  });

  it("refuses to generate into a database that already has data", async () => {
    await expect(generateDemo(db)).rejects.toThrow(/not empty/);
    expect(n(db, "select count(*) n from districts")).toBe(16);
  });

  it("writes the same rows on a second run into a fresh database (fixed seed)", async () => {
    const other = freshDatabase();
    try {
      expect(isDemoDatabase(other.db)).toBe(false);
      await generateDemo(other.db, { today: TODAY });
      expect(contentHash(other.db)).toBe(contentHash(db));
    } finally {
      dispose(other);
    }
  }, 120_000);
  // ---- clients ----

  type Cadence = { id: number; last: string | null; due: string | null };
  /** Each client's last contact and the next-contact date set on it (the cadence isOverdue reads). */
  const cadenceSql = `select c.id,
      (select max(happened_at) from contacts where client_id = c.id) last,
      (select next_contact_due from contacts where client_id = c.id order by happened_at desc, id desc limit 1) due
    from clients c`;
  const overdue = (c: Cadence) => isOverdue({ lastContactAt: c.last, nextContactDue: c.due }, TODAY, THRESHOLD_DAYS, ZONE).overdue;

  function currentCaseload(login: string, kind: "social_worker" | "peer_tutor"): Cadence[] {
    return all<Cadence>(
      db,
      `${cadenceSql} join client_assignments a on a.client_id = c.id and a.to_date is null and a.kind = ?
        join users u on u.person_id = a.person_id where u.login = ?`,
      kind,
      login,
    );
  }

  function recognitionCandidate(clientId: number) {
    const c = one<{ intake_date: string; status: "active" | "in_facility" | "closed"; closed_on: string | null }>(
      db,
      "select intake_date, status, closed_on from clients where id = ?",
      clientId,
    );
    return {
      intakeDate: c.intake_date,
      status: c.status,
      closedOn: c.closed_on,
      events: all<SubstanceEventFact>(db, "select date, kind from substance_events where client_id = ?", clientId),
      recognitions: all<{ recognisedOn: string }>(db, "select recognised_on recognisedOn from recognitions where client_id = ?", clientId),
    };
  }

  it("has about 2,000 fictional clients in all 16 districts, most in Huangpu and Xuhui, with intake from 2011 to a month before today", () => {
    const total = n(db, "select count(*) n from clients");
    expect(total).toBeGreaterThanOrEqual(1900);
    expect(total).toBeLessThanOrEqual(2100);
    expect(summary.clients).toBe(total);
    const perDistrict = all<{ code: string; n: number }>(
      db,
      "select d.code, count(*) n from clients c join districts d on d.id = c.district_id group by d.code order by n desc",
    );
    expect(perDistrict).toHaveLength(16);
    expect(perDistrict.slice(0, 2).map((d) => d.code).sort()).toEqual(["huangpu", "xuhui"]);
    expect(n(db, "select count(*) n from clients where alias not like '%（化名）'")).toBe(0);
    expect(n(db, "select count(*) n from clients where case_number not glob 'SH-20[0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]' or substr(case_number, 4, 4) <> substr(intake_date, 1, 4)")).toBe(0);
    expect(one<{ d: string }>(db, "select min(intake_date) d from clients").d < "2012-01-01").toBe(true);
    expect(one<{ d: string }>(db, "select max(intake_date) d from clients").d <= addMonths(TODAY, -1)).toBe(true);
    const statuses = Object.fromEntries(all<{ status: string; n: number }>(db, "select status, count(*) n from clients group by status").map((r) => [r.status, r.n]));
    expect(statuses.active).toBeGreaterThan(total / 2);
    expect(statuses.in_facility).toBeGreaterThan(0);
    expect(statuses.closed).toBeGreaterThan(0);
    expect(n(db, "select count(*) n from clients where status = 'closed' and (closed_on is null or closed_reason = '')")).toBe(0);
    // nothing happens after today
    expect(n(db, `select count(*) n from contacts where happened_at > '${TODAY}T16:00:00Z'`)).toBe(0);
    expect(n(db, `select count(*) n from substance_events where date > '${TODAY}'`)).toBe(0);
    expect(n(db, `select count(*) n from recognitions where recognised_on > '${TODAY}'`)).toBe(0);
  });

  it("gives every open client one current social worker and a current consent, and peer tutors only to active tutors with valid certificates", () => {
    expect(n(db, "select count(*) n from clients c where c.status <> 'closed' and (select count(*) from client_assignments a where a.client_id = c.id and a.kind = 'social_worker' and a.to_date is null) <> 1")).toBe(0);
    expect(n(db, "select count(*) n from clients c where c.status <> 'closed' and not exists (select 1 from consents k where k.client_id = c.id and k.withdrawn_at is null)")).toBe(0);
    expect(n(db, "select count(*) n from client_assignments where kind = 'social_worker' and to_date is not null and to_date < from_date")).toBe(0);
    // the social worker is one of the 794, in the client's district
    expect(n(db, "select count(*) n from client_assignments a join clients c on c.id = a.client_id where a.kind = 'social_worker' and not exists (select 1 from staff_profiles s where s.person_id = a.person_id and s.kind = 'social_worker' and s.district_id = c.district_id)")).toBe(0);
    // history kept: some clients had an earlier social worker
    expect(n(db, "select count(distinct client_id) n from client_assignments where kind = 'social_worker' and to_date is not null")).toBeGreaterThan(100);
    const open = n(db, "select count(*) n from clients where status <> 'closed'");
    const mentored = n(db, "select count(*) n from client_assignments where kind = 'peer_tutor' and to_date is null");
    expect(mentored / open).toBeGreaterThan(0.18);
    expect(mentored / open).toBeLessThan(0.35);
    expect(n(db, `select count(*) n from client_assignments a join peer_tutors t on t.person_id = a.person_id where a.kind = 'peer_tutor' and a.to_date is null and (t.status <> 'active' or t.expires_on <= '${TODAY}' or a.from_date < t.certified_on)`)).toBe(0);
    expect(n(db, "select count(*) n from client_assignments a where a.kind = 'peer_tutor' and not exists (select 1 from peer_tutors t where t.person_id = a.person_id)")).toBe(0);
    // a few consents withdrawn, by closed clients only
    expect(n(db, "select count(*) n from consents where withdrawn_at is not null")).toBeGreaterThan(0);
    expect(n(db, "select count(*) n from consents k join clients c on c.id = k.client_id where k.withdrawn_at is not null and c.status <> 'closed'")).toBe(0);
  });

  it("writes identities only with obviously fictional values", () => {
    expect(n(db, "select count(*) n from client_identities")).toBeGreaterThan(50);
    expect(
      n(db, "select count(*) n from client_identities where real_name <> '测试姓名（虚构）' or id_number <> '000000********0000' or phone <> '000-0000-0000' or address not like '%虚构地址%'"),
    ).toBe(0);
  });

  it("gives tutor and tutor2 six to eight current mentees each, different ones, at least two overdue and two not", () => {
    const tutor = currentCaseload("tutor", "peer_tutor");
    const tutor2 = currentCaseload("tutor2", "peer_tutor");
    for (const [login, mentees] of [["tutor", tutor], ["tutor2", tutor2]] as const) {
      expect(mentees.length, login).toBeGreaterThanOrEqual(6);
      expect(mentees.length, login).toBeLessThanOrEqual(8);
      const late = mentees.filter(overdue);
      expect(late.length, login).toBeGreaterThanOrEqual(2);
      expect(mentees.length - late.length, login).toBeGreaterThanOrEqual(2);
      // overdue by the 30-day rule: the last contact is more than 30 days old
      expect(late.some((m) => isOverdue({ lastContactAt: m.last }, TODAY, THRESHOLD_DAYS, ZONE).reason === "threshold"), login).toBe(true);
    }
    const ids = new Set(tutor.map((m) => m.id));
    expect(tutor2.some((m) => ids.has(m.id))).toBe(false);
    // mentees of tutor are in Huangpu, of tutor2 in Xuhui
    expect(n(db, `select count(*) n from clients c join districts d on d.id = c.district_id where c.id in (${tutor.map((m) => m.id).join(",")}) and d.code <> 'huangpu'`)).toBe(0);
    expect(n(db, `select count(*) n from clients c join districts d on d.id = c.district_id where c.id in (${tutor2.map((m) => m.id).join(",")}) and d.code <> 'xuhui'`)).toBe(0);
    // the tutors wrote some of their mentees' contacts themselves
    expect(n(db, "select count(*) n from contacts k join users u on u.id = k.author_user_id where u.login = 'tutor'")).toBeGreaterThan(0);
  });

  it("gives socialworker a caseload of about 25 with a client eligible for recognition today, overdue clients and an approved plan under a current consent", () => {
    const caseload = currentCaseload("socialworker", "social_worker");
    expect(caseload.length).toBeGreaterThanOrEqual(20);
    expect(caseload.length).toBeLessThanOrEqual(30);
    const eligible = caseload.filter((c) => isEligibleForRecognition(recognitionCandidate(c.id), TODAY));
    expect(eligible.length).toBeGreaterThanOrEqual(1);
    expect(caseload.filter(overdue).length).toBeGreaterThanOrEqual(1);
    expect(caseload.length - caseload.filter(overdue).length).toBeGreaterThan(caseload.length / 2);
    const ids = caseload.map((c) => c.id).join(",");
    expect(
      n(db, `select count(*) n from service_plans p where p.status = 'approved' and p.client_id in (${ids}) and exists (select 1 from consents k where k.client_id = p.client_id and k.withdrawn_at is null and k.agreed_on <= '${TODAY}')`),
    ).toBeGreaterThanOrEqual(1);
    expect(n(db, `select count(*) n from service_plans p join plan_goals g on g.plan_id = p.id where p.status = 'approved' and p.client_id in (${ids})`)).toBeGreaterThanOrEqual(2);
    // all of her clients' identities are on record (she may reveal them), and she wrote contacts
    expect(n(db, `select count(*) n from client_identities where client_id in (${ids})`)).toBe(caseload.length);
    expect(n(db, "select count(*) n from contacts k join users u on u.id = k.author_user_id where u.login = 'socialworker'")).toBeGreaterThan(50);
  });

  it("has overdue clients in the coordinator's districts spread over several social workers", () => {
    for (const code of ["huangpu", "xuhui"]) {
      const rows = all<Cadence & { worker: number }>(
        db,
        `${cadenceSql} join districts d on d.id = c.district_id join client_assignments a on a.client_id = c.id and a.kind = 'social_worker' and a.to_date is null
          where d.code = ? and c.status <> 'closed'`.replace("select c.id,", "select c.id, a.person_id worker,"),
        code,
      );
      const late = rows.filter(overdue);
      expect(late.length, code).toBeGreaterThan(10);
      expect(new Set(late.map((r) => r.worker)).size, code).toBeGreaterThanOrEqual(5);
    }
  });

  it("computes a three-year abstinence rate between 20% and 40% from the records, with a few relapses after recognition", () => {
    const served = n(db, `select count(*) n from clients where intake_date <= '${TODAY}'`);
    const recognised = n(db, `select count(distinct client_id) n from recognitions where recognised_on <= '${TODAY}'`);
    const rate = threeYearRate(recognised, served);
    expect(Number(rate)).toBeGreaterThanOrEqual(20);
    expect(Number(rate)).toBeLessThanOrEqual(40);
    expect(summary.threeYearRate).toBe(rate);
    // at most one recognition per client, each after three abstinent years
    expect(n(db, "select count(*) n from (select client_id from recognitions group by client_id having count(*) > 1)")).toBe(0);
    const sample = all<{ client_id: number; recognised_on: string }>(db, "select client_id, recognised_on from recognitions order by id limit 200");
    for (const r of sample) {
      const candidate = recognitionCandidate(r.client_id);
      expect(isEligibleForRecognition({ ...candidate, recognitions: [] }, r.recognised_on), `client ${r.client_id}`).toBe(true);
    }
    const relapsedAfter = n(
      db,
      "select count(distinct r.client_id) n from recognitions r join substance_events e on e.client_id = r.client_id and e.date > r.recognised_on and e.kind in ('use', 'relapse', 'test_positive')",
    );
    expect(relapsedAfter).toBeGreaterThan(0);
    expect(relapsedAfter).toBeLessThan(recognised / 5);
  });

  it("has contact histories of every kind, some private, some with a next-contact date, plus flags, BARC-10 scores and plans", () => {
    const types = all<{ type: string }>(db, "select distinct type from contacts order by type").map((r) => r.type);
    expect(types).toEqual(["facilityVisit", "familyCall", "groupSession", "homeVisit", "letter", "office", "other", "phone"]);
    expect(n(db, "select count(*) n from contacts where private = 1")).toBeGreaterThan(0);
    expect(n(db, "select count(*) n from contacts where next_contact_due is not null")).toBeGreaterThan(0);
    // every client has at least the intake interview, on the intake date
    expect(n(db, "select count(*) n from clients c where not exists (select 1 from contacts k where k.client_id = c.id)")).toBe(0);
    expect(n(db, "select count(*) n from client_flags where resolved_at is null and kind = 'crisis'")).toBeGreaterThanOrEqual(1);
    expect(n(db, "select count(*) n from client_flags where resolved_at is null and kind = 'risk'")).toBeGreaterThanOrEqual(3);
    expect(n(db, "select count(*) n from barc10_assessments where total < 10 or total > 60")).toBe(0);
    expect(n(db, "select count(*) n from barc10_assessments")).toBeGreaterThan(50);
    const plans = all<{ status: string }>(db, "select distinct status from service_plans order by status").map((r) => r.status);
    expect(plans).toEqual(expect.arrayContaining(["approved", "draft", "submitted"]));
    expect(n(db, "select count(*) n from service_plans p where p.status = 'approved' and p.decided_by_user_id is null")).toBe(0);
  });

  // ---- training ----

  it("has six bilingual modules of 6–12 hours with pass mark 60, and the trainer on every cohort", () => {
    const modules = all<{ name_zh: string; name_en: string; required_hours: number; pass_mark: number }>(db, "select * from training_modules order by position");
    expect(modules).toHaveLength(6);
    for (const m of modules) {
      expect(m.name_zh).toMatch(/\p{Script=Han}/u);
      expect(m.name_en).toMatch(/^[A-Z][a-z]/);
      expect(m.required_hours).toBeGreaterThanOrEqual(6);
      expect(m.required_hours).toBeLessThanOrEqual(12);
      expect(m.pass_mark).toBe(60);
    }
    expect(n(db, "select count(*) n from cohorts c where not exists (select 1 from cohort_trainers t join users u on u.id = t.user_id where t.cohort_id = c.id and u.login = 'trainer')")).toBe(0);
  });

  it("issues a certificate to each of the 47 tutors of cohorts 1–4, matching the registry, some revoked with a reason", () => {
    const rows = all<{ number: string; code: string; issued_on: string; expires_on: string; revoked_at: string | null; revoked_reason: string; t_status: string; same: number; enrolment: string }>(
      db,
      `select c.number, c.verification_code code, c.issued_on, c.expires_on, c.revoked_at, c.revoked_reason, t.status t_status,
          (c.issued_on = t.certified_on and c.expires_on = t.expires_on and c.holder_person_id = t.person_id) same, e.status enrolment
        from certificates c join peer_tutors t on t.certificate_number = c.number join enrollments e on e.id = c.enrollment_id`,
    );
    expect(rows).toHaveLength(47);
    expect(n(db, "select count(*) n from certificates")).toBe(47);
    for (const r of rows) {
      expect(r.same, r.number).toBe(1);
      expect(r.enrolment, r.number).toBe("completed");
      expect([...r.code].every((ch) => VERIFICATION_ALPHABET.includes(ch)), r.code).toBe(true);
      expect(r.revoked_at !== null, r.number).toBe(r.t_status === "revoked");
      if (r.revoked_at) expect(r.revoked_reason).not.toBe("");
    }
    expect(new Set(rows.map((r) => r.code)).size).toBe(47);
    expect(rows.filter((r) => r.revoked_at).length).toBeGreaterThanOrEqual(1);
    // alumni certificates have expired; renewals lead to the expiry peer_tutors shows
    expect(rows.filter((r) => r.t_status === "alumni" && r.expires_on < TODAY).length).toBeGreaterThanOrEqual(1);
    expect(n(db, "select count(*) n from certificate_renewals")).toBeGreaterThan(0);
    expect(n(db, "select count(*) n from certificates c where c.expires_on <> coalesce((select max(new_expires_on) from certificate_renewals r where r.certificate_id = c.id), c.expires_on)")).toBe(0);
    // cohorts 1–4 also had trainees who withdrew or were not certified, with reasons
    expect(n(db, "select count(*) n from enrollments e join cohorts c on c.id = e.cohort_id where c.number <= 4 and e.status in ('withdrawn', 'not_certified') and e.status_reason <> ''")).toBeGreaterThanOrEqual(2);
  });

  it("meets every requirement for each certified trainee of cohorts 1–4", () => {
    const cohortIds = all<{ id: number }>(db, "select id from cohorts where number <= 4").map((r) => r.id);
    for (const id of cohortIds) {
      const completed = all<{ id: number }>(db, "select id from enrollments where cohort_id = ? and status = 'completed'", id).map((r) => r.id);
      const reports = requirementReports(db, id, completed, `${TODAY}T04:00:00.000Z`);
      for (const [enrollmentId, report] of reports) expect(meetsAllRequirements(report), `enrolment ${enrollmentId}`).toBe(true);
    }
  });

  it("runs cohort 5 now: started about two months ago, trainees at different stages, at least one ready to certify, one withdrawn", () => {
    const cohort = one<{ id: number; status: string; starts_on: string; ends_on: string }>(db, "select * from cohorts where number = 5");
    expect(cohort.status).toBe("running");
    expect(cohort.starts_on >= addMonths(TODAY, -3) && cohort.starts_on <= addMonths(TODAY, -1)).toBe(true);
    expect(cohort.ends_on > TODAY).toBe(true);
    const enrolments = all<{ id: number; status: string; status_reason: string; person_id: number }>(db, "select * from enrollments where cohort_id = ?", cohort.id);
    expect(enrolments.length).toBeGreaterThanOrEqual(10);
    expect(enrolments.length).toBeLessThanOrEqual(12);
    const withdrawn = enrolments.filter((e) => e.status === "withdrawn");
    expect(withdrawn).toHaveLength(1);
    expect(withdrawn[0]!.status_reason).not.toBe("");
    // some trainees are former clients: the same person row on the client record
    expect(n(db, `select count(*) n from enrollments e join clients c on c.person_id = e.person_id where e.cohort_id = ${cohort.id}`)).toBeGreaterThanOrEqual(1);
    // one of them is a client of socialworker, who (with admins) may see that link
    expect(
      n(db, `select count(*) n from enrollments e join clients c on c.person_id = e.person_id join client_assignments a on a.client_id = c.id and a.kind = 'social_worker' and a.to_date is null join users u on u.person_id = a.person_id where e.cohort_id = ${cohort.id} and u.login = 'socialworker'`),
    ).toBe(1);
    // none of them is a peer tutor yet
    expect(n(db, `select count(*) n from enrollments e join peer_tutors t on t.person_id = e.person_id where e.cohort_id = ${cohort.id}`)).toBe(0);
    // sessions held so far, with attendance
    expect(n(db, `select count(*) n from training_sessions s join training_attendance a on a.training_session_id = s.id where s.cohort_id = ${cohort.id}`)).toBeGreaterThan(100);

    const enrolled = enrolments.filter((e) => e.status === "enrolled").map((e) => e.id);
    const reports = [...requirementReports(db, cohort.id, enrolled, `${TODAY}T04:00:00.000Z`).values()];
    const ready = reports.filter((r) => meetsAllRequirements(r));
    expect(ready.length).toBeGreaterThanOrEqual(1);
    expect(ready.length).toBeLessThanOrEqual(2);
    // one misses only an assessment; others miss attendance or practicum
    expect(reports.some((r) => r.missing.length === 1 && r.missing[0]!.kind === "module" && r.missing[0]!.score === null)).toBe(true);
    expect(reports.some((r) => r.missing.some((m) => m.kind === "attendance"))).toBe(true);
    expect(reports.some((r) => r.missing.some((m) => m.kind === "practicum"))).toBe(true);
  });
});
