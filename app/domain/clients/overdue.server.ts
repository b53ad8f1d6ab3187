/**
 * "Overdue" as SQL, for lists that filter or count in the database: the same rule as `isOverdue`
 * in outcomes.ts (CONVENTIONS pattern 8), proved equal on a grid of cases by
 * tests/integration/clients/overdue-sql.test.ts. Use it inside a query over `clients`.
 *
 * The contact cadence of a client, as both definitions read it:
 * - last contact: the latest `contacts.happened_at` (a UTC instant) of the client, any author,
 *   private or not (cadence is about the client, not about who may read the note);
 * - next contact due: the `next_contact_due` set on that latest contact (a later contact without
 *   one clears an earlier promise: the contact happened).
 *
 * Both are kept on the client's row (`clients.last_contact_at`, `clients.next_contact_due`) by the
 * triggers of migration 0012, so the cadence as it stands now is a read of the row. The cadence as
 * it stood at a past date still searches the contact log (only for clients contacted since then).
 * tests/integration/clients/contact-cadence-cache.test.ts proves the row equals the log after every
 * kind of write.
 */
import { sql, type SQL } from "drizzle-orm";
import { clients, contacts } from "#db/schema";
import { startOfLocalDayUtc } from "~/i18n/format";
import { addDays, parseDate } from "./dates";

const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/**
 * Drizzle writes a single-table select's own top-level columns without their table name; inside a
 * correlated subquery `"id"` would then name the subquery's row. Nesting keeps `"clients"."id"`.
 */
function nested<T>(inner: SQL): SQL<T> {
  return sql<T>`${inner}`;
}

/**
 * SQL: the client's latest contact instant (UTC ISO text), or null when never contacted. With
 * `before` (a UTC ISO instant with milliseconds, as the app stores them), only contacts before it:
 * the cadence as it stood at a past date (a search of the log); without, the row's kept value.
 */
export function lastContactSql(before?: string): SQL<string | null> {
  if (!before) return sql<string | null>`${clients.lastContactAt}`;
  return nested(sql`(select max(lc.happened_at) from ${contacts} lc where lc.client_id = ${clients.id} and lc.happened_at < ${before})`);
}

/** SQL: the next-contact date (YYYY-MM-DD) set on the client's latest contact (before `before`, when given), or null. */
export function nextContactDueSql(before?: string): SQL<string | null> {
  if (!before) return sql<string | null>`${clients.nextContactDue}`;
  return nested(sql`(select nd.next_contact_due from ${contacts} nd where nd.client_id = ${clients.id} and nd.happened_at < ${before} order by nd.happened_at desc, nd.id desc limit 1)`);
}

/**
 * SQL condition, true when the client (table `clients` in the query) is overdue at `asOf`
 * (YYYY-MM-DD, in the program's time zone), exactly as `isOverdue(cadence, asOf, thresholdDays,
 * timeZone)` decides:
 * - never contacted; or
 * - the last contact's local date is more than `thresholdDays` days before asOf, i.e. the contact
 *   happened before the start (in `timeZone`) of the day asOf − thresholdDays; or
 * - the next-contact date set on the latest contact is before asOf.
 * Contacts after the end of asOf do not count, so a past date is judged as it stood then.
 * Pass `timeZone` from `getSettings(db).timeZone` (default Asia/Shanghai, the settings default).
 */
export function overdueSql(asOf: string, thresholdDays: number, timeZone: string = DEFAULT_TIME_ZONE): SQL<boolean> {
  parseDate(asOf);
  if (!Number.isInteger(thresholdDays) || thresholdDays < 0) throw new RangeError(`bad threshold: ${thresholdDays}`);
  // a contact at or after this instant is on the cutoff day or later in the program's zone
  const cutoff = startOfLocalDayUtc(addDays(asOf, -thresholdDays), timeZone).toISOString();
  // only contacts up to the end of asOf count: a past date is judged as it stood then
  const endOfDay = startOfLocalDayUtc(addDays(asOf, 1), timeZone).toISOString();
  // julianday() compares instants whatever their ISO spelling ("…00Z" or "…00.000Z")
  const judged = (last: SQL, due: SQL) => sql`(coalesce(julianday(${last}) < julianday(${cutoff}), 1) or coalesce(${due} < ${asOf}, 0))`;
  // The row's kept cadence is the cadence at asOf whenever the latest contact came before the end of
  // asOf (always, for today); only a client contacted after asOf needs the log searched.
  return nested(
    sql`(case when ${clients.lastContactAt} is null then 1
      when ${clients.lastContactAt} < ${endOfDay} then ${judged(sql`${clients.lastContactAt}`, sql`${clients.nextContactDue}`)}
      else ${judged(lastContactSql(endOfDay), nextContactDueSql(endOfDay))} end)`,
  );
}
