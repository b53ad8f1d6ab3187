/**
 * The recognition worklist and the upcoming milestones are filtered, counted and paged in SQL.
 * Each is compared here, page by page, with its former definition in JavaScript — every client
 * read back with its events and recognitions, the JS rules applied (isEligibleForRecognition,
 * abstinentSince, milestones), sorted and sliced — on a varied set of clients: intake dates on
 * and around 29 February and month ends, clock-restarting events before intake and after the
 * date, harmless negative tests, recognitions before and after the date with relapses after them,
 * clients closed before, on and after the date or without a closing date, clients whose next
 * milestone falls on either edge of the window, ties on the same date, ended assignments and
 * another district out of scope. Several page sizes, every page, and a page past the end.
 *
 * The one deliberate difference from the former code: among clients on the same date, aliases
 * are ordered by code point (SQLite's order, the same on every server), no longer by
 * String.localeCompare (which followed the server's ICU locale). The reference below says so.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { clientAssignments, clients, districts, recognitions, substanceEvents, SUBSTANCE_EVENT_KINDS, type ClientStatus, type SubstanceEventKind } from "#db/schema";
import type { RoleGrant } from "~/auth/roles";
import { getDb } from "~/db.server";
import type { Viewer } from "~/domain/clients/access.server";
import { addDays, addMonths, daysBetween } from "~/domain/clients/dates";
import { milestoneSinceTable, upcomingMilestones, type UpcomingMilestone } from "~/domain/clients/events.server";
import { abstinentSince, isClosedAsOf, isEligibleForRecognition, milestones, MILESTONES, threeYearsAfter } from "~/domain/clients/outcomes";
import { recognitionWorklist, type RecognitionWorklistRow } from "~/domain/clients/recognition.server";
import { makeDistrict, makeSignedInUser, makeUser } from "../../factories";
import { makeCoordinator, makeSocialWorker } from "../../clients-factories";

type Fact = {
  id: number;
  alias: string;
  caseNumber: string;
  districtId: number;
  intakeDate: string;
  status: ClientStatus;
  closedOn: string | null;
  events: { date: string; kind: SubstanceEventKind }[];
  recognitions: { recognisedOn: string }[];
};

/** The dates the lists are asked for: 29 February, the day before and after, month and year ends. */
const DATES = ["2024-02-28", "2024-02-29", "2024-03-01", "2025-02-28", "2026-08-31", "2026-11-28", "2026-12-31"];
const WINDOWS = [0, 30, 90];
const PAGE_SIZES = [1, 7, 25];

/** SQLite compares text by its UTF-8 bytes, i.e. by code point. */
const codePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** Aliases chosen so that code-point order and the locale's order disagree (case, punctuation, prefixes, astral characters). */
const ALIASES = ["小林（化名）", "小林明（化名）", "b 测试（虚构）", "B 测试（虚构）", "Test Client a (fictional)", "Test Client B (fictional)", "𠀋测试（化名）", "测试对象（化名）"];

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return {
    next: () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648,
    int(n: number) {
      return Math.floor(this.next() * n);
    },
    pick<T>(list: readonly T[]): T {
      return list[this.int(list.length)]!;
    },
  };
}

const facts: Fact[] = [];
let districtA: number;
let districtB: number;
let admin: Viewer;
let coordinator: Viewer;
let socialWorker: Viewer;
/** which clients each viewer may read, kept by the test itself (not asked of clientScope) */
const scopeOf = new Map<Viewer, (f: Fact) => boolean>();
const swCurrent = new Set<number>();

function viewerOf(user: { id: number; personId: number }, roles: RoleGrant[]): Viewer {
  return { id: user.id, personId: user.personId, roles };
}

