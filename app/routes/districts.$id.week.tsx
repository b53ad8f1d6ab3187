import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { notFound, requireUserWithPermission } from "~/auth/guards.server";
import { WeekCalendar, type CalendarItem } from "~/components/WeekCalendar";
import { Card, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import { districtNames, districtWeek, programTimeZone } from "~/domain/sessions";
import { weekParam } from "~/domain/sessions/schemas";
import { addDays, mondayOf } from "~/domain/sessions/time";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { STATUS_TONES } from "./studios._index/session-parts";

/** The week of sessions at all studios of a district; for everyone who reads schedules (read:session). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "read:session");
  const districtId = idFromParam(params.id);
  if (districtId === null) throw notFound();
  const db = getDb();
  const district = districtNames(db, districtId);
  if (!district) throw notFound();
  const timeZone = programTimeZone(db);
  const today = todayIn(timeZone);
  const monday = mondayOf(weekParam.parse(new URL(request.url).searchParams.get("week") || undefined) ?? today);
  return { district, week: districtWeek(db, districtId, monday, timeZone), monday, today };
}

export default function DistrictWeek() {
  const { district, week, monday, today } = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  const name = (p: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? p.nameZh : p.nameEn);
  const items: CalendarItem[] = week.sessions.map((s) => ({
    id: s.id,
    date: s.date,
    startTime: s.startTime,
    endTime: s.endTime,
    title: s.topic,
    detail: [name(s.studio), s.facilitators.map((f) => f.name).join(locale === "zh-CN" ? "、" : ", ")].filter(Boolean).join(" · "),
    href: `/sessions/${s.id}`,
    status: s.status === "scheduled" ? undefined : { label: t(`sessions.status.${s.status}`), tone: STATUS_TONES[s.status], struck: s.status === "cancelled" },
  }));
  const weekLink = (d: string) => `/districts/${district.id}/week?week=${d}`;
  const title = t("sessions.calendar.districtWeek", { district: name(district) });
  return (
    <div>
      <PageHeader title={title} />
      <Card>
        <WeekCalendar
          caption={title}
          days={week.days.map((d) => ({ date: d }))}
          items={items}
          today={today}
          emptyLabel={t("sessions.calendar.empty")}
          navigation={
            <>
              <LinkButton to={weekLink(addDays(monday, -7))} kind="secondary" rel="prev">
                ← {t("sessions.week.previous")}
              </LinkButton>
              <LinkButton to={weekLink(mondayOf(today))} kind="ghost">
                {t("sessions.week.this")}
              </LinkButton>
              <LinkButton to={weekLink(addDays(monday, 7))} kind="secondary" rel="next">
                {t("sessions.week.next")} →
              </LinkButton>
            </>
          }
        />
      </Card>
    </div>
  );
}

export const meta = titled("sessions.coord.title");
