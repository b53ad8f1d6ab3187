/**
 * The second factor (TOTP, RFC 6238, as authenticator apps compute it) with one-time recovery
 * codes. Who must have one is a setting (`secondFactorPolicy`):
 * - "required" (the default): admins and anyone who may reveal a client's identity;
 * - "all": everyone;
 * - "optional": nobody is forced (demo and development databases; admins see a warning).
 * Anyone may enrol voluntarily. Wrong codes count toward the same lockout as wrong passwords.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { decodeBase32IgnorePadding, encodeBase32LowerCaseNoPadding, encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { timingSafeEqual } from "node:crypto";
import type { Db } from "#db/client";
import { authSessions, recoveryCodes, settings, users, userTotp } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DEMO_KEY } from "~/domain/settings/settings.server";
import { DomainError } from "~/domain/shared/errors";
import { LOCK_MINUTES, MAX_FAILED_ATTEMPTS } from "./limits";
import { can } from "./permissions";
import type { RoleGrant } from "./roles";
import { invalidateUserSessions } from "./session.server";

import { SECOND_FACTOR_POLICIES, type SecondFactorPolicy } from "./second-factor";

export { SECOND_FACTOR_POLICIES, type SecondFactorPolicy };
export const SECOND_FACTOR_POLICY_KEY = "secondFactorPolicy";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** an enrolment not confirmed within this time must be started again */
export const ENROLMENT_MINUTES = 10;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = "Tongban";

export type SecondFactorState = "ok" | "verify" | "enrol";

/**
 * The saved rule; without one, "required" — except in a demo database (every person fictional,
 * password printed in the README), where nobody is forced until an admin saves a rule.
 */
export function getSecondFactorPolicy(db: Pick<Db, "select">): SecondFactorPolicy {
  const rows = db.select().from(settings).where(inArray(settings.key, [SECOND_FACTOR_POLICY_KEY, DEMO_KEY])).all();
  const value = rows.find((r) => r.key === SECOND_FACTOR_POLICY_KEY)?.value;
  if ((SECOND_FACTOR_POLICIES as readonly unknown[]).includes(value)) return value as SecondFactorPolicy;
  return rows.some((r) => r.key === DEMO_KEY && r.value === true) ? "optional" : "required";
}

export function setSecondFactorPolicy(db: Db, actor: Actor, policy: SecondFactorPolicy): void {
  db.transaction((tx) => {
    const before = getSecondFactorPolicy(tx);
    tx.insert(settings)
      .values({ key: SECOND_FACTOR_POLICY_KEY, value: policy })
      .onConflictDoUpdate({ target: settings.key, set: { value: policy, updatedAt: new Date().toISOString() } })
      .run();
    recordAudit(tx, actor, { action: "update", entity: "settings", entityId: SECOND_FACTOR_POLICY_KEY, details: { before, after: policy } });
  });
}

/** Whether a person holding these roles must have a second factor under the policy. */
export function secondFactorRequired(policy: SecondFactorPolicy, roles: readonly RoleGrant[]): boolean {
  if (policy === "all") return roles.length > 0;
  if (policy === "optional") return false;
  return roles.some((r) => r.role === "admin") || can({ roles: [...roles] }, "reveal:clientIdentity");
}

export function hasSecondFactor(db: Pick<Db, "select">, userId: number): boolean {
  const row = db.select({ confirmedAt: userTotp.confirmedAt }).from(userTotp).where(eq(userTotp.userId, userId)).get();
  return Boolean(row?.confirmedAt);
}

/** The state a new session starts in, after the password was accepted. */
export function initialSecondFactorState(db: Pick<Db, "select">, userId: number, roles: readonly RoleGrant[]): SecondFactorState {
  if (hasSecondFactor(db, userId)) return "verify";
  return secondFactorRequired(getSecondFactorPolicy(db), roles) ? "enrol" : "ok";
}

const stepAt = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);

function sameCode(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The time step a code belongs to (now, or one step either side for clock drift), or null. */
export function matchingStep(secret: string, code: string, now: Date): number | null {
  const key = decodeBase32IgnorePadding(secret);
  const current = stepAt(now);
  for (const step of [current, current - 1, current + 1]) {
    if (sameCode(generateHOTP(key, BigInt(step), TOTP_DIGITS), code)) return step;
  }
  return null;
}

/** For tests and tools: the code an authenticator app shows for the secret at a moment. */
export function totpCodeAt(secret: string, now: Date): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(stepAt(now)), TOTP_DIGITS);
}

