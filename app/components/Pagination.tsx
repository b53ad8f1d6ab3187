import { Link, useLocation } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/** Server-side paging: links keep every other filter in the URL. */
export function Pagination({ page, pages, total }: { page: number; pages: number; total: number }) {
  const { t } = useT();
  const location = useLocation();
  const hrefFor = (n: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(n));
    return `${location.pathname}?${params.toString()}`;
  };
  return (
    <nav aria-label={t("list.page", { page, pages })} className="mt-4 flex flex-wrap items-center justify-between gap-3">
      <span className="text-muted">
        {t("list.total", { count: total })} · {t("list.page", { page, pages })}
      </span>
      <span className="flex gap-2">
        {page > 1 && (
          <Link to={hrefFor(page - 1)} rel="prev" className="inline-flex min-h-11 items-center rounded-lg border border-line bg-surface px-4">
            {t("list.previous")}
          </Link>
        )}
        {page < pages && (
          <Link to={hrefFor(page + 1)} rel="next" className="inline-flex min-h-11 items-center rounded-lg border border-line bg-surface px-4">
            {t("list.next")}
          </Link>
        )}
      </span>
    </nav>
  );
}
