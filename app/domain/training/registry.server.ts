/**
 * The peer-tutor registry: every peer tutor with cohort, status, certificate, home studio and
 * district; filtered, sorted and paged in SQL; a tutor's profile with their path (trainee →
 * certified → renewals, and the roles they hold); and the CSV export's rows.
 *
 * Sessions facilitated counts the group sessions held with the tutor as a facilitator; volunteer
 * hours join the list once that area records them.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import {
  certificates,
  clientAssignments,
  cohorts,
  districts,
  enrollments,
  groupSessions,
  peerTutors,
  persons,
  sessionFacilitators,
  studios,
  userRoles,
  users,
} from "#db/schema";
import type { RowScope } from "~/auth/permissions";
import { recordAudit, type Actor } from "~/domain/audit";
import { choice, optionalId, optionalText } from "~/domain/shared/fields";
import type { Page } from "~/domain/shared/paging";
import { localDate } from "../clients/dates";
import { certificatesOfPerson, listContinuingEducation, renewalCheck, renewalsOf, type CertificateView, type RenewalCheck } from "./certificates.server";
import {
  certificateStanding,
  expiringUntil,
  isExpiringSoon,
  practiseStanding,
  type CertificateStanding,
  type PractiseStanding,
} from "./practise";

type Reader = Pick<Db, "select">;

export const TUTOR_STATUS_FILTERS = ["active", "paused", "alumni", "revoked"] as const;
export const CERTIFICATE_FILTERS = ["valid", "expiring", "expired", "suspended", "revoked"] as const;
export const REGISTRY_SORTS = ["cohort", "name", "expires"] as const;
export const REGISTRY_SEARCH_MAX = 80;

export type RegistryFilter = {
  districtId?: number;
  cohortId?: number;
  status?: (typeof TUTOR_STATUS_FILTERS)[number];
  certificate?: (typeof CERTIFICATE_FILTERS)[number];
  /** part of the tutor's name or certificate number */
  q?: string;
  sort?: (typeof REGISTRY_SORTS)[number];
};

// empty values never reach these: parseRegistryFilters skips them
const FilterSchema = z.object({
  district: optionalId(),
  cohort: optionalId(),
  status: choice(TUTOR_STATUS_FILTERS),
  certificate: choice(CERTIFICATE_FILTERS),
  q: optionalText({ max: REGISTRY_SEARCH_MAX }),
  sort: choice(REGISTRY_SORTS),
});
export const REGISTRY_FILTER_FIELDS = ["district", "cohort", "status", "certificate", "q", "sort"] as const;

/**
 * Reads the registry filters from URL search params or a posted form. A value that does not
 * parse is left out (and reported in `errors`), so the list still shows; `applied` holds the
 * filters in force, to carry into links and the export.
 */
export function parseRegistryFilters(input: Record<string, string>): {
  filter: RegistryFilter;
  applied: Record<string, string>;
  values: Record<string, string>;
  errors: Record<string, string>;
} {
  const filter: RegistryFilter = {};
  const applied: Record<string, string> = {};
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const field of REGISTRY_FILTER_FIELDS) {
    const raw = input[field];
    if (raw === undefined || raw === "") continue;
    values[field] = raw.slice(0, 200);
    const one = FilterSchema.shape[field].safeParse(raw);
    if (!one.success) {
      errors[field] = one.error.issues[0]?.message ?? "form.unknownChoice";
      continue;
    }
    const v = one.data;
    if (v === "" || v === null || v === undefined) continue;
    applied[field] = String(v);
    if (field === "district") filter.districtId = v as number;
    else if (field === "cohort") filter.cohortId = v as number;
    else if (field === "status") filter.status = v as RegistryFilter["status"];
    else if (field === "certificate") filter.certificate = v as RegistryFilter["certificate"];
    else if (field === "q") filter.q = v as string;
    else if (field === "sort") filter.sort = v as RegistryFilter["sort"];
  }
  return { filter, applied, values, errors };
}

/** The tutor's current certificate, when Tongban keeps it; otherwise the dates the tutor row mirrors. */
const currentCertificate = and(eq(certificates.number, peerTutors.certificateNumber), eq(certificates.holderPersonId, peerTutors.personId));
const expiresOn = sql<string>`coalesce(${certificates.expiresOn}, ${peerTutors.expiresOn})`;
const issuedOn = sql<string>`coalesce(${certificates.issuedOn}, ${peerTutors.certifiedOn})`;
/** group sessions held with the tutor among the facilitators */
const sessionsFacilitated = sql<number>`(select count(*) from ${sessionFacilitators} sf join ${groupSessions} gs on gs.id = sf.session_id
  where sf.person_id = ${peerTutors.personId} and gs.status = 'held')`;

