/**
 * The certification requirements of a training programme, as pure functions over plain facts
 * (CONVENTIONS pattern 8: one definition of each rule). The checker page, the cohort overview, a
 * peer tutor's own record and the certify action all call `checkRequirements` / `meetsAllRequirements`.
 * No database, no server-only imports: components may import this file.
 *
 * Rules (decided for the training issue):
 * - attendance share = minutes of counted sessions attended (present or late) ÷ minutes of counted
 *   sessions; a session counts once it has begun, or always when the cohort is assessing or later;
 * - a module is passed when the latest attempt's score ≥ the module's current pass mark;
 * - practicum counts only signed-off hours;
 * - a supervisor is valid if a trainer, a social worker, or a peer tutor certified at least one
 *   year before the practicum date (active, certificate not expired on that date).
 */

export const ATTENDANCE_STATUSES = ["present", "late", "absent", "excused"] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
/** The statuses that count as attended. */
export const ATTENDED: readonly AttendanceStatus[] = ["present", "late"];

export const COHORT_STATUS_LIST = ["planning", "running", "assessing", "certified", "closed"] as const;
export type CohortStatus = (typeof COHORT_STATUS_LIST)[number];

export const ENROLLMENT_STATUS_LIST = ["enrolled", "withdrawn", "completed", "not_certified"] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUS_LIST)[number];

export type SessionFact = { id: number; startsAt: string; endsAt: string };
export type AttendanceFact = { sessionId: number; status: AttendanceStatus };
export type ModuleFact = { id: number; code: string; nameZh: string; nameEn: string; passMark: number };
export type AssessmentFact = { moduleId: number; attempt: number; score: number };
export type PracticumFact = { hours: number; signedOff: boolean };

export type RequirementFacts = {
  programme: { minAttendancePercent: number; practicumHoursRequired: number };
  cohortStatus: CohortStatus;
  /** UTC ISO instant: "now" for deciding which sessions have been held */
  asOf: string;
  modules: ModuleFact[];
  sessions: SessionFact[];
  /** this trainee's attendance marks */
  attendance: AttendanceFact[];
  /** this trainee's assessment attempts, all of them */
  assessments: AssessmentFact[];
  /** this trainee's practicum entries */
  practicum: PracticumFact[];
};

export type AttendanceItem = {
  kind: "attendance";
  met: boolean;
  /** whole percent, rounded down; null while no session has been held */
  percent: number | null;
  requiredPercent: number;
  attendedHours: number;
  heldHours: number;
};
export type ModuleItem = {
  kind: "module";
  met: boolean;
  moduleId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  /** the latest attempt's score, null when never assessed */
  score: number | null;
  passMark: number;
  attempts: number;
};
export type PracticumItem = {
  kind: "practicum";
  met: boolean;
  /** signed-off hours */
  hours: number;
  requiredHours: number;
  /** hours recorded but not yet signed off (they do not count) */
  unsignedHours: number;
};
export type RequirementItem = AttendanceItem | ModuleItem | PracticumItem;

export type RequirementReport = {
  items: RequirementItem[];
  missing: RequirementItem[];
  meetsAll: boolean;
};

const MINUTE = 60_000;

function minutesOf(s: SessionFact): number {
  return Math.max(0, Math.round((Date.parse(s.endsAt) - Date.parse(s.startsAt)) / MINUTE));
}

