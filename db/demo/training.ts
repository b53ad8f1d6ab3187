/**
 * Demo training records: the programme's six modules; cohorts 1–4 (certified in the past) with
 * their trainer, enrolments (the 47 certified tutors plus a few who withdrew or were not
 * certified), timetable, attendance, assessments, signed-off practicum, a certificate for each of
 * the 47 (revoked ones with reason, renewals, continuing education); and cohort 5, running now,
 * with trainees at different stages so `trainer` can certify one or two during a demo.
 *
 * Cohort 5's whole timetable lies before "today" (the teaching weeks are over, practicum and
 * assessments go on): while a cohort runs only sessions that have begun count for attendance,
 * once it is assessing every session counts, so no future session may hide in the timetable.
 */
import {
  assessments,
  certificateRenewals,
  certificates,
  cohortTrainers,
  cohorts,
  continuingEducation,
  enrollments,
  persons,
  practicumLogs,
  trainingAttendance,
  trainingModules,
  trainingSessions,
} from "../schema";
import { addDays, addMonths } from "../../app/domain/clients/dates";
import { VERIFICATION_ALPHABET, VERIFICATION_CODE_LENGTH } from "../../app/domain/training/requirements";
import { preparedInsert, type Tx } from "./bulk";
import type { DemoContext, DemoPeerTutor, FormerClientTrainee } from "./context";
import { randomDate, weighted, type Random } from "./random";
import { CONTINUING_EDUCATION, DEMO_MODULES, ENROLMENT_REASONS, PRACTICUM_ACTIVITIES } from "./texts";

const PASS_MARK = 60;
const SESSION_HOURS = 2;
const PRACTICUM_REQUIRED = 24;
const COHORT5_TRAINEES = 11;
const SHANGHAI_OFFSET_HOURS = 8;

/** A UTC instant for a local (Asia/Shanghai) date and time. */
function instant(date: string, hour: number, minute = 0): string {
  const t = Date.parse(`${date}T00:00:00Z`) + ((hour - SHANGHAI_OFFSET_HOURS) * 60 + minute) * 60_000;
  return new Date(t).toISOString();
}
const min = (a: string, b: string) => (a < b ? a : b);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

type Module = { id: number; code: string; nameZh: string; passMark: number; sessions: number };
type Session = { id: number; moduleIndex: number; date: string };

/** Stages of a cohort-5 trainee (what they have done so far). */
type Stage =
  | "ready"
  | "oneAssessmentMissing"
  | "lowAttendance"
  | "practicumShort"
  | "practicumUnsigned"
  | "failedModule"
  | "inProgress"
  | "withdrawn";
const COHORT5_STAGES: Stage[] = [
  "ready",
  "ready",
  "oneAssessmentMissing",
  "lowAttendance",
  "practicumShort",
  "practicumUnsigned",
  "failedModule",
  "inProgress",
  "inProgress",
  "practicumShort",
  "withdrawn",
];

export type TrainingSummary = {
  modules: number;
  enrollments: number;
  certificates: number;
  revoked: number;
  renewals: number;
  cohort5Trainees: number;
  cohort5Ready: number;
};

