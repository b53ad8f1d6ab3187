/**
 * overdueSql (the database's "overdue") says what isOverdue (the rule in outcomes.ts) says, on a
 * grid of last contacts around the threshold and the local-day boundary, next-contact dates
 * around "today", thresholds and time zones.
 */
import { inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { isOverdue, lastContactSql, nextContactDueSql, overdueSql } from "~/domain/clients";
import { startOfLocalDayUtc } from "~/i18n/format";
import { clients } from "#db/schema";
import { makeDistrict, makeUser } from "../../factories";
import { addContact, makeClient } from "../../clients-factories";

const AS_OF = "2026-03-15";

type Case = { label: string; contacts: { at: string; nextDue?: string | null }[] };

/** An instant `minutes` after the start of a local day in a zone. */
function at(date: string, zone: string, minutes = 0): string {
  return new Date(startOfLocalDayUtc(date, zone).getTime() + minutes * 60_000).toISOString();
}

function casesFor(zone: string, threshold: number): Case[] {
  const cutoffDay = new Date(Date.UTC(2026, 2, 15 - threshold)).toISOString().slice(0, 10);
  const dayBefore = new Date(Date.UTC(2026, 2, 14 - threshold)).toISOString().slice(0, 10);
  return [
    { label: "never contacted", contacts: [] },
    { label: "contact today", contacts: [{ at: at(AS_OF, zone, 600) }] },
    { label: "exactly threshold days ago, first minute", contacts: [{ at: at(cutoffDay, zone, 0) }] },
    { label: "exactly threshold days ago, last minute", contacts: [{ at: at(cutoffDay, zone, 1439) }] },
    { label: "one day over, last minute", contacts: [{ at: at(dayBefore, zone, 1439) }] },
    { label: "one day over, written without milliseconds", contacts: [{ at: at(dayBefore, zone, 1439).replace(".000Z", "Z") }] },
    { label: "long ago", contacts: [{ at: at("2025-01-01", zone, 60) }] },
    { label: "recent, next due yesterday", contacts: [{ at: at(AS_OF, zone, 60), nextDue: "2026-03-14" }] },
    { label: "recent, next due today", contacts: [{ at: at(AS_OF, zone, 60), nextDue: AS_OF }] },
    { label: "recent, next due tomorrow", contacts: [{ at: at(AS_OF, zone, 60), nextDue: "2026-03-16" }] },
    {
      label: "older contact promised a passed date, latest contact set none",
      contacts: [{ at: at("2026-03-01", zone, 60), nextDue: "2026-03-05" }, { at: at(AS_OF, zone, 30) }],
    },
    {
      label: "latest contact promised a passed date",
      contacts: [{ at: at("2026-03-01", zone, 60) }, { at: at("2026-03-10", zone, 30), nextDue: "2026-03-12" }],
    },
    { label: "old contact, next due in the future", contacts: [{ at: at("2025-06-01", zone, 60), nextDue: "2026-04-01" }] },
  ];
}

let districtId: number;
let authorId: number;

beforeAll(async () => {
  districtId = makeDistrict().id;
  authorId = (await makeUser([{ role: "social_worker", districtId }])).id;
});

describe("overdueSql agrees with isOverdue", () => {
  for (const zone of ["Asia/Shanghai", "America/New_York", "UTC"]) {
    for (const threshold of [0, 1, 30]) {
      it(`on every case in ${zone} with a ${threshold}-day threshold`, async () => {
        const ids = new Map<number, Case>();
        for (const c of casesFor(zone, threshold)) {
          const client = await makeClient({ districtId, intakeDate: "2024-01-01" });
          for (const contact of c.contacts) addContact({ clientId: client.id, authorUserId: authorId, happenedAt: contact.at, nextContactDue: contact.nextDue ?? null });
          ids.set(client.id, c);
        }
        const rows = getDb()
          .select({ id: clients.id, overdue: overdueSql(AS_OF, threshold, zone), last: lastContactSql(), next: nextContactDueSql() })
          .from(clients)
          .where(inArray(clients.id, [...ids.keys()]))
          .all();
        expect(rows).toHaveLength(ids.size);
        let overdueCount = 0;
        for (const row of rows) {
          const c = ids.get(row.id)!;
          const latest = [...c.contacts].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
          const expected = isOverdue({ lastContactAt: latest?.at ?? null, nextContactDue: latest?.nextDue ?? null }, AS_OF, threshold, zone);
          expect(Boolean(row.overdue), `${c.label} (${zone}, ${threshold})`).toBe(expected.overdue);
          // the row's own cadence read back gives the same answer (what the list shows next to the filter)
          expect(isOverdue({ lastContactAt: row.last, nextContactDue: row.next }, AS_OF, threshold, zone).overdue, `${c.label} read back ${row.last} ${row.next}`).toBe(expected.overdue);
          if (expected.overdue) overdueCount++;
        }
        // the grid holds both answers, so agreement is not agreement on a constant
        expect(overdueCount).toBeGreaterThan(2);
        expect(overdueCount).toBeLessThan(rows.length - 2);
      });
    }
  }

  it("counts a contact exactly threshold days ago as not overdue and one more day as overdue", async () => {
    const zone = "Asia/Shanghai";
    const onTime = await makeClient({ districtId });
    const late = await makeClient({ districtId });
    addContact({ clientId: onTime.id, authorUserId: authorId, happenedAt: at("2026-02-13", zone, 5) });
    addContact({ clientId: late.id, authorUserId: authorId, happenedAt: at("2026-02-12", zone, 1435) });
    const rows = getDb()
      .select({ id: clients.id, overdue: overdueSql(AS_OF, 30, zone) })
      .from(clients)
      .where(inArray(clients.id, [onTime.id, late.id]))
      .all();
    expect(Boolean(rows.find((r) => r.id === onTime.id)!.overdue)).toBe(false);
    expect(Boolean(rows.find((r) => r.id === late.id)!.overdue)).toBe(true);
  });

  it("judges a past date as it stood then: a later contact, or a later promise, does not count", async () => {
    const zone = "Asia/Shanghai";
    const lapsed = await makeClient({ districtId });
    const promised = await makeClient({ districtId });
    // overdue on AS_OF (last contact two months earlier), contacted the day after
    addContact({ clientId: lapsed.id, authorUserId: authorId, happenedAt: at("2026-01-10", zone, 600) });
    addContact({ clientId: lapsed.id, authorUserId: authorId, happenedAt: at("2026-03-16", zone, 1) });
    // a contact on AS_OF promising the next one later; then a contact after AS_OF promising an earlier date
    addContact({ clientId: promised.id, authorUserId: authorId, happenedAt: at(AS_OF, zone, 600), nextContactDue: "2026-04-01" });
    addContact({ clientId: promised.id, authorUserId: authorId, happenedAt: at("2026-03-20", zone, 600), nextContactDue: "2026-03-01" });
    const overdueOn = (asOf: string) =>
      Object.fromEntries(
        getDb()
          .select({ id: clients.id, overdue: overdueSql(asOf, 30, zone) })
          .from(clients)
          .where(inArray(clients.id, [lapsed.id, promised.id]))
          .all()
          .map((r) => [r.id, Boolean(r.overdue)]),
      );
    expect(overdueOn(AS_OF)).toEqual({ [lapsed.id]: true, [promised.id]: false });
    expect(overdueOn("2026-03-21")).toEqual({ [lapsed.id]: false, [promised.id]: true });
  });

  it("refuses a malformed date or threshold", () => {
    expect(() => overdueSql("2026-02-30", 30)).toThrow(RangeError);
    expect(() => overdueSql(AS_OF, -1)).toThrow(RangeError);
    expect(() => overdueSql(AS_OF, 1.5)).toThrow(RangeError);
  });
});
