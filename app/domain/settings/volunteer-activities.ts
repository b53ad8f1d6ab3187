/**
 * Volunteer activities (志愿服务类型) are the organisation's choice (CONVENTIONS pattern 9): stored
 * in the settings table under `volunteerActivities` with stable ids and labels in both locales.
 * These are the defaults, used until an admin saves a list. Plain constants, safe in the browser bundle.
 */
export type VolunteerActivity = {
  /** stable id stored on each volunteer-hours entry; never renamed once used */
  id: string;
  zh: string;
  en: string;
  /** an inactive activity keeps its label on old entries but is not offered for new ones */
  active: boolean;
};

export const VOLUNTEER_ACTIVITIES_KEY = "volunteerActivities";

export const VOLUNTEER_ACTIVITY_ID_RE = /^[a-z][A-Za-z0-9]{0,31}$/;
export const VOLUNTEER_ACTIVITY_LABEL_MAX = 40;
export const VOLUNTEER_ACTIVITIES_MAX = 30;

/** The activity a session facilitated is logged under (kept in the defaults; an admin may relabel it). */
export const SESSION_ACTIVITY_ID = "groupFacilitation";

export const DEFAULT_VOLUNTEER_ACTIVITIES: readonly VolunteerActivity[] = [
  { id: SESSION_ACTIVITY_ID, zh: "小组活动带领", en: "Group facilitation", active: true },
  { id: "peerSupport", zh: "一对一同伴支持", en: "One-to-one peer support", active: true },
  { id: "outreach", zh: "禁毒宣传", en: "Outreach and anti-drug publicity", active: true },
  { id: "training", zh: "培训", en: "Training", active: true },
  { id: "other", zh: "其他", en: "Other", active: true },
];

/** The label of an activity in the reader's language; an unknown id shows as itself. */
export function volunteerActivityLabel(activities: readonly VolunteerActivity[], id: string, locale: string): string {
  const a = activities.find((x) => x.id === id);
  if (!a) return id;
  return locale === "zh-CN" ? a.zh : a.en;
}
