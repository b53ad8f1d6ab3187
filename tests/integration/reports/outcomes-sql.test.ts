/**
 * The SQL twins of the outcome rules (clients/outcomes-sql.server.ts) decide exactly as the JS
 * rules (clients/outcomes.ts) on a grid of clients and dates: intake dates on and around
 * 29 February, clock-restarting and harmless events, recognitions with relapses after them, cases
 * closed before, on and after the date or without a closing date; and contacts around month ends
 * in the program's time zone for retention.
 */
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "~/db.server";
import { clients, contacts, recognitions, substanceEvents, type ClientStatus, type SubstanceEventKind } from "#db/schema";
import {
  abstinentSince,
  isClosedAsOf,
  isEligibleForRecognition,
  isRecognised,
  relapsedAfterRecognition,
  retainedInSupport,
} from "~/domain/clients/outcomes";
import {
  abstinentSinceSql,
  closedAsOfSql,
  eligibleSql,
  recognisedSql,
  relapsedAfterRecognitionSql,
  retainedSql,
  servedSql,
} from "~/domain/clients/outcomes-sql.server";
import { makeDistrict, makeUser } from "../../factories";

type Fact = {
  id: number;
  intakeDate: string;
  status: ClientStatus;
  closedOn: string | null;
  events: { date: string; kind: SubstanceEventKind }[];
  recognitions: { recognisedOn: string }[];
  contacts: string[];
};

const INTAKES = ["2019-02-28", "2020-02-29", "2021-03-01", "2023-06-15"];
const EVENT_SETS: { date: string; kind: SubstanceEventKind }[][] = [
  [],
  [{ date: "2021-02-28", kind: "facility_release" }],
  [
    { date: "2021-02-28", kind: "relapse" },
    { date: "2024-01-01", kind: "test_negative" },
  ],
  [
    { date: "2020-02-29", kind: "use" },
    { date: "2023-09-01", kind: "test_positive" },
  ],
];
const RECOGNITION_SETS = [[], [{ recognisedOn: "2023-03-01" }], [{ recognisedOn: "2022-03-01" }, { recognisedOn: "2024-02-29" }]];
const STATUSES: { status: ClientStatus; closedOn: string | null }[] = [
  { status: "active", closedOn: null },
  { status: "in_facility", closedOn: null },
  { status: "closed", closedOn: "2023-02-28" },
  { status: "closed", closedOn: null },
];
const AS_OF = ["2023-02-28", "2023-03-01", "2024-02-28", "2024-02-29", "2024-03-01", "2025-06-30"];

