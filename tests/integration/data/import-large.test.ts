/**
 * 100,000 rows in one transaction: read from a file as a stream, written all together, with
 * progress reported along the way.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clients } from "#db/schema";
import { sql } from "drizzle-orm";
import { getDb } from "~/db.server";
import { importCsv } from "~/domain/data";
import { buildWorld, HEADERS, IMPORTER, NOW } from "./world";

const dir = mkdtempSync(path.join(tmpdir(), "tongban-large-"));
const file = path.join(dir, "clients-100k.csv");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await buildWorld(getDb());
  const fd = openSync(file, "w");
  writeSync(fd, `\ufeff${HEADERS.clients}\r\n`);
  let chunk = "";
  for (let i = 1; i <= 100_000; i++) {
    chunk += `BIG-${String(i).padStart(6, "0")},测试对象${i}（化名）,${i % 2 ? "dt-east" : "dt-west"},,20${String(10 + (i % 15)).padStart(2, "0")}-0${1 + (i % 9)}-15,voluntary,${i % 2 ? "sw-wang" : "sw-li"},\r\n`;
    if (i % 5000 === 0) {
      writeSync(fd, chunk);
      chunk = "";
    }
  }
  closeSync(fd);
});

describe("a large import", () => {
  it("imports 100,000 clients from a file in one transaction, reporting progress", { timeout: 400_000 }, () => {
    const progress: number[] = [];
    const r = importCsv(getDb(), IMPORTER, { kind: "clients", source: { path: file }, now: NOW, onProgress: (n) => progress.push(n), progressEvery: 10_000 });
    expect(r).toMatchObject({ ok: true, rows: 100_000, inserted: 100_000, unchanged: 0 });
    expect(progress).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000, 100_000]);
    expect(getDb().select({ n: sql<number>`count(*)` }).from(clients).get()?.n).toBe(100_000);
  });
});
