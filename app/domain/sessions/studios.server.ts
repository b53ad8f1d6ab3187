/**
 * Studios as places where sessions happen: the list, a studio's week, its rooms and groups, and
 * its utilisation for a month (booked hours ÷ opening hours, DESIGN.md §5). Everyone with
 * read:session reads schedules; rooms are added by those who may schedule in the studio's district.
 */
import { and, asc, count, eq, gte, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { districts, groupSessions, rooms, studios } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { facilitatorsOf, canEditAt, type Facilitator, type Viewer } from "./sessions.server";
import { utilisation, weekDates, type Utilisation } from "./schedule";
import { addDays, nextMonth, startOfLocalDate, utcToLocal } from "./time";

type Reader = Pick<Db, "select">;

export type StudioListRow = {
  id: number;
  nameZh: string;
  nameEn: string;
  address: string;
  capacity: number;
  districtId: number;
  districtZh: string;
  districtEn: string;
  rooms: number;
};

export type StudioListFilter = { districtId?: number; q?: string };

/** Active studios, paged, filtered by district and name in SQL, in district then name order. */
export function listScheduleStudios(db: Reader, filter: StudioListFilter, page: { limit: number; offset: number }): { rows: StudioListRow[]; total: number } {
  const parts = [eq(studios.active, true)];
  if (filter.districtId) parts.push(eq(studios.districtId, filter.districtId));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(or(sql`${studios.nameZh} LIKE ${pattern} ESCAPE '\\'`, sql`${studios.nameEn} LIKE ${pattern} ESCAPE '\\'`)!);
  }
  const where = and(...parts);
  const rows = db
    .select({
      id: studios.id,
      nameZh: studios.nameZh,
      nameEn: studios.nameEn,
      address: studios.address,
      capacity: studios.capacity,
      districtId: studios.districtId,
      districtZh: districts.nameZh,
      districtEn: districts.nameEn,
      rooms: sql<number>`(SELECT count(*) FROM rooms r WHERE r.studio_id = ${studios.id} AND r.active = 1)`,
    })
    .from(studios)
    .innerJoin(districts, eq(districts.id, studios.districtId))
    .where(where)
    .orderBy(asc(districts.code), asc(studios.nameZh), asc(studios.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  const total = db.select({ n: count() }).from(studios).where(where).get()?.n ?? 0;
  return { rows, total };
}

export type StudioInfo = typeof studios.$inferSelect & { districtZh: string; districtEn: string; rooms: (typeof rooms.$inferSelect)[] };

export function studioInfo(db: Reader, studioId: number): StudioInfo | null {
  const row = db
    .select({ studio: studios, districtZh: districts.nameZh, districtEn: districts.nameEn })
    .from(studios)
    .innerJoin(districts, eq(districts.id, studios.districtId))
    .where(eq(studios.id, studioId))
    .get();
  if (!row) return null;
  const studioRooms = db.select().from(rooms).where(and(eq(rooms.studioId, studioId), eq(rooms.active, true))).orderBy(asc(rooms.nameZh)).all();
  return { ...row.studio, districtZh: row.districtZh, districtEn: row.districtEn, rooms: studioRooms };
}

export type WeekSession = {
  id: number;
  groupId: number | null;
  topic: string;
  kind: string;
  status: "scheduled" | "cancelled" | "held";
  /** local date and times in the program's zone */
  date: string;
  startTime: string;
  endTime: string;
  roomId: number | null;
  capacity: number;
  facilitators: Facilitator[];
};

/** The sessions of a studio in the week beginning on a Monday (local), cancelled ones included. */
export function studioWeek(db: Reader, studioId: number, monday: string, timeZone: string): { days: string[]; sessions: WeekSession[] } {
  const from = startOfLocalDate(monday, timeZone).toISOString();
  const to = startOfLocalDate(addDays(monday, 7), timeZone).toISOString();
  const rows = db
    .select()
    .from(groupSessions)
    .where(and(eq(groupSessions.studioId, studioId), gte(groupSessions.startsAt, from), lt(groupSessions.startsAt, to)))
    .orderBy(asc(groupSessions.startsAt), asc(groupSessions.id))
    .all();
  const facilitators = facilitatorsOf(db, rows.map((r) => r.id));
  return {
    days: weekDates(monday),
    sessions: rows.map((r) => {
      const start = utcToLocal(r.startsAt, timeZone);
      const end = utcToLocal(r.endsAt, timeZone);
      return {
        id: r.id,
        groupId: r.groupId,
        topic: r.topic,
        kind: r.kind,
        status: r.status,
        date: start.slice(0, 10),
        startTime: start.slice(11),
        endTime: end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : "24:00",
        roomId: r.roomId,
        capacity: r.capacity,
        facilitators: facilitators.get(r.id) ?? [],
      };
    }),
  };
}

/**
 * Utilisation of a studio in a month "YYYY-MM": minutes of sessions that are scheduled or held
 * (not cancelled) starting in the month, ÷ the studio's opening minutes in the month, counted once
 * per active room (schedule.ts utilisation).
 */
export function studioUtilisation(db: Reader, studioId: number, month: string, timeZone: string): Utilisation | null {
  const studio = db.select({ openingHours: studios.openingHours }).from(studios).where(eq(studios.id, studioId)).get();
  if (!studio) return null;
  const from = startOfLocalDate(`${month}-01`, timeZone).toISOString();
  const to = startOfLocalDate(`${nextMonth(month)}-01`, timeZone).toISOString();
  const booked =
    db
      .select({
        minutes: sql<number>`coalesce(sum(round((julianday(${groupSessions.endsAt}) - julianday(${groupSessions.startsAt})) * 1440)), 0)`,
      })
      .from(groupSessions)
      .where(and(eq(groupSessions.studioId, studioId), ne(groupSessions.status, "cancelled"), gte(groupSessions.startsAt, from), lt(groupSessions.startsAt, to)))
      .get()?.minutes ?? 0;
  const roomCount = db.select({ n: count() }).from(rooms).where(and(eq(rooms.studioId, studioId), eq(rooms.active, true))).get()?.n ?? 0;
  return utilisation(studio.openingHours, month, Number(booked), roomCount);
}

/** Adds a room to a studio (edit:session in the studio's district). Audited. */
export function createRoom(db: Db, actor: Actor, viewer: Viewer, studioId: number, input: { nameZh: string; nameEn: string; capacity: number }): number {
  return db.transaction((tx) => {
    const studio = tx.select().from(studios).where(eq(studios.id, studioId)).get();
    if (!studio) throw new DomainError("form.unknownId");
    if (!canEditAt(viewer, studio.districtId)) throw new DomainError("sessions.error.studioOtherDistrict");
    if (input.capacity > studio.capacity) throw new DomainError(`sessions.error.capacityOverRoom?max=${studio.capacity}`, "capacity");
    const id = tx.insert(rooms).values({ studioId, nameZh: input.nameZh, nameEn: input.nameEn, capacity: input.capacity }).returning({ id: rooms.id }).get().id;
    recordAudit(tx, actor, { action: "create", entity: "room", entityId: id, details: { studioId, ...input } });
    return id;
  });
}
