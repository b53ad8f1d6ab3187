import { relations } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { districts } from "./organisation";
import { persons, users } from "./people";
import { groupSessions } from "./sessions";

/*
 * Volunteering and funding: volunteer hours (志愿服务时长) logged by peer tutors and volunteers and
 * approved by a coordinator of their district, and funded projects (项目) with targets whose
 * progress is computed from the records.
 */

export const HOURS_STATUSES = ["pending", "approved", "rejected"] as const;
export type HoursStatus = (typeof HOURS_STATUSES)[number];

/** One entry of volunteer hours. Minutes, not fractional hours, so sums are exact. */
export const volunteerHours = sqliteTable(
  "volunteer_hours",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    personId: integer("person_id").notNull().references(() => persons.id),
    /** the district whose coordinators approve the entry */
    districtId: integer("district_id").notNull().references(() => districts.id),
    /** activity id from the settings list `volunteerActivities` (bilingual labels) */
    activity: text("activity").notNull(),
    /** the day the work was done, YYYY-MM-DD in the program's time zone */
    workedOn: text("worked_on").notNull(),
    minutes: integer("minutes").notNull(),
    note: text("note").notNull().default(""),
    /** set when the hours were logged from a facilitated session (one entry per person and session) */
    sessionId: integer("session_id").references(() => groupSessions.id),
    status: text("status", { enum: HOURS_STATUSES }).notNull().default("pending"),
    decidedByUserId: integer("decided_by_user_id").references(() => users.id),
    decidedAt: text("decided_at"),
    rejectionReason: text("rejection_reason"),
    createdByUserId: integer("created_by_user_id").references(() => users.id),
    ...timestamps,
  },
  (t) => [
    index("volunteer_hours_person_idx").on(t.personId, t.workedOn),
    index("volunteer_hours_district_status_idx").on(t.districtId, t.status, t.workedOn),
    index("volunteer_hours_worked_on_idx").on(t.workedOn),
    // the approval queue by status (city-wide for admins), and one person's hours of a status
    index("volunteer_hours_status_idx").on(t.status, t.personId, t.workedOn),
    uniqueIndex("volunteer_hours_person_session_uq").on(t.personId, t.sessionId),
  ],
);

export const PROJECT_KINDS = ["government_purchase", "public_welfare"] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];
export const PROJECT_STATUSES = ["active", "closed"] as const;

/** A funded project: a government-purchased service or a public-welfare project won by tender. */
export const projects = sqliteTable(
  "projects",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    funder: text("funder").notNull(),
    kind: text("kind", { enum: PROJECT_KINDS }).notNull(),
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on").notNull(),
    /** budget in fen (0.01 yuan), so money is exact */
    budgetFen: integer("budget_fen").notNull().default(0),
    notes: text("notes").notNull().default(""),
    status: text("status", { enum: PROJECT_STATUSES }).notNull().default("active"),
    createdByUserId: integer("created_by_user_id").references(() => users.id),
    ...timestamps,
  },
  (t) => [index("projects_period_idx").on(t.startsOn, t.endsOn)],
);

/** The districts a project serves; its progress counts records of these districts only. */
export const projectDistricts = sqliteTable(
  "project_districts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id").notNull().references(() => projects.id),
    districtId: integer("district_id").notNull().references(() => districts.id),
    ...timestamps,
  },
  (t) => [uniqueIndex("project_districts_uq").on(t.projectId, t.districtId), index("project_districts_district_idx").on(t.districtId)],
);

/** Metrics a target can name; each is computed from the records in the project's period and districts. */
export const PROJECT_METRICS = [
  "sessions_held",
  "attendances",
  "clients_served",
  "new_clients",
  "contacts",
  "volunteer_hours",
  "recognitions",
  "peer_tutors_certified",
] as const;
export type ProjectMetric = (typeof PROJECT_METRICS)[number];

export const projectTargets = sqliteTable(
  "project_targets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id").notNull().references(() => projects.id),
    metric: text("metric", { enum: PROJECT_METRICS }).notNull(),
    target: integer("target").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("project_targets_uq").on(t.projectId, t.metric)],
);

export const volunteerHoursRelations = relations(volunteerHours, ({ one }) => ({
  person: one(persons, { fields: [volunteerHours.personId], references: [persons.id] }),
  district: one(districts, { fields: [volunteerHours.districtId], references: [districts.id] }),
}));
export const projectsRelations = relations(projects, ({ many }) => ({
  districts: many(projectDistricts),
  targets: many(projectTargets),
}));
export const projectDistrictsRelations = relations(projectDistricts, ({ one }) => ({
  project: one(projects, { fields: [projectDistricts.projectId], references: [projects.id] }),
}));
export const projectTargetsRelations = relations(projectTargets, ({ one }) => ({
  project: one(projects, { fields: [projectTargets.projectId], references: [projects.id] }),
}));
