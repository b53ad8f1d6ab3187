/**
 * Clients: intake, intake details, status (active / in a facility / closed with a reason;
 * reopening keeps the history), the scoped client list and the overview. Every write is audited
 * in its transaction; every list query carries clientScope(viewer) in its WHERE clause.
 */
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import Database from "better-sqlite3";
import { z } from "zod";
import type { Db } from "#db/client";
import {
  auditLog,
  CLIENT_STATUSES,
  clientAssignments,
  clients,
  districts,
  LEGAL_STATUSES,
  persons,
  RISK_LEVELS,
  socialWorkPoints,
  staffProfiles,
  subdistricts,
  substanceEvents,
  type ClientStatus,
  type LegalStatus,
  type RiskLevel,
} from "#db/schema";
import { can, hasRole, roleDistricts } from "~/auth/permissions";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError, isDomainError } from "~/domain/shared/errors";
import { choice, id, isoDate, optionalId, optionalText, text } from "~/domain/shared/fields";
import type { Page } from "~/domain/shared/paging";
import { openCrisisSql } from "./flags.server";
import { clientScope, type ClientAccess, type Viewer } from "./access.server";
import { assignWorker } from "./assignments.server";
import { assignmentHistory, socialWorkerChoices, type AssignmentHistoryRow } from "./caseload.server";
import { assertConsentInput, consentState, insertConsent, type ConsentInput, type ConsentRow } from "./consent.server";
import { hasIdentity, writeIdentity, type IdentityInput } from "./identity.server";
import { abstinentSince, isOverdue, milestones, type Milestone, type OverdueStatus, type SubstanceEventFact } from "./outcomes";
import { lastContactSql, nextContactDueSql, overdueSql } from "./overdue.server";
import { memoised } from "~/domain/shared/memo.server";

type Reader = Pick<Db, "select">;

/** The status, legal-status and risk values, for routes (which do not import the schema). */
export { CLIENT_STATUSES, LEGAL_STATUSES, RISK_LEVELS };

export const ALIAS_MAX = 40;
export const CASE_NUMBER_MAX = 40;
export const REASON_MAX = 200;

/** A required id from a select: empty is "required", anything else not an id is "unknown". */
export const requiredId = z.string({ error: "form.required" }).trim().min(1, { error: "form.required" }).pipe(id);

/** The intake details of a client, as the intake and edit forms send them. */
export const ClientDetailsFields = {
  caseNumber: text({ max: CASE_NUMBER_MAX }),
  alias: text({ max: ALIAS_MAX }),
  districtId: requiredId,
  subdistrictId: optionalId(),
  pointId: optionalId(),
  legalStatus: choice(LEGAL_STATUSES),
  intakeDate: isoDate,
  riskLevel: choice(RISK_LEVELS),
};
export const ClientDetailsSchema = z.object(ClientDetailsFields);

export type ClientDetailsInput = {
  caseNumber: string;
  alias: string;
  districtId: number;
  subdistrictId: number | null;
  pointId: number | null;
  legalStatus: LegalStatus;
  intakeDate: string;
  riskLevel: RiskLevel;
};

export type NewClientInput = ClientDetailsInput & {
  /** the social worker picked by a coordinator; a social worker's own intake leaves it null (themselves) */
  socialWorkerPersonId: number | null;
  identity: IdentityInput | null;
  consent: ConsentInput | null;
};

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Database.SqliteError && e.code === "SQLITE_CONSTRAINT_UNIQUE";
}

