/**
 * The cohort's timetable (training sessions) and trainees' attendance at them. Attendance shares
 * are never typed: requirements.ts computes them from these rows.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { cohorts, enrollments, persons, trainingAttendance, trainingModules, trainingSessions } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { startOfLocalDayUtc } from "~/i18n/format";
import type { AttendanceStatus } from "./requirements";
import { attendanceField, type SessionInput } from "./schemas";

export type TrainingSession = typeof trainingSessions.$inferSelect;
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const now = () => new Date().toISOString();

function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** A local date and HH:MM in the program's time zone, as a UTC ISO instant. */
export function localToUtc(date: string, time: string, timeZone: string): string {
  return new Date(startOfLocalDayUtc(date, timeZone).getTime() + minutesOf(time) * 60_000).toISOString();
}

/** Adds a session to the cohort's timetable. Returns its id. */
export function createTrainingSession(db: Db, actor: Actor, cohortId: number, input: SessionInput, timeZone: string): number {
  return db.transaction((tx) => {
    const cohort = tx.select().from(cohorts).where(eq(cohorts.id, cohortId)).get();
    if (!cohort) throw new DomainError("form.unknownId", "_form");
    if (cohort.status === "closed") throw new DomainError("training.cohort.closed", "_form");
    if (input.date < cohort.startsOn || input.date > cohort.endsOn) {
      throw new DomainError(`training.session.outsideCohort?from=${cohort.startsOn}&to=${cohort.endsOn}`, "date");
    }
    if (input.moduleId !== null) {
      const mod = tx
        .select({ id: trainingModules.id })
        .from(trainingModules)
        .where(and(eq(trainingModules.id, input.moduleId), eq(trainingModules.programmeId, cohort.programmeId)))
        .get();
      if (!mod) throw new DomainError("form.unknownId", "moduleId");
    }
    const row = tx
      .insert(trainingSessions)
      .values({
        cohortId,
        moduleId: input.moduleId,
        topic: input.topic,
        startsAt: localToUtc(input.date, input.startTime, timeZone),
        endsAt: localToUtc(input.date, input.endTime, timeZone),
      })
      .returning()
      .get();
    recordAudit(tx, actor, {
      action: "create",
      entity: "training_session",
      entityId: row.id,
      details: { cohortId, startsAt: row.startsAt, endsAt: row.endsAt, moduleId: row.moduleId },
    });
    return row.id;
  });
}

export type SessionListRow = TrainingSession & {
  moduleNameZh: string | null;
  moduleNameEn: string | null;
  marked: number;
  attended: number;
};

/** The cohort's timetable in time order (a cohort has tens of sessions), with attendance counts. */
export function listCohortSessions(db: Db, cohortId: number): SessionListRow[] {
  return db
    .select({
      session: trainingSessions,
      moduleNameZh: trainingModules.nameZh,
      moduleNameEn: trainingModules.nameEn,
      marked: sql<number>`(select count(*) from ${trainingAttendance} a where a.training_session_id = ${trainingSessions.id})`,
      attended: sql<number>`(select count(*) from ${trainingAttendance} a where a.training_session_id = ${trainingSessions.id} and a.status in ('present', 'late'))`,
    })
    .from(trainingSessions)
    .leftJoin(trainingModules, eq(trainingModules.id, trainingSessions.moduleId))
    .where(eq(trainingSessions.cohortId, cohortId))
    .orderBy(asc(trainingSessions.startsAt), asc(trainingSessions.id))
    .all()
    .map((r) => ({ ...r.session, moduleNameZh: r.moduleNameZh, moduleNameEn: r.moduleNameEn, marked: r.marked, attended: r.attended }));
}

/** One session of the cohort, or undefined (also when it belongs to another cohort). */
export function getTrainingSession(db: Db | Tx, cohortId: number, sessionId: number) {
  return db
    .select({ session: trainingSessions, moduleNameZh: trainingModules.nameZh, moduleNameEn: trainingModules.nameEn })
    .from(trainingSessions)
    .leftJoin(trainingModules, eq(trainingModules.id, trainingSessions.moduleId))
    .where(and(eq(trainingSessions.id, sessionId), eq(trainingSessions.cohortId, cohortId)))
    .get();
}

