export { recordAudit, listAudit, iterateAudit, distinctAuditValues, SYSTEM_ACTOR } from "./audit.server";
export type { Actor, AuditEvent, AuditFilter, AuditRow } from "./audit.server";
