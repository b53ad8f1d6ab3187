/**
 * Builders for the sessions area's test data: studios with chosen opening hours, rooms, sessions
 * (raw, to occupy people and rooms), registrations and the program's time zone. Every place and
 * person is fictional and named so. People come from tests/clients-factories.ts (makeSocialWorker,
 * makePeerTutor, makeCoordinator), shared by the areas.
 */
import { eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { groupSessions, rooms, sessionFacilitators, sessionRegistrations, settings, studios, type OpeningPeriod } from "#db/schema";
import { makeDistrict } from "./factories";

let seq = 0;
const next = () => ++seq;

/** Monday to Friday 09:00–17:00 (the default), or the given periods. */
export const WEEKDAYS_9_TO_5: OpeningPeriod[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: "09:00", closes: "17:00" }));
export const EVERY_DAY_8_TO_22: OpeningPeriod[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: "08:00", closes: "22:00" }));

export function makeScheduleStudio(options: { districtId?: number; openingHours?: OpeningPeriod[]; capacity?: number; active?: boolean } = {}) {
  const n = next();
  const districtId = options.districtId ?? makeDistrict().id;
  return getDb()
    .insert(studios)
    .values({
      districtId,
      nameZh: `测试同伴教育工作室${n}（虚构）`,
      nameEn: `Test Peer Studio ${n} (fictional)`,
      address: `虚构路${n}号`,
      capacity: options.capacity ?? 30,
      openingHours: options.openingHours ?? EVERY_DAY_8_TO_22,
      active: options.active ?? true,
    })
    .returning()
    .get();
}

export function makeRoom(studioId: number, capacity = 12) {
  const n = next();
  return getDb().insert(rooms).values({ studioId, nameZh: `测试活动室${n}`, nameEn: `Test Room ${n}`, capacity }).returning().get();
}

/** A session inserted raw (no checks), to occupy a facilitator or a room. Instants are UTC ISO strings. */
export function makeRawSession(options: {
  studioId: number;
  startsAt: string;
  endsAt: string;
  roomId?: number | null;
  facilitatorIds?: number[];
  status?: "scheduled" | "cancelled" | "held";
  topic?: string;
  groupId?: number | null;
  occurrence?: number | null;
}) {
  const db = getDb();
  const n = next();
  const session = db
    .insert(groupSessions)
    .values({
      studioId: options.studioId,
      roomId: options.roomId ?? null,
      topic: options.topic ?? `测试小组活动${n}（虚构）`,
      kind: "peerSupport",
      startsAt: options.startsAt,
      endsAt: options.endsAt,
      capacity: 10,
      status: options.status ?? "scheduled",
      groupId: options.groupId ?? null,
      occurrence: options.occurrence ?? null,
    })
    .returning()
    .get();
  for (const personId of options.facilitatorIds ?? []) db.insert(sessionFacilitators).values({ sessionId: session.id, personId }).run();
  return session;
}

export function registerClient(sessionId: number, clientId: number, status: "registered" | "waitlisted" = "registered") {
  return getDb().insert(sessionRegistrations).values({ sessionId, clientId, status }).returning().get();
}

/** Sets the program's time zone (raw settings row). */
export function useTimeZone(timeZone: string) {
  getDb()
    .insert(settings)
    .values({ key: "timeZone", value: timeZone })
    .onConflictDoUpdate({ target: settings.key, set: { value: timeZone } })
    .run();
}

export function sessionsOfGroup(groupId: number) {
  return getDb().select().from(groupSessions).where(eq(groupSessions.groupId, groupId)).orderBy(groupSessions.startsAt).all();
}

/** A group form as the browser posts it (strings; repeated fields as arrays). */
export function groupForm(studioId: number, facilitatorIds: number[], overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    intent: "save",
    studioId: String(studioId),
    roomId: "",
    topic: "测试同伴支持小组（虚构）",
    kind: "peerSupport",
    capacity: "10",
    startDate: "2027-01-04",
    startTime: "19:00",
    endTime: "20:30",
    frequency: "weekly",
    weekdays: ["2"],
    endKind: "count",
    count: "8",
    until: "",
    exceptionDates: "",
    facilitatorIds: facilitatorIds.map(String),
    ...overrides,
  };
}

/** A one-off session form as the browser posts it. */
export function sessionForm(studioId: number, facilitatorIds: number[], overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    intent: "save",
    studioId: String(studioId),
    roomId: "",
    topic: "测试心理教育讲座（虚构）",
    kind: "psychoEducation",
    capacity: "15",
    date: "2027-01-06",
    startTime: "14:00",
    endTime: "15:30",
    facilitatorIds: facilitatorIds.map(String),
    ...overrides,
  };
}
