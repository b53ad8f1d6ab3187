/**
 * Builders for the training area's test data. Every programme, trainer and trainee here is fictional
 * and named so ("测试学员N（虚构）", "Test Trainee N (fictional)"). Raw inserts, so tests of other areas
 * (certificates, registry) do not depend on the training domain functions; use the domain functions
 * when the behaviour under test is theirs.
 */
import { eq, sql } from "drizzle-orm";
import { getDb } from "~/db.server";
import type { RoleGrant } from "~/auth/roles";
import {
  assessments,
  cohortTrainers,
  cohorts,
  enrollments,
  persons,
  practicumLogs,
  trainingAttendance,
  trainingModules,
  trainingProgrammes,
  trainingSessions,
  users,
} from "#db/schema";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "./factories";

let seq = 0;
const next = () => ++seq;

/** The six modules of the standard curriculum: [code, 中文, English, required hours]. */
export const STANDARD_MODULES = [
  ["PE-PRINCIPLES", "同伴教育原则", "Peer education principles", 8],
  ["COMMUNICATION", "沟通与倾听", "Communication and listening", 8],
  ["RELAPSE", "预防复吸", "Relapse prevention", 8],
  ["CRISIS", "危机干预", "Crisis response", 6],
  ["ETHICS", "伦理与边界", "Ethics and boundaries", 4],
  ["FACILITATION", "小组带领", "Group facilitation", 6],
] as const;

export type ProgrammeOptions = Partial<typeof trainingProgrammes.$inferInsert> & {
  /** pass mark of every module, default 60 */
  passMark?: number;
};

/** A programme (80% attendance, 24 practicum hours, certificates valid 24 months by default) with the six standard modules. */
export function makeProgramme(options: ProgrammeOptions = {}) {
  const db = getDb();
  const n = next();
  const { passMark = 60, ...overrides } = options;
  const programme = db
    .insert(trainingProgrammes)
    .values({
      code: `TEST-PROG-${Date.now().toString(36)}-${n}`,
      version: 1,
      nameZh: `测试同伴辅导员培训计划${n}（虚构）`,
      nameEn: `Test Peer-Tutor Programme ${n} (fictional)`,
      certificateValidMonths: 24,
      minAttendancePercent: 80,
      practicumHoursRequired: 24,
      ...overrides,
    })
    .returning()
    .get();
  const modules = STANDARD_MODULES.map(([code, nameZh, nameEn, requiredHours], position) =>
    db
      .insert(trainingModules)
      .values({ programmeId: programme.id, code, nameZh, nameEn, requiredHours, passMark, position })
      .returning()
      .get(),
  );
  return { programme, modules };
}

export type CohortOptions = Partial<Omit<typeof cohorts.$inferInsert, "programmeId">> & {
  /** default: a new programme from makeProgramme() */
  programmeId?: number;
};

/** A cohort (status running by default) with the next free number from 9001 up, and its programme and modules. */
export function makeCohort(options: CohortOptions = {}) {
  const db = getDb();
  let programmeId = options.programmeId;
  if (programmeId === undefined) programmeId = makeProgramme().programme.id;
  const programme = db.select().from(trainingProgrammes).where(eq(trainingProgrammes.id, programmeId)).get()!;
  const modules = db.select().from(trainingModules).where(eq(trainingModules.programmeId, programmeId)).orderBy(trainingModules.position).all();
  const maxNumber = db.select({ n: sql<number>`coalesce(max(${cohorts.number}), 0)` }).from(cohorts).get()?.n ?? 0;
  const cohort = db
    .insert(cohorts)
    .values({
      number: Math.max(maxNumber, 9000) + 1,
      startsOn: "2025-03-01",
      endsOn: "2025-06-30",
      capacity: 20,
      status: "running",
      ...options,
      programmeId,
    })
    .returning()
    .get();
  return { cohort, programme, modules };
}

/** Adds a user as trainer of a cohort (raw). */
export function addTrainer(cohortId: number, userId: number) {
  getDb().insert(cohortTrainers).values({ cohortId, userId }).run();
}

/** A signed-in trainer ({id, login, cookie, personId}); trainer of the given cohorts (none by default). */
export async function makeTrainer(cohortIds: number | number[] = [], extraRoles: RoleGrant[] = []) {
  const user = await makeSignedInUser([{ role: "trainer", districtId: null }, ...extraRoles]);
  for (const cohortId of Array.isArray(cohortIds) ? cohortIds : [cohortIds]) addTrainer(cohortId, user.id);
  const personId = getDb().select({ personId: users.personId }).from(users).where(eq(users.id, user.id)).get()!.personId;
  return { ...user, personId };
}

/** A person without a login (a trainee, a supervisor). */
export function makePerson(displayName?: string) {
  const n = next();
  return getDb()
    .insert(persons)
    .values({ displayName: displayName ?? `测试学员${n}（虚构）` })
    .returning()
    .get();
}

export type EnrolOptions = {
  /** an existing person; default a new person named personName */
  personId?: number;
  /** default: a new district */
  districtId?: number;
  status?: (typeof enrollments.$inferInsert)["status"];
  enrolledOn?: string;
};

