/**
 * The outcome reports over clients (DESIGN.md §5): clients served, three-year abstinence rate,
 * relapsed after recognition, retention in support, contact cadence. Each is one grouped SQL query
 * (two for contact cadence) over the clients the viewer may report on, using the SQL twins of the
 * outcome rules (clients/outcomes-sql.server.ts) and THE overdue rule (clients/overdue.server.ts),
 * grouped by the client's district or year of intake. Nothing loops over clients in JavaScript.
 */
import { and, asc, sql, type SQL } from "drizzle-orm";
import { clients, contacts, districts } from "#db/schema";
import { clientScope } from "~/domain/clients/access.server";
import { addDays } from "~/domain/clients/dates";
import { percentage, retentionMonths, threeYearRate } from "~/domain/clients/outcomes";
import {
  closedAsOfSql,
  eligibleSql,
  instantInSql,
  openAtSql,
  recognisedSql,
  relapsedAfterRecognitionSql,
  retainedSql,
  servedSql,
} from "~/domain/clients/outcomes-sql.server";
import { overdueSql } from "~/domain/clients/overdue.server";
import { getSettings } from "~/domain/settings";
import { startOfLocalDayUtc } from "~/i18n/format";
import type { Db } from "#db/client";
import type { ReportParams } from "./params";
import { districtCondition, reportScope, type Viewer } from "./scope.server";
import type { ReportResult, ReportRow } from "./types";

type Reader = Pick<Db, "select" | "all">;
type Counts = Record<string, number>;

const count = (condition: SQL) => sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

function groupKey(params: ReportParams): SQL<string> {
  return params.groupBy === "intakeYear" ? sql<string>`substr(${clients.intakeDate}, 1, 4)` : sql<string>`cast(${clients.districtId} as text)`;
}

/** The clients a report counts: in the viewer's report scope, served at D, in the districts and intake year asked for. */
function clientsWhere(viewer: Viewer, params: ReportParams): SQL {
  const year = params.intakeYear;
  return and(
    clientScope(viewer, "read:report"),
    servedSql(params.asOf),
    districtCondition(reportScope(viewer), clients.districtId, params.districtIds),
    year !== undefined ? sql`${clients.intakeDate} between ${`${String(year).padStart(4, "0")}-01-01`} and ${`${String(year).padStart(4, "0")}-12-31`}` : undefined,
  )!;
}

/** One grouped query: each measure per group of clients. */
function groupedCounts(db: Reader, viewer: Viewer, params: ReportParams, measures: Record<string, SQL<number>>): Map<string, Counts> {
  const key = groupKey(params);
  const fields: Record<string, SQL.Aliased<number> | SQL.Aliased<string>> = { key: sql<string>`${key}`.as("grp") };
  for (const [name, m] of Object.entries(measures)) fields[name] = sql<number>`${m}`.as(`m_${name}`);
  const rows = db
    .select(fields)
    .from(clients)
    .where(clientsWhere(viewer, params))
    .groupBy(sql`grp`)
    .all() as Record<string, unknown>[];
  const out = new Map<string, Counts>();
  for (const r of rows) {
    const counts: Counts = {};
    for (const name of Object.keys(measures)) counts[name] = Number(r[name] ?? 0);
    out.set(String(r.key), counts);
  }
  return out;
}

/** Labels and order of the groups: districts by code, intake years ascending. */
function labelled(db: Reader, params: ReportParams, groups: Map<string, Counts>): { key: string; labelZh: string; labelEn: string; counts: Counts }[] {
  if (params.groupBy === "intakeYear") {
    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, counts]) => ({ key, labelZh: `${key}年`, labelEn: key, counts }));
  }
  const names = db.select({ id: districts.id, code: districts.code, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts).orderBy(asc(districts.code), asc(districts.id)).all();
  return names.filter((d) => groups.has(String(d.id))).map((d) => ({ key: String(d.id), labelZh: d.nameZh, labelEn: d.nameEn, counts: groups.get(String(d.id))! }));
}

function sumCounts(rows: { counts: Counts }[], names: readonly string[]): Counts {
  const totals: Counts = Object.fromEntries(names.map((n) => [n, 0]));
  for (const r of rows) for (const n of names) totals[n]! += r.counts[n] ?? 0;
  return totals;
}

function build(
  db: Reader,
  name: ReportResult["name"],
  params: ReportParams,
  groups: Map<string, Counts>,
  names: readonly string[],
  derive: (c: Counts) => Record<string, string>,
  notes: ReportResult["notes"] = {},
): ReportResult {
  const rows: ReportRow[] = labelled(db, params, groups).map((g) => ({ key: g.key, labelZh: g.labelZh, labelEn: g.labelEn, values: { ...g.counts, ...derive(g.counts) } }));
  const sums = sumCounts(labelled(db, params, groups), names);
  return { name, params, rows, totals: { ...sums, ...derive(sums) }, notes };
}

