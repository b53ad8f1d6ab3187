import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { settings } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import {
  DEFAULT_VOLUNTEER_ACTIVITIES,
  VOLUNTEER_ACTIVITIES_KEY,
  VOLUNTEER_ACTIVITIES_MAX,
  VOLUNTEER_ACTIVITY_ID_RE,
  VOLUNTEER_ACTIVITY_LABEL_MAX,
  type VolunteerActivity,
} from "./volunteer-activities";

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function validLabel(v: unknown): v is string {
  return typeof v === "string" && v.trim().length > 0 && v.length <= VOLUNTEER_ACTIVITY_LABEL_MAX && !CONTROL.test(v);
}

/** Whether a list of activities is acceptable: 1–30 entries, unique well-formed ids, labels in both languages, one active. */
function isValidList(list: unknown): list is VolunteerActivity[] {
  if (!Array.isArray(list) || list.length === 0 || list.length > VOLUNTEER_ACTIVITIES_MAX) return false;
  const seen = new Set<string>();
  for (const a of list as Partial<VolunteerActivity>[]) {
    if (!a || typeof a !== "object" || typeof a.id !== "string" || !VOLUNTEER_ACTIVITY_ID_RE.test(a.id) || seen.has(a.id)) return false;
    if (!validLabel(a.zh) || !validLabel(a.en) || typeof a.active !== "boolean") return false;
    seen.add(a.id);
  }
  return (list as VolunteerActivity[]).some((a) => a.active);
}

/**
 * The organisation's volunteer activities, in the order they are offered (inactive ones included,
 * so old entries keep their label). The defaults until an admin saves a list; a stored value that
 * is not a valid list is ignored, so a bad row can never break the hours form.
 */
export function getVolunteerActivities(db: Pick<Db, "select">): VolunteerActivity[] {
  const row = db.select({ value: settings.value }).from(settings).where(eq(settings.key, VOLUNTEER_ACTIVITIES_KEY)).get();
  if (row && isValidList(row.value)) return row.value.map((a) => ({ id: a.id, zh: a.zh.trim(), en: a.en.trim(), active: a.active }));
  return DEFAULT_VOLUNTEER_ACTIVITIES.map((a) => ({ ...a }));
}

/**
 * Saves the list of volunteer activities. Every id of the current list must stay (deactivate it
 * instead), so every stored entry keeps a label; at least one must stay active. Audited.
 */
export function saveVolunteerActivities(db: Db, actor: Actor, list: VolunteerActivity[]): void {
  if (!isValidList(list)) throw new DomainError("volunteering.activities.invalid", VOLUNTEER_ACTIVITIES_KEY);
  const value = list.map((a) => ({ id: a.id, zh: a.zh.trim(), en: a.en.trim(), active: a.active }));
  db.transaction((tx) => {
    const before = getVolunteerActivities(tx);
    if (before.some((b) => !value.some((a) => a.id === b.id))) throw new DomainError("volunteering.activities.keepIds", VOLUNTEER_ACTIVITIES_KEY);
    const now = new Date().toISOString();
    tx.insert(settings)
      .values({ key: VOLUNTEER_ACTIVITIES_KEY, value, updatedBy: actor.userId })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: actor.userId, updatedAt: now } })
      .run();
    recordAudit(tx, actor, { action: "update", entity: "settings", entityId: VOLUNTEER_ACTIVITIES_KEY, details: { from: before, to: value } });
  });
}

/**
 * The activities form of the settings page as a list: for each current activity `zh-<id>`,
 * `en-<id>` and the checkbox `active-<id>`; optionally a new one (`newId`, `newZh`, `newEn`, all
 * three or none). Field errors are message keys under the field names, so the form re-renders
 * with the input kept.
 */
export function activitiesFromForm(
  current: readonly VolunteerActivity[],
  values: Record<string, string>,
): { ok: true; list: VolunteerActivity[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const label = (field: string): string => {
    const v = (values[field] ?? "").trim();
    if (v === "") errors[field] = "form.required";
    else if (v.length > VOLUNTEER_ACTIVITY_LABEL_MAX) errors[field] = `form.tooLong?max=${VOLUNTEER_ACTIVITY_LABEL_MAX}`;
    else if (CONTROL.test(v)) errors[field] = "form.controlChars";
    return v;
  };
  const list: VolunteerActivity[] = current.map((a) => ({
    id: a.id,
    zh: label(`zh-${a.id}`),
    en: label(`en-${a.id}`),
    active: values[`active-${a.id}`] === "on",
  }));
  const newId = (values.newId ?? "").trim();
  if (newId !== "" || (values.newZh ?? "").trim() !== "" || (values.newEn ?? "").trim() !== "") {
    if (!VOLUNTEER_ACTIVITY_ID_RE.test(newId)) errors.newId = "volunteering.activities.invalid";
    else if (current.some((a) => a.id === newId)) errors.newId = "volunteering.activities.duplicateId";
    else if (current.length >= VOLUNTEER_ACTIVITIES_MAX) errors.newId = "volunteering.activities.invalid";
    list.push({ id: newId, zh: label("newZh"), en: label("newEn"), active: true });
  }
  if (Object.keys(errors).length === 0 && !list.some((a) => a.active)) errors._form = "volunteering.activities.invalid";
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, list };
}