export type SheetRow = { enrollmentId: number; displayName: string; enrollmentStatus: string; status: AttendanceStatus | null };

/**
 * The attendance sheet of a session: every trainee currently enrolled, plus anyone else who already
 * has a mark (a trainee withdrawn since), with their mark.
 */
export function attendanceSheet(db: Db, cohortId: number, sessionId: number): SheetRow[] {
  return db
    .select({
      enrollmentId: enrollments.id,
      displayName: persons.displayName,
      enrollmentStatus: enrollments.status,
      status: trainingAttendance.status,
    })
    .from(enrollments)
    .innerJoin(persons, eq(persons.id, enrollments.personId))
    .leftJoin(
      trainingAttendance,
      and(eq(trainingAttendance.enrollmentId, enrollments.id), eq(trainingAttendance.trainingSessionId, sessionId)),
    )
    .where(and(eq(enrollments.cohortId, cohortId), sql`(${enrollments.status} = 'enrolled' or ${trainingAttendance.id} is not null)`))
    .orderBy(asc(persons.displayName), asc(enrollments.id))
    .all();
}

export type AttendanceMark = { enrollmentId: number; status: AttendanceStatus };

/**
 * Records (or changes) the marks of one session. Every mark must be for a trainee enrolled in the
 * session's cohort; otherwise nothing is written and the field of the first bad mark is named.
 * Returns how many marks changed.
 */
export function recordAttendance(db: Db, actor: Actor, cohortId: number, sessionId: number, marks: AttendanceMark[]): number {
  if (actor.userId === null) throw new DomainError("form.badRequest", "_form");
  const recordedBy = actor.userId;
  return db.transaction((tx) => {
    const found = getTrainingSession(tx, cohortId, sessionId);
    if (!found) throw new DomainError("form.unknownId", "_form");
    const cohort = tx.select({ status: cohorts.status }).from(cohorts).where(eq(cohorts.id, cohortId)).get();
    if (cohort?.status === "closed") throw new DomainError("training.cohort.closed", "_form");
    const ids = marks.map((m) => m.enrollmentId);
    const enrolled = new Set(
      ids.length === 0
        ? []
        : tx
            .select({ id: enrollments.id })
            .from(enrollments)
            .where(and(inArray(enrollments.id, ids), eq(enrollments.cohortId, cohortId), eq(enrollments.status, "enrolled")))
            .all()
            .map((r) => r.id),
    );
    for (const m of marks) {
      if (!enrolled.has(m.enrollmentId)) throw new DomainError("training.attendance.notEnrolled", attendanceField(m.enrollmentId));
    }
    const existing = new Map(
      ids.length === 0
        ? []
        : tx
            .select({ enrollmentId: trainingAttendance.enrollmentId, status: trainingAttendance.status })
            .from(trainingAttendance)
            .where(and(eq(trainingAttendance.trainingSessionId, sessionId), inArray(trainingAttendance.enrollmentId, ids)))
            .all()
            .map((r) => [r.enrollmentId, r.status]),
    );
    const changed: Record<string, AttendanceStatus> = {};
    for (const m of marks) {
      const before = existing.get(m.enrollmentId);
      if (before === m.status) continue;
      if (before === undefined) {
        tx.insert(trainingAttendance).values({ trainingSessionId: sessionId, enrollmentId: m.enrollmentId, status: m.status, recordedBy }).run();
      } else {
        tx.update(trainingAttendance)
          .set({ status: m.status, recordedBy, updatedAt: now() })
          .where(and(eq(trainingAttendance.trainingSessionId, sessionId), eq(trainingAttendance.enrollmentId, m.enrollmentId)))
          .run();
      }
      changed[String(m.enrollmentId)] = m.status;
    }
    const count = Object.keys(changed).length;
    if (count > 0) {
      recordAudit(tx, actor, { action: "attendance", entity: "training_session", entityId: sessionId, details: { cohortId, marks: changed } });
    }
    return count;
  });
}
