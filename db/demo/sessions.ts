/**
 * Demo peer-education groups and group sessions at every studio: standing groups (the kinds of the
 * sessionKinds setting) that meet weekly or fortnightly in terms of 6–12 meetings, one term after
 * another in the same weekly slot; a history of held sessions with registrations and attendance,
 * a few cancelled with a reason, a few recent ones whose attendance is not taken yet, and the
 * upcoming terms (at least `weeksAhead` weeks) scheduled, with one full session and a waitlist.
 *
 * Every rule the app enforces holds, by construction rather than by checking each row:
 * - a session lies inside its studio's opening hours (slots are cut from them);
 * - no room is double-booked: slots of one room (a studio without rooms is one space) never
 *   overlap, so neither do their terms; a studio with rooms puts every session in a room;
 * - no facilitator is double-booked: a person facilitates only at their district's studio, and a
 *   studio's people are split into one disjoint pool per room, while the slots of a room never
 *   overlap; the demo logins and the anchor tutor serve only in their pinned slots;
 * - facilitators are active social workers of the district (people area's one rule,
 *   activeSocialWorkerIds) hired before the term, or peer tutors who may practise on every date of
 *   the term (training area's one rule, practiseFacts + mayPractise);
 * - registrations never exceed the capacity (a group's members are at most its capacity; the
 *   waitlist holds the rest), members are active clients of the studio's district with a consent
 *   given before the term; attendance is taken only for registered clients.
 *
 * Pinned slots make the demo logins' calendars real: `tutor` (with `socialworker`) and `tutor2`
 * run weekly groups without breaks, so they facilitate this week and next whatever `today` is;
 * `coordinator` sees Huangpu's and Xuhui's studios. An anchor slot at Xuhui (Wednesday 14:00–15:30,
 * room 1, one peer tutor who has no login) and a free room 2 on Wednesdays there give the
 * Playwright journey a double-booked tutor to run into.
 *
 * Linear and cheap: one rrule expansion per term, prepared inserts in one transaction, no query per
 * row. Deterministic for a seed and a `today`.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { clientAssignments, studios, type OpeningPeriod } from "../schema";
import { activeSocialWorkerIds } from "../../app/domain/people/staff.server";
import { expandRule, ruleText } from "../../app/domain/sessions/recurrence";
import { withinOpeningHours } from "../../app/domain/sessions/schedule";
import { addDays, localToUtc, minutesOf, timeOf, weekdayOf } from "../../app/domain/sessions/time";
import { getSessionKinds } from "../../app/domain/settings/session-kinds.server";
import { getSetting } from "../../app/domain/settings";
import { mayPractise, type PractiseFacts } from "../../app/domain/training/practise";
import { practiseFacts } from "../../app/domain/training/practise.server";
import type { DemoContext, DemoLogin } from "./context";
import { createRandom, weighted, type Random } from "./random";

export const DEMO_SESSIONS_SEED = 20031221;

export type SessionsOptions = {
  /** the generation date, YYYY-MM-DD in the program's time zone */
  today: string;
  /** weeks of history before today (default 26) */
  weeksBack?: number;
  /** weeks of scheduled sessions after today, at least (default 6) */
  weeksAhead?: number;
  onProgress?: (line: string) => void;
  /** default DEMO_SESSIONS_SEED */
  seed?: number;
};

export type SessionsSummary = {
  rooms: number;
  groups: number;
  sessions: number;
  held: number;
  cancelled: number;
  scheduled: number;
  registrations: number;
  waitlisted: number;
  attendance: number;
  elapsedMs: number;
};

/** The Xuhui anchor slot the Playwright journey collides with on purpose. */
export const ANCHOR_SLOT = { district: "xuhui", weekday: 3, start: "14:00", end: "15:30", topic: "周三下午同伴支持小组（演示）" } as const;

