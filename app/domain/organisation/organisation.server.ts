/**
 * The organisation structure: districts, subdistricts/towns, district workstations, social-work
 * points and peer-education studios. Places are deactivated, never deleted (reports count them).
 * Every write records itself in the audit log in the same transaction.
 */
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { districts, socialWorkPoints, studios, subdistricts, workstations } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { openingHoursProblems, sortPeriods } from "./opening-hours";
import {
  ADDRESS_MAX,
  CAPACITY_MAX,
  CAPACITY_MIN,
  CODE_MAX,
  DISTRICT_CODE,
  NAME_MAX,
  SUBDISTRICT_KINDS,
  type DistrictInput,
  type PointInput,
  type StudioInput,
  type SubdistrictInput,
  type WorkstationInput,
} from "./schemas";

export type District = typeof districts.$inferSelect;
export type Subdistrict = typeof subdistricts.$inferSelect;
export type Workstation = typeof workstations.$inferSelect;
export type SocialWorkPoint = typeof socialWorkPoints.$inferSelect;
export type Studio = typeof studios.$inferSelect;

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** The five kinds of place, with the entity name each uses in the audit log. */
export const ORG_KINDS = ["district", "subdistrict", "workstation", "social_work_point", "studio"] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

const now = () => new Date().toISOString();

// ---------------------------------------------------------------------------------------------
// Checks shared by the writes

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The form schemas already say this; the domain repeats the cheap checks for callers without a form (imports, scripts). */
function assertText(value: string, field: string, max: number, required = true): void {
  if (required && value.trim() === "") throw new DomainError("form.required", field);
  if (value.length > max) throw new DomainError(`form.tooLong?max=${max}`, field);
  if (CONTROL.test(value)) throw new DomainError("form.controlChars", field);
}

function assertNames(input: { nameZh: string; nameEn: string }): void {
  assertText(input.nameZh, "nameZh", NAME_MAX);
  assertText(input.nameEn, "nameEn", NAME_MAX);
}

/**
 * A parent must exist; a new link (creating, or changing the parent) must point at an active one.
 * Keeping an existing link to a parent deactivated since is allowed.
 */
function assertDistrict(tx: Tx, districtId: number, current?: number): District {
  const district = tx.select().from(districts).where(eq(districts.id, districtId)).get();
  if (!district) throw new DomainError("form.unknownId", "districtId");
  if (!district.active && districtId !== current) throw new DomainError("organisation.error.parentInactive", "districtId");
  return district;
}

function changes<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(after)) {
    const from = before[key];
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from, to };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Districts

export function listDistricts(db: Db, options: { activeOnly?: boolean } = {}): District[] {
  return db
    .select()
    .from(districts)
    .where(options.activeOnly ? eq(districts.active, true) : undefined)
    .orderBy(asc(districts.id))
    .all();
}

export function getDistrict(db: Db, id: number): District | undefined {
  return db.select().from(districts).where(eq(districts.id, id)).get();
}

export type DistrictWithCounts = District & {
  subdistricts: number;
  workstations: number;
  points: number;
  studios: number;
};

/**
 * Every district with the number of its active subdistricts, workstations, points and studios,
 * counted by SQLite in one grouped query.
 */
export function listDistrictDirectory(db: Db): DistrictWithCounts[] {
  const rows = db.all<{
    id: number;
    code: string;
    nameZh: string;
    nameEn: string;
    active: number;
    createdAt: string;
    updatedAt: string;
    subdistricts: number;
    workstations: number;
    points: number;
    studios: number;
  }>(sql`
    select d.id as id, d.code as code, d.name_zh as nameZh, d.name_en as nameEn, d.active as active,
           d.created_at as createdAt, d.updated_at as updatedAt,
           coalesce(sum(c.kind = 's'), 0) as subdistricts,
           coalesce(sum(c.kind = 'w'), 0) as workstations,
           coalesce(sum(c.kind = 'p'), 0) as points,
           coalesce(sum(c.kind = 't'), 0) as studios
    from ${districts} d
    left join (
      select district_id, 's' as kind from ${subdistricts} where active = 1
      union all select district_id, 'w' from ${workstations} where active = 1
      union all select district_id, 'p' from ${socialWorkPoints} where active = 1
      union all select district_id, 't' from ${studios} where active = 1
    ) c on c.district_id = d.id
    group by d.id
    order by d.id
  `);
  return rows.map((r) => ({ ...r, active: r.active === 1 }));
}

