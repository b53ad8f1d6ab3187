/**
 * Worklists built on the one overdue rule (outcomes.ts isOverdue; overdue.server.ts overdueSql):
 * - a worker's own list ("My mentees" for a peer tutor, the caseload of a social worker): open
 *   crisis first, then overdue (most days overdue first), then the longest since last contact;
 * - the coordinator's "who is falling behind": per district, each worker with current clients,
 *   their caseload size and how many of those clients are overdue, in one grouped query.
 * Scoped in the SQL by the viewer's permissions (clientScope / rowScope).
 */
import { and, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { clientAssignments, clients, districts, persons, type AssignmentKind, type ClientStatus, type RiskLevel } from "#db/schema";
import { hasRole, rowScope } from "~/auth/permissions";
import { zoneOffsetMinutesOnDate } from "~/i18n/format";
import { clientScope, type Viewer } from "./access.server";
import { parseDate } from "./dates";
import { openCrisisSql } from "./flags.server";
import { isOverdue, type OverdueStatus } from "./outcomes";
import { lastContactSql, nextContactDueSql, overdueSql } from "./overdue.server";

export type CadenceRules = { asOf: string; thresholdDays: number; timeZone: string };

export type WorklistRow = {
  id: number;
  alias: string;
  status: ClientStatus;
  riskLevel: RiskLevel;
  lastContactAt: string | null;
  nextContactDue: string | null;
  crisis: boolean;
  overdue: OverdueStatus;
};

/**
 * SQL: the date by which the client should have been contacted (the earlier of last contact's local
 * date + threshold and the next-contact date set); null when never contacted. Ordering by it
 * ascending is ordering by days overdue, most first. Used for ordering only: whether a client is
 * overdue comes from overdueSql, and the number shown from isOverdue.
 */
function dueBySql(rules: CadenceRules): SQL<string | null> {
  const shift = `${zoneOffsetMinutesOnDate(rules.asOf, rules.timeZone)} minutes`;
  const days = `+${rules.thresholdDays} days`;
  return sql<string | null>`min(date(${lastContactSql()}, ${shift}, ${days}), coalesce(${nextContactDueSql()}, '9999-12-31'))`;
}

/**
 * The viewer's own current clients of one kind: a peer tutor's mentees ("peer_tutor") or a social
 * worker's caseload ("social_worker"); open cases only (active or in a facility). Order: open
 * crisis first, then overdue (never contacted, then most days overdue), then the longest since the
 * last contact, then alias. One page.
 */
export function ownWorklist(
  db: Pick<Db, "select">,
  viewer: Viewer,
  kind: AssignmentKind,
  rules: CadenceRules,
  page: { limit: number; offset: number },
): { rows: WorklistRow[]; total: number } {
  parseDate(rules.asOf);
  if (!hasRole(viewer, kind)) return { rows: [], total: 0 };
  const where = and(
    clientScope(viewer),
    ne(clients.status, "closed"),
    sql`exists (select 1 from ${clientAssignments} own where own.client_id = ${clients.id} and own.kind = ${kind} and own.person_id = ${viewer.personId} and own.to_date is null)`,
  );
  const overdue = overdueSql(rules.asOf, rules.thresholdDays, rules.timeZone);
  const rows = db
    .select({
      id: clients.id,
      alias: clients.alias,
      status: clients.status,
      riskLevel: clients.riskLevel,
      // each wrapped once more: drizzle leaves a top-level column of a single-table select's
      // field unqualified ("id"), which inside a subquery would name the subquery's own column
      lastContactAt: sql<string | null>`${lastContactSql()}`.as("last_contact_at"),
      nextContactDue: sql<string | null>`${nextContactDueSql()}`.as("next_contact_due"),
      crisis: sql<number>`${openCrisisSql()}`.as("open_crisis"),
      isOverdue: sql<number>`${overdue}`.as("is_overdue"),
      dueBy: sql<string | null>`${dueBySql(rules)}`.as("due_by"),
    })
    .from(clients)
    .where(where)
    .orderBy(
      sql`open_crisis desc`,
      sql`is_overdue desc`,
      sql`last_contact_at is not null`,
      sql`due_by asc`,
      sql`last_contact_at asc`,
      clients.alias,
      clients.id,
    )
    .limit(page.limit)
    .offset(page.offset)
    .all()
    .map((r) => ({
      id: r.id,
      alias: r.alias,
      status: r.status,
      riskLevel: r.riskLevel,
      lastContactAt: r.lastContactAt,
      nextContactDue: r.nextContactDue,
      crisis: Boolean(r.crisis),
      overdue: isOverdue({ lastContactAt: r.lastContactAt, nextContactDue: r.nextContactDue }, rules.asOf, rules.thresholdDays, rules.timeZone),
    }));
  const total = db.select({ n: sql<number>`count(*)` }).from(clients).where(where).get()?.n ?? 0;
  return { rows, total };
}

export type WorkerLoadRow = {
  districtId: number;
  districtZh: string;
  districtEn: string;
  kind: AssignmentKind;
  personId: number;
  name: string;
  caseload: number;
  overdue: number;
};

/** The districts whose caseloads the viewer oversees (assign:caseload), by code; all for a city-wide grant. */
export function caseloadDistricts(db: Pick<Db, "select">, viewer: Viewer): { id: number; nameZh: string; nameEn: string }[] {
  const scope = rowScope(viewer, "assign:caseload");
  if (scope.kind === "none" || scope.kind === "own") return [];
  const q = db.select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts);
  return (scope.kind === "all" ? q : q.where(inArray(districts.id, scope.districtIds))).orderBy(districts.code, districts.id).all();
}

