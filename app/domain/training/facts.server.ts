/**
 * Loads the facts the requirements checker works on, for one trainee or a whole cohort at once
 * (a fixed number of queries per cohort, not per trainee), and runs the checker.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client";
import { assessments, cohorts, enrollments, practicumLogs, trainingAttendance, trainingModules, trainingProgrammes, trainingSessions } from "#db/schema";
import { checkRequirements, type RequirementFacts, type RequirementReport } from "./requirements";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** The requirement facts of the given enrolments of one cohort (default: all its enrolments). */
export function requirementFacts(db: Db | Tx, cohortId: number, enrollmentIds?: number[], asOf = new Date().toISOString()): Map<number, RequirementFacts> {
  const out = new Map<number, RequirementFacts>();
  const cohort = db
    .select({ status: cohorts.status, programme: trainingProgrammes })
    .from(cohorts)
    .innerJoin(trainingProgrammes, eq(trainingProgrammes.id, cohorts.programmeId))
    .where(eq(cohorts.id, cohortId))
    .get();
  if (!cohort) return out;
  const ids =
    enrollmentIds ??
    db
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(eq(enrollments.cohortId, cohortId))
      .all()
      .map((r) => r.id);
  if (ids.length === 0) return out;
  const modules = db
    .select({ id: trainingModules.id, code: trainingModules.code, nameZh: trainingModules.nameZh, nameEn: trainingModules.nameEn, passMark: trainingModules.passMark })
    .from(trainingModules)
    .where(eq(trainingModules.programmeId, cohort.programme.id))
    .orderBy(asc(trainingModules.position), asc(trainingModules.id))
    .all();
  const sessions = db
    .select({ id: trainingSessions.id, startsAt: trainingSessions.startsAt, endsAt: trainingSessions.endsAt })
    .from(trainingSessions)
    .where(eq(trainingSessions.cohortId, cohortId))
    .all();
  const sessionIds = sessions.map((s) => s.id);
  const attendance =
    sessionIds.length === 0
      ? []
      : db
          .select({ enrollmentId: trainingAttendance.enrollmentId, sessionId: trainingAttendance.trainingSessionId, status: trainingAttendance.status })
          .from(trainingAttendance)
          .where(and(inArray(trainingAttendance.enrollmentId, ids), inArray(trainingAttendance.trainingSessionId, sessionIds)))
          .all();
  const attempts = db
    .select({ enrollmentId: assessments.enrollmentId, moduleId: assessments.moduleId, attempt: assessments.attempt, score: assessments.score })
    .from(assessments)
    .where(inArray(assessments.enrollmentId, ids))
    .all();
  const practicum = db
    .select({ enrollmentId: practicumLogs.enrollmentId, hours: practicumLogs.hours, signedOffAt: practicumLogs.signedOffAt })
    .from(practicumLogs)
    .where(inArray(practicumLogs.enrollmentId, ids))
    .all();
  for (const id of ids) {
    out.set(id, {
      programme: { minAttendancePercent: cohort.programme.minAttendancePercent, practicumHoursRequired: cohort.programme.practicumHoursRequired },
      cohortStatus: cohort.status,
      asOf,
      modules,
      sessions,
      attendance: [],
      assessments: [],
      practicum: [],
    });
  }
  for (const a of attendance) out.get(a.enrollmentId)?.attendance.push({ sessionId: a.sessionId, status: a.status });
  for (const a of attempts) out.get(a.enrollmentId)?.assessments.push({ moduleId: a.moduleId, attempt: a.attempt, score: a.score });
  for (const p of practicum) out.get(p.enrollmentId)?.practicum.push({ hours: p.hours, signedOff: p.signedOffAt !== null });
  return out;
}

/** The requirement report of each given enrolment of a cohort (default: all). */
export function requirementReports(db: Db | Tx, cohortId: number, enrollmentIds?: number[], asOf?: string): Map<number, RequirementReport> {
  const out = new Map<number, RequirementReport>();
  for (const [id, facts] of requirementFacts(db, cohortId, enrollmentIds, asOf)) out.set(id, checkRequirements(facts));
  return out;
}

/** The report of one trainee. */
export function requirementReport(db: Db | Tx, cohortId: number, enrollmentId: number, asOf?: string): RequirementReport | undefined {
  return requirementReports(db, cohortId, [enrollmentId], asOf).get(enrollmentId);
}
