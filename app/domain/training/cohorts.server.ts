/**
 * Cohorts (培训期), their trainers and their trainees (enrolments). Who may do what with a cohort is
 * decided here by asking the permission module with `own` = "the viewer is one of its trainers";
 * every write is audited in its transaction.
 */
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { cohortTrainers, cohorts, districts, enrollments, persons, trainingProgrammes, userRoles, users } from "#db/schema";
import { can } from "~/auth/permissions";
import type { SessionUser } from "~/auth/roles";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import type { Page } from "~/domain/shared/paging";
import { canTransition, type CohortStatus, type EnrollmentStatus } from "./requirements";
import type { CohortInput, EnrolInput } from "./schemas";

export type Viewer = Pick<SessionUser, "id" | "personId" | "roles">;
export type Cohort = typeof cohorts.$inferSelect;
export type Enrollment = typeof enrollments.$inferSelect;
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const now = () => new Date().toISOString();

export function isCohortTrainer(db: Db | Tx, cohortId: number, userId: number): boolean {
  return !!db
    .select({ id: cohortTrainers.id })
    .from(cohortTrainers)
    .where(and(eq(cohortTrainers.cohortId, cohortId), eq(cohortTrainers.userId, userId)))
    .get();
}

export type CohortAccess = {
  cohort: Cohort;
  programme: typeof trainingProgrammes.$inferSelect;
  isTrainer: boolean;
  can: { read: boolean; edit: boolean; certify: boolean };
};

/** The cohort and what the viewer may do with it, or null when it does not exist. */
export function cohortAccess(db: Db, viewer: Viewer, cohortId: number): CohortAccess | null {
  const row = db
    .select({ cohort: cohorts, programme: trainingProgrammes })
    .from(cohorts)
    .innerJoin(trainingProgrammes, eq(trainingProgrammes.id, cohorts.programmeId))
    .where(eq(cohorts.id, cohortId))
    .get();
  if (!row) return null;
  const isTrainer = isCohortTrainer(db, cohortId, viewer.id);
  return {
    ...row,
    isTrainer,
    can: {
      read: can(viewer, "read:training", { own: isTrainer }),
      edit: can(viewer, "edit:training", { own: isTrainer }),
      certify: can(viewer, "certify:training", { own: isTrainer }),
    },
  };
}

export type CohortListRow = {
  id: number;
  number: number;
  status: CohortStatus;
  startsOn: string;
  endsOn: string;
  capacity: number;
  programmeNameZh: string;
  programmeNameEn: string;
  programmeVersion: number;
  trainees: number;
  mine: boolean;
  trainers: string[];
};

export type CohortFilter = { status?: CohortStatus | null };

/** One page of cohorts; the viewer's own cohorts (as trainer) first, then newest first. */
export function listCohorts(db: Db, viewer: Viewer, filter: CohortFilter, page: Page): { rows: CohortListRow[]; total: number } {
  const where = filter.status ? eq(cohorts.status, filter.status) : undefined;
  const mine = sql<number>`exists (select 1 from ${cohortTrainers} ct where ct.cohort_id = ${cohorts.id} and ct.user_id = ${viewer.id})`;
  const rows = db
    .select({
      id: cohorts.id,
      number: cohorts.number,
      status: cohorts.status,
      startsOn: cohorts.startsOn,
      endsOn: cohorts.endsOn,
      capacity: cohorts.capacity,
      programmeNameZh: trainingProgrammes.nameZh,
      programmeNameEn: trainingProgrammes.nameEn,
      programmeVersion: trainingProgrammes.version,
      trainees: sql<number>`(select count(*) from ${enrollments} e where e.cohort_id = ${cohorts.id} and e.status <> 'withdrawn')`,
      mine,
    })
    .from(cohorts)
    .innerJoin(trainingProgrammes, eq(trainingProgrammes.id, cohorts.programmeId))
    .where(where)
    .orderBy(desc(mine), desc(cohorts.number))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(cohorts).where(where).get()?.n ?? 0;
  const names = trainerNames(db, rows.map((r) => r.id));
  return { rows: rows.map((r) => ({ ...r, mine: !!r.mine, trainers: names.get(r.id)?.map((t) => t.displayName) ?? [] })), total };
}

export type TrainerRow = { userId: number; personId: number; displayName: string; login: string };

