/**
 * A client's real identity (real name, ID number, phone, address), kept apart from the case
 * (DESIGN.md §3-4). Only `revealIdentity` returns the values, and it writes an audit row in the
 * same transaction; no list, overview or header reads them. Writing it is the client's current
 * social worker's job (access.can.edit and isSocialWorker). Audit rows name the fields, never the values.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { clientIdentities } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { optionalText } from "~/domain/shared/fields";
import type { ClientAccess } from "./access.server";

type Reader = Pick<Db, "select">;
type Writer = Pick<Db, "select" | "insert" | "update">;

export const REAL_NAME_MAX = 60;
export const ID_NUMBER_MAX = 30;
export const PHONE_MAX = 30;
export const ADDRESS_MAX = 200;

/** The identity fields of a form; all optional, but any of the others needs the real name. */
export const IdentityFields = {
  realName: optionalText({ max: REAL_NAME_MAX }),
  idNumber: optionalText({ max: ID_NUMBER_MAX }).refine((s) => /^[0-9A-Za-z-]*$/.test(s), { error: "clients.identity.idNumberFormat" }),
  phone: optionalText({ max: PHONE_MAX }).refine((s) => /^[0-9+\-() ]*$/.test(s), { error: "clients.identity.phoneFormat" }),
  address: optionalText({ max: ADDRESS_MAX }),
};
export const IdentitySchema = z.object(IdentityFields);

export type IdentityInput = { realName: string; idNumber: string; phone: string; address: string };
export const IDENTITY_FIELDS = ["realName", "idNumber", "phone", "address"] as const;

/** null when nothing was typed; a DomainError when something was typed without the real name. */
export function identityFrom(input: IdentityInput): IdentityInput | null {
  if (IDENTITY_FIELDS.every((f) => input[f] === "")) return null;
  if (input.realName === "") throw new DomainError("clients.identity.realNameRequired", "realName");
  return input;
}

/** Whether a real identity is on file (no values). */
export function hasIdentity(db: Reader, clientId: number): boolean {
  return Boolean(db.select({ id: clientIdentities.id }).from(clientIdentities).where(eq(clientIdentities.clientId, clientId)).get());
}

/** Inserts or replaces the identity and audits which fields changed; the caller runs it in its transaction. */
export function writeIdentity(tx: Writer, actor: Actor, clientId: number, input: IdentityInput): void {
  const before = tx.select().from(clientIdentities).where(eq(clientIdentities.clientId, clientId)).get();
  const changed = IDENTITY_FIELDS.filter((f) => (before?.[f] ?? "") !== input[f]);
  if (before && changed.length === 0) return;
  if (before) {
    tx.update(clientIdentities)
      .set({ ...input, updatedAt: new Date().toISOString() })
      .where(eq(clientIdentities.id, before.id))
      .run();
  } else {
    tx.insert(clientIdentities).values({ clientId, ...input }).run();
  }
  recordAudit(tx, actor, { action: "update_identity", entity: "client", entityId: clientId, details: { fields: changed, created: !before } });
}

/** The client's current social worker records or corrects the identity. Audited (field names only). */
export function saveIdentity(db: Db, actor: Actor, access: ClientAccess, input: IdentityInput): void {
  if (!access.can.edit || !access.isSocialWorker) throw new DomainError("clients.notAllowed");
  const identity = identityFrom(input);
  if (!identity) throw new DomainError("clients.identity.realNameRequired", "realName");
  db.transaction((tx) => writeIdentity(tx, actor, access.client.id, identity));
}

export type RevealedIdentity = IdentityInput & { revealedAt: string };

/**
 * Shows the identity to someone allowed to see it (the current social worker, admins:
 * access.can.revealIdentity), recording the reveal ("reveal_identity") in the same transaction.
 * Returns null when no identity is on file (the attempt is audited all the same).
 */
export function revealIdentity(db: Db, actor: Actor, access: ClientAccess): RevealedIdentity | null {
  if (!access.can.revealIdentity) throw new DomainError("clients.notAllowed");
  return db.transaction((tx) => {
    const row = tx.select().from(clientIdentities).where(eq(clientIdentities.clientId, access.client.id)).get();
    recordAudit(tx, actor, { action: "reveal_identity", entity: "client", entityId: access.client.id, details: { found: Boolean(row) } });
    if (!row) return null;
    return { realName: row.realName, idNumber: row.idNumber, phone: row.phone, address: row.address, revealedAt: new Date().toISOString() };
  });
}
