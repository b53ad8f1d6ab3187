import { relations, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { districts, socialWorkPoints, subdistricts } from "./organisation";
import { persons, users } from "./people";

/*
 * Clients (服务对象) and everything recorded about them. Sensitive: every read of a client's
 * record or identity is audited by the domain layer (app/domain/clients).
 * Dates without time are "YYYY-MM-DD" text; instants are UTC ISO-8601 text (CONVENTIONS pattern 7).
 */

export const LEGAL_STATUSES = ["community_treatment", "community_rehab", "compulsory_rehab", "voluntary", "none"] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const CLIENT_STATUSES = ["active", "in_facility", "closed"] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export const ASSIGNMENT_KINDS = ["social_worker", "peer_tutor"] as const;
export type AssignmentKind = (typeof ASSIGNMENT_KINDS)[number];

export const SUBSTANCE_EVENT_KINDS = ["use", "relapse", "test_negative", "test_positive", "facility_release"] as const;
export type SubstanceEventKind = (typeof SUBSTANCE_EVENT_KINDS)[number];

export const LIFT_REQUEST_STATUSES = ["draft", "sent", "granted", "refused"] as const;
export type LiftRequestStatus = (typeof LIFT_REQUEST_STATUSES)[number];

/** A client's case. The alias is what every screen shows; the real identity lives apart. */
export const clients = sqliteTable(
  "clients",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    caseNumber: text("case_number").notNull(),
    alias: text("alias").notNull(),
    districtId: integer("district_id").notNull().references(() => districts.id),
    subdistrictId: integer("subdistrict_id").references(() => subdistricts.id),
    pointId: integer("point_id").references(() => socialWorkPoints.id),
    legalStatus: text("legal_status", { enum: LEGAL_STATUSES }).notNull(),
    /** YYYY-MM-DD; "clients served at D" counts intake_date <= D */
    intakeDate: text("intake_date").notNull(),
    riskLevel: text("risk_level", { enum: RISK_LEVELS }).notNull(),
    status: text("status", { enum: CLIENT_STATUSES }).notNull().default("active"),
    closedReason: text("closed_reason").notNull().default(""),
    /** YYYY-MM-DD; set when status becomes closed */
    closedOn: text("closed_on"),
    /** The same human being's person row (a client who later trains as a peer tutor). Visible only to admins and the client's social worker. */
    personId: integer("person_id").references(() => persons.id),
    /** UTC instant when retention replaced this client's identity and free text with markers */
    deidentifiedAt: text("deidentified_at"),
    /**
     * Contact cadence kept beside the client so "overdue" is a read of this row, not a search of the
     * contact log: the latest contacts.happened_at and the next_contact_due set on that contact.
     * Maintained only by the database triggers of migration 0012 (every insert, update and delete
     * of contacts, whoever writes them); the app never writes these columns.
     */
    lastContactAt: text("last_contact_at"),
    nextContactDue: text("next_contact_due"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("clients_case_number_uq").on(t.caseNumber),
    index("clients_closed_idx").on(t.status, t.closedOn),
    index("clients_district_status_idx").on(t.districtId, t.status),
    // covers the clients list's default order (last contact) within a coordinator's districts:
    // the sort reads the index, not every client's row (79 -> 22 ms at scale 10)
    index("clients_district_last_contact_idx").on(t.districtId, t.lastContactAt),
    index("clients_intake_idx").on(t.intakeDate),
    index("clients_person_idx").on(t.personId),
  ],
);

/** Real identity, kept apart: readable only by the client's social worker and admins, every read audited. */
export const clientIdentities = sqliteTable(
  "client_identities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    realName: text("real_name").notNull(),
    idNumber: text("id_number").notNull().default(""),
    phone: text("phone").notNull().default(""),
    address: text("address").notNull().default(""),
    ...timestamps,
  },
  (t) => [uniqueIndex("client_identities_client_uq").on(t.clientId)],
);