/** The local period [from, to] as UTC instants [start, end). */
function periodInstants(params: ReportParams, timeZone: string): { start: string; end: string } {
  return { start: startOfLocalDayUtc(params.from, timeZone).toISOString(), end: startOfLocalDayUtc(addDays(params.to, 1), timeZone).toISOString() };
}

/**
 * Clients served at D (intake on or before D); of them, in support at D (not closed as of D) and
 * closed as of D; and new in the period (intake within from–to, both days included, and on or
 * before D).
 */
export function clientsServedReport(db: Reader, viewer: Viewer, params: ReportParams): ReportResult {
  const groups = groupedCounts(db, viewer, params, {
    served: sql<number>`count(*)`,
    inSupport: count(openAtSql(params.asOf)),
    closed: count(closedAsOfSql(params.asOf)),
    newInPeriod: count(sql`${clients.intakeDate} between ${params.from} and ${params.to}`),
  });
  return build(db, "clients-served", params, groups, ["served", "inSupport", "closed", "newInPeriod"], () => ({}));
}

/**
 * Three-year abstinence rate at D: recognised (a recognition dated on or before D) ÷ served, as a
 * percentage with two decimals; with the number of clients eligible for recognition at D (the
 * social workers' worklist).
 */
export function abstinenceReport(db: Reader, viewer: Viewer, params: ReportParams): ReportResult {
  const groups = groupedCounts(db, viewer, params, {
    served: sql<number>`count(*)`,
    recognised: count(recognisedSql(params.asOf)),
    eligible: count(eligibleSql(params.asOf)),
  });
  return build(db, "abstinence", params, groups, ["served", "recognised", "eligible"], (c) => ({ rate: threeYearRate(c.recognised ?? 0, c.served ?? 0) }));
}

/** Relapsed after recognition at D: recognised clients with a use, relapse or positive test after their first recognition. They stay recognised. */
export function relapseReport(db: Reader, viewer: Viewer, params: ReportParams): ReportResult {
  const groups = groupedCounts(db, viewer, params, {
    recognised: count(recognisedSql(params.asOf)),
    relapsed: count(relapsedAfterRecognitionSql(params.asOf)),
  });
  // groups where nobody was ever recognised say nothing here
  for (const [k, v] of groups) if ((v.recognised ?? 0) === 0) groups.delete(k);
  return build(db, "relapse", params, groups, ["recognised", "relapsed"], (c) => ({ relapsedShare: percentage(c.relapsed ?? 0, c.recognised ?? 0) }));
}

/** Retention in support at D: clients in support with a contact in each of the three calendar months before D's month ÷ clients in support. */
export function retentionReport(db: Reader, viewer: Viewer, params: ReportParams): ReportResult {
  const { timeZone } = getSettings(db as Db);
  const open = openAtSql(params.asOf);
  const groups = groupedCounts(db, viewer, params, {
    inSupport: count(open),
    retained: count(sql`(${open} and ${retainedSql(params.asOf, timeZone)})`),
  });
  for (const [k, v] of groups) if ((v.inSupport ?? 0) === 0) groups.delete(k);
  const months = retentionMonths(params.asOf);
  return build(db, "retention", params, groups, ["inSupport", "retained"], (c) => ({ retentionRate: percentage(c.retained ?? 0, c.inSupport ?? 0) }), {
    months: months.join(", "),
  });
}

/**
 * Contact cadence: clients in support at D, the contacts recorded with them in the period and how
 * many of them were contacted, and how many are overdue at D (THE overdue rule: overdueSql, the
 * program's threshold) with their share.
 */
export function contactCadenceReport(db: Reader, viewer: Viewer, params: ReportParams): ReportResult {
  const { timeZone, overdueThresholdDays } = getSettings(db as Db);
  const open = openAtSql(params.asOf);
  const groups = groupedCounts(db, viewer, params, {
    inSupport: count(open),
    overdue: count(sql`(${open} and ${overdueSql(params.asOf, overdueThresholdDays, timeZone)})`),
  });
  // contacts in the period, per group of clients: one grouped join
  const { start, end } = periodInstants(params, timeZone);
  const key = groupKey(params);
  const contactRows = db
    .select({ key: sql<string>`${key}`.as("grp"), contacts: sql<number>`count(*)`.as("n_contacts"), contacted: sql<number>`count(distinct ${contacts.clientId})`.as("n_contacted") })
    .from(contacts)
    .innerJoin(clients, sql`${clients.id} = ${contacts.clientId}`)
    .where(and(clientsWhere(viewer, params), instantInSql(sql`${contacts.happenedAt}`, start, end)))
    .groupBy(sql`grp`)
    .all();
  for (const g of groups.values()) Object.assign(g, { contacts: 0, contacted: 0 });
  for (const r of contactRows) {
    const g = groups.get(String(r.key));
    if (g) Object.assign(g, { contacts: Number(r.contacts), contacted: Number(r.contacted) });
  }
  return build(db, "contact-cadence", params, groups, ["inSupport", "contacts", "contacted", "overdue"], (c) => ({ overdueShare: percentage(c.overdue ?? 0, c.inSupport ?? 0) }), {
    thresholdDays: overdueThresholdDays,
  });
}
