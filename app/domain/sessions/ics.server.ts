/**
 * ICS feeds (RFC 5545) of sessions, generated with the `ics` library: per person (the sessions
 * they facilitate) and per studio.
 *
 * Each session is one VEVENT with a stable UID `session-<id>@tongban` and SEQUENCE = the session's
 * `sequence` (bumped on every change), so a calendar program replaces an event when it changes
 * instead of adding a second one. Cancelled sessions stay in the feed with STATUS:CANCELLED, so
 * subscribers see them removed. Times are UTC. A feed carries the session's topic, studio, room and
 * address only — never a client's alias or any registration.
 */
import { and, asc, eq, gte, inArray } from "drizzle-orm";
import { createEvents, type EventAttributes } from "ics";
import type { Db } from "#db/client";
import { groupSessions, rooms, sessionFacilitators, studios } from "#db/schema";

type Reader = Pick<Db, "select">;

/** How far back a feed reaches (days); later sessions are all included. */
export const FEED_PAST_DAYS = 90;

export const sessionUid = (sessionId: number) => `session-${sessionId}@tongban`;

type FeedRow = {
  id: number;
  topic: string;
  startsAt: string;
  endsAt: string;
  status: "scheduled" | "cancelled" | "held";
  sequence: number;
  studioZh: string;
  address: string;
  roomZh: string | null;
};

function feedRows(db: Reader, where: ReturnType<typeof and>): FeedRow[] {
  return db
    .select({
      id: groupSessions.id,
      topic: groupSessions.topic,
      startsAt: groupSessions.startsAt,
      endsAt: groupSessions.endsAt,
      status: groupSessions.status,
      sequence: groupSessions.sequence,
      studioZh: studios.nameZh,
      address: studios.address,
      roomZh: rooms.nameZh,
    })
    .from(groupSessions)
    .innerJoin(studios, eq(studios.id, groupSessions.studioId))
    .leftJoin(rooms, eq(rooms.id, groupSessions.roomId))
    .where(where)
    .orderBy(asc(groupSessions.startsAt), asc(groupSessions.id))
    .all();
}

const since = (now: Date) => new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000).toISOString();

/** The ICS text of the sessions a person facilitates. */
export function personFeed(db: Reader, personId: number, calName: string, now: Date = new Date()): string {
  const ids = db
    .select({ id: sessionFacilitators.sessionId })
    .from(sessionFacilitators)
    .where(eq(sessionFacilitators.personId, personId))
    .all()
    .map((r) => r.id);
  const rows = ids.length === 0 ? [] : feedRows(db, and(inArray(groupSessions.id, ids), gte(groupSessions.startsAt, since(now))));
  return toIcs(rows, calName);
}

/** The ICS text of a studio's sessions, or null for an unknown studio. */
export function studioFeed(db: Reader, studioId: number, now: Date = new Date()): string | null {
  const studio = db.select({ nameZh: studios.nameZh }).from(studios).where(eq(studios.id, studioId)).get();
  if (!studio) return null;
  return toIcs(feedRows(db, and(eq(groupSessions.studioId, studioId), gte(groupSessions.startsAt, since(now)))), studio.nameZh);
}

function toIcs(rows: FeedRow[], calName: string): string {
  const events: EventAttributes[] = rows.map((r) => ({
    uid: sessionUid(r.id),
    sequence: r.sequence,
    status: r.status === "cancelled" ? "CANCELLED" : "CONFIRMED",
    start: Date.parse(r.startsAt),
    startInputType: "utc",
    startOutputType: "utc",
    end: Date.parse(r.endsAt),
    endInputType: "utc",
    endOutputType: "utc",
    title: `${r.topic} · ${r.studioZh}`,
    location: [r.studioZh, r.roomZh, r.address].filter(Boolean).join(", "),
  }));
  const header = { productId: "-//Tongban//Group sessions//ZH", calName };
  const { error, value } = createEvents(events, header);
  if (error || !value) throw error ?? new Error("ics: no output");
  return value;
}

/** The HTTP answer for a feed: text/calendar, not cached by shared caches. */
export function icsResponse(body: string, filename: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Cache-Control": "private, max-age=300",
    },
  });
}