/** What the client agreed to, when, who recorded it; withdrawn_at (UTC instant) ends it. */
export const consents = sqliteTable(
  "consents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    /** JSON array of purpose ids (e.g. "case_management", "peer_support", "reporting") */
    purposes: text("purposes", { mode: "json" }).$type<string[]>().notNull(),
    /** consent covers sensitive information (health, drug use, legal status) */
    sensitiveInfo: integer("sensitive_info", { mode: "boolean" }).notNull().default(false),
    /** YYYY-MM-DD */
    agreedOn: text("agreed_on").notNull(),
    recordedBy: integer("recorded_by").notNull().references(() => users.id),
    withdrawnAt: text("withdrawn_at"),
    ...timestamps,
  },
  (t) => [index("consents_client_idx").on(t.clientId, t.agreedOn)],
);

/**
 * Who supports a client: history kept. An assignment covers from_date (inclusive) up to
 * to_date (exclusive); to_date null means it is the current one. The partial unique index lets a
 * client have at most one current social worker and one current peer tutor (DESIGN.md §3).
 */
export const clientAssignments = sqliteTable(
  "client_assignments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    kind: text("kind", { enum: ASSIGNMENT_KINDS }).notNull(),
    /** the worker's person row (social worker or peer tutor) */
    personId: integer("person_id").notNull().references(() => persons.id),
    fromDate: text("from_date").notNull(),
    toDate: text("to_date"),
    /** null when made by the system (an import) */
    assignedBy: integer("assigned_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("client_assignments_active_uq").on(t.clientId, t.kind).where(sql`to_date is null`),
    index("client_assignments_client_idx").on(t.clientId, t.kind, t.fromDate),
    index("client_assignments_worker_idx").on(t.personId, t.toDate),
  ],
);

/** One contact log entry (帮教记录). */
export const contacts = sqliteTable(
  "contacts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    authorUserId: integer("author_user_id").notNull().references(() => users.id),
    /** contact type id from settings (homeVisit, phone, letter, facilityVisit, familyCall, …) */
    type: text("type").notNull(),
    /** UTC ISO instant */
    happenedAt: text("happened_at").notNull(),
    durationMinutes: integer("duration_minutes").notNull().default(0),
    /** JSON array of who else was there (family, police officer, residents' committee, …) */
    participants: text("participants", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    summary: text("summary").notNull(),
    mood: text("mood"),
    riskObservation: text("risk_observation"),
    /** readable only by the author and the client's social worker */
    private: integer("private", { mode: "boolean" }).notNull().default(false),
    /** YYYY-MM-DD */
    nextContactDue: text("next_contact_due"),
    ...timestamps,
  },
  (t) => [
    index("contacts_client_at_idx").on(t.clientId, t.happenedAt),
    index("contacts_author_at_idx").on(t.authorUserId, t.happenedAt),
    index("contacts_at_idx").on(t.happenedAt),
  ],
);

/** Dated substance events; use, relapse, test_positive and facility_release restart the abstinence clock. */
export const substanceEvents = sqliteTable(
  "substance_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    /** YYYY-MM-DD */
    date: text("date").notNull(),
    kind: text("kind", { enum: SUBSTANCE_EVENT_KINDS }).notNull(),
    note: text("note").notNull().default(""),
    /** null when imported */
    recordedBy: integer("recorded_by").references(() => users.id),
    ...timestamps,
  },
  // one event of a kind per client and day: re-importing the same file changes nothing
  (t) => [uniqueIndex("substance_events_client_date_uq").on(t.clientId, t.date, t.kind)],
);

/** A social worker's recognition of three-year abstinence. A later relapse does not erase it. */
export const recognitions = sqliteTable(
  "recognitions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    /** YYYY-MM-DD */
    recognisedOn: text("recognised_on").notNull(),
    recognisedByUserId: integer("recognised_by_user_id").notNull().references(() => users.id),
    evidence: text("evidence").notNull().default(""),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("recognitions_client_date_uq").on(t.clientId, t.recognisedOn),
    index("recognitions_date_idx").on(t.recognisedOn),
  ],
);