function assertDistrictInput(tx: Tx, input: DistrictInput, exceptId?: number): void {
  assertNames(input);
  if (!input.code || input.code.length > CODE_MAX || !DISTRICT_CODE.test(input.code)) {
    throw new DomainError("organisation.district.codeFormat", "code");
  }
  const taken = tx
    .select({ id: districts.id })
    .from(districts)
    .where(exceptId ? and(eq(districts.code, input.code), ne(districts.id, exceptId)) : eq(districts.code, input.code))
    .get();
  if (taken) throw new DomainError("organisation.district.codeTaken", "code");
}

/** A unique-index race (two admins, same code) is still a field message, not a 500. */
function uniqueCodeRace(e: unknown): never {
  if (e instanceof Error && /UNIQUE constraint failed: districts\.code/.test(e.message)) {
    throw new DomainError("organisation.district.codeTaken", "code");
  }
  throw e;
}

export function createDistrict(db: Db, actor: Actor, input: DistrictInput): number {
  try {
    return db.transaction((tx) => {
      assertDistrictInput(tx, input);
      const row = tx
        .insert(districts)
        .values({ code: input.code, nameZh: input.nameZh, nameEn: input.nameEn })
        .returning({ id: districts.id })
        .get();
      recordAudit(tx, actor, { action: "create", entity: "district", entityId: row.id, details: { ...input } });
      return row.id;
    });
  } catch (e) {
    return uniqueCodeRace(e);
  }
}

