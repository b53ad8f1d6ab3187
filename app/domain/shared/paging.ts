export const PAGE_SIZE = 25;

export type Page = { page: number; limit: number; offset: number };

/** Reads ?page= from a URL; anything odd becomes page 1. */
export function pageFromUrl(url: URL, limit = PAGE_SIZE): Page {
  const raw = url.searchParams.get("page") ?? "1";
  const n = /^\d{1,6}$/.test(raw) ? Math.max(1, Number(raw)) : 1;
  return { page: n, limit, offset: (n - 1) * limit };
}

export function pageCount(total: number, limit = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / limit));
}

/**
 * The list's total from a page whose rows carry it (`count(*) over ()`: one pass for rows and
 * total). A page past the end has no row to carry it, so `countAlone` counts then.
 */
export function windowTotal(rows: readonly { total: number }[], page: { offset: number }, countAlone: () => number): number {
  return rows[0]?.total ?? (page.offset > 0 ? countAlone() : 0);
}
