import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { settings } from "#db/schema";
import { DEFAULT_SESSION_KINDS, SESSION_KINDS_KEY, SESSION_KINDS_MAX, SESSION_KIND_ID_RE, SESSION_KIND_LABEL_MAX, type SessionKind } from "./session-kinds";

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function validLabel(v: unknown): v is string {
  return typeof v === "string" && v.trim().length > 0 && v.length <= SESSION_KIND_LABEL_MAX && !CONTROL.test(v);
}

function isValidList(kinds: unknown): kinds is SessionKind[] {
  if (!Array.isArray(kinds) || kinds.length === 0 || kinds.length > SESSION_KINDS_MAX) return false;
  const seen = new Set<string>();
  for (const k of kinds as Partial<SessionKind>[]) {
    if (!k || typeof k !== "object" || typeof k.id !== "string" || !SESSION_KIND_ID_RE.test(k.id) || seen.has(k.id)) return false;
    if (!validLabel(k.zh) || !validLabel(k.en) || typeof k.active !== "boolean") return false;
    seen.add(k.id);
  }
  return (kinds as SessionKind[]).some((k) => k.active);
}

/**
 * The organisation's session kinds, in the order they are offered (inactive ones included, so old
 * sessions keep their label). The defaults until a list is saved; a stored value that is not a
 * valid list is ignored, so a bad row can never break the group form.
 */
export function getSessionKinds(db: Pick<Db, "select">): SessionKind[] {
  const row = db.select({ value: settings.value }).from(settings).where(eq(settings.key, SESSION_KINDS_KEY)).get();
  if (row && isValidList(row.value)) return row.value.map((k) => ({ id: k.id, zh: k.zh.trim(), en: k.en.trim(), active: k.active }));
  return DEFAULT_SESSION_KINDS.map((k) => ({ ...k }));
}