const TOPICS: Record<string, readonly string[]> = {
  peerSupport: ["重建生活同伴支持小组", "同行者互助小组", "戒断路上同伴支持小组", "周末同伴分享会"],
  psychoEducation: ["认识渴求与应对心理教育小组", "情绪管理心理教育课", "复吸预防心理教育小组"],
  family: ["家属支持小组", "亲子沟通家庭小组", "家庭关系修复小组"],
  skillsWorkshop: ["求职技能工作坊", "理财与生活技能工作坊", "手工与职业技能工作坊"],
  recreation: ["健身与康乐活动", "书画康乐小组", "太极康体活动"],
};
const FALLBACK_TOPIC = "同伴教育小组";
const TERM_ZH = ["春季班", "夏季班", "秋季班", "冬季班"];

const CANCEL_REASONS = [
  "台风预警，工作室暂停开放（虚构记录）",
  "主持人临时生病，另行安排（虚构记录）",
  "工作室水电维修（虚构记录）",
  "与区禁毒宣传活动时间冲突，顺延一周（虚构记录）",
];
const UPCOMING_CANCEL_REASONS = ["工作室场地维修，本次暂停（虚构记录）", "主持人参加市级培训，本次暂停（虚构记录）"];

/** National holidays on which studios are closed (month-day); groups skip them as exception dates. */
const HOLIDAYS = new Set(["01-01", "05-01", "05-02", "05-03", "10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07"]);

const ATTENDANCE_MIX = [
  ["present", 72],
  ["late", 10],
  ["absent", 10],
  ["excused", 8],
] as const;

type Window = { weekday: number; start: string; end: string };
type Pin = "tutor" | "tutor2" | "anchor";
type SlotPlan = Window & { room: number | null; pin: Pin | null };
type Pool = { tutors: { personId: number; facts: PractiseFacts }[]; socialWorkers: { personId: number; hiredOn: string }[] };
type Member = { id: number; since: string };

/** Windows a studio's opening hours allow on each day: morning, afternoon, evening, Saturday. */
function windowsOf(hours: readonly OpeningPeriod[]): Window[] {
  const out: Window[] = [];
  for (const p of hours) {
    const opens = minutesOf(p.opens);
    const closes = minutesOf(p.closes);
    const candidates: [number, number][] = [
      [Math.max(opens + 30, 9 * 60), 90],
      [14 * 60, 90],
      [18 * 60 + 30, 90],
    ];
    for (const [start, length] of candidates) {
      const w = { weekday: p.weekday, start: timeOf(start), end: timeOf(start + length) };
      if (start >= opens && start + length <= closes && (p.weekday !== 6 || start < 12 * 60)) out.push(w);
    }
  }
  // a late-morning window can overlap the early-afternoon one only if opening is late: drop overlaps
  return out.filter((w, i) => !out.some((o, j) => j < i && o.weekday === w.weekday && o.start < w.end && o.end > w.start));
}

const sameWindow = (a: Window, b: Partial<Window>) => a.weekday === b.weekday && (b.start === undefined || a.start === b.start);

/** The first date on or after `date` that falls on `weekday` (1 = Monday). */
function onOrAfter(date: string, weekday: number): string {
  return addDays(date, (weekday - weekdayOf(date) + 7) % 7);
}

/** `m` distinct items from the first `n` of `items`, drawn at random (all of them when n <= m). */
function pickSome<T>(r: Random, items: readonly T[], n: number, m: number): T[] {
  if (n <= m) return items.slice(0, n);
  const chosen = new Set<number>();
  while (chosen.size < m) chosen.add(r.int(0, n - 1));
  return [...chosen].map((i) => items[i]!);
}

