import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
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
    ...timestamps,
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);