beforeAll(async () => {
  const db = getDb();
  districtA = makeDistrict().id;
  districtB = makeDistrict().id;
  const sw = await makeSocialWorker(districtA);
  const coord = await makeCoordinator([districtA]);
  const adminUser = await makeSignedInUser([{ role: "admin", districtId: null }]);
  const author = await makeUser([{ role: "admin", districtId: null }]);
  socialWorker = viewerOf(sw, [{ role: "social_worker", districtId: districtA }]);
  coordinator = viewerOf(coord, [{ role: "coordinator", districtId: districtA }]);
  admin = { id: adminUser.id, personId: 0, roles: [{ role: "admin", districtId: null }] };

  const rnd = random(20260228);
  // intake dates: 29 February and its neighbours, month ends, and each list date minus each milestone, ±1 day
  const intakes = new Set<string>(["2016-02-29", "2019-02-28", "2020-02-29", "2021-02-28", "2021-03-01", "2022-08-31", "2023-02-28", "2023-08-31", "2024-02-29"]);
  for (const d of DATES)
    for (const m of MILESTONES)
      for (const delta of [-1, 0, 1, 30, 31]) {
        const back = "days" in m ? addDays(d, -m.days) : addMonths(d, -m.months);
        intakes.add(addDays(back, delta));
      }
  for (let i = 0; i < 40; i++) intakes.add(addDays("2015-01-01", rnd.int(4400)));
  let n = 0;
  for (const intakeDate of [...intakes].sort()) {
    // two clients on most intake dates, so that ties on the same date are common
    for (let copy = 0; copy < 1 + rnd.int(2) + (rnd.next() < 0.2 ? 1 : 0); copy++) {
      n += 1;
      const districtId = rnd.next() < 0.8 ? districtA : districtB;
      const r = rnd.next();
      const status: ClientStatus = r < 0.7 ? "active" : r < 0.8 ? "in_facility" : "closed";
      const closedOn = status !== "closed" ? null : rnd.next() < 0.2 ? null : rnd.pick([...DATES, addDays(intakeDate, rnd.int(3000)), addDays(rnd.pick(DATES), 1)]);
      const alias = rnd.next() < 0.5 ? rnd.pick(ALIASES) : `测试对象${String(rnd.int(50)).padStart(2, "0")}（化名）`;
      const caseNumber = `SQLPAGE-${n}`;
      const c = db
        .insert(clients)
        .values({ caseNumber, alias, districtId, legalStatus: "community_rehab", intakeDate, riskLevel: "low", status, closedOn })
        .returning({ id: clients.id })
        .get();
      const fact: Fact = { id: c.id, alias, caseNumber, districtId, intakeDate, status, closedOn, events: [], recognitions: [] };
      // events: none, or a few, of every kind, from before intake to after the last list date
      const count = rnd.pick([0, 0, 1, 1, 2, 3]);
      for (let k = 0; k < count; k++) {
        const date = rnd.next() < 0.3 ? addDays(rnd.pick(DATES), rnd.pick([-1095, -1094, -1096, -30, -1, 0, 1, -90, -60 * 30])) : addDays(intakeDate, rnd.int(4000) - 400);
        const kind = rnd.pick(SUBSTANCE_EVENT_KINDS);
        if (fact.events.some((e) => e.date === date && e.kind === kind)) continue;
        db.insert(substanceEvents).values({ clientId: c.id, date, kind }).run();
        fact.events.push({ date, kind });
      }
      // recognitions: some before the list dates, some after, some followed by a relapse
      if (rnd.next() < 0.2) {
        const recognisedOn = rnd.next() < 0.5 ? addDays(intakeDate, 1096 + rnd.int(800)) : rnd.pick(DATES);
        db.insert(recognitions).values({ clientId: c.id, recognisedOn, recognisedByUserId: author.id }).run();
        fact.recognitions.push({ recognisedOn });
        if (rnd.next() < 0.5) {
          const date = addDays(recognisedOn, 1 + rnd.int(300));
          if (!fact.events.some((e) => e.date === date && e.kind === "relapse")) {
            db.insert(substanceEvents).values({ clientId: c.id, date, kind: "relapse" }).run();
            fact.events.push({ date, kind: "relapse" });
          }
        }
      }
      // the social worker's caseload: current assignments count, ended ones do not
      if (districtId === districtA && rnd.next() < 0.4) {
        const ended = rnd.next() < 0.2;
        db.insert(clientAssignments)
          .values({ clientId: c.id, kind: "social_worker", personId: sw.personId, fromDate: intakeDate, toDate: ended ? addDays(intakeDate, 10) : null })
          .run();
        if (!ended) swCurrent.add(c.id);
      }
      facts.push(fact);
    }
  }
  // on each list date D, clients long abstinent whose case closes, or who are recognised, on D or the day after,
  // and one whose clock restarts on D (the day after is a future event at D)
  for (const d of DATES) {
    const edges: { closedOn?: string; recognisedOn?: string; event?: string }[] = [
      { closedOn: d },
      { closedOn: addDays(d, 1) },
      { recognisedOn: d },
      { recognisedOn: addDays(d, 1) },
      { event: d },
      { event: addDays(d, 1) },
    ];
    for (const e of edges) {
      n += 1;
      const alias = `边界${n}（化名）`;
      const status: ClientStatus = e.closedOn ? "closed" : "active";
      const c = db
        .insert(clients)
        .values({ caseNumber: `SQLPAGE-${n}`, alias, districtId: districtA, legalStatus: "community_rehab", intakeDate: "2016-02-29", riskLevel: "low", status, closedOn: e.closedOn ?? null })
        .returning({ id: clients.id })
        .get();
      const fact: Fact = { id: c.id, alias, caseNumber: `SQLPAGE-${n}`, districtId: districtA, intakeDate: "2016-02-29", status, closedOn: e.closedOn ?? null, events: [], recognitions: [] };
      if (e.recognisedOn) {
        db.insert(recognitions).values({ clientId: c.id, recognisedOn: e.recognisedOn, recognisedByUserId: author.id }).run();
        fact.recognitions.push({ recognisedOn: e.recognisedOn });
      }
      if (e.event) {
        db.insert(substanceEvents).values({ clientId: c.id, date: e.event, kind: "use" }).run();
        fact.events.push({ date: e.event, kind: "use" });
      }
      facts.push(fact);
    }
  }
  scopeOf.set(admin, () => true);
  scopeOf.set(coordinator, (f) => f.districtId === districtA);
  scopeOf.set(socialWorker, (f) => swCurrent.has(f.id));
}, 60_000);

