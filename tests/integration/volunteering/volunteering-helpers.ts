/** Builders shared by the volunteer-hours tests (fictional people only). */
import { eq } from "drizzle-orm";
import { userRoles, volunteerHours } from "#db/schema";
import type { RoleGrant } from "~/auth/roles";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/audit";
import { addDays } from "~/domain/clients/dates";
import { hoursToday, type HoursViewer } from "~/domain/volunteering";

export function viewerOf(user: { id: number; personId: number }): HoursViewer {
  const roles = getDb()
    .select({ role: userRoles.role, districtId: userRoles.districtId })
    .from(userRoles)
    .where(eq(userRoles.userId, user.id))
    .all() as RoleGrant[];
  return { roles, personId: user.personId };
}

export function actorOfUser(user: { id: number; login: string }): Actor {
  return { userId: user.id, login: user.login, ip: "127.0.0.1" };
}

/** A date `days` before today in the program's time zone. */
export function daysAgo(days: number): string {
  return addDays(hoursToday(getDb()), -days);
}

/** A raw entry (no rules), for list and sum tests. */
export function rawHours(values: {
  personId: number;
  districtId: number;
  workedOn?: string;
  minutes?: number;
  status?: "pending" | "approved" | "rejected";
  activity?: string;
  createdAt?: string;
}) {
  return getDb()
    .insert(volunteerHours)
    .values({
      personId: values.personId,
      districtId: values.districtId,
      activity: values.activity ?? "peerSupport",
      workedOn: values.workedOn ?? daysAgo(1),
      minutes: values.minutes ?? 60,
      status: values.status ?? "pending",
      ...(values.createdAt ? { createdAt: values.createdAt } : {}),
    })
    .returning()
    .get();
}

/** Moves an entry's logging time back, to test the edit window. */
export function loggedDaysAgo(entryId: number, days: number) {
  const at = new Date(Date.now() - days * 86_400_000).toISOString();
  getDb().update(volunteerHours).set({ createdAt: at }).where(eq(volunteerHours.id, entryId)).run();
}
