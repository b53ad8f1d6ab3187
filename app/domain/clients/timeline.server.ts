/**
 * One client's history as a single timeline, newest first (issue "Clients and caseloads" item 12).
 *
 * Every recorded fact is one arm of a UNION ALL with a common shape
 *   (at, day, kind, id, who, label, detail, value, private)
 * ordered by `at` descending and paged with LIMIT/OFFSET in SQL. `at` is a UTC instant; facts that
 * have a date but no time (substance events, BARC-10, consent agreed, assignments) sit at the
 * start of their day in the program's time zone, and carry the date itself in `day`.
 *
 * Abstinence milestones are not stored: they are computed (outcomes.ts `milestones`) for the date
 * window the page covers, so each appears on exactly one page. Page sizes may therefore vary by
 * the milestones that fall inside them; `total` counts the stored facts.
 *
 * Visibility: the page needs read access to case records; contacts appear only for those who may
 * read contacts, and another author's private note never appears unless the viewer is the
 * client's social worker (contactVisibility, inside the query).
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import {
  attendance,
  barc10Assessments,
  clientAssignments,
  clientFlags,
  consents,
  contacts,
  groupSessions,
  persons,
  servicePlans,
  substanceEvents,
  users,
} from "#db/schema";
import { zoneOffsetMinutesOnDate } from "~/i18n/format";
import { contactVisibility, type ClientAccess, type Viewer } from "./access.server";
import { addDays, parseDate } from "./dates";
import { abstinentSince, CLOCK_RESTARTING_KINDS, milestones, type SubstanceEventFact } from "./outcomes";

export const TIMELINE_KINDS = [
  "contact",
  "plan_submitted",
  "plan_decided",
  "substance_event",
  "milestone",
  "barc10",
  "flag_raised",
  "flag_resolved",
  "consent_recorded",
  "consent_withdrawn",
  "assignment_started",
  "assignment_ended",
  "session_attended",
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export type TimelineItem = {
  /** UTC instant: the sort key */
  at: string;
  /** YYYY-MM-DD for facts with a date but no time; null for instants */
  day: string | null;
  kind: TimelineKind;
  /** the row's id in its own table (0 for a computed milestone) */
  id: number;
  /** who did it (for assignments: the worker assigned) */
  who: string | null;
  /** a code the page translates: contact type, event kind, flag kind, plan status, assignment kind, milestone key */
  label: string | null;
  /** free text: contact summary, event note, flag reason or resolution note, plan note */
  detail: string | null;
  /** a number: contact minutes, BARC-10 total */
  value: number | null;
  /** a private contact note (shown only to its author and the social worker) */
  private: boolean;
};

type Row = Omit<TimelineItem, "private" | "kind"> & { kind: string; private: number | null };

const nameOfUser = (userId: SQL | unknown) =>
  sql`(select p.display_name from ${users} u join ${persons} p on p.id = u.person_id where u.id = ${userId})`;
const nameOfPerson = (personId: unknown) => sql`(select p.display_name from ${persons} p where p.id = ${personId})`;

