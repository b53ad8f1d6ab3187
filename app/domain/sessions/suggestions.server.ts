/**
 * Facilitator suggestions: when a coordinator picks facilitators, the people who could lead the
 * session — active social workers of the studio's district (the people area's one rule,
 * activeSocialWorkerSql) and its active peer tutors — who are free at every chosen time, least-loaded in the month first,
 * with their load (sessions facilitated that month, cancelled ones not counted).
 *
 * Candidates, load and "free" are worked out in one SQL query. Peer tutors are then asked the
 * training area's one "may practise" rule for each date (a handful of rows: the district's
 * active tutors), so the rule is not copied into SQL.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { studios } from "#db/schema";
import { mayPractise } from "~/domain/training/practise";
import { practiseFacts } from "~/domain/training/practise.server";
import { activeSocialWorkerSql } from "~/domain/people/staff.server";
import { DomainError } from "~/domain/shared/errors";
import { specFrom, type GroupInput } from "./groups.server";
import { planSeries } from "./recurrence";
import { canEditAt, programTimeZone, slotOn, type Viewer } from "./sessions.server";
import { nextMonth, startOfLocalDate } from "./time";

type Reader = Pick<Db, "select" | "all">;

export type Suggestion = {
  personId: number;
  name: string;
  role: "socialWorker" | "peerTutor";
  /** sessions facilitated in the month (not cancelled) */
  load: number;
};

export type SuggestionQuery = {
  studioId: number;
  /** the times the session or series would take; none: anyone eligible */
  slots: readonly { startsAt: string; endsAt: string }[];
  /** "YYYY-MM", the month whose load counts */
  month: string;
  /** local dates on which a peer tutor must be allowed to practise */
  dates: readonly string[];
  timeZone: string;
  /** sessions being replaced (an edit): their facilitators are not busy because of them */
  excludeSessionIds?: readonly number[];
  /** at most this many of each role (social workers, peer tutors); default 10 */
  limit?: number;
};

const DAY_MS = 24 * 3600_000;

