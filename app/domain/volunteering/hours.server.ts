/**
 * Volunteer hours (志愿服务时长): peer tutors, volunteers and staff log the hours they gave; a
 * coordinator of the entry's district approves or rejects them (DESIGN.md §4: admins all,
 * coordinators in their districts, everyone their own).
 *
 * Rules (each refusal is a DomainError with a message key):
 * - log: own person only; the day not in the future and at most LOG_MAX_AGE_DAYS ago (program
 *   time zone); quarter hours from 0.25 to 12; an active activity; the district is one the
 *   person belongs to: a district of their role grants, of their peer-tutor record or home studio,
 *   or of their staff profile. Someone with no district at all (a city-wide admin) may choose any
 *   active district.
 * - edit / withdraw: own, still pending, and within EDIT_WINDOW_DAYS of logging. Withdrawing
 *   deletes the pending entry (it never counted); the audit log keeps what it was.
 * - decide: approve:hours in the entry's district, the entry pending, and never one's own entry.
 *   Several at once is all-or-nothing. A rejection carries a reason. The person is notified.
 * - from a session: the person facilitated it, it was held; minutes are its duration (at most 12
 *   hours), the day is its local date, the district its studio's; one entry per person and session.
 *
 * Every write records itself in the audit log in the same transaction.
 */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lte, ne, or, sql, sum, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import {
  districts,
  groupSessions,
  peerTutors,
  persons,
  sessionFacilitators,
  staffProfiles,
  studios,
  userRoles,
  users,
  volunteerHours,
} from "#db/schema";
import { can, rowScope } from "~/auth/permissions";
import type { RoleGrant } from "~/auth/roles";
import { recordAudit, type Actor } from "~/domain/audit";
import { addDays, localDate } from "~/domain/clients/dates";
import { notify } from "~/domain/sessions/notifications.server";
import { getSetting } from "~/domain/settings/settings.server";
import { getVolunteerActivities } from "~/domain/settings/volunteer-activities.server";
import { SESSION_ACTIVITY_ID } from "~/domain/settings/volunteer-activities";
import { DomainError } from "~/domain/shared/errors";
import { msg } from "~/domain/shared/fields";
import type { Page } from "~/domain/shared/paging";
import {
  EDIT_WINDOW_DAYS,
  HOURS_MAX_MINUTES,
  LOG_MAX_AGE_DAYS,
  hoursText,
  type DecideInput,
  type LogHoursInput,
} from "./schemas";

type Reader = Pick<Db, "select">;

/** Who is asking: their role grants and their person. */
export type HoursViewer = { roles: RoleGrant[]; personId: number };

export type HoursStatus = "pending" | "approved" | "rejected";
export type Period = { from: string; to: string };

export const HOURS_ENTITY = "volunteer_hours";

/** Today in the program's time zone. */
export function hoursToday(db: Reader, now: Date = new Date()): string {
  return localDate(now, getSetting(db as Db, "timeZone"));
}

