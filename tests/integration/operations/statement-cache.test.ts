/**
 * The app's connection keeps prepared statements by their SQL text (app/db.server.ts guardWrites):
 * the same text gives the same statement, back in object mode whatever the last user did with it;
 * a statement still iterating is never handed out twice; the cache stays bounded.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { getDb, guardWrites, STATEMENT_CACHE_SIZE } from "~/db.server";

describe("the prepared-statement cache", () => {
  it("gives the same statement for the same SQL, and another for other SQL", () => {
    const client = getDb().$client;
    const a = client.prepare("select 1 as one");
    expect(client.prepare("select 1 as one")).toBe(a);
    expect(client.prepare("select 2 as two")).not.toBe(a);
  });

  it("hands a statement back in object mode after someone used it in raw mode", () => {
    const client = getDb().$client;
    expect(client.prepare("select 3 as three").raw().get()).toEqual([3]);
    expect(client.prepare("select 3 as three").get()).toEqual({ three: 3 });
  });

  it("never hands out a statement that is still iterating", () => {
    const client = getDb().$client;
    const sql = "select value from json_each('[1,2,3]')";
    const outer = client.prepare(sql);
    const seen: number[] = [];
    for (const row of outer.iterate() as IterableIterator<{ value: number }>) {
      const inner = client.prepare(sql);
      expect(inner).not.toBe(outer);
      seen.push(row.value, (inner.all() as { value: number }[]).length);
    }
    expect(seen).toEqual([1, 3, 2, 3, 3, 3]);
  });

  it("stays bounded, dropping the least recently used", () => {
    const client = guardWrites(new Database(":memory:"));
    const first = client.prepare("select 0 as n");
    for (let i = 1; i <= STATEMENT_CACHE_SIZE; i++) client.prepare(`select ${i} as n`);
    expect(client.prepare("select 0 as n")).not.toBe(first);
    expect(client.prepare(`select ${STATEMENT_CACHE_SIZE} as n`)).toBe(client.prepare(`select ${STATEMENT_CACHE_SIZE} as n`));
    client.close();
  });
});