/** Eligible, free people of the studio's district, least-loaded first (then by name), at most `limit` of each role. */
export function suggestFacilitators(db: Reader, q: SuggestionQuery): Suggestion[] {
  const studio = db.select({ districtId: studios.districtId }).from(studios).where(eq(studios.id, q.studioId)).get();
  if (!studio) return [];
  const d = studio.districtId;
  const monthFrom = startOfLocalDate(`${q.month}-01`, q.timeZone).toISOString();
  const monthTo = startOfLocalDate(`${nextMonth(q.month)}-01`, q.timeZone).toISOString();
  const exclude = q.excludeSessionIds?.length ? sql`AND gs.id NOT IN (${sql.join(q.excludeSessionIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const busy = q.slots.length
    ? sql`EXISTS (
        WITH slots(s, e, lo) AS (VALUES ${sql.join(
          q.slots.map((s) => sql`(${s.startsAt}, ${s.endsAt}, ${new Date(Date.parse(s.startsAt) - DAY_MS).toISOString()})`),
          sql`, `,
        )})
        SELECT 1 FROM slots
        JOIN group_sessions gs ON gs.starts_at < slots.e AND gs.starts_at >= slots.lo AND gs.ends_at > slots.s AND gs.status != 'cancelled'
        JOIN session_facilitators sf ON sf.session_id = gs.id AND sf.person_id = c.person_id
        WHERE 1 = 1 ${exclude})`
    : sql`0`;
  const rows = db.all<{ personId: number; role: "socialWorker" | "peerTutor"; name: string; load: number }>(sql`
    WITH sw(person_id) AS (
      SELECT sp.person_id FROM staff_profiles sp WHERE sp.kind = 'social_worker' AND sp.district_id = ${d}
      UNION
      SELECT u.person_id FROM users u JOIN user_roles ur ON ur.user_id = u.id
        WHERE ur.role = 'social_worker' AND u.person_id IS NOT NULL
    ),
    cand(person_id, role) AS (
      SELECT sw.person_id, 'socialWorker' FROM sw WHERE ${activeSocialWorkerSql(sql`sw.person_id`, d)}
      UNION
      SELECT pt.person_id, 'peerTutor' FROM peer_tutors pt WHERE pt.district_id = ${d} AND pt.status = 'active'
    )
    SELECT c.person_id AS personId, max(c.role) AS role, p.display_name AS name,
      (SELECT count(*) FROM session_facilitators sf JOIN group_sessions gs ON gs.id = sf.session_id
        WHERE sf.person_id = c.person_id AND gs.status != 'cancelled' AND gs.starts_at >= ${monthFrom} AND gs.starts_at < ${monthTo}) AS load
    FROM cand c JOIN persons p ON p.id = c.person_id
    WHERE NOT ${busy}
    GROUP BY c.person_id
    ORDER BY load ASC, p.display_name ASC, c.person_id ASC`);
  // each role gets its own places: a district's dozens of social workers must not crowd out its
  // handful of peer tutors (a group is usually led by one of each)
  const perRole = q.limit ?? 10;
  const taken = { socialWorker: 0, peerTutor: 0 };
  const out: Suggestion[] = [];
  for (const r of rows) {
    if (taken[r.role] >= perRole) continue;
    if (r.role === "peerTutor") {
      const facts = practiseFacts(db, r.personId);
      if (!q.dates.every((date) => mayPractise(facts, date))) continue;
    }
    out.push(r);
    taken[r.role]++;
    if (taken.socialWorker >= perRole && taken.peerTutor >= perRole) break;
  }
  return out;
}

export type SuggestionList = { month: string; people: Suggestion[] };

function studioToSchedule(db: Reader, viewer: Viewer, studioId: number) {
  const studio = db.select({ id: studios.id, districtId: studios.districtId }).from(studios).where(eq(studios.id, studioId)).get();
  if (!studio) throw new DomainError("form.unknownId", "studioId");
  if (!canEditAt(viewer, studio.districtId)) throw new DomainError("sessions.error.studioOtherDistrict", "studioId");
  return studio;
}

/** Suggestions for a one-off session (or one session being changed). Bad input throws DomainError. */
export function suggestForSession(
  db: Reader,
  viewer: Viewer,
  input: { studioId: number; date: string; startTime: string; endTime: string; excludeSessionIds?: number[] },
): SuggestionList {
  studioToSchedule(db, viewer, input.studioId);
  const timeZone = programTimeZone(db as Pick<Db, "select">);
  const r = slotOn(null, input.date, input.startTime, input.endTime, timeZone);
  if (!r.ok) throw new DomainError(r.key, r.field);
  const month = input.date.slice(0, 7);
  return {
    month,
    people: suggestFacilitators(db, { studioId: input.studioId, slots: [r.slot], month, dates: [input.date], timeZone, excludeSessionIds: input.excludeSessionIds }),
  };
}

/** Suggestions for a series: free at every date of it, allowed to practise on every date. */
export function suggestForGroup(
  db: Reader,
  viewer: Viewer,
  input: Pick<GroupInput, "studioId" | "startDate" | "startTime" | "endTime" | "frequency" | "weekdays" | "endKind" | "count" | "until" | "exceptionDates"> & {
    excludeSessionIds?: number[];
  },
): SuggestionList {
  studioToSchedule(db, viewer, input.studioId);
  const series = planSeries(specFrom(input), input.startDate, input.startTime, input.exceptionDates);
  if (!series.ok) {
    const first = series.problems[0]!;
    throw new DomainError(first.key, first.field);
  }
  const timeZone = programTimeZone(db as Pick<Db, "select">);
  const slots = series.expansion.occurrences.flatMap((o) => {
    const r = slotOn(o.index, o.local.slice(0, 10), input.startTime, input.endTime, timeZone);
    return r.ok ? [r.slot] : [];
  });
  const month = series.firstStartsLocal.slice(0, 7);
  const dates = series.expansion.occurrences.map((o) => o.local.slice(0, 10));
  return { month, people: suggestFacilitators(db, { studioId: input.studioId, slots, month, dates, timeZone, excludeSessionIds: input.excludeSessionIds }) };
}