/** Enrols a trainee in a cohort (raw). Returns the enrollment row with the person's id. */
export function enrol(cohortId: number, personName?: string, options: EnrolOptions = {}) {
  const personId = options.personId ?? makePerson(personName).id;
  const districtId = options.districtId ?? makeDistrict().id;
  return getDb()
    .insert(enrollments)
    .values({ cohortId, personId, districtId, status: options.status ?? "enrolled", enrolledOn: options.enrolledOn ?? "2025-03-01" })
    .returning()
    .get();
}

/** A training session of the cohort (raw); hours long from startsAt (UTC ISO). */
export function addTrainingSession(cohortId: number, startsAt: string, hours = 2, moduleId: number | null = null) {
  const endsAt = new Date(Date.parse(startsAt) + hours * 3_600_000).toISOString();
  return getDb()
    .insert(trainingSessions)
    .values({ cohortId, moduleId, topic: "测试课程（虚构）", startsAt: new Date(startsAt).toISOString(), endsAt })
    .returning()
    .get();
}

/** Marks one trainee's attendance at a session (raw). */
export function markAttendanceRaw(trainingSessionId: number, enrollmentId: number, status: "present" | "late" | "absent" | "excused", recordedBy: number) {
  getDb().insert(trainingAttendance).values({ trainingSessionId, enrollmentId, status, recordedBy }).run();
}

/** An assessment attempt (raw): attempt number is the next one for the module. */
export function addAssessmentRaw(enrollmentId: number, moduleId: number, score: number, passMark: number, assessorUserId: number, assessedOn = "2025-06-01") {
  const db = getDb();
  const attempt =
    (db
      .select({ n: sql<number>`coalesce(max(${assessments.attempt}), 0)` })
      .from(assessments)
      .where(sql`${assessments.enrollmentId} = ${enrollmentId} and ${assessments.moduleId} = ${moduleId}`)
      .get()?.n ?? 0) + 1;
  return db
    .insert(assessments)
    .values({ enrollmentId, moduleId, attempt, score, passed: score >= passMark, assessorUserId, assessedOn })
    .returning()
    .get();
}

/** A practicum entry (raw), signed off by signedOffByUserId when given. */
export function addPracticumRaw(
  enrollmentId: number,
  hours: number,
  supervisorPersonId: number,
  signedOffByUserId: number | null,
  date = "2025-05-01",
) {
  return getDb()
    .insert(practicumLogs)
    .values({
      enrollmentId,
      date,
      hours,
      activity: "测试小组共同带领（虚构）",
      supervisorPersonId,
      signedOffByUserId,
      signedOffAt: signedOffByUserId ? new Date().toISOString() : null,
    })
    .returning()
    .get();
}

/**
 * A trainee who meets every requirement of the cohort's programme (raw): one past session of
 * 2 hours attended, every module passed with 90, and the programme's practicum hours signed off by
 * the given trainer (a valid supervisor). Returns the enrollment.
 */
export function makeQualifiedTrainee(cohortId: number, trainerUserId: number, trainerPersonId: number, personName?: string, options: EnrolOptions = {}) {
  const db = getDb();
  const cohort = db.select().from(cohorts).where(eq(cohorts.id, cohortId)).get()!;
  const programme = db.select().from(trainingProgrammes).where(eq(trainingProgrammes.id, cohort.programmeId)).get()!;
  const modules = db.select().from(trainingModules).where(eq(trainingModules.programmeId, programme.id)).all();
  const enrollment = enrol(cohortId, personName, options);
  let session = db.select().from(trainingSessions).where(eq(trainingSessions.cohortId, cohortId)).orderBy(trainingSessions.startsAt).get();
  if (!session) session = addTrainingSession(cohortId, "2025-03-03T01:00:00.000Z", 2);
  for (const s of db.select().from(trainingSessions).where(eq(trainingSessions.cohortId, cohortId)).all()) {
    markAttendanceRaw(s.id, enrollment.id, "present", trainerUserId);
  }
  for (const m of modules) addAssessmentRaw(enrollment.id, m.id, 90, m.passMark, trainerUserId);
  if (programme.practicumHoursRequired > 0) addPracticumRaw(enrollment.id, Math.min(programme.practicumHoursRequired, 24), trainerPersonId, trainerUserId);
  let left = programme.practicumHoursRequired - 24;
  while (left > 0) {
    addPracticumRaw(enrollment.id, Math.min(left, 24), trainerPersonId, trainerUserId);
    left -= 24;
  }
  return enrollment;
}

type RouteFn = (args: { request: Request; params: Record<string, string>; context: { cspNonce: string } }) => unknown;

/** Runs a route's loader as GET for the cookie's user. */
export function getRoute(mod: { loader?: unknown }, path: string, params: Record<string, string>, cookie?: string) {
  return respond(() => (mod.loader as RouteFn)({ request: makeRequest(path, { cookie }), params, context: { cspNonce: "" } }));
}

/** Posts a form to a route's action for the cookie's user. */
export function postRoute(mod: { action?: unknown }, path: string, params: Record<string, string>, cookie: string | undefined, form: Record<string, string | string[]>) {
  return respond(() => (mod.action as RouteFn)({ request: makeRequest(path, { cookie, form }), params, context: { cspNonce: "" } }));
}
