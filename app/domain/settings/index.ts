export {
  getSettings,
  saveSettings,
  getSetting,
  SettingsSchema,
  DEFAULT_SETTINGS,
  isValidTimeZone,
  isDemoDatabase,
  markDemoDatabase,
} from "./settings.server";
export type { Settings } from "./settings.server";