/** How many of `members` (sorted by `since`) had joined by `date`. */
function joinedBy(members: readonly Member[], date: string): number {
  let lo = 0;
  let hi = members.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (members[mid]!.since <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Writes rooms, groups, sessions, facilitators, registrations and attendance for every active
 * studio. Call after the organisation, people, clients and training are in the database.
 */
export function generateSessions(db: Db, ctx: DemoContext, options: SessionsOptions): SessionsSummary {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const r = createRandom(options.seed ?? DEMO_SESSIONS_SEED);
  const today = options.today;
  const weeksBack = options.weeksBack ?? 26;
  const weeksAhead = options.weeksAhead ?? 6;
  const historyFrom = addDays(today, -weeksBack * 7);
  const horizon = addDays(today, weeksAhead * 7);
  const summary: SessionsSummary = { rooms: 0, groups: 0, sessions: 0, held: 0, cancelled: 0, scheduled: 0, registrations: 0, waitlisted: 0, attendance: 0, elapsedMs: 0 };

  const timeZone = getSetting(db, "timeZone");
  const utc = (local: string): string => {
    if (timeZone === "Asia/Shanghai") return new Date(Date.parse(`${local}:00+08:00`)).toISOString();
    const t = localToUtc(local, timeZone);
    if (!t.ok) throw new Error(`demo sessions: ${local} does not exist once in ${timeZone}`);
    return t.utc.toISOString();
  };
  const kinds = getSessionKinds(db).filter((k) => k.active).map((k) => k.id);
  if (kinds.length === 0) throw new Error("demo sessions: no active session kinds");

  const districtCode = new Map(ctx.districts.map((d) => [d.id, d.code]));
  const studioRows = db
    .select({ id: studios.id, districtId: studios.districtId, capacity: studios.capacity, openingHours: studios.openingHours })
    .from(studios)
    .where(eq(studios.active, true))
    .orderBy(studios.id)
    .all();

  // ---- who may be a member: active clients with a standing consent, by district, in order of joining ----
  const memberRows = db.all<{ id: number; districtId: number; since: string }>(sql`
    select c.id as id, c.district_id as districtId, max(c.intake_date, min(co.agreed_on)) as since
    from clients c join consents co on co.client_id = c.id and co.withdrawn_at is null
    where c.status = 'active'
    group by c.id
    order by since, c.id`);
  const membersOf = new Map<number, Member[]>();
  const sinceOf = new Map<number, string>();
  for (const m of memberRows) {
    let list = membersOf.get(m.districtId);
    if (!list) membersOf.set(m.districtId, (list = []));
    list.push({ id: m.id, since: m.since });
    sinceOf.set(m.id, m.since);
  }
  const caseloadOf = (personId: number): number[] =>
    db
      .select({ id: clientAssignments.clientId })
      .from(clientAssignments)
      .where(and(eq(clientAssignments.personId, personId), isNull(clientAssignments.toDate)))
      .orderBy(clientAssignments.clientId)
      .all()
      .map((row) => row.id)
      .filter((id) => sinceOf.has(id));

  const login = (name: DemoLogin) => ctx.logins[name];
  const pinnedPeople = new Set([login("tutor").personId, login("tutor2").personId, login("socialworker").personId]);
  const tutorFacts = new Map<number, PractiseFacts>();
  const factsOf = (personId: number) => {
    let f = tutorFacts.get(personId);
    if (!f) tutorFacts.set(personId, (f = practiseFacts(db, personId)));
    return f;
  };
  const swHired = new Map(ctx.socialWorkers.map((s) => [s.personId, s.hiredOn]));

  // raw prepared statements on the connection (Drizzle's per-row mapping costs more than the
  // insert itself at the scale generator's millions of rows); one transaction for everything
  const raw = db.$client;
  const inserter = (table: string, columns: readonly string[]) => {
    const statement = raw.prepare(`insert into ${table} (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`);
    return (...values: (string | number | null)[]) => Number(statement.run(...values).lastInsertRowid);
  };
  const out = raw.transaction(() => {
    const insertRoom = (v: { studioId: number; nameZh: string; nameEn: string; capacity: number }) =>
      insertRoomRow(v.studioId, v.nameZh, v.nameEn, v.capacity);
    const insertRoomRow = inserter("rooms", ["studio_id", "name_zh", "name_en", "capacity"]);
    const insertGroupRow = inserter("groups", [
      "studio_id",
      "room_id",
      "topic",
      "kind",
      "capacity",
      "recurrence",
      "first_starts_local",
      "duration_minutes",
      "exception_dates",
      "status",
      "created_by_user_id",
    ]);
    const insertGroup = (g: {
      studioId: number;
      roomId: number | null;
      topic: string;
      kind: string;
      capacity: number;
      recurrence: string;
      firstStartsLocal: string;
      durationMinutes: number;
      exceptionDates: string[];
      status: "active" | "ended";
      createdByUserId: number;
    }) =>
      insertGroupRow(g.studioId, g.roomId, g.topic, g.kind, g.capacity, g.recurrence, g.firstStartsLocal, g.durationMinutes, JSON.stringify(g.exceptionDates), g.status, g.createdByUserId);
    const insertGroupFacilitatorRow = inserter("group_facilitators", ["group_id", "person_id"]);
    const insertGroupFacilitator = (v: { groupId: number; personId: number }) => insertGroupFacilitatorRow(v.groupId, v.personId);
    const insertSessionRow = inserter("group_sessions", [
      "group_id",
      "occurrence",
      "studio_id",
      "room_id",
      "topic",
      "kind",
      "starts_at",
      "ends_at",
      "capacity",
      "status",
      "cancel_reason",
      "sequence",
      "created_by_user_id",
    ]);
    const insertSession = (v: {
      groupId: number;
      occurrence: number;
      studioId: number;
      roomId: number | null;
      topic: string;
      kind: string;
      startsAt: string;
      endsAt: string;
      capacity: number;
      status: string;
      cancelReason: string;
      sequence: number;
      createdByUserId: number;
    }) =>
      insertSessionRow(v.groupId, v.occurrence, v.studioId, v.roomId, v.topic, v.kind, v.startsAt, v.endsAt, v.capacity, v.status, v.cancelReason, v.sequence, v.createdByUserId);
    const insertSessionFacilitatorRow = inserter("session_facilitators", ["session_id", "person_id"]);
    const insertSessionFacilitator = (v: { sessionId: number; personId: number }) => insertSessionFacilitatorRow(v.sessionId, v.personId);
    const insertRegistrationRow = inserter("session_registrations", ["session_id", "client_id", "status", "waitlisted_at", "registered_by_user_id", "created_at", "updated_at"]);
    const insertRegistration = (v: {
      sessionId: number;
      clientId: number;
      status: "registered" | "waitlisted";
      waitlistedAt: string | null;
      registeredByUserId: number;
      createdAt: string;
      updatedAt: string;
    }) => insertRegistrationRow(v.sessionId, v.clientId, v.status, v.waitlistedAt, v.registeredByUserId, v.createdAt, v.updatedAt);
    const insertAttendanceRow = inserter("attendance", ["session_id", "client_id", "status", "recorded_by_user_id", "created_at", "updated_at"]);
    const insertAttendance = (v: { sessionId: number; clientId: number; status: string; recordedByUserId: number; createdAt: string; updatedAt: string }) =>
      insertAttendanceRow(v.sessionId, v.clientId, v.status, v.recordedByUserId, v.createdAt, v.updatedAt);

    for (const studio of studioRows) {
      const code = districtCode.get(studio.districtId) ?? "";
      const coordinating = code === "huangpu" || code === "xuhui";
      const creator = coordinating ? login("coordinator").userId : login("admin").userId;
      const windows = windowsOf(studio.openingHours);
      if (windows.length === 0) continue;

      // ---- rooms: the coordinator's studios and every third other studio have two ----
      const roomIds: { id: number; capacity: number }[] = [];
      if (coordinating || studio.id % 3 === 0) {
        const big = studio.capacity;
        const small = Math.min(10, studio.capacity);
        roomIds.push({ id: insertRoom({ studioId: studio.id, nameZh: "一号活动室", nameEn: "Activity room 1", capacity: big }), capacity: big });
        roomIds.push({ id: insertRoom({ studioId: studio.id, nameZh: "二号小组室", nameEn: "Group room 2", capacity: small }), capacity: small });
        summary.rooms += 2;
      }
      const spaces = roomIds.length === 0 ? [null] : roomIds.map((_, i) => i);

      // ---- slots: pinned ones first, then random windows per space (a space's slots never overlap) ----
      const slots: SlotPlan[] = [];
      const taken = (room: number | null, w: Window) =>
        slots.some((s) => s.room === room && s.weekday === w.weekday && s.start < w.end && s.end > w.start);
      const pin = (pinned: Pin, room: number | null, want: Partial<Window>[]) => {
        for (const wish of want) {
          const w = windows.find((x) => sameWindow(x, wish) && !taken(room, x));
          if (w) {
            slots.push({ ...w, room, pin: pinned });
            return;
          }
        }
      };
      if (code === "huangpu") {
        pin("tutor", spaces[0]!, [{ weekday: 2, start: "14:00" }, { weekday: 2 }, { weekday: 1 }]);
        pin("tutor", spaces[0]!, [{ weekday: 4 }, { weekday: 5 }, { weekday: 3 }]);
      }
      if (code === "xuhui") {
        pin("tutor2", spaces[0]!, [{ weekday: 1, start: "14:00" }, { weekday: 1 }, { weekday: 2 }]);
        pin("tutor2", spaces[0]!, [{ weekday: 4 }, { weekday: 5 }]);
        pin("anchor", spaces[0]!, [{ weekday: ANCHOR_SLOT.weekday, start: ANCHOR_SLOT.start }]);
      }
      for (const space of spaces) {
        const want = space === null || space === 0 ? r.int(3, 5) : r.int(2, 3);
        for (const w of r.shuffle(windows)) {
          if (slots.filter((s) => s.room === space).length >= want) break;
          // Xuhui's room 2 stays free on Wednesdays, for the journey's new group
          if (code === ANCHOR_SLOT.district && space === 1 && w.weekday === ANCHOR_SLOT.weekday) continue;
          if (!taken(space, w)) slots.push({ ...w, room: space, pin: null });
        }
      }

      // ---- facilitator pools: the district's tutors and some of its social workers, one disjoint pool per space ----
      const districtTutors = ctx.peerTutors.filter((t) => t.districtId === studio.districtId && t.status === "active" && !pinnedPeople.has(t.personId));
      let anchorTutor: number | null = null;
      if (code === ANCHOR_SLOT.district) {
        const a = districtTutors.find((t) => mayPractise(factsOf(t.personId), today) && mayPractise(factsOf(t.personId), horizon));
        anchorTutor = a?.personId ?? null;
      }
      const tutors = districtTutors.filter((t) => t.personId !== anchorTutor);
      const swCandidates = r
        .shuffle(ctx.socialWorkers.filter((s) => s.districtId === studio.districtId && !pinnedPeople.has(s.personId)))
        .slice(0, 4 * spaces.length);
      const activeSw = activeSocialWorkerIds(db, swCandidates.map((s) => s.personId));
      const pools: Pool[] = spaces.map(() => ({ tutors: [], socialWorkers: [] }));
      tutors.forEach((t, i) => pools[i % pools.length]!.tutors.push({ personId: t.personId, facts: factsOf(t.personId) }));
      swCandidates
        .filter((s) => activeSw.has(s.personId) && !tutors.some((t) => t.personId === s.personId))
        .forEach((s, i) => pools[i % pools.length]!.socialWorkers.push({ personId: s.personId, hiredOn: s.hiredOn }));

      const districtMembers = membersOf.get(studio.districtId) ?? [];
      const socialworkerClients = code === "huangpu" ? caseloadOf(login("socialworker").personId) : [];
      const tutorClients = code === "huangpu" ? caseloadOf(login("tutor").personId) : code === "xuhui" ? caseloadOf(login("tutor2").personId) : [];
      let waitlistDone = false;

      for (const slot of slots) {
        const poolIndex = slot.room === null ? 0 : slot.room;
        const pool = pools[poolIndex]!;
        const roomId = slot.room === null ? null : roomIds[slot.room]!.id;
        const spaceCapacity = slot.room === null ? studio.capacity : roomIds[slot.room]!.capacity;
        const duration = minutesOf(slot.end) - minutesOf(slot.start);
        const pinned = slot.pin !== null;
        const slotKind = slot.pin === "anchor" ? "peerSupport" : pinned ? "peerSupport" : r.pick(kinds);
        let cursor = addDays(historyFrom, -r.int(0, 8) * 7);

        while (true) {
          const firstDate = onOrAfter(cursor, slot.weekday);
          // pinned slots run four weeks further, so a journey's eight-week group meets them on every date
          if (firstDate > (pinned ? addDays(horizon, 28) : horizon)) break;
          const fortnightly = !pinned && r.chance(0.2);
          const count = fortnightly ? r.pick([6, 8]) : r.pick([8, 10, 12]);
          const rule = ruleText({ frequency: fortnightly ? "fortnightly" : "weekly", weekdays: [slot.weekday], count, until: null });
          const firstStartsLocal = `${firstDate}T${slot.start}`;
          const expansion = expandRule(rule, firstStartsLocal);
          const exceptionDates = pinned ? [] : expansion.occurrences.map((o) => o.local.slice(0, 10)).filter((d) => HOLIDAYS.has(d.slice(5)));
          const occurrences = expansion.occurrences.filter((o) => !exceptionDates.includes(o.local.slice(0, 10)));
          const lastDate = expansion.occurrences[expansion.occurrences.length - 1]!.local.slice(0, 10);
          cursor = addDays(lastDate, 7 * (pinned ? 1 : r.int(1, 3)));
          if (occurrences.length === 0) continue;
          const dates = occurrences.map((o) => o.local.slice(0, 10));
          const allowed = (facts: PractiseFacts) => dates.every((d) => mayPractise(facts, d));

          // ---- facilitators for the term ----
          const team: number[] = [];
          const loginOf = new Map<number, number>();
          const eligibleTutors = () => pool.tutors.filter((t) => allowed(t.facts) && !team.includes(t.personId));
          const hiredWorkers = () => pool.socialWorkers.filter((s) => s.hiredOn <= firstDate && !team.includes(s.personId));
          const addLogin = (name: DemoLogin) => {
            const who = login(name);
            team.push(who.personId);
            loginOf.set(who.personId, who.userId);
          };
          if (slot.pin === "tutor" || slot.pin === "tutor2") {
            // the login's weekly group; before they may practise, a tutor of the pool leads it
            if (allowed(factsOf(login(slot.pin).personId))) addLogin(slot.pin);
            else if (eligibleTutors().length > 0) team.push(r.pick(eligibleTutors()).personId);
            if (slot.pin === "tutor" && (swHired.get(login("socialworker").personId) ?? "9999") <= firstDate) addLogin("socialworker");
            else if (hiredWorkers().length > 0) team.push(r.pick(hiredWorkers()).personId);
          } else if (slot.pin === "anchor") {
            // one peer tutor and nobody else
            if (anchorTutor !== null && allowed(factsOf(anchorTutor))) team.push(anchorTutor);
            else if (eligibleTutors().length > 0) team.push(r.pick(eligibleTutors()).personId);
          } else {
            if (eligibleTutors().length > 0 && r.chance(0.85)) team.push(r.pick(eligibleTutors()).personId);
            if ((team.length === 0 || r.chance(0.8)) && hiredWorkers().length > 0) team.push(r.pick(hiredWorkers()).personId);
          }
          if (team.length === 0) continue;
          const recorder = [...loginOf.values()][0] ?? creator;

          // ---- members: active clients of the district who had joined by the first date ----
          const capacity = Math.min(spaceCapacity, slot.pin === "tutor" && slot.weekday === 2 ? 8 : r.int(8, 14));
          const size = slot.pin === "tutor" && slot.weekday === 2 ? capacity : r.int(Math.max(3, capacity - 5), capacity);
          const preferred = [...(slot.pin === "tutor" ? socialworkerClients.slice(0, 3) : []), ...(slot.pin === "tutor" || slot.pin === "tutor2" ? tutorClients.slice(0, 3) : [])].filter(
            (id) => (sinceOf.get(id) ?? "9999") <= firstDate,
          );
          const members = [...new Set(preferred)];
          const joined = joinedBy(districtMembers, firstDate);
          for (const m of pickSome(r, districtMembers, joined, size + 4)) {
            if (members.length >= size) break;
            if (!members.includes(m.id)) members.push(m.id);
          }

          const kind = slotKind === "peerSupport" || pinned ? slotKind : r.chance(0.7) ? slotKind : r.pick(kinds);
          const topic =
            slot.pin === "anchor"
              ? ANCHOR_SLOT.topic
              : `${r.pick(TOPICS[kind] ?? [FALLBACK_TOPIC])}（${firstDate.slice(0, 4)}年${TERM_ZH[Math.floor((Number(firstDate.slice(5, 7)) - 1) / 3)]}）`;
          const status = lastDate < today ? "ended" : "active";
          const groupId = insertGroup({
            studioId: studio.id,
            roomId,
            topic,
            kind,
            capacity,
            recurrence: rule,
            firstStartsLocal,
            durationMinutes: duration,
            exceptionDates,
            status,
            createdByUserId: creator,
          });
          summary.groups++;
          for (const personId of team) insertGroupFacilitator({ groupId, personId });

          // ---- sessions ----
          for (const o of occurrences) {
            const date = o.local.slice(0, 10);
            const endLocal = `${date}T${slot.end}`;
            if (!withinOpeningHours(studio.openingHours, o.local, endLocal)) throw new Error(`demo sessions: ${o.local} outside opening hours`);
            const past = date < today;
            let sessionStatus: "held" | "cancelled" | "scheduled" = past ? "held" : "scheduled";
            let cancelReason = "";
            if (past && r.chance(0.04)) {
              sessionStatus = "cancelled";
              cancelReason = r.pick(CANCEL_REASONS);
            } else if (!past && !pinned && r.chance(0.02)) {
              sessionStatus = "cancelled";
              cancelReason = r.pick(UPCOMING_CANCEL_REASONS);
            } else if (past && date >= addDays(today, -7) && (slot.pin === "tutor" || slot.pin === "tutor2" || r.chance(0.15))) {
              // attendance not taken yet (always for the logins' last week): the coordinator's week lists it
              sessionStatus = "scheduled";
            }
            const startsAt = utc(o.local);
            const endsAt = utc(endLocal);
            const sessionId = insertSession({
              groupId,
              occurrence: o.index,
              studioId: studio.id,
              roomId,
              topic,
              kind,
              startsAt,
              endsAt,
              capacity,
              status: sessionStatus,
              cancelReason,
              sequence: sessionStatus === "scheduled" ? 0 : 1,
              createdByUserId: creator,
            });
            summary.sessions++;
            summary[sessionStatus === "held" ? "held" : sessionStatus === "cancelled" ? "cancelled" : "scheduled"]++;
            for (const personId of team) insertSessionFacilitator({ sessionId, personId });

            // registered a week before, by a facilitator with a login or the scheduler
            const registeredAt = new Date(Date.parse(startsAt) - 7 * 86_400_000).toISOString();
            for (const clientId of members) {
              insertRegistration({ sessionId, clientId, status: "registered", waitlistedAt: null, registeredByUserId: recorder, createdAt: registeredAt, updatedAt: registeredAt });
              summary.registrations++;
              if (sessionStatus === "held") {
                const mark = weighted(r, ATTENDANCE_MIX);
                insertAttendance({ sessionId, clientId, status: mark, recordedByUserId: recorder, createdAt: endsAt, updatedAt: endsAt });
                summary.attendance++;
              }
            }
            // the tutor's Tuesday group is full: its first upcoming session has a waitlist
            if (!waitlistDone && slot.pin === "tutor" && slot.weekday === 2 && !past && sessionStatus === "scheduled" && members.length >= capacity) {
              const outsiders = [...socialworkerClients.slice(3), ...districtMembers.slice(0, joinedBy(districtMembers, today)).map((m) => m.id)];
              const waiting = [...new Set(outsiders)].filter((id) => !members.includes(id)).slice(0, 2);
              waiting.forEach((clientId, i) => {
                const at = new Date(Date.parse(registeredAt) + (i + 1) * 3_600_000).toISOString();
                insertRegistration({ sessionId, clientId, status: "waitlisted", waitlistedAt: at, registeredByUserId: recorder, createdAt: at, updatedAt: at });
                summary.registrations++;
                summary.waitlisted++;
              });
              waitlistDone = waiting.length > 0;
            }
          }
        }
      }
    }
    return summary;
  })();
  out.elapsedMs = Date.now() - started;
  progress(
    `sessions: ${out.groups} groups in ${studioRows.length} studios (${out.rooms} rooms), ${out.sessions} sessions ` +
      `(${out.held} held, ${out.cancelled} cancelled, ${out.scheduled} scheduled), ${out.registrations} registrations ` +
      `(${out.waitlisted} waitlisted), ${out.attendance} attendance marks (${out.elapsedMs} ms)`,
  );
  return out;
}
