import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { WeekCalendar, type CalendarItem } from "~/components/WeekCalendar";
import { Button, Card, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { activeFeedSince, createFeedToken, personWeek, programTimeZone, revokeFeedTokens } from "~/domain/sessions";
import { weekParam } from "~/domain/sessions/schemas";
import { addDays, mondayOf } from "~/domain/sessions/time";
import { choice } from "~/domain/shared/fields";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { STATUS_TONES } from "./studios._index/session-parts";

/**
 * "My sessions": the week of sessions the signed-in person facilitates, and their secret ICS feed
 * address — made (or replaced) and revoked here. The address is shown once, in the answer to the
 * POST that makes it (never put in a cookie or stored: only its hash is kept).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const db = getDb();
  const timeZone = programTimeZone(db);
  const today = todayIn(timeZone);
  const monday = mondayOf(weekParam.parse(new URL(request.url).searchParams.get("week") || undefined) ?? today);
  return { week: personWeek(db, user.personId, monday, timeZone), monday, today, feedSince: activeFeedSince(db, user.id) };
}

const FeedSchema = z.object({ intent: choice(["create", "revoke"]) });

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const form = await parseForm(request, FeedSchema);
  if (!form.ok) return badForm(form);
  const db = getDb();
  const actor = actorOf(request, user);
  if (form.data.intent === "revoke") {
    revokeFeedTokens(db, actor, user.id);
    return redirectWithFlash("/calendar", { kind: "success", key: "sessions.flash.feedRevoked" });
  }
  const token = createFeedToken(db, actor, user.id);
  // the secret is answered directly (shown once), not redirected through a flash cookie
  return data({ feedUrl: `${new URL(request.url).origin}/calendar/person/${token}.ics` }, { headers: { "Cache-Control": "no-store" } });
}

export default function MyCalendar() {
  const { week, monday, today, feedSince } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t, date, locale } = useT();
  const feedUrl = answer && "feedUrl" in answer ? answer.feedUrl : null;
  const name = (p: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? p.nameZh : p.nameEn);
  const items: CalendarItem[] = week.sessions.map((s) => ({
    id: s.id,
    date: s.date,
    startTime: s.startTime,
    endTime: s.endTime,
    title: s.topic,
    detail: name(s.studio),
    href: `/sessions/${s.id}`,
    status: s.status === "scheduled" ? undefined : { label: t(`sessions.status.${s.status}`), tone: STATUS_TONES[s.status], struck: s.status === "cancelled" },
  }));
  const weekLink = (d: string) => `/calendar?week=${d}`;
  return (
    <div>
      <PageHeader title={t("sessions.calendar.title")} />
      <Card className="mb-4">
        <WeekCalendar
          caption={t("sessions.calendar.title")}
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
      <Card title={t("sessions.calendar.feedTitle")} className="max-w-3xl">
        <p className="mb-3 text-muted">{t("sessions.calendar.feedHelp")}</p>
        {feedUrl ? (
          <p role="status" className="mb-3 break-all rounded-card border border-brand bg-brand-soft p-3 font-mono text-sm">
            {t("sessions.flash.feedCreated", { url: feedUrl })}
          </p>
        ) : feedSince ? (
          <p className="mb-3">{t("sessions.calendar.feedActive", { date: date(feedSince.slice(0, 10)) })}</p>
        ) : (
          <p className="mb-3">{t("sessions.calendar.noFeed")}</p>
        )}
        <div className="flex flex-wrap gap-2">
          <Form method="post">
            <input type="hidden" name="intent" value="create" />
            <Button>{feedSince || feedUrl ? t("sessions.calendar.regenerate") : t("sessions.calendar.create")}</Button>
          </Form>
          {(feedSince || feedUrl) && (
            <Form method="post">
              <input type="hidden" name="intent" value="revoke" />
              <Button kind="danger">{t("sessions.calendar.revoke")}</Button>
            </Form>
          )}
        </div>
      </Card>
    </div>
  );
}

export const meta = titled("sessions.calendar.title");
