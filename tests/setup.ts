// Every test file gets its own real SQLite file, migrated from drizzle/ on first use.
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";

const dir = path.resolve("tmp/test-db");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${process.env.VITEST_POOL_ID ?? "0"}-${randomUUID()}.db`);
process.env.DATABASE_URL = file;
process.env.NODE_ENV = "test";
process.env.TONGBAN_QUIET = "1";

afterAll(async () => {
  const { closeDb } = await import("~/db.server");
  closeDb();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
});
