import { relations } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { districts, studios } from "./organisation";
import { persons } from "./people";

export const trainingProgrammes = sqliteTable(
  "training_programmes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull(),
    version: integer("version").notNull().default(1),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    certificateValidMonths: integer("certificate_valid_months").notNull().default(24),
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
