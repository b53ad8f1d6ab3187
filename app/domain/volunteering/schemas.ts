/**
 * The rules of volunteer hours (志愿服务时长) that forms and pages share: limits, and the Zod
 * schemas of the log, edit and decision forms. Pure: safe in the browser bundle.
 */
import { z } from "zod";
import { choice, id, isoDate, msg, optionalText, text } from "~/domain/shared/fields";

/** Hours are logged in quarter hours, from a quarter of an hour to 12 hours a day per entry. */
export const HOURS_STEP_MINUTES = 15;
export const HOURS_MIN_MINUTES = 15;
export const HOURS_MAX_MINUTES = 12 * 60;
/** A day worked may be logged up to this many days later (not in the future). */
export const LOG_MAX_AGE_DAYS = 90;
/** A pending entry may be edited or withdrawn by its person for this many days after it was logged. */
export const EDIT_WINDOW_DAYS = 7;
export const NOTE_MAX = 500;
export const REJECTION_REASON_MAX = 300;
/** The most entries one bulk decision may carry (a page of the approvals list is 25). */
export const BULK_MAX = 100;

export const HOURS_STATUS_TONES = { pending: "warn", approved: "ok", rejected: "danger" } as const;

/** Hours typed as "1.5", "2", "0,75" → minutes; a field message when it is not a quarter-hour count from 0.25 to 12. */
export function parseHours(raw: string): { minutes: number } | { error: string } {
  const s = raw.trim().replace(",", ".");
  if (s === "") return { error: "form.required" };
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return { error: "volunteering.error.hoursFormat" };
  const hundredths = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  if (hundredths % 25 !== 0) return { error: "volunteering.error.quarterHours" };
  const minutes = (hundredths / 25) * 15;
  if (minutes < HOURS_MIN_MINUTES || minutes > HOURS_MAX_MINUTES) return { error: msg("volunteering.error.hoursRange", { min: "0.25", max: "12" }) };
  return { minutes };
}

/** Minutes as the hours a person reads: 90 → "1.5", 45 → "0.75". */
export function hoursText(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}

const hours = z
  .string({ error: "form.required" })
  .transform((s, ctx) => {
    const r = parseHours(s);
    if ("error" in r) {
      ctx.addIssue({ code: "custom", message: r.error });
      return z.NEVER;
    }
    return r.minutes;
  });

export const ACTIVITY_ID_MAX = 32;

export const LogHoursSchema = z.object({
  activity: text({ max: ACTIVITY_ID_MAX }),
  workedOn: isoDate,
  hours,
  districtId: id,
  note: optionalText({ max: NOTE_MAX, multiline: true }),
}).transform(({ hours: minutes, ...rest }) => ({ ...rest, minutes }));
/** The form field is `hours` (typed as hours); the domain gets `minutes`. */
export type LogHoursInput = z.output<typeof LogHoursSchema>;

/** Approve or reject one or several entries; a rejection needs a reason (the person sees it). */
export const DecideSchema = z
  .object({
    decision: choice(["approve", "reject"]),
    ids: z.array(id, { error: "volunteering.error.noneSelected" }).min(1, { error: "volunteering.error.noneSelected" }).max(BULK_MAX, { error: msg("volunteering.error.tooMany", { max: BULK_MAX }) }),
    reason: optionalText({ max: REJECTION_REASON_MAX, multiline: true }),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "reject" && v.reason === "") ctx.addIssue({ code: "custom", path: ["reason"], message: "volunteering.error.reasonRequired" });
  });
export type DecideInput = z.output<typeof DecideSchema>;