/** The district exists and is active; the subdistrict and point, when given, belong to it (and to each other). */
function assertPlace(db: Reader, input: Pick<ClientDetailsInput, "districtId" | "subdistrictId" | "pointId">, before?: ClientDetailsInput): void {
  const district = db.select({ active: districts.active }).from(districts).where(eq(districts.id, input.districtId)).get();
  // an inactive district is refused for new placements but kept for a client already there
  if (!district || (!district.active && before?.districtId !== input.districtId)) throw new DomainError("form.unknownId", "districtId");
  if (input.subdistrictId !== null) {
    const sub = db.select({ districtId: subdistricts.districtId }).from(subdistricts).where(eq(subdistricts.id, input.subdistrictId)).get();
    if (!sub) throw new DomainError("form.unknownId", "subdistrictId");
    if (sub.districtId !== input.districtId) throw new DomainError("clients.intake.subdistrictNotInDistrict", "subdistrictId");
  }
  if (input.pointId !== null) {
    const point = db
      .select({ districtId: socialWorkPoints.districtId, subdistrictId: socialWorkPoints.subdistrictId })
      .from(socialWorkPoints)
      .where(eq(socialWorkPoints.id, input.pointId))
      .get();
    if (!point) throw new DomainError("form.unknownId", "pointId");
    if (point.districtId !== input.districtId) throw new DomainError("clients.intake.pointNotInDistrict", "pointId");
    if (input.subdistrictId !== null && point.subdistrictId !== input.subdistrictId) {
      throw new DomainError("clients.intake.pointNotInSubdistrict", "pointId");
    }
  }
}

function assertCaseNumberFree(db: Reader, caseNumber: string, exceptId?: number): void {
  const row = db.select({ id: clients.id }).from(clients).where(eq(clients.caseNumber, caseNumber)).get();
  if (row && row.id !== exceptId) throw new DomainError("clients.caseNumberTaken", "caseNumber");
}

/**
 * The districts a social worker works in: those of their active social-worker staff profiles, or
 * null (anywhere) for a social worker without a profile. Social-worker role grants carry no
 * district (normaliseRoles), so the staff profile is where a social worker's district lives.
 */
export function socialWorkerDistricts(db: Reader, personId: number): number[] | null {
  const rows = db
    .select({ districtId: staffProfiles.districtId })
    .from(staffProfiles)
    .where(and(eq(staffProfiles.personId, personId), eq(staffProfiles.kind, "social_worker"), eq(staffProfiles.active, true)))
    .all();
  return rows.length ? [...new Set(rows.map((r) => r.districtId))] : null;
}

/**
 * How the viewer may take in a client in a district: "district" (a coordinator there: picks the
 * social worker), "self" (a social worker of that district: the client becomes theirs), or null.
 */
export function intakeMode(db: Reader, viewer: Viewer, districtId: number): "district" | "self" | null {
  if (can(viewer, "create:client", { districtId, own: false })) return "district";
  if (hasRole(viewer, "social_worker") && can(viewer, "create:client", { districtId, own: true })) {
    const limited = socialWorkerDistricts(db, viewer.personId);
    if (limited === null || limited.includes(districtId)) return "self";
  }
  return null;
}

/** The districts the viewer may take clients in (ids), or null for every district. */
export function intakeDistrictIds(db: Reader, viewer: Viewer): number[] | null {
  const ids = new Set<number>();
  if (can({ roles: viewer.roles.filter((r) => r.role === "coordinator") }, "create:client")) {
    const limited = roleDistricts(viewer, "coordinator");
    if (limited === null) return null;
    for (const d of limited) ids.add(d);
  }
  if (hasRole(viewer, "social_worker") && can({ roles: viewer.roles.filter((r) => r.role === "social_worker") }, "create:client")) {
    const limited = socialWorkerDistricts(db, viewer.personId);
    if (limited === null) return null;
    for (const d of limited) ids.add(d);
  }
  return [...ids].sort((a, b) => a - b);
}

/**
 * Takes in a new client (the intake form): the client, the social worker's assignment from the
 * intake date, and optionally the identity and a consent, in one transaction with their audit
 * rows. A social worker's client is assigned to them; a coordinator (create:client in the
 * district) must pick an active social worker of the district. Returns the new client's id.
 */
