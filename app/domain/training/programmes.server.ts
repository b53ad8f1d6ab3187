/**
 * Training programmes (versioned) and their modules. A programme version that a cohort has started
 * (any cohort past "planning") is frozen: changing the curriculum means a new version, so a
 * certified cohort's requirements never change behind it. Every write is audited in its transaction.
 */
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { cohorts, trainingModules, trainingProgrammes } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import type { ModuleInput, ProgrammeInput } from "./schemas";

export type Programme = typeof trainingProgrammes.$inferSelect;
export type TrainingModule = typeof trainingModules.$inferSelect;
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const now = () => new Date().toISOString();

export type ProgrammeRow = Programme & { modules: number; cohorts: number };

/** Every programme version, newest first within a code. Programmes are few (a handful of versions). */
export function listProgrammes(db: Db): ProgrammeRow[] {
  return db
    .select({
      programme: trainingProgrammes,
      modules: sql<number>`(select count(*) from ${trainingModules} m where m.programme_id = ${trainingProgrammes.id})`,
      cohorts: sql<number>`(select count(*) from ${cohorts} c where c.programme_id = ${trainingProgrammes.id})`,
    })
    .from(trainingProgrammes)
    .orderBy(asc(trainingProgrammes.code), sql`${trainingProgrammes.version} desc`)
    .all()
    .map((r) => ({ ...r.programme, modules: r.modules, cohorts: r.cohorts }));
}

export function getProgramme(db: Db | Tx, programmeId: number): Programme | undefined {
  return db.select().from(trainingProgrammes).where(eq(trainingProgrammes.id, programmeId)).get();
}

export function listModules(db: Db | Tx, programmeId: number): TrainingModule[] {
  return db
    .select()
    .from(trainingModules)
    .where(eq(trainingModules.programmeId, programmeId))
    .orderBy(asc(trainingModules.position), asc(trainingModules.id))
    .all();
}

/** Whether a cohort has started on this programme version (then it is frozen). */
export function isProgrammeFrozen(db: Db | Tx, programmeId: number): boolean {
  return !!db
    .select({ id: cohorts.id })
    .from(cohorts)
    .where(and(eq(cohorts.programmeId, programmeId), ne(cohorts.status, "planning")))
    .get();
}

function assertEditable(tx: Tx, programmeId: number): Programme {
  const programme = getProgramme(tx, programmeId);
  if (!programme) throw new DomainError("form.unknownId", "_form");
  if (isProgrammeFrozen(tx, programmeId)) throw new DomainError("training.programme.frozen", "_form");
  return programme;
}

export function createProgramme(db: Db, actor: Actor, input: ProgrammeInput): number {
  return db.transaction((tx) => {
    const taken = tx.select({ id: trainingProgrammes.id }).from(trainingProgrammes).where(eq(trainingProgrammes.code, input.code)).get();
    if (taken) throw new DomainError("training.programme.codeTaken", "code");
    const row = tx.insert(trainingProgrammes).values({ ...input, version: 1 }).returning().get();
    recordAudit(tx, actor, { action: "create", entity: "training_programme", entityId: row.id, details: { code: row.code, version: 1 } });
    return row.id;
  });
}

export function updateProgramme(db: Db, actor: Actor, programmeId: number, input: Omit<ProgrammeInput, "code">): void {
  db.transaction((tx) => {
    const before = assertEditable(tx, programmeId);
    tx.update(trainingProgrammes).set({ ...input, updatedAt: now() }).where(eq(trainingProgrammes.id, programmeId)).run();
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(input)) {
      const from = before[k as keyof Programme];
      if (from !== v) changed[k] = { from, to: v };
    }
    recordAudit(tx, actor, { action: "update", entity: "training_programme", entityId: programmeId, details: changed });
  });
}

/** Copies a programme and its modules as the next version of its code. Returns the new id. */
export function newProgrammeVersion(db: Db, actor: Actor, programmeId: number): number {
  return db.transaction((tx) => {
    const source = getProgramme(tx, programmeId);
    if (!source) throw new DomainError("form.unknownId", "_form");
    const version =
      (tx
        .select({ v: sql<number>`max(${trainingProgrammes.version})` })
        .from(trainingProgrammes)
        .where(eq(trainingProgrammes.code, source.code))
        .get()?.v ?? 0) + 1;
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = source;
    const copy = tx.insert(trainingProgrammes).values({ ...fields, version }).returning().get();
    for (const m of listModules(tx, programmeId)) {
      const { id: _mid, createdAt: _mc, updatedAt: _mu, programmeId: _p, ...mfields } = m;
      tx.insert(trainingModules).values({ ...mfields, programmeId: copy.id }).run();
    }
    recordAudit(tx, actor, {
      action: "create",
      entity: "training_programme",
      entityId: copy.id,
      details: { code: copy.code, version, copiedFrom: programmeId },
    });
    return copy.id;
  });
}

function assertModuleCodeFree(tx: Tx, programmeId: number, code: string, exceptId?: number): void {
  const clash = tx
    .select({ id: trainingModules.id })
    .from(trainingModules)
    .where(and(eq(trainingModules.programmeId, programmeId), eq(trainingModules.code, code)))
    .get();
  if (clash && clash.id !== exceptId) throw new DomainError("training.module.codeTaken", "code");
}

export function addModule(db: Db, actor: Actor, programmeId: number, input: ModuleInput): number {
  return db.transaction((tx) => {
    assertEditable(tx, programmeId);
    assertModuleCodeFree(tx, programmeId, input.code);
    const row = tx.insert(trainingModules).values({ ...input, programmeId }).returning().get();
    recordAudit(tx, actor, { action: "create", entity: "training_module", entityId: row.id, details: { programmeId, code: row.code } });
    return row.id;
  });
}

export function updateModule(db: Db, actor: Actor, programmeId: number, moduleId: number, input: ModuleInput): void {
  db.transaction((tx) => {
    assertEditable(tx, programmeId);
    const before = tx
      .select()
      .from(trainingModules)
      .where(and(eq(trainingModules.id, moduleId), eq(trainingModules.programmeId, programmeId)))
      .get();
    if (!before) throw new DomainError("form.unknownId", "moduleId");
    assertModuleCodeFree(tx, programmeId, input.code, moduleId);
    tx.update(trainingModules).set({ ...input, updatedAt: now() }).where(eq(trainingModules.id, moduleId)).run();
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(input)) {
      const from = before[k as keyof TrainingModule];
      if (from !== v) changed[k] = { from, to: v };
    }
    recordAudit(tx, actor, { action: "update", entity: "training_module", entityId: moduleId, details: changed });
  });
}