function conditions(filter: RegistryFilter, scope: RowScope, viewerPersonId: number, today: string): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  // the viewer's scope, inside the query (CONVENTIONS pattern 2)
  if (scope.kind === "none") parts.push(sql`0`);
  else if (scope.kind === "own") parts.push(eq(peerTutors.personId, viewerPersonId));
  else if (scope.kind === "districts") {
    parts.push(
      scope.alsoOwn
        ? or(inArray(peerTutors.districtId, scope.districtIds), eq(peerTutors.personId, viewerPersonId))
        : inArray(peerTutors.districtId, scope.districtIds),
    );
  }
  if (filter.districtId) parts.push(eq(peerTutors.districtId, filter.districtId));
  if (filter.cohortId) parts.push(eq(peerTutors.cohortId, filter.cohortId));
  if (filter.status) parts.push(eq(peerTutors.status, filter.status));
  if (filter.q) {
    // instr, not LIKE: "%" and "_" typed by someone are letters, not wildcards
    const q = filter.q.toLowerCase();
    parts.push(sql`(instr(lower(${persons.displayName}), ${q}) > 0 or instr(lower(${peerTutors.certificateNumber}), ${q}) > 0)`);
  }
  const notRevoked = isNull(certificates.revokedAt);
  const notSuspended = isNull(certificates.suspendedAt);
  switch (filter.certificate) {
    case "valid":
      parts.push(notRevoked, notSuspended, sql`${issuedOn} <= ${today}`, sql`${expiresOn} >= ${today}`);
      break;
    case "expiring":
      parts.push(notRevoked, notSuspended, sql`${expiresOn} >= ${today}`, sql`${expiresOn} <= ${expiringUntil(today)}`);
      break;
    case "expired":
      parts.push(notRevoked, notSuspended, sql`${expiresOn} < ${today}`);
      break;
    case "suspended":
      parts.push(notRevoked, isNotNull(certificates.suspendedAt));
      break;
    case "revoked":
      parts.push(isNotNull(certificates.revokedAt));
      break;
  }
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length ? and(...present) : undefined;
}

export type RegistryRow = {
  tutorId: number;
  personId: number;
  name: string;
  status: string;
  cohortId: number;
  cohortNumber: number;
  districtId: number;
  districtNameZh: string;
  districtNameEn: string;
  studioNameZh: string | null;
  studioNameEn: string | null;
  certificateNumber: string;
  issuedOn: string;
  expiresOn: string;
  suspended: boolean;
  revoked: boolean;
  /** group sessions held with the tutor as a facilitator */
  sessionsFacilitated: number;
  /** the one "may practise" rule, on today */
  standing: PractiseStanding;
  /** the certificate on today: valid, expiring (valid, within the worklist's days), expired, suspended, revoked, not yet valid */
  certificateStatus: CertificateStanding | "expiring";
};

function registryQuery(db: Reader) {
  return db
    .select({
      tutorId: peerTutors.id,
      personId: peerTutors.personId,
      name: persons.displayName,
      status: peerTutors.status,
      cohortId: peerTutors.cohortId,
      cohortNumber: cohorts.number,
      districtId: peerTutors.districtId,
      districtNameZh: districts.nameZh,
      districtNameEn: districts.nameEn,
      studioNameZh: studios.nameZh,
      studioNameEn: studios.nameEn,
      certificateNumber: peerTutors.certificateNumber,
      issuedOn,
      expiresOn,
      suspendedAt: certificates.suspendedAt,
      revokedAt: certificates.revokedAt,
      sessionsFacilitated,
    })
    .from(peerTutors)
    .innerJoin(persons, eq(persons.id, peerTutors.personId))
    .innerJoin(cohorts, eq(cohorts.id, peerTutors.cohortId))
    .innerJoin(districts, eq(districts.id, peerTutors.districtId))
    .leftJoin(studios, eq(studios.id, peerTutors.homeStudioId))
    .leftJoin(certificates, currentCertificate);
}

type RawRow = Awaited<ReturnType<ReturnType<typeof registryQuery>["all"]>>[number];

