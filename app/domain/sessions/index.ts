// The sessions area's public surface (CONVENTIONS: other areas import only this file).
// Components must not import this file (it re-exports server modules): they import the pure
// modules directly — `~/domain/sessions/time`, `recurrence`, `schedule`, `problems`, `schemas`.
export {
  programTimeZone,
  canEditAt,
  resolvePlacement,
  slotOn,
  createSession,
  updateSession,
  cancelSession,
  notifyCancelled,
  sessionAccess,
  sessionDetail,
  facilitatorsOf,
  schedulableStudios,
  editableStudios,
  roomsOf,
  personNames,
} from "./sessions.server";
export type { Viewer, SessionInput, PlacementInput, Placement, SessionAccess, SessionDetail, Facilitator, SessionRow } from "./sessions.server";
export { planGroup, createGroup, editGroupFrom, previewGroupFrom, groupDetail, followingDefaults, groupsAtStudio, specFrom, SERIES_CHANGED_REASON } from "./groups.server";
export type { GroupInput, GroupPlan, GroupDetail, GroupSessionLine, GroupListRow, FollowingResult } from "./groups.server";
export { checkSlots, eligibilityProblem, facilitatorFacts } from "./conflicts.server";
export { suggestFacilitators, suggestForSession, suggestForGroup } from "./suggestions.server";
export type { Suggestion, SuggestionQuery, SuggestionList } from "./suggestions.server";
export { listScheduleStudios, studioInfo, studioWeek, studioUtilisation, createRoom } from "./studios.server";
export type { StudioListRow, StudioInfo, WeekSession } from "./studios.server";
export { notify, sessionAudience, listNotifications, unreadCount, markNotificationsRead, sessionLink } from "./notifications.server";
export type { NotificationContent, NotificationRow } from "./notifications.server";
export { ConflictError, isConflictError, problemsByDate } from "./problems";
export type { Slot, SlotProblem } from "./problems";
export * from "./recurrence";
export * from "./schedule";
export * from "./schemas";
export * as time from "./time";
export {
  registerForSession,
  registerForGroup,
  cancelRegistration,
  promoteWaitlist,
  sessionRegistrationList,
  registrableClients,
  OVERRIDE_REASON_MAX,
} from "./registrations.server";
export type { RegistrationRow, RegistrationStatus, RegistrationViewer } from "./registrations.server";
export { mayTakeAttendance, attendanceSheet, recordAttendance, issueCheckInToken, checkInValid, checkIn, sessionsWithAttendance, LATE_AFTER_MINUTES, currentCheckInToken, checkInQrSvg, checkInUrl } from "./attendance.server";
export type { AttendanceLine, AttendanceStatus } from "./attendance.server";
export { createFeedToken, revokeFeedTokens, activeFeedSince, feedOwner, hashFeedToken } from "./calendar.server";
export { personFeed, studioFeed, icsResponse, sessionUid, FEED_PAST_DAYS } from "./ics.server";
export { personWeek, districtWeek, districtNames, coordinatorWeek } from "./week.server";
export type { CalendarSession, CoordinatorLine, CoordinatorWeek, StudioUse } from "./week.server";