export function generateTraining(tx: Tx, r: Random, ctx: DemoContext, formerClients: FormerClientTrainee[]): TrainingSummary {
  const { today, logins } = ctx;
  const trainer = logins.trainer;
  const summary: TrainingSummary = { modules: 0, enrollments: 0, certificates: 0, revoked: 0, renewals: 0, cohort5Trainees: 0, cohort5Ready: 0 };

  const insertModule = preparedInsert(tx, trainingModules, ["programmeId", "code", "nameZh", "nameEn", "requiredHours", "passMark", "position"]);
  const insertTrainer = preparedInsert(tx, cohortTrainers, ["cohortId", "userId"]);
  const insertEnrollment = preparedInsert(tx, enrollments, ["cohortId", "personId", "districtId", "status", "statusReason", "enrolledOn"]);
  const insertSession = preparedInsert(tx, trainingSessions, ["cohortId", "moduleId", "topic", "startsAt", "endsAt"]);
  const insertAttendance = preparedInsert(tx, trainingAttendance, ["trainingSessionId", "enrollmentId", "status", "recordedBy"]);
  const insertAssessment = preparedInsert(tx, assessments, [
    "enrollmentId",
    "moduleId",
    "attempt",
    "score",
    "passed",
    "assessorUserId",
    "assessedOn",
    "notes",
  ]);
  const insertPracticum = preparedInsert(tx, practicumLogs, [
    "enrollmentId",
    "date",
    "hours",
    "activity",
    "supervisorPersonId",
    "signedOffByUserId",
    "signedOffAt",
  ]);
  const insertCertificate = preparedInsert(tx, certificates, [
    "number",
    "verificationCode",
    "holderPersonId",
    "cohortId",
    "enrollmentId",
    "issuedOn",
    "expiresOn",
    "certifiedByUserId",
    "revokedAt",
    "revokedReason",
  ]);
  const insertRenewal = preparedInsert(tx, certificateRenewals, ["certificateId", "renewedOn", "previousExpiresOn", "newExpiresOn", "renewedByUserId"]);
  const insertEducation = preparedInsert(tx, continuingEducation, ["personId", "date", "hours", "activity", "recordedBy"]);
  const insertPerson = preparedInsert(tx, persons, ["displayName"]);
  const insertCohort = preparedInsert(tx, cohorts, ["number", "programmeId", "startsOn", "endsOn", "capacity", "status"]);

  // ---- modules ----
  const modules: Module[] = DEMO_MODULES.map(([code, nameZh, nameEn, requiredHours], position) => ({
    id: insertModule({ programmeId: ctx.programmeId, code, nameZh, nameEn, requiredHours, passMark: PASS_MARK, position }),
    code,
    nameZh,
    passMark: PASS_MARK,
    sessions: requiredHours / SESSION_HOURS,
  }));
  summary.modules = modules.length;

  /** The timetable: each module's hours in 2-hour sessions, in order, on the given weekdays, `perDay` a day. */
  const timetable = (cohortId: number, startsOn: string, weekdays: number[], perDay: number): Session[] => {
    const out: Session[] = [];
    const queue = modules.flatMap((m, i) => Array.from({ length: m.sessions }, (_, k) => ({ moduleIndex: i, part: k + 1 })));
    for (let day = startsOn; queue.length > 0; day = addDays(day, 1)) {
      if (!weekdays.includes(weekday(day))) continue;
      for (let slot = 0; slot < perDay && queue.length > 0; slot++) {
        const { moduleIndex, part } = queue.shift()!;
        const m = modules[moduleIndex]!;
        const startHour = slot === 0 ? 9 : 13;
        const id = insertSession({
          cohortId,
          moduleId: m.id,
          topic: `${m.nameZh}（第${part}讲）`,
          startsAt: instant(day, startHour, 30),
          endsAt: instant(day, startHour + SESSION_HOURS, 30),
        });
        out.push({ id, moduleIndex, date: day });
      }
    }
    return out;
  };
  const lastSessionOf = (sessions: Session[], moduleIndex: number) => sessions.filter((s) => s.moduleIndex === moduleIndex).at(-1)!.date;

  const usedCodes = new Set<string>();
  const verificationCode = () => {
    for (;;) {
      let code = "";
      for (let i = 0; i < VERIFICATION_CODE_LENGTH; i++) code += r.pick([...VERIFICATION_ALPHABET]);
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
  };

  /** Practicum entries adding up to at least `hours`, in [from, to], signed off by the trainer unless `unsigned`. */
  const practicum = (enrollmentId: number, hours: number, from: string, to: string, supervisors: number[], unsigned = false) => {
    let total = 0;
    while (total < hours) {
      const h = Math.min(r.pick([2, 2.5, 3, 3.5, 4]), Math.max(hours - total, 2));
      const date = randomDate(r, from, to);
      const signedOn = min(addDays(date, r.int(1, 4)), addDays(today, -1));
      insertPracticum({
        enrollmentId,
        date,
        hours: h,
        activity: r.pick(PRACTICUM_ACTIVITIES),
        supervisorPersonId: r.pick(supervisors),
        signedOffByUserId: unsigned ? null : trainer.userId,
        signedOffAt: unsigned ? null : instant(signedOn < date ? date : signedOn, r.int(10, 17), r.int(0, 59)),
      });
      total += h;
    }
  };

  type AssessPlan = "pass" | "passAfterResit" | "failTwice" | "failOnce" | "none";
  const assess = (enrollmentId: number, moduleIndex: number, plan: AssessPlan, on: string) => {
    if (plan === "none") return;
    const m = modules[moduleIndex]!;
    const attempt = (n: number, score: number, date: string) =>
      insertAssessment({
        enrollmentId,
        moduleId: m.id,
        attempt: n,
        score,
        passed: score >= m.passMark,
        assessorUserId: trainer.userId,
        assessedOn: date,
        notes: score >= m.passMark ? "" : "未达及格线，安排补考（虚构记录）",
      });
    if (plan === "pass") attempt(1, r.int(m.passMark + 2, 98), on);
    if (plan === "passAfterResit") {
      attempt(1, r.int(40, m.passMark - 1), on);
      attempt(2, r.int(m.passMark + 2, 90), min(addDays(on, 14), addDays(today, -1)));
    }
    if (plan === "failOnce") attempt(1, r.int(45, m.passMark - 8), on);
    if (plan === "failTwice") {
      attempt(1, r.int(40, m.passMark - 5), on);
      attempt(2, r.int(45, m.passMark - 2), min(addDays(on, 14), addDays(today, -1)));
    }
  };

  // ---- cohorts 1–4: certified in the past ----
  const studioDistricts = ctx.districts.filter((d) => d.studio);
  const extras: Record<number, ("withdrawn" | "not_certified")[]> = { 1: ["withdrawn"], 2: ["not_certified"], 3: ["withdrawn", "not_certified"], 4: ["not_certified"] };
  for (const cohort of ctx.cohorts) {
    insertTrainer({ cohortId: cohort.id, userId: trainer.userId });
    const sessions = timetable(cohort.id, cohort.startsOn, [2, 4], 1);
    const tutors = ctx.peerTutors.filter((t) => t.cohortId === cohort.id).sort((a, b) => (a.certificateNumber < b.certificateNumber ? -1 : 1));
    type Trainee = { enrollmentId: number; tutor: DemoPeerTutor | null; status: "completed" | "withdrawn" | "not_certified" };
    const trainees: Trainee[] = [];
    for (const t of tutors) {
      const enrollmentId = insertEnrollment({
        cohortId: cohort.id,
        personId: t.personId,
        districtId: t.districtId,
        status: "completed",
        statusReason: "",
        enrolledOn: addDays(cohort.startsOn, -r.int(7, 30)),
      });
      trainees.push({ enrollmentId, tutor: t, status: "completed" });
    }
    for (const status of extras[cohort.number] ?? []) {
      const personId = insertPerson({ displayName: ctx.newName() });
      const enrollmentId = insertEnrollment({
        cohortId: cohort.id,
        personId,
        districtId: r.pick(studioDistricts).id,
        status,
        statusReason: status === "withdrawn" ? r.pick(ENROLMENT_REASONS.withdrawn) : ENROLMENT_REASONS.notCertified[0],
        enrolledOn: addDays(cohort.startsOn, -r.int(7, 30)),
      });
      trainees.push({ enrollmentId, tutor: null, status });
    }
    summary.enrollments += trainees.length;

    for (const t of trainees) {
      // attendance: completed trainees miss at most 3 of 27 sessions; a withdrawn one stops coming
      const stopAt = t.status === "withdrawn" ? r.int(6, 10) : sessions.length;
      let missed = 0;
      sessions.slice(0, stopAt).forEach((s) => {
        let status = weighted(r, [["present", 88], ["late", 6], ["excused", 3], ["absent", 3]] as const);
        if ((status === "absent" || status === "excused") && ++missed > 3) status = "present";
        insertAttendance({ trainingSessionId: s.id, enrollmentId: t.enrollmentId, status, recordedBy: trainer.userId });
      });
      modules.forEach((m, i) => {
        const taught = lastSessionOf(sessions, i);
        if (t.status === "withdrawn" && sessions.findIndex((s) => s.moduleIndex === i && s.date === taught) >= stopAt) return;
        const plan: AssessPlan = t.status === "not_certified" && m.code === "CRISIS" ? "failTwice" : r.chance(0.1) ? "passAfterResit" : "pass";
        assess(t.enrollmentId, i, plan, min(addDays(taught, r.int(1, 7)), cohort.endsOn));
      });
      if (t.status !== "withdrawn") {
        practicum(t.enrollmentId, PRACTICUM_REQUIRED + r.pick([0, 0, 2, 4]), addDays(cohort.startsOn, 30), addDays(cohort.endsOn, -5), [trainer.personId]);
      }
    }

    // certificates, as issued at the end of the cohort and kept up since
    for (const t of trainees) {
      const tutor = t.tutor;
      if (!tutor) continue;
      const revoked = tutor.status === "revoked";
      const revokedOn = revoked ? randomDate(r, addMonths(tutor.certifiedOn, 6), min(addMonths(tutor.certifiedOn, 22), addDays(today, -1))) : null;
      const certificateId = insertCertificate({
        number: tutor.certificateNumber,
        verificationCode: verificationCode(),
        holderPersonId: tutor.personId,
        cohortId: cohort.id,
        enrollmentId: t.enrollmentId,
        issuedOn: tutor.certifiedOn,
        expiresOn: tutor.expiresOn,
        certifiedByUserId: trainer.userId,
        revokedAt: revokedOn ? instant(revokedOn, r.int(10, 17)) : null,
        revokedReason: revoked ? tutor.statusReason : "",
      });
      summary.certificates++;
      if (revoked) summary.revoked++;
      // renewed every 24 months while serving: the chain of expiry dates peer_tutors ended on
      let periodStart = tutor.certifiedOn;
      for (let k = 1; ; k++) {
        const previous = addMonths(tutor.certifiedOn, 24 * k);
        const periodEnd = previous < tutor.expiresOn ? previous : tutor.expiresOn;
        if (tutor.status === "active" || tutor.status === "paused") {
          // continuing education counted toward each renewal (and the current period so far)
          const lo = addDays(periodStart, 30);
          const hi = addDays(min(periodEnd, today), -1);
          for (let e = 0, hours = 0; hi >= lo && hours < 12 && e < 5; e++) {
            const date = randomDate(r, lo, hi);
            const h = r.pick([3, 3, 4]);
            insertEducation({ personId: tutor.personId, date, hours: h, activity: r.pick(CONTINUING_EDUCATION), recordedBy: trainer.userId });
            hours += h;
          }
        }
        if (previous >= tutor.expiresOn) break;
        const next = addMonths(tutor.certifiedOn, 24 * (k + 1));
        insertRenewal({
          certificateId,
          renewedOn: min(addDays(previous, -r.int(5, 40)), today),
          previousExpiresOn: previous,
          newExpiresOn: next,
          renewedByUserId: trainer.userId,
        });
        summary.renewals++;
        periodStart = previous;
      }
    }
  }

  // ---- cohort 5: running now ----
  let start = addDays(today, -60);
  while (weekday(start) !== 1) start = addDays(start, -1);
  const cohort5 = insertCohort({
    number: 5,
    programmeId: ctx.programmeId,
    startsOn: start,
    endsOn: addDays(start, 7 * 17 + 4),
    capacity: 15,
    status: "running",
  });
  insertTrainer({ cohortId: cohort5, userId: trainer.userId });
  const sessions = timetable(cohort5, start, [2, 4, 6], 2);
  if (sessions.at(-1)!.date >= today) throw new Error("demo: cohort 5's timetable must lie before today");

  // former clients first (socialworker's client is the first of them), then new people
  const people: { personId: number; districtId: number }[] = formerClients.map((f) => ({ personId: f.personId, districtId: f.districtId }));
  while (people.length < COHORT5_TRAINEES) {
    people.push({ personId: insertPerson({ displayName: ctx.newName() }), districtId: r.pick(studioDistricts).id });
  }
  // socialworker's former client is one of the two who are ready; the others' stages are shuffled
  const rest = r.shuffle(COHORT5_STAGES.slice(1));
  const stages: Stage[] = ["ready", ...rest];
  const supervisors = [trainer.personId, logins.socialworker.personId, logins.tutor.personId];
  const lastTaught = sessions.at(-1)!.date;
  people.forEach(({ personId, districtId }, i) => {
    const stage = stages[i]!;
    const enrollmentId = insertEnrollment({
      cohortId: cohort5,
      personId,
      districtId,
      status: stage === "withdrawn" ? "withdrawn" : "enrolled",
      statusReason: stage === "withdrawn" ? ENROLMENT_REASONS.withdrawn[1] : "",
      enrolledOn: addDays(start, -r.int(7, 21)),
    });
    summary.enrollments++;
    summary.cohort5Trainees++;
    if (stage === "ready") summary.cohort5Ready++;

    const stopAt = stage === "withdrawn" ? 6 : sessions.length;
    const absences = new Set<number>();
    if (stage === "lowAttendance") while (absences.size < 7) absences.add(r.int(0, sessions.length - 1));
    else if (stage !== "ready" && r.chance(0.6)) absences.add(r.int(0, sessions.length - 1));
    sessions.slice(0, stopAt).forEach((s, k) => {
      const status = absences.has(k) ? r.pick(["absent", "excused"] as const) : r.chance(0.05) ? "late" : "present";
      insertAttendance({ trainingSessionId: s.id, enrollmentId, status, recordedBy: trainer.userId });
    });

    modules.forEach((_, m) => {
      const on = min(addDays(lastSessionOf(sessions, m), r.int(2, 9)), addDays(today, -1));
      let plan: AssessPlan = r.chance(0.12) ? "passAfterResit" : "pass";
      if (stage === "oneAssessmentMissing" && m === modules.length - 1) plan = "none";
      if (stage === "failedModule" && modules[m]!.code === "CRISIS") plan = "failOnce";
      if (stage === "inProgress" && m >= 4) plan = "none";
      if (stage === "withdrawn" && m >= 1) plan = "none";
      assess(enrollmentId, m, plan, on);
    });

    const from = addDays(start, 14);
    const to = addDays(today, -2);
    const ready = stage === "ready" || stage === "oneAssessmentMissing" || stage === "lowAttendance";
    if (ready) practicum(enrollmentId, PRACTICUM_REQUIRED + r.pick([0, 2, 3]), from, to, stage === "ready" ? [trainer.personId] : supervisors);
    if (stage === "practicumShort") practicum(enrollmentId, r.pick([10, 14, 18]), from, to, supervisors);
    if (stage === "practicumUnsigned") {
      practicum(enrollmentId, 18, from, addDays(lastTaught, 7), supervisors);
      practicum(enrollmentId, 8, addDays(today, -6), to, supervisors, true);
    }
    if (stage === "failedModule") practicum(enrollmentId, 20, from, to, supervisors);
    if (stage === "inProgress") practicum(enrollmentId, r.pick([8, 12]), from, to, supervisors);
  });

  return summary;
}
