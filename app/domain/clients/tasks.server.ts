/**
 * A worker's tasks (/tasks): the next pieces of work, as one list of typed items, scoped to the
 * viewer and paged in SQL. Each kind of task is a "source": a SELECT over `clients` producing the
 * common columns (kind, client_id, alias, due_on, crisis, ref_date), all combined with UNION ALL
 * and ordered crisis first, then by due date.
 *
 * To add a kind: write its source next to its rule (like barc10DueSource), add it to `sources`
 * below, add its variant to `Task` and its case to `toTask`.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import type { Viewer } from "./access.server";
import { barc10DueSource } from "./barc10.server";
import { daysBetween, parseDate } from "./dates";

export const TASK_KINDS = ["barc10Due"] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

type TaskBase = {
  kind: TaskKind;
  clientId: number;
  alias: string;
  /** YYYY-MM-DD the work is due */
  dueOn: string;
  /** days past due (0: due today; negative: still ahead) */
  daysOverdue: number;
  /** the client has an open crisis flag */
  crisis: boolean;
};

/** A BARC-10 to take (never assessed: due since intake). */
export type Barc10DueTask = TaskBase & { kind: "barc10Due"; lastTakenOn: string | null };

export type Task = Barc10DueTask;

type Row = { kind: string; client_id: number; alias: string; due_on: string; crisis: number; ref_date: string | null };

function sources(viewer: Viewer, asOf: string): SQL[] {
  return [barc10DueSource(viewer, asOf)];
}

function toTask(r: Row, asOf: string): Task | null {
  const base = { clientId: r.client_id, alias: r.alias, dueOn: r.due_on, daysOverdue: daysBetween(r.due_on, asOf), crisis: Boolean(r.crisis) };
  switch (r.kind) {
    case "barc10Due":
      return { ...base, kind: "barc10Due", lastTakenOn: r.ref_date };
    default:
      return null;
  }
}

/** The viewer's tasks as of a date (in the program's time zone): crisis clients first, then the most overdue. */
export function listTasks(db: Db, viewer: Viewer, asOf: string, page: { limit: number; offset: number }): { items: Task[]; total: number } {
  parseDate(asOf);
  const union = sql.join(
    sources(viewer, asOf).map((s) => sql`select * from (${s})`),
    sql` union all `,
  );
  const rows = db.all<Row>(sql`select * from (${union}) order by crisis desc, due_on, kind, client_id limit ${page.limit} offset ${page.offset}`);
  const total = db.get<{ n: number }>(sql`select count(*) as n from (${union})`)?.n ?? 0;
  return { items: rows.map((r) => toTask(r, asOf)).filter((t): t is Task => t !== null), total };
}
