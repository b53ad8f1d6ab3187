/**
 * Supervised practicum (实习): hours co-facilitating real group sessions or other supervised work.
 * Each entry names its supervisor, who must be valid on the entry's date (isValidSupervisor); only
 * signed-off hours count toward certification.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "#db/client";
import { cohortTrainers, cohorts, enrollments, peerTutors, persons, practicumLogs, staffProfiles, userRoles, users } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { sessionDetail } from "~/domain/sessions";
import { DomainError } from "~/domain/shared/errors";
import { DAY_HOURS_MAX, type PracticumInput } from "./schemas";
import { isValidSupervisor, oneYearBefore, type SupervisorFacts } from "./requirements";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** What decides whether a person may supervise practicum. */
export function supervisorFacts(db: Db | Tx, personId: number): SupervisorFacts {
  const roles = db
    .select({ role: userRoles.role })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(users.personId, personId), eq(users.active, true), inArray(userRoles.role, ["trainer", "social_worker"])))
    .all()
    .map((r) => r.role as string);
  const staff = db
    .select({ kind: staffProfiles.kind })
    .from(staffProfiles)
    .where(and(eq(staffProfiles.personId, personId), eq(staffProfiles.active, true)))
    .all()
    .map((r) => r.kind as string);
  const pt = db
    .select({ status: peerTutors.status, certifiedOn: peerTutors.certifiedOn, expiresOn: peerTutors.expiresOn })
    .from(peerTutors)
    .where(eq(peerTutors.personId, personId))
    .get();
  return {
    isTrainer: roles.includes("trainer") || staff.includes("trainer"),
    isSocialWorker: roles.includes("social_worker") || staff.includes("social_worker"),
    peerTutor: pt ?? null,
  };
}

export type PracticumRow = {
  id: number;
  date: string;
  hours: number;
  activity: string;
  groupSessionId: number | null;
  supervisorPersonId: number;
  supervisor: string;
  signedOffBy: string | null;
  signedOffAt: string | null;
};

/** A trainee's practicum entries, newest first. */
export function listPracticum(db: Db, enrollmentId: number): PracticumRow[] {
  const supervisor = alias(persons, "supervisor");
  const signer = alias(persons, "signer");
  return db
    .select({
      id: practicumLogs.id,
      date: practicumLogs.date,
      hours: practicumLogs.hours,
      activity: practicumLogs.activity,
      groupSessionId: practicumLogs.groupSessionId,
      supervisorPersonId: practicumLogs.supervisorPersonId,
      supervisor: supervisor.displayName,
      signedOffBy: signer.displayName,
      signedOffAt: practicumLogs.signedOffAt,
    })
    .from(practicumLogs)
    .innerJoin(supervisor, eq(supervisor.id, practicumLogs.supervisorPersonId))
    .leftJoin(users, eq(users.id, practicumLogs.signedOffByUserId))
    .leftJoin(signer, eq(signer.id, users.personId))
    .where(eq(practicumLogs.enrollmentId, enrollmentId))
    .orderBy(desc(practicumLogs.date), desc(practicumLogs.id))
    .all();
}

export type SupervisorChoice = { personId: number; displayName: string; kind: "trainer" | "social_worker" | "peer_tutor" };

/**
 * People who may supervise on `date`: the cohort's trainers always; then, with a name query, any
 * eligible trainer, social worker or peer tutor whose name contains it; without one, those of the
 * trainee's district. At most `limit` besides the cohort's trainers.
 */
export function supervisorChoices(
  db: Db,
  options: { cohortId: number; districtId: number | null; query: string; date: string; excludePersonId: number; limit?: number },
): SupervisorChoice[] {
  const limit = options.limit ?? 50;
  const q = options.query.trim();
  const trainers = db
    .select({ personId: persons.id, displayName: persons.displayName })
    .from(cohortTrainers)
    .innerJoin(users, eq(users.id, cohortTrainers.userId))
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(cohortTrainers.cohortId, options.cohortId))
    .orderBy(asc(persons.displayName))
    .all()
    .map((t) => ({ ...t, kind: "trainer" as const }));
  const nameMatch = (col: unknown) => (q === "" ? sql`1 = 1` : sql`instr(lower(${col}), lower(${q})) > 0`);
  const district = options.districtId;
  const inDistrict = (col: unknown) => (q !== "" || district === null ? sql`1 = 1` : sql`${col} = ${district}`);
  const cutoff = oneYearBefore(options.date);
  const rows = db.all<{ personId: number; displayName: string; kind: SupervisorChoice["kind"] }>(sql`
    select personId, displayName, max(kind) as kind from (
      select p.id as personId, p.display_name as displayName, r.role as kind
        from ${userRoles} r join ${users} u on u.id = r.user_id join ${persons} p on p.id = u.person_id
        where r.role in ('trainer', 'social_worker') and u.active = 1
          and ${nameMatch(sql`p.display_name`)} and (r.role = 'trainer' or ${inDistrict(sql`r.district_id`)})
      union all
      select p.id, p.display_name, sp.kind
        from ${staffProfiles} sp join ${persons} p on p.id = sp.person_id
        where sp.kind in ('trainer', 'social_worker') and sp.active = 1
          and ${nameMatch(sql`p.display_name`)} and (sp.kind = 'trainer' or ${inDistrict(sql`sp.district_id`)})
      union all
      select p.id, p.display_name, 'peer_tutor'
        from ${peerTutors} pt join ${persons} p on p.id = pt.person_id
        where pt.status = 'active' and pt.certified_on <= ${cutoff} and pt.expires_on >= ${options.date}
          and ${nameMatch(sql`p.display_name`)} and ${inDistrict(sql`pt.district_id`)}
    )
    where personId <> ${options.excludePersonId}
    group by personId
    order by displayName, personId
    limit ${limit}
  `);
  const seen = new Set(trainers.map((t) => t.personId));
  return [...trainers.filter((t) => t.personId !== options.excludePersonId), ...rows.filter((r) => !seen.has(r.personId))];
}

