/**
 * The reports over peer-education sessions and peer tutors (DESIGN.md §5): sessions held,
 * cancelled and attendance rate; studio utilisation (the sessions area's `utilisation`, month by
 * month); peer tutors certified and allowed to practise per cohort (the training area's one
 * `mayPractise` rule) with the sessions they facilitated. Grouped SQL, one query per section.
 */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import {
  attendance,
  certificates,
  cohortTrainers,
  cohorts,
  districts,
  groupSessions,
  peerTutors,
  rooms,
  sessionFacilitators,
  sessionRegistrations,
  studios,
} from "#db/schema";
import type { RowScope } from "~/auth/permissions";
import { addDays } from "~/domain/clients/dates";
import { percentage } from "~/domain/clients/outcomes";
import { instantInSql } from "~/domain/clients/outcomes-sql.server";
import { utilisation } from "~/domain/sessions/schedule";
import { nextMonth, startOfLocalDate } from "~/domain/sessions/time";
import { getSettings } from "~/domain/settings";
import { mayPractise, type PractiseFacts } from "~/domain/training/practise";
import type { ReportParams } from "./params";
import { districtCondition, reportScope, type Viewer } from "./scope.server";
import type { ReportResult, ReportRow } from "./types";

type Reader = Pick<Db, "select" | "all">;

/** The period from–to (local days, both included) as UTC instants [start, end). */
function periodInstants(params: ReportParams, timeZone: string): { start: string; end: string } {
  return { start: startOfLocalDate(params.from, timeZone).toISOString(), end: startOfLocalDate(addDays(params.to, 1), timeZone).toISOString() };
}

/** SQL: the session (alias `group_sessions`) is one the viewer may report on, in the districts asked for. */
function sessionScope(viewer: Viewer, scope: RowScope, params: ReportParams): SQL {
  const own = sql`exists (select 1 from ${sessionFacilitators} osf where osf.session_id = ${groupSessions.id} and osf.person_id = ${viewer.personId})`;
  const inScope =
    scope.kind === "all"
      ? sql`1 = 1`
      : scope.kind === "none"
        ? sql`0`
        : scope.kind === "own"
          ? own
          : scope.alsoOwn
            ? sql`(${districtCondition(scope, studios.districtId)} or ${own})`
            : districtCondition(scope, studios.districtId);
  return and(inScope, districtCondition({ kind: "all" }, studios.districtId, params.districtIds))!;
}

function districtRows(db: Reader): { id: number; nameZh: string; nameEn: string }[] {
  return db.select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts).orderBy(asc(districts.code), asc(districts.id)).all();
}

/**
 * Sessions in the period (by start, local days), per studio district: held, cancelled, still
 * scheduled; and for the held ones the registered clients, how many of them attended (present or
 * late) and the attendance rate (attended ÷ registered).
 */
export function sessionsReport(db: Reader, viewer: Viewer, params: ReportParams): ReportResult {
  const { timeZone } = getSettings(db as Db);
  const { start, end } = periodInstants(params, timeZone);
  const session = sql`"group_sessions"."id"`;
  const registered = sql<number>`(select count(*) from ${sessionRegistrations} rr where rr.session_id = ${session} and rr.status = 'registered')`;
  const attended = sql<number>`(select count(*) from ${sessionRegistrations} ar join ${attendance} aa on aa.session_id = ar.session_id and aa.client_id = ar.client_id
    where ar.session_id = ${session} and ar.status = 'registered' and aa.status in ('present', 'late'))`;
  const held = sql`${groupSessions.status} = 'held'`;
  const rows = db
    .select({
      districtId: studios.districtId,
      held: sql<number>`coalesce(sum(case when ${held} then 1 else 0 end), 0)`,
      cancelled: sql<number>`coalesce(sum(case when ${groupSessions.status} = 'cancelled' then 1 else 0 end), 0)`,
      scheduled: sql<number>`coalesce(sum(case when ${groupSessions.status} = 'scheduled' then 1 else 0 end), 0)`,
      registered: sql<number>`coalesce(sum(case when ${held} then ${registered} else 0 end), 0)`,
      attended: sql<number>`coalesce(sum(case when ${held} then ${attended} else 0 end), 0)`,
    })
    .from(groupSessions)
    .innerJoin(studios, eq(studios.id, groupSessions.studioId))
    .where(and(sessionScope(viewer, reportScope(viewer), params), instantInSql(sql`${groupSessions.startsAt}`, start, end)))
    .groupBy(studios.districtId)
    .all();
  const byDistrict = new Map(rows.map((r) => [r.districtId, r]));
  const keys = ["held", "cancelled", "scheduled", "registered", "attended"] as const;
  const totals: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  const out: ReportRow[] = [];
  for (const d of districtRows(db)) {
    const r = byDistrict.get(d.id);
    if (!r) continue;
    const values: Record<string, number | string> = {};
    for (const k of keys) {
      values[k] = Number(r[k]);
      totals[k]! += Number(r[k]);
    }
    values.attendanceRate = percentage(Number(r.attended), Number(r.registered));
    out.push({ key: String(d.id), labelZh: d.nameZh, labelEn: d.nameEn, values });
  }
  return {
    name: "sessions",
    params,
    rows: out,
    totals: { ...totals, attendanceRate: percentage(totals.attended!, totals.registered!) },
    notes: {},
  };
}

