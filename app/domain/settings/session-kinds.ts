/**
 * Session kinds (小组活动类型) are the organisation's choice (CONVENTIONS pattern 9): stored in the
 * settings table under `sessionKinds` with stable ids and labels in both locales. These are the
 * defaults, used until an admin saves a list. Plain constants, safe in the browser bundle.
 */
export type SessionKind = {
  /** stable id stored on each group and session; never renamed once used */
  id: string;
  zh: string;
  en: string;
  /** an inactive kind keeps its label on old sessions but is not offered for new ones */
  active: boolean;
};

export const SESSION_KINDS_KEY = "sessionKinds";

export const SESSION_KIND_ID_RE = /^[a-z][A-Za-z0-9]{0,31}$/;
export const SESSION_KIND_LABEL_MAX = 40;
export const SESSION_KINDS_MAX = 30;

export const DEFAULT_SESSION_KINDS: readonly SessionKind[] = [
  { id: "peerSupport", zh: "同伴支持", en: "Peer support", active: true },
  { id: "psychoEducation", zh: "心理教育", en: "Psycho-education", active: true },
  { id: "family", zh: "家庭小组", en: "Family group", active: true },
  { id: "skillsWorkshop", zh: "技能工作坊", en: "Skills workshop", active: true },
  { id: "recreation", zh: "文体康乐", en: "Recreation", active: true },
];

/** The label of a kind in the reader's language; an unknown id shows as itself. */
export function sessionKindLabel(kinds: readonly SessionKind[], id: string, locale: string): string {
  const kind = kinds.find((k) => k.id === id);
  if (!kind) return id;
  return locale === "zh-CN" ? kind.zh : kind.en;
}
