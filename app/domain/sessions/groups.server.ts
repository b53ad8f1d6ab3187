/**
 * Peer-education groups (同伴教育小组): a standing group at a studio with a topic, a kind,
 * facilitators, a capacity and a recurrence. Creating a group expands its rule (recurrence.ts,
 * rrule) into sessions; every date is checked first and a refusal lists every conflicting date at
 * once, with nothing saved.
 *
 * Editing follows calendar programs:
 * - "only this one" changes one session (sessions.server.ts updateSession);
 * - "this and following" from session k splits the series: the old group's rule ends the day
 *   before k (UNTIL) and a new group starts at k with the new settings. The old group's sessions
 *   from k on move to the new group (same rows, so registrations follow them), paired in date
 *   order with the new series' dates: extra dates get new sessions; extra sessions are deleted,
 *   or cancelled (with notifications) when someone is registered or attendance was taken.
 *   Sessions already cancelled stay cancelled and their dates become exception dates of the new
 *   series. Earlier sessions are untouched. From the first session of a group, the group itself
 *   is changed instead of split. A held session after k refuses the edit (history is not rewritten).
 */
import { and, asc, count, eq, gte, inArray, lt, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { attendance, groupFacilitators, groupSessions, groups, persons, rooms, sessionFacilitators, sessionRegistrations, studios } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { checkSlots } from "./conflicts.server";
import { ConflictError, type Slot, type SlotProblem } from "./problems";
import { expandRule, planSeries, ruleEndingBefore, specOf, type Frequency, type Occurrence, type RecurrenceSpec } from "./recurrence";
import { notify, sessionAudience } from "./notifications.server";
import {
  canEditAt,
  insertSession,
  notifyCancelled,
  programTimeZone,
  resolvePlacement,
  setFacilitators,
  slotOn,
  type Facilitator,
  type Placement,
  type PlacementInput,
  type Tx,
  type Viewer,
} from "./sessions.server";
import { localDateOf, minutesOf, utcToLocal } from "./time";

type Reader = Pick<Db, "select" | "all">;

export type GroupRow = typeof groups.$inferSelect;

export type GroupInput = PlacementInput & {
  startDate: string;
  startTime: string;
  endTime: string;
  frequency: Frequency;
  weekdays: number[];
  endKind: "count" | "until";
  count: number | null;
  until: string | null;
  exceptionDates: string[];
};

export type GroupPlan = {
  placement: Placement;
  spec: RecurrenceSpec;
  rule: string;
  firstStartsLocal: string;
  durationMinutes: number;
  /** the dates that will become sessions, checked */
  slots: Slot[];
  /** dates removed by exception dates */
  excluded: Occurrence[];
  /** every problem with every date; empty when the series may be saved */
  problems: SlotProblem[];
};

export function specFrom(input: Pick<GroupInput, "frequency" | "weekdays" | "endKind" | "count" | "until">): RecurrenceSpec {
  return {
    frequency: input.frequency,
    weekdays: [...new Set(input.weekdays)].sort((a, b) => a - b),
    count: input.endKind === "count" ? input.count : null,
    until: input.endKind === "until" ? input.until : null,
  };
}

/**
 * Works out a series and checks every date. Bad fields throw DomainError (with the field); the
 * dates' conflicts come back in `problems`. A read: the preview uses it as it is.
 */
export function planGroup(db: Reader, viewer: Viewer, input: GroupInput, options: { excludeSessionIds?: number[]; keepKind?: string } = {}): GroupPlan {
  const placement = resolvePlacement(db, viewer, input, options.keepKind);
  if (input.endTime !== "24:00" && input.endTime <= input.startTime) throw new DomainError("sessions.error.endBeforeStart", "endTime");
  const spec = specFrom(input);
  const series = planSeries(spec, input.startDate, input.startTime, input.exceptionDates);
  if (!series.ok) {
    const first = series.problems[0]!;
    throw new DomainError(first.key, first.field);
  }
  const timeZone = programTimeZone(db);
  const problems: SlotProblem[] = [];
  const slots: Slot[] = [];
  for (const o of series.expansion.occurrences) {
    const r = slotOn(o.index, o.local.slice(0, 10), input.startTime, input.endTime, timeZone);
    if (r.ok) slots.push(r.slot);
    else problems.push({ index: o.index, local: o.local, key: r.key.replace("sessions.error.", "sessions.conflict.") });
  }
  problems.push(
    ...checkSlots(db, {
      studio: placement.studio,
      roomId: placement.room?.id ?? null,
      facilitatorIds: input.facilitatorIds,
      slots,
      excludeSessionIds: options.excludeSessionIds,
      timeZone,
    }),
  );
  problems.sort((a, b) => a.local.localeCompare(b.local));
  const durationMinutes = (input.endTime === "24:00" ? 24 * 60 : minutesOf(input.endTime)) - minutesOf(input.startTime);
  return { placement, spec, rule: series.rule, firstStartsLocal: series.firstStartsLocal, durationMinutes, slots, excluded: series.expansion.excluded, problems };
}

function insertGroup(tx: Tx, actor: Actor, plan: GroupPlan, exceptionDates: string[]): number {
  const p = plan.placement;
  const id = tx
    .insert(groups)
    .values({
      studioId: p.studio.id,
      roomId: p.room?.id ?? null,
      topic: p.topic,
      kind: p.kind,
      capacity: p.capacity,
      recurrence: plan.rule,
      firstStartsLocal: plan.firstStartsLocal,
      durationMinutes: plan.durationMinutes,
      exceptionDates,
      createdByUserId: actor.userId,
    })
    .returning({ id: groups.id })
    .get().id;
  setGroupFacilitators(tx, id, p.facilitatorIds);
  return id;
}

function setGroupFacilitators(tx: Tx, groupId: number, personIds: readonly number[]): void {
  tx.delete(groupFacilitators).where(eq(groupFacilitators.groupId, groupId)).run();
  if (personIds.length > 0) tx.insert(groupFacilitators).values(personIds.map((personId) => ({ groupId, personId }))).run();
}

/** Creates a group and all its sessions, or nothing: conflicts throw ConflictError listing every date. */
export function createGroup(db: Db, actor: Actor, viewer: Viewer, input: GroupInput): { groupId: number; sessionIds: number[] } {
  return db.transaction((tx) => {
    const plan = planGroup(tx, viewer, input);
    if (plan.problems.length > 0) throw new ConflictError(plan.problems);
    const groupId = insertGroup(tx, actor, plan, input.exceptionDates);
    const sessionIds = plan.slots.map((slot) =>
      insertSession(tx, { groupId, occurrence: slot.index, placement: plan.placement, slot, createdByUserId: actor.userId }),
    );
    recordAudit(tx, actor, {
      action: "create",
      entity: "group",
      entityId: groupId,
      details: {
        studioId: plan.placement.studio.id,
        topic: input.topic,
        recurrence: plan.rule,
        firstStartsLocal: plan.firstStartsLocal,
        exceptionDates: input.exceptionDates,
        facilitatorIds: input.facilitatorIds,
        sessions: sessionIds.length,
      },
    });
    return { groupId, sessionIds };
  });
}

export type FollowingResult = { groupId: number; split: boolean; moved: number; added: number; removed: number; cancelled: number };

/** Reason recorded on a session cancelled because its series was shortened (a message key, shown translated). */
export const SERIES_CHANGED_REASON = "sessions.reason.seriesChanged";

/**
 * "This and following": changes the series from one of its sessions on (see the header comment).
 * Checks every new date first; conflicts throw ConflictError and nothing changes.
 */
/** The checks and the new plan of a "this and following" edit, shared by its preview and the edit itself. */
function prepareFollowing(tx: Reader, viewer: Viewer, groupId: number, fromSessionId: number, input: GroupInput) {
  const group = tx.select().from(groups).where(eq(groups.id, groupId)).get();
  if (!group) throw new DomainError("form.unknownId");
  const studio = tx.select({ districtId: studios.districtId }).from(studios).where(eq(studios.id, group.studioId)).get();
  if (!studio || !canEditAt(viewer, studio.districtId)) throw new DomainError("sessions.error.studioOtherDistrict", "studioId");
  const from = tx
    .select()
    .from(groupSessions)
    .where(and(eq(groupSessions.id, fromSessionId), eq(groupSessions.groupId, groupId)))
    .get();
  if (!from || from.occurrence === null) throw new DomainError("form.unknownId", "fromSessionId");
  if (from.status !== "scheduled") throw new DomainError("sessions.error.notScheduled", "fromSessionId");
  const timeZone = programTimeZone(tx);
  const splitDate = localDateOf(from.startsAt, timeZone);

  const later = tx
    .select()
    .from(groupSessions)
    .where(and(eq(groupSessions.groupId, groupId), gte(groupSessions.startsAt, from.startsAt)))
    .orderBy(asc(groupSessions.startsAt), asc(groupSessions.id))
    .all();
  if (later.some((s) => s.status === "held")) throw new DomainError("sessions.error.heldLater", "fromSessionId");
  const movable = later.filter((s) => s.status === "scheduled");
  const cancelledLater = later.filter((s) => s.status === "cancelled");
  const earlier = tx
    .select({ n: count() })
    .from(groupSessions)
    .where(and(eq(groupSessions.groupId, groupId), lt(groupSessions.startsAt, from.startsAt)))
    .get()!.n;

  const exceptionDates = [
    ...new Set([...input.exceptionDates, ...group.exceptionDates.filter((d) => d >= splitDate), ...cancelledLater.map((s) => localDateOf(s.startsAt, timeZone))]),
  ].sort();
  const plan = planGroup(tx, viewer, { ...input, exceptionDates }, { excludeSessionIds: movable.map((s) => s.id), keepKind: group.kind });
  return { group, from, timeZone, splitDate, movable, cancelledLater, earlier, exceptionDates, plan };
}

/** What a "this and following" edit would do, without doing it: the new dates and every conflict. */
export function previewGroupFrom(db: Reader, viewer: Viewer, groupId: number, fromSessionId: number, input: GroupInput): GroupPlan {
  return prepareFollowing(db, viewer, groupId, fromSessionId, input).plan;
}

export function editGroupFrom(db: Db, actor: Actor, viewer: Viewer, groupId: number, fromSessionId: number, input: GroupInput): FollowingResult {
  return db.transaction((tx) => {
    const { group, from, timeZone, splitDate, movable, cancelledLater, earlier, exceptionDates, plan } = prepareFollowing(tx, viewer, groupId, fromSessionId, input);
    if (plan.problems.length > 0) throw new ConflictError(plan.problems);

    const now = new Date().toISOString();
    const split = earlier > 0;
    let targetId = groupId;
    if (split) {
      tx.update(groups)
        .set({ recurrence: ruleEndingBefore(group.recurrence, splitDate), exceptionDates: group.exceptionDates.filter((d) => d < splitDate), updatedAt: now })
        .where(eq(groups.id, groupId))
        .run();
      targetId = insertGroup(tx, actor, plan, exceptionDates);
    } else {
      const p = plan.placement;
      tx.update(groups)
        .set({
          studioId: p.studio.id,
          roomId: p.room?.id ?? null,
          topic: p.topic,
          kind: p.kind,
          capacity: p.capacity,
          recurrence: plan.rule,
          firstStartsLocal: plan.firstStartsLocal,
          durationMinutes: plan.durationMinutes,
          exceptionDates,
          updatedAt: now,
        })
        .where(eq(groups.id, groupId))
        .run();
      setGroupFacilitators(tx, groupId, p.facilitatorIds);
    }

    // the scheduled sessions from k on take the new dates in order
    const p = plan.placement;
    const audienceBefore = movable.flatMap((s) => sessionAudience(tx, s.id));
    let moved = 0;
    movable.forEach((s, i) => {
      const slot = plan.slots[i];
      if (!slot) return;
      tx.update(groupSessions)
        .set({
          groupId: targetId,
          occurrence: slot.index,
          studioId: p.studio.id,
          roomId: p.room?.id ?? null,
          topic: p.topic,
          kind: p.kind,
          capacity: p.capacity,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          sequence: s.sequence + 1,
          updatedAt: now,
        })
        .where(eq(groupSessions.id, s.id))
        .run();
      setFacilitators(tx, s.id, p.facilitatorIds);
      moved += 1;
    });
    const added = plan.slots.slice(movable.length).map((slot) =>
      insertSession(tx, { groupId: targetId, occurrence: slot.index, placement: p, slot, createdByUserId: actor.userId }),
    ).length;

    // those involved before or after hear once that the series changed from this session on
    if (moved > 0) {
      const after = movable.slice(0, plan.slots.length).flatMap((s) => sessionAudience(tx, s.id));
      const audience = [...new Set([...audienceBefore, ...after])].filter((id) => id !== actor.userId);
      notify(tx, audience, {
        kind: "sessionChanged",
        messageKey: "sessions.notice.seriesChanged",
        params: { topic: p.topic, startsAt: plan.slots[0]!.startsAt },
        link: `/groups/${targetId}`,
      });
    }

    // sessions left over: deleted when nobody depends on them, else cancelled with notice
    let removed = 0;
    let cancelled = 0;
    for (const s of movable.slice(plan.slots.length)) {
      if (hasPeople(tx, s.id)) {
        tx.update(groupSessions)
          .set({ groupId: targetId, occurrence: null, status: "cancelled", cancelReason: SERIES_CHANGED_REASON, sequence: s.sequence + 1, updatedAt: now })
          .where(eq(groupSessions.id, s.id))
          .run();
        notifyCancelled(tx, actor, s, SERIES_CHANGED_REASON);
        cancelled += 1;
      } else {
        tx.delete(sessionFacilitators).where(eq(sessionFacilitators.sessionId, s.id)).run();
        tx.delete(groupSessions).where(eq(groupSessions.id, s.id)).run();
        removed += 1;
      }
    }

    // sessions cancelled before stay cancelled, numbered by the new series when their date is in it
    const excludedByDate = new Map(plan.excluded.map((o) => [o.local.slice(0, 10), o.index]));
    for (const s of cancelledLater) {
      tx.update(groupSessions)
        .set({ groupId: targetId, occurrence: excludedByDate.get(localDateOf(s.startsAt, timeZone)) ?? null, updatedAt: now })
        .where(eq(groupSessions.id, s.id))
        .run();
    }

    const result = { groupId: targetId, split, moved, added, removed, cancelled };
    recordAudit(tx, actor, {
      action: "editFollowing",
      entity: "group",
      entityId: groupId,
      details: { fromSessionId, fromOccurrence: from.occurrence, recurrence: plan.rule, firstStartsLocal: plan.firstStartsLocal, facilitatorIds: input.facilitatorIds, ...result },
    });
    return result;
  });
}

function hasPeople(db: Reader, sessionId: number): boolean {
  const registered = db
    .select({ id: sessionRegistrations.id })
    .from(sessionRegistrations)
    .where(and(eq(sessionRegistrations.sessionId, sessionId), ne(sessionRegistrations.status, "cancelled")))
    .get();
  const attended = db.select({ id: attendance.id }).from(attendance).where(eq(attendance.sessionId, sessionId)).get();
  return Boolean(registered || attended);
}

// ---------------------------------------------------------------------------------------------
// Reading

export type GroupSessionLine = {
  id: number;
  occurrence: number | null;
  startsAt: string;
  endsAt: string;
  status: "scheduled" | "cancelled" | "held";
  /** changed on its own ("only this one"): its time differs from the rule's date for its number */
  detached: boolean;
};

export type GroupDetail = {
  group: GroupRow;
  spec: RecurrenceSpec | null;
  studio: { id: number; nameZh: string; nameEn: string; districtId: number };
  room: { id: number; nameZh: string; nameEn: string } | null;
  facilitators: Facilitator[];
  sessions: GroupSessionLine[];
  startTime: string;
  endTime: string;
};

/** A group with its sessions in date order, for its page. */
export function groupDetail(db: Reader, groupId: number, timeZone: string): GroupDetail | null {
  const row = db
    .select({ group: groups, studioZh: studios.nameZh, studioEn: studios.nameEn, districtId: studios.districtId, roomZh: rooms.nameZh, roomEn: rooms.nameEn })
    .from(groups)
    .innerJoin(studios, eq(studios.id, groups.studioId))
    .leftJoin(rooms, eq(rooms.id, groups.roomId))
    .where(eq(groups.id, groupId))
    .get();
  if (!row) return null;
  const g = row.group;
  const sessions = db
    .select({ id: groupSessions.id, occurrence: groupSessions.occurrence, startsAt: groupSessions.startsAt, endsAt: groupSessions.endsAt, status: groupSessions.status })
    .from(groupSessions)
    .where(eq(groupSessions.groupId, groupId))
    .orderBy(asc(groupSessions.startsAt), asc(groupSessions.id))
    .all();
  const expected = new Map(expandRule(g.recurrence, g.firstStartsLocal).occurrences.map((o) => [o.index, o.local]));
  const facilitators = db
    .select({ personId: persons.id, name: persons.displayName })
    .from(groupFacilitators)
    .innerJoin(persons, eq(persons.id, groupFacilitators.personId))
    .where(eq(groupFacilitators.groupId, groupId))
    .orderBy(asc(persons.displayName))
    .all();
  const startTime = g.firstStartsLocal.slice(11, 16);
  const endMinutes = minutesOf(startTime) + g.durationMinutes;
  return {
    group: g,
    spec: specOf(g.recurrence),
    studio: { id: g.studioId, nameZh: row.studioZh, nameEn: row.studioEn, districtId: row.districtId },
    room: g.roomId !== null && row.roomZh !== null ? { id: g.roomId, nameZh: row.roomZh, nameEn: row.roomEn! } : null,
    facilitators,
    sessions: sessions.map((s) => ({ ...s, detached: isDetached(s, expected, g.durationMinutes, timeZone) })),
    startTime,
    endTime: endMinutes >= 24 * 60 ? "24:00" : `${String(Math.floor(endMinutes / 60)).padStart(2, "0")}:${String(endMinutes % 60).padStart(2, "0")}`,
  };
}

function isDetached(s: { occurrence: number | null; startsAt: string; endsAt: string }, expected: Map<number, string>, durationMinutes: number, timeZone: string): boolean {
  if (s.occurrence === null) return true;
  const local = expected.get(s.occurrence);
  if (!local || utcToLocal(s.startsAt, timeZone) !== local) return true;
  return Math.round((Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60000) !== durationMinutes;
}

/** The form values a "this and following" edit from a session starts with: the series as it is, from that date. */
export function followingDefaults(detail: GroupDetail, fromSessionId: number, timeZone: string): Record<string, string> | null {
  const from = detail.sessions.find((s) => s.id === fromSessionId);
  if (!from || from.occurrence === null) return null;
  const g = detail.group;
  const spec = detail.spec;
  const remaining = spec?.count != null ? Math.max(1, spec.count - (from.occurrence - 1)) : null;
  const fromDate = localDateOf(from.startsAt, timeZone);
  return {
    studioId: String(g.studioId),
    roomId: g.roomId === null ? "" : String(g.roomId),
    topic: g.topic,
    kind: g.kind,
    capacity: String(g.capacity),
    startDate: fromDate,
    startTime: detail.startTime,
    endTime: detail.endTime,
    frequency: spec?.frequency ?? "weekly",
    weekdays: (spec?.weekdays ?? []).join(","),
    endKind: spec?.until ? "until" : "count",
    count: remaining === null ? "" : String(remaining),
    until: spec?.until ?? "",
    exceptionDates: g.exceptionDates.filter((d) => d >= fromDate).join(", "),
    facilitatorIds: detail.facilitators.map((f) => f.personId).join(","),
    fromSessionId: String(fromSessionId),
  };
}

export type GroupListRow = {
  id: number;
  topic: string;
  kind: string;
  capacity: number;
  status: GroupRow["status"];
  recurrence: string;
  firstStartsLocal: string;
  durationMinutes: number;
  nextStartsAt: string | null;
  facilitators: Facilitator[];
};

/**
 * The groups that meet at a studio (those with a scheduled session from `fromIso` on), with their
 * next session. A split series shows as its newest part.
 */
export function groupsAtStudio(db: Reader, studioId: number, fromIso: string): GroupListRow[] {
  const rows = db
    .select({
      id: groups.id,
      topic: groups.topic,
      kind: groups.kind,
      capacity: groups.capacity,
      status: groups.status,
      recurrence: groups.recurrence,
      firstStartsLocal: groups.firstStartsLocal,
      durationMinutes: groups.durationMinutes,
      nextStartsAt: sql<string | null>`(SELECT min(gs.starts_at) FROM group_sessions gs WHERE gs.group_id = ${groups.id} AND gs.status = 'scheduled' AND gs.starts_at >= ${fromIso})`,
    })
    .from(groups)
    .where(
      and(
        eq(groups.studioId, studioId),
        eq(groups.status, "active"),
        sql`EXISTS (SELECT 1 FROM group_sessions gs WHERE gs.group_id = ${groups.id} AND gs.status = 'scheduled' AND gs.starts_at >= ${fromIso})`,
      ),
    )
    .orderBy(asc(groups.topic), asc(groups.id))
    .all();
  const facilitators = groupFacilitatorsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, facilitators: facilitators.get(r.id) ?? [] }));
}

function groupFacilitatorsOf(db: Reader, groupIds: number[]): Map<number, Facilitator[]> {
  const out = new Map<number, Facilitator[]>();
  if (groupIds.length === 0) return out;
  for (const r of db
    .select({ groupId: groupFacilitators.groupId, personId: persons.id, name: persons.displayName })
    .from(groupFacilitators)
    .innerJoin(persons, eq(persons.id, groupFacilitators.personId))
    .where(inArray(groupFacilitators.groupId, groupIds))
    .orderBy(asc(persons.displayName))
    .all()) {
    const list = out.get(r.groupId) ?? [];
    list.push({ personId: r.personId, name: r.name });
    out.set(r.groupId, list);
  }
  return out;
}
