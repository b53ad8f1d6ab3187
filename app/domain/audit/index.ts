export {
  recordAudit,
  listAudit,
  countAudit,
  iterateAudit,
  distinctAuditValues,
  beginAuditExport,
  SYSTEM_ACTOR,
} from "./audit.server";
export type { Actor, AuditEvent, AuditFilter, AuditRow } from "./audit.server";
export { parseAuditFilters, AUDIT_FILTER_FIELDS, AUDIT_FILTER_MAX } from "./filters";
export type { AuditFilterField, AuditFilterValues, ParsedAuditFilters } from "./filters";
export { AUDIT_CSV_COLUMNS, auditCsvRows, compactDetails } from "./export";
export type { AuditCsvColumn, AuditCsvRecord } from "./export";
