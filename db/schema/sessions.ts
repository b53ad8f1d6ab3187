import { relations, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { clients } from "./clients";
import { studios } from "./organisation";
import { persons, users } from "./people";

/*
 * Peer-education groups (同伴教育小组) and group sessions (小组活动) at studios.
 * Instants are UTC ISO-8601 text; shown in the program's time zone.
 */

/** A room of a studio; a studio without rooms is one space. */
export const rooms = sqliteTable(
  "rooms",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    studioId: integer("studio_id").notNull().references(() => studios.id),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    capacity: integer("capacity").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [index("rooms_studio_idx").on(t.studioId)],
);

export const GROUP_STATUSES = ["active", "ended", "cancelled"] as const;

/** A standing group that meets repeatedly at a studio, expanded from an RFC 5545 recurrence rule. */
export const groups = sqliteTable(
  "groups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    studioId: integer("studio_id").notNull().references(() => studios.id),
    roomId: integer("room_id").references(() => rooms.id),
    topic: text("topic").notNull(),
    /** session kind id from settings: peerSupport, psychoEducation, family, skillsWorkshop, recreation */
    kind: text("kind").notNull(),
    capacity: integer("capacity").notNull(),
    /** RRULE text (FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=8), local wall-clock times */
    recurrence: text("recurrence").notNull(),
    /** first occurrence, local date-time in the program time zone "YYYY-MM-DDTHH:MM" */
    firstStartsLocal: text("first_starts_local").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    /** JSON array of YYYY-MM-DD dates skipped */
    exceptionDates: text("exception_dates", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    status: text("status", { enum: GROUP_STATUSES }).notNull().default("active"),
    createdByUserId: integer("created_by_user_id").references(() => users.id),
    ...timestamps,
  },
  (t) => [index("groups_studio_idx").on(t.studioId, t.status)],
);

/** Facilitators of a group (peer tutors and social workers, by person). */
export const groupFacilitators = sqliteTable(
  "group_facilitators",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    groupId: integer("group_id").notNull().references(() => groups.id),
    personId: integer("person_id").notNull().references(() => persons.id),
    ...timestamps,
  },
  (t) => [uniqueIndex("group_facilitators_uq").on(t.groupId, t.personId)],
);

export const SESSION_STATUSES = ["scheduled", "cancelled", "held"] as const;

/** One meeting of a group, or a one-off session. */
export const groupSessions = sqliteTable(
  "group_sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    groupId: integer("group_id").references(() => groups.id),
    /** position in the group's series (1-based), for "this and following" edits */
    occurrence: integer("occurrence"),
    studioId: integer("studio_id").notNull().references(() => studios.id),
    roomId: integer("room_id").references(() => rooms.id),
    topic: text("topic").notNull(),
    kind: text("kind").notNull(),
    startsAt: text("starts_at").notNull(),
    endsAt: text("ends_at").notNull(),
    capacity: integer("capacity").notNull(),
    status: text("status", { enum: SESSION_STATUSES }).notNull().default("scheduled"),
    cancelReason: text("cancel_reason").notNull().default(""),
    /** a random token for the self check-in QR code, valid until the session ends */
    checkInToken: text("check_in_token"),
    /** bumped on every change, for ICS SEQUENCE */
    sequence: integer("sequence").notNull().default(0),
    createdByUserId: integer("created_by_user_id").references(() => users.id),
    ...timestamps,
  },
  (t) => [
    index("group_sessions_studio_time_idx").on(t.studioId, t.startsAt),
    index("group_sessions_room_time_idx").on(t.roomId, t.startsAt),
    index("group_sessions_group_idx").on(t.groupId, t.occurrence),
    index("group_sessions_time_idx").on(t.startsAt),
  ],
);

export const sessionFacilitators = sqliteTable(
  "session_facilitators",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: integer("session_id").notNull().references(() => groupSessions.id),
    personId: integer("person_id").notNull().references(() => persons.id),
    ...timestamps,
  },
  (t) => [uniqueIndex("session_facilitators_uq").on(t.sessionId, t.personId), index("session_facilitators_person_idx").on(t.personId)],
);

export const REGISTRATION_STATUSES = ["registered", "waitlisted", "cancelled"] as const;

/** A client registered for a session (or waitlisted, in order of waitlisted_at). */
export const sessionRegistrations = sqliteTable(
  "session_registrations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: integer("session_id").notNull().references(() => groupSessions.id),
    clientId: integer("client_id").notNull().references(() => clients.id),
    status: text("status", { enum: REGISTRATION_STATUSES }).notNull(),
    waitlistedAt: text("waitlisted_at"),
    registeredByUserId: integer("registered_by_user_id").references(() => users.id),
    /** a coordinator's recorded reason when capacity was overridden */
    overrideReason: text("override_reason").notNull().default(""),
    ...timestamps,
  },
  (t) => [uniqueIndex("session_registrations_uq").on(t.sessionId, t.clientId), index("session_registrations_client_idx").on(t.clientId)],
);

export const ATTENDANCE_STATUSES = ["present", "late", "absent", "excused"] as const;

export const attendance = sqliteTable(
  "attendance",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: integer("session_id").notNull().references(() => groupSessions.id),
    clientId: integer("client_id").notNull().references(() => clients.id),
    status: text("status", { enum: ATTENDANCE_STATUSES }).notNull(),
    checkedInAt: text("checked_in_at"),
    recordedByUserId: integer("recorded_by_user_id").references(() => users.id),
    ...timestamps,
  },
  (t) => [uniqueIndex("attendance_uq").on(t.sessionId, t.clientId), index("attendance_client_idx").on(t.clientId)],
);

/** In-app notifications (a session cancelled, a waitlist place freed, …). */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    kind: text("kind").notNull(),
    /** message key and params, rendered in the reader's language */
    messageKey: text("message_key").notNull(),
    params: text("params", { mode: "json" }).$type<Record<string, string | number>>().notNull().default(sql`'{}'`),
    link: text("link").notNull().default(""),
    readAt: text("read_at"),
    ...timestamps,
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.readAt)],
);

/** Secret tokens for ICS feeds (per person); revocable. Only the SHA-256 of the token is stored. */
export const calendarTokens = sqliteTable(
  "calendar_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    tokenHash: text("token_hash").notNull(),
    revokedAt: text("revoked_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("calendar_tokens_hash_uq").on(t.tokenHash), index("calendar_tokens_user_idx").on(t.userId)],
);

export const groupsRelations = relations(groups, ({ one, many }) => ({
  studio: one(studios, { fields: [groups.studioId], references: [studios.id] }),
  facilitators: many(groupFacilitators),
  sessions: many(groupSessions),
}));
export const groupSessionsRelations = relations(groupSessions, ({ one, many }) => ({
  group: one(groups, { fields: [groupSessions.groupId], references: [groups.id] }),
  studio: one(studios, { fields: [groupSessions.studioId], references: [studios.id] }),
  facilitators: many(sessionFacilitators),
  registrations: many(sessionRegistrations),
}));
export const groupFacilitatorsRelations = relations(groupFacilitators, ({ one }) => ({
  group: one(groups, { fields: [groupFacilitators.groupId], references: [groups.id] }),
}));
export const sessionFacilitatorsRelations = relations(sessionFacilitators, ({ one }) => ({
  session: one(groupSessions, { fields: [sessionFacilitators.sessionId], references: [groupSessions.id] }),
}));
export const sessionRegistrationsRelations = relations(sessionRegistrations, ({ one }) => ({
  session: one(groupSessions, { fields: [sessionRegistrations.sessionId], references: [groupSessions.id] }),
}));