function toRow(today: string) {
  return ({ suspendedAt, revokedAt, ...r }: RawRow): RegistryRow => {
    const certificate = { issuedOn: r.issuedOn, expiresOn: r.expiresOn, suspendedAt, revokedAt };
    return {
      ...r,
      suspended: suspendedAt !== null,
      revoked: revokedAt !== null,
      standing: practiseStanding({ tutorStatus: r.status, certificate }, today),
      certificateStatus: isExpiringSoon(certificate, today) ? "expiring" : certificateStanding(certificate, today),
    };
  };
}

function orderOf(sort: RegistryFilter["sort"]) {
  if (sort === "name") return [asc(persons.displayName), asc(peerTutors.id)];
  if (sort === "expires") return [asc(expiresOn), asc(persons.displayName), asc(peerTutors.id)];
  return [asc(cohorts.number), asc(peerTutors.certificateNumber), asc(peerTutors.id)];
}

export type RegistryQuery = { filter: RegistryFilter; scope: RowScope; viewerPersonId: number; today: string };

/** One page of the registry, filtered, sorted and scoped in SQL. */
export function listRegistry(db: Reader, query: RegistryQuery, page: Page): { rows: RegistryRow[]; total: number } {
  const where = conditions(query.filter, query.scope, query.viewerPersonId, query.today);
  const rows = registryQuery(db)
    .where(where)
    .orderBy(...orderOf(query.filter.sort))
    .limit(page.limit)
    .offset(page.offset)
    .all()
    .map(toRow(query.today));
  const total =
    db
      .select({ n: sql<number>`count(*)` })
      .from(peerTutors)
      .innerJoin(persons, eq(persons.id, peerTutors.personId))
      .leftJoin(certificates, currentCertificate)
      .where(where)
      .get()?.n ?? 0;
  return { rows, total };
}

/** Every row of the registry for a query, pulled in batches (the CSV export). */
export function* iterateRegistry(db: Reader, query: RegistryQuery, batch = 500): Generator<RegistryRow> {
  const where = conditions(query.filter, query.scope, query.viewerPersonId, query.today);
  for (let offset = 0; ; offset += batch) {
    const rows = registryQuery(db).where(where).orderBy(...orderOf(query.filter.sort)).limit(batch).offset(offset).all();
    yield* rows.map(toRow(query.today));
    if (rows.length < batch) return;
  }
}

/** The districts and cohorts the filters offer. */
export function registryChoices(db: Reader) {
  return {
    districts: db.select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts).orderBy(asc(districts.id)).all(),
    cohorts: db.select({ id: cohorts.id, number: cohorts.number }).from(cohorts).orderBy(asc(cohorts.number)).all(),
  };
}

/**
 * Records an export of the registry (who, which filters, how many rows) before the file is
 * streamed. Returns the row count.
 */
export function recordRegistryExport(db: Db, actor: Actor, query: RegistryQuery, applied: Record<string, string>): number {
  return db.transaction((tx) => {
    const where = conditions(query.filter, query.scope, query.viewerPersonId, query.today);
    const rows =
      tx
        .select({ n: sql<number>`count(*)` })
        .from(peerTutors)
        .innerJoin(persons, eq(persons.id, peerTutors.personId))
        .leftJoin(certificates, currentCertificate)
        .where(where)
        .get()?.n ?? 0;
    recordAudit(tx, actor, { action: "export", entity: "peer_tutor_registry", details: { filters: applied, rows, format: "csv" } });
    return rows;
  });
}

// ---------------------------------------------------------------------------------------------
// A tutor's profile

export type PathEvent = {
  /** YYYY-MM-DD */
  date: string;
  kind: "enrolled" | "enrolment_ended" | "certified" | "renewed" | "suspended" | "revoked" | "role";
  params: Record<string, string | number>;
};

export type TutorProfile = {
  tutor: RegistryRow & { statusReason: string };
  certificates: (CertificateView & { renewals: ReturnType<typeof renewalsOf> })[];
  /** the renewal check of the current certificate, when Tongban keeps it and it is not revoked */
  renewal: (RenewalCheck & { certificateId: number }) | null;
  continuingEducation: ReturnType<typeof listContinuingEducation>;
  enrolments: { cohortNumber: number; status: string; statusReason: string; enrolledOn: string }[];
  roles: { role: string; districtNameZh: string | null; districtNameEn: string | null; since: string }[];
  /** clients the tutor supports now (a count only: trainers never see client records) */
  currentMentees: number;
  /** the tutor's path, newest first */
  path: PathEvent[];
};