/** Request to the police to lift dynamic monitoring: draft → sent → granted / refused. */
export const monitoringLiftRequests = sqliteTable(
  "monitoring_lift_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    status: text("status", { enum: LIFT_REQUEST_STATUSES }).notNull().default("draft"),
    sentOn: text("sent_on"),
    decidedOn: text("decided_on"),
    note: text("note").notNull().default(""),
    ...timestamps,
  },
  (t) => [index("lift_requests_client_idx").on(t.clientId, t.status)],
);

export const clientsRelations = relations(clients, ({ one, many }) => ({
  district: one(districts, { fields: [clients.districtId], references: [districts.id] }),
  subdistrict: one(subdistricts, { fields: [clients.subdistrictId], references: [subdistricts.id] }),
  point: one(socialWorkPoints, { fields: [clients.pointId], references: [socialWorkPoints.id] }),
  person: one(persons, { fields: [clients.personId], references: [persons.id] }),
  identity: one(clientIdentities, { fields: [clients.id], references: [clientIdentities.clientId] }),
  consents: many(consents),
  assignments: many(clientAssignments),
  contacts: many(contacts),
  substanceEvents: many(substanceEvents),
  recognitions: many(recognitions),
  liftRequests: many(monitoringLiftRequests),
}));
export const clientIdentitiesRelations = relations(clientIdentities, ({ one }) => ({
  client: one(clients, { fields: [clientIdentities.clientId], references: [clients.id] }),
}));
export const consentsRelations = relations(consents, ({ one }) => ({
  client: one(clients, { fields: [consents.clientId], references: [clients.id] }),
  recorder: one(users, { fields: [consents.recordedBy], references: [users.id] }),
}));
export const clientAssignmentsRelations = relations(clientAssignments, ({ one }) => ({
  client: one(clients, { fields: [clientAssignments.clientId], references: [clients.id] }),
  person: one(persons, { fields: [clientAssignments.personId], references: [persons.id] }),
}));
export const contactsRelations = relations(contacts, ({ one }) => ({
  client: one(clients, { fields: [contacts.clientId], references: [clients.id] }),
  author: one(users, { fields: [contacts.authorUserId], references: [users.id] }),
}));
export const substanceEventsRelations = relations(substanceEvents, ({ one }) => ({
  client: one(clients, { fields: [substanceEvents.clientId], references: [clients.id] }),
}));
export const recognitionsRelations = relations(recognitions, ({ one }) => ({
  client: one(clients, { fields: [recognitions.clientId], references: [clients.id] }),
  recognisedBy: one(users, { fields: [recognitions.recognisedByUserId], references: [users.id] }),
}));
export const monitoringLiftRequestsRelations = relations(monitoringLiftRequests, ({ one }) => ({
  client: one(clients, { fields: [monitoringLiftRequests.clientId], references: [clients.id] }),
}));

export const PLAN_STATUSES = ["draft", "submitted", "approved", "returned"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const GOAL_AREAS = ["abstinence", "family", "employment", "health", "housing", "legal", "social"] as const;
export type GoalArea = (typeof GOAL_AREAS)[number];
export const GOAL_STATUSES = ["open", "in_progress", "done", "dropped"] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** Individual service plan (个性化帮教服务方案): the social worker submits, a coordinator approves. */
export const servicePlans = sqliteTable(
  "service_plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    status: text("status", { enum: PLAN_STATUSES }).notNull().default("draft"),
    /** YYYY-MM-DD: when the plan is next reviewed */
    reviewDue: text("review_due"),
    note: text("note").notNull().default(""),
    authorUserId: integer("author_user_id").notNull().references(() => users.id),
    submittedAt: text("submitted_at"),
    decidedByUserId: integer("decided_by_user_id").references(() => users.id),
    decidedAt: text("decided_at"),
    decisionNote: text("decision_note").notNull().default(""),
    ...timestamps,
  },
  (t) => [index("service_plans_client_idx").on(t.clientId, t.status), index("service_plans_status_idx").on(t.status, t.reviewDue)],
);

