/**
 * Week views beyond the studio's (issue "Studios, peer-education groups and group sessions" items
 * 8 and 9): a person's sessions ("my sessions"), a district's, and the coordinator's week — this
 * week across their districts: sessions, sessions without a facilitator, past sessions without
 * attendance, waitlists and studio utilisation this month. One query per section, never per row.
 */
import { and, asc, desc, eq, gte, inArray, lt, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { attendance, districts, groupSessions, rooms, sessionFacilitators, sessionRegistrations, studios } from "#db/schema";
import { rowScope } from "~/auth/permissions";
import { utilisation, weekDates, type Utilisation } from "./schedule";
import { facilitatorsOf, type Facilitator, type Viewer } from "./sessions.server";
import { addDays, nextMonth, startOfLocalDate, utcToLocal } from "./time";

type Reader = Pick<Db, "select">;

export type CalendarSession = {
  id: number;
  topic: string;
  kind: string;
  status: "scheduled" | "cancelled" | "held";
  date: string;
  startTime: string;
  endTime: string;
  studio: { id: number; nameZh: string; nameEn: string };
  facilitators: Facilitator[];
};

function weekBounds(monday: string, timeZone: string) {
  return { from: startOfLocalDate(monday, timeZone).toISOString(), to: startOfLocalDate(addDays(monday, 7), timeZone).toISOString() };
}

function weekOf(db: Reader, where: SQL | undefined, monday: string, timeZone: string): { days: string[]; sessions: CalendarSession[] } {
  const { from, to } = weekBounds(monday, timeZone);
  const rows = db
    .select({ s: groupSessions, studioZh: studios.nameZh, studioEn: studios.nameEn })
    .from(groupSessions)
    .innerJoin(studios, eq(studios.id, groupSessions.studioId))
    .where(and(where, gte(groupSessions.startsAt, from), lt(groupSessions.startsAt, to)))
    .orderBy(asc(groupSessions.startsAt), asc(groupSessions.id))
    .limit(500)
    .all();
  const people = facilitatorsOf(db, rows.map((r) => r.s.id));
  return {
    days: weekDates(monday),
    sessions: rows.map(({ s, studioZh, studioEn }) => {
      const start = utcToLocal(s.startsAt, timeZone);
      const end = utcToLocal(s.endsAt, timeZone);
      return {
        id: s.id,
        topic: s.topic,
        kind: s.kind,
        status: s.status,
        date: start.slice(0, 10),
        startTime: start.slice(11),
        endTime: end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : "24:00",
        studio: { id: s.studioId, nameZh: studioZh, nameEn: studioEn },
        facilitators: people.get(s.id) ?? [],
      };
    }),
  };
}

/** The sessions a person facilitates in the week beginning on a Monday (local), cancelled ones included. */
export function personWeek(db: Reader, personId: number, monday: string, timeZone: string) {
  const mine = db.select({ id: sessionFacilitators.sessionId }).from(sessionFacilitators).where(eq(sessionFacilitators.personId, personId));
  return weekOf(db, inArray(groupSessions.id, mine), monday, timeZone);
}

/** The sessions at a district's studios in the week beginning on a Monday. */
export function districtWeek(db: Reader, districtId: number, monday: string, timeZone: string) {
  return weekOf(db, eq(studios.districtId, districtId), monday, timeZone);
}

export function districtNames(db: Reader, districtId: number): { id: number; nameZh: string; nameEn: string } | null {
  return db.select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts).where(eq(districts.id, districtId)).get() ?? null;
}

export type CoordinatorLine = {
  id: number;
  topic: string;
  startsAt: string;
  status: "scheduled" | "cancelled" | "held";
  studioId: number;
  studioZh: string;
  studioEn: string;
  capacity: number;
  facilitators: number;
  registered: number;
  waitlisted: number;
};

export type StudioUse = { studioId: number; nameZh: string; nameEn: string; utilisation: Utilisation };

export type CoordinatorWeek = {
  sessions: CoordinatorLine[];
  unfilled: CoordinatorLine[];
  noAttendance: CoordinatorLine[];
  waitlists: CoordinatorLine[];
  studios: StudioUse[];
};

/**
 * The coordinator's week: every section limited to the studios of the districts where the viewer
 * schedules (edit:session; all for an admin). `monday` is this week's Monday, `month` the current
 * month ("YYYY-MM"), `now` the instant that separates past from future.
 */
