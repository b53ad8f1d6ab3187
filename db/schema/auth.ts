import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { users } from "./people";

/** Sessions as the Lucia guide teaches them: the id is the SHA-256 (hex) of the cookie token. */
export const authSessions = sqliteTable(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id").notNull().references(() => users.id),
    /** sliding idle expiry */
    expiresAt: text("expires_at").notNull(),
    /** hard limit from sign-in */
    absoluteExpiresAt: text("absolute_expires_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    ip: text("ip").notNull().default(""),
    userAgent: text("user_agent").notNull().default(""),
    /**
     * Second factor: "ok" (signed in fully), "verify" (password accepted, code still to give),
     * "enrol" (password accepted, a second factor must be set up before anything else).
     */
    secondFactor: text("second_factor", { enum: ["ok", "verify", "enrol"] }).notNull().default("ok"),
    ...timestamps,
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);

/**
 * A person's second factor (TOTP, RFC 6238). While `confirmedAt` is null the row is an enrolment
 * in progress that expires at `enrolmentExpiresAt`. `lastUsedStep` refuses a code used twice.
 */
export const userTotp = sqliteTable(
  "user_totp",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    /** the shared secret, base32 (RFC 4648, no padding) */
    secret: text("secret").notNull(),
    enrolmentExpiresAt: text("enrolment_expires_at"),
    confirmedAt: text("confirmed_at"),
    lastUsedStep: integer("last_used_step").notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex("user_totp_user_uq").on(t.userId)],
);

/** One-time recovery codes; only their SHA-256 is stored. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    codeHash: text("code_hash").notNull(),
    usedAt: text("used_at"),
    ...timestamps,
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId), uniqueIndex("recovery_codes_hash_uq").on(t.userId, t.codeHash)],
);

/** Devices a person has signed in from (a hash of the browser's user agent), to notice a new one. */
export const knownDevices = sqliteTable(
  "known_devices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    deviceHash: text("device_hash").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("known_devices_uq").on(t.userId, t.deviceHash)],
);
