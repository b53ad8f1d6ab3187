/**
 * The scheduling rules (DESIGN.md §3 invariants), checked for every date of a session or series
 * before anything is saved, so a refusal lists every conflicting date at once:
 * - a facilitator cannot be in two overlapping sessions;
 * - a room (or a studio without rooms) cannot hold two overlapping sessions;
 * - a session lies within the studio's opening hours;
 * - a facilitator is an active social worker, or a peer tutor who may practise on that date
 *   (the training area's one rule, mayPractise).
 *
 * Overlap is `starts_at < other.ends_at AND ends_at > other.starts_at`, cancelled sessions
 * excluded, worked out in SQL for all dates in one query (a VALUES table of the candidate slots).
 * A session ends on the day it starts, so only sessions starting in the 24 hours before a slot can
 * reach into it: that bound lets the starts_at indexes do the work.
 */
import { inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { persons } from "#db/schema";
import type { OpeningPeriod } from "#db/schema/organisation";
import { msg } from "~/domain/shared/fields";
// the training area's one "may practise" rule, imported directly as the clients area does (the
// training index re-exports many server modules and is being extended concurrently)
import { mayPractise, practiseStanding, type PractiseFacts } from "~/domain/training/practise";
import { practiseFacts } from "~/domain/training/practise.server";
import type { Slot, SlotProblem } from "./problems";
import { withinOpeningHours } from "./schedule";
import { activeSocialWorkerIds } from "~/domain/people/staff.server";
import { localTimeOf } from "./time";

type Reader = Pick<Db, "select" | "all">;

const DAY_MS = 24 * 3600_000;

function slotTable(slots: readonly Slot[]) {
  return sql.join(
    slots.map((s, i) => sql`(${i}, ${s.startsAt}, ${s.endsAt}, ${new Date(Date.parse(s.startsAt) - DAY_MS).toISOString()})`),
    sql`, `,
  );
}

function excluding(ids: readonly number[]) {
  return ids.length ? sql`AND gs.id NOT IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql``;
}

export type FacilitatorFacts = { personId: number; name: string; socialWorker: boolean; tutor: PractiseFacts };

/** Names and standing of the people named as facilitators; unknown ids are left out. */
export function facilitatorFacts(db: Reader, personIds: readonly number[]): Map<number, FacilitatorFacts> {
  const out = new Map<number, FacilitatorFacts>();
  if (personIds.length === 0) return out;
  const rows = db.select({ id: persons.id, name: persons.displayName }).from(persons).where(inArray(persons.id, [...personIds])).all();
  const socialWorkers = activeSocialWorkerIds(db, personIds);
  for (const r of rows) {
    out.set(r.id, { personId: r.id, name: r.name, socialWorker: socialWorkers.has(r.id), tutor: practiseFacts(db, r.id) });
  }
  return out;
}

/** Whether a person may facilitate on a local date, and if not the message key saying why. */
export function eligibilityProblem(f: FacilitatorFacts, date: string): string | null {
  if (f.socialWorker || mayPractise(f.tutor, date)) return null;
  return msg(`sessions.conflict.notEligible.${practiseStanding(f.tutor, date)}`, { name: f.name });
}

export type CheckInput = {
  studio: { id: number; openingHours: OpeningPeriod[] };
  roomId: number | null;
  facilitatorIds: readonly number[];
  slots: readonly Slot[];
  /** sessions being replaced by these slots (an edit): they do not conflict with themselves */
  excludeSessionIds?: readonly number[];
  timeZone: string;
};

/** Every problem with every slot; an empty list means the session or series may be saved. */
export function checkSlots(db: Reader, input: CheckInput): SlotProblem[] {
  const { slots, timeZone } = input;
  const problems: SlotProblem[] = [];
  if (slots.length === 0) return problems;
  const at = (i: number) => slots[i]!;
  const add = (i: number, key: string) => problems.push({ index: at(i).index, local: at(i).local, key });

  // opening hours
  slots.forEach((s, i) => {
    if (!withinOpeningHours(input.studio.openingHours, s.local, s.localEnd)) add(i, "sessions.conflict.outsideHours");
  });

  // facilitators' standing, date by date (a certificate may expire part way through a series)
  const facts = facilitatorFacts(db, input.facilitatorIds);
  for (const f of facts.values()) {
    slots.forEach((s, i) => {
      const problem = eligibilityProblem(f, s.local.slice(0, 10));
      if (problem) add(i, problem);
    });
  }

  const exclude = excluding(input.excludeSessionIds ?? []);
  const table = slotTable(slots);
  const timeRange = (from: string, to: string) => `${localTimeOf(from, timeZone)}–${localTimeOf(to, timeZone)}`;

  // a facilitator in two overlapping sessions
  if (input.facilitatorIds.length > 0) {
    const busy = db.all<{ idx: number; personId: number; topic: string; startsAt: string; endsAt: string }>(sql`
      WITH slots(idx, s, e, lo) AS (VALUES ${table})
      SELECT slots.idx AS idx, sf.person_id AS personId, gs.topic AS topic, gs.starts_at AS startsAt, gs.ends_at AS endsAt
      FROM slots
      JOIN group_sessions gs ON gs.starts_at < slots.e AND gs.starts_at >= slots.lo AND gs.ends_at > slots.s AND gs.status != 'cancelled'
      JOIN session_facilitators sf ON sf.session_id = gs.id
      WHERE sf.person_id IN (${sql.join(input.facilitatorIds.map((id) => sql`${id}`), sql`, `)}) ${exclude}
      ORDER BY slots.idx, gs.starts_at`);
    for (const b of busy) {
      const name = facts.get(b.personId)?.name ?? String(b.personId);
      add(b.idx, msg("sessions.conflict.facilitatorBusy", { name, topic: b.topic, time: timeRange(b.startsAt, b.endsAt) }));
    }
  }

  // two overlapping sessions in the same room; a session without a room takes the whole studio
  const roomBusy = db.all<{ idx: number; topic: string; startsAt: string; endsAt: string }>(sql`
    WITH slots(idx, s, e, lo) AS (VALUES ${table})
    SELECT slots.idx AS idx, gs.topic AS topic, gs.starts_at AS startsAt, gs.ends_at AS endsAt
    FROM slots
    JOIN group_sessions gs ON gs.studio_id = ${input.studio.id}
      AND gs.starts_at < slots.e AND gs.starts_at >= slots.lo AND gs.ends_at > slots.s AND gs.status != 'cancelled'
    WHERE (${input.roomId} IS NULL OR gs.room_id IS NULL OR gs.room_id = ${input.roomId}) ${exclude}
    ORDER BY slots.idx, gs.starts_at`);
  for (const b of roomBusy) {
    add(b.idx, msg(input.roomId === null ? "sessions.conflict.studioBusy" : "sessions.conflict.roomBusy", { topic: b.topic, time: timeRange(b.startsAt, b.endsAt) }));
  }

  return problems.sort((a, b) => a.local.localeCompare(b.local));
}
