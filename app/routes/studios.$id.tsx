import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, forbidden, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Badge, Button, Card, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { WeekCalendar, type CalendarItem } from "~/components/WeekCalendar";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import { WEEKDAYS, periodOn, weekdayName } from "~/domain/organisation/opening-hours";
import { canEditAt, createRoom, groupsAtStudio, programTimeZone, specOf, studioInfo, studioUtilisation, studioWeek } from "~/domain/sessions";
import { CAPACITY_MAX, CAPACITY_MIN, ROOM_NAME_MAX, RoomFormSchema, monthParam, weekParam } from "~/domain/sessions/schemas";
import { addDays, mondayOf, nextMonth, previousMonth, timeOf, minutesOf } from "~/domain/sessions/time";
import { getSessionKinds } from "~/domain/settings/session-kinds.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { STATUS_TONES, useKindLabel, useScheduleSummary } from "./studios._index/session-parts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const studioId = idFromParam(params.id);
  if (studioId === null) throw notFound();
  const db = getDb();
  const studio = studioInfo(db, studioId);
  if (!studio) throw notFound();
  const timeZone = programTimeZone(db);
  const url = new URL(request.url);
  const today = todayIn(timeZone);
  const monday = mondayOf(weekParam.parse(url.searchParams.get("week") || undefined) ?? today);
  const month = monthParam.parse(url.searchParams.get("month") || undefined) ?? today.slice(0, 7);
  return {
    studio: {
      id: studio.id,
      nameZh: studio.nameZh,
      nameEn: studio.nameEn,
      address: studio.address,
      capacity: studio.capacity,
      active: studio.active,
      districtZh: studio.districtZh,
      districtEn: studio.districtEn,
      openingHours: studio.openingHours,
    },
    rooms: studio.rooms.map((r) => ({ id: r.id, nameZh: r.nameZh, nameEn: r.nameEn, capacity: r.capacity })),
    week: studioWeek(db, studioId, monday, timeZone),
    monday,
    today,
    month,
    utilisation: studioUtilisation(db, studioId, month, timeZone)!,
    groups: groupsAtStudio(db, studioId, new Date().toISOString()).map((g) => ({ ...g, spec: specOf(g.recurrence) })),
    kinds: getSessionKinds(db),
    canEdit: canEditAt(user, studio.districtId),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:session");
  const studioId = idFromParam(params.id);
  if (studioId === null) throw notFound();
  const db = getDb();
  const studio = studioInfo(db, studioId);
  if (!studio) throw notFound();
  if (!canEditAt(user, studio.districtId)) throw forbidden();
  const form = await parseForm(request, RoomFormSchema);
  if (!form.ok) return badForm(form);
  try {
    createRoom(db, actorOf(request, user), user, studioId, form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/studios/${studioId}`, { kind: "success", key: "sessions.flash.roomAdded" });
}

export default function StudioPage() {
  const { studio, rooms, week, monday, today, month, utilisation, groups, kinds, canEdit } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale, number, date } = useT();
  const name = (p: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? p.nameZh : p.nameEn);
  const kindLabel = useKindLabel(kinds);
  const summary = useScheduleSummary();
  const roomName = new Map(rooms.map((r) => [r.id, name(r)]));
  const hoursOn = (date: string) => {
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
    const p = periodOn(studio.openingHours, weekday);
    return p ? `${p.opens}–${p.closes}` : t("sessions.studio.closed");
  };
  const items: CalendarItem[] = week.sessions.map((s) => ({
    id: s.id,
    date: s.date,
    startTime: s.startTime,
    endTime: s.endTime,
    title: s.topic,
    detail: [kindLabel(s.kind), s.roomId ? roomName.get(s.roomId) : null, s.facilitators.map((f) => f.name).join(locale === "zh-CN" ? "、" : ", ")]
      .filter(Boolean)
      .join(" · "),
    href: `/sessions/${s.id}`,
    status: s.status === "scheduled" ? undefined : { label: t(`sessions.status.${s.status}`), tone: STATUS_TONES[s.status], struck: s.status === "cancelled" },
  }));
  const weekLink = (d: string) => `/studios/${studio.id}?week=${d}&month=${month}`;
  const monthLink = (m: string) => `/studios/${studio.id}?week=${monday}&month=${m}`;
  const hours = (minutes: number) => number(minutes / 60, { maximumFractionDigits: 1 });
  return (
    <>
      <p className="mb-2">
        <Link to="/studios" className="inline-flex min-h-11 items-center">
          ← {t("sessions.studios.title")}
        </Link>
      </p>
      <PageHeader
        title={name(studio)}
        subtitle={studio.address}
        badges={
          <>
            <Badge tone="brand">{locale === "zh-CN" ? studio.districtZh : studio.districtEn}</Badge>
            <Badge>{t("sessions.studio.capacity", { count: studio.capacity })}</Badge>
            {!studio.active && <Badge tone="warn">{t("sessions.studio.inactive")}</Badge>}
          </>
        }
        actions={
          canEdit && studio.active ? (
            <>
              <LinkButton to={`/groups/new?studioId=${studio.id}`} kind="primary">
                {t("sessions.group.new")}
              </LinkButton>
              <LinkButton to={`/sessions/new?studioId=${studio.id}`}>{t("sessions.session.new")}</LinkButton>
            </>
          ) : null
        }
      />

      <Card title={t("sessions.studio.week", { date: date(monday) })} className="mb-4">
        <WeekCalendar
          caption={t("sessions.studio.weekCaption", { name: name(studio) })}
          days={week.days.map((d) => ({ date: d, note: hoursOn(d) }))}
          items={items}
          today={today}
          emptyLabel={t("sessions.studio.noSessions")}
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

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("sessions.studio.openingHours")}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            {WEEKDAYS.map((w) => {
              const p = periodOn(studio.openingHours, w);
              return (
                <div key={w} className="contents">
                  <dt className="font-medium">{weekdayName(locale, w)}</dt>
                  <dd className="tabular-nums">{p ? `${p.opens}–${p.closes}` : <span className="text-muted">{t("sessions.studio.closed")}</span>}</dd>
                </div>
              );
            })}
          </dl>
        </Card>

        <Card title={t("sessions.studio.utilisation")}>
          <div className="mb-3 flex flex-wrap items-center gap-2">
            <LinkButton to={monthLink(previousMonth(month))} kind="secondary" rel="prev" aria-label={t("sessions.month.previous")}>
              ←
            </LinkButton>
            <Form method="get" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="week" value={monday} />
              <label className="grid">
                <span className="text-sm font-medium">{t("sessions.studio.month")}</span>
                <input type="month" name="month" defaultValue={month} className="min-h-11 rounded-lg border border-line bg-surface px-3" />
              </label>
              <Button kind="secondary">{t("sessions.studio.show")}</Button>
            </Form>
            <LinkButton to={monthLink(nextMonth(month))} kind="secondary" rel="next" aria-label={t("sessions.month.next")}>
              →
            </LinkButton>
          </div>
          <p className="text-3xl font-bold tabular-nums">{number(utilisation.ratio, { style: "percent", maximumFractionDigits: 1 })}</p>
          <p className="text-muted">
            {t("sessions.studio.utilisationDetail", { booked: hours(utilisation.bookedMinutes), open: hours(utilisation.availableMinutes) })}
          </p>
          {utilisation.spaces > 1 && <p className="text-sm text-muted">{t("sessions.studio.utilisationRooms", { rooms: utilisation.spaces })}</p>}
        </Card>

        <Card title={t("sessions.studio.rooms")}>
          {rooms.length === 0 ? (
            <p className="text-muted">{t("sessions.studio.noRooms")}</p>
          ) : (
            <ul className="grid gap-1">
              {rooms.map((r) => (
                <li key={r.id}>
                  {name(r)} <span className="text-muted">· {t("sessions.studio.capacity", { count: r.capacity })}</span>
                </li>
              ))}
            </ul>
          )}
          {canEdit && (
            <details className="mt-3" open={Boolean(state)}>
              <summary className="flex min-h-11 cursor-pointer items-center font-medium text-brand">{t("sessions.room.add")}</summary>
              <Form method="post" noValidate className="mt-2">
                <ErrorSummary state={state} labels={{ nameZh: t("sessions.room.nameZh"), nameEn: t("sessions.room.nameEn"), capacity: t("sessions.field.capacity") }} />
                <TextField name="nameZh" label={t("sessions.room.nameZh")} state={state} required maxLength={ROOM_NAME_MAX} />
                <TextField name="nameEn" label={t("sessions.room.nameEn")} state={state} required maxLength={ROOM_NAME_MAX} />
                <TextField
                  name="capacity"
                  type="number"
                  inputMode="numeric"
                  label={t("sessions.field.capacity")}
                  help={t("sessions.field.capacityHelp", { min: CAPACITY_MIN, max: Math.min(CAPACITY_MAX, studio.capacity) })}
                  state={state}
                  required
                />
                <FormActions>
                  <Button>{t("sessions.room.save")}</Button>
                </FormActions>
              </Form>
            </details>
          )}
        </Card>

        <Card title={t("sessions.studio.groups")}>
          {groups.length === 0 ? (
            <EmptyState
              title={t("sessions.studio.noGroups")}
              action={
                canEdit && studio.active ? (
                  <LinkButton to={`/groups/new?studioId=${studio.id}`} kind="primary">
                    {t("sessions.group.new")}
                  </LinkButton>
                ) : null
              }
            />
          ) : (
            <ul className="grid gap-3">
              {groups.map((g) => {
                const end = minutesOf(g.firstStartsLocal.slice(11, 16)) + g.durationMinutes;
                return (
                  <li key={g.id} className="rounded-lg border border-line p-3">
                    <Link to={`/groups/${g.id}`} className="inline-flex min-h-11 items-center font-medium">
                      {g.topic}
                    </Link>
                    <p className="text-sm">
                      <Badge>{kindLabel(g.kind)}</Badge> {summary(g.spec, g.firstStartsLocal.slice(11, 16), end >= 1440 ? "24:00" : timeOf(end))}
                    </p>
                    <p className="text-sm text-muted">
                      {g.facilitators.map((f) => f.name).join(locale === "zh-CN" ? "、" : ", ")}
                      {" · "}
                      {t("sessions.studio.groupCapacity", { count: g.capacity })}
                    </p>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}

export const meta = titled("sessions.studio.title");
