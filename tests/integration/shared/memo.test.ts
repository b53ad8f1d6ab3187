/**
 * Memoised aggregates (app/domain/shared/memo.server.ts) are reused only while nothing was
 * written: any write on the app's connection (raw or through the domain), any commit by another
 * connection, and age all make the next call compute again; audit rows that record a read do not.
 * And a report asked for again answers the new figures right after a contact is recorded.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeDatabase, openDatabase } from "#db/client";
import { getDb } from "~/db.server";
import { recordAudit } from "~/domain/audit";
import { clearMemo, MAX_AGE_MS, memoised, memoStats } from "~/domain/shared/memo.server";
import { runReport, type ReportParams } from "~/domain/reports";
import { makeDistrict, makeUser } from "../../factories";
import { addContact, makeClient } from "../../clients-factories";

const actor = { userId: null, login: "memo-test", ip: "" };

function counter() {
  let calls = 0;
  return { compute: () => ++calls, calls: () => calls };
}

beforeEach(() => clearMemo());

describe("memoised aggregates", () => {
  it("answer from the cache while nobody writes", () => {
    const db = getDb();
    const c = counter();
    expect(memoised(db, "k", c.compute)).toBe(1);
    expect(memoised(db, "k", c.compute)).toBe(1);
    expect(memoised(db, "k", c.compute)).toBe(1);
    expect(c.calls()).toBe(1);
    expect(memoStats().hits).toBe(2);
  });

  it("keep different keys apart", () => {
    const db = getDb();
    expect(memoised(db, "a", () => "A")).toBe("A");
    expect(memoised(db, "b", () => "B")).toBe("B");
    expect(memoised(db, "a", () => "changed")).toBe("A");
  });

  it("compute again after any write on the connection, audited or not", () => {
    const db = getDb();
    const c = counter();
    memoised(db, "k", c.compute);
    makeDistrict(); // a raw insert, as the test factories write
    expect(memoised(db, "k", c.compute)).toBe(2);
    recordAudit(db, actor, { action: "update", entity: "setting", entityId: "x" });
    expect(memoised(db, "k", c.compute)).toBe(3);
  });

  it("do not compute again for audit rows that record a read", () => {
    const db = getDb();
    const c = counter();
    memoised(db, "k", c.compute);
    recordAudit(db, actor, { action: "view", entity: "client", entityId: 1 });
    recordAudit(db, actor, { action: "reveal_identity", entity: "client", entityId: 1 });
    recordAudit(db, actor, { action: "export", entity: "clients" });
    expect(memoised(db, "k", c.compute)).toBe(1);
  });

  it("compute again after another connection commits", () => {
    const db = getDb();
    const c = counter();
    memoised(db, "k", c.compute);
    const other = openDatabase(process.env.DATABASE_URL!);
    try {
      other.$client.prepare("insert into settings (key, value) values ('memo-test', '1') on conflict(key) do update set value = '2'").run();
    } finally {
      closeDatabase(other);
    }
    expect(memoised(db, "k", c.compute)).toBe(2);
  });

  it("compute again once an entry is older than MAX_AGE_MS", () => {
    const db = getDb();
    const c = counter();
    const t0 = 1_000_000;
    memoised(db, "k", c.compute, t0);
    expect(memoised(db, "k", c.compute, t0 + MAX_AGE_MS - 1)).toBe(1);
    expect(memoised(db, "k", c.compute, t0 + MAX_AGE_MS)).toBe(2);
  });

  it("a report asked for again shows a contact recorded in between", async () => {
    const admin = await makeUser([{ role: "admin", districtId: null }]);
    const districtId = makeDistrict().id;
    const client = await makeClient({ districtId, intakeDate: "2026-01-05" });
    const viewer = { id: admin.id, personId: 0, roles: [{ role: "admin" as const, districtId: null }] };
    const params: ReportParams = { asOf: "2026-11-28", from: "2026-11-01", to: "2026-11-28", districtIds: [districtId], groupBy: "district" };
    const contacted = () => runReport(getDb(), viewer, "contact-cadence", params).totals.contacted;
    expect(contacted()).toBe(0);
    expect(contacted()).toBe(0);
    addContact({ clientId: client.id, authorUserId: admin.id, happenedAt: "2026-11-20T03:00:00.000Z" });
    expect(contacted()).toBe(1);
  });
});

afterAll(() => clearMemo());
