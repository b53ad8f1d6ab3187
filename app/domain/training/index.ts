// The training area's public surface (CONVENTIONS: other areas import only this file).
// Components must not import this file (it re-exports server modules): they import
// `~/domain/training/requirements` or `~/domain/training/schemas` directly.
export {
  listProgrammes,
  getProgramme,
  listModules,
  isProgrammeFrozen,
  createProgramme,
  updateProgramme,
  newProgrammeVersion,
  addModule,
  updateModule,
} from "./programmes.server";
export type { Programme, ProgrammeRow, TrainingModule } from "./programmes.server";
export {
  cohortAccess,
  isCohortTrainer,
  listCohorts,
  listCohortTrainers,
  listTrainerChoices,
  nextCohortNumber,
  createCohort,
  updateCohort,
  setCohortStatus,
  addCohortTrainer,
  removeCohortTrainer,
  listEnrollments,
  getEnrollment,
  listOwnEnrollments,
  searchPersons,
  enrolTrainee,
  withdrawTrainee,
} from "./cohorts.server";
export type { Cohort, CohortAccess, CohortFilter, CohortListRow, Enrollment, EnrollmentRow, TrainerRow, Viewer } from "./cohorts.server";
export {
  localToUtc,
  createTrainingSession,
  listCohortSessions,
  getTrainingSession,
  attendanceSheet,
  recordAttendance,
} from "./attendance.server";
export type { AttendanceMark, SessionListRow, SheetRow, TrainingSession } from "./attendance.server";
export { listAssessments, recordAssessment } from "./assessments.server";
export type { AssessmentRow } from "./assessments.server";
export { supervisorFacts, listPracticum, supervisorChoices, addPracticum, signOffPracticum } from "./practicum.server";
export type { PracticumRow, SupervisorChoice } from "./practicum.server";
export { requirementFacts, requirementReports, requirementReport } from "./facts.server";
export {
  certifyEnrollment,
  certifyAllQualifying,
  newVerificationCode,
  NotQualifiedError,
  isNotQualified,
  CERTIFYING_STATUSES,
  certificateOfEnrollment,
} from "./certification.server";
export type { IssuedCertificate } from "./certification.server";
export * from "./requirements";
export * from "./schemas";

// may practise (the one rule), certificates after issue, the peer-tutor registry
export {
  mayPractise,
  practiseStanding,
  certificateStanding,
  isExpiringSoon,
  expiringUntil,
  EXPIRING_WITHIN_DAYS,
} from "./practise";
export type { CertificateFacts, PractiseFacts, CertificateStanding, PractiseStanding } from "./practise";
export { mayPractiseOn, practiseFacts, practiseStandingOn } from "./practise.server";
export {
  canManageCertificates,
  parseVerificationInput,
  verifyCertificate,
  normaliseCertificateNumber,
  normaliseVerificationCode,
  getCertificateByNumber,
  getCertificate,
  certificatesOfPerson,
  cohortCertificatesForPrint,
  renewalsOf,
  recordContinuingEducation,
  listContinuingEducation,
  renewalCheck,
  renewCertificate,
  suspendCertificate,
  liftSuspension,
  revokeCertificate,
  listExpiring,
  CE_ACTIVITY_MAX,
  CE_HOURS_MAX,
  CERTIFICATE_NUMBER_MAX,
  VERIFICATION_CODE_MAX,
} from "./certificates.server";
export type { CertificateView, ContinuingEducationInput, ExpiringRow, RenewalCheck, VerificationAnswer, VerificationInput } from "./certificates.server";
export {
  TUTOR_STATUS_FILTERS,
  CERTIFICATE_FILTERS,
  REGISTRY_SORTS,
  REGISTRY_SEARCH_MAX,
  REGISTRY_FILTER_FIELDS,
  parseRegistryFilters,
  listRegistry,
  iterateRegistry,
  registryChoices,
  recordRegistryExport,
  getTutorProfile,
  tutorIdOfPerson,
} from "./registry.server";
export type { PathEvent, RegistryFilter, RegistryQuery, RegistryRow, TutorProfile } from "./registry.server";