describe("the outcome rules' SQL twins agree with the JS rules", () => {
  it("served, closed, abstinent since, recognised, eligible and relapsed-after-recognition on a grid of 192 clients and 6 dates", async () => {
    const db = getDb();
    const district = makeDistrict();
    const author = await makeUser([{ role: "admin", districtId: null }]);
    const facts: Fact[] = [];
    let n = 0;
    for (const intakeDate of INTAKES)
      for (const events of EVENT_SETS)
        for (const recs of RECOGNITION_SETS)
          for (const st of STATUSES) {
            n += 1;
            const c = db
              .insert(clients)
              .values({ caseNumber: `TWIN-${n}`, alias: `孪生测试${n}（化名）`, districtId: district.id, legalStatus: "community_rehab", intakeDate, riskLevel: "low", status: st.status, closedOn: st.closedOn })
              .returning()
              .get();
            for (const e of events) db.insert(substanceEvents).values({ clientId: c.id, date: e.date, kind: e.kind }).run();
            for (const r of recs) db.insert(recognitions).values({ clientId: c.id, recognisedOn: r.recognisedOn, recognisedByUserId: author.id }).run();
            facts.push({ id: c.id, intakeDate, status: st.status, closedOn: st.closedOn, events, recognitions: recs, contacts: [] });
          }
    expect(facts).toHaveLength(192);

    for (const asOf of AS_OF) {
      const rows = db
        .select({
          id: clients.id,
          served: sql<number>`${servedSql(asOf)}`,
          closed: sql<number>`${closedAsOfSql(asOf)}`,
          since: sql<string>`${abstinentSinceSql(asOf)}`,
          recognised: sql<number>`${recognisedSql(asOf)}`,
          eligible: sql<number>`${eligibleSql(asOf)}`,
          relapsed: sql<number>`${relapsedAfterRecognitionSql(asOf)}`,
        })
        .from(clients)
        .where(sql`${clients.districtId} = ${district.id}`)
        .all();
      const byId = new Map(rows.map((r) => [r.id, r]));
      let eligibleSeen = 0;
      for (const f of facts) {
        const r = byId.get(f.id)!;
        const where = `client ${f.id} (intake ${f.intakeDate}, ${f.status} ${f.closedOn}, events ${JSON.stringify(f.events)}, recognitions ${JSON.stringify(f.recognitions)}) at ${asOf}`;
        expect(Boolean(r.served), where).toBe(f.intakeDate <= asOf);
        expect(Boolean(r.closed), where).toBe(isClosedAsOf(f, asOf));
        expect(r.since, where).toBe(abstinentSince(f.intakeDate, f.events, asOf));
        expect(Boolean(r.recognised), where).toBe(isRecognised(f.recognitions, asOf));
        const eligible = isEligibleForRecognition({ ...f, closedOn: f.closedOn }, asOf);
        expect(Boolean(r.eligible), where).toBe(eligible);
        expect(Boolean(r.relapsed), where).toBe(relapsedAfterRecognition(f.recognitions, f.events, asOf));
        if (eligible) eligibleSeen += 1;
      }
      // the grid is only a proof if both answers occur
      if (asOf === "2024-03-01") expect(eligibleSeen).toBeGreaterThan(0);
    }
  });

  it("retention: contacts around month ends in Asia/Shanghai, in each of the three months before the as-of month", async () => {
    const db = getDb();
    const district = makeDistrict();
    const author = await makeUser([{ role: "admin", districtId: null }]);
    // instants near local month boundaries (UTC+8): 2025-08-31T16:00Z is 1 September 00:00 local
    const pool = [
      "2025-08-31T15:59:59Z",
      "2025-08-31T16:00:00.000Z",
      "2025-09-15T04:00:00Z",
      "2025-09-30T15:59:59.999Z",
      "2025-09-30T16:00:00Z",
      "2025-10-20T02:00:00Z",
      "2025-10-31T16:30:00Z",
      "2025-11-10T09:00:00Z",
      "2025-11-30T15:00:00Z",
      "2025-11-30T16:00:00Z",
      "2025-12-01T01:00:00Z",
    ];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const facts: Fact[] = [];
    for (let i = 0; i < 60; i++) {
      const chosen = pool.filter(() => random() < 0.45);
      const c = db
        .insert(clients)
        .values({ caseNumber: `RET-${i}`, alias: `留存测试${i}（化名）`, districtId: district.id, legalStatus: "voluntary", intakeDate: "2025-01-01", riskLevel: "low" })
        .returning()
        .get();
      for (const at of chosen) db.insert(contacts).values({ clientId: c.id, authorUserId: author.id, type: "phone", happenedAt: at, summary: "测试（虚构）" }).run();
      facts.push({ id: c.id, intakeDate: "2025-01-01", status: "active", closedOn: null, events: [], recognitions: [], contacts: chosen });
    }
    let retainedSeen = 0;
    for (const asOf of ["2025-12-01", "2025-12-31", "2026-01-01", "2025-11-30"]) {
      const rows = db
        .select({ id: clients.id, retained: sql<number>`${retainedSql(asOf, "Asia/Shanghai")}` })
        .from(clients)
        .where(sql`${clients.districtId} = ${district.id}`)
        .all();
      for (const r of rows) {
        const f = facts.find((x) => x.id === r.id)!;
        const expected = retainedInSupport(f.contacts, asOf, "Asia/Shanghai");
        expect(Boolean(r.retained), `client ${f.id} contacts ${JSON.stringify(f.contacts)} at ${asOf}`).toBe(expected);
        if (expected) retainedSeen += 1;
      }
    }
    expect(retainedSeen).toBeGreaterThan(0);
  });
});
