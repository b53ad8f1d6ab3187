/**
 * The contact form's choices and limits, and the conversion between a `datetime-local` value in
 * the program's time zone and a stored UTC instant. Plain code, safe in the browser bundle (the
 * route component imports this file directly, never through the area's index).
 */
import { zoneOffsetMinutes } from "~/i18n/format";

/** Who else took part in a contact (stored as a JSON array of these ids). */
export const CONTACT_PARTICIPANTS = ["family", "communityPolice", "residentsCommittee", "other"] as const;
export type ContactParticipant = (typeof CONTACT_PARTICIPANTS)[number];

/** The client's mood as the worker saw it (optional). */
export const CONTACT_MOODS = ["good", "stable", "low", "anxious", "agitated"] as const;
export type ContactMood = (typeof CONTACT_MOODS)[number];

export const CONTACT_SUMMARY_MAX = 4000;
export const CONTACT_RISK_MAX = 500;
export const CONTACT_DURATION_MIN = 0;
export const CONTACT_DURATION_MAX = 720;

/** The fields a draft keeps (and a failed submission gives back). Participants are joined by ",". */
export const CONTACT_FORM_FIELDS = [
  "type",
  "happenedAt",
  "durationMinutes",
  "participants",
  "summary",
  "mood",
  "riskObservation",
  "nextContactDue",
  "private",
] as const;
export type ContactFormField = (typeof CONTACT_FORM_FIELDS)[number];

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A `datetime-local` value ("2026-11-28T14:30") read as wall-clock time in `timeZone`, as a UTC
 * ISO instant; null when it is not a real date and time.
 */
export function utcFromLocalInput(value: string, timeZone: string): string | null {
  const m = LOCAL_RE.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  const first = zoneOffsetMinutes(new Date(asUtc), timeZone);
  let at = asUtc - first * 60000;
  const second = zoneOffsetMinutes(new Date(at), timeZone);
  if (second !== first) at = asUtc - second * 60000;
  return new Date(at).toISOString();
}

/** A UTC instant as a `datetime-local` value ("2026-11-28T14:30") on the wall clock of `timeZone`. */
export function localInputFromUtc(instant: string | Date, timeZone: string): string {
  const at = typeof instant === "string" ? new Date(instant) : instant;
  const local = new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60000);
  return local.toISOString().slice(0, 16);
}
