/**
 * Devices a person signs in from. A device is a hash of the browser's user-agent string (no
 * fingerprinting beyond what the browser announces). The first sign-in from a device a person has
 * not used before is noted in their notifications, so a stolen password shows itself.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { knownDevices } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { notify } from "~/domain/sessions/notifications.server";
import { invalidateUserSessions } from "./session.server";

export const deviceHash = (userAgent: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(userAgent.slice(0, 300))));

/** A short, readable name for a user-agent string: browser and system, never the whole string. */
export function deviceLabel(userAgent: string): string {
  const browser =
    /Edg\//.test(userAgent) ? "Edge" : /MicroMessenger/.test(userAgent) ? "WeChat" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrom(e|ium)\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : "";
  const system =
    /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Windows/.test(userAgent) ? "Windows" : /Mac OS X/.test(userAgent) ? "macOS" : /Linux/.test(userAgent) ? "Linux" : "";
  return [browser, system].filter(Boolean).join(" · ");
}

/**
 * Records the device of a sign-in. Returns true when it is new for a person who had signed in
 * before from another device (then they are notified); a person's very first device is not news.
 */
export function noteDevice(db: Pick<Db, "select" | "insert" | "update">, userId: number, userAgent: string, now = new Date()): boolean {
  const hash = deviceHash(userAgent);
  const t = now.toISOString();
  const known = db.select().from(knownDevices).where(and(eq(knownDevices.userId, userId), eq(knownDevices.deviceHash, hash))).get();
  if (known) {
    db.update(knownDevices).set({ lastSeenAt: t, updatedAt: t }).where(eq(knownDevices.id, known.id)).run();
    return false;
  }
  const hadOthers = db.select({ id: knownDevices.id }).from(knownDevices).where(eq(knownDevices.userId, userId)).limit(1).get() !== undefined;
  db.insert(knownDevices).values({ userId, deviceHash: hash, lastSeenAt: t }).run();
  if (hadOthers) {
    notify(db, [userId], {
      kind: "newDevice",
      messageKey: "privacy.notify.newDevice",
      params: { device: deviceLabel(userAgent) || "?", at: t },
      link: "/account/sessions",
    });
  }
  return hadOthers;
}

/** An admin signs a person out everywhere (a lost phone, a person leaving), audited. */
export function endAllSessions(db: Db, actor: Actor, userId: number): void {
  db.transaction((tx) => {
    invalidateUserSessions(tx, userId);
    recordAudit(tx, actor, { action: "sessions_ended", entity: "user", entityId: userId, details: { which: "all" } });
  });
}
