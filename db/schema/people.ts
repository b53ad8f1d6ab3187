import { relations } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { districts, socialWorkPoints } from "./organisation";

export const ROLES = ["admin", "coordinator", "social_worker", "peer_tutor", "trainer"] as const;
export type Role = (typeof ROLES)[number];

/** One row per human being, whatever roles they pass through. */
export const persons = sqliteTable("persons", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  displayName: text("display_name").notNull(),
  ...timestamps,
});

/** A login for a person. */
export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    personId: integer("person_id").notNull().references(() => persons.id),
    login: text("login").notNull(),
    passwordHash: text("password_hash").notNull(),
    locale: text("locale", { enum: ["zh-CN", "en"] }),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    mustChangePassword: integer("must_change_password", { mode: "boolean" }).notNull().default(false),
    failedLoginCount: integer("failed_login_count").notNull().default(0),
    lockedUntil: text("locked_until"),
    lastLoginAt: text("last_login_at"),
    passwordChangedAt: text("password_changed_at"),
    /** optional address for notification e-mails (sent only when SMTP is configured) */
    email: text("email"),
    ...timestamps,
  },
  (t) => [uniqueIndex("users_login_uq").on(t.login), uniqueIndex("users_person_uq").on(t.personId)],
);

/** A role held by a user; district_id null means the role is not limited to a district. */
export const userRoles = sqliteTable(
  "user_roles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    role: text("role", { enum: ROLES }).notNull(),
    districtId: integer("district_id").references(() => districts.id),
    ...timestamps,
  },
  (t) => [
    index("user_roles_user_idx").on(t.userId),
    uniqueIndex("user_roles_uq").on(t.userId, t.role, t.districtId),
  ],
);

/** Employment details of staff (social workers), with or without a login. */
export const staffProfiles = sqliteTable(
  "staff_profiles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    personId: integer("person_id").notNull().references(() => persons.id),
    kind: text("kind", { enum: ["social_worker", "coordinator", "trainer"] }).notNull(),
    districtId: integer("district_id").notNull().references(() => districts.id),
    pointId: integer("point_id").references(() => socialWorkPoints.id),
    qualifications: text("qualifications").notNull().default(""),
    hiredOn: text("hired_on"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("staff_person_kind_uq").on(t.personId, t.kind),
    index("staff_district_idx").on(t.districtId),
  ],
);

export const personsRelations = relations(persons, ({ one, many }) => ({
  user: one(users, { fields: [persons.id], references: [users.personId] }),
  staffProfiles: many(staffProfiles),
}));
export const usersRelations = relations(users, ({ one, many }) => ({
  person: one(persons, { fields: [users.personId], references: [persons.id] }),
  roles: many(userRoles),
}));
export const userRolesRelations = relations(userRoles, ({ one }) => ({
  user: one(users, { fields: [userRoles.userId], references: [users.id] }),
  district: one(districts, { fields: [userRoles.districtId], references: [districts.id] }),
}));
export const staffProfilesRelations = relations(staffProfiles, ({ one }) => ({
  person: one(persons, { fields: [staffProfiles.personId], references: [persons.id] }),
  district: one(districts, { fields: [staffProfiles.districtId], references: [districts.id] }),
}));