// ----- the former definitions, in JavaScript over every client --------------------------------

function oldRecognitionWorklist(viewer: Viewer, asOf: string, districtId: number | null): RecognitionWorklistRow[] {
  const inScope = scopeOf.get(viewer)!;
  const out: RecognitionWorklistRow[] = [];
  for (const f of facts) {
    if (!inScope(f) || (districtId && f.districtId !== districtId)) continue;
    if (!isEligibleForRecognition(f, asOf)) continue;
    const since = abstinentSince(f.intakeDate, f.events, asOf);
    out.push({ ...rowBase(f), since, eligibleFrom: threeYearsAfter(since), daysAbstinent: daysBetween(since, asOf) });
  }
  return out.sort((a, b) => (a.since === b.since ? codePoint(a.alias, b.alias) || a.clientId - b.clientId : a.since < b.since ? -1 : 1));
}

function oldUpcomingMilestones(viewer: Viewer, today: string, withinDays: number, districtId: number | null): UpcomingMilestone[] {
  const inScope = scopeOf.get(viewer)!;
  const until = addDays(today, withinDays);
  const yesterday = addDays(today, -1);
  const out: UpcomingMilestone[] = [];
  for (const f of facts) {
    if (!inScope(f) || (districtId && f.districtId !== districtId)) continue;
    if (f.intakeDate > today || isClosedAsOf(f, today)) continue;
    const since = abstinentSince(f.intakeDate, f.events, today);
    const { next } = milestones(since, yesterday);
    if (!next || next.date > until) continue;
    out.push({ ...rowBase(f), since, milestone: next, inDays: daysBetween(today, next.date) });
  }
  return out.sort((a, b) =>
    a.milestone.date === b.milestone.date ? codePoint(a.alias, b.alias) || a.clientId - b.clientId : a.milestone.date < b.milestone.date ? -1 : 1,
  );
}

function rowBase(f: Fact) {
  const district = f.districtId === districtA ? districtNames.get(districtA)! : districtNames.get(districtB)!;
  return { clientId: f.id, alias: f.alias, caseNumber: f.caseNumber, districtZh: district.zh, districtEn: district.en };
}
const districtNames = new Map<number, { zh: string; en: string }>();

/** Every page of a paged function, checking each page's total, then one page past the end. */
function allPages<T>(fetch: (page: { limit: number; offset: number }) => { rows: T[]; total: number }, limit: number, expectedTotal: number): T[] {
  const out: T[] = [];
  for (let offset = 0; offset < expectedTotal; offset += limit) {
    const { rows, total } = fetch({ limit, offset });
    expect(total).toBe(expectedTotal);
    expect(rows.length).toBe(Math.min(limit, expectedTotal - offset));
    out.push(...rows);
  }
  const past = fetch({ limit, offset: Math.max(expectedTotal, 1) + limit });
  expect(past).toEqual({ rows: [], total: expectedTotal });
  return out;
}

