import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { users } from "#db/schema";
import { recordAudit } from "~/domain/audit";
import { env } from "~/env.server";
import { burnPasswordCheck, verifyPassword } from "./password.server";
import { createRateLimiter } from "./rate-limit.server";
import { noteDevice } from "./devices.server";
import { initialSecondFactorState, type SecondFactorState } from "./second-factor.server";
import { createSession, generateSessionToken, loadRoles, purgeExpiredSessions } from "./session.server";

import { LOCK_MINUTES, MAX_FAILED_ATTEMPTS } from "./limits";

export { LOCK_MINUTES, MAX_FAILED_ATTEMPTS };

/** Sign-in attempts per address per 15 minutes (LOGIN_RATE_LIMIT). */
export const loginRateLimiter = createRateLimiter({ limit: () => env().LOGIN_RATE_LIMIT, windowMs: 15 * 60 * 1000 });

export type LoginResult =
  | { ok: true; token: string; userId: number; mustChangePassword: boolean; secondFactor: SecondFactorState }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; minutes: number }
  | { ok: false; reason: "rateLimited" };

/**
 * Checks a login name and password. An unknown name, a disabled account and a wrong password
 * all answer "invalid" after the same work. The 6th wrong password in a row locks the account
 * for 15 minutes.
 */
export async function attemptLogin(
  db: Db,
  input: { login: string; password: string; ip: string; userAgent: string },
  now = new Date(),
): Promise<LoginResult> {
  if (!loginRateLimiter.hit(input.ip || "unknown", now.getTime())) {
    recordAudit(db, { userId: null, login: input.login.slice(0, 64), ip: input.ip }, { action: "login_rate_limited", entity: "auth" });
    return { ok: false, reason: "rateLimited" };
  }
  const login = input.login.trim().toLowerCase();
  const user = db.select().from(users).where(eq(users.login, login)).get();
  const actor = { userId: user?.id ?? null, login: login.slice(0, 64), ip: input.ip };
  if (!user || !user.active) {
    await burnPasswordCheck(input.password);
    recordAudit(db, actor, { action: "login_failed", entity: "auth", details: { reason: user ? "disabled" : "unknown" } });
    return { ok: false, reason: "invalid" };
  }
  if (user.lockedUntil && user.lockedUntil > now.toISOString()) {
    await burnPasswordCheck(input.password);
    const minutes = Math.max(1, Math.ceil((Date.parse(user.lockedUntil) - now.getTime()) / 60000));
    recordAudit(db, actor, { action: "login_refused_locked", entity: "auth" });
    return { ok: false, reason: "locked", minutes };
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    // The count is read again inside the (synchronous) transaction: other attempts on this
    // account may have finished while the hash was being checked, and counting from the value
    // read before the await would let parallel guesses overwrite each other and never lock.
    return db.transaction((tx): LoginResult => {
      const fresh = tx.select().from(users).where(eq(users.id, user.id)).get() ?? user;
      if (fresh.lockedUntil && fresh.lockedUntil > now.toISOString()) {
        recordAudit(tx, actor, { action: "login_failed", entity: "auth", details: { reason: "locked" } });
        return { ok: false, reason: "invalid" };
      }
      const failures = fresh.failedLoginCount + 1;
      const locks = failures >= MAX_FAILED_ATTEMPTS;
      tx.update(users)
        .set({
          failedLoginCount: locks ? 0 : failures,
          lockedUntil: locks ? new Date(now.getTime() + LOCK_MINUTES * 60000).toISOString() : fresh.lockedUntil,
        })
        .where(eq(users.id, user.id))
        .run();
      recordAudit(tx, actor, { action: locks ? "account_locked" : "login_failed", entity: "auth", details: { failures } });
      return { ok: false, reason: "invalid" };
    });
  }
  const token = generateSessionToken();
  return db.transaction((tx): LoginResult => {
    // checked again after the await: a parallel attempt may have locked or disabled the account
    const fresh = tx.select().from(users).where(eq(users.id, user.id)).get();
    if (!fresh || !fresh.active) {
      recordAudit(tx, actor, { action: "login_failed", entity: "auth", details: { reason: "disabled" } });
      return { ok: false, reason: "invalid" };
    }
    if (fresh.lockedUntil && fresh.lockedUntil > now.toISOString()) {
      const minutes = Math.max(1, Math.ceil((Date.parse(fresh.lockedUntil) - now.getTime()) / 60000));
      recordAudit(tx, actor, { action: "login_refused_locked", entity: "auth" });
      return { ok: false, reason: "locked", minutes };
    }
    tx.update(users)
      .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now.toISOString() })
      .where(eq(users.id, user.id))
      .run();
    purgeExpiredSessions(tx, now);
    // with a second factor, this session is only half signed in until the code is given
    const secondFactor = initialSecondFactorState(tx, user.id, loadRoles(tx, user.id));
    createSession(tx, token, user.id, { ip: input.ip, userAgent: input.userAgent, secondFactor }, now);
    const newDevice = noteDevice(tx, user.id, input.userAgent, now);
    recordAudit(tx, actor, { action: secondFactor === "ok" ? "login" : "login_password_accepted", entity: "auth", details: { secondFactor, newDevice } });
    return { ok: true, token, userId: user.id, mustChangePassword: fresh.mustChangePassword, secondFactor };
  });
}