export function createClient(db: Db, actor: Actor, viewer: Viewer, input: NewClientInput, today: string): number {
  const mode = intakeMode(db, viewer, input.districtId);
  if (!mode) throw new DomainError("form.unknownId", "districtId");
  if (input.intakeDate > today) throw new DomainError("clients.dateInFuture", "intakeDate");
  assertPlace(db, input);
  assertCaseNumberFree(db, input.caseNumber);
  let workerPersonId: number;
  if (mode === "district") {
    if (input.socialWorkerPersonId === null) throw new DomainError("clients.intake.pickSocialWorker", "socialWorkerPersonId");
    if (!socialWorkerChoices(db, input.districtId).some((c) => c.personId === input.socialWorkerPersonId)) {
      throw new DomainError("clients.assign.notSocialWorker", "socialWorkerPersonId");
    }
    workerPersonId = input.socialWorkerPersonId;
  } else {
    if (input.socialWorkerPersonId !== null && input.socialWorkerPersonId !== viewer.personId) {
      throw new DomainError("form.unknownId", "socialWorkerPersonId");
    }
    workerPersonId = viewer.personId;
  }
  if (input.consent) assertConsentInput(input.consent, today, "consentOn");

  try {
    return db.transaction((tx) => {
      const { identity, consent, socialWorkerPersonId: _picked, ...details } = input;
      const clientId = tx
        .insert(clients)
        .values({ ...details, status: "active" })
        .returning({ id: clients.id })
        .get().id;
      recordAudit(tx, actor, {
        action: "create",
        entity: "client",
        entityId: clientId,
        details: {
          caseNumber: details.caseNumber,
          districtId: details.districtId,
          intakeDate: details.intakeDate,
          legalStatus: details.legalStatus,
          riskLevel: details.riskLevel,
          status: "active",
        },
      });
      try {
        // assignWorker opens a nested transaction (a savepoint) on this one: all or nothing
        assignWorker(tx as unknown as Db, actor, { clientId, kind: "social_worker", personId: workerPersonId, fromDate: details.intakeDate });
      } catch (e) {
        if (isDomainError(e) && e.field === "personId") throw new DomainError(e.key, "socialWorkerPersonId");
        throw e;
      }
      if (identity) writeIdentity(tx, actor, clientId, identity);
      if (consent) insertConsent(tx, actor, clientId, consent);
      return clientId;
    });
  } catch (e) {
    // two intakes of the same case number at once: the unique index decides
    if (isUniqueViolation(e)) throw new DomainError("clients.caseNumberTaken", "caseNumber");
    throw e;
  }
}

const DETAIL_KEYS = ["caseNumber", "alias", "districtId", "subdistrictId", "pointId", "legalStatus", "intakeDate", "riskLevel"] as const;

/**
 * The client's current social worker corrects the intake details (a moved client goes only to a
 * district the viewer may take clients in). Audited with what changed.
 */
