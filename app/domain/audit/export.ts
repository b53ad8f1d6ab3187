/** How an audit row reads in the viewer and in the CSV export. Pure: no database, no Request. */
import type { AuditRow } from "./audit.server";

export type AuditCsvRecord = (string | number)[];

/** The export's columns, in order; the route translates each as "audit.col.<name>". */
export const AUDIT_CSV_COLUMNS = ["id", "time", "timeUtc", "person", "action", "entity", "entityId", "address", "details"] as const;
export type AuditCsvColumn = (typeof AUDIT_CSV_COLUMNS)[number];

/** Details as one line of JSON; cut to `max` characters with "…" when given. */
export function compactDetails(details: unknown, max?: number): string {
  if (details == null) return "";
  const json = JSON.stringify(details) ?? "";
  if (max === undefined || json.length <= max) return json;
  return `${json.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Audit rows as CSV records, lazily, in AUDIT_CSV_COLUMNS order: local time (formatted by the
 * caller, in the program's time zone), UTC time, details in full.
 */
export function* auditCsvRows(rows: Iterable<AuditRow>, localTime: (utcIso: string) => string): Generator<AuditCsvRecord> {
  for (const row of rows) {
    yield [
      row.id,
      localTime(row.at),
      row.at,
      row.actorLogin,
      row.action,
      row.entity,
      row.entityId,
      row.ip,
      compactDetails(row.details),
    ];
  }
}
