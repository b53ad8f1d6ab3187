import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { settings } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { int, text } from "~/domain/shared/fields";
import { ORGANISATION_NAME_MAX, OVERDUE_DAYS_MAX, OVERDUE_DAYS_MIN, TIME_ZONE_MAX } from "./limits";

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

/** The zone's canonical spelling ("asia/shanghai" → "Asia/Shanghai"); call only with a valid zone. */
export function canonicalTimeZone(tz: string): string {
  return new Intl.DateTimeFormat("en", { timeZone: tz }).resolvedOptions().timeZone;
}

export { ORGANISATION_NAME_MAX, OVERDUE_DAYS_MAX, OVERDUE_DAYS_MIN, TIME_ZONE_MAX };

export const SettingsSchema = z.object({
  organisationNameZh: text({ max: ORGANISATION_NAME_MAX }),
  organisationNameEn: text({ max: ORGANISATION_NAME_MAX }),
  timeZone: text({ max: TIME_ZONE_MAX }).refine(isValidTimeZone, { error: "admin.settings.badTimeZone" }).transform(canonicalTimeZone),
  overdueThresholdDays: int({ min: OVERDUE_DAYS_MIN, max: OVERDUE_DAYS_MAX }),
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

/** The checks the form schema makes, repeated for callers without a form (scripts, imports). */
function assertSettings(next: Settings): void {
  for (const key of ["organisationNameZh", "organisationNameEn"] as const) {
    const v = next[key];
    if (typeof v !== "string" || !v.trim()) throw new DomainError("form.required", key);
    if (v.length > ORGANISATION_NAME_MAX) throw new DomainError(`form.tooLong?max=${ORGANISATION_NAME_MAX}`, key);
  }
  if (typeof next.timeZone !== "string" || !isValidTimeZone(next.timeZone)) throw new DomainError("admin.settings.badTimeZone", "timeZone");
  const days = next.overdueThresholdDays;
  if (!Number.isInteger(days) || days < OVERDUE_DAYS_MIN || days > OVERDUE_DAYS_MAX) {
    throw new DomainError(`form.numberRange?min=${OVERDUE_DAYS_MIN}&max=${OVERDUE_DAYS_MAX}`, "overdueThresholdDays");
  }
}

/**
 * Saves the settings that differ from the current ones. Each changed setting gets its own audit
 * entry (entity "settings", entity id = the setting's key, details {from, to}) in the same transaction.
 */
export function saveSettings(db: Db, actor: Actor, next: Settings): void {
  assertSettings(next);
  db.transaction((tx) => {
    const before = getSettings(db);
    for (const key of KEYS) {
      if (before[key] === next[key]) continue;
      const now = new Date().toISOString();
      tx.insert(settings)
        .values({ key, value: next[key], updatedBy: actor.userId })
        .onConflictDoUpdate({ target: settings.key, set: { value: next[key], updatedBy: actor.userId, updatedAt: now } })
        .run();
      recordAudit(tx, actor, { action: "update", entity: "settings", entityId: key, details: { from: before[key], to: next[key] } });
    }
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