function trainerNames(db: Db | Tx, cohortIds: number[]): Map<number, TrainerRow[]> {
  const out = new Map<number, TrainerRow[]>();
  if (cohortIds.length === 0) return out;
  const rows = db
    .select({ cohortId: cohortTrainers.cohortId, userId: users.id, personId: persons.id, displayName: persons.displayName, login: users.login })
    .from(cohortTrainers)
    .innerJoin(users, eq(users.id, cohortTrainers.userId))
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(inArray(cohortTrainers.cohortId, cohortIds))
    .orderBy(asc(persons.displayName))
    .all();
  for (const { cohortId, ...t } of rows) {
    const list = out.get(cohortId) ?? [];
    list.push(t);
    out.set(cohortId, list);
  }
  return out;
}

export function listCohortTrainers(db: Db | Tx, cohortId: number): TrainerRow[] {
  return trainerNames(db, [cohortId]).get(cohortId) ?? [];
}

/** Active users holding the trainer role: who can be made a cohort's trainer. */
export function listTrainerChoices(db: Db): TrainerRow[] {
  return db
    .selectDistinct({ userId: users.id, personId: persons.id, displayName: persons.displayName, login: users.login })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(and(eq(userRoles.role, "trainer"), eq(users.active, true)))
    .orderBy(asc(persons.displayName))
    .all();
}

function holdsTrainerRole(tx: Tx, userId: number): boolean {
  return !!tx
    .select({ id: userRoles.id })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(userRoles.userId, userId), eq(userRoles.role, "trainer"), eq(users.active, true)))
    .get();
}

export function nextCohortNumber(db: Db): number {
  return (db.select({ n: sql<number>`coalesce(max(${cohorts.number}), 0)` }).from(cohorts).get()?.n ?? 0) + 1;
}

/**
 * A new cohort in planning. The creating trainer becomes one of its trainers, with any others
 * named (each must hold the trainer role). Returns the cohort id.
 */
export function createCohort(db: Db, actor: Actor, input: CohortInput, trainerUserIds: number[]): number {
  return db.transaction((tx) => {
    if (!tx.select({ id: trainingProgrammes.id }).from(trainingProgrammes).where(eq(trainingProgrammes.id, input.programmeId)).get()) {
      throw new DomainError("form.unknownId", "programmeId");
    }
    if (tx.select({ id: cohorts.id }).from(cohorts).where(eq(cohorts.number, input.number)).get()) {
      throw new DomainError("training.cohort.numberTaken", "number");
    }
    const ids = [...new Set([...(actor.userId ? [actor.userId] : []), ...trainerUserIds])];
    for (const userId of ids) if (!holdsTrainerRole(tx, userId)) throw new DomainError("training.cohort.notATrainer", "trainerIds");
    if (ids.length === 0) throw new DomainError("training.cohort.needsTrainer", "trainerIds");
    const cohort = tx.insert(cohorts).values({ ...input, status: "planning" }).returning().get();
    for (const userId of ids) tx.insert(cohortTrainers).values({ cohortId: cohort.id, userId }).run();
    recordAudit(tx, actor, {
      action: "create",
      entity: "cohort",
      entityId: cohort.id,
      details: { number: cohort.number, programmeId: cohort.programmeId, trainers: ids },
    });
    return cohort.id;
  });
}

/** Dates and capacity; the programme only while planning. */
export function updateCohort(db: Db, actor: Actor, cohortId: number, input: CohortInput): void {
  db.transaction((tx) => {
    const before = tx.select().from(cohorts).where(eq(cohorts.id, cohortId)).get();
    if (!before) throw new DomainError("form.unknownId", "_form");
    if (before.status === "closed") throw new DomainError("training.cohort.closed", "_form");
    if (input.programmeId !== before.programmeId) {
      if (before.status !== "planning") throw new DomainError("training.cohort.programmeFixed", "programmeId");
      if (!tx.select({ id: trainingProgrammes.id }).from(trainingProgrammes).where(eq(trainingProgrammes.id, input.programmeId)).get()) {
        throw new DomainError("form.unknownId", "programmeId");
      }
    }
    if (input.number !== before.number) {
      const clash = tx.select({ id: cohorts.id }).from(cohorts).where(eq(cohorts.number, input.number)).get();
      if (clash) throw new DomainError("training.cohort.numberTaken", "number");
    }
    const active = countActiveTrainees(tx, cohortId);
    if (input.capacity < active) throw new DomainError(`training.cohort.capacityBelowTrainees?count=${active}`, "capacity");
    tx.update(cohorts).set({ ...input, updatedAt: now() }).where(eq(cohorts.id, cohortId)).run();
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(input)) {
      const from = before[k as keyof Cohort];
      if (from !== v) changed[k] = { from, to: v };
    }
    recordAudit(tx, actor, { action: "update", entity: "cohort", entityId: cohortId, details: changed });
  });
}