/** The months "YYYY-MM" from the period's first month to its last. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = nextMonth(m)) months.push(m);
  return months;
}

/**
 * Studio utilisation over the whole months the period touches: per studio, the minutes of sessions
 * not cancelled (by start, local month) ÷ the studio's opening minutes in those months times its
 * active rooms — the sessions area's `utilisation`, month by month, summed. Studios of the
 * viewer's districts (admins: all); studios that are inactive and had no bookings are left out.
 */
export function studioUtilisationReport(db: Reader, viewer: Viewer, params: ReportParams): ReportResult {
  const { timeZone } = getSettings(db as Db);
  const scope = reportScope(viewer);
  const months = monthsOf(params.from, params.to);
  const bounds = months.map((m) => ({ month: m, from: startOfLocalDate(`${m}-01`, timeZone).toISOString(), to: startOfLocalDate(`${nextMonth(m)}-01`, timeZone).toISOString() }));
  const inScope = scope.kind === "all" || scope.kind === "districts" ? districtCondition(scope, studios.districtId, params.districtIds) : sql`0`;
  const studioList = db
    .select({
      id: studios.id,
      nameZh: studios.nameZh,
      nameEn: studios.nameEn,
      active: studios.active,
      openingHours: studios.openingHours,
      districtZh: districts.nameZh,
      districtEn: districts.nameEn,
      roomCount: sql<number>`(select count(*) from ${rooms} rm where rm.studio_id = "studios"."id" and rm.active = 1)`,
    })
    .from(studios)
    .innerJoin(districts, eq(districts.id, studios.districtId))
    .where(inScope)
    .orderBy(asc(districts.code), asc(studios.nameZh), asc(studios.id))
    .all();
  // booked minutes per studio and month, in one query over a table of the months' bounds
  const booked = new Map<string, number>();
  if (studioList.length > 0 && bounds.length > 0) {
    const monthTable = sql.join(
      bounds.map((b) => sql`select ${b.month} as month, ${b.from} as f, ${b.to} as t`),
      sql` union all `,
    );
    const rows = db.all<{ studio_id: number; month: string; minutes: number }>(sql`
      with m as (${monthTable})
      select s.studio_id as studio_id, m.month as month, coalesce(sum(round((julianday(s.ends_at) - julianday(s.starts_at)) * 1440)), 0) as minutes
      from ${groupSessions} s join m on s.starts_at >= substr(m.f, 1, 19) and s.starts_at < substr(m.t, 1, 19) || '~'
        and julianday(s.starts_at) >= julianday(m.f) and julianday(s.starts_at) < julianday(m.t)
      where s.status != 'cancelled' and s.studio_id in (${sql.join(studioList.map((x) => sql`${x.id}`), sql`, `)})
      group by s.studio_id, m.month`);
    for (const r of rows) booked.set(`${r.studio_id}|${r.month}`, Number(r.minutes));
  }
  let totalBooked = 0;
  let totalOpen = 0;
  const out: ReportRow[] = [];
  for (const s of studioList) {
    let bookedMinutes = 0;
    let openMinutes = 0;
    for (const month of months) {
      const u = utilisation(s.openingHours, month, booked.get(`${s.id}|${month}`) ?? 0, Number(s.roomCount));
      bookedMinutes += u.bookedMinutes;
      openMinutes += u.availableMinutes;
    }
    if (!s.active && bookedMinutes === 0) continue;
    totalBooked += bookedMinutes;
    totalOpen += openMinutes;
    out.push({
      key: String(s.id),
      labelZh: s.nameZh,
      labelEn: s.nameEn,
      values: { districtZh: s.districtZh, districtEn: s.districtEn, bookedHours: bookedMinutes, openingHours: openMinutes, utilisation: percentage(bookedMinutes, openMinutes) },
    });
  }
  return {
    name: "studio-utilisation",
    params,
    rows: out,
    totals: { bookedHours: totalBooked, openingHours: totalOpen, utilisation: percentage(totalBooked, totalOpen) },
    notes: { months: `${months[0]} – ${months[months.length - 1]}` },
  };
}

