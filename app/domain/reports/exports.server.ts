/**
 * CSV exports of the coordinator's lists (the clients list, "who is falling behind"): the rows come
 * from the lists' own functions, page by page, so an export holds at most one page in memory and
 * shows exactly what the list shows; the export itself is recorded in the audit log (client data
 * leaves the system). Identity fields (real name, ID number, phone, address) are never exported:
 * the list functions do not read them.
 */
import type { Db } from "#db/client";
import { recordAudit, type Actor } from "~/domain/audit";
import type { Viewer } from "~/domain/clients/access.server";
import { listClients, type ClientListFilter, type ClientListRow } from "~/domain/clients/clients.server";
import { overdueByWorker, type CadenceRules, type WorkerLoadRow } from "~/domain/clients/worklists.server";
import { listTasks, type Task } from "~/domain/clients/tasks.server";
import { flaggedClients, type FlaggedClientRow } from "~/domain/clients/flags.server";
import { reassignQueue, type ReassignRow } from "~/domain/clients/caseload.server";
import { pendingPlans, type PendingPlanRow } from "~/domain/clients/plans.server";
import { recognitionWorklist, type RecognitionWorklistRow } from "~/domain/clients/recognition.server";
import { upcomingMilestones, type UpcomingMilestone } from "~/domain/clients/events.server";
import { listProjects, type ProjectListRow } from "~/domain/projects/projects.server";
import { listPendingApprovals, type ApprovalFilter, type ApprovalRow, type HoursViewer } from "~/domain/volunteering/hours.server";

const BATCH = 500;

/** The audit entity each exported list is recorded under. */
const LIST_ENTITY = { clients: "client_list", overdue_by_worker: "overdue_list", tasks: "task_list", crisis: "crisis_list", reassign: "reassign_list", pending_plans: "pending_plan_list", recognition: "recognition_list", milestones: "milestone_list" } as const;

export type ListExportEvent = { list: keyof typeof LIST_ENTITY; filters: Record<string, string>; rows: number };

/** Records that a list was exported (who, which list, which filters, how many rows). */
export function recordListExport(db: Db, actor: Actor, event: ListExportEvent): void {
  db.transaction((tx) => {
    recordAudit(tx, actor, { action: "export", entity: LIST_ENTITY[event.list], details: { filters: event.filters, rows: event.rows, format: "csv" } });
  });
}

type ClientFilter = ClientListFilter;

/** How many rows the clients list has for these filters (what the export will hold). */
export function countClientList(db: Db, viewer: Viewer, filter: ClientFilter, rules: CadenceRules): number {
  return listClients(db, viewer, filter, { page: 1, limit: 1, offset: 0 }, rules).total;
}

/** Every row of the clients list for these filters, in the list's order, a page at a time. */
export function* iterateClientList(db: Db, viewer: Viewer, filter: ClientFilter, rules: CadenceRules): Generator<ClientListRow> {
  for (let offset = 0; ; offset += BATCH) {
    const { rows } = listClients(db, viewer, filter, { page: offset / BATCH + 1, limit: BATCH, offset }, rules);
    yield* rows;
    if (rows.length < BATCH) return;
  }
}

/** Every row of "who is falling behind" for the district asked for (or all the viewer oversees), a page at a time. */
export function* iterateOverdueByWorker(db: Db, viewer: Viewer, rules: CadenceRules, filter: { districtId?: number }): Generator<WorkerLoadRow> {
  for (let offset = 0; ; offset += BATCH) {
    const { rows } = overdueByWorker(db, viewer, rules, filter, { limit: BATCH, offset });
    yield* rows;
    if (rows.length < BATCH) return;
  }
}

export function countOverdueByWorker(db: Db, viewer: Viewer, rules: CadenceRules, filter: { districtId?: number }): number {
  return overdueByWorker(db, viewer, rules, filter, { limit: 1, offset: 0 }).total;
}

/** Every task of the viewer's task list as of a date, in the list's order, a page at a time. */
export function* iterateTasks(db: Db, viewer: Viewer, asOf: string): Generator<Task> {
  for (let offset = 0; ; offset += BATCH) {
    const { items } = listTasks(db, viewer, asOf, { limit: BATCH, offset });
    yield* items;
    if (items.length < BATCH) return;
  }
}

