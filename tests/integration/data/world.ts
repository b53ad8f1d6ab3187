/**
 * The same small organisation, users and cohort built in any database (the test's own, or a
 * second, empty one for round trips), and CSV helpers. Every person is fictional and says so.
 */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { clients, cohorts, consents, districts, subdistricts, trainingProgrammes, users } from "#db/schema";
import { SYSTEM_ACTOR, type Actor } from "~/domain/audit";
import { importCsv, type DataKind, type ImportOptions } from "~/domain/data";
import { createUser, setUserActive } from "~/domain/people";

/** 2026-06-01 12:00 in Shanghai: "today" of every import in these tests. */
export const NOW = new Date("2026-06-01T04:00:00.000Z");
export const TODAY = "2026-06-01";
export const IMPORTER: Actor = { userId: null, login: "test-import", ip: "" };

export type World = { adminId: number; sw1: number; sw2: number; tutorUser: number };

export async function buildWorld(db: Db): Promise<World> {
  const a = db.insert(districts).values({ code: "dt-east", nameZh: "测试东区（虚构）", nameEn: "Test East District (fictional)" }).returning().get();
  const b = db.insert(districts).values({ code: "dt-west", nameZh: "测试西区（虚构）", nameEn: "Test West District (fictional)" }).returning().get();
  db.insert(subdistricts).values({ districtId: a.id, nameZh: "测试东街道", nameEn: "Test East Subdistrict" }).run();
  db.insert(subdistricts).values({ districtId: b.id, nameZh: "测试西街道", nameEn: "Test West Subdistrict" }).run();
  const password = "correct-horse-battery";
  const mk = (login: string, displayName: string, role: "admin" | "social_worker" | "peer_tutor" | "coordinator" | "trainer", districtId: number | null = null) =>
    createUser(db, SYSTEM_ACTOR, { login, displayName, password, roles: [{ role, districtId }], mustChangePassword: false });
  const adminId = await mk("data-admin", "测试管理员（虚构）", "admin");
  const sw1 = await mk("sw-wang", "测试社工王（虚构）", "social_worker");
  const sw2 = await mk("sw-li", "测试社工李（虚构）", "social_worker");
  const tutorUser = await mk("pt-zhao", "测试辅导员赵（虚构）", "trainer");
  await mk("pt-sun", "测试辅导员孙（虚构）", "trainer");
  await mk("coord-qian", "测试协调员钱（虚构）", "coordinator", a.id);
  const gone = await mk("sw-gone", "测试离职社工（虚构）", "social_worker");
  setUserActive(db, SYSTEM_ACTOR, gone, false);
  const programme = db
    .insert(trainingProgrammes)
    .values({ code: "TEST-DATA-PROG", nameZh: "测试培训计划（虚构）", nameEn: "Test Programme (fictional)", certificateValidMonths: 24 })
    .returning()
    .get();
  db.insert(cohorts).values({ number: 1, programmeId: programme.id, startsOn: "2024-03-01", endsOn: "2024-09-30", status: "certified" }).run();
  db.insert(cohorts).values({ number: 2, programmeId: programme.id, startsOn: "2025-03-01", endsOn: "2025-09-30", status: "certified" }).run();
  return { adminId, sw1, sw2, tutorUser };
}

/** A CSV document: the header and rows joined with CRLF (cells are written as given). */
export function csv(lines: string[]): Uint8Array {
  return new TextEncoder().encode(lines.map((l) => `${l}\r\n`).join(""));
}

export function run(db: Db, kind: DataKind, bytes: Uint8Array, options: Partial<ImportOptions> = {}) {
  return importCsv(db, IMPORTER, { kind, source: { bytes }, now: NOW, ...options });
}

/** Records a consent for each client (consent is recorded on the client's page, not imported). */
export function consentAll(db: Db, recordedBy: number, agreedOn = "2020-01-01") {
  for (const c of db.select({ id: clients.id }).from(clients).all()) {
    db.insert(consents).values({ clientId: c.id, purposes: ["case_management"], sensitiveInfo: true, agreedOn, recordedBy }).run();
  }
}

export function userId(db: Db, login: string): number {
  return db.select({ id: users.id }).from(users).where(eq(users.login, login)).get()!.id;
}

export const HEADERS = {
  clients: "case_number,alias,district,subdistrict,intake_date,legal_status,social_worker,peer_tutor",
  substance_events: "case_number,date,kind",
  recognitions: "case_number,recognised_on,recognised_by",
  contacts: "case_number,happened_at,type,author,duration_minutes,summary",
  peer_tutors: "login,display_name,district,cohort_number,certified_on,certificate_number",
} as const;