export const planGoals = sqliteTable(
  "plan_goals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    planId: integer("plan_id").notNull().references(() => servicePlans.id),
    area: text("area", { enum: GOAL_AREAS }).notNull(),
    goal: text("goal").notNull(),
    action: text("action").notNull().default(""),
    /** who carries the action: free text ("client", "social worker", "family") */
    owner: text("owner").notNull().default(""),
    dueDate: text("due_date"),
    status: text("status", { enum: GOAL_STATUSES }).notNull().default("open"),
    reviewedByUserId: integer("reviewed_by_user_id").references(() => users.id),
    reviewedAt: text("reviewed_at"),
    ...timestamps,
  },
  (t) => [index("plan_goals_plan_idx").on(t.planId)],
);

/** BARC-10 recovery-capital questionnaire: 10 answers of 1–6, total 10–60. */
export const barc10Assessments = sqliteTable(
  "barc10_assessments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    /** YYYY-MM-DD */
    takenOn: text("taken_on").notNull(),
    answers: text("answers", { mode: "json" }).$type<number[]>().notNull(),
    total: integer("total").notNull(),
    recordedBy: integer("recorded_by").notNull().references(() => users.id),
    ...timestamps,
  },
  (t) => [index("barc10_client_idx").on(t.clientId, t.takenOn)],
);

export const FLAG_KINDS = ["risk", "crisis"] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** Risk and crisis flags (危机干预): raised with a reason, resolved with a note. A crisis puts the client on top of every list. */
export const clientFlags = sqliteTable(
  "client_flags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    kind: text("kind", { enum: FLAG_KINDS }).notNull(),
    reason: text("reason").notNull(),
    raisedByUserId: integer("raised_by_user_id").notNull().references(() => users.id),
    raisedAt: text("raised_at").notNull(),
    resolvedByUserId: integer("resolved_by_user_id").references(() => users.id),
    resolvedAt: text("resolved_at"),
    resolutionNote: text("resolution_note").notNull().default(""),
    ...timestamps,
  },
  (t) => [
    index("client_flags_client_idx").on(t.clientId, t.resolvedAt),
    index("client_flags_open_idx").on(t.kind, t.resolvedAt),
    // the Crisis list starts from the open flags, whatever their kind
    index("client_flags_unresolved_idx").on(t.resolvedAt, t.clientId),
  ],
);

/** A contact form saved on the server while being typed, so a timed-out session loses nothing; discarded after 7 days. */
export const contactDrafts = sqliteTable(
  "contact_drafts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    clientId: integer("client_id").notNull().references(() => clients.id),
    values: text("values", { mode: "json" }).$type<Record<string, string>>().notNull(),
    savedAt: text("saved_at").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("contact_drafts_user_client_uq").on(t.userId, t.clientId), index("contact_drafts_saved_idx").on(t.savedAt)],
);

export const CORRECTION_OUTCOMES = ["pending", "corrected", "declined"] as const;

/** A client's request to correct what is held about them (a person's right), and its outcome. */
export const correctionRequests = sqliteTable(
  "correction_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    clientId: integer("client_id").notNull().references(() => clients.id),
    /** YYYY-MM-DD */
    requestedOn: text("requested_on").notNull(),
    request: text("request").notNull(),
    outcome: text("outcome", { enum: CORRECTION_OUTCOMES }).notNull().default("pending"),
    outcomeNote: text("outcome_note").notNull().default(""),
    decidedOn: text("decided_on"),
    recordedBy: integer("recorded_by").notNull().references(() => users.id),
    decidedBy: integer("decided_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [index("correction_requests_client_idx").on(t.clientId, t.requestedOn)],
);
