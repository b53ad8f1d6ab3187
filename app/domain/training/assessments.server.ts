/**
 * Assessments (考核) of trainees on modules. A re-sit is a new row with the next attempt number;
 * history is never overwritten. Whether a module is passed is decided in requirements.ts (latest
 * attempt against the module's pass mark); `passed` on the row records the verdict at the time.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "#db/client";
import { assessments, cohorts, enrollments, persons, trainingModules, users } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { isCohortTrainer } from "./cohorts.server";
import type { AssessmentInput } from "./schemas";

export type AssessmentRow = {
  id: number;
  moduleId: number;
  moduleCode: string;
  moduleNameZh: string;
  moduleNameEn: string;
  passMark: number;
  attempt: number;
  score: number;
  passed: boolean;
  assessedOn: string;
  assessor: string;
  notes: string;
};

/** Every attempt of one trainee, by module (curriculum order), newest attempt first. */
export function listAssessments(db: Db, enrollmentId: number): AssessmentRow[] {
  const assessor = alias(persons, "assessor");
  return db
    .select({
      id: assessments.id,
      moduleId: assessments.moduleId,
      moduleCode: trainingModules.code,
      moduleNameZh: trainingModules.nameZh,
      moduleNameEn: trainingModules.nameEn,
      passMark: trainingModules.passMark,
      attempt: assessments.attempt,
      score: assessments.score,
      passed: assessments.passed,
      assessedOn: assessments.assessedOn,
      assessor: assessor.displayName,
      notes: assessments.notes,
    })
    .from(assessments)
    .innerJoin(trainingModules, eq(trainingModules.id, assessments.moduleId))
    .innerJoin(users, eq(users.id, assessments.assessorUserId))
    .innerJoin(assessor, eq(assessor.id, users.personId))
    .where(eq(assessments.enrollmentId, enrollmentId))
    .orderBy(asc(trainingModules.position), asc(trainingModules.id), desc(assessments.attempt))
    .all();
}

/**
 * Records an attempt. The module must be in the cohort's programme, the trainee enrolled, and the
 * assessor (default: the person recording) one of the cohort's trainers. Returns the new row's id.
 */
export function recordAssessment(
  db: Db,
  actor: Actor,
  cohortId: number,
  enrollmentId: number,
  input: AssessmentInput,
  today: string,
): number {
  return db.transaction((tx) => {
    const row = tx
      .select({ status: enrollments.status, programmeId: cohorts.programmeId, cohortStatus: cohorts.status })
      .from(enrollments)
      .innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
      .where(and(eq(enrollments.id, enrollmentId), eq(enrollments.cohortId, cohortId)))
      .get();
    if (!row) throw new DomainError("form.unknownId", "_form");
    if (row.cohortStatus === "closed") throw new DomainError("training.cohort.closed", "_form");
    if (row.status !== "enrolled") throw new DomainError(`training.enrol.notEnrolled?status=${row.status}`, "_form");
    const mod = tx
      .select()
      .from(trainingModules)
      .where(and(eq(trainingModules.id, input.moduleId), eq(trainingModules.programmeId, row.programmeId)))
      .get();
    if (!mod) throw new DomainError("form.unknownId", "moduleId");
    const assessorUserId = input.assessorUserId ?? actor.userId;
    if (assessorUserId === null || !isCohortTrainer(tx, cohortId, assessorUserId)) throw new DomainError("form.unknownId", "assessorUserId");
    if (input.assessedOn > today) throw new DomainError("training.assessment.future", "assessedOn");
    const attempt =
      (tx
        .select({ n: sql<number>`coalesce(max(${assessments.attempt}), 0)` })
        .from(assessments)
        .where(and(eq(assessments.enrollmentId, enrollmentId), eq(assessments.moduleId, mod.id)))
        .get()?.n ?? 0) + 1;
    const passed = input.score >= mod.passMark;
    const created = tx
      .insert(assessments)
      .values({ enrollmentId, moduleId: mod.id, attempt, score: input.score, passed, assessorUserId, assessedOn: input.assessedOn, notes: input.notes })
      .returning()
      .get();
    recordAudit(tx, actor, {
      action: "create",
      entity: "assessment",
      entityId: created.id,
      details: { enrollmentId, moduleId: mod.id, attempt, score: input.score, passed },
    });
    return created.id;
  });
}