/**
 * "Who is falling behind": for each district the viewer oversees (or the one asked for), each
 * social worker and peer tutor holding current assignments to open clients there, with their
 * caseload size and their count of overdue clients (overdueSql), most overdue first. One grouped
 * query (plus its count), whatever the number of workers.
 */
export function overdueByWorker(
  db: Pick<Db, "select">,
  viewer: Viewer,
  rules: CadenceRules,
  filter: { districtId?: number },
  page: { limit: number; offset: number },
): { rows: WorkerLoadRow[]; total: number } {
  parseDate(rules.asOf);
  const scope = rowScope(viewer, "assign:caseload");
  if (scope.kind === "none" || scope.kind === "own") return { rows: [], total: 0 };
  const conditions: (SQL | undefined)[] = [isNull(clientAssignments.toDate), ne(clients.status, "closed")];
  if (scope.kind === "districts") conditions.push(inArray(clients.districtId, scope.districtIds));
  if (filter.districtId !== undefined) conditions.push(eq(clients.districtId, filter.districtId));
  const where = and(...conditions);
  const overdueCount = sql<number>`sum(case when ${overdueSql(rules.asOf, rules.thresholdDays, rules.timeZone)} then 1 else 0 end)`;
  const grouped = db
    .select({
      districtId: clients.districtId,
      districtZh: districts.nameZh,
      districtEn: districts.nameEn,
      districtCode: districts.code,
      kind: clientAssignments.kind,
      personId: clientAssignments.personId,
      name: persons.displayName,
      caseload: sql<number>`count(*)`.as("caseload"),
      overdue: overdueCount.as("overdue_count"),
    })
    .from(clientAssignments)
    .innerJoin(clients, eq(clients.id, clientAssignments.clientId))
    .innerJoin(districts, eq(districts.id, clients.districtId))
    .innerJoin(persons, eq(persons.id, clientAssignments.personId))
    .where(where)
    .groupBy(clients.districtId, clientAssignments.kind, clientAssignments.personId);
  const rows = grouped
    .orderBy(districts.code, clients.districtId, sql`overdue_count desc`, sql`caseload desc`, persons.displayName, clientAssignments.personId, clientAssignments.kind)
    .limit(page.limit)
    .offset(page.offset)
    .all()
    .map(({ districtCode: _code, ...r }) => ({ ...r, caseload: Number(r.caseload), overdue: Number(r.overdue ?? 0) }));
  const total =
    db
      .select({ n: sql<number>`count(*)` })
      .from(
        db
          .select({ one: sql`1`.as("one") })
          .from(clientAssignments)
          .innerJoin(clients, eq(clients.id, clientAssignments.clientId))
          .where(where)
          .groupBy(clients.districtId, clientAssignments.kind, clientAssignments.personId)
          .as("g"),
      )
      .get()?.n ?? 0;
  return { rows, total };
}