function isUniqueViolation(e: unknown): boolean {
  return !!e && typeof e === "object" && (e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE";
}

// ---------------------------------------------------------------------------------------------
// Figures other areas use (dashboards, reports, projects)

/** Where approve:hours lets a viewer look, as SQL on volunteer_hours (null: nowhere). Own entries are never theirs to decide. */
function approvalScope(viewer: HoursViewer): SQL | null {
  const scope = rowScope(viewer, "approve:hours");
  const notOwn = ne(volunteerHours.personId, viewer.personId);
  if (scope.kind === "all") return notOwn;
  if (scope.kind === "districts") return and(inArray(volunteerHours.districtId, scope.districtIds), notOwn)!;
  return null;
}

/** How many pending entries the viewer may approve (0 for someone who approves nothing). */
export function pendingHoursCount(db: Reader, viewer: HoursViewer): number {
  const scope = approvalScope(viewer);
  if (!scope) return 0;
  return db.select({ n: count() }).from(volunteerHours).where(and(eq(volunteerHours.status, "pending"), scope)).get()?.n ?? 0;
}

/** A person's hours in a period (by day worked, both ends included): approved and pending minutes, rejected entries. */
export function myHoursSummary(db: Reader, personId: number, period: Period): { approvedMinutes: number; pendingMinutes: number; rejectedCount: number } {
  const rows = db
    .select({ status: volunteerHours.status, minutes: sum(volunteerHours.minutes), n: count() })
    .from(volunteerHours)
    .where(and(eq(volunteerHours.personId, personId), gte(volunteerHours.workedOn, period.from), lte(volunteerHours.workedOn, period.to)))
    .groupBy(volunteerHours.status)
    .all();
  const of = (s: HoursStatus) => rows.find((r) => r.status === s);
  return {
    approvedMinutes: Number(of("approved")?.minutes ?? 0),
    pendingMinutes: Number(of("pending")?.minutes ?? 0),
    rejectedCount: of("rejected")?.n ?? 0,
  };
}

/**
 * Approved minutes in a period (by day worked, both ends included), optionally limited to some
 * districts (the entry's district; null or absent: all) and one person. The one definition of
 * "volunteer hours" for dashboards, reports and project progress.
 */
export function approvedMinutes(db: Reader, options: Period & { districtIds?: number[] | null; personId?: number }): number {
  const where: SQL[] = [eq(volunteerHours.status, "approved"), gte(volunteerHours.workedOn, options.from), lte(volunteerHours.workedOn, options.to)];
  if (options.districtIds) {
    if (options.districtIds.length === 0) return 0;
    where.push(inArray(volunteerHours.districtId, options.districtIds));
  }
  if (options.personId !== undefined) where.push(eq(volunteerHours.personId, options.personId));
  const row = db.select({ minutes: sum(volunteerHours.minutes) }).from(volunteerHours).where(and(...where)).get();
  return Number(row?.minutes ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Districts and activities a person may log under

export type DistrictOption = { id: number; nameZh: string; nameEn: string };

/** The districts a person belongs to (role grants, peer-tutor record and home studio, staff profiles). */
export function personDistrictIds(db: Reader, personId: number): number[] {
  const ids = new Set<number>();
  for (const r of db
    .select({ d: userRoles.districtId })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(users.personId, personId), isNotNull(userRoles.districtId)))
    .all())
    ids.add(r.d!);
  for (const r of db.select({ d: peerTutors.districtId, home: studios.districtId }).from(peerTutors).leftJoin(studios, eq(studios.id, peerTutors.homeStudioId)).where(eq(peerTutors.personId, personId)).all()) {
    ids.add(r.d);
    if (r.home != null) ids.add(r.home);
  }
  for (const r of db.select({ d: staffProfiles.districtId }).from(staffProfiles).where(and(eq(staffProfiles.personId, personId), eq(staffProfiles.active, true))).all()) ids.add(r.d);
  return [...ids].sort((a, b) => a - b);
}

/**
 * The districts a person may log hours under: their own, or every active district when they have
 * none. `alsoId` adds one more (an entry's current district, which it may keep when edited).
 */
export function loggableDistricts(db: Reader, personId: number, alsoId?: number): DistrictOption[] {
  const ids = personDistrictIds(db, personId);
  const q = db.select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts);
  const where = ids.length > 0 ? inArray(districts.id, ids) : eq(districts.active, true);
  return q.where(alsoId !== undefined ? or(where, eq(districts.id, alsoId)) : where).orderBy(asc(districts.id)).all();
}

function requireLoggable(db: Reader, viewer: HoursViewer, input: LogHoursInput, keep?: { activity: string; districtId: number; workedOn: string }) {
  if (!can(viewer, "log:hours")) throw new DomainError("volunteering.error.cannotLog");
  const activities = getVolunteerActivities(db);
  const activity = activities.find((a) => a.id === input.activity);
  if (!activity || (!activity.active && keep?.activity !== input.activity)) throw new DomainError("form.unknownChoice", "activity");
  if (keep?.districtId !== input.districtId && !loggableDistricts(db, viewer.personId).some((d) => d.id === input.districtId)) {
    throw new DomainError("volunteering.error.districtNotYours", "districtId");
  }
  if (keep?.workedOn !== input.workedOn) checkWorkedOn(db, input.workedOn, "workedOn");
}