export function updateDistrict(db: Db, actor: Actor, id: number, input: DistrictInput): void {
  try {
    db.transaction((tx) => {
      const before = tx.select().from(districts).where(eq(districts.id, id)).get();
      if (!before) throw new DomainError("form.unknownId");
      assertDistrictInput(tx, input, id);
      const next = { code: input.code, nameZh: input.nameZh, nameEn: input.nameEn };
      const changed = changes(before, next);
      if (!Object.keys(changed).length) return;
      tx.update(districts).set({ ...next, updatedAt: now() }).where(eq(districts.id, id)).run();
      recordAudit(tx, actor, { action: "update", entity: "district", entityId: id, details: changed });
    });
  } catch (e) {
    uniqueCodeRace(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Subdistricts and towns

export function listSubdistricts(db: Db, options: { districtId?: number; activeOnly?: boolean } = {}): Subdistrict[] {
  return db
    .select()
    .from(subdistricts)
    .where(
      and(
        options.districtId !== undefined ? eq(subdistricts.districtId, options.districtId) : undefined,
        options.activeOnly ? eq(subdistricts.active, true) : undefined,
      ),
    )
    .orderBy(asc(subdistricts.districtId), asc(subdistricts.id))
    .all();
}

export function getSubdistrict(db: Db, id: number): Subdistrict | undefined {
  return db.select().from(subdistricts).where(eq(subdistricts.id, id)).get();
}

function assertSubdistrictInput(input: SubdistrictInput): void {
  assertNames(input);
  if (!(SUBDISTRICT_KINDS as readonly string[]).includes(input.kind)) throw new DomainError("form.unknownChoice", "kind");
}

/** A subdistrict or workstation cannot move to another district while points still hang on it there. */
function assertNoPointsElsewhere(tx: Tx, column: typeof socialWorkPoints.subdistrictId | typeof socialWorkPoints.workstationId, id: number, districtId: number): void {
  const point = tx
    .select({ id: socialWorkPoints.id })
    .from(socialWorkPoints)
    .where(and(eq(column, id), ne(socialWorkPoints.districtId, districtId)))
    .limit(1)
    .get();
  if (point) throw new DomainError("organisation.error.hasPoints", "districtId");
}

export function createSubdistrict(db: Db, actor: Actor, input: SubdistrictInput): number {
  assertSubdistrictInput(input);
  return db.transaction((tx) => {
    assertDistrict(tx, input.districtId);
    const row = tx
      .insert(subdistricts)
      .values({ districtId: input.districtId, kind: input.kind, nameZh: input.nameZh, nameEn: input.nameEn })
      .returning({ id: subdistricts.id })
      .get();
    recordAudit(tx, actor, { action: "create", entity: "subdistrict", entityId: row.id, details: { ...input } });
    return row.id;
  });
}

export function updateSubdistrict(db: Db, actor: Actor, id: number, input: SubdistrictInput): void {
  assertSubdistrictInput(input);
  db.transaction((tx) => {
    const before = tx.select().from(subdistricts).where(eq(subdistricts.id, id)).get();
    if (!before) throw new DomainError("form.unknownId");
    assertDistrict(tx, input.districtId, before.districtId);
    if (input.districtId !== before.districtId) assertNoPointsElsewhere(tx, socialWorkPoints.subdistrictId, id, input.districtId);
    const next = { districtId: input.districtId, kind: input.kind, nameZh: input.nameZh, nameEn: input.nameEn };
    const changed = changes(before, next);
    if (!Object.keys(changed).length) return;
    tx.update(subdistricts).set({ ...next, updatedAt: now() }).where(eq(subdistricts.id, id)).run();
    recordAudit(tx, actor, { action: "update", entity: "subdistrict", entityId: id, details: changed });
  });
}

// ---------------------------------------------------------------------------------------------
// District workstations

export function listWorkstations(db: Db, options: { districtId?: number; activeOnly?: boolean } = {}): Workstation[] {
  return db
    .select()
    .from(workstations)
    .where(
      and(
        options.districtId !== undefined ? eq(workstations.districtId, options.districtId) : undefined,
        options.activeOnly ? eq(workstations.active, true) : undefined,
      ),
    )
    .orderBy(asc(workstations.districtId), asc(workstations.id))
    .all();
}

export function getWorkstation(db: Db, id: number): Workstation | undefined {
  return db.select().from(workstations).where(eq(workstations.id, id)).get();
}

function assertWorkstationInput(input: WorkstationInput): void {
  assertNames(input);
  assertText(input.address, "address", ADDRESS_MAX, false);
}

export function createWorkstation(db: Db, actor: Actor, input: WorkstationInput): number {
  assertWorkstationInput(input);
  return db.transaction((tx) => {
    assertDistrict(tx, input.districtId);
    const row = tx
      .insert(workstations)
      .values({ districtId: input.districtId, nameZh: input.nameZh, nameEn: input.nameEn, address: input.address })
      .returning({ id: workstations.id })
      .get();
    recordAudit(tx, actor, { action: "create", entity: "workstation", entityId: row.id, details: { ...input } });
    return row.id;
  });
}

export function updateWorkstation(db: Db, actor: Actor, id: number, input: WorkstationInput): void {
  assertWorkstationInput(input);
  db.transaction((tx) => {
    const before = tx.select().from(workstations).where(eq(workstations.id, id)).get();
    if (!before) throw new DomainError("form.unknownId");
    assertDistrict(tx, input.districtId, before.districtId);
    if (input.districtId !== before.districtId) assertNoPointsElsewhere(tx, socialWorkPoints.workstationId, id, input.districtId);
    const next = { districtId: input.districtId, nameZh: input.nameZh, nameEn: input.nameEn, address: input.address };
    const changed = changes(before, next);
    if (!Object.keys(changed).length) return;
    tx.update(workstations).set({ ...next, updatedAt: now() }).where(eq(workstations.id, id)).run();
    recordAudit(tx, actor, { action: "update", entity: "workstation", entityId: id, details: changed });
  });
}

// ---------------------------------------------------------------------------------------------
// Social-work points

export type PointRow = SocialWorkPoint & {
  subdistrictNameZh: string;
  subdistrictNameEn: string;
  workstationNameZh: string | null;
  workstationNameEn: string | null;
};

export function listPoints(db: Db, options: { districtId?: number; activeOnly?: boolean } = {}): PointRow[] {
  const rows = db
    .select({
      point: socialWorkPoints,
      subdistrictNameZh: subdistricts.nameZh,
      subdistrictNameEn: subdistricts.nameEn,
      workstationNameZh: workstations.nameZh,
      workstationNameEn: workstations.nameEn,
    })
    .from(socialWorkPoints)
    .innerJoin(subdistricts, eq(subdistricts.id, socialWorkPoints.subdistrictId))
    .leftJoin(workstations, eq(workstations.id, socialWorkPoints.workstationId))
    .where(
      and(
        options.districtId !== undefined ? eq(socialWorkPoints.districtId, options.districtId) : undefined,
        options.activeOnly ? eq(socialWorkPoints.active, true) : undefined,
      ),
    )
    .orderBy(asc(socialWorkPoints.districtId), asc(socialWorkPoints.id))
    .all();
  return rows.map(({ point, ...names }) => ({ ...point, ...names }));
}

export function getPoint(db: Db, id: number): SocialWorkPoint | undefined {
  return db.select().from(socialWorkPoints).where(eq(socialWorkPoints.id, id)).get();
}

/**
 * A point's subdistrict (required) and workstation (optional) must exist and belong to the
 * point's own district; an id from another district is a field message, never a 500.
 */
function assertPointParents(tx: Tx, input: PointInput, before?: SocialWorkPoint): void {
  assertDistrict(tx, input.districtId, before?.districtId);
  const subdistrict = tx.select().from(subdistricts).where(eq(subdistricts.id, input.subdistrictId)).get();
  if (!subdistrict) throw new DomainError("form.unknownId", "subdistrictId");
  if (subdistrict.districtId !== input.districtId) throw new DomainError("organisation.point.subdistrictOtherDistrict", "subdistrictId");
  if (!subdistrict.active && subdistrict.id !== before?.subdistrictId) throw new DomainError("organisation.error.parentInactive", "subdistrictId");
  if (input.workstationId !== null) {
    const workstation = tx.select().from(workstations).where(eq(workstations.id, input.workstationId)).get();
    if (!workstation) throw new DomainError("form.unknownId", "workstationId");
    if (workstation.districtId !== input.districtId) throw new DomainError("organisation.point.workstationOtherDistrict", "workstationId");
    if (!workstation.active && workstation.id !== before?.workstationId) throw new DomainError("organisation.error.parentInactive", "workstationId");
  }
}

function assertPointInput(input: PointInput): void {
  assertNames(input);
  assertText(input.address, "address", ADDRESS_MAX, false);
}

export function createPoint(db: Db, actor: Actor, input: PointInput): number {
  assertPointInput(input);
  return db.transaction((tx) => {
    assertPointParents(tx, input);
    const row = tx
      .insert(socialWorkPoints)
      .values({
        districtId: input.districtId,
        subdistrictId: input.subdistrictId,
        workstationId: input.workstationId,
        nameZh: input.nameZh,
        nameEn: input.nameEn,
        address: input.address,
      })
      .returning({ id: socialWorkPoints.id })
      .get();
    recordAudit(tx, actor, { action: "create", entity: "social_work_point", entityId: row.id, details: { ...input } });
    return row.id;
  });
}

export function updatePoint(db: Db, actor: Actor, id: number, input: PointInput): void {
  assertPointInput(input);
  db.transaction((tx) => {
    const before = tx.select().from(socialWorkPoints).where(eq(socialWorkPoints.id, id)).get();
    if (!before) throw new DomainError("form.unknownId");
    assertPointParents(tx, input, before);
    const next = {
      districtId: input.districtId,
      subdistrictId: input.subdistrictId,
      workstationId: input.workstationId,
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      address: input.address,
    };
    const changed = changes(before, next);
    if (!Object.keys(changed).length) return;
    tx.update(socialWorkPoints).set({ ...next, updatedAt: now() }).where(eq(socialWorkPoints.id, id)).run();
    recordAudit(tx, actor, { action: "update", entity: "social_work_point", entityId: id, details: changed });
  });
}

// ---------------------------------------------------------------------------------------------
// Peer-education studios

export function listStudios(db: Db, options: { districtId?: number; activeOnly?: boolean } = {}): Studio[] {
  return db
    .select()
    .from(studios)
    .where(
      and(
        options.districtId !== undefined ? eq(studios.districtId, options.districtId) : undefined,
        options.activeOnly ? eq(studios.active, true) : undefined,
      ),
    )
    .orderBy(asc(studios.districtId), asc(studios.id))
    .all();
}

export function getStudio(db: Db, id: number): Studio | undefined {
  return db.select().from(studios).where(eq(studios.id, id)).get();
}

function assertStudioInput(input: StudioInput): void {
  assertNames(input);
  assertText(input.address, "address", ADDRESS_MAX);
  if (!Number.isInteger(input.capacity) || input.capacity < CAPACITY_MIN || input.capacity > CAPACITY_MAX) {
    throw new DomainError(`form.numberRange?min=${CAPACITY_MIN}&max=${CAPACITY_MAX}`, "capacity");
  }
  const problem = openingHoursProblems(input.openingHours)[0];
  if (problem) throw new DomainError(problem.key, problem.field);
}

export function createStudio(db: Db, actor: Actor, input: StudioInput): number {
  assertStudioInput(input);
  return db.transaction((tx) => {
    assertDistrict(tx, input.districtId);
    const row = tx
      .insert(studios)
      .values({
        districtId: input.districtId,
        nameZh: input.nameZh,
        nameEn: input.nameEn,
        address: input.address,
        capacity: input.capacity,
        openingHours: sortPeriods(input.openingHours),
      })
      .returning({ id: studios.id })
      .get();
    recordAudit(tx, actor, { action: "create", entity: "studio", entityId: row.id, details: { ...input } });
    return row.id;
  });
}

export function updateStudio(db: Db, actor: Actor, id: number, input: StudioInput): void {
  assertStudioInput(input);
  db.transaction((tx) => {
    const before = tx.select().from(studios).where(eq(studios.id, id)).get();
    if (!before) throw new DomainError("form.unknownId");
    assertDistrict(tx, input.districtId, before.districtId);
    const next = {
      districtId: input.districtId,
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      address: input.address,
      capacity: input.capacity,
      openingHours: sortPeriods(input.openingHours),
    };
    const changed = changes(before, next);
    if (!Object.keys(changed).length) return;
    tx.update(studios).set({ ...next, updatedAt: now() }).where(eq(studios.id, id)).run();
    recordAudit(tx, actor, { action: "update", entity: "studio", entityId: id, details: changed });
  });
}

// ---------------------------------------------------------------------------------------------
// Deactivating and reactivating (never deleting)

const TABLES = {
  district: districts,
  subdistrict: subdistricts,
  workstation: workstations,
  social_work_point: socialWorkPoints,
  studio: studios,
} as const;

/** The facts a confirmation page needs about any kind of place. */
export type OrgUnitSummary = { kind: OrgKind; id: number; districtId: number; nameZh: string; nameEn: string; active: boolean };

export function getOrgUnit(db: Db, kind: OrgKind, id: number): OrgUnitSummary | undefined {
  if (kind === "district") {
    const d = getDistrict(db, id);
    return d && { kind, id: d.id, districtId: d.id, nameZh: d.nameZh, nameEn: d.nameEn, active: d.active };
  }
  const table = TABLES[kind];
  const row = db
    .select({ id: table.id, districtId: table.districtId, nameZh: table.nameZh, nameEn: table.nameEn, active: table.active })
    .from(table)
    .where(eq(table.id, id))
    .get();
  return row && { kind, ...row };
}

/**
 * Marks a place active or inactive. Nothing is deleted and nothing else changes: records that
 * point at it keep pointing at it; it is only no longer offered for new links.
 */
export function setOrgUnitActive(db: Db, actor: Actor, kind: OrgKind, id: number, active: boolean, reason = ""): void {
  const table = TABLES[kind];
  db.transaction((tx) => {
    const row = tx.select({ active: table.active }).from(table).where(eq(table.id, id)).get();
    if (!row) throw new DomainError("form.unknownId");
    if (row.active === active) return;
    tx.update(table).set({ active, updatedAt: now() }).where(eq(table.id, id)).run();
    recordAudit(tx, actor, {
      action: active ? "activate" : "deactivate",
      entity: kind,
      entityId: id,
      details: reason ? { reason } : undefined,
    });
  });
}

export const setDistrictActive = (db: Db, actor: Actor, id: number, active: boolean, reason?: string) =>
  setOrgUnitActive(db, actor, "district", id, active, reason);
export const setSubdistrictActive = (db: Db, actor: Actor, id: number, active: boolean, reason?: string) =>
  setOrgUnitActive(db, actor, "subdistrict", id, active, reason);
export const setWorkstationActive = (db: Db, actor: Actor, id: number, active: boolean, reason?: string) =>
  setOrgUnitActive(db, actor, "workstation", id, active, reason);
export const setPointActive = (db: Db, actor: Actor, id: number, active: boolean, reason?: string) =>
  setOrgUnitActive(db, actor, "social_work_point", id, active, reason);
export const setStudioActive = (db: Db, actor: Actor, id: number, active: boolean, reason?: string) =>
  setOrgUnitActive(db, actor, "studio", id, active, reason);
