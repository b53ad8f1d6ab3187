/**
 * BARC-10 recovery-capital questionnaire: at intake, then every BARC10_INTERVAL_MONTHS months.
 * Scored by `scoreBarc10` and scheduled by `nextBarc10Due` (outcomes.ts, the one definition of
 * each rule); the due-list query mirrors nextBarc10Due in SQL (`addMonthsSql`, tested against it).
 *
 * Who may record (issue "Clients and caseloads" item 10, decided here): the client's current
 * social worker and current peer tutor — peer tutors often take the questionnaire in the field.
 * Recording needs a current consent covering the day it was taken.
 */
import { desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { barc10Assessments, clients, persons, users } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { msg } from "~/domain/shared/fields";
import { clientScope, type ClientAccess, type Viewer } from "./access.server";
import { requireCurrentConsent } from "./assignments.server";
import { addDays, daysBetween, parseDate } from "./dates";
import { openCrisisSql } from "./flags.server";
import { nextBarc10Due, scoreBarc10 } from "./outcomes";

/** The schedule: every three months after the last assessment (DESIGN default; one place). */
export const BARC10_INTERVAL_MONTHS = 3;
/** An assessment shows in the tasks this many days before it falls due. */
export const BARC10_DUE_WINDOW_DAYS = 14;

/** May the viewer record a BARC-10 for this client: its current social worker or peer tutor (create:recoveryAssessment). */
export function mayRecordBarc10(access: ClientAccess): boolean {
  return access.can.recordAssessment;
}

export type RecordBarc10Input = {
  clientId: number;
  /** YYYY-MM-DD */
  takenOn: string;
  answers: readonly unknown[];
  /** today in the program's time zone: an assessment cannot be dated in the future */
  today: string;
};

/**
 * Stores one BARC-10 with its total, audited as "record_barc10" on the client, in one
 * transaction. Refused (DomainError) for a bad date, a date before intake or after today,
 * answers that do not score (ten whole numbers of 1–6), a closed case or no current consent.
 */
export function recordBarc10(db: Db, actor: Actor, input: RecordBarc10Input): { id: number; total: number; nextDue: string } {
  if (actor.userId === null) throw new DomainError("form.badRequest");
  const recordedBy = actor.userId;
  try {
    parseDate(input.takenOn);
  } catch {
    throw new DomainError("form.invalidDate", "takenOn");
  }
  if (input.takenOn > input.today) throw new DomainError("wellbeing.barc10.future", "takenOn");
  const score = scoreBarc10(input.answers);
  if (!score.ok) throw new DomainError(score.key.replace(/^clients\.barc10\./, "wellbeing.barc10."), score.field);
  const answers = input.answers as number[];
  return db.transaction((tx) => {
    const client = tx
      .select({ id: clients.id, status: clients.status, intakeDate: clients.intakeDate })
      .from(clients)
      .where(eq(clients.id, input.clientId))
      .get();
    if (!client) throw new DomainError("form.unknownId", "clientId");
    if (client.status === "closed") throw new DomainError("wellbeing.barc10.closedCase");
    if (input.takenOn < client.intakeDate) throw new DomainError(msg("wellbeing.barc10.beforeIntake", { date: client.intakeDate }), "takenOn");
    try {
      requireCurrentConsent(tx, input.clientId, input.takenOn);
    } catch (e) {
      if (e instanceof DomainError) throw new DomainError("wellbeing.noConsent", "takenOn");
      throw e;
    }
    const id = tx
      .insert(barc10Assessments)
      .values({ clientId: input.clientId, takenOn: input.takenOn, answers: [...answers], total: score.total, recordedBy })
      .returning({ id: barc10Assessments.id })
      .get().id;
    recordAudit(tx, actor, {
      action: "record_barc10",
      entity: "client",
      entityId: input.clientId,
      details: { assessmentId: id, takenOn: input.takenOn, total: score.total },
    });
    return { id, total: score.total, nextDue: nextBarc10Due(input.takenOn, BARC10_INTERVAL_MONTHS) };
  });
}

export type Barc10Row = { id: number; takenOn: string; total: number; answers: number[]; recordedBy: string | null };

/** A client's assessments, newest first (at most `limit`: a quarterly questionnaire stays short). */
export function listBarc10(db: Db, clientId: number, limit = 40): Barc10Row[] {
  return db
    .select({
      id: barc10Assessments.id,
      takenOn: barc10Assessments.takenOn,
      total: barc10Assessments.total,
      answers: barc10Assessments.answers,
      recordedBy: sql<string | null>`(select p.display_name from ${users} u join ${persons} p on p.id = u.person_id where u.id = ${barc10Assessments.recordedBy})`,
    })
    .from(barc10Assessments)
    .where(eq(barc10Assessments.clientId, clientId))
    .orderBy(desc(barc10Assessments.takenOn), desc(barc10Assessments.id))
    .limit(limit)
    .all();
}

/**
 * When the client's next BARC-10 is due: nextBarc10Due after the latest one; never assessed, it
 * has been due since intake.
 */
export function barc10Schedule(
  db: Db,
  client: { id: number; intakeDate: string },
  asOf: string,
): { lastTakenOn: string | null; nextDue: string; daysUntilDue: number } {
  const last = db
    .select({ takenOn: sql<string | null>`max(${barc10Assessments.takenOn})` })
    .from(barc10Assessments)
    .where(eq(barc10Assessments.clientId, client.id))
    .get()?.takenOn ?? null;
  const nextDue = last ? nextBarc10Due(last, BARC10_INTERVAL_MONTHS) : client.intakeDate;
  return { lastTakenOn: last, nextDue, daysUntilDue: daysBetween(asOf, nextDue) };
}

/**
 * SQL for `addMonths(date, months)` of dates.ts: calendar months, a day missing in the target
 * month becomes its last day (30 November + 3 months = 28 February). Plain date(x, '+3 months')
 * would roll over into March instead.
 */
export function addMonthsSql(dateExpr: SQL, months: number): SQL<string> {
  if (!Number.isInteger(months)) throw new RangeError(`bad months: ${months}`);
  const plus = `${months >= 0 ? "+" : ""}${months} months`;
  const plusNext = `${months + 1 >= 0 ? "+" : ""}${months + 1} months`;
  return sql<string>`min(date(${dateExpr}, 'start of month', ${plus}, '+' || (cast(strftime('%d', ${dateExpr}) as integer) - 1) || ' days'), date(${dateExpr}, 'start of month', ${plusNext}, '-1 day'))`;
}

/**
 * A task source (see tasks.server.ts): active clients in the viewer's scope whose next BARC-10 is
 * due within BARC10_DUE_WINDOW_DAYS days of `asOf` or overdue. Columns: the common task shape
 * (kind, client_id, alias, due_on, crisis, ref_date = the last assessment or null).
 */
export function barc10DueSource(viewer: Viewer, asOf: string): SQL {
  parseDate(asOf);
  const horizon = addDays(asOf, BARC10_DUE_WINDOW_DAYS);
  const last = sql`(select max(${barc10Assessments.takenOn}) from ${barc10Assessments} where ${barc10Assessments.clientId} = ${clients.id})`;
  const due = sql`coalesce(${addMonthsSql(last, BARC10_INTERVAL_MONTHS)}, ${clients.intakeDate})`;
  return sql`select 'barc10Due' as kind, ${clients.id} as client_id, ${clients.alias} as alias, ${due} as due_on, ${openCrisisSql()} as crisis, ${last} as ref_date
    from ${clients}
    where ${clients.status} = 'active' and ${clientScope(viewer, "read:caseRecord")} and ${due} <= ${horizon}`;
}

export type Barc10DueItem = {
  clientId: number;
  alias: string;
  dueOn: string;
  /** days past the due date (0 when due today, negative when still ahead) */
  daysOverdue: number;
  lastTakenOn: string | null;
  crisis: boolean;
};

type SourceRow = { kind: string; client_id: number; alias: string; due_on: string; crisis: number; ref_date: string | null };

/**
 * Clients in the viewer's scope whose BARC-10 is due within 14 days or overdue (never assessed:
 * due since intake), crisis first, then the longest overdue. Paged in SQL.
 */
export function barc10Due(
  db: Db,
  viewer: Viewer,
  asOf: string,
  page: { limit: number; offset: number } = { limit: 25, offset: 0 },
): { items: Barc10DueItem[]; total: number } {
  const source = barc10DueSource(viewer, asOf);
  const rows = db.all<SourceRow>(sql`select * from (${source}) order by crisis desc, due_on, client_id limit ${page.limit} offset ${page.offset}`);
  const total = db.get<{ n: number }>(sql`select count(*) as n from (${source})`)?.n ?? 0;
  return {
    items: rows.map((r) => ({
      clientId: r.client_id,
      alias: r.alias,
      dueOn: r.due_on,
      daysOverdue: daysBetween(r.due_on, asOf),
      lastTakenOn: r.ref_date,
      crisis: Boolean(r.crisis),
    })),
    total,
  };
}
