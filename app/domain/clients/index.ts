// The clients area's public surface (CONVENTIONS: other areas import only this file).
export {
  abstinentSince,
  threeYearsBefore,
  threeYearsAfter,
  isClosedAsOf,
  isEligibleForRecognition,
  isRecognised,
  relapsedAfterRecognition,
  percentage,
  threeYearRate,
  milestones,
  isOverdue,
  scoreBarc10,
  nextBarc10Due,
  retentionMonths,
  retainedInSupport,
  CLOCK_RESTARTING_KINDS,
  RELAPSE_KINDS,
  MILESTONES,
  BARC10_ITEMS,
} from "./outcomes";
export type {
  SubstanceEventFact,
  RecognitionFact,
  RecognitionCandidate,
  Milestone,
  MilestoneKey,
  ContactCadence,
  OverdueReason,
  OverdueStatus,
  Barc10Result,
} from "./outcomes";
export { localDate, addDays, addMonths, addYears, daysBetween, parseDate } from "./dates";
export { assignWorker, currentAssignment, requireCurrentConsent } from "./assignments.server";
export type { AssignWorkerInput } from "./assignments.server";
export { clientScope, clientAccess, maySeeContact, contactVisibility } from "./access.server";
export type { ClientAccess, Viewer } from "./access.server";
export { recordClientView, clientAccessLog, VIEW_ACTION } from "./views.server";
export type { AccessLogRow } from "./views.server";
export { clientHeader } from "./header.server";
export type { ClientHeader } from "./header.server";
export { overdueSql, lastContactSql, nextContactDueSql } from "./overdue.server";
