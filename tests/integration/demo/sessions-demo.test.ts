/**
 * The demo's groups and sessions (db/demo/sessions.ts): every studio has groups with a held
 * history and attendance, the coming weeks are scheduled, the demo logins see a real week through
 * the same domain functions the calendar pages use, and every rule the app enforces holds in the
 * generated rows — checked by the app's own conflict checker and by SQL.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import type { OpeningPeriod } from "#db/schema/organisation";
import { generateDemo } from "#db/demo/generate";
import { ANCHOR_SLOT } from "#db/demo/sessions";
import type { RoleGrant } from "~/auth/roles";
import { getDb } from "~/db.server";
import { checkSlots, coordinatorWeek, districtWeek, personFeed, personWeek, studioWeek } from "~/domain/sessions";
import { addDays, mondayOf, utcToLocal } from "~/domain/sessions/time";

/** A Friday: this week is 16–22 November 2026, next week 23–29 November. */
const TODAY = "2026-11-20";
const ZONE = "Asia/Shanghai";
const MONDAY = mondayOf(TODAY);
const NEXT_MONDAY = addDays(MONDAY, 7);
/** noon on TODAY in Shanghai */
const NOW = new Date(`${TODAY}T04:00:00.000Z`);

function all<T>(db: Db, query: string, ...params: unknown[]): T[] {
  return db.$client.prepare(query).all(...params) as T[];
}
function one<T>(db: Db, query: string, ...params: unknown[]): T {
  return db.$client.prepare(query).get(...params) as T;
}
const n = (db: Db, query: string, ...params: unknown[]) => one<{ n: number }>(db, query, ...params).n;

function loginOf(db: Db, login: string): { id: number; personId: number; roles: RoleGrant[] } {
  const u = one<{ id: number; person_id: number }>(db, "select id, person_id from users where login = ?", login);
  const roles = all<{ role: RoleGrant["role"]; district_id: number | null }>(db, "select role, district_id from user_roles where user_id = ?", u.id).map((r) => ({
    role: r.role,
    districtId: r.district_id,
  }));
  return { id: u.id, personId: u.person_id, roles };
}

