/**
 * A week of sessions, rendered on the server: seven columns on a desk, a list of days on a phone.
 * Each day lists its items in time order; an item links to its page and says its status in words
 * (never colour alone). No data access: the route passes the days and items, times already local.
 */
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { dateTimeFormat } from "~/i18n/format";
import { useT } from "~/i18n/use-t";
import { Badge, cx, type Tone } from "./ui";

export type CalendarDay = {
  /** YYYY-MM-DD */
  date: string;
  /** e.g. the opening hours that day, or "closed" */
  note?: string;
};

export type CalendarItem = {
  id: number | string;
  /** YYYY-MM-DD, local */
  date: string;
  /** HH:MM, local */
  startTime: string;
  endTime: string;
  title: string;
  detail?: string;
  href: string;
  /** shown as a badge when set */
  status?: { label: string; tone: Tone; struck?: boolean };
};

export function WeekCalendar({
  caption,
  days,
  items,
  today,
  emptyLabel,
  navigation,
}: {
  caption: ReactNode;
  days: CalendarDay[];
  items: CalendarItem[];
  today?: string;
  emptyLabel: string;
  /** previous / this / next week links, above the grid */
  navigation?: ReactNode;
}) {
  const { date, locale } = useT();
  const byDay = new Map<string, CalendarItem[]>();
  for (const item of [...items].sort((a, b) => (a.date + a.startTime).localeCompare(b.date + b.startTime))) {
    const list = byDay.get(item.date) ?? [];
    list.push(item);
    byDay.set(item.date, list);
  }
  const weekday = (d: string) => dateTimeFormat(locale, { weekday: "short", timeZone: "UTC" }).format(new Date(`${d}T12:00:00Z`));
  const dayMonth = (d: string) =>
    dateTimeFormat(locale, { day: "numeric", month: locale === "zh-CN" ? "numeric" : "short", timeZone: "UTC" }).format(new Date(`${d}T12:00:00Z`));
  return (
    <section aria-label={typeof caption === "string" ? caption : undefined}>
      {navigation && <div className="no-print mb-3 flex flex-wrap items-center gap-2">{navigation}</div>}
      <ol className="grid gap-3 lg:grid-cols-7 lg:gap-2">
        {days.map((day) => {
          const list = byDay.get(day.date) ?? [];
          const isToday = day.date === today;
          return (
            <li
              key={day.date}
              className={cx("rounded-card border bg-surface p-3 lg:min-h-40 lg:p-2", isToday ? "border-brand" : "border-line")}
              aria-current={isToday ? "date" : undefined}
            >
              <h3 className="flex flex-wrap items-baseline gap-x-2 text-base">
                <span className="hidden lg:inline">{weekday(day.date)}</span>
                <span className="hidden text-sm font-normal text-muted lg:inline">{dayMonth(day.date)}</span>
                <span className="lg:hidden">{date(day.date)}</span>
              </h3>
              {day.note && <p className="text-sm text-muted">{day.note}</p>}
              {list.length === 0 ? (
                <p className="mt-1 text-sm text-muted">{emptyLabel}</p>
              ) : (
                <ul className="mt-2 grid gap-2">
                  {list.map((item) => (
                    <li key={item.id}>
                      <Link
                        to={item.href}
                        className="block min-h-11 rounded-lg border border-line bg-brand-soft/40 p-2 text-ink no-underline hover:bg-brand-soft"
                      >
                        <span className="block text-sm font-medium tabular-nums">
                          {item.startTime}–{item.endTime}
                        </span>
                        <span className={cx("block break-words font-medium", item.status?.struck && "line-through")}>{item.title}</span>
                        {item.detail && <span className="block break-words text-sm text-muted">{item.detail}</span>}
                        {item.status && (
                          <span className="mt-1 block">
                            <Badge tone={item.status.tone}>{item.status.label}</Badge>
                          </span>
                        )}
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