export function updateClientDetails(db: Db, actor: Actor, viewer: Viewer, access: ClientAccess, input: ClientDetailsInput, today: string): void {
  if (!access.can.edit) throw new DomainError("clients.notAllowed");
  const before = access.client;
  // moving a client to another district: only to a district the viewer may take clients in
  if (input.districtId !== before.districtId && !intakeMode(db, viewer, input.districtId)) throw new DomainError("form.unknownId", "districtId");
  if (input.intakeDate > today) throw new DomainError("clients.dateInFuture", "intakeDate");
  assertPlace(db, input, before);
  assertCaseNumberFree(db, input.caseNumber, before.id);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of DETAIL_KEYS) if (before[k] !== input[k]) changes[k] = { from: before[k], to: input[k] };
  if (Object.keys(changes).length === 0) return;
  try {
    db.transaction((tx) => {
      tx.update(clients)
        .set({ ...input, updatedAt: new Date().toISOString() })
        .where(eq(clients.id, before.id))
        .run();
      recordAudit(tx, actor, { action: "update", entity: "client", entityId: before.id, details: { changes } });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError("clients.caseNumberTaken", "caseNumber");
    throw e;
  }
}

export const STATUS_CHANGES = ["to_facility", "back_active", "close", "reopen"] as const;
export type StatusChange = (typeof STATUS_CHANGES)[number];

export const StatusChangeSchema = z.object({
  change: choice(STATUS_CHANGES),
  on: isoDate,
  reason: optionalText({ max: REASON_MAX }),
});

const STATUS_RULES: Record<StatusChange, { from: readonly ClientStatus[]; to: ClientStatus; reasonRequired: boolean }> = {
  to_facility: { from: ["active"], to: "in_facility", reasonRequired: false },
  back_active: { from: ["in_facility"], to: "active", reasonRequired: false },
  close: { from: ["active", "in_facility"], to: "closed", reasonRequired: true },
  reopen: { from: ["closed"], to: "active", reasonRequired: false },
};

/** The status changes open to a client in a status (for the buttons the overview shows). */
export function statusChangesFrom(status: ClientStatus): StatusChange[] {
  return STATUS_CHANGES.filter((c) => STATUS_RULES[c].from.includes(status));
}

/**
 * Moves the client to another status on a date (not in the future, not before intake): to a
 * facility and back, closed (a reason is required), reopened (the closing stays in the history).
 * The audit row ("status_change") is the status history the overview shows.
 */
export function setClientStatus(
  db: Db,
  actor: Actor,
  access: ClientAccess,
  input: { change: StatusChange; on: string; reason: string },
  today: string,
): void {
  if (!access.can.edit) throw new DomainError("clients.notAllowed");
  const client = access.client;
  const rule = STATUS_RULES[input.change];
  if (!rule.from.includes(client.status)) throw new DomainError("clients.status.notFrom", "change");
  if (rule.reasonRequired && input.reason === "") throw new DomainError("form.required", "reason");
  if (input.on > today) throw new DomainError("clients.dateInFuture", "on");
  if (input.on < client.intakeDate) throw new DomainError("clients.status.beforeIntake", "on");
  if (client.closedOn && input.change === "reopen" && input.on < client.closedOn) throw new DomainError("clients.status.beforeClosed", "on");
  db.transaction((tx) => {
    // the status is read again inside the transaction: two people closing at once change it once
    const now = tx.select({ status: clients.status }).from(clients).where(eq(clients.id, client.id)).get();
    if (!now || now.status !== client.status) throw new DomainError("clients.status.notFrom", "change");
    const closing = rule.to === "closed";
    tx.update(clients)
      .set({
        status: rule.to,
        closedReason: closing ? input.reason : "",
        closedOn: closing ? input.on : null,
        updatedAt: new Date().toISOString(),
      })
      .where(eq(clients.id, client.id))
      .run();
    recordAudit(tx, actor, {
      action: "status_change",
      entity: "client",
      entityId: client.id,
      details: { from: client.status, to: rule.to, on: input.on, reason: input.reason },
    });
  });
}

export type StatusHistoryRow = { at: string; login: string; from: ClientStatus | null; to: ClientStatus; on: string | null; reason: string };

/** The client's status history from the audit log (intake, then each change), newest first. */
export function statusHistory(db: Reader, clientId: number): StatusHistoryRow[] {
  const rows = db
    .select({ at: auditLog.at, login: auditLog.actorLogin, action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.entity, "client"), eq(auditLog.entityId, String(clientId)), inArray(auditLog.action, ["create", "status_change"])))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .all();
  const asStatus = (v: unknown): ClientStatus | null => ((CLIENT_STATUSES as readonly unknown[]).includes(v) ? (v as ClientStatus) : null);
  const out: StatusHistoryRow[] = [];
  for (const r of rows) {
    const d = r.details ?? {};
    const to = r.action === "create" ? (asStatus(d.status) ?? "active") : asStatus(d.to);
    if (!to) continue;
    out.push({
      at: r.at,
      login: r.login,
      from: r.action === "create" ? null : asStatus(d.from),
      to,
      on: typeof d.on === "string" ? d.on : typeof d.intakeDate === "string" ? d.intakeDate : null,
      reason: typeof d.reason === "string" ? d.reason : "",
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The client list

export const CLIENT_SORTS = ["lastContact", "alias", "intake"] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];

export type ClientListFilter = {
  /** part of the alias or the case number */
  q?: string;
  districtId?: number;
  status?: ClientStatus;
  risk?: RiskLevel;
  /** only clients not closed and overdue (overdueSql) */
  overdue?: boolean;
  /** a current social worker or peer tutor (person id) */
  workerPersonId?: number;
  /** part of a current social worker's or peer tutor's name (the filter offered when a scope has too many workers to list) */
  workerName?: string;
  sort?: ClientSort;
  dir?: "asc" | "desc";
};

export type CadenceRules = { asOf: string; thresholdDays: number; timeZone: string };

export type ClientListRow = {
  id: number;
  alias: string;
  caseNumber: string;
  districtZh: string;
  districtEn: string;
  status: ClientStatus;
  riskLevel: RiskLevel;
  intakeDate: string;
  crisis: boolean;
  lastContactAt: string | null;
  nextContactDue: string | null;
  /** isOverdue of the row (the same rule the overdue filter runs in SQL); null for closed clients */
  overdue: OverdueStatus | null;
  socialWorker: string | null;
  peerTutor: string | null;
};

// Nested sql`${…}`: drizzle writes a single-table select's top-level columns without the table
// name, which inside a correlated subquery would name the subquery's own row.

function teamMemberSql(kind: "social_worker" | "peer_tutor"): SQL<string | null> {
  return sql<string | null>`${sql`(select tp.display_name from ${clientAssignments} ta join ${persons} tp on tp.id = ta.person_id where ta.client_id = ${clients.id} and ta.kind = ${kind} and ta.to_date is null)`}`;
}

/**
 * The clients the viewer may read (clientScope inside the query), filtered, sorted and paged in
 * SQL. Clients with an open crisis flag come first in every ordering.
 */
export function listClients(db: Db, viewer: Viewer, filter: ClientListFilter, page: Page, rules: CadenceRules): { rows: ClientListRow[]; total: number } {
  const conditions: (SQL | undefined)[] = [clientScope(viewer)];
  if (filter.q) {
    const q = filter.q.toLowerCase();
    conditions.push(sql`(instr(lower(${clients.alias}), ${q}) > 0 or instr(lower(${clients.caseNumber}), ${q}) > 0)`);
  }
  if (filter.districtId !== undefined) conditions.push(eq(clients.districtId, filter.districtId));
  if (filter.status) conditions.push(eq(clients.status, filter.status));
  if (filter.risk) conditions.push(eq(clients.riskLevel, filter.risk));
  if (filter.overdue) conditions.push(sql`(${clients.status} <> 'closed' and ${overdueSql(rules.asOf, rules.thresholdDays, rules.timeZone)})`);
  if (filter.workerPersonId !== undefined) {
    conditions.push(
      sql`exists (select 1 from ${clientAssignments} wa where wa.client_id = ${clients.id} and wa.to_date is null and wa.person_id = ${filter.workerPersonId})`,
    );
  }
  if (filter.workerName) {
    // from the people whose name matches to their current clients (assignments by person), not client by client
    conditions.push(
      sql`${clients.id} in (select wn.client_id from ${clientAssignments} wn join ${persons} wp on wp.id = wn.person_id where wn.to_date is null and instr(lower(wp.display_name), ${filter.workerName.toLowerCase()}) > 0)`,
    );
  }
  const where = and(...conditions);
  const total = db.select({ n: sql<number>`count(*)` }).from(clients).where(where).get()?.n ?? 0;

  const last = lastContactSql();
  const sortExpr = filter.sort === "alias" ? clients.alias : filter.sort === "intake" ? clients.intakeDate : last;
  const dir = filter.dir === "desc" ? desc : asc;
  const rows = db
    .select({
      id: clients.id,
      alias: clients.alias,
      caseNumber: clients.caseNumber,
      districtZh: districts.nameZh,
      districtEn: districts.nameEn,
      status: clients.status,
      riskLevel: clients.riskLevel,
      intakeDate: clients.intakeDate,
      crisis: openCrisisSql(),
      lastContactAt: last,
      nextContactDue: nextContactDueSql(),
      socialWorker: teamMemberSql("social_worker"),
      peerTutor: teamMemberSql("peer_tutor"),
    })
    .from(clients)
    .innerJoin(districts, eq(districts.id, clients.districtId))
    .where(where)
    .orderBy(desc(openCrisisSql()), dir(sortExpr), asc(clients.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  return {
    rows: rows.map((r) => ({
      ...r,
      crisis: Boolean(r.crisis),
      overdue:
        r.status === "closed"
          ? null
          : isOverdue({ lastContactAt: r.lastContactAt, nextContactDue: r.nextContactDue }, rules.asOf, rules.thresholdDays, rules.timeZone),
    })),
    total,
  };
}

export type WorkerOption = { personId: number; name: string };

/** Beyond this many workers in scope the list offers a name search instead of a choice of every one. */
export const WORKER_OPTIONS_MAX = 150;

/**
 * The workers currently assigned to clients the viewer may read: the list's "worker" filter, or
 * null when there are more than `max` (a city's coordinator may have a thousand: a select of every
 * name was 20 kB of each page; the list then offers a name search, ClientListFilter.workerName).
 * Memoised (shared/memo.server.ts): it reads every current assignment in the viewer's scope, and
 * changes only when assignments do.
 */
export function workerFilterOptions(db: Db, viewer: Viewer, max: number = WORKER_OPTIONS_MAX): WorkerOption[] | null {
  const all = memoised(db, JSON.stringify(["clients.workerFilterOptions", viewer.id, viewer.personId, viewer.roles, max]), () => workerOptionsOf(db, viewer, max + 1));
  return all.length > max ? null : all;
}

function workerOptionsOf(db: Db, viewer: Viewer, limit: number): WorkerOption[] {
  return db
    .selectDistinct({ personId: persons.id, name: persons.displayName })
    .from(clientAssignments)
    .innerJoin(clients, eq(clients.id, clientAssignments.clientId))
    .innerJoin(persons, eq(persons.id, clientAssignments.personId))
    .where(and(isNull(clientAssignments.toDate), clientScope(viewer)))
    .orderBy(persons.displayName, persons.id)
    .limit(limit)
    .all();
}

// ---------------------------------------------------------------------------------------------
// The overview

/** The client's substance events as the outcome rules read them (kind and date only). */
export function substanceEventFacts(db: Reader, clientId: number): SubstanceEventFact[] {
  return db
    .select({ date: substanceEvents.date, kind: substanceEvents.kind })
    .from(substanceEvents)
    .where(eq(substanceEvents.clientId, clientId))
    .all();
}

/** The client's contact cadence (the same reading as overdueSql) and whether they are overdue. */
export function contactCadence(db: Db, clientId: number, rules: CadenceRules) {
  const row = db
    .select({ lastContactAt: lastContactSql(), nextContactDue: nextContactDueSql(), status: clients.status })
    .from(clients)
    .where(eq(clients.id, clientId))
    .get();
  const cadence = { lastContactAt: row?.lastContactAt ?? null, nextContactDue: row?.nextContactDue ?? null };
  return { ...cadence, overdue: row?.status === "closed" ? null : isOverdue(cadence, rules.asOf, rules.thresholdDays, rules.timeZone) };
}

type Names = { zh: string; en: string };

export type ClientOverview = {
  facts: ClientDetailsInput & {
    id: number;
    status: ClientStatus;
    closedReason: string;
    closedOn: string | null;
    district: Names;
    subdistrict: Names | null;
    point: Names | null;
  };
  statusHistory: StatusHistoryRow[];
  consent: { current: ConsentRow | null; history: ConsentRow[] };
  team: AssignmentHistoryRow[];
  identityOnFile: boolean | null;
  abstinence: { since: string; days: number; next: Milestone | null; reached: Milestone[] } | null;
  cadence: { lastContactAt: string | null; nextContactDue: string | null; overdue: OverdueStatus | null } | null;
};

/**
 * What the overview shows of a client the viewer may read: intake facts, status history, consent,
 * team history, abstinent-since and the next milestone (for those who read case records), contact
 * cadence (for those who read contacts). Never the identity values: only whether one is on file,
 * and that only for those who may reveal it.
 */
export function clientOverview(db: Db, access: ClientAccess, rules: CadenceRules): ClientOverview {
  const c = access.client;
  const names = <T extends { nameZh: string; nameEn: string }>(row: T | undefined): Names | null => (row ? { zh: row.nameZh, en: row.nameEn } : null);
  const district = db.select().from(districts).where(eq(districts.id, c.districtId)).get();
  const subdistrict = c.subdistrictId ? db.select().from(subdistricts).where(eq(subdistricts.id, c.subdistrictId)).get() : undefined;
  const point = c.pointId ? db.select().from(socialWorkPoints).where(eq(socialWorkPoints.id, c.pointId)).get() : undefined;
  let abstinence: ClientOverview["abstinence"] = null;
  if (access.can.readCaseRecords) {
    const since = abstinentSince(c.intakeDate, substanceEventFacts(db, c.id), rules.asOf);
    // an intake dated after asOf cannot happen (intake is never in the future), but keep days >= 0
    const m = since <= rules.asOf ? milestones(since, rules.asOf) : { days: 0, reached: [], next: null };
    abstinence = { since, days: m.days, next: m.next, reached: m.reached };
  }
  return {
    facts: {
      id: c.id,
      caseNumber: c.caseNumber,
      alias: c.alias,
      districtId: c.districtId,
      subdistrictId: c.subdistrictId,
      pointId: c.pointId,
      legalStatus: c.legalStatus,
      intakeDate: c.intakeDate,
      riskLevel: c.riskLevel,
      status: c.status,
      closedReason: c.closedReason,
      closedOn: c.closedOn,
      district: names(district) ?? { zh: "", en: "" },
      subdistrict: names(subdistrict),
      point: names(point),
    },
    statusHistory: statusHistory(db, c.id),
    consent: consentState(db, c.id, rules.timeZone),
    team: assignmentHistory(db, c.id),
    identityOnFile: access.can.revealIdentity ? hasIdentity(db, c.id) : null,
    abstinence,
    cadence: access.can.readContacts ? contactCadence(db, c.id, rules) : null,
  };
}

/** Place choices for the intake and edit forms: districts, subdistricts and points, active ones (plus the client's current ones). */
export function placeChoices(db: Reader, districtIds: number[] | null, keep: { subdistrictId?: number | null; pointId?: number | null } = {}) {
  const inDistricts = (col: SQLiteColumn) => (districtIds === null ? undefined : inArray(col, districtIds.length ? districtIds : [0]));
  const districtRows = db
    .select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn })
    .from(districts)
    .where(and(eq(districts.active, true), inDistricts(districts.id)))
    .orderBy(districts.id)
    .all();
  const subRows = db
    .select({ id: subdistricts.id, districtId: subdistricts.districtId, nameZh: subdistricts.nameZh, nameEn: subdistricts.nameEn, active: subdistricts.active })
    .from(subdistricts)
    .where(inDistricts(subdistricts.districtId))
    .orderBy(subdistricts.districtId, subdistricts.id)
    .all()
    .filter((s) => s.active || s.id === keep.subdistrictId);
  const pointRows = db
    .select({
      id: socialWorkPoints.id,
      districtId: socialWorkPoints.districtId,
      subdistrictId: socialWorkPoints.subdistrictId,
      nameZh: socialWorkPoints.nameZh,
      nameEn: socialWorkPoints.nameEn,
      active: socialWorkPoints.active,
    })
    .from(socialWorkPoints)
    .where(inDistricts(socialWorkPoints.districtId))
    .orderBy(socialWorkPoints.districtId, socialWorkPoints.id)
    .all()
    .filter((p) => p.active || p.id === keep.pointId);
  return {
    districts: districtRows,
    subdistricts: subRows.map(({ active: _a, ...s }) => s),
    points: pointRows.map(({ active: _a, ...p }) => p),
  };
}
export type PlaceChoices = ReturnType<typeof placeChoices>;