describe("the SQL-paged worklists equal their former JavaScript definitions", () => {
  beforeAll(() => {
    for (const d of getDb().select().from(districts).all()) districtNames.set(d.id, { zh: d.nameZh, en: d.nameEn });
  });

  it("the data set is varied enough to tell a wrong filter: both lists have rows and exclusions of each kind", () => {
    expect(facts.length).toBeGreaterThan(250);
    const asOf = "2026-11-28";
    const eligible = oldRecognitionWorklist(admin, asOf, null);
    expect(eligible.length).toBeGreaterThan(20);
    // excluded for each reason by the former rule: closed, recognised, abstinent too recently, not yet served
    const excluded = facts.filter((f) => !isEligibleForRecognition(f, asOf));
    expect(excluded.some((f) => isClosedAsOf(f, asOf) && abstinentSince(f.intakeDate, f.events, asOf) < "2023-11-28")).toBe(true);
    expect(excluded.some((f) => f.recognitions.some((r) => r.recognisedOn <= asOf) && !isClosedAsOf(f, asOf))).toBe(true);
    expect(excluded.some((f) => f.intakeDate > asOf)).toBe(true);
    // a recognition dated after D does not take a client off the list at D
    expect(eligible.some((r) => facts.find((f) => f.id === r.clientId)!.recognitions.length > 0)).toBe(true);
    // ties on the same date with aliases whose orders disagree
    const tied = eligible.filter((r, i) => eligible.some((o, j) => i !== j && o.since === r.since));
    expect(tied.length).toBeGreaterThan(4);
    const upcoming = oldUpcomingMilestones(admin, asOf, 30, null);
    expect(upcoming.length).toBeGreaterThan(20);
    expect(new Set(upcoming.map((u) => u.milestone.key)).size).toBe(MILESTONES.length);
    expect(upcoming.some((u) => u.inDays === 0) && upcoming.some((u) => u.inDays === 30)).toBe(true);
    expect(oldUpcomingMilestones(coordinator, asOf, 30, null).length).toBeLessThan(upcoming.length);
    expect(oldUpcomingMilestones(socialWorker, asOf, 30, null).length).toBeGreaterThan(3);
  });

  it("recognition worklist: same rows, order and total on every page, for every viewer, date and page size, and with a district", () => {
    let compared = 0;
    for (const asOf of DATES)
      for (const [viewer, districtId] of [
        [admin, null],
        [admin, districtB],
        [coordinator, null],
        [coordinator, districtB],
        [socialWorker, null],
      ] as const)
        for (const limit of PAGE_SIZES) {
          const expected = oldRecognitionWorklist(viewer, asOf, districtId);
          const got = allPages((page) => recognitionWorklist(getDb(), viewer, { asOf, districtId, page }), limit, expected.length);
          expect(got, `recognition as of ${asOf}, page size ${limit}`).toEqual(expected);
          compared += got.length;
        }
    expect(compared).toBeGreaterThan(1000);
  });

  it("upcoming milestones: same rows, milestone, order and total on every page, for every viewer, date, window and page size", () => {
    let compared = 0;
    for (const today of DATES)
      for (const withinDays of WINDOWS)
        for (const [viewer, districtId] of [
          [admin, districtA],
          [admin, null],
          [coordinator, null],
          [coordinator, districtB],
          [socialWorker, null],
        ] as const)
          // pages of one row only for the social worker's short list: they cost a statement each
          for (const limit of viewer === socialWorker ? PAGE_SIZES : PAGE_SIZES.slice(1)) {
            const expected = oldUpcomingMilestones(viewer, today, withinDays, districtId);
            const got = allPages((page) => upcomingMilestones(getDb(), viewer, { today, withinDays, districtId, page }), limit, expected.length);
            expect(got, `milestones on ${today} within ${withinDays} days, page size ${limit}`).toEqual(expected);
            compared += got.length;
          }
    expect(compared).toBeGreaterThan(1000);
  }, 120_000);

  it("a client of another district or an ended assignment never appears, whatever the district asked for", () => {
    for (const asOf of DATES) {
      const coordIds = recognitionWorklist(getDb(), coordinator, { asOf, districtId: districtB, page: { limit: 1000, offset: 0 } }).rows.map((r) => r.clientId);
      expect(coordIds.every((id) => facts.find((f) => f.id === id)!.districtId === districtA)).toBe(true);
      const swIds = upcomingMilestones(getDb(), socialWorker, { today: asOf, withinDays: 90, page: { limit: 1000, offset: 0 } }).rows.map((r) => r.clientId);
      expect(swIds.every((id) => swCurrent.has(id))).toBe(true);
    }
  });
});

describe("milestoneSinceTable, the milestones rule tabulated for SQL", () => {
  it("holds exactly the since dates whose next milestone falls in the window, with that milestone, on 29 February, month ends and year ends", () => {
    const todays = ["2024-02-28", "2024-02-29", "2024-03-01", "2025-02-28", "2025-03-01", "2026-08-31", "2026-09-30", "2026-12-31", "2028-02-29"];
    for (const today of todays)
      for (const within of [0, 1, 29, 30, 31, 90, 200]) {
        const until = addDays(today, within);
        const yesterday = addDays(today, -1);
        const expected: { since: string; milestone: { key: string; date: string } }[] = [];
        // every since date that could matter, and more: from 62 months back to today
        for (let s = addMonths(today, -62); s <= today; s = addDays(s, 1)) {
          const { next } = milestones(s, yesterday);
          if (next && next.date <= until) expected.push({ since: s, milestone: next });
        }
        expect(milestoneSinceTable(today, until), `${today} + ${within}`).toEqual(expected);
      }
  });

  it("is empty for a window that ends before it starts", () => {
    expect(milestoneSinceTable("2026-11-28", "2026-11-27")).toEqual([]);
  });
});