/** A peer tutor's profile, or undefined when there is no such tutor (or it is outside the scope). */
export function getTutorProfile(
  db: Reader,
  input: { tutorId: number; scope: RowScope; viewerPersonId: number; today: string; timeZone: string },
): TutorProfile | undefined {
  const scoped = conditions({}, input.scope, input.viewerPersonId, input.today);
  const raw = registryQuery(db)
    .where(scoped ? and(eq(peerTutors.id, input.tutorId), scoped) : eq(peerTutors.id, input.tutorId))
    .get();
  if (!raw) return undefined;
  const tutorRow = toRow(input.today)(raw);
  const statusReason = db.select({ r: peerTutors.statusReason }).from(peerTutors).where(eq(peerTutors.id, input.tutorId)).get()?.r ?? "";
  const personId = tutorRow.personId;

  const certs = certificatesOfPerson(db, personId, input.today).map((c) => ({ ...c, renewals: renewalsOf(db, c.id) }));
  const current = certs.find((c) => c.number === tutorRow.certificateNumber);
  const renewal = current && current.standing !== "revoked" ? { ...renewalCheck(db, current.id, input.today, input.timeZone), certificateId: current.id } : null;

  const enrolments = db
    .select({
      cohortNumber: cohorts.number,
      status: enrollments.status,
      statusReason: enrollments.statusReason,
      enrolledOn: enrollments.enrolledOn,
      updatedAt: enrollments.updatedAt,
    })
    .from(enrollments)
    .innerJoin(cohorts, eq(cohorts.id, enrollments.cohortId))
    .where(eq(enrollments.personId, personId))
    .orderBy(desc(enrollments.enrolledOn), desc(enrollments.id))
    .all();

  const roles = db
    .select({ role: userRoles.role, districtNameZh: districts.nameZh, districtNameEn: districts.nameEn, createdAt: userRoles.createdAt })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .leftJoin(districts, eq(districts.id, userRoles.districtId))
    .where(eq(users.personId, personId))
    .orderBy(asc(userRoles.createdAt), asc(userRoles.id))
    .all()
    .map((r) => ({ role: r.role, districtNameZh: r.districtNameZh, districtNameEn: r.districtNameEn, since: localDate(r.createdAt, input.timeZone) }));

  const currentMentees =
    db
      .select({ n: sql<number>`count(*)` })
      .from(clientAssignments)
      .where(and(eq(clientAssignments.personId, personId), eq(clientAssignments.kind, "peer_tutor"), isNull(clientAssignments.toDate)))
      .get()?.n ?? 0;

  const path: PathEvent[] = [];
  for (const e of enrolments) {
    path.push({ date: e.enrolledOn, kind: "enrolled", params: { cohort: e.cohortNumber } });
    if (e.status !== "enrolled") {
      path.push({ date: localDate(e.updatedAt, input.timeZone), kind: "enrolment_ended", params: { cohort: e.cohortNumber, status: e.status } });
    }
  }
  for (const c of certs) {
    path.push({ date: c.issuedOn, kind: "certified", params: { number: c.number, cohort: c.cohortNumber } });
    for (const r of c.renewals) {
      path.push({ date: r.renewedOn, kind: "renewed", params: { number: c.number, until: r.newExpiresOn } });
    }
    if (c.suspendedAt) path.push({ date: localDate(c.suspendedAt, input.timeZone), kind: "suspended", params: { number: c.number } });
    if (c.revokedAt) path.push({ date: localDate(c.revokedAt, input.timeZone), kind: "revoked", params: { number: c.number } });
  }
  for (const r of roles) path.push({ date: r.since, kind: "role", params: { role: r.role } });
  // newest first; on the same day, later steps of the path first
  const order: PathEvent["kind"][] = ["enrolled", "enrolment_ended", "certified", "role", "renewed", "suspended", "revoked"];
  path.sort((a, b) => (a.date === b.date ? order.indexOf(b.kind) - order.indexOf(a.kind) : a.date < b.date ? 1 : -1));

  return {
    tutor: { ...tutorRow, statusReason },
    certificates: certs,
    renewal,
    continuingEducation: listContinuingEducation(db, personId),
    enrolments: enrolments.map(({ updatedAt: _u, ...e }) => e),
    roles,
    currentMentees,
    path,
  };
}

/** The tutor (peer_tutors id) whose current certificate a person holds, if any: for "my certificate". */
export function tutorIdOfPerson(db: Reader, personId: number): number | undefined {
  return db.select({ id: peerTutors.id }).from(peerTutors).where(eq(peerTutors.personId, personId)).get()?.id;
}
