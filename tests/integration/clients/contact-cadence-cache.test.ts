/**
 * The contact cadence kept on the client's row (clients.last_contact_at / next_contact_due, kept by
 * the triggers of migration 0012) always equals what the contact log says: after any sequence of
 * inserts (ties at the same instant, out of order, with and without a next-contact date), edits
 * that move a contact in time or to another client, and deletions, whoever writes them.
 */
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts } from "#db/schema";
import { getDb } from "~/db.server";
import { makeDistrict, makeUser } from "../../factories";
import { addContact, makeClient } from "../../clients-factories";

/** Clients whose kept cadence differs from the one recomputed from the log (the definition). */
function mismatches(clientIds: number[]): unknown[] {
  return getDb()
    .$client.prepare(
      `select c.id, c.last_contact_at as kept, c.next_contact_due as keptDue,
         (select max(k.happened_at) from contacts k where k.client_id = c.id) as last,
         (select k.next_contact_due from contacts k where k.client_id = c.id order by k.happened_at desc, k.id desc limit 1) as due
       from clients c where c.id in (${clientIds.map(() => "?").join(",")})
         and (c.last_contact_at is not (select max(k.happened_at) from contacts k where k.client_id = c.id)
           or c.next_contact_due is not (select k.next_contact_due from contacts k where k.client_id = c.id order by k.happened_at desc, k.id desc limit 1))`,
    )
    .all(...clientIds);
}

const instants = ["2026-01-05T01:00:00.000Z", "2026-01-05T01:00:00.000Z", "2026-02-10T08:30:00.000Z", "2025-12-31T16:00:00.000Z", "2026-03-01T00:00:00.000Z"];
const dues = [null, "2026-02-01", "2026-04-15", null];

type Op =
  | { kind: "insert"; client: number; at: number; due: number }
  | { kind: "move"; nth: number; at: number }
  | { kind: "setDue"; nth: number; due: number }
  | { kind: "reassign"; nth: number; client: number }
  | { kind: "delete"; nth: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("insert" as const), client: fc.nat(2), at: fc.nat(instants.length - 1), due: fc.nat(dues.length - 1) }) },
  fc.record({ kind: fc.constant("move" as const), nth: fc.nat(30), at: fc.nat(instants.length - 1) }),
  fc.record({ kind: fc.constant("setDue" as const), nth: fc.nat(30), due: fc.nat(dues.length - 1) }),
  fc.record({ kind: fc.constant("reassign" as const), nth: fc.nat(30), client: fc.nat(2) }),
  fc.record({ kind: fc.constant("delete" as const), nth: fc.nat(30) }),
);

describe("the contact cadence kept on the client's row", () => {
  it("a client never contacted has none", async () => {
    const client = await makeClient({ districtId: makeDistrict().id });
    const row = getDb().$client.prepare("select last_contact_at, next_contact_due from clients where id = ?").get(client.id);
    expect(row).toEqual({ last_contact_at: null, next_contact_due: null });
  });

  it("a later contact without a next-contact date clears the earlier promise; an earlier one changes nothing", async () => {
    const author = await makeUser([{ role: "admin", districtId: null }]);
    const client = await makeClient({ districtId: makeDistrict().id });
    const read = () => getDb().$client.prepare("select last_contact_at as last, next_contact_due as due from clients where id = ?").get(client.id);
    addContact({ clientId: client.id, authorUserId: author.id, happenedAt: "2026-03-01T02:00:00.000Z", nextContactDue: "2026-03-20" });
    expect(read()).toEqual({ last: "2026-03-01T02:00:00.000Z", due: "2026-03-20" });
    addContact({ clientId: client.id, authorUserId: author.id, happenedAt: "2026-02-01T02:00:00.000Z", nextContactDue: "2026-02-05" });
    expect(read()).toEqual({ last: "2026-03-01T02:00:00.000Z", due: "2026-03-20" });
    addContact({ clientId: client.id, authorUserId: author.id, happenedAt: "2026-03-02T02:00:00.000Z" });
    expect(read()).toEqual({ last: "2026-03-02T02:00:00.000Z", due: null });
  });

  it("equals the contact log after any sequence of inserts, edits and deletions", async () => {
    const author = await makeUser([{ role: "admin", districtId: null }]);
    const districtId = makeDistrict().id;
    const db = getDb();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const ids = [(await makeClient({ districtId })).id, (await makeClient({ districtId })).id, (await makeClient({ districtId })).id];
        const written: number[] = [];
        for (const o of ops) {
          const target = written.length ? written[("nth" in o ? o.nth : 0) % written.length]! : null;
          if (o.kind === "insert") {
            written.push(addContact({ clientId: ids[o.client]!, authorUserId: author.id, happenedAt: instants[o.at]!, nextContactDue: dues[o.due]! }).id);
          } else if (target === null) {
            continue;
          } else if (o.kind === "move") {
            db.update(contacts).set({ happenedAt: instants[o.at]! }).where(eq(contacts.id, target)).run();
          } else if (o.kind === "setDue") {
            db.update(contacts).set({ nextContactDue: dues[o.due]! }).where(eq(contacts.id, target)).run();
          } else if (o.kind === "reassign") {
            db.update(contacts).set({ clientId: ids[o.client]! }).where(eq(contacts.id, target)).run();
          } else {
            db.delete(contacts).where(eq(contacts.id, target)).run();
            written.splice(written.indexOf(target), 1);
          }
        }
        expect(mismatches(ids)).toEqual([]);
      }),
      { numRuns: 60, seed: 20261128 },
    );
  });
});