/** The instant a local date begins, as SQL over a date column, in the same text form as toISOString(). */
function dayStartSql(column: unknown, offset: number): SQL {
  return sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, ${`${-offset} minutes`})`;
}

function dayStart(date: string, offset: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - offset * 60_000).toISOString();
}

/**
 * SESSION ATTENDANCE: the place for the client's group-session attendance once sessions exist.
 * Return an arm of the common shape, e.g.
 *   select a.checked_in_at as at, null as day, 'session_attended' as kind, a.id as id, …
 *   from attendance a join group_sessions s … where a.client_id = ${clientId}
 * and add "session_attended" to TIMELINE_KINDS. Until then: no arm.
 */
function sessionAttendanceArm(clientId: number, _offset: number): SQL | null {
  // at: the self check-in time, else the session's start; label: present|late|absent|excused; detail: the session's topic
  return sql`select coalesce(${attendance.checkedInAt}, ${groupSessions.startsAt}) as at, null as day, 'session_attended' as kind, ${attendance.id} as id,
      ${nameOfUser(attendance.recordedByUserId)} as who, ${attendance.status} as label, ${groupSessions.topic} as detail, null as value, 0 as private
      from ${attendance} join ${groupSessions} on ${groupSessions.id} = ${attendance.sessionId} where ${attendance.clientId} = ${clientId}`;
}

function arms(access: ClientAccess, viewer: Viewer, offset: number): SQL[] {
  const clientId = access.client.id;
  const out: SQL[] = [];
  if (access.can.readContacts) {
    out.push(sql`select ${contacts.happenedAt} as at, null as day, 'contact' as kind, ${contacts.id} as id,
      ${nameOfUser(contacts.authorUserId)} as who, ${contacts.type} as label, ${contacts.summary} as detail,
      ${contacts.durationMinutes} as value, ${contacts.private} as private
      from ${contacts} where ${contacts.clientId} = ${clientId} and ${contactVisibility(access, viewer, contacts)}`);
  }
  out.push(
    sql`select ${servicePlans.submittedAt} as at, null as day, 'plan_submitted' as kind, ${servicePlans.id} as id,
      ${nameOfUser(servicePlans.authorUserId)} as who, ${servicePlans.status} as label, ${servicePlans.note} as detail, null as value, 0 as private
      from ${servicePlans} where ${servicePlans.clientId} = ${clientId} and ${servicePlans.submittedAt} is not null`,
    sql`select ${servicePlans.decidedAt} as at, null as day, 'plan_decided' as kind, ${servicePlans.id} as id,
      ${nameOfUser(servicePlans.decidedByUserId)} as who, ${servicePlans.status} as label, ${servicePlans.decisionNote} as detail, null as value, 0 as private
      from ${servicePlans} where ${servicePlans.clientId} = ${clientId} and ${servicePlans.decidedAt} is not null`,
    sql`select ${dayStartSql(substanceEvents.date, offset)} as at, ${substanceEvents.date} as day, 'substance_event' as kind, ${substanceEvents.id} as id,
      ${nameOfUser(substanceEvents.recordedBy)} as who, ${substanceEvents.kind} as label, ${substanceEvents.note} as detail, null as value, 0 as private
      from ${substanceEvents} where ${substanceEvents.clientId} = ${clientId}`,
    sql`select ${dayStartSql(barc10Assessments.takenOn, offset)} as at, ${barc10Assessments.takenOn} as day, 'barc10' as kind, ${barc10Assessments.id} as id,
      ${nameOfUser(barc10Assessments.recordedBy)} as who, null as label, null as detail, ${barc10Assessments.total} as value, 0 as private
      from ${barc10Assessments} where ${barc10Assessments.clientId} = ${clientId}`,
    sql`select ${clientFlags.raisedAt} as at, null as day, 'flag_raised' as kind, ${clientFlags.id} as id,
      ${nameOfUser(clientFlags.raisedByUserId)} as who, ${clientFlags.kind} as label, ${clientFlags.reason} as detail, null as value, 0 as private
      from ${clientFlags} where ${clientFlags.clientId} = ${clientId}`,
    sql`select ${clientFlags.resolvedAt} as at, null as day, 'flag_resolved' as kind, ${clientFlags.id} as id,
      ${nameOfUser(clientFlags.resolvedByUserId)} as who, ${clientFlags.kind} as label, ${clientFlags.resolutionNote} as detail, null as value, 0 as private
      from ${clientFlags} where ${clientFlags.clientId} = ${clientId} and ${clientFlags.resolvedAt} is not null`,
    sql`select ${dayStartSql(consents.agreedOn, offset)} as at, ${consents.agreedOn} as day, 'consent_recorded' as kind, ${consents.id} as id,
      ${nameOfUser(consents.recordedBy)} as who, null as label, null as detail, null as value, 0 as private
      from ${consents} where ${consents.clientId} = ${clientId}`,
    sql`select ${consents.withdrawnAt} as at, null as day, 'consent_withdrawn' as kind, ${consents.id} as id,
      null as who, null as label, null as detail, null as value, 0 as private
      from ${consents} where ${consents.clientId} = ${clientId} and ${consents.withdrawnAt} is not null`,
    sql`select ${dayStartSql(clientAssignments.fromDate, offset)} as at, ${clientAssignments.fromDate} as day, 'assignment_started' as kind, ${clientAssignments.id} as id,
      ${nameOfPerson(clientAssignments.personId)} as who, ${clientAssignments.kind} as label, null as detail, null as value, 0 as private
      from ${clientAssignments} where ${clientAssignments.clientId} = ${clientId}`,
    sql`select ${dayStartSql(clientAssignments.toDate, offset)} as at, ${clientAssignments.toDate} as day, 'assignment_ended' as kind, ${clientAssignments.id} as id,
      ${nameOfPerson(clientAssignments.personId)} as who, ${clientAssignments.kind} as label, null as detail, null as value, 0 as private
      from ${clientAssignments} where ${clientAssignments.clientId} = ${clientId} and ${clientAssignments.toDate} is not null`,
  );
  const attendance = sessionAttendanceArm(clientId, offset);
  if (attendance) out.push(attendance);
  return out;
}

/**
 * Abstinence milestones reached between intake and `until` (inclusive), across every run of
 * abstinence: each clock-restarting event begins a new run, and a run's milestones stop the day
 * before the next restart. Milestones dated before intake are left out.
 */
export function milestonesReached(intakeDate: string, events: readonly SubstanceEventFact[], until: string): { key: string; date: string }[] {
  const restarts = [...new Set(events.filter((e) => CLOCK_RESTARTING_KINDS.includes(e.kind) && e.date <= until).map((e) => e.date))].sort();
  // the abstinent-since dates that ever held: the one at intake, then each restart after it
  const starts = [abstinentSince(intakeDate, events, intakeDate), ...restarts.filter((d) => d > intakeDate)];
  const out: { key: string; date: string }[] = [];
  starts.forEach((start, i) => {
    const next = starts[i + 1];
    const end = next ? addDays(next, -1) : until;
    if (end < start) return;
    for (const m of milestones(start, end).reached) if (m.date >= intakeDate) out.push(m);
  });
  return out;
}

export type TimelineOptions = {
  /** today, YYYY-MM-DD in the program's time zone */
  asOf: string;
  timeZone: string;
  page: { limit: number; offset: number };
};

const byNewest = (a: { at: string; kind: string; id: number }, b: { at: string; kind: string; id: number }) =>
  a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.kind !== b.kind ? (a.kind < b.kind ? 1 : -1) : b.id - a.id;

/** One page of the client's timeline, newest first. Call only after the access check (readCaseRecords). */
export function clientTimeline(db: Db, viewer: Viewer, access: ClientAccess, options: TimelineOptions): { items: TimelineItem[]; total: number } {
  parseDate(options.asOf);
  const offset = zoneOffsetMinutesOnDate(options.asOf, options.timeZone);
  const union = sql.join(
    arms(access, viewer, offset).map((a) => sql`select * from (${a})`),
    sql` union all `,
  );
  const order = sql`order by at desc, kind desc, id desc`;
  const { limit, offset: skip } = options.page;
  const rows = db.all<Row>(sql`select * from (${union}) ${order} limit ${limit} offset ${skip}`);
  const total = db.get<{ n: number }>(sql`select count(*) as n from (${union})`)?.n ?? 0;

  // the page's window: after the previous page's last fact, down to this page's last one
  const upper = skip > 0 ? (db.get<{ at: string }>(sql`select at from (${union}) ${order} limit 1 offset ${skip - 1}`)?.at ?? null) : null;
  const isLastPage = skip + rows.length >= total;
  const lower = isLastPage ? null : (rows[rows.length - 1]?.at ?? null);

  const client = access.client;
  const until = client.status === "closed" && client.closedOn && client.closedOn < options.asOf ? client.closedOn : options.asOf;
  const events = db
    .select({ date: substanceEvents.date, kind: substanceEvents.kind })
    .from(substanceEvents)
    .where(eq(substanceEvents.clientId, client.id))
    .all();
  // a page past the end has no window at all
  const pastTheEnd = skip > 0 && rows.length === 0;
  const reached: TimelineItem[] = !pastTheEnd && client.intakeDate <= until
    ? milestonesReached(client.intakeDate, events, until)
        .map((m) => ({ at: dayStart(m.date, offset), day: m.date, kind: "milestone" as const, id: 0, who: null, label: m.key, detail: null, value: null, private: false }))
        .filter((m) => (upper === null || m.at <= upper) && (lower === null || m.at > lower))
    : [];

  const items: TimelineItem[] = [
    ...rows.map((r) => ({ ...r, kind: r.kind as TimelineKind, private: Boolean(r.private) })),
    ...reached,
  ].sort(byNewest);
  return { items, total };
}
