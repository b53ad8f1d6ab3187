/**
 * Caseloads: who may be given a client, assigning from a form, and the reassignment queue of
 * clients whose worker can no longer hold them. The one-current-worker rule itself lives in
 * assignWorker (assignments.server.ts); this module chooses and checks the people.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { clientAssignments, clients, districts, peerTutors, persons, users, type AssignmentKind } from "#db/schema";
import type { Actor } from "~/domain/audit";
import { recordAudit } from "~/domain/audit";
import { DomainError, isDomainError } from "~/domain/shared/errors";
import { choice, id, isoDate } from "~/domain/shared/fields";
import type { Page } from "~/domain/shared/paging";
import type { ClientAccess, Viewer } from "./access.server";
import { clientScope } from "./access.server";
import { assignWorker, currentAssignment } from "./assignments.server";
import { activeSocialWorkerSql } from "~/domain/people/staff.server";

type Reader = Pick<Db, "select">;

export type WorkerChoice = { personId: number; name: string; districtId: number | null };

/** SQL: the person is an active, unexpired (on `onDate`) peer tutor whose login, if any, is not disabled. */
function activePeerTutorSql(personExpr: SQL, onDate: string): SQL {
  return sql`(exists (select 1 from ${peerTutors} pt where pt.person_id = ${personExpr} and pt.status = 'active' and pt.expires_on >= ${onDate})
    and not exists (select 1 from ${users} du where du.person_id = ${personExpr} and du.active = 0))`;
}

/**
 * Who may become a client's social worker in a district: active social workers with a staff
 * profile there or the role granted for it, whose login is not disabled. Sorted by name.
 */
export function socialWorkerChoices(db: Reader, districtId: number): WorkerChoice[] {
  return db
    .select({ personId: persons.id, name: persons.displayName, districtId: sql<number | null>`${districtId}` })
    .from(persons)
    .where(activeSocialWorkerSql(sql`${persons.id}`, districtId))
    .orderBy(persons.displayName, persons.id)
    .all();
}

/**
 * Who may become a client's peer tutor: active certified peer tutors, certificate unexpired on
 * `onDate`, login not disabled. Tutors of `districtId` (the client's district) come first.
 */
export function peerTutorChoices(db: Reader, onDate: string, districtId?: number): WorkerChoice[] {
  return db
    .select({ personId: persons.id, name: persons.displayName, districtId: peerTutors.districtId })
    .from(peerTutors)
    .innerJoin(persons, eq(persons.id, peerTutors.personId))
    .where(activePeerTutorSql(sql`${persons.id}`, onDate))
    .orderBy(sql`${peerTutors.districtId} = ${districtId ?? 0} desc`, persons.displayName, persons.id)
    .all();
}

export const AssignSchema = z.object({
  kind: choice(["social_worker", "peer_tutor"] as const),
  personId: z.string({ error: "form.required" }).trim().min(1, { error: "form.required" }).pipe(id),
  fromDate: isoDate,
});
export type AssignInput = { kind: AssignmentKind; personId: number; fromDate: string };

/**
 * A coordinator's or admin's assignment from the form: the person must be among the choices
 * (a social worker of the client's district; an active certified peer tutor, which assignWorker
 * checks again), the start date neither in the future nor before intake. Audited by assignWorker.
 */
export function assignFromForm(db: Db, actor: Actor, access: ClientAccess, input: AssignInput, today: string): number {
  if (!access.can.assign) throw new DomainError("clients.assign.notAllowed");
  const client = access.client;
  if (input.fromDate > today) throw new DomainError("clients.dateInFuture", "fromDate");
  if (input.fromDate < client.intakeDate) throw new DomainError("clients.assign.beforeIntake", "fromDate");
  if (input.kind === "social_worker" && !socialWorkerChoices(db, client.districtId).some((c) => c.personId === input.personId)) {
    throw new DomainError("clients.assign.notSocialWorker", "personId");
  }
  try {
    return assignWorker(db, actor, { clientId: client.id, ...input });
  } catch (e) {
    if (isDomainError(e) && e.field === "clientId") throw new DomainError(e.key);
    throw e;
  }
}

/**
 * Ends the client's current peer-tutor support on `toDate` without a successor (a client need not
 * have a peer tutor; a social worker is only ever replaced, never removed). Audited.
 */
