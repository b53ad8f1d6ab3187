/**
 * The forms of the sessions area, one Zod schema each (CONVENTIONS pattern 3), used by the
 * actions; the shared field rules live here once. Errors are message keys (fields.ts msg).
 * Pure, safe in the browser bundle.
 */
import { z } from "zod";
import { choice, id, int, isoDate, msg, optionalId, text, time24 } from "~/domain/shared/fields";
import { FREQUENCIES, MAX_OCCURRENCES } from "./limits";

export const TOPIC_MAX = 80;
export const REASON_MAX = 200;
export const KIND_MAX = 32;
export const CAPACITY_MIN = 1;
export const CAPACITY_MAX = 500;
export const FACILITATORS_MAX = 6;
export const EXCEPTION_DATES_MAX = 60;
export const ROOM_NAME_MAX = 40;

/** Fields that a form sends once per ticked box; parseForm gets them as arrays (see formShape). */
export const REPEATED_FIELDS = ["facilitatorIds", "weekdays"] as const;

export const INTENTS = ["save", "preview", "suggest"] as const;
export type Intent = (typeof INTENTS)[number];

const startTime = time24.refine((s) => s !== "24:00", { error: "form.invalidTime" });

const facilitatorIds = z
  .array(id, { error: "form.unknownId" })
  .max(FACILITATORS_MAX, { error: msg("sessions.error.tooManyFacilitators", { max: FACILITATORS_MAX }) })
  .transform((ids) => [...new Set(ids)]);

/** Fields every session and group has: where, what, how many, who. */
const common = {
  intent: choice(INTENTS).catch("save"),
  studioId: id,
  roomId: optionalId(),
  topic: text({ max: TOPIC_MAX }),
  kind: text({ max: KIND_MAX }),
  capacity: int({ min: CAPACITY_MIN, max: CAPACITY_MAX }),
  startTime,
  endTime: time24,
  facilitatorIds,
};

function endAfterStart(v: { startTime: string; endTime: string }, ctx: z.RefinementCtx) {
  if (v.endTime <= v.startTime) ctx.addIssue({ code: "custom", path: ["endTime"], message: "sessions.error.endBeforeStart" });
}

export const SessionFormSchema = z
  .object({ ...common, date: isoDate })
  .superRefine(endAfterStart);
export type SessionFormData = z.output<typeof SessionFormSchema>;

/** "Suggest facilitators" needs only where and when; the other fields may still be empty. */
export const SessionSuggestSchema = z
  .object({ studioId: id, date: isoDate, startTime, endTime: time24, facilitatorIds })
  .superRefine(endAfterStart);

/** Exception dates typed as a list: YYYY-MM-DD separated by commas, spaces or new lines. */
const exceptionDates = z
  .string()
  .optional()
  .transform((s) => (s ?? "").split(/[\s,;，、]+/).filter(Boolean))
  .pipe(
    z
      .array(z.string().refine((d) => isoDate.safeParse(d).success, { error: "sessions.error.badExceptionDates" }))
      .max(EXCEPTION_DATES_MAX, { error: msg("sessions.error.tooManyExceptionDates", { max: EXCEPTION_DATES_MAX }) }),
  )
  .transform((dates) => [...new Set(dates)].sort());

const optionalCount = z
  .string()
  .optional()
  .transform((s) => (s ?? "").trim())
  .pipe(z.union([z.literal("").transform(() => null), int({ min: CAPACITY_MIN, max: 100_000 })], { error: msg("form.numberRange", { min: 1, max: MAX_OCCURRENCES }) }));

const optionalDate = z
  .string()
  .optional()
  .transform((s) => (s ?? "").trim())
  .pipe(z.union([z.literal("").transform(() => null), isoDate], { error: "form.invalidDate" }));

const recurrenceFields = {
  startDate: isoDate,
  frequency: choice(FREQUENCIES),
  weekdays: z.array(z.string().regex(/^[1-7]$/, { error: "sessions.recurrence.noWeekdays" }).transform(Number), { error: "sessions.recurrence.noWeekdays" }),
  endKind: z.enum(["count", "until"], { error: "sessions.recurrence.noEnd" }),
  count: optionalCount,
  until: optionalDate,
  exceptionDates,
};

function endGiven(v: { endKind: "count" | "until"; count: number | null; until: string | null }, ctx: z.RefinementCtx) {
  if (v.endKind === "count" && v.count === null) ctx.addIssue({ code: "custom", path: ["count"], message: "sessions.recurrence.noEnd" });
  if (v.endKind === "until" && v.until === null) ctx.addIssue({ code: "custom", path: ["until"], message: "sessions.recurrence.noEnd" });
}

export const GroupFormSchema = z
  .object({
    ...common,
    ...recurrenceFields,
    /** the session a "this and following" edit starts from */
    fromSessionId: optionalId(),
  })
  .superRefine(endAfterStart)
  .superRefine(endGiven);
export type GroupFormData = z.output<typeof GroupFormSchema>;

/** "Suggest facilitators" for a series: where, when and how often. */
export const GroupSuggestSchema = z
  .object({ studioId: id, startTime, endTime: time24, facilitatorIds, ...recurrenceFields, fromSessionId: optionalId() })
  .superRefine(endAfterStart)
  .superRefine(endGiven);

export const CancelFormSchema = z.object({
  reason: text({ max: REASON_MAX }),
  confirm: z.literal("yes", { error: "sessions.cancel.confirmRequired" }),
});

export const RoomFormSchema = z.object({
  nameZh: text({ max: ROOM_NAME_MAX }),
  nameEn: text({ max: ROOM_NAME_MAX }),
  capacity: int({ min: CAPACITY_MIN, max: CAPACITY_MAX }),
});

export const NotificationReadSchema = z.object({
  id: z.union([z.literal("all"), id], { error: "form.unknownId" }),
});

/** What the week and month query parameters may hold; anything else falls back to today. */
export const weekParam = isoDate.optional().catch(undefined);
export const monthParam = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .optional()
  .catch(undefined);

/**
 * parseForm's shape for forms with repeated fields: those reach the schema as arrays, and the
 * values given back to the form hold them joined with commas (parseForm returns `input.values`
 * after shaping), so every ticked box stays ticked when the form comes back with errors.
 */
export function formShape(input: { values: Record<string, string>; multi: Record<string, string[]> }): Record<string, unknown> {
  const shaped: Record<string, unknown> = { ...input.values };
  for (const name of REPEATED_FIELDS) {
    shaped[name] = input.multi[name] ?? [];
    input.values[name] = (input.multi[name] ?? []).join(",");
  }
  return shaped;
}

/** The ticked values of a repeated field in a returned form. */
export function repeatedValues(values: Record<string, string> | undefined, name: (typeof REPEATED_FIELDS)[number]): string[] {
  return (values?.[name] ?? "").split(",").filter(Boolean);
}