/**
 * Moves a cohort along planning → running → assessing → certified → closed (assessing may go back to
 * running). Closing marks trainees still enrolled as not certified.
 */
export function setCohortStatus(db: Db, actor: Actor, cohortId: number, to: CohortStatus): void {
  db.transaction((tx) => {
    const cohort = tx.select().from(cohorts).where(eq(cohorts.id, cohortId)).get();
    if (!cohort) throw new DomainError("form.unknownId", "_form");
    if (!canTransition(cohort.status, to)) throw new DomainError("training.cohort.badTransition", "status");
    tx.update(cohorts).set({ status: to, updatedAt: now() }).where(eq(cohorts.id, cohortId)).run();
    let notCertified = 0;
    if (to === "closed") {
      notCertified = tx
        .update(enrollments)
        .set({ status: "not_certified", updatedAt: now() })
        .where(and(eq(enrollments.cohortId, cohortId), eq(enrollments.status, "enrolled")))
        .run().changes;
    }
    recordAudit(tx, actor, { action: "status", entity: "cohort", entityId: cohortId, details: { from: cohort.status, to, notCertified } });
  });
}

export function addCohortTrainer(db: Db, actor: Actor, cohortId: number, userId: number): void {
  db.transaction((tx) => {
    if (!holdsTrainerRole(tx, userId)) throw new DomainError("training.cohort.notATrainer", "userId");
    if (isCohortTrainer(tx, cohortId, userId)) throw new DomainError("training.cohort.alreadyTrainer", "userId");
    tx.insert(cohortTrainers).values({ cohortId, userId }).run();
    recordAudit(tx, actor, { action: "add_trainer", entity: "cohort", entityId: cohortId, details: { userId } });
  });
}

export function removeCohortTrainer(db: Db, actor: Actor, cohortId: number, userId: number): void {
  db.transaction((tx) => {
    if (!isCohortTrainer(tx, cohortId, userId)) throw new DomainError("form.unknownId", "userId");
    const count = tx.select({ n: sql<number>`count(*)` }).from(cohortTrainers).where(eq(cohortTrainers.cohortId, cohortId)).get()?.n ?? 0;
    if (count <= 1) throw new DomainError("training.cohort.lastTrainer", "userId");
    tx.delete(cohortTrainers).where(and(eq(cohortTrainers.cohortId, cohortId), eq(cohortTrainers.userId, userId))).run();
    recordAudit(tx, actor, { action: "remove_trainer", entity: "cohort", entityId: cohortId, details: { userId } });
  });
}

function countActiveTrainees(db: Db | Tx, cohortId: number): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(enrollments)
      .where(and(eq(enrollments.cohortId, cohortId), ne(enrollments.status, "withdrawn")))
      .get()?.n ?? 0
  );
}

export type EnrollmentRow = {
  id: number;
  cohortId: number;
  personId: number;
  displayName: string;
  districtId: number | null;
  districtNameZh: string | null;
  districtNameEn: string | null;
  status: EnrollmentStatus;
  statusReason: string;
  enrolledOn: string;
};

const enrollmentColumns = {
  id: enrollments.id,
  cohortId: enrollments.cohortId,
  personId: enrollments.personId,
  displayName: persons.displayName,
  districtId: enrollments.districtId,
  districtNameZh: districts.nameZh,
  districtNameEn: districts.nameEn,
  status: enrollments.status,
  statusReason: enrollments.statusReason,
  enrolledOn: enrollments.enrolledOn,
};

/** The cohort's trainees by name (a cohort holds at most its capacity, ≤ 200). */
export function listEnrollments(db: Db | Tx, cohortId: number): EnrollmentRow[] {
  return db
    .select(enrollmentColumns)
    .from(enrollments)
    .innerJoin(persons, eq(persons.id, enrollments.personId))
    .leftJoin(districts, eq(districts.id, enrollments.districtId))
    .where(eq(enrollments.cohortId, cohortId))
    .orderBy(asc(persons.displayName), asc(enrollments.id))
    .all();
}

