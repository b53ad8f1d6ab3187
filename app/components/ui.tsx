/**
 * The small UI kit (UI.md): every page builds from these, so lists, forms and badges look and
 * behave the same everywhere. No data access here.
 */
import { Link } from "@remix-run/react";
import type { ComponentProps, ReactNode } from "react";

export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}

const buttonBase =
  "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg px-4 py-2 font-medium transition-colors disabled:opacity-50";
const buttonKinds = {
  primary: "bg-brand text-white hover:bg-brand-strong",
  secondary: "border border-line bg-surface text-ink hover:bg-neutral-soft",
  danger: "bg-danger text-white hover:opacity-90",
  ghost: "text-brand hover:bg-brand-soft",
} as const;
export type ButtonKind = keyof typeof buttonKinds;

export function Button({ kind = "primary", className, ...props }: ComponentProps<"button"> & { kind?: ButtonKind }) {
  return <button type="submit" {...props} className={cx(buttonBase, buttonKinds[kind], className)} />;
}

export function LinkButton({ kind = "secondary", className, ...props }: ComponentProps<typeof Link> & { kind?: ButtonKind }) {
  return <Link {...props} className={cx(buttonBase, buttonKinds[kind], "no-underline", className)} />;
}

const badgeTones = {
  ok: "bg-ok-soft text-ok border-ok/30",
  warn: "bg-warn-soft text-warn border-warn/30",
  danger: "bg-danger-soft text-danger border-danger/30",
  neutral: "bg-neutral-soft text-muted border-line",
  brand: "bg-brand-soft text-brand-strong border-brand/30",
} as const;
export type Tone = keyof typeof badgeTones;

/** Status in words and colour, never colour alone. */
export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return (
    <span className={cx("inline-flex items-center rounded-full border px-2.5 py-0.5 text-sm font-medium", badgeTones[tone])}>
      {children}
    </span>
  );
}

export function Card({ title, children, className, actions }: { title?: ReactNode; children: ReactNode; className?: string; actions?: ReactNode }) {
  return (
    <section className={cx("rounded-card border border-line bg-surface p-4 shadow-sm sm:p-5", className)}>
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2>{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function PageHeader({ title, subtitle, actions, badges }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; badges?: ReactNode }) {
  return (
    <header className="mb-5 flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0">
        <h1 className="break-words">{title}</h1>
        {badges && <div className="mt-1 flex flex-wrap gap-2">{badges}</div>}
        {subtitle && <p className="mt-1 text-muted">{subtitle}</p>}
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </header>
  );
}

export function EmptyState({ title, children, action }: { title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-card border border-dashed border-line bg-surface p-6 text-center">
      <p className="font-medium">{title}</p>
      {children && <p className="mt-1 text-muted">{children}</p>}
      {action && <div className="mt-3">{action}</div>}
    </div>
  );
}

/** A table on a desk, a stack of cards on a phone: each cell carries its column label. */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: ReactNode;
  columns: { key: string; header: ReactNode; cell: (row: T) => ReactNode; primary?: boolean }[];
  rows: T[];
  rowKey: (row: T) => string | number;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left">
        <caption className="sr-only">{caption}</caption>
        <thead className="hidden sm:table-header-group">
          <tr className="border-b border-line text-sm text-muted">
            {columns.map((c) => (
              <th key={c.key} scope="col" className="px-3 py-2 font-medium">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className="mb-3 block rounded-card border border-line bg-surface p-3 sm:table-row sm:rounded-none sm:border-0 sm:border-b sm:p-0">
              {columns.map((c) => (
                <td key={c.key} className={cx("block px-0 py-0.5 sm:table-cell sm:px-3 sm:py-2", c.primary && "font-medium")}>
                  {!c.primary && <span className="mr-2 text-sm text-muted sm:hidden">{c.header}</span>}
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
