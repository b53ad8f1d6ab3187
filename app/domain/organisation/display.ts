/** Pure helpers for pages: no database, safe in the browser bundle. */

/** A place's name in the reader's language (Chinese for zh-CN, English otherwise). */
export function placeName(locale: string, place: { nameZh: string; nameEn: string }): string {
  return locale === "zh-CN" ? place.nameZh : place.nameEn;
}

/** The name in the other language, shown beside the main one. */
export function otherPlaceName(locale: string, place: { nameZh: string; nameEn: string }): string {
  return locale === "zh-CN" ? place.nameEn : place.nameZh;
}

/** URL segments of the admin pages, one per kind of place. */
export const KIND_SEGMENTS = {
  district: "districts",
  subdistrict: "subdistricts",
  workstation: "workstations",
  social_work_point: "points",
  studio: "studios",
} as const;

export type KindSegment = (typeof KIND_SEGMENTS)[keyof typeof KIND_SEGMENTS];

export function adminPath(kind: keyof typeof KIND_SEGMENTS, id: number | "new", query = ""): string {
  return `/admin/organisation/${KIND_SEGMENTS[kind]}/${id}${query}`;
}

export function statusPath(kind: keyof typeof KIND_SEGMENTS, id: number): string {
  return `/admin/organisation/${KIND_SEGMENTS[kind]}/${id}/status`;
}

/** Options of a select of places, in the reader's language; inactive ones (kept for a current link) are marked. */
export function placeOptions(
  locale: string,
  places: readonly { id: number; nameZh: string; nameEn: string; active: boolean }[],
  inactiveSuffix: string,
): { value: number; label: string }[] {
  return places.map((p) => ({ value: p.id, label: p.active ? placeName(locale, p) : `${placeName(locale, p)} ${inactiveSuffix}` }));
}

/** Places that may be chosen: the active ones, plus the one already linked (even if deactivated since). */
export function choosable<T extends { id: number; active: boolean }>(places: readonly T[], current?: number | null): T[] {
  return places.filter((p) => p.active || p.id === current);
}