/** SQL: the peer tutor (alias `peer_tutors`) is one the viewer may report on. */
function tutorScope(viewer: Viewer, scope: RowScope, params: ReportParams): SQL {
  const own = sql`(${peerTutors.personId} = ${viewer.personId} or exists (select 1 from ${cohortTrainers} ct where ct.cohort_id = ${peerTutors.cohortId} and ct.user_id = ${viewer.id}))`;
  const inScope =
    scope.kind === "all"
      ? sql`1 = 1`
      : scope.kind === "none"
        ? sql`0`
        : scope.kind === "own"
          ? own
          : scope.alsoOwn
            ? sql`(${districtCondition(scope, peerTutors.districtId)} or ${own})`
            : districtCondition(scope, peerTutors.districtId);
  return and(inScope, districtCondition({ kind: "all" }, peerTutors.districtId, params.districtIds))!;
}

/**
 * Peer tutors per cohort at D: certified (certificate issued on or before D), allowed to practise
 * on D (THE rule: mayPractise — active, certificate valid, not suspended or revoked), and the
 * distinct held sessions in the period that the cohort's tutors facilitated. One query for the
 * tutors (their facts as practiseFacts reads them), one grouped query for the sessions.
 */
export function peerTutorsReport(db: Reader, viewer: Viewer, params: ReportParams): ReportResult {
  const { timeZone } = getSettings(db as Db);
  const scope = reportScope(viewer);
  const where = tutorScope(viewer, scope, params);
  const tutors = db
    .select({
      cohortId: peerTutors.cohortId,
      cohortNumber: cohorts.number,
      status: peerTutors.status,
      certifiedOn: peerTutors.certifiedOn,
      mirrorExpiresOn: peerTutors.expiresOn,
      certificateId: certificates.id,
      issuedOn: certificates.issuedOn,
      expiresOn: certificates.expiresOn,
      suspendedAt: certificates.suspendedAt,
      revokedAt: certificates.revokedAt,
    })
    .from(peerTutors)
    .innerJoin(cohorts, eq(cohorts.id, peerTutors.cohortId))
    .leftJoin(certificates, and(eq(certificates.number, peerTutors.certificateNumber), eq(certificates.holderPersonId, peerTutors.personId)))
    .where(where)
    .all();
  const { start, end } = periodInstants(params, timeZone);
  const facilitated = db
    .select({ cohortId: peerTutors.cohortId, n: sql<number>`count(distinct ${groupSessions.id})` })
    .from(sessionFacilitators)
    .innerJoin(groupSessions, eq(groupSessions.id, sessionFacilitators.sessionId))
    .innerJoin(peerTutors, eq(peerTutors.personId, sessionFacilitators.personId))
    .where(and(where, eq(groupSessions.status, "held"), instantInSql(sql`${groupSessions.startsAt}`, start, end)))
    .groupBy(peerTutors.cohortId)
    .all();
  const sessionsBy = new Map(facilitated.map((f) => [f.cohortId, Number(f.n)]));
  const byCohort = new Map<number, { number: number; certified: number; mayPractise: number }>();
  for (const t of tutors) {
    // the facts exactly as practiseFacts assembles them (training/practise.server.ts)
    const facts: PractiseFacts = {
      tutorStatus: t.status,
      certificate:
        t.certificateId !== null
          ? { issuedOn: t.issuedOn!, expiresOn: t.expiresOn!, suspendedAt: t.suspendedAt, revokedAt: t.revokedAt }
          : { issuedOn: t.certifiedOn, expiresOn: t.mirrorExpiresOn, suspendedAt: null, revokedAt: null },
    };
    const c = byCohort.get(t.cohortId) ?? { number: t.cohortNumber, certified: 0, mayPractise: 0 };
    if (facts.certificate!.issuedOn <= params.asOf) c.certified += 1;
    if (mayPractise(facts, params.asOf)) c.mayPractise += 1;
    byCohort.set(t.cohortId, c);
  }
  const rows: ReportRow[] = [...byCohort.entries()]
    .sort(([, a], [, b]) => a.number - b.number)
    .filter(([id, c]) => c.certified > 0 || sessionsBy.has(id))
    .map(([id, c]) => ({
      key: String(id),
      labelZh: `第${c.number}期`,
      labelEn: `Cohort ${c.number}`,
      values: { certified: c.certified, mayPractise: c.mayPractise, sessionsFacilitated: sessionsBy.get(id) ?? 0 },
    }));
  const totals = { certified: 0, mayPractise: 0, sessionsFacilitated: 0 };
  for (const r of rows) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += Number(r.values[k]);
  // a session facilitated by tutors of two cohorts counts once in the total
  totals.sessionsFacilitated =
    db
      .select({ n: sql<number>`count(distinct ${groupSessions.id})` })
      .from(sessionFacilitators)
      .innerJoin(groupSessions, eq(groupSessions.id, sessionFacilitators.sessionId))
      .innerJoin(peerTutors, eq(peerTutors.personId, sessionFacilitators.personId))
      .where(and(where, eq(groupSessions.status, "held"), instantInSql(sql`${groupSessions.startsAt}`, start, end)))
      .get()?.n ?? 0;
  return { name: "peer-tutors", params, rows, totals, notes: {} };
}