/** One enrolment of the cohort, or undefined (also when it belongs to another cohort). */
export function getEnrollment(db: Db | Tx, cohortId: number, enrollmentId: number): EnrollmentRow | undefined {
  return db
    .select(enrollmentColumns)
    .from(enrollments)
    .innerJoin(persons, eq(persons.id, enrollments.personId))
    .leftJoin(districts, eq(districts.id, enrollments.districtId))
    .where(and(eq(enrollments.id, enrollmentId), eq(enrollments.cohortId, cohortId)))
    .get();
}

/** A person's own enrolments (for their own training record), newest cohort first. */
export function listOwnEnrollments(db: Db, personId: number): (EnrollmentRow & { cohortNumber: number; cohortStatus: CohortStatus })[] {
  return db
    .select({ ...enrollmentColumns, cohortNumber: cohorts.number, cohortStatus: cohorts.status })
    .from(enrollments)
    .innerJoin(persons, eq(persons.id, enrollments.personId))
    .innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
    .leftJoin(districts, eq(districts.id, enrollments.districtId))
    .where(eq(enrollments.personId, personId))
    .orderBy(desc(cohorts.number))
    .all();
}

/**
 * People to enrol, found by part of their name (at most `limit`). Only the display name is shown:
 * nothing says whether someone is or was a client.
 */
export function searchPersons(db: Db, query: string, cohortId: number, limit = 20): { id: number; displayName: string }[] {
  const q = query.trim();
  if (q === "") return [];
  return db
    .select({ id: persons.id, displayName: persons.displayName })
    .from(persons)
    .where(
      and(
        sql`instr(lower(${persons.displayName}), lower(${q})) > 0`,
        sql`not exists (select 1 from ${enrollments} e where e.person_id = ${persons.id} and e.cohort_id = ${cohortId})`,
      ),
    )
    .orderBy(asc(persons.displayName), asc(persons.id))
    .limit(limit)
    .all();
}

/** Enrols an existing person or a new one (by display name). Returns the enrolment id. */
export function enrolTrainee(db: Db, actor: Actor, cohortId: number, input: EnrolInput): number {
  return db.transaction((tx) => {
    const cohort = tx.select().from(cohorts).where(eq(cohorts.id, cohortId)).get();
    if (!cohort) throw new DomainError("form.unknownId", "_form");
    if (cohort.status === "certified" || cohort.status === "closed") throw new DomainError("training.enrol.cohortFinished", "_form");
    if (!tx.select({ id: districts.id }).from(districts).where(eq(districts.id, input.districtId)).get()) {
      throw new DomainError("form.unknownId", "districtId");
    }
    if (countActiveTrainees(tx, cohortId) >= cohort.capacity) {
      throw new DomainError(`training.enrol.full?capacity=${cohort.capacity}`, "_form");
    }
    let personId: number;
    let newPerson = false;
    if (input.mode === "existing") {
      if (input.personId === null || !tx.select({ id: persons.id }).from(persons).where(eq(persons.id, input.personId)).get()) {
        throw new DomainError("form.unknownId", "personId");
      }
      personId = input.personId;
      const already = tx
        .select({ id: enrollments.id })
        .from(enrollments)
        .where(and(eq(enrollments.cohortId, cohortId), eq(enrollments.personId, personId)))
        .get();
      if (already) throw new DomainError("training.enrol.already", "personId");
    } else {
      personId = tx.insert(persons).values({ displayName: input.displayName }).returning().get().id;
      newPerson = true;
      recordAudit(tx, actor, { action: "create", entity: "person", entityId: personId, details: { via: "enrolment" } });
    }
    const row = tx
      .insert(enrollments)
      .values({ cohortId, personId, districtId: input.districtId, enrolledOn: input.enrolledOn, status: "enrolled" })
      .returning()
      .get();
    recordAudit(tx, actor, { action: "enrol", entity: "enrollment", entityId: row.id, details: { cohortId, personId, newPerson } });
    return row.id;
  });
}

/** Withdraws a trainee, with the reason. */
export function withdrawTrainee(db: Db, actor: Actor, cohortId: number, enrollmentId: number, reason: string): void {
  db.transaction((tx) => {
    const e = getEnrollment(tx, cohortId, enrollmentId);
    if (!e) throw new DomainError("form.unknownId", "_form");
    if (e.status !== "enrolled") throw new DomainError(`training.enrol.notEnrolled?status=${e.status}`, "_form");
    tx.update(enrollments).set({ status: "withdrawn", statusReason: reason, updatedAt: now() }).where(eq(enrollments.id, enrollmentId)).run();
    recordAudit(tx, actor, { action: "withdraw", entity: "enrollment", entityId: enrollmentId, details: { cohortId, reason } });
  });
}
