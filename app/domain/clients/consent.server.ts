/**
 * Consent: what the client agreed to, when, and who recorded it; withdrawn with a date. The
 * current consent is the latest one not withdrawn — the same one requireCurrentConsent finds, so
 * the overview shows exactly what blocks or allows recording.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { clients, consents, users } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { checkbox, isoDate } from "~/domain/shared/fields";
import { startOfLocalDayUtc } from "~/i18n/format";
import type { ClientAccess } from "./access.server";
import { localDate } from "./dates";

type Reader = Pick<Db, "select">;
type Writer = Pick<Db, "select" | "insert" | "update">;

/** The purposes a client can agree to (ids stored in consents.purposes). Sensitive information is a separate consent. */
export const CONSENT_PURPOSES = ["case_management", "peer_support", "group_sessions", "reporting"] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** The consent fields of a form: one checkbox per purpose named `purpose_<id>`, `sensitiveInfo`, `agreedOn`. */
export const ConsentFields = {
  purpose_case_management: checkbox,
  purpose_peer_support: checkbox,
  purpose_group_sessions: checkbox,
  purpose_reporting: checkbox,
  sensitiveInfo: checkbox,
};
export const ConsentSchema = z.object({ ...ConsentFields, agreedOn: isoDate });

/** The ticked purposes of a parsed consent form. */
export function purposesFrom(form: Record<`purpose_${ConsentPurpose}`, boolean>): ConsentPurpose[] {
  return CONSENT_PURPOSES.filter((p) => form[`purpose_${p}`]);
}

export type ConsentInput = { purposes: ConsentPurpose[]; sensitiveInfo: boolean; agreedOn: string };

/** Checks a consent before it is written (also used by the intake, inside its transaction). */
export function assertConsentInput(input: ConsentInput, today: string, field = "agreedOn"): void {
  if (input.purposes.length === 0) throw new DomainError("clients.consent.noPurpose", "purposes");
  if (input.purposes.some((p) => !(CONSENT_PURPOSES as readonly string[]).includes(p))) throw new DomainError("form.unknownChoice", "purposes");
  if (input.agreedOn > today) throw new DomainError("clients.dateInFuture", field);
}

/** Inserts a consent and its audit row; the caller runs it inside its transaction. Returns the id. */
export function insertConsent(tx: Writer, actor: Actor, clientId: number, input: ConsentInput): number {
  if (actor.userId === null) throw new DomainError("clients.consent.recorderRequired");
  const id = tx
    .insert(consents)
    .values({ clientId, purposes: input.purposes, sensitiveInfo: input.sensitiveInfo, agreedOn: input.agreedOn, recordedBy: actor.userId })
    .returning({ id: consents.id })
    .get().id;
  recordAudit(tx, actor, {
    action: "record_consent",
    entity: "client",
    entityId: clientId,
    details: { consentId: id, purposes: input.purposes, sensitiveInfo: input.sensitiveInfo, agreedOn: input.agreedOn },
  });
  return id;
}

/** Records what the client agreed to (the client's current social worker: access.can.edit). Audited. */
export function recordConsent(db: Db, actor: Actor, access: ClientAccess, input: ConsentInput, today: string): number {
  if (!access.can.edit) throw new DomainError("clients.notAllowed");
  assertConsentInput(input, today);
  return db.transaction((tx) => insertConsent(tx, actor, access.client.id, input));
}

/** The closing reason written when a client withdraws consent (both languages: it is stored text). */
export const CONSENT_WITHDRAWN_REASON = "撤回同意 / consent withdrawn";

/**
 * The client withdraws consent on `withdrawnOn` (a date in the program's time zone): every
 * consent not yet withdrawn ends at the start of that day. Nothing new can then be recorded
 * until a new consent is recorded, and the case is closed on that day. Audited.
 */
export function withdrawConsent(db: Db, actor: Actor, access: ClientAccess, withdrawnOn: string, today: string, timeZone: string): number {
  if (!access.can.edit) throw new DomainError("clients.notAllowed");
  if (withdrawnOn > today) throw new DomainError("clients.dateInFuture", "withdrawnOn");
  return db.transaction((tx) => {
    const open = tx
      .select({ id: consents.id, agreedOn: consents.agreedOn })
      .from(consents)
      .where(and(eq(consents.clientId, access.client.id), isNull(consents.withdrawnAt)))
      .all();
    if (open.length === 0) throw new DomainError("clients.consent.noneToWithdraw");
    if (open.some((c) => withdrawnOn < c.agreedOn)) throw new DomainError("clients.consent.withdrawBeforeAgreed", "withdrawnOn");
    const at = startOfLocalDayUtc(withdrawnOn, timeZone).toISOString();
    for (const c of open) {
      tx.update(consents).set({ withdrawnAt: at, updatedAt: new Date().toISOString() }).where(eq(consents.id, c.id)).run();
    }
    recordAudit(tx, actor, {
      action: "withdraw_consent",
      entity: "client",
      entityId: access.client.id,
      details: { consentIds: open.map((c) => c.id), withdrawnOn },
    });
    // without consent nothing new can be recorded, so the case moves to closure on the same day
    const current = tx.select({ status: clients.status }).from(clients).where(eq(clients.id, access.client.id)).get();
    if (current && current.status !== "closed") {
      tx.update(clients)
        .set({ status: "closed", closedOn: withdrawnOn, closedReason: CONSENT_WITHDRAWN_REASON, updatedAt: new Date().toISOString() })
        .where(eq(clients.id, access.client.id))
        .run();
      recordAudit(tx, actor, {
        action: "status_change",
        entity: "client",
        entityId: access.client.id,
        details: { from: current.status, to: "closed", on: withdrawnOn, reason: CONSENT_WITHDRAWN_REASON },
      });
    }
    return open.length;
  });
}

export type ConsentRow = {
  id: number;
  purposes: string[];
  sensitiveInfo: boolean;
  agreedOn: string;
  recordedByLogin: string;
  /** YYYY-MM-DD in the program's time zone, or null */
  withdrawnOn: string | null;
};

/** The current consent (latest not withdrawn, as requireCurrentConsent picks it) and every consent, newest first. */
export function consentState(db: Reader, clientId: number, timeZone: string): { current: ConsentRow | null; history: ConsentRow[] } {
  const history = db
    .select({
      id: consents.id,
      purposes: consents.purposes,
      sensitiveInfo: consents.sensitiveInfo,
      agreedOn: consents.agreedOn,
      recordedByLogin: users.login,
      withdrawnAt: consents.withdrawnAt,
    })
    .from(consents)
    .innerJoin(users, eq(users.id, consents.recordedBy))
    .where(eq(consents.clientId, clientId))
    .orderBy(desc(consents.agreedOn), desc(consents.id))
    .all()
    .map(({ withdrawnAt, ...c }) => ({ ...c, withdrawnOn: withdrawnAt ? localDate(withdrawnAt, timeZone) : null }));
  return { current: history.find((c) => c.withdrawnOn === null) ?? null, history };
}
