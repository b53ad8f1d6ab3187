import { migrateDatabase, openDatabase, type Db } from "#db/client";
import { env } from "./env.server";

let instance: Db | undefined;

/** The process-wide database handle, opened (and migrated) on first use. */
export function getDb(): Db {
  if (!instance) {
    instance = openDatabase(env().DATABASE_URL);
    migrateDatabase(instance);
  }
  return instance;
}

export function closeDb(): void {
  instance?.$client.close();
  instance = undefined;
}

export type { Db };
