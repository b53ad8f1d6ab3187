/**
 * The daily notification sweep (issue 7 item 7): notices that no single write causes, found by
 * looking at the records on a day.
 * - certificate expiring: a certificate, not revoked, whose expiry falls within the registry's
 *   "expiring soon" window (EXPIRING_WITHIN_DAYS, both days included) → its holder's active logins;
 * - client overdue: an open client overdue for a contact by the one overdue rule (overdueSql, the
 *   program's threshold and time zone) → the active logins of the client's current social worker
 *   and peer tutor.
 *
 * Idempotent: each notice is written once per recipient and item and "episode": a certificate
 * is noticed once for its expiry date (a renewal with a new date is a new episode); an overdue
 * client once per last contact (a new contact ends the episode; a later lapse is a new one). Run
 * it any number of times a day: the second run writes nothing. One audit event per run that wrote.
 */
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { certificates, clientAssignments, clients, notifications, users } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { lastContactSql, overdueSql } from "~/domain/clients/overdue.server";
import { notify } from "~/domain/sessions/notifications.server";
import { getSettings } from "~/domain/settings";
import { expiringUntil } from "~/domain/training/practise";
import { localDate } from "~/domain/clients/dates";

export const SWEEP_ACTOR: Actor = { userId: null, login: "notification-sweep", ip: "" };

export type SweepResult = { certificateExpiring: number; clientOverdue: number };

/** SQL: a notification of this kind for this user whose params carry this episode key already exists. */
function alreadyTold(kind: string, userIdSql: ReturnType<typeof sql>, episode: ReturnType<typeof sql>) {
  return sql`exists (select 1 from ${notifications} n where n.user_id = ${userIdSql} and n.kind = ${kind} and json_extract(n.params, '$.episode') = ${episode})`;
}

function group<T extends { key: string; userId: number }>(rows: T[]): Map<string, { first: T; userIds: number[] }> {
  const out = new Map<string, { first: T; userIds: number[] }>();
  for (const r of rows) {
    const g = out.get(r.key);
    if (g) g.userIds.push(r.userId);
    else out.set(r.key, { first: r, userIds: [r.userId] });
  }
  return out;
}

/** Runs the sweep for a day (YYYY-MM-DD in the program's time zone). Returns how many notices were written of each kind. */
export function runNotificationSweep(db: Db, today: string, actor: Actor = SWEEP_ACTOR): SweepResult {
  const { timeZone, overdueThresholdDays } = getSettings(db);
  return db.transaction((tx) => {
    // certificates expiring soon: one statement finds every holder login not yet told of this expiry
    const certEpisode = sql`${certificates.number} || '@' || ${certificates.expiresOn}`;
    const expiring = tx
      .select({ userId: users.id, number: certificates.number, expiresOn: certificates.expiresOn, key: sql<string>`${certEpisode}` })
      .from(certificates)
      .innerJoin(users, and(eq(users.personId, certificates.holderPersonId), eq(users.active, true)))
      .where(
        and(
          isNull(certificates.revokedAt),
          sql`${certificates.expiresOn} >= ${today}`,
          sql`${certificates.expiresOn} <= ${expiringUntil(today)}`,
          sql`not ${alreadyTold("certificateExpiring", sql`${users.id}`, certEpisode)}`,
        ),
      )
      .all();
    let certificateExpiring = 0;
    for (const { first, userIds } of group(expiring).values()) {
      certificateExpiring += notify(tx, userIds, {
        kind: "certificateExpiring",
        messageKey: "dashboard.notify.certificateExpiring",
        params: { number: first.number, date: first.expiresOn, episode: first.key },
        link: "/my-certificate",
      });
    }

    // clients overdue: one statement over open clients, their current workers' active logins
    const last = lastContactSql();
    const overdueEpisode = sql`'client:' || ${clients.id} || '@' || coalesce(${last}, 'never')`;
    const overdue = tx
      .select({ userId: users.id, clientId: clients.id, alias: clients.alias, lastContactAt: sql<string | null>`${last}`, key: sql<string>`${overdueEpisode}` })
      .from(clients)
      .innerJoin(clientAssignments, and(eq(clientAssignments.clientId, clients.id), isNull(clientAssignments.toDate), inArray(clientAssignments.kind, ["social_worker", "peer_tutor"])))
      .innerJoin(users, and(eq(users.personId, clientAssignments.personId), eq(users.active, true)))
      .where(
        and(
          ne(clients.status, "closed"),
          overdueSql(today, overdueThresholdDays, timeZone),
          sql`not ${alreadyTold("clientOverdue", sql`${users.id}`, overdueEpisode)}`,
        ),
      )
      .all();
    let clientOverdue = 0;
    for (const { first, userIds } of group(overdue).values()) {
      const params: Record<string, string> = first.lastContactAt
        ? { alias: first.alias, last: localDate(new Date(first.lastContactAt), timeZone), episode: first.key }
        : { alias: first.alias, episode: first.key };
      clientOverdue += notify(tx, userIds, {
        kind: "clientOverdue",
        messageKey: first.lastContactAt ? "dashboard.notify.clientOverdue" : "dashboard.notify.clientNeverContacted",
        params,
        link: `/clients/${first.clientId}/contacts`,
      });
    }

    if (certificateExpiring + clientOverdue > 0) {
      recordAudit(tx, actor, { action: "sweep", entity: "notification", entityId: today, details: { certificateExpiring, clientOverdue } });
    }
    return { certificateExpiring, clientOverdue };
  });
}
