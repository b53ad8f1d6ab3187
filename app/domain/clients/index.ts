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
export {
  recordBarc10,
  listBarc10,
  barc10Schedule,
  barc10Due,
  barc10DueSource,
  mayRecordBarc10,
  addMonthsSql,
  BARC10_INTERVAL_MONTHS,
  BARC10_DUE_WINDOW_DAYS,
} from "./barc10.server";
export type { Barc10Row, Barc10DueItem, RecordBarc10Input } from "./barc10.server";
export { openCrisisSql, flagRights, raiseFlag, resolveFlag, getFlag, listFlags, flaggedClients, FLAG_REASON_MAX, FLAG_NOTE_MAX } from "./flags.server";
export type { FlagRow, FlaggedClientRow, RaiseFlagInput, ResolveFlagInput } from "./flags.server";
export { clientTimeline, milestonesReached, TIMELINE_KINDS } from "./timeline.server";
export type { TimelineItem, TimelineKind, TimelineOptions } from "./timeline.server";
export { listTasks, TASK_KINDS } from "./tasks.server";
export type { Task, TaskKind, Barc10DueTask } from "./tasks.server";
export { contactFormSchema, recordContact, listContacts, lastContactIdBy } from "./contacts.server";
export type { ContactInput, ContactRules, ContactRow } from "./contacts.server";
export { saveContactDraft, getContactDraft, discardContactDraft, purgeOldDrafts, DRAFT_TTL_DAYS } from "./drafts.server";
export type { ContactDraft } from "./drafts.server";
export { ownWorklist, overdueByWorker, caseloadDistricts } from "./worklists.server";
export type { CadenceRules, WorklistRow, WorkerLoadRow } from "./worklists.server";
export {
  createClient,
  updateClientDetails,
  setClientStatus,
  statusChangesFrom,
  statusHistory,
  listClients,
  workerFilterOptions,
  substanceEventFacts,
  contactCadence,
  clientOverview,
  placeChoices,
  intakeMode,
  intakeDistrictIds,
  socialWorkerDistricts,
  requiredId,
  ClientDetailsFields,
  ClientDetailsSchema,
  StatusChangeSchema,
  STATUS_CHANGES,
  CLIENT_SORTS,
  ALIAS_MAX,
  CASE_NUMBER_MAX,
  REASON_MAX,
  CLIENT_STATUSES,
  LEGAL_STATUSES,
  RISK_LEVELS,
} from "./clients.server";
export type {
  ClientDetailsInput,
  NewClientInput,
  StatusChange,
  StatusHistoryRow,
  ClientSort,
  ClientListFilter,
  ClientListRow,
  WorkerOption,
  ClientOverview,
  PlaceChoices,
} from "./clients.server";
export {
  revealIdentity,
  saveIdentity,
  hasIdentity,
  identityFrom,
  IdentityFields,
  IdentitySchema,
  IDENTITY_FIELDS,
  REAL_NAME_MAX,
  ID_NUMBER_MAX,
  PHONE_MAX,
  ADDRESS_MAX,
} from "./identity.server";
export type { IdentityInput, RevealedIdentity } from "./identity.server";
export {
  recordConsent,
  withdrawConsent,
  consentState,
  purposesFrom,
  ConsentFields,
  ConsentSchema,
  CONSENT_PURPOSES,
} from "./consent.server";
export type { ConsentInput, ConsentPurpose, ConsentRow } from "./consent.server";
export {
  socialWorkerChoices,
  peerTutorChoices,
  assignFromForm,
  endPeerTutor,
  assignmentHistory,
  reassignQueue,
  AssignSchema,
  REASSIGN_REASONS,
} from "./caseload.server";
export type { WorkerChoice, AssignInput, AssignmentHistoryRow, ReassignReason, ReassignRow } from "./caseload.server";
export {
  programToday,
  recordSubstanceEvent,
  listSubstanceEvents,
  restartingEvents,
  abstinenceOf,
  upcomingMilestones,
  scopedDistrictOptions,
  isCityWide,
  SubstanceEventSchema,
  SUBSTANCE_EVENT_KINDS,
  EVENT_NOTE_MAX,
} from "./events.server";
export type { SubstanceEventInput, SubstanceEventRow, AbstinenceClock, UpcomingMilestone, DistrictOption } from "./events.server";
export {
  ineligibilityReason,
  recognitionStatus,
  recordRecognition,
  recognitionWorklist,
  listLiftRequests,
  createLiftRequest,
  sendLiftRequest,
  decideLiftRequest,
  liftLetter,
  revealNameForLiftLetter,
  LIFT_OUTCOMES,
  RECOGNITION_FIELDS,
  EVIDENCE_MAX,
  LIFT_NOTE_MAX,
} from "./recognition.server";
export type { RecognitionStatus, RecognitionRow, RecognitionInput, RecognitionWorklistRow, LiftRequestRow, LiftOutcome, LiftLetter } from "./recognition.server";
export {
  listPlanVersions,
  getPlan,
  startPlan,
  savePlanDetails,
  addGoal,
  updateGoal,
  removeGoal,
  submitPlan,
  decidePlan,
  reviewGoal,
  pendingPlans,
  PLAN_DECISIONS,
  PLAN_FIELDS,
  PLAN_LIMITS,
  GOAL_AREAS,
  GOAL_STATUSES,
} from "./plans.server";
export type { PlanDetail, PlanGoalRow, PlanVersion, GoalInput, PlanDecision, PendingPlanRow } from "./plans.server";
