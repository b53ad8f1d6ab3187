import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { settings } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { int, text } from "~/domain/shared/fields";

/** The organisation's choices (CONVENTIONS.md pattern 9). Defaults apply until an admin saves a value. */
export type Settings = {
  organisationNameZh: string;
  organisationNameEn: string;
  timeZone: string;
  overdueThresholdDays: number;
};

export const DEFAULT_SETTINGS: Settings = {
  organisationNameZh: "同伴教育项目（示例组织）",
  organisationNameEn: "Peer Education Program (example organisation)",
  timeZone: "Asia/Shanghai",
  overdueThresholdDays: 30,
};

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const SettingsSchema = z.object({
  organisationNameZh: text({ max: 120 }),
  organisationNameEn: text({ max: 120 }),
  timeZone: text({ max: 64 }).refine(isValidTimeZone, { error: "admin.settings.badTimeZone" }),
  overdueThresholdDays: int({ min: 1, max: 365 }),
});

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

export function getSettings(db: Db): Settings {
  const rows = db.select().from(settings).all();
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    if ((KEYS as string[]).includes(row.key)) {
      (out as Record<string, unknown>)[row.key] = row.value;
    }
  }
  return out;
}

export function saveSettings(db: Db, actor: Actor, next: Settings): void {
  db.transaction((tx) => {
    const before = getSettings(db);
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of KEYS) {
      if (before[key] === next[key]) continue;
      changed[key] = { from: before[key], to: next[key] };
      const now = new Date().toISOString();
      tx.insert(settings)
        .values({ key, value: next[key], updatedBy: actor.userId })
        .onConflictDoUpdate({ target: settings.key, set: { value: next[key], updatedBy: actor.userId, updatedAt: now } })
        .run();
    }
    if (Object.keys(changed).length) recordAudit(tx, actor, { action: "update", entity: "settings", details: changed });
  });
}

export function getSetting<K extends keyof Settings>(db: Db, key: K): Settings[K] {
  const row = db.select().from(settings).where(eq(settings.key, key)).get();
  return (row?.value as Settings[K] | undefined) ?? DEFAULT_SETTINGS[key];
}

/** Demo databases carry this mark; the sign-in page then says that every person is fictional. */
export const DEMO_KEY = "demo";

export function isDemoDatabase(db: Db): boolean {
  return db.select().from(settings).where(eq(settings.key, DEMO_KEY)).get()?.value === true;
}

export function markDemoDatabase(db: Db): void {
  db.insert(settings).values({ key: DEMO_KEY, value: true }).onConflictDoNothing().run();
}