/** Whether a session counts toward the attendance share. */
export function sessionCounts(session: SessionFact, cohortStatus: CohortStatus, asOf: string): boolean {
  if (cohortStatus === "assessing" || cohortStatus === "certified" || cohortStatus === "closed") return true;
  return Date.parse(session.startsAt) <= Date.parse(asOf);
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/** Attendance share of one trainee: attended and held minutes over the counted sessions. */
export function attendanceShare(
  sessions: SessionFact[],
  attendance: AttendanceFact[],
  cohortStatus: CohortStatus,
  asOf: string,
): { attendedMinutes: number; heldMinutes: number; percent: number | null } {
  const marks = new Map(attendance.map((a) => [a.sessionId, a.status]));
  let held = 0;
  let attended = 0;
  for (const s of sessions) {
    if (!sessionCounts(s, cohortStatus, asOf)) continue;
    const m = minutesOf(s);
    held += m;
    const status = marks.get(s.id);
    if (status && ATTENDED.includes(status)) attended += m;
  }
  // integer arithmetic, so 79.99… never shows as 80
  return { attendedMinutes: attended, heldMinutes: held, percent: held === 0 ? null : Math.floor((attended * 100) / held) };
}

/** The latest attempt per module (highest attempt number). */
export function latestAttempts<T extends AssessmentFact>(assessments: T[]): Map<number, T> {
  const out = new Map<number, T>();
  for (const a of assessments) {
    const seen = out.get(a.moduleId);
    if (!seen || a.attempt > seen.attempt) out.set(a.moduleId, a);
  }
  return out;
}

/** A module is passed when the latest attempt's score reaches the pass mark. */
export function modulePassed(latest: AssessmentFact | undefined, passMark: number): boolean {
  return latest !== undefined && latest.score >= passMark;
}

/** Practicum hours that count: signed-off entries only. */
export function signedOffHours(practicum: PracticumFact[]): number {
  return Math.round(practicum.filter((p) => p.signedOff).reduce((sum, p) => sum + p.hours, 0) * 100) / 100;
}

/** What is met and what is missing, with numbers. */
export function checkRequirements(facts: RequirementFacts): RequirementReport {
  const items: RequirementItem[] = [];

  const share = attendanceShare(facts.sessions, facts.attendance, facts.cohortStatus, facts.asOf);
  const required = facts.programme.minAttendancePercent;
  items.push({
    kind: "attendance",
    // exact comparison on minutes; with nothing held yet only a 0% requirement is met
    met: share.heldMinutes === 0 ? required <= 0 : share.attendedMinutes * 100 >= required * share.heldMinutes,
    percent: share.percent,
    requiredPercent: required,
    attendedHours: hours(share.attendedMinutes),
    heldHours: hours(share.heldMinutes),
  });

  const latest = latestAttempts(facts.assessments);
  const attemptCounts = new Map<number, number>();
  for (const a of facts.assessments) attemptCounts.set(a.moduleId, (attemptCounts.get(a.moduleId) ?? 0) + 1);
  for (const m of facts.modules) {
    const last = latest.get(m.id);
    items.push({
      kind: "module",
      met: modulePassed(last, m.passMark),
      moduleId: m.id,
      code: m.code,
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      score: last ? last.score : null,
      passMark: m.passMark,
      attempts: attemptCounts.get(m.id) ?? 0,
    });
  }

  const signed = signedOffHours(facts.practicum);
  const all = Math.round(facts.practicum.reduce((sum, p) => sum + p.hours, 0) * 100) / 100;
  items.push({
    kind: "practicum",
    met: signed >= facts.programme.practicumHoursRequired,
    hours: signed,
    requiredHours: facts.programme.practicumHoursRequired,
    unsignedHours: Math.round((all - signed) * 100) / 100,
  });

  const missing = items.filter((i) => !i.met);
  return { items, missing, meetsAll: missing.length === 0 };
}

/** THE rule "meets all requirements": the certify action and every summary use it. */
export function meetsAllRequirements(factsOrReport: RequirementFacts | RequirementReport): boolean {
  const report = "items" in factsOrReport ? factsOrReport : checkRequirements(factsOrReport);
  return report.items.every((i) => i.met);
}

/**
 * A requirement as a message key with parameters, encoded like field errors
 * ("training.req.attendance?percent=78&required=80"), for the UI (tm) and refusals alike.
 */
export function requirementMessage(item: RequirementItem, locale: "zh-CN" | "en" = "en"): string {
  const enc = (key: string, params: Record<string, string | number>) =>
    `${key}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;
  switch (item.kind) {
    case "attendance":
      return item.percent === null
        ? enc("training.req.attendanceNone", { required: item.requiredPercent })
        : enc("training.req.attendance", { percent: item.percent, required: item.requiredPercent, attended: item.attendedHours, held: item.heldHours });
    case "module": {
      const name = locale === "zh-CN" ? item.nameZh : item.nameEn;
      return item.score === null
        ? enc("training.req.moduleNone", { name, passMark: item.passMark })
        : enc("training.req.module", { name, score: item.score, passMark: item.passMark });
    }
    case "practicum":
      return enc("training.req.practicum", { hours: item.hours, required: item.requiredHours });
  }
}

/** The unambiguous alphabet of verification codes: no 0/O, no 1/I. */
export const VERIFICATION_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const VERIFICATION_CODE_LENGTH = 10;

/** "TB-C4-007": the certificate number of the n-th certificate of cohort `cohortNumber`. */
export function certificateNumber(cohortNumber: number, n: number): string {
  return `TB-C${cohortNumber}-${String(n).padStart(3, "0")}`;
}

/** The serial part of a certificate number of that cohort, or null. */
export function certificateSerial(number: string, cohortNumber: number): number | null {
  const m = new RegExp(`^TB-C${cohortNumber}-(\\d{3,})$`).exec(number);
  return m ? Number(m[1]) : null;
}

export type SupervisorFacts = {
  /** holds the trainer role (or an active trainer staff profile) */
  isTrainer: boolean;
  /** holds the social-worker role (or an active social-worker staff profile) */
  isSocialWorker: boolean;
  /** their peer-tutor record, if any */
  peerTutor: { status: string; certifiedOn: string; expiresOn: string } | null;
};

/** YYYY-MM-DD one calendar year earlier (29 February → 28 February). */
export function oneYearBefore(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const leap = (yy: number) => (yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0;
  const day = m === 2 && d === 29 && !leap(y - 1) ? 28 : d;
  return `${String(y - 1).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Whether a person may supervise (sign off) practicum on `date` (YYYY-MM-DD): a trainer, a social
 * worker, or an active peer tutor certified at least one year before that date whose certificate
 * has not expired by then.
 */
export function isValidSupervisor(facts: SupervisorFacts, date: string): boolean {
  if (facts.isTrainer || facts.isSocialWorker) return true;
  const pt = facts.peerTutor;
  if (!pt || pt.status !== "active") return false;
  return pt.certifiedOn <= oneYearBefore(date) && pt.expiresOn >= date;
}

/** Allowed cohort status changes. */
export const COHORT_TRANSITIONS: Record<CohortStatus, readonly CohortStatus[]> = {
  planning: ["running", "closed"],
  running: ["assessing"],
  assessing: ["running", "certified"],
  certified: ["closed"],
  closed: [],
};

export function canTransition(from: CohortStatus, to: CohortStatus): boolean {
  return COHORT_TRANSITIONS[from].includes(to);
}