const hashCode = (code: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(code)));

/** "ABCD efgh-ijkl" → "abcdefghijkl": recovery codes are typed however a person likes. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, "");
}

export type Enrolment = { secret: string; uri: string; expiresAt: string; expired: boolean };

/** Starts (or restarts) enrolment: a new secret, valid for ENROLMENT_MINUTES. */
export function beginEnrolment(db: Db, actor: Actor, user: { id: number; login: string }, now = new Date()): void {
  db.transaction((tx) => {
    const existing = tx.select().from(userTotp).where(eq(userTotp.userId, user.id)).get();
    if (existing?.confirmedAt) throw new DomainError("privacy.twoFactor.alreadyEnrolled", "_form");
    const bytes = new Uint8Array(20);
    crypto.getRandomValues(bytes);
    const secret = encodeBase32UpperCaseNoPadding(bytes);
    const expiresAt = new Date(now.getTime() + ENROLMENT_MINUTES * 60000).toISOString();
    if (existing) {
      tx.update(userTotp).set({ secret, enrolmentExpiresAt: expiresAt, lastUsedStep: 0, updatedAt: now.toISOString() }).where(eq(userTotp.id, existing.id)).run();
    } else {
      tx.insert(userTotp).values({ userId: user.id, secret, enrolmentExpiresAt: expiresAt }).run();
    }
    recordAudit(tx, actor, { action: "second_factor_enrolment_started", entity: "user", entityId: user.id });
  });
}

export function pendingEnrolment(db: Pick<Db, "select">, user: { id: number; login: string }, now = new Date()): Enrolment | null {
  const row = db.select().from(userTotp).where(eq(userTotp.userId, user.id)).get();
  if (!row || row.confirmedAt || !row.enrolmentExpiresAt) return null;
  return {
    secret: row.secret,
    uri: createTOTPKeyURI(ISSUER, user.login, decodeBase32IgnorePadding(row.secret), TOTP_PERIOD_SECONDS, TOTP_DIGITS),
    expiresAt: row.enrolmentExpiresAt,
    expired: row.enrolmentExpiresAt <= now.toISOString(),
  };
}

function newRecoveryCodes(tx: Pick<Db, "insert" | "delete">, userId: number): string[] {
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  const codes: string[] = [];
  for (let i = 0; i < RECOVERY_CODE_COUNT; i++) {
    const bytes = new Uint8Array(10);
    crypto.getRandomValues(bytes);
    const plain = encodeBase32LowerCaseNoPadding(bytes); // 16 characters
    tx.insert(recoveryCodes).values({ userId, codeHash: hashCode(plain) }).run();
    codes.push(plain.match(/.{4}/g)!.join("-"));
  }
  return codes;
}

export type CodeOutcome = { ok: true; recoveryCodes?: string[]; usedRecoveryCode?: boolean } | { ok: false; reason: "wrong" | "locked" | "expired" };

/** Counts a wrong code toward the lockout; the last allowed failure locks and ends every session. */
function countFailure(tx: Pick<Db, "select" | "update" | "insert" | "delete">, actor: Actor, userId: number, now: Date): CodeOutcome {
  const fresh = tx.select().from(users).where(eq(users.id, userId)).get();
  if (!fresh) return { ok: false, reason: "wrong" };
  const failures = fresh.failedLoginCount + 1;
  const locks = failures >= MAX_FAILED_ATTEMPTS;
  tx.update(users)
    .set({
      failedLoginCount: locks ? 0 : failures,
      lockedUntil: locks ? new Date(now.getTime() + LOCK_MINUTES * 60000).toISOString() : fresh.lockedUntil,
    })
    .where(eq(users.id, userId))
    .run();
  if (locks) invalidateUserSessions(tx, userId);
  recordAudit(tx, actor, { action: locks ? "account_locked" : "second_factor_failed", entity: "auth", details: { failures } });
  return { ok: false, reason: locks ? "locked" : "wrong" };
}

function markSessionOk(tx: Pick<Db, "update">, sessionId: string, now: Date): void {
  tx.update(authSessions).set({ secondFactor: "ok", updatedAt: now.toISOString() }).where(eq(authSessions.id, sessionId)).run();
}

