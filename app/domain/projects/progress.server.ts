/**
 * A project's progress: for each metric, the figure computed from the records of the project's
 * period (startsOn..endsOn, both days included, in the program's time zone) and districts, beside
 * its target. Never typed in. One aggregate statement per metric, whatever the number of records.
 *
 * Definitions (printed under the report, messages projects.def.*):
 * - sessions_held: group sessions with status "held" that started in the period at a studio of
 *   the project's districts;
 * - attendances: attendance marks "present" or "late" at those sessions (held ones, same period
 *   and studios);
 * - clients_served: clients of the districts (the client's district) taken in on or before the
 *   last day and not closed before the first day: a client closed during the period was served in
 *   it; a closed client without a closing date is treated as closed before (as isClosedAsOf does);
 * - new_clients: clients of the districts whose intake date falls in the period;
 * - contacts: contact log entries of clients of the districts that happened in the period;
 * - volunteer_hours: approved volunteer hours worked in the period in the districts (the entry's
 *   district), the volunteering area's approvedMinutes, shown in hours (one decimal, rounded down
 *   to the tenth so a target is never shown as met before it is);
 * - recognitions: three-year recognitions dated in the period of clients of the districts;
 * - peer_tutors_certified: certificates issued in the period, not revoked, whose holder trained
 *   from one of the districts (the enrolment's district) or is a peer tutor of one of them.
 */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { attendance, certificates, clients, contacts, enrollments, groupSessions, peerTutors, PROJECT_METRICS, recognitions, studios, type ProjectMetric } from "#db/schema";
import { addDays } from "~/domain/clients/dates";
import { getSettings } from "~/domain/settings";
import { approvedMinutes } from "~/domain/volunteering";
import { startOfLocalDayUtc } from "~/i18n/format";

export type ProjectScope = { startsOn: string; endsOn: string; districtIds: number[] };

export type MetricProgress = {
  metric: ProjectMetric;
  /** the figure from the records (hours for volunteer_hours, one decimal) */
  actual: number;
  target: number | null;
  /** whole percent of the target reached, capped at 100 for the bar (null without a target) */
  percent: number | null;
  met: boolean;
};

function inList(ids: number[]) {
  return sql.join(
    ids.map((d) => sql`${d}`),
    sql`, `,
  );
}

/** The figure of each metric for a period and districts. */
export function projectFigures(db: Db, scope: ProjectScope): Record<ProjectMetric, number> {
  const { startsOn, endsOn } = scope;
  const districtIds = [...new Set(scope.districtIds)];
  const zero = Object.fromEntries(PROJECT_METRICS.map((m) => [m, 0])) as Record<ProjectMetric, number>;
  if (districtIds.length === 0 || endsOn < startsOn) return zero;
  const { timeZone } = getSettings(db);
  const from = startOfLocalDayUtc(startsOn, timeZone).toISOString();
  const to = startOfLocalDayUtc(addDays(endsOn, 1), timeZone).toISOString();
  const ds = inList(districtIds);
  const n = (q: ReturnType<typeof sql>) => Number(db.get<{ n: number }>(q)?.n ?? 0);

  const heldSessions = sql`select gs.id from ${groupSessions} gs join ${studios} st on st.id = gs.studio_id
    where gs.status = 'held' and gs.starts_at >= ${from} and gs.starts_at < ${to} and st.district_id in (${ds})`;
  return {
    sessions_held: n(sql`select count(*) as n from (${heldSessions})`),
    attendances: n(sql`select count(*) as n from ${attendance} a where a.status in ('present', 'late') and a.session_id in (${heldSessions})`),
    clients_served: n(sql`select count(*) as n from ${clients} c where c.district_id in (${ds}) and c.intake_date <= ${endsOn}
      and (c.status <> 'closed' or (c.closed_on is not null and c.closed_on >= ${startsOn}))`),
    new_clients: n(sql`select count(*) as n from ${clients} c where c.district_id in (${ds}) and c.intake_date >= ${startsOn} and c.intake_date <= ${endsOn}`),
    contacts: n(sql`select count(*) as n from ${contacts} k join ${clients} c on c.id = k.client_id
      where c.district_id in (${ds}) and k.happened_at >= ${from} and k.happened_at < ${to}`),
    volunteer_hours: Math.floor(approvedMinutes(db, { from: startsOn, to: endsOn, districtIds }) / 6) / 10,
    recognitions: n(sql`select count(*) as n from ${recognitions} r join ${clients} c on c.id = r.client_id
      where c.district_id in (${ds}) and r.recognised_on >= ${startsOn} and r.recognised_on <= ${endsOn}`),
    peer_tutors_certified: n(sql`select count(distinct ce.holder_person_id) as n from ${certificates} ce
      left join ${enrollments} e on e.id = ce.enrollment_id
      where ce.revoked_at is null and ce.issued_on >= ${startsOn} and ce.issued_on <= ${endsOn}
      and (e.district_id in (${ds}) or exists (select 1 from ${peerTutors} pt where pt.person_id = ce.holder_person_id and pt.district_id in (${ds})))`),
  };
}

/** Progress of every metric: those with a target first (in the metrics' order), then the others. */
export function projectProgress(db: Db, scope: ProjectScope, targets: Partial<Record<ProjectMetric, number>>): MetricProgress[] {
  const figures = projectFigures(db, scope);
  const rows = PROJECT_METRICS.map((metric) => {
    const target = targets[metric] ?? null;
    const actual = figures[metric];
    return {
      metric,
      actual,
      target,
      percent: target ? Math.min(100, Math.floor((actual * 100) / target)) : null,
      met: target !== null && actual >= target,
    };
  });
  return [...rows.filter((r) => r.target !== null), ...rows.filter((r) => r.target === null)];
}
