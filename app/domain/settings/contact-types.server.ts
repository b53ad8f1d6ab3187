import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { settings } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import {
  CONTACT_TYPES_KEY,
  CONTACT_TYPES_MAX,
  CONTACT_TYPE_ID_RE,
  CONTACT_TYPE_LABEL_MAX,
  DEFAULT_CONTACT_TYPES,
  type ContactType,
} from "./contact-types";

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function validLabel(v: unknown): v is string {
  return typeof v === "string" && v.trim().length > 0 && v.length <= CONTACT_TYPE_LABEL_MAX && !CONTROL.test(v);
}

/** Why a list of contact types is not acceptable (a message key), or null when it is. */
function problemWith(types: unknown): string | null {
  if (!Array.isArray(types) || types.length === 0 || types.length > CONTACT_TYPES_MAX) return "form.invalid";
  const seen = new Set<string>();
  for (const t of types as Partial<ContactType>[]) {
    if (!t || typeof t !== "object" || typeof t.id !== "string" || !CONTACT_TYPE_ID_RE.test(t.id) || seen.has(t.id)) return "form.invalid";
    if (!validLabel(t.zh) || !validLabel(t.en) || typeof t.active !== "boolean") return "form.invalid";
    seen.add(t.id);
  }
  if (!(types as ContactType[]).some((t) => t.active)) return "form.invalid";
  return null;
}

/**
 * The organisation's contact types, in the order they are offered (inactive ones included, so old
 * contacts keep their label). The defaults until an admin saves a list; a stored value that is not
 * a valid list is ignored (the defaults apply), so a bad row can never break the contact form.
 */
export function getContactTypes(db: Pick<Db, "select">): ContactType[] {
  const row = db.select({ value: settings.value }).from(settings).where(eq(settings.key, CONTACT_TYPES_KEY)).get();
  if (row && problemWith(row.value) === null) {
    return (row.value as ContactType[]).map((t) => ({ id: t.id, zh: t.zh.trim(), en: t.en.trim(), active: t.active }));
  }
  return DEFAULT_CONTACT_TYPES.map((t) => ({ ...t }));
}

/**
 * Saves the list of contact types (for a later admin page and for scripts). Ids already in use must
 * stay in the list (deactivate instead), so every stored contact keeps a label. Audited.
 */
export function saveContactTypes(db: Db, actor: Actor, types: ContactType[], idsInUse: readonly string[] = []): void {
  const problem = problemWith(types);
  if (problem) throw new DomainError(problem, CONTACT_TYPES_KEY);
  const missing = idsInUse.filter((id) => !types.some((t) => t.id === id));
  if (missing.length > 0) throw new DomainError("form.invalid", CONTACT_TYPES_KEY);
  const value = types.map((t) => ({ id: t.id, zh: t.zh.trim(), en: t.en.trim(), active: t.active }));
  db.transaction((tx) => {
    const before = getContactTypes(tx);
    const now = new Date().toISOString();
    tx.insert(settings)
      .values({ key: CONTACT_TYPES_KEY, value, updatedBy: actor.userId })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: actor.userId, updatedAt: now } })
      .run();
    recordAudit(tx, actor, { action: "update", entity: "settings", entityId: CONTACT_TYPES_KEY, details: { from: before, to: value } });
  });
}