/** Confirms enrolment with a first code; answers the recovery codes, shown to the person once. */
export function confirmEnrolment(db: Db, actor: Actor, userId: number, sessionId: string, code: string, now = new Date()): CodeOutcome {
  return db.transaction((tx) => {
    const row = tx.select().from(userTotp).where(eq(userTotp.userId, userId)).get();
    if (!row || row.confirmedAt || !row.enrolmentExpiresAt || row.enrolmentExpiresAt <= now.toISOString()) {
      return { ok: false, reason: "expired" } as const;
    }
    const step = /^\d{6}$/.test(code) ? matchingStep(row.secret, code, now) : null;
    if (step === null) return countFailure(tx, actor, userId, now);
    tx.update(userTotp)
      .set({ confirmedAt: now.toISOString(), enrolmentExpiresAt: null, lastUsedStep: step, updatedAt: now.toISOString() })
      .where(eq(userTotp.id, row.id))
      .run();
    tx.update(users).set({ failedLoginCount: 0 }).where(eq(users.id, userId)).run();
    const codes = newRecoveryCodes(tx, userId);
    markSessionOk(tx, sessionId, now);
    recordAudit(tx, actor, { action: "second_factor_enrolled", entity: "user", entityId: userId });
    return { ok: true, recoveryCodes: codes } as const;
  });
}

/**
 * Checks the code given after the password: a current TOTP code not used before, or an unused
 * recovery code (then spent). Success makes the session a full one.
 */
export function verifySecondFactor(db: Db, actor: Actor, userId: number, sessionId: string, input: string, now = new Date()): CodeOutcome {
  return db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user || !user.active) return { ok: false, reason: "wrong" } as const;
    if (user.lockedUntil && user.lockedUntil > now.toISOString()) {
      invalidateUserSessions(tx, userId);
      return { ok: false, reason: "locked" } as const;
    }
    const row = tx.select().from(userTotp).where(eq(userTotp.userId, userId)).get();
    if (!row?.confirmedAt) return { ok: false, reason: "wrong" } as const;
    const code = input.trim();
    let usedRecoveryCode = false;
    if (/^\d{6}$/.test(code)) {
      const step = matchingStep(row.secret, code, now);
      // a code already used (or an older one) is refused: someone may have watched it typed
      if (step === null || step <= row.lastUsedStep) return countFailure(tx, actor, userId, now);
      tx.update(userTotp).set({ lastUsedStep: step, updatedAt: now.toISOString() }).where(eq(userTotp.id, row.id)).run();
    } else {
      const normal = normaliseRecoveryCode(code);
      const match = /^[a-z2-7]{16}$/.test(normal)
        ? tx
            .select({ id: recoveryCodes.id })
            .from(recoveryCodes)
            .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashCode(normal)), isNull(recoveryCodes.usedAt)))
            .get()
        : undefined;
      if (!match) return countFailure(tx, actor, userId, now);
      tx.update(recoveryCodes).set({ usedAt: now.toISOString(), updatedAt: now.toISOString() }).where(eq(recoveryCodes.id, match.id)).run();
      usedRecoveryCode = true;
    }
    tx.update(users).set({ failedLoginCount: 0 }).where(eq(users.id, userId)).run();
    markSessionOk(tx, sessionId, now);
    recordAudit(tx, actor, { action: usedRecoveryCode ? "second_factor_recovery_code_used" : "second_factor_verified", entity: "auth" });
    return { ok: true, usedRecoveryCode } as const;
  });
}

/** How many unused recovery codes a person has left. */
export function recoveryCodesLeft(db: Pick<Db, "select">, userId: number): number {
  return db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .all().length;
}

/** An admin removes a person's second factor (lost phone): it is set up again at the next sign-in when required. */
export function resetSecondFactor(db: Db, actor: Actor, userId: number): void {
  db.transaction((tx) => {
    const user = tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).get();
    if (!user) throw new DomainError("privacy.userNotFound", "_form");
    tx.delete(userTotp).where(eq(userTotp.userId, userId)).run();
    tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
    invalidateUserSessions(tx, userId);
    recordAudit(tx, actor, { action: "second_factor_reset", entity: "user", entityId: userId });
  });
}
