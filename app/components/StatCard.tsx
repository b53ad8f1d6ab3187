import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { cx } from "./ui";

/**
 * A dashboard card: a title, a large count with its unit in words (the number is never the only
 * signal), the top items, and a link to where the whole list is worked on. Phone-first: one
 * column on a phone, the grid of the page places cards side by side on a desk.
 */
export function StatCard({
  title,
  count,
  unit,
  to,
  linkLabel,
  children,
  tone = "neutral",
  id,
}: {
  title: ReactNode;
  count?: number | null;
  unit?: ReactNode;
  to?: string | null;
  linkLabel?: ReactNode;
  children?: ReactNode;
  /** "attention" when the count asks for work (it is also said in words by the title) */
  tone?: "neutral" | "attention";
  id?: string;
}) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section
      aria-labelledby={headingId}
      data-card={id}
      className={cx("flex flex-col rounded-card border bg-surface p-4 shadow-sm sm:p-5", tone === "attention" ? "border-warn/40" : "border-line")}
    >
      <h3 id={headingId} className="text-base font-semibold">
        {title}
      </h3>
      {count !== undefined && count !== null && (
        <p className="mt-1 flex items-baseline gap-2">
          <span className="text-3xl font-bold tabular-nums" data-count>
            {count}
          </span>
          {unit && <span className="text-muted">{unit}</span>}
        </p>
      )}
      {children && <div className="mt-2 flex-1">{children}</div>}
      {to && linkLabel && (
        <p className="mt-3">
          <Link to={to} className="inline-flex min-h-11 items-center font-medium">
            {linkLabel} →
          </Link>
        </p>
      )}
    </section>
  );
}
