export {
  getSettings,
  saveSettings,
  getSetting,
  SettingsSchema,
  DEFAULT_SETTINGS,
  isValidTimeZone,
  canonicalTimeZone,
  ORGANISATION_NAME_MAX,
  OVERDUE_DAYS_MIN,
  OVERDUE_DAYS_MAX,
  TIME_ZONE_MAX,
  isDemoDatabase,
  markDemoDatabase,
} from "./settings.server";
export type { Settings } from "./settings.server";
export { getContactTypes, saveContactTypes } from "./contact-types.server";
export { DEFAULT_CONTACT_TYPES, CONTACT_TYPES_KEY } from "./contact-types";
export type { ContactType } from "./contact-types";
export { getSessionKinds } from "./session-kinds.server";
export { DEFAULT_SESSION_KINDS, SESSION_KINDS_KEY, sessionKindLabel } from "./session-kinds";
export type { SessionKind } from "./session-kinds";
