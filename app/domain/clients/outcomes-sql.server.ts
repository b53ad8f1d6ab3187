/**
 * The outcome rules of outcomes.ts (DESIGN.md §5) as SQL, for reports that count in the database
 * over hundreds of thousands of clients (CONVENTIONS pattern 8: one rule, its SQL twin beside it).
 * Each function returns an expression over the `clients` table of the enclosing query and is proved
 * equal to its JS rule on a grid of cases by tests/integration/reports/outcomes-sql.test.ts.
 *
 *   JS (outcomes.ts)              SQL (here)
 *   intake on or before D         servedSql
 *   isClosedAsOf                  closedAsOfSql
 *   abstinentSince                abstinentSinceSql
 *   isRecognised                  recognisedSql
 *   isEligibleForRecognition      eligibleSql
 *   relapsedAfterRecognition      relapsedAfterRecognitionSql
 *   retainedInSupport             retainedSql
 *
 * Each correlated subquery is an index lookup (substance_events (client_id, date, kind),
 * recognitions (client_id, recognised_on), contacts (client_id, happened_at)).
 */
import { sql, type SQL } from "drizzle-orm";
import { clients, contacts, recognitions, substanceEvents } from "#db/schema";
import { startOfLocalDayUtc } from "~/i18n/format";
import { addMonths, parseDate } from "./dates";
import { CLOCK_RESTARTING_KINDS, RELAPSE_KINDS, retentionMonths, threeYearsBefore } from "./outcomes";

/** Keeps `"clients"."id"` qualified inside subqueries (see overdue.server.ts). */
function nested<T>(inner: SQL): SQL<T> {
  return sql<T>`${inner}`;
}

function kinds(list: readonly string[]): SQL {
  return sql.join(
    list.map((k) => sql`${k}`),
    sql`, `,
  );
}

/**
 * SQL: a UTC instant column lies in [from, to). A coarse text range on the first 19 characters lets
 * SQLite use an index on the column and decides every instant outside the bounds' own seconds;
 * julianday() decides those exactly, whatever the ISO spelling ("…00Z" or "…00.000Z").
 */
export function instantInSql(column: SQL, from: string, to: string): SQL<boolean> {
  const f = from.slice(0, 19);
  const t = to.slice(0, 19);
  // only an instant within the same second as a bound needs julianday() to decide
  return sql<boolean>`(${column} >= ${f} and ${column} < ${`${t}~`} and (substr(${column}, 1, 19) not in (${f}, ${t}) or (julianday(${column}) >= julianday(${from}) and julianday(${column}) < julianday(${to}))))`;
}

/** Served at D: intake on or before D. */
export function servedSql(asOf: string): SQL<boolean> {
  parseDate(asOf);
  return nested(sql`(${clients.intakeDate} <= ${asOf})`);
}

/** isClosedAsOf: closed, with a closing date on or before D or none recorded. */
export function closedAsOfSql(asOf: string): SQL<boolean> {
  parseDate(asOf);
  return nested(sql`(${clients.status} = 'closed' and (${clients.closedOn} is null or ${clients.closedOn} <= ${asOf}))`);
}

/** Served and not closed as of D: the clients "in support" (active) at D. */
export function openAtSql(asOf: string): SQL<boolean> {
  return nested(sql`(${servedSql(asOf)} and not ${closedAsOfSql(asOf)})`);
}

/** abstinentSince: the latest clock-restarting event on or before D, else the intake date (YYYY-MM-DD). */
export function abstinentSinceSql(asOf: string): SQL<string> {
  parseDate(asOf);
  return nested(
    sql`coalesce((select max(ase.date) from ${substanceEvents} ase where ase.client_id = ${clients.id} and ase.kind in (${kinds(CLOCK_RESTARTING_KINDS)}) and ase.date <= ${asOf}), ${clients.intakeDate})`,
  );
}

/** isRecognised: a recognition dated on or before D. */
export function recognisedSql(asOf: string): SQL<boolean> {
  parseDate(asOf);
  return nested(sql`exists (select 1 from ${recognitions} rr where rr.client_id = ${clients.id} and rr.recognised_on <= ${asOf})`);
}

/**
 * isEligibleForRecognition: served, not closed as of D, not recognised on or before D, and
 * abstinent since a date on or before D minus three calendar years (29 February as 28 February on
 * both sides).
 */
export function eligibleSql(asOf: string): SQL<boolean> {
  const limit = threeYearsBefore(asOf);
  // "29 February as 28 February" <= limit, with the abstinent-since subquery written once: the
  // limit is never a 29 February, so that is plain since <= limit, a 28 February limit admitting
  // the 29th of the same year (a bound that needs no real date).
  const bound = limit.endsWith("-02-28") ? `${limit.slice(0, 5)}02-29` : limit;
  return nested(sql`(${servedSql(asOf)} and not ${closedAsOfSql(asOf)} and not ${recognisedSql(asOf)} and ${abstinentSinceSql(asOf)} <= ${bound})`);
}

/**
 * relapsedAfterRecognition: a use, relapse or test_positive event after the client's first
 * recognition dated on or before D, and on or before D.
 */
export function relapsedAfterRecognitionSql(asOf: string): SQL<boolean> {
  parseDate(asOf);
  return nested(
    sql`exists (select 1 from ${substanceEvents} rse where rse.client_id = ${clients.id} and rse.kind in (${kinds(RELAPSE_KINDS)}) and rse.date <= ${asOf}
      and rse.date > (select min(fr.recognised_on) from ${recognitions} fr where fr.client_id = ${clients.id} and fr.recognised_on <= ${asOf}))`,
  );
}

/**
 * retainedInSupport: at least one contact in each of retentionMonths(D), each contact placed in
 * its month by its date in the program's time zone (month bounds turned into UTC instants here;
 * julianday compares instants whatever their ISO spelling).
 */
export function retainedSql(asOf: string, timeZone: string): SQL<boolean> {
  const months = retentionMonths(asOf);
  const inMonth = (month: string) => {
    const from = startOfLocalDayUtc(`${month}-01`, timeZone).toISOString();
    const to = startOfLocalDayUtc(addMonths(`${month}-01`, 1), timeZone).toISOString();
    return sql`exists (select 1 from ${contacts} rc where rc.client_id = ${clients.id} and ${instantInSql(sql`rc.happened_at`, from, to)})`;
  };
  return nested(sql`(${sql.join(months.map(inMonth), sql` and `)})`);
}