function enrollmentForWrite(tx: Tx, cohortId: number, enrollmentId: number) {
  const row = tx
    .select({ personId: enrollments.personId, status: enrollments.status, cohortStatus: cohorts.status })
    .from(enrollments)
    .innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
    .where(and(eq(enrollments.id, enrollmentId), eq(enrollments.cohortId, cohortId)))
    .get();
  if (!row) throw new DomainError("form.unknownId", "_form");
  if (row.cohortStatus === "closed") throw new DomainError("training.cohort.closed", "_form");
  if (row.status !== "enrolled") throw new DomainError(`training.enrol.notEnrolled?status=${row.status}`, "_form");
  return row;
}

function assertSupervisor(tx: Tx, supervisorPersonId: number, traineePersonId: number, date: string, field: string): void {
  if (!tx.select({ id: persons.id }).from(persons).where(eq(persons.id, supervisorPersonId)).get()) {
    throw new DomainError("form.unknownId", field);
  }
  if (supervisorPersonId === traineePersonId) throw new DomainError("training.practicum.selfSupervision", field);
  if (!isValidSupervisor(supervisorFacts(tx, supervisorPersonId), date)) throw new DomainError("training.practicum.supervisorIneligible", field);
}

/**
 * Adds a practicum entry (signed off at once when `signOff`). Hours in one day may not exceed 24
 * for a trainee. A linked group session must exist, not be cancelled and fall on the entry's date
 * (in the program's time zone). Returns the entry's id.
 */
export function addPracticum(
  db: Db,
  actor: Actor,
  cohortId: number,
  enrollmentId: number,
  input: PracticumInput,
  today: string,
  timeZone: string,
): number {
  return db.transaction((tx) => {
    const enrollment = enrollmentForWrite(tx, cohortId, enrollmentId);
    if (input.date > today) throw new DomainError("training.practicum.future", "date");
    if (!(input.hours > 0 && input.hours <= DAY_HOURS_MAX)) throw new DomainError(`training.hoursRange?max=${DAY_HOURS_MAX}`, "hours");
    const dayTotal =
      tx
        .select({ h: sql<number>`coalesce(sum(${practicumLogs.hours}), 0)` })
        .from(practicumLogs)
        .where(and(eq(practicumLogs.enrollmentId, enrollmentId), eq(practicumLogs.date, input.date)))
        .get()?.h ?? 0;
    if (dayTotal + input.hours > DAY_HOURS_MAX) {
      throw new DomainError(`training.practicum.dayOver?logged=${dayTotal}&max=${DAY_HOURS_MAX}`, "hours");
    }
    assertSupervisor(tx, input.supervisorPersonId, enrollment.personId, input.date, "supervisorPersonId");
    if (input.groupSessionId !== null) {
      const session = sessionDetail(tx, input.groupSessionId, timeZone);
      if (!session) throw new DomainError("form.unknownId", "groupSessionId");
      if (session.status === "cancelled") throw new DomainError("training.practicum.sessionCancelled", "groupSessionId");
      if (session.date !== input.date) throw new DomainError(`training.practicum.sessionOtherDay?date=${session.date}`, "groupSessionId");
    }
    const signed = input.signOff && actor.userId !== null;
    const row = tx
      .insert(practicumLogs)
      .values({
        enrollmentId,
        date: input.date,
        hours: input.hours,
        activity: input.activity,
        supervisorPersonId: input.supervisorPersonId,
        groupSessionId: input.groupSessionId,
        signedOffByUserId: signed ? actor.userId : null,
        signedOffAt: signed ? new Date().toISOString() : null,
      })
      .returning()
      .get();
    recordAudit(tx, actor, {
      action: "create",
      entity: "practicum_log",
      entityId: row.id,
      details: { enrollmentId, date: row.date, hours: row.hours, supervisorPersonId: row.supervisorPersonId, groupSessionId: row.groupSessionId, signedOff: signed },
    });
    return row.id;
  });
}

/** Signs off an entry, recording who did; the named supervisor must still be valid for its date. */
export function signOffPracticum(db: Db, actor: Actor, cohortId: number, enrollmentId: number, logId: number): void {
  if (actor.userId === null) throw new DomainError("form.badRequest", "_form");
  const signer = actor.userId;
  db.transaction((tx) => {
    const enrollment = enrollmentForWrite(tx, cohortId, enrollmentId);
    const log = tx
      .select()
      .from(practicumLogs)
      .where(and(eq(practicumLogs.id, logId), eq(practicumLogs.enrollmentId, enrollmentId)))
      .get();
    if (!log) throw new DomainError("form.unknownId", "logId");
    if (log.signedOffAt) throw new DomainError("training.practicum.alreadySigned", "logId");
    assertSupervisor(tx, log.supervisorPersonId, enrollment.personId, log.date, "logId");
    tx.update(practicumLogs)
      .set({ signedOffByUserId: signer, signedOffAt: new Date().toISOString(), updatedAt: new Date().toISOString() })
      .where(eq(practicumLogs.id, logId))
      .run();
    recordAudit(tx, actor, { action: "sign_off", entity: "practicum_log", entityId: logId, details: { enrollmentId, hours: log.hours } });
  });
}
