/**
 * Who may see and do what with one client: the single record-scope check used by list queries
 * (clientScope, inside their SQL) and by every client page and action (clientAccess). It asks the
 * permission module; it never decides on roles by itself. (CONVENTIONS.md pattern 2; Primero's
 * single record-scope check.)
 */
import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { clientAssignments, clients, type AssignmentKind } from "#db/schema";
import { can, rowScope, type PermissionRequest } from "~/auth/permissions";
import type { SessionUser } from "~/auth/roles";

export type Viewer = Pick<SessionUser, "id" | "personId" | "roles">;

/** The assignment kinds the viewer can hold a client by, from the roles they hold. */
function ownKinds(viewer: Viewer): AssignmentKind[] {
  const kinds: AssignmentKind[] = [];
  if (viewer.roles.some((r) => r.role === "social_worker")) kinds.push("social_worker");
  if (viewer.roles.some((r) => r.role === "peer_tutor")) kinds.push("peer_tutor");
  return kinds;
}

/**
 * SQL: the client (alias `clients`) is currently assigned to the viewer in one of the given kinds.
 * An IN list, not a correlated EXISTS: SQLite then starts from the viewer's assignments
 * (client_assignments_worker_idx) and fetches their clients by id, instead of probing every client.
 */
function assignedToViewer(viewer: Viewer, kinds: AssignmentKind[]): SQL {
  if (kinds.length === 0) return sql`0`;
  return sql`${clients.id} in (select ca.client_id from ${clientAssignments} ca where ca.person_id = ${viewer.personId} and ca.to_date is null and ca.kind in (${sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  )}))`;
}

/**
 * The WHERE condition on `clients` for what the viewer may read with `permission`
 * (default read:client). Put it inside every list and report query over clients.
 */
export function clientScope(viewer: Viewer, permission: PermissionRequest = "read:client"): SQL {
  const scope = rowScope(viewer, permission);
  switch (scope.kind) {
    case "all":
      return sql`1 = 1`;
    case "none":
      return sql`0`;
    case "own":
      return assignedToViewer(viewer, ownKinds(viewer));
    case "districts": {
      const inDistricts = inArray(clients.districtId, scope.districtIds);
      return scope.alsoOwn ? sql`(${inDistricts} or ${assignedToViewer(viewer, ownKinds(viewer))})` : inDistricts;
    }
  }
}

export type ClientAccess = {
  client: typeof clients.$inferSelect;
  /** the viewer is the client's current social worker */
  isSocialWorker: boolean;
  /** the viewer is the client's current peer tutor (the client is their mentee) */
  isPeerTutor: boolean;
  /** may the viewer …, for this client */
  can: {
    read: boolean;
    edit: boolean; // intake details, status, consent
    readCaseRecords: boolean;
    writeCaseRecords: boolean; // plans, events, recognitions, BARC-10, flags
    readContacts: boolean;
    addContact: boolean;
    revealIdentity: boolean;
    approvePlan: boolean;
    assign: boolean;
    raiseFlag: boolean;
    resolveFlag: boolean;
    recordAssessment: boolean; // BARC-10
  };
};

/**
 * What the viewer may do with one client, or null when they may not read it at all (the route
 * answers 404, so existence is not revealed). A worker whose assignment ended is no longer "own".
 */
export function clientAccess(db: Pick<Db, "select">, viewer: Viewer, clientId: number): ClientAccess | null {
  const client = db.select().from(clients).where(eq(clients.id, clientId)).get();
  if (!client) return null;
  const current = db
    .select({ kind: clientAssignments.kind })
    .from(clientAssignments)
    .where(and(eq(clientAssignments.clientId, clientId), eq(clientAssignments.personId, viewer.personId), isNull(clientAssignments.toDate)))
    .all()
    .map((r) => r.kind);
  const kinds = ownKinds(viewer);
  const isSocialWorker = current.includes("social_worker") && kinds.includes("social_worker");
  const isPeerTutor = current.includes("peer_tutor") && kinds.includes("peer_tutor");
  const ctx = { districtId: client.districtId, own: isSocialWorker || isPeerTutor };
  const swCtx = { districtId: client.districtId, own: isSocialWorker };
  const access: ClientAccess = {
    client,
    isSocialWorker,
    isPeerTutor,
    can: {
      read: can(viewer, "read:client", ctx),
      edit: can(viewer, "edit:client", swCtx),
      readCaseRecords: can(viewer, "read:caseRecord", ctx),
      writeCaseRecords: can(viewer, "create:caseRecord", swCtx),
      readContacts: can(viewer, "read:contact", ctx),
      addContact: can(viewer, "create:contact", ctx),
      revealIdentity: can(viewer, "reveal:clientIdentity", swCtx),
      approvePlan: can(viewer, "approve:plan", ctx),
      assign: can(viewer, "assign:caseload", ctx),
      raiseFlag: can(viewer, "create:flag", ctx),
      resolveFlag: can(viewer, "edit:flag", swCtx),
      recordAssessment: can(viewer, "create:recoveryAssessment", ctx),
    },
  };
  return access.can.read ? access : null;
}

/**
 * A contact marked private is visible to its author and the client's current social worker
 * only; everyone else on the case team sees that it exists only if they wrote it.
 */
export function maySeeContact(access: ClientAccess, viewer: Viewer, contact: { private: boolean; authorUserId: number }): boolean {
  if (!access.can.readContacts) return false;
  if (!contact.private) return true;
  return contact.authorUserId === viewer.id || access.isSocialWorker;
}

/** SQL for contact rows the viewer may read of a client they can access (private notes filtered in the query). */
export function contactVisibility(access: ClientAccess, viewer: Viewer, table: { private: unknown; authorUserId: unknown }): SQL {
  if (access.isSocialWorker) return sql`1 = 1`;
  return sql`(${table.private} = 0 or ${table.authorUserId} = ${viewer.id})`;
}