export function endPeerTutor(db: Db, actor: Actor, access: ClientAccess, toDate: string, today: string): void {
  if (!access.can.assign) throw new DomainError("clients.assign.notAllowed");
  if (toDate > today) throw new DomainError("clients.dateInFuture", "toDate");
  db.transaction((tx) => {
    const current = currentAssignment(tx, access.client.id, "peer_tutor");
    if (!current) throw new DomainError("clients.assign.noPeerTutor");
    if (toDate < current.fromDate) throw new DomainError("clients.assign.beforeCurrent", "toDate");
    tx.update(clientAssignments)
      .set({ toDate, updatedAt: new Date().toISOString() })
      .where(eq(clientAssignments.id, current.id))
      .run();
    recordAudit(tx, actor, {
      action: "end_assignment",
      entity: "client",
      entityId: access.client.id,
      details: { assignmentId: current.id, kind: "peer_tutor", personId: current.personId, toDate },
    });
  });
}

export type AssignmentHistoryRow = {
  id: number;
  kind: AssignmentKind;
  personId: number;
  name: string;
  fromDate: string;
  toDate: string | null;
  assignedByLogin: string | null;
};

/** The client's team, current and past, newest first. */
export function assignmentHistory(db: Reader, clientId: number): AssignmentHistoryRow[] {
  return db
    .select({
      id: clientAssignments.id,
      kind: clientAssignments.kind,
      personId: clientAssignments.personId,
      name: persons.displayName,
      fromDate: clientAssignments.fromDate,
      toDate: clientAssignments.toDate,
      assignedByLogin: users.login,
    })
    .from(clientAssignments)
    .innerJoin(persons, eq(persons.id, clientAssignments.personId))
    .leftJoin(users, eq(users.id, clientAssignments.assignedBy))
    .where(eq(clientAssignments.clientId, clientId))
    .orderBy(sql`${clientAssignments.toDate} is not null`, sql`${clientAssignments.fromDate} desc`, sql`${clientAssignments.id} desc`)
    .all();
}

export const REASSIGN_REASONS = ["no_social_worker", "login_disabled", "not_social_worker", "not_active_peer_tutor"] as const;
export type ReassignReason = (typeof REASSIGN_REASONS)[number];

export type ReassignRow = {
  clientId: number;
  alias: string;
  caseNumber: string;
  districtZh: string;
  districtEn: string;
  kind: AssignmentKind;
  workerName: string | null;
  reason: ReassignReason;
};

/**
 * The reassignment queue: open (not closed) clients the viewer may assign (assign:caseload scope,
 * inside the query) that have no current social worker, or whose current social worker or peer
 * tutor can no longer hold them (login disabled; no longer an active social worker; no longer an
 * active, unexpired peer tutor on `asOf`). One row per client and kind; paged in SQL.
 */
export function reassignQueue(db: Db, viewer: Viewer, asOf: string, page: Page): { rows: ReassignRow[]; total: number } {
  const scope = clientScope(viewer, "assign:caseload");
  const loginDisabled = sql`exists (select 1 from ${users} lu where lu.person_id = a.person_id and lu.active = 0)`;
  // the scope goes inside both halves, so a coordinator's queue reads their districts' clients, not the city's
  const problems = sql`
    select ${clients.id} as client_id, 'social_worker' as kind, null as person_id, 'no_social_worker' as reason
      from ${clients}
      where ${clients.status} <> 'closed' and ${scope}
        and not exists (select 1 from ${clientAssignments} x where x.client_id = ${clients.id} and x.kind = 'social_worker' and x.to_date is null)
    union all
    select a.client_id, a.kind, a.person_id,
        case when ${loginDisabled} then 'login_disabled'
             when a.kind = 'social_worker' then 'not_social_worker'
             else 'not_active_peer_tutor' end
      from ${clients}
      join ${clientAssignments} a on a.client_id = ${clients.id}
      where a.to_date is null and ${clients.status} <> 'closed' and ${scope}
        and (${loginDisabled}
          or (a.kind = 'social_worker' and not ${activeSocialWorkerSql(sql`a.person_id`)})
          or (a.kind = 'peer_tutor' and not ${activePeerTutorSql(sql`a.person_id`, asOf)}))`;
  const from = sql`from (${problems}) q join ${clients} on ${clients.id} = q.client_id join ${districts} on ${districts.id} = ${clients.districtId} left join ${persons} on ${persons.id} = q.person_id where ${scope}`;
  const total = db.get<{ n: number }>(sql`select count(*) as n ${from}`)?.n ?? 0;
  const rows = db.all<ReassignRow>(sql`
    select ${clients.id} as clientId, ${clients.alias} as alias, ${clients.caseNumber} as caseNumber,
      ${districts.nameZh} as districtZh, ${districts.nameEn} as districtEn, q.kind as kind, ${persons.displayName} as workerName, q.reason as reason
    ${from}
    order by ${clients.alias}, ${clients.id}, q.kind desc
    limit ${page.limit} offset ${page.offset}`);
  return { rows, total };
}
