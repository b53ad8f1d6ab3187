import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { Card, DataTable, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { coordinatorWeek, programTimeZone, type CoordinatorLine } from "~/domain/sessions";
import { mondayOf } from "~/domain/sessions/time";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * The coordinator's week ("This week"): across the districts where the viewer schedules
 * (edit:session), this week's sessions, those without a facilitator, past ones without
 * attendance, waitlists, and each studio's utilisation this month.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:session");
  const db = getDb();
  const timeZone = programTimeZone(db);
  const today = todayIn(timeZone);
  const monday = mondayOf(today);
  return { monday, ...coordinatorWeek(db, user, monday, today.slice(0, 7), timeZone) };
}

export default function CoordinatorWeekPage() {
  const { monday, sessions, unfilled, noAttendance, waitlists, studios } = useLoaderData<typeof loader>();
  const { t, date, dateTime, number, locale } = useT();
  const name = (p: { studioZh: string; studioEn: string }) => (locale === "zh-CN" ? p.studioZh : p.studioEn);
  const columns = [
    { key: "when", header: t("sessions.coord.when"), cell: (r: CoordinatorLine) => dateTime(r.startsAt) },
    {
      key: "topic",
      header: t("sessions.coord.topic"),
      primary: true,
      cell: (r: CoordinatorLine) => (
        <Link to={`/sessions/${r.id}`} className="inline-flex min-h-11 items-center">
          {r.topic}
        </Link>
      ),
    },
    { key: "studio", header: t("sessions.coord.studio"), cell: (r: CoordinatorLine) => name(r) },
    {
      key: "places",
      header: t("sessions.field.capacity"),
      cell: (r: CoordinatorLine) => t("sessions.session.registered", { registered: number(r.registered), capacity: number(r.capacity) }),
    },
  ];
  const section = (title: string, rows: CoordinatorLine[], extra: typeof columns = []) => (
    <Card title={`${title} (${number(rows.length)})`} className="mb-4">
      {rows.length === 0 ? <p className="text-muted">{t("sessions.coord.none")}</p> : <DataTable caption={title} columns={[...columns, ...extra]} rows={rows} rowKey={(r) => r.id} />}
    </Card>
  );
  return (
    <div>
      <PageHeader
        title={t("sessions.coord.title")}
        subtitle={date(monday)}
        actions={
          sessions.length > 0 ? (
            <LinkButton to="/sessions/week/export" reloadDocument kind="secondary">
              {t("reports.list.export")}
            </LinkButton>
          ) : undefined
        }
      />
      {section(t("sessions.coord.unfilled"), unfilled)}
      {section(t("sessions.coord.noAttendance"), noAttendance)}
      {section(t("sessions.coord.waitlists"), waitlists, [{ key: "waiting", header: t("sessions.coord.waiting"), cell: (r) => number(r.waitlisted) }])}
      <Card title={t("sessions.coord.utilisation")} className="mb-4">
        {studios.length === 0 ? (
          <p className="text-muted">{t("sessions.coord.none")}</p>
        ) : (
          <DataTable
            caption={t("sessions.coord.utilisation")}
            rowKey={(s) => s.studioId}
            rows={studios}
            columns={[
              {
                key: "studio",
                header: t("sessions.coord.studio"),
                primary: true,
                cell: (s) => (
                  <Link to={`/studios/${s.studioId}`} className="inline-flex min-h-11 items-center">
                    {locale === "zh-CN" ? s.nameZh : s.nameEn}
                  </Link>
                ),
              },
              { key: "percent", header: t("sessions.coord.percent"), cell: (s) => number(s.utilisation.ratio, { style: "percent", maximumFractionDigits: 0 }) },
            ]}
          />
        )}
      </Card>
      {section(t("sessions.coord.sessions"), sessions)}
    </div>
  );
}

export const meta = titled("sessions.coord.title");
