/**
 * Contact drafts: what a person is typing into a contact form, kept on the server so a timed-out
 * session or a dropped connection loses nothing. One draft per user and client; replaced on every
 * save, discarded when the contact is saved, and purged once older than 7 days (on any write, since
 * GET never writes: a read simply ignores an expired draft).
 */
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "#db/client";
import { contactDrafts } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import type { ClientAccess } from "./access.server";
import { CONTACT_FORM_FIELDS, CONTACT_SUMMARY_MAX } from "./contact-fields";

export const DRAFT_TTL_DAYS = 7;
const DAY_MS = 86_400_000;

type Writer = Pick<Db, "select" | "insert" | "update" | "delete">;

export type ContactDraft = { values: Record<string, string>; savedAt: string };

// C0 and C1 controls except tab, newline and carriage return, and lone surrogates.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Only the contact form's own fields, as strings, without control characters, of bounded length. */
export function cleanDraftValues(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of CONTACT_FORM_FIELDS) {
    const v = values[field];
    if (typeof v !== "string") continue;
    const max = field === "summary" ? CONTACT_SUMMARY_MAX * 2 : 1000;
    out[field] = v.replace(CONTROL, "").slice(0, max);
  }
  return out;
}

function cutoff(now: Date): string {
  return new Date(now.getTime() - DRAFT_TTL_DAYS * DAY_MS).toISOString();
}

/** Deletes every draft saved more than 7 days before `now`; returns how many. Audited when any go. */
export function purgeOldDrafts(db: Writer, actor: Actor, now = new Date()): number {
  const gone = db.delete(contactDrafts).where(lt(contactDrafts.savedAt, cutoff(now))).returning({ id: contactDrafts.id }).all();
  if (gone.length > 0) {
    recordAudit(db, actor, { action: "purge", entity: "contact_draft", details: { count: gone.length, olderThanDays: DRAFT_TTL_DAYS } });
  }
  return gone.length;
}

/**
 * Saves (or replaces) the actor's draft of a contact for this client. Only someone who may add a
 * contact keeps a draft. The audit row names the client, never the text.
 */
export function saveContactDraft(db: Db, actor: Actor, access: ClientAccess, values: Record<string, unknown>, now = new Date()): ContactDraft {
  if (actor.userId === null || !access.can.addContact) throw new DomainError("contacts.notAllowed");
  if (access.client.status === "closed") throw new DomainError("contacts.clientClosed");
  const userId = actor.userId;
  const clean = cleanDraftValues(values);
  const savedAt = now.toISOString();
  return db.transaction((tx) => {
    purgeOldDrafts(tx, actor, now);
    const row = tx
      .insert(contactDrafts)
      .values({ userId, clientId: access.client.id, values: clean, savedAt })
      .onConflictDoUpdate({
        target: [contactDrafts.userId, contactDrafts.clientId],
        set: { values: clean, savedAt, updatedAt: savedAt },
      })
      .returning({ id: contactDrafts.id })
      .get();
    recordAudit(tx, actor, { action: "save", entity: "contact_draft", entityId: row.id, details: { clientId: access.client.id } });
    return { values: clean, savedAt };
  });
}

/** The user's draft for this client, unless it is older than 7 days (then it is as good as gone). Reads only. */
export function getContactDraft(db: Pick<Db, "select">, userId: number, clientId: number, now = new Date()): ContactDraft | null {
  const row = db
    .select({ values: contactDrafts.values, savedAt: contactDrafts.savedAt })
    .from(contactDrafts)
    .where(and(eq(contactDrafts.userId, userId), eq(contactDrafts.clientId, clientId)))
    .get();
  if (!row || row.savedAt < cutoff(now)) return null;
  return { values: cleanDraftValues(row.values), savedAt: row.savedAt };
}

/** Removes the user's draft for this client, if any (inside the caller's transaction). Returns whether one was there. */
export function deleteContactDraft(db: Pick<Db, "delete">, userId: number, clientId: number): boolean {
  const gone = db
    .delete(contactDrafts)
    .where(and(eq(contactDrafts.userId, userId), eq(contactDrafts.clientId, clientId)))
    .returning({ id: contactDrafts.id })
    .all();
  return gone.length > 0;
}

/** The person chose to throw their draft away. Audited when there was one. */
export function discardContactDraft(db: Db, actor: Actor, clientId: number, now = new Date()): boolean {
  if (actor.userId === null) return false;
  const userId = actor.userId;
  return db.transaction((tx) => {
    purgeOldDrafts(tx, actor, now);
    const had = deleteContactDraft(tx, userId, clientId);
    if (had) recordAudit(tx, actor, { action: "discard", entity: "contact_draft", details: { clientId } });
    return had;
  });
}
