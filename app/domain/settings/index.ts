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