function checkWorkedOn(db: Reader, workedOn: string, field: string) {
  const today = hoursToday(db);
  if (workedOn > today) throw new DomainError("volunteering.error.future", field);
  if (workedOn < addDays(today, -LOG_MAX_AGE_DAYS)) throw new DomainError(msg("volunteering.error.tooOld", { days: LOG_MAX_AGE_DAYS }), field);
}

// ---------------------------------------------------------------------------------------------
// Writes by the person

/** Logs the viewer's own hours (pending). Returns the new entry's id. */
export function logHours(db: Db, actor: Actor, viewer: HoursViewer, input: LogHoursInput): number {
  requireLoggable(db, viewer, input);
  return db.transaction((tx) => {
    const row = tx
      .insert(volunteerHours)
      .values({
        personId: viewer.personId,
        districtId: input.districtId,
        activity: input.activity,
        workedOn: input.workedOn,
        minutes: input.minutes,
        note: input.note,
        status: "pending",
        createdByUserId: actor.userId,
      })
      .returning({ id: volunteerHours.id })
      .get();
    recordAudit(tx, actor, { action: "create", entity: HOURS_ENTITY, entityId: row.id, details: { ...input } });
    return row.id;
  });
}

export type HoursEntry = typeof volunteerHours.$inferSelect;

/** Why an entry may not be changed by its person now, as a message key; null when it may. */
export function changeRefusal(entry: Pick<HoursEntry, "status" | "createdAt">, now: Date = new Date()): string | null {
  if (entry.status !== "pending") return "volunteering.error.alreadyDecided";
  const loggedAt = Date.parse(entry.createdAt);
  if (Number.isNaN(loggedAt) || now.getTime() - loggedAt > EDIT_WINDOW_DAYS * 86_400_000) return msg("volunteering.error.editWindow", { days: EDIT_WINDOW_DAYS });
  return null;
}

/** One of the viewer's own entries (null when unknown or someone else's: the caller answers 404). */
export function ownHoursEntry(db: Reader, viewer: HoursViewer, entryId: number): (HoursEntry & { editRefusal: string | null }) | null {
  const row = db
    .select()
    .from(volunteerHours)
    .where(and(eq(volunteerHours.id, entryId), eq(volunteerHours.personId, viewer.personId)))
    .get();
  return row ? { ...row, editRefusal: changeRefusal(row) } : null;
}

function ownChangeable(tx: Reader, viewer: HoursViewer, entryId: number): HoursEntry {
  const row = tx.select().from(volunteerHours).where(and(eq(volunteerHours.id, entryId), eq(volunteerHours.personId, viewer.personId))).get();
  if (!row) throw new DomainError("form.unknownId", "id");
  const refusal = changeRefusal(row);
  if (refusal) throw new DomainError(refusal);
  return row;
}

/**
 * Changes a pending own entry within the edit window. An entry logged from a session keeps the
 * session's day, hours, activity and district: only its note changes.
 */
export function editHours(db: Db, actor: Actor, viewer: HoursViewer, entryId: number, input: LogHoursInput): void {
  db.transaction((tx) => {
    const row = ownChangeable(tx, viewer, entryId);
    const next =
      row.sessionId !== null
        ? { ...input, activity: row.activity, workedOn: row.workedOn, minutes: row.minutes, districtId: row.districtId }
        : input;
    requireLoggable(tx, viewer, next, row);
    const now = new Date().toISOString();
    tx.update(volunteerHours)
      .set({ activity: next.activity, workedOn: next.workedOn, minutes: next.minutes, districtId: next.districtId, note: next.note, updatedAt: now })
      .where(eq(volunteerHours.id, entryId))
      .run();
    recordAudit(tx, actor, {
      action: "update",
      entity: HOURS_ENTITY,
      entityId: entryId,
      details: {
        from: { activity: row.activity, workedOn: row.workedOn, minutes: row.minutes, districtId: row.districtId, note: row.note },
        to: { activity: next.activity, workedOn: next.workedOn, minutes: next.minutes, districtId: next.districtId, note: next.note },
      },
    });
  });
}

