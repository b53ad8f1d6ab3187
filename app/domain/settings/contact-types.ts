/**
 * Contact types (帮教记录的类型) are the organisation's choice (CONVENTIONS pattern 9): stored in
 * the settings table under `contactTypes` with stable ids and labels in both locales. These are the
 * defaults, used until an admin saves a list. Plain constants, safe in the browser bundle.
 */
export type ContactType = {
  /** stable id stored on each contact (homeVisit, phone, …); never renamed once used */
  id: string;
  zh: string;
  en: string;
  /** an inactive type is kept so old contacts still show its label, but is not offered for new ones */
  active: boolean;
};

export const CONTACT_TYPES_KEY = "contactTypes";

export const CONTACT_TYPE_ID_RE = /^[a-z][A-Za-z0-9]{0,31}$/;
export const CONTACT_TYPE_LABEL_MAX = 40;
export const CONTACT_TYPES_MAX = 30;

export const DEFAULT_CONTACT_TYPES: readonly ContactType[] = [
  { id: "homeVisit", zh: "家访", en: "Home visit", active: true },
  { id: "phone", zh: "电话联系", en: "Phone call", active: true },
  { id: "letter", zh: "书信", en: "Letter", active: true },
  { id: "facilityVisit", zh: "所内探访", en: "Facility visit", active: true },
  { id: "familyCall", zh: "亲情电话", en: "Family call", active: true },
  { id: "office", zh: "来访（办公室）", en: "Office visit", active: true },
  { id: "groupSession", zh: "小组活动", en: "Group session", active: true },
  { id: "other", zh: "其他", en: "Other", active: true },
];
