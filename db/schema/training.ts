import { relations } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { districts, studios } from "./organisation";
import { persons, users } from "./people";

export const trainingProgrammes = sqliteTable(
  "training_programmes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull(),
    version: integer("version").notNull().default(1),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    certificateValidMonths: integer("certificate_valid_months").notNull().default(24),
    /** share of the cohort's training hours a trainee must attend (present or late), in percent */
    minAttendancePercent: integer("min_attendance_percent").notNull().default(80),
    /** supervised practicum hours required for certification */
    practicumHoursRequired: integer("practicum_hours_required").notNull().default(24),
    /** renewal: continuing-education hours in the certificate's period */
    renewalEducationHours: integer("renewal_education_hours").notNull().default(12),
    /** renewal: group sessions facilitated (active service) in the certificate's period */
    renewalServiceSessions: integer("renewal_service_sessions").notNull().default(6),
    ...timestamps,
  },
  (t) => [uniqueIndex("programmes_code_version_uq").on(t.code, t.version)],
);

export const COHORT_STATUSES = ["planning", "running", "assessing", "certified", "closed"] as const;

export const cohorts = sqliteTable(
  "cohorts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    number: integer("number").notNull(),
    programmeId: integer("programme_id").notNull().references(() => trainingProgrammes.id),
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on").notNull(),
    capacity: integer("capacity").notNull().default(20),
    status: text("status", { enum: COHORT_STATUSES }).notNull().default("planning"),
    ...timestamps,
  },
  (t) => [uniqueIndex("cohorts_number_uq").on(t.number)],
);

export const PEER_TUTOR_STATUSES = ["active", "paused", "alumni", "revoked"] as const;

/** A certified peer tutor (同伴辅导员). */
export const peerTutors = sqliteTable(
  "peer_tutors",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    personId: integer("person_id").notNull().references(() => persons.id),
    cohortId: integer("cohort_id").notNull().references(() => cohorts.id),
    districtId: integer("district_id").notNull().references(() => districts.id),
    homeStudioId: integer("home_studio_id").references(() => studios.id),
    certificateNumber: text("certificate_number").notNull(),
    certifiedOn: text("certified_on").notNull(),
    expiresOn: text("expires_on").notNull(),
    status: text("status", { enum: PEER_TUTOR_STATUSES }).notNull().default("active"),
    statusReason: text("status_reason").notNull().default(""),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("peer_tutors_person_uq").on(t.personId),
    uniqueIndex("peer_tutors_cert_uq").on(t.certificateNumber),
    index("peer_tutors_cohort_idx").on(t.cohortId),
    index("peer_tutors_district_idx").on(t.districtId),
  ],
);

export const cohortsRelations = relations(cohorts, ({ one, many }) => ({
  programme: one(trainingProgrammes, { fields: [cohorts.programmeId], references: [trainingProgrammes.id] }),
  peerTutors: many(peerTutors),
}));
export const peerTutorsRelations = relations(peerTutors, ({ one }) => ({
  person: one(persons, { fields: [peerTutors.personId], references: [persons.id] }),
  cohort: one(cohorts, { fields: [peerTutors.cohortId], references: [cohorts.id] }),
  district: one(districts, { fields: [peerTutors.districtId], references: [districts.id] }),
}));

/** A unit of the curriculum with its required contact hours and pass mark (0–100). */
export const trainingModules = sqliteTable(
  "training_modules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programmeId: integer("programme_id").notNull().references(() => trainingProgrammes.id),
    code: text("code").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    requiredHours: integer("required_hours").notNull(),
    passMark: integer("pass_mark").notNull().default(60),
    position: integer("position").notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex("training_modules_code_uq").on(t.programmeId, t.code)],
);

/** Trainers of a cohort (users holding the trainer role). */
export const cohortTrainers = sqliteTable(
  "cohort_trainers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cohortId: integer("cohort_id").notNull().references(() => cohorts.id),
    userId: integer("user_id").notNull().references(() => users.id),
    ...timestamps,
  },
  (t) => [uniqueIndex("cohort_trainers_uq").on(t.cohortId, t.userId), index("cohort_trainers_user_idx").on(t.userId)],
);

export const ENROLLMENT_STATUSES = ["enrolled", "withdrawn", "completed", "not_certified"] as const;

/** A trainee (学员) in a cohort: an existing person (a client well into recovery, a volunteer) or a new one. */
export const enrollments = sqliteTable(
  "enrollments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cohortId: integer("cohort_id").notNull().references(() => cohorts.id),
    personId: integer("person_id").notNull().references(() => persons.id),
    districtId: integer("district_id").references(() => districts.id),
    status: text("status", { enum: ENROLLMENT_STATUSES }).notNull().default("enrolled"),
    statusReason: text("status_reason").notNull().default(""),
    enrolledOn: text("enrolled_on").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("enrollments_cohort_person_uq").on(t.cohortId, t.personId), index("enrollments_person_idx").on(t.personId)],
);