export function countTasks(db: Db, viewer: Viewer, asOf: string): number {
  return listTasks(db, viewer, asOf, { limit: 1, offset: 0 }).total;
}

/** Every client of the crisis-and-risk list the viewer may see, in the list's order, a page at a time. */
export function* iterateFlaggedClients(db: Db, viewer: Viewer): Generator<FlaggedClientRow> {
  for (let offset = 0; ; offset += BATCH) {
    const { rows } = flaggedClients(db, viewer, { limit: BATCH, offset });
    yield* rows;
    if (rows.length < BATCH) return;
  }
}

export function countFlaggedClients(db: Db, viewer: Viewer): number {
  return flaggedClients(db, viewer, { limit: 1, offset: 0 }).total;
}

type Batch = { page: number; limit: number; offset: number };

/** Every row a paged list function returns, page after page of BATCH rows, in the list's order. */
function* allPages<T>(fetch: (page: Batch) => { rows: T[] }): Generator<T> {
  for (let offset = 0; ; offset += BATCH) {
    const { rows } = fetch({ page: offset / BATCH + 1, limit: BATCH, offset });
    yield* rows;
    if (rows.length < BATCH) return;
  }
}

const ONE: Batch = { page: 1, limit: 1, offset: 0 };

/** The reassignment queue (/caseloads/reassign) as of a date, every row, a page at a time. */
export function iterateReassignQueue(db: Db, viewer: Viewer, asOf: string): Generator<ReassignRow> {
  return allPages((page) => reassignQueue(db, viewer, asOf, page));
}

export function countReassignQueue(db: Db, viewer: Viewer, asOf: string): number {
  return reassignQueue(db, viewer, asOf, ONE).total;
}

/** Plans waiting for approval (/plans/pending), optionally one district, every row, a page at a time. */
export function iteratePendingPlans(db: Db, viewer: Viewer, districtId: number | null): Generator<PendingPlanRow> {
  return allPages((page) => pendingPlans(db, viewer, { districtId, page }));
}

export function countPendingPlans(db: Db, viewer: Viewer, districtId: number | null): number {
  return pendingPlans(db, viewer, { districtId, page: ONE }).total;
}

/** The three-year recognition worklist (/recognition) as of a date, optionally one district, a page at a time. */
export function iterateRecognitionWorklist(db: Db, viewer: Viewer, asOf: string, districtId: number | null): Generator<RecognitionWorklistRow> {
  return allPages((page) => recognitionWorklist(db, viewer, { asOf, districtId, page }));
}

export function countRecognitionWorklist(db: Db, viewer: Viewer, asOf: string, districtId: number | null): number {
  return recognitionWorklist(db, viewer, { asOf, districtId, page: ONE }).total;
}

/** Upcoming milestones (/milestones) in the next `withinDays`, optionally one district, a page at a time. */
export function iterateUpcomingMilestones(db: Db, viewer: Viewer, today: string, withinDays: number, districtId: number | null): Generator<UpcomingMilestone> {
  return allPages((page) => upcomingMilestones(db, viewer, { today, withinDays, districtId, page }));
}

export function countUpcomingMilestones(db: Db, viewer: Viewer, today: string, withinDays: number, districtId: number | null): number {
  return upcomingMilestones(db, viewer, { today, withinDays, districtId, page: ONE }).total;
}

/** Hours waiting for approval (/hours/approvals) with the list's filters, oldest day first, a page at a time. */
export function iteratePendingApprovals(db: Db, viewer: HoursViewer, filter: ApprovalFilter): Generator<ApprovalRow> {
  return allPages((page) => listPendingApprovals(db, viewer, filter, page));
}

/** Funded projects (/projects) the viewer may read, with the list's status filter, newest first, a page at a time. */
export function iterateProjects(db: Db, viewer: Viewer, status: "active" | "closed" | null): Generator<ProjectListRow> {
  return allPages((page) => listProjects(db, viewer, { status }, page));
}
