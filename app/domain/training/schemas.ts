/**
 * Field rules and form schemas of the training area (CONVENTIONS pattern 3). Errors are message
 * keys ("form.numberRange?min=0&max=100"). No server-only imports: routes may use these anywhere.
 */
import { z } from "zod";
import { checkbox, choice, id, ID_PATTERN, int, isoDate, msg, optionalId, optionalText, text, time24 } from "~/domain/shared/fields";
import { ATTENDANCE_STATUSES, COHORT_STATUS_LIST, type AttendanceStatus } from "./requirements";

export const NAME_MAX = 120;
export const CODE_MAX = 40;
export const TOPIC_MAX = 200;
export const NOTES_MAX = 1000;
export const REASON_MAX = 500;
export const PERSON_NAME_MAX = 80;
export const CAPACITY_MAX = 200;
export const SCORE_MIN = 0;
export const SCORE_MAX = 100;
/** practicum hours in one entry and in one day, at most */
export const DAY_HOURS_MAX = 24;

export const code = text({ max: CODE_MAX }).pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "training.codeFormat" }));
export const name = text({ max: NAME_MAX });
export const score = int({ min: SCORE_MIN, max: SCORE_MAX });

/**
 * Practicum hours: a decimal number in quarter hours, more than 0 and at most 24 ("1.5", "0.25").
 * A negative or larger number is "training.hoursRange".
 */
export const practicumHours = z
  .string({ error: "form.required" })
  .trim()
  .min(1, { error: "form.required" })
  .regex(/^-?\d{1,6}([.,]\d{1,4})?$/, { error: "training.hoursNotANumber" })
  .transform((s) => Number(s.replace(",", ".")))
  .pipe(
    z
      .number()
      .refine((h) => h > 0 && h <= DAY_HOURS_MAX, { error: msg("training.hoursRange", { max: DAY_HOURS_MAX }) })
      .refine((h) => Number.isInteger(h * 4), { error: "training.quarterHours" }),
  );

export const ProgrammeSchema = z.object({
  code,
  nameZh: name,
  nameEn: name,
  certificateValidMonths: int({ min: 1, max: 120 }),
  minAttendancePercent: int({ min: 0, max: 100 }),
  practicumHoursRequired: int({ min: 0, max: 1000 }),
});
export type ProgrammeInput = z.output<typeof ProgrammeSchema>;

export const ModuleSchema = z.object({
  code,
  nameZh: name,
  nameEn: name,
  requiredHours: int({ min: 0, max: 500 }),
  passMark: int({ min: SCORE_MIN, max: SCORE_MAX }),
  position: int({ min: 0, max: 99 }),
});
export type ModuleInput = z.output<typeof ModuleSchema>;

export const CohortSchema = z
  .object({
    number: int({ min: 1, max: 9999 }),
    programmeId: id,
    startsOn: isoDate,
    endsOn: isoDate,
    capacity: int({ min: 1, max: CAPACITY_MAX }),
  })
  .refine((c) => c.endsOn >= c.startsOn, { error: "training.cohort.endsBeforeStart", path: ["endsOn"] });
export type CohortInput = z.output<typeof CohortSchema>;

export const CohortStatusSchema = choice(COHORT_STATUS_LIST);

export const EnrolSchema = z
  .object({
    mode: choice(["existing", "new"]),
    personId: optionalId(),
    displayName: optionalText({ max: PERSON_NAME_MAX }),
    districtId: id,
    enrolledOn: isoDate,
  })
  .superRefine((v, ctx) => {
    if (v.mode === "existing" && v.personId === null) ctx.addIssue({ code: "custom", path: ["personId"], message: "training.enrol.choosePerson" });
    if (v.mode === "new" && v.displayName === "") ctx.addIssue({ code: "custom", path: ["displayName"], message: "form.required" });
  });
export type EnrolInput = z.output<typeof EnrolSchema>;

export const reason = text({ max: REASON_MAX, multiline: true });

export const SessionSchema = z
  .object({
    date: isoDate,
    startTime: time24,
    endTime: time24,
    moduleId: optionalId(),
    topic: optionalText({ max: TOPIC_MAX }),
  })
  .refine((s) => s.endTime > s.startTime, { error: "training.session.endsBeforeStart", path: ["endTime"] });
export type SessionInput = z.output<typeof SessionSchema>;

export const AssessmentSchema = z.object({
  moduleId: id,
  score,
  assessedOn: isoDate,
  assessorUserId: optionalId(),
  notes: optionalText({ max: NOTES_MAX, multiline: true }),
});
export type AssessmentInput = z.output<typeof AssessmentSchema>;

export const PracticumSchema = z.object({
  date: isoDate,
  hours: practicumHours,
  activity: text({ max: TOPIC_MAX }),
  supervisorPersonId: id,
  /** the group session co-facilitated, when the work was one */
  groupSessionId: optionalId(),
  signOff: checkbox,
});
export type PracticumInput = z.output<typeof PracticumSchema>;

/** The attendance form's radio groups are named "a.<enrollmentId>". */
export const ATTENDANCE_FIELD_PREFIX = "a.";
export const attendanceField = (enrollmentId: number) => `${ATTENDANCE_FIELD_PREFIX}${enrollmentId}`;

/**
 * Reads the attendance marks of a posted sheet: every "a.<enrollmentId>" field with a status.
 * A malformed id or status becomes a field error under that field; the domain then checks that each
 * id is a trainee enrolled in the cohort.
 */
export function parseAttendanceMarks(values: Record<string, string>): {
  marks: { enrollmentId: number; status: AttendanceStatus }[];
  errors: Record<string, string>;
} {
  const marks: { enrollmentId: number; status: AttendanceStatus }[] = [];
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(ATTENDANCE_FIELD_PREFIX)) continue;
    const raw = key.slice(ATTENDANCE_FIELD_PREFIX.length);
    if (!ID_PATTERN.test(raw)) {
      errors[key] = "training.attendance.notEnrolled";
      continue;
    }
    if (!(ATTENDANCE_STATUSES as readonly string[]).includes(value)) {
      errors[key] = "form.unknownChoice";
      continue;
    }
    marks.push({ enrollmentId: Number(raw), status: value as AttendanceStatus });
  }
  return { marks, errors };
}

export { id, isoDate };