/** The cohort's timetable. Times UTC. */
export const trainingSessions = sqliteTable(
  "training_sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cohortId: integer("cohort_id").notNull().references(() => cohorts.id),
    moduleId: integer("module_id").references(() => trainingModules.id),
    topic: text("topic").notNull().default(""),
    startsAt: text("starts_at").notNull(),
    endsAt: text("ends_at").notNull(),
    ...timestamps,
  },
  (t) => [index("training_sessions_cohort_idx").on(t.cohortId, t.startsAt)],
);

export const TRAINING_ATTENDANCE = ["present", "late", "absent", "excused"] as const;

export const trainingAttendance = sqliteTable(
  "training_attendance",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    trainingSessionId: integer("training_session_id").notNull().references(() => trainingSessions.id),
    enrollmentId: integer("enrollment_id").notNull().references(() => enrollments.id),
    status: text("status", { enum: TRAINING_ATTENDANCE }).notNull(),
    recordedBy: integer("recorded_by").notNull().references(() => users.id),
    ...timestamps,
  },
  (t) => [uniqueIndex("training_attendance_uq").on(t.trainingSessionId, t.enrollmentId), index("training_attendance_enrollment_idx").on(t.enrollmentId)],
);

/** A graded check of a trainee on a module; re-sits are new rows (attempt 2, 3 …), history kept. */
export const assessments = sqliteTable(
  "assessments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    enrollmentId: integer("enrollment_id").notNull().references(() => enrollments.id),
    moduleId: integer("module_id").notNull().references(() => trainingModules.id),
    attempt: integer("attempt").notNull().default(1),
    score: integer("score").notNull(),
    passed: integer("passed", { mode: "boolean" }).notNull(),
    assessorUserId: integer("assessor_user_id").notNull().references(() => users.id),
    assessedOn: text("assessed_on").notNull(),
    notes: text("notes").notNull().default(""),
    ...timestamps,
  },
  (t) => [uniqueIndex("assessments_attempt_uq").on(t.enrollmentId, t.moduleId, t.attempt)],
);

/** Supervised practicum hours, each entry signed off by a supervisor. group_session_id links a real session once sessions exist. */
export const practicumLogs = sqliteTable(
  "practicum_logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    enrollmentId: integer("enrollment_id").notNull().references(() => enrollments.id),
    date: text("date").notNull(),
    /** hours in quarter hours as a decimal, 0 < h <= 24 */
    hours: real("hours").notNull(),
    activity: text("activity").notNull(),
    groupSessionId: integer("group_session_id"),
    supervisorPersonId: integer("supervisor_person_id").notNull().references(() => persons.id),
    signedOffByUserId: integer("signed_off_by_user_id").references(() => users.id),
    signedOffAt: text("signed_off_at"),
    ...timestamps,
  },
  (t) => [index("practicum_enrollment_idx").on(t.enrollmentId, t.date)],
);

/** A certificate (结业认证): verifiable by number + code without revealing anyone's history. */
export const certificates = sqliteTable(
  "certificates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    number: text("number").notNull(),
    /** random, shown on the certificate and in its QR link */
    verificationCode: text("verification_code").notNull(),
    holderPersonId: integer("holder_person_id").notNull().references(() => persons.id),
    cohortId: integer("cohort_id").notNull().references(() => cohorts.id),
    enrollmentId: integer("enrollment_id").references(() => enrollments.id),
    issuedOn: text("issued_on").notNull(),
    expiresOn: text("expires_on").notNull(),
    certifiedByUserId: integer("certified_by_user_id").references(() => users.id),
    suspendedAt: text("suspended_at"),
    suspendedReason: text("suspended_reason").notNull().default(""),
    revokedAt: text("revoked_at"),
    revokedReason: text("revoked_reason").notNull().default(""),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("certificates_number_uq").on(t.number),
    index("certificates_holder_idx").on(t.holderPersonId),
    index("certificates_expires_idx").on(t.expiresOn),
  ],
);

export const certificateRenewals = sqliteTable(
  "certificate_renewals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    certificateId: integer("certificate_id").notNull().references(() => certificates.id),
    renewedOn: text("renewed_on").notNull(),
    previousExpiresOn: text("previous_expires_on").notNull(),
    newExpiresOn: text("new_expires_on").notNull(),
    renewedByUserId: integer("renewed_by_user_id").references(() => users.id),
    ...timestamps,
  },
  (t) => [index("certificate_renewals_cert_idx").on(t.certificateId)],
);

/** Continuing-education hours of a certified tutor, counted for renewal. */
export const continuingEducation = sqliteTable(
  "continuing_education",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    personId: integer("person_id").notNull().references(() => persons.id),
    date: text("date").notNull(),
    hours: real("hours").notNull(),
    activity: text("activity").notNull(),
    recordedBy: integer("recorded_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [index("continuing_education_person_idx").on(t.personId, t.date)],
);
