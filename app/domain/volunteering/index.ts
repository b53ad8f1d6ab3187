// The volunteering area's public surface (CONVENTIONS: other areas import only this file).
// Components must not import this file (it re-exports server modules): they import the pure
// module `~/domain/volunteering/schemas` directly.
export {
  pendingHoursCount,
  myHoursSummary,
  approvedMinutes,
  hoursToday,
  personDistrictIds,
  loggableDistricts,
  logHours,
  editHours,
  withdrawHours,
  changeRefusal,
  ownHoursEntry,
  sessionHoursLogged,
  logHoursFromSession,
  decideHours,
  listMyHours,
  approvalDistricts,
  listPendingApprovals,
  statementScope,
  hoursStatement,
  statementPeople,
  HOURS_ENTITY,
} from "./hours.server";
export type {
  HoursViewer,
  HoursStatus,
  Period,
  DistrictOption,
  HoursEntry,
  MyHoursRow,
  ApprovalFilter,
  ApprovalRow,
  StatementLine,
} from "./hours.server";
export * from "./schemas";