export function coordinatorWeek(db: Reader, viewer: Viewer, monday: string, month: string, timeZone: string, now: Date = new Date()): CoordinatorWeek {
  const scope = rowScope(viewer, "edit:session");
  if (scope.kind !== "all" && scope.kind !== "districts") return { sessions: [], unfilled: [], noAttendance: [], waitlists: [], studios: [] };
  const inDistricts = scope.kind === "districts" ? inArray(studios.districtId, scope.districtIds) : undefined;
  const { from, to } = weekBounds(monday, timeZone);
  const nowIso = now.toISOString();

  // outer columns spelled out with their table: drizzle leaves a column unqualified in a one-table
  // select, where it would bind to the subquery's own table
  const outerSession = sql`"group_sessions"."id"`;
  const outerStudio = sql`"studios"."id"`;
  const facilitatorCount = sql<number>`(select count(*) from ${sessionFacilitators} f where f.session_id = ${outerSession})`;
  const countOf = (status: "registered" | "waitlisted") =>
    sql<number>`(select count(*) from ${sessionRegistrations} r where r.session_id = ${outerSession} and r.status = ${status})`;
  const attendanceTaken = sql`exists (select 1 from ${attendance} a where a.session_id = ${outerSession})`;
  const line = {
    id: groupSessions.id,
    topic: groupSessions.topic,
    startsAt: groupSessions.startsAt,
    status: groupSessions.status,
    studioId: studios.id,
    studioZh: studios.nameZh,
    studioEn: studios.nameEn,
    capacity: groupSessions.capacity,
    facilitators: facilitatorCount,
    registered: countOf("registered"),
    waitlisted: countOf("waitlisted"),
  };
  const base = () => db.select(line).from(groupSessions).innerJoin(studios, eq(studios.id, groupSessions.studioId));
  const thisWeek = and(inDistricts, gte(groupSessions.startsAt, from), lt(groupSessions.startsAt, to));

  const sessions = base().where(thisWeek).orderBy(asc(groupSessions.startsAt), asc(groupSessions.id)).limit(500).all();
  const unfilled = base()
    .where(and(thisWeek, eq(groupSessions.status, "scheduled"), sql`${facilitatorCount} < 1`))
    .orderBy(asc(groupSessions.startsAt))
    .limit(200)
    .all();
  const noAttendance = base()
    .where(and(inDistricts, gte(groupSessions.startsAt, from), lt(groupSessions.endsAt, nowIso), ne(groupSessions.status, "cancelled"), sql`not ${attendanceTaken}`))
    .orderBy(asc(groupSessions.startsAt))
    .limit(200)
    .all();
  const waitlists = base()
    .where(and(inDistricts, gte(groupSessions.endsAt, nowIso), eq(groupSessions.status, "scheduled"), sql`${countOf("waitlisted")} > 0`))
    .orderBy(desc(countOf("waitlisted")), asc(groupSessions.startsAt))
    .limit(200)
    .all();

  // utilisation this month: booked minutes and active rooms per studio, one query each
  const monthFrom = startOfLocalDate(`${month}-01`, timeZone).toISOString();
  const monthTo = startOfLocalDate(`${nextMonth(month)}-01`, timeZone).toISOString();
  const booked = sql<number>`coalesce((select sum(round((julianday(s.ends_at) - julianday(s.starts_at)) * 1440)) from ${groupSessions} s
    where s.studio_id = ${outerStudio} and s.status != 'cancelled' and s.starts_at >= ${monthFrom} and s.starts_at < ${monthTo}), 0)`;
  const roomCount = sql<number>`(select count(*) from ${rooms} r where r.studio_id = ${outerStudio} and r.active = 1)`;
  const studioRows = db
    .select({ studioId: studios.id, nameZh: studios.nameZh, nameEn: studios.nameEn, openingHours: studios.openingHours, booked, roomCount })
    .from(studios)
    .where(and(inDistricts, eq(studios.active, true)))
    .orderBy(asc(studios.nameZh))
    .limit(200)
    .all();
  return {
    sessions,
    unfilled,
    noAttendance,
    waitlists,
    studios: studioRows.map((s) => ({ studioId: s.studioId, nameZh: s.nameZh, nameEn: s.nameEn, utilisation: utilisation(s.openingHours, month, Number(s.booked), Number(s.roomCount)) })),
  };
}