describe("demo groups and sessions", () => {
  let db: Db;

  beforeAll(async () => {
    db = getDb();
    await generateDemo(db, { today: TODAY });
  }, 180_000);

  it("gives each of the 10 studios groups and a held history with attendance", () => {
    const rows = all<{ studio: number; groups: number; held: number; marks: number }>(
      db,
      `select st.id studio,
        (select count(*) from groups g where g.studio_id = st.id) groups,
        (select count(*) from group_sessions s where s.studio_id = st.id and s.status = 'held') held,
        (select count(*) from attendance a join group_sessions s on s.id = a.session_id where s.studio_id = st.id) marks
      from studios st order by st.id`,
    );
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      expect(r.groups, `studio ${r.studio}`).toBeGreaterThanOrEqual(5);
      expect(r.held, `studio ${r.studio}`).toBeGreaterThanOrEqual(30);
      expect(r.marks, `studio ${r.studio}`).toBeGreaterThan(r.held * 3);
    }
    // every held session has attendance, all four marks occur, and history reaches back about half a year
    expect(n(db, "select count(*) n from group_sessions s where s.status = 'held' and not exists (select 1 from attendance a where a.session_id = s.id)")).toBe(0);
    expect(all<{ status: string }>(db, "select distinct status from attendance order by status").map((r) => r.status)).toEqual(["absent", "excused", "late", "present"]);
    expect(one<{ first: string }>(db, "select min(starts_at) first from group_sessions where status = 'held'").first < "2026-05-25").toBe(true);
    // held only in the past, scheduled only from the last week on
    expect(n(db, "select count(*) n from group_sessions where status = 'held' and starts_at >= ?", NOW.toISOString())).toBe(0);
    expect(n(db, "select count(*) n from group_sessions where status = 'scheduled' and starts_at < ?", `${addDays(TODAY, -8)}T00:00:00.000Z`)).toBe(0);
  });

  it("uses the session kinds of the settings and a weekly or fortnightly rule on every group", () => {
    const kinds = all<{ kind: string }>(db, "select distinct kind from groups order by kind").map((r) => r.kind);
    expect(kinds).toEqual(["family", "peerSupport", "psychoEducation", "recreation", "skillsWorkshop"]);
    expect(n(db, "select count(*) n from groups where recurrence not like 'FREQ=WEEKLY;%'")).toBe(0);
    expect(n(db, "select count(*) n from groups where recurrence like '%INTERVAL=2%'")).toBeGreaterThan(0);
    // a session's kind, topic and capacity are its group's
    expect(n(db, "select count(*) n from group_sessions s join groups g on g.id = s.group_id where s.kind <> g.kind or s.topic <> g.topic or s.capacity <> g.capacity")).toBe(0);
  });

  it("cancels a few sessions, each with a reason", () => {
    const cancelled = n(db, "select count(*) n from group_sessions where status = 'cancelled'");
    const total = n(db, "select count(*) n from group_sessions");
    expect(cancelled).toBeGreaterThan(0);
    expect(cancelled).toBeLessThan(total / 10);
    expect(n(db, "select count(*) n from group_sessions where status = 'cancelled' and cancel_reason = ''")).toBe(0);
    expect(n(db, "select count(*) n from group_sessions where status <> 'cancelled' and cancel_reason <> ''")).toBe(0);
  });

  it("schedules sessions at every studio in each of the coming six weeks", () => {
    for (let week = 0; week < 6; week++) {
      const monday = addDays(NEXT_MONDAY, week * 7);
      const studios = all<{ id: number }>(db, "select id from studios order by id");
      for (const s of studios) {
        const { sessions } = studioWeek(db, s.id, monday, ZONE);
        expect(sessions.filter((x) => x.status === "scheduled").length, `studio ${s.id}, week of ${monday}`).toBeGreaterThan(0);
      }
    }
  });

  it("shows tutor, tutor2 and socialworker their own sessions this week and next on My calendar", () => {
    for (const login of ["tutor", "tutor2", "socialworker"]) {
      const { personId } = loginOf(db, login);
      for (const monday of [MONDAY, NEXT_MONDAY]) {
        const { sessions } = personWeek(db, personId, monday, ZONE);
        expect(sessions.length, `${login}, week of ${monday}`).toBeGreaterThanOrEqual(2);
        for (const s of sessions) expect(s.facilitators.map((f) => f.personId)).toContain(personId);
      }
    }
  });

  it("shows the coordinator this week's sessions, utilisation and a waitlist in Huangpu and Xuhui, and nothing elsewhere", () => {
    const coordinator = loginOf(db, "coordinator");
    const week = coordinatorWeek(db, coordinator, MONDAY, TODAY.slice(0, 7), ZONE, NOW);
    const districts = new Set(
      all<{ id: number }>(db, "select st.id from studios st join districts d on d.id = st.district_id where d.code in ('huangpu', 'xuhui')").map((r) => r.id),
    );
    expect(week.sessions.length).toBeGreaterThanOrEqual(10);
    for (const s of week.sessions) expect(districts.has(s.studioId)).toBe(true);
    expect(week.studios.map((s) => s.studioId).sort()).toEqual([...districts].sort());
    for (const s of week.studios) expect(s.utilisation.ratio).toBeGreaterThan(0);
    // the tutor's full Tuesday group has a waitlist on its first upcoming session
    expect(week.waitlists).toHaveLength(1);
    const full = week.waitlists[0]!;
    expect(full.registered).toBe(full.capacity);
    expect(full.waitlisted).toBe(2);
    expect(utcToLocal(full.startsAt, ZONE).slice(0, 10) >= TODAY).toBe(true);
    // the district week pages show both districts' sessions this week and next
    for (const r of all<{ id: number }>(db, "select id from districts where code in ('huangpu', 'xuhui')")) {
      for (const monday of [MONDAY, NEXT_MONDAY]) expect(districtWeek(db, r.id, monday, ZONE).sessions.length, `district ${r.id}, ${monday}`).toBeGreaterThan(3);
    }
  });

  it("keeps the anchor slot the sessions journey collides with: Xuhui, Wednesdays 14:00–15:30, room 1, one peer tutor without a login; room 2 free on Wednesdays", () => {
    const xuhui = one<{ id: number }>(db, "select st.id from studios st join districts d on d.id = st.district_id where d.code = ?", ANCHOR_SLOT.district).id;
    const rooms = all<{ id: number }>(db, "select id from rooms where studio_id = ? order by id", xuhui);
    expect(rooms).toHaveLength(2);
    for (let week = 0; week < 6; week++) {
      const { sessions } = studioWeek(db, xuhui, addDays(NEXT_MONDAY, week * 7), ZONE);
      const wednesday = addDays(NEXT_MONDAY, week * 7 + 2);
      const anchor = sessions.filter((s) => s.date === wednesday && s.startTime === ANCHOR_SLOT.start);
      expect(anchor.map((s) => [s.topic, s.endTime, s.status])).toEqual([[ANCHOR_SLOT.topic, ANCHOR_SLOT.end, "scheduled"]]);
      expect(anchor[0]!.facilitators).toHaveLength(1);
      const tutor = anchor[0]!.facilitators[0]!.personId;
      expect(n(db, "select count(*) n from peer_tutors where person_id = ? and status = 'active'", tutor)).toBe(1);
      expect(n(db, "select count(*) n from users where person_id = ?", tutor)).toBe(0);
    }
    expect(n(db, "select count(*) n from group_sessions where room_id = ? and starts_at >= ?", rooms[1]!.id, NOW.toISOString())).toBeGreaterThan(0);
    const room2Wednesdays = all<{ starts_at: string }>(db, "select starts_at from group_sessions where room_id = ?", rooms[1]!.id).filter(
      (r) => new Date(Date.parse(r.starts_at) + 8 * 3600_000).getUTCDay() === 3,
    );
    expect(room2Wednesdays).toHaveLength(0);
  });

  it("never puts a facilitator in two overlapping sessions, nor two overlapping sessions in one room or a roomless studio", () => {
    const facilitatorClashes = n(
      db,
      `select count(*) n from session_facilitators a
        join group_sessions s on s.id = a.session_id and s.status <> 'cancelled'
        join session_facilitators b on b.person_id = a.person_id and b.session_id < a.session_id
        join group_sessions t on t.id = b.session_id and t.status <> 'cancelled'
       where s.starts_at < t.ends_at and t.starts_at < s.ends_at`,
    );
    expect(facilitatorClashes).toBe(0);
    const roomClashes = n(
      db,
      `select count(*) n from group_sessions s join group_sessions t on t.studio_id = s.studio_id and t.id < s.id
        and (s.room_id is null or t.room_id is null or s.room_id = t.room_id)
       where s.status <> 'cancelled' and t.status <> 'cancelled' and s.starts_at < t.ends_at and t.starts_at < s.ends_at`,
    );
    expect(roomClashes).toBe(0);
    // a studio with rooms puts every session in one of its own rooms
    expect(n(db, "select count(*) n from group_sessions s where s.room_id is null and exists (select 1 from rooms r where r.studio_id = s.studio_id)")).toBe(0);
    expect(n(db, "select count(*) n from group_sessions s join rooms r on r.id = s.room_id where r.studio_id <> s.studio_id")).toBe(0);
  });

  it("passes the app's own scheduling check on every upcoming session: opening hours, eligible facilitators, no clash", () => {
    const sessions = all<{ id: number; studio_id: number; room_id: number | null; starts_at: string; ends_at: string; hours: string }>(
      db,
      `select s.id, s.studio_id, s.room_id, s.starts_at, s.ends_at, st.opening_hours hours
         from group_sessions s join studios st on st.id = s.studio_id
        where s.status = 'scheduled' order by s.starts_at`,
    );
    expect(sessions.length).toBeGreaterThan(100);
    for (const s of sessions) {
      const facilitatorIds = all<{ person_id: number }>(db, "select person_id from session_facilitators where session_id = ?", s.id).map((r) => r.person_id);
      expect(facilitatorIds.length, `session ${s.id}`).toBeGreaterThan(0);
      const problems = checkSlots(db, {
        studio: { id: s.studio_id, openingHours: JSON.parse(s.hours) as OpeningPeriod[] },
        roomId: s.room_id,
        facilitatorIds,
        slots: [{ index: null, local: utcToLocal(s.starts_at, ZONE), localEnd: utcToLocal(s.ends_at, ZONE), startsAt: s.starts_at, endsAt: s.ends_at }],
        excludeSessionIds: [s.id],
        timeZone: ZONE,
      });
      expect(problems, `session ${s.id}`).toEqual([]);
    }
  });

  it("never registers more clients than the capacity, nor marks attendance for more, and takes members from the studio's district", () => {
    expect(
      n(db, "select count(*) n from group_sessions s where (select count(*) from session_registrations r where r.session_id = s.id and r.status = 'registered') > s.capacity"),
    ).toBe(0);
    expect(n(db, "select count(*) n from group_sessions s where (select count(*) from attendance a where a.session_id = s.id) > s.capacity")).toBe(0);
    expect(
      n(db, "select count(*) n from attendance a where not exists (select 1 from session_registrations r where r.session_id = a.session_id and r.client_id = a.client_id and r.status = 'registered')"),
    ).toBe(0);
    expect(
      n(db, "select count(*) n from session_registrations r join group_sessions s on s.id = r.session_id join studios st on st.id = s.studio_id join clients c on c.id = r.client_id where c.district_id <> st.district_id"),
    ).toBe(0);
    // every registered client had consented before the session; waitlisted ones only on a full, scheduled session
    expect(
      n(
        db,
        `select count(*) n from session_registrations r join group_sessions s on s.id = r.session_id
          where not exists (select 1 from consents c where c.client_id = r.client_id and c.withdrawn_at is null and c.agreed_on <= substr(s.starts_at, 1, 10))`,
      ),
    ).toBe(0);
    expect(
      n(
        db,
        `select count(*) n from session_registrations r join group_sessions s on s.id = r.session_id
          where r.status = 'waitlisted' and (s.status <> 'scheduled' or r.waitlisted_at is null
            or (select count(*) from session_registrations x where x.session_id = s.id and x.status = 'registered') < s.capacity)`,
      ),
    ).toBe(0);
  });

  it("keeps client names out of sessions: no real name in any session text or feed, and feeds carry no alias either", () => {
    const names = all<{ real_name: string }>(db, "select real_name from client_identities").map((r) => r.real_name);
    const aliases = all<{ alias: string }>(db, "select alias from clients c where exists (select 1 from session_registrations r where r.client_id = c.id)").map((r) => r.alias);
    expect(aliases.length).toBeGreaterThan(100);
    const texts = all<{ t: string }>(
      db,
      `select topic t from groups union select topic from group_sessions union select cancel_reason from group_sessions
       union select name_zh from rooms union select name_en from rooms`,
    ).map((r) => r.t);
    const blob = texts.join("\n");
    for (const name of names) expect(blob.includes(name), name).toBe(false);
    for (const alias of aliases) expect(blob.includes(alias), alias).toBe(false);
    for (const login of ["tutor", "tutor2", "socialworker"]) {
      const feed = personFeed(db, loginOf(db, login).personId, login, NOW);
      expect(feed).toContain("BEGIN:VEVENT");
      for (const alias of aliases) expect(feed.includes(alias), `${login}: ${alias}`).toBe(false);
      for (const name of names) expect(feed.includes(name), `${login}: ${name}`).toBe(false);
    }
  });
});