/** Withdraws (deletes) a pending own entry within the edit window; the audit log keeps what it was. */
export function withdrawHours(db: Db, actor: Actor, viewer: HoursViewer, entryId: number): void {
  db.transaction((tx) => {
    const row = ownChangeable(tx, viewer, entryId);
    tx.delete(volunteerHours).where(eq(volunteerHours.id, entryId)).run();
    recordAudit(tx, actor, {
      action: "withdraw",
      entity: HOURS_ENTITY,
      entityId: entryId,
      details: { personId: row.personId, districtId: row.districtId, activity: row.activity, workedOn: row.workedOn, minutes: row.minutes, sessionId: row.sessionId },
    });
  });
}

/** Whether the person has an entry for the session already (any status). */
export function sessionHoursLogged(db: Reader, personId: number, sessionId: number): boolean {
  return !!db
    .select({ id: volunteerHours.id })
    .from(volunteerHours)
    .where(and(eq(volunteerHours.personId, personId), eq(volunteerHours.sessionId, sessionId)))
    .get();
}

/** Logs the viewer's hours for a session they facilitated, in one step. Returns the entry's id. */
export function logHoursFromSession(db: Db, actor: Actor, viewer: HoursViewer, sessionId: number): number {
  if (!can(viewer, "log:hours")) throw new DomainError("volunteering.error.cannotLog");
  return db.transaction((tx) => {
    const s = tx
      .select({ id: groupSessions.id, status: groupSessions.status, startsAt: groupSessions.startsAt, endsAt: groupSessions.endsAt, districtId: studios.districtId })
      .from(groupSessions)
      .innerJoin(studios, eq(studios.id, groupSessions.studioId))
      .where(eq(groupSessions.id, sessionId))
      .get();
    if (!s) throw new DomainError("form.unknownId", "sessionId");
    const facilitates = tx
      .select({ id: sessionFacilitators.id })
      .from(sessionFacilitators)
      .where(and(eq(sessionFacilitators.sessionId, sessionId), eq(sessionFacilitators.personId, viewer.personId)))
      .get();
    if (!facilitates) throw new DomainError("volunteering.error.notFacilitator", "sessionId");
    if (s.status !== "held") throw new DomainError("volunteering.error.sessionNotHeld", "sessionId");
    if (sessionHoursLogged(tx, viewer.personId, sessionId)) throw new DomainError("volunteering.error.alreadyLogged", "sessionId");
    const workedOn = localDate(s.startsAt, getSetting(tx as unknown as Db, "timeZone"));
    checkWorkedOn(tx, workedOn, "sessionId");
    const duration = Math.round((Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000);
    const minutes = Math.max(1, Math.min(HOURS_MAX_MINUTES, duration));
    let id: number;
    try {
      id = tx
        .insert(volunteerHours)
        .values({ personId: viewer.personId, districtId: s.districtId, activity: SESSION_ACTIVITY_ID, workedOn, minutes, sessionId, status: "pending", createdByUserId: actor.userId })
        .returning({ id: volunteerHours.id })
        .get().id;
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError("volunteering.error.alreadyLogged", "sessionId");
      throw e;
    }
    recordAudit(tx, actor, { action: "create", entity: HOURS_ENTITY, entityId: id, details: { sessionId, workedOn, minutes, districtId: s.districtId, activity: SESSION_ACTIVITY_ID } });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// Decisions by coordinators and admins

/**
 * Approves or rejects entries, all or none: every id must exist, be pending and be the viewer's
 * to decide (approve:hours in its district, not their own), otherwise nothing changes and the
 * refusal says how many entries were the problem. Each entry is audited and its person notified.
 * Returns how many were decided.
 */
export function decideHours(db: Db, actor: Actor, viewer: HoursViewer, input: DecideInput): number {
  if (!can(viewer, "approve:hours")) throw new DomainError("volunteering.error.notYours");
  const ids = [...new Set(input.ids)];
  if (input.decision === "reject" && input.reason.trim() === "") throw new DomainError("volunteering.error.reasonRequired", "reason");
  return db.transaction((tx) => {
    const rows = tx.select().from(volunteerHours).where(inArray(volunteerHours.id, ids)).all();
    const outOfScope = ids.length - rows.length + rows.filter((r) => r.personId === viewer.personId || !can(viewer, "approve:hours", { districtId: r.districtId })).length;
    if (outOfScope > 0) throw new DomainError(msg(ids.length === 1 ? "volunteering.error.notYours" : "volunteering.error.bulkNotYours", { count: outOfScope }));
    const decided = rows.filter((r) => r.status !== "pending").length;
    if (decided > 0) throw new DomainError(msg(ids.length === 1 ? "volunteering.error.alreadyDecided" : "volunteering.error.bulkNotPending", { count: decided }));
    const now = new Date().toISOString();
    const status = input.decision === "approve" ? "approved" : "rejected";
    const reason = status === "rejected" ? input.reason.trim() : null;
    tx.update(volunteerHours)
      .set({ status, decidedByUserId: actor.userId, decidedAt: now, rejectionReason: reason, updatedAt: now })
      .where(and(inArray(volunteerHours.id, ids), eq(volunteerHours.status, "pending")))
      .run();
    const logins = tx
      .select({ userId: users.id, personId: users.personId })
      .from(users)
      .where(and(inArray(users.personId, [...new Set(rows.map((r) => r.personId))]), eq(users.active, true)))
      .all();
    for (const r of rows) {
      recordAudit(tx, actor, { action: input.decision, entity: HOURS_ENTITY, entityId: r.id, details: { personId: r.personId, districtId: r.districtId, minutes: r.minutes, workedOn: r.workedOn, ...(reason ? { reason } : {}) } });
      notify(
        tx,
        logins.filter((l) => l.personId === r.personId).map((l) => l.userId),
        {
          kind: status === "approved" ? "hoursApproved" : "hoursRejected",
          messageKey: status === "approved" ? "volunteering.notify.approved" : "volunteering.notify.rejected",
          params: { hours: hoursText(r.minutes), date: r.workedOn, ...(reason ? { reason } : {}) },
          link: "/hours",
        },
      );
    }
    return rows.length;
  });
}

// ---------------------------------------------------------------------------------------------
// Lists

export type MyHoursRow = {
  id: number;
  workedOn: string;
  activity: string;
  minutes: number;
  note: string;
  status: HoursStatus;
  rejectionReason: string | null;
  sessionId: number | null;
  districtZh: string;
  districtEn: string;
  createdAt: string;
  decidedAt: string | null;
  editRefusal: string | null;
};

/** A page of a person's own entries, newest day first, optionally one status. */
export function listMyHours(db: Reader, personId: number, options: { status?: HoursStatus | null; page: Page }): { rows: MyHoursRow[]; total: number } {
  const where = and(eq(volunteerHours.personId, personId), options.status ? eq(volunteerHours.status, options.status) : undefined);
  const rows = db
    .select({
      id: volunteerHours.id,
      workedOn: volunteerHours.workedOn,
      activity: volunteerHours.activity,
      minutes: volunteerHours.minutes,
      note: volunteerHours.note,
      status: volunteerHours.status,
      rejectionReason: volunteerHours.rejectionReason,
      sessionId: volunteerHours.sessionId,
      districtZh: districts.nameZh,
      districtEn: districts.nameEn,
      createdAt: volunteerHours.createdAt,
      decidedAt: volunteerHours.decidedAt,
    })
    .from(volunteerHours)
    .innerJoin(districts, eq(districts.id, volunteerHours.districtId))
    .where(where)
    .orderBy(desc(volunteerHours.workedOn), desc(volunteerHours.id))
    .limit(options.page.limit)
    .offset(options.page.offset)
    .all();
  const total = db.select({ n: count() }).from(volunteerHours).where(where).get()?.n ?? 0;
  const now = new Date();
  return { rows: rows.map((r) => ({ ...r, editRefusal: changeRefusal(r, now) })), total };
}

export type ApprovalFilter = { person?: string | null; districtId?: number | null; from?: string | null; to?: string | null; entryId?: number | null };

export type ApprovalRow = {
  id: number;
  personId: number;
  personName: string;
  workedOn: string;
  activity: string;
  minutes: number;
  note: string;
  sessionId: number | null;
  districtId: number;
  districtZh: string;
  districtEn: string;
  createdAt: string;
};

/** The districts a viewer approves hours in (for the filter). */
export function approvalDistricts(db: Reader, viewer: HoursViewer): DistrictOption[] {
  const scope = rowScope(viewer, "approve:hours");
  if (scope.kind === "none" || scope.kind === "own") return [];
  const q = db.select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts);
  return (scope.kind === "all" ? q : q.where(inArray(districts.id, scope.districtIds))).orderBy(asc(districts.id)).all();
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A page of the pending entries the viewer may decide, oldest day first, filtered in SQL. */
export function listPendingApprovals(db: Reader, viewer: HoursViewer, filter: ApprovalFilter, page: Page): { rows: ApprovalRow[]; total: number; minutes: number } {
  const scope = approvalScope(viewer);
  if (!scope) return { rows: [], total: 0, minutes: 0 };
  const person = filter.person?.trim();
  const where = and(
    eq(volunteerHours.status, "pending"),
    scope,
    filter.districtId ? eq(volunteerHours.districtId, filter.districtId) : undefined,
    filter.entryId ? eq(volunteerHours.id, filter.entryId) : undefined,
    filter.from ? gte(volunteerHours.workedOn, filter.from) : undefined,
    filter.to ? lte(volunteerHours.workedOn, filter.to) : undefined,
    person ? or(sql`${persons.displayName} like ${`%${escapeLike(person)}%`} escape '\\'`, sql`${users.login} like ${escapeLike(person)} escape '\\'`) : undefined,
  );
  const base = () =>
    db
      .select({
        id: volunteerHours.id,
        personId: volunteerHours.personId,
        personName: persons.displayName,
        workedOn: volunteerHours.workedOn,
        activity: volunteerHours.activity,
        minutes: volunteerHours.minutes,
        note: volunteerHours.note,
        sessionId: volunteerHours.sessionId,
        districtId: volunteerHours.districtId,
        districtZh: districts.nameZh,
        districtEn: districts.nameEn,
        createdAt: volunteerHours.createdAt,
      })
      .from(volunteerHours)
      .innerJoin(persons, eq(persons.id, volunteerHours.personId))
      .innerJoin(districts, eq(districts.id, volunteerHours.districtId))
      .leftJoin(users, eq(users.personId, volunteerHours.personId));
  const rows = base().where(where).orderBy(asc(volunteerHours.workedOn), asc(volunteerHours.id)).limit(page.limit).offset(page.offset).all();
  const totals = db
    .select({ n: count(), minutes: sum(volunteerHours.minutes) })
    .from(volunteerHours)
    .innerJoin(persons, eq(persons.id, volunteerHours.personId))
    .leftJoin(users, eq(users.personId, volunteerHours.personId))
    .where(where)
    .get();
  return { rows, total: totals?.n ?? 0, minutes: Number(totals?.minutes ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// Statement

/**
 * Whether the viewer may see a person's statement: their own; a person of their districts (one
 * they belong to, or with an entry there) for a coordinator; anyone for an admin. Returns the
 * districts the statement is limited to (null: all of the person's entries).
 */
export function statementScope(db: Reader, viewer: HoursViewer, personId: number): { districtIds: number[] | null } | null {
  if (personId === viewer.personId) return { districtIds: null };
  const scope = rowScope(viewer, "read:hours");
  if (scope.kind === "all") return { districtIds: null };
  if (scope.kind !== "districts") return null;
  const theirs = personDistrictIds(db, personId).some((d) => scope.districtIds.includes(d));
  const logged =
    theirs ||
    !!db
      .select({ id: volunteerHours.id })
      .from(volunteerHours)
      .where(and(eq(volunteerHours.personId, personId), inArray(volunteerHours.districtId, scope.districtIds)))
      .get();
  return logged ? { districtIds: scope.districtIds } : null;
}

export type StatementLine = { id: number; workedOn: string; activity: string; minutes: number; note: string; districtZh: string; districtEn: string; decidedAt: string | null };

/** A person's approved hours in a period (optionally some districts only), by day, with totals per activity. */
export function hoursStatement(
  db: Reader,
  personId: number,
  options: Period & { districtIds?: number[] | null },
): { person: { id: number; name: string } | null; lines: StatementLine[]; totalMinutes: number; byActivity: { activity: string; minutes: number }[] } {
  const person = db.select({ id: persons.id, name: persons.displayName }).from(persons).where(eq(persons.id, personId)).get() ?? null;
  const where = and(
    eq(volunteerHours.personId, personId),
    eq(volunteerHours.status, "approved"),
    gte(volunteerHours.workedOn, options.from),
    lte(volunteerHours.workedOn, options.to),
    options.districtIds ? inArray(volunteerHours.districtId, options.districtIds.length ? options.districtIds : [-1]) : undefined,
  );
  const lines = db
    .select({
      id: volunteerHours.id,
      workedOn: volunteerHours.workedOn,
      activity: volunteerHours.activity,
      minutes: volunteerHours.minutes,
      note: volunteerHours.note,
      districtZh: districts.nameZh,
      districtEn: districts.nameEn,
      decidedAt: volunteerHours.decidedAt,
    })
    .from(volunteerHours)
    .innerJoin(districts, eq(districts.id, volunteerHours.districtId))
    .where(where)
    .orderBy(asc(volunteerHours.workedOn), asc(volunteerHours.id))
    .all();
  const byActivity = db
    .select({ activity: volunteerHours.activity, minutes: sum(volunteerHours.minutes) })
    .from(volunteerHours)
    .where(where)
    .groupBy(volunteerHours.activity)
    .orderBy(asc(volunteerHours.activity))
    .all()
    .map((r) => ({ activity: r.activity, minutes: Number(r.minutes ?? 0) }));
  return { person, lines, totalMinutes: byActivity.reduce((a, r) => a + r.minutes, 0), byActivity };
}

/** People whose statement a coordinator or admin may open, matched by name or login (for the statement's person picker). */
export function statementPeople(db: Reader, viewer: HoursViewer, query: string, limit = 20): { id: number; name: string }[] {
  const q = query.trim();
  if (!q) return [];
  const scope = rowScope(viewer, "read:hours");
  if (scope.kind !== "all" && scope.kind !== "districts") return [];
  const pattern = `%${escapeLike(q)}%`;
  const inScope =
    scope.kind === "all"
      ? undefined
      : sql`exists (select 1 from ${volunteerHours} vh where vh.person_id = ${persons.id} and vh.district_id in (${sql.join(scope.districtIds.map((d) => sql`${d}`), sql`, `)}))`;
  return db
    .select({ id: persons.id, name: persons.displayName })
    .from(persons)
    .leftJoin(users, eq(users.personId, persons.id))
    .where(and(or(sql`${persons.displayName} like ${pattern} escape '\\'`, sql`${users.login} like ${pattern} escape '\\'`), inScope))
    .orderBy(asc(persons.displayName))
    .limit(limit)
    .all();
}
