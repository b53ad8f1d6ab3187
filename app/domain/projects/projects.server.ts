/**
 * Funded projects (公益项目 / 政府购买服务): a funder, a kind, a period, the districts served, a
 * budget and targets per metric. Admins create and edit them (edit:project); admins read all and
 * coordinators read the projects that serve at least one of their districts (read:project:district).
 * Scoped inside the SQL. Every write is audited in its transaction.
 */
import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { districts, PROJECT_KINDS, PROJECT_METRICS, PROJECT_STATUSES, projectDistricts, projects, projectTargets, type ProjectKind, type ProjectMetric } from "#db/schema";
import { rowScope } from "~/auth/permissions";
import type { SessionUser } from "~/auth/roles";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { choice, ID_PATTERN, isoDate, msg, optionalText, text } from "~/domain/shared/fields";

export type Viewer = Pick<SessionUser, "id" | "personId" | "roles">;

export const PROJECT_NAME_MAX = 120;
export const PROJECT_FUNDER_MAX = 120;
export const PROJECT_NOTES_MAX = 2000;
/** one hundred million yuan, in fen: far above any project of the program */
export const PROJECT_BUDGET_MAX_FEN = 10_000_000_000;
export const PROJECT_TARGET_MAX = 10_000_000;

/** Money typed in yuan with at most two decimals ("12,000.50" or "12000.5"), kept as fen. */
const yuan = z
  .string()
  .optional()
  .transform((s) => (s ?? "").replace(/[,，\s]/g, ""))
  .pipe(
    z
      .string()
      .regex(/^(\d{1,11})(\.\d{1,2})?$|^$/, { error: "projects.error.budget" })
      .transform((s) => {
        if (s === "") return 0;
        const [whole, frac = ""] = s.split(".");
        return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
      })
      .pipe(z.number().max(PROJECT_BUDGET_MAX_FEN, { error: "projects.error.budget" })),
  );

/** A target field: empty means "no target for this metric". */
const target = z
  .string()
  .optional()
  .transform((s) => (s ?? "").trim())
  .pipe(
    z
      .string()
      .regex(/^\d{0,9}$/, { error: "form.notANumber" })
      .transform((s) => (s === "" ? null : Number(s)))
      .pipe(
        z
          .number()
          .int()
          .min(1, { error: msg("form.numberRange", { min: 1, max: PROJECT_TARGET_MAX }) })
          .max(PROJECT_TARGET_MAX, { error: msg("form.numberRange", { min: 1, max: PROJECT_TARGET_MAX }) })
          .nullable(),
      ),
  );

const districtIds = z
  .array(z.string().trim().regex(ID_PATTERN, { error: "projects.error.unknownDistrict" }).transform(Number), { error: "projects.error.noDistrict" })
  .min(1, { error: "projects.error.noDistrict" })
  .max(50, { error: "projects.error.unknownDistrict" });

/** The project form (new and edit). Targets are fields `target_<metric>`; districts repeat `districts`. */
export const ProjectSchema = z.object({
  name: text({ max: PROJECT_NAME_MAX }),
  funder: text({ max: PROJECT_FUNDER_MAX }),
  kind: choice(PROJECT_KINDS),
  startsOn: isoDate,
  endsOn: isoDate,
  budget: yuan,
  notes: optionalText({ max: PROJECT_NOTES_MAX, multiline: true }),
  status: choice(PROJECT_STATUSES).optional().default("active"),
  districts: districtIds,
  targets: z.object(Object.fromEntries(PROJECT_METRICS.map((m) => [m, target])) as Record<ProjectMetric, typeof target>),
});
export type ProjectInput = z.output<typeof ProjectSchema>;

/** Shapes a posted form for ProjectSchema: repeated `districts`, targets from `target_<metric>`. */
export function projectFormShape(input: { values: Record<string, string>; multi: Record<string, string[]> }): unknown {
  return {
    ...input.values,
    districts: input.multi.districts ?? [],
    targets: Object.fromEntries(PROJECT_METRICS.map((m) => [m, input.values[`target_${m}`]])),
  };
}

/** The message of each refused target field (`target_<metric>`), to show under that field. */
export function targetFieldErrors(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of PROJECT_METRICS) {
    const r = target.safeParse(values[`target_${m}`]);
    if (!r.success) out[`target_${m}`] = r.error.issues[0]?.message ?? "form.invalid";
  }
  return out;
}

/** The rules a form cannot check alone: the period's order and the districts' existence. */
function checkInput(db: Pick<Db, "select">, input: ProjectInput): void {
  if (input.endsOn < input.startsOn) throw new DomainError("projects.error.periodOrder", "endsOn");
  const unique = [...new Set(input.districts)];
  const known = db.select({ id: districts.id }).from(districts).where(inArray(districts.id, unique)).all();
  if (known.length !== unique.length) throw new DomainError("projects.error.unknownDistrict", "districts");
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

function writeDistrictsAndTargets(tx: Tx, projectId: number, input: ProjectInput): void {
  tx.delete(projectDistricts).where(eq(projectDistricts.projectId, projectId)).run();
  tx.insert(projectDistricts)
    .values([...new Set(input.districts)].map((districtId) => ({ projectId, districtId })))
    .run();
  tx.delete(projectTargets).where(eq(projectTargets.projectId, projectId)).run();
  const targets = PROJECT_METRICS.flatMap((metric) => (input.targets[metric] ? [{ projectId, metric, target: input.targets[metric]! }] : []));
  if (targets.length) tx.insert(projectTargets).values(targets).run();
}

function auditDetails(input: ProjectInput) {
  return {
    name: input.name,
    funder: input.funder,
    kind: input.kind,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    budgetFen: input.budget,
    status: input.status,
    districts: [...new Set(input.districts)],
    targets: Object.fromEntries(PROJECT_METRICS.filter((m) => input.targets[m]).map((m) => [m, input.targets[m]])),
  };
}

export function createProject(db: Db, actor: Actor, input: ProjectInput): number {
  checkInput(db, input);
  return db.transaction((tx) => {
    const id = tx
      .insert(projects)
      .values({
        name: input.name,
        funder: input.funder,
        kind: input.kind,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        budgetFen: input.budget,
        notes: input.notes,
        status: input.status,
        createdByUserId: actor.userId,
      })
      .returning({ id: projects.id })
      .get().id;
    writeDistrictsAndTargets(tx, id, input);
    recordAudit(tx, actor, { action: "create", entity: "project", entityId: id, details: auditDetails(input) });
    return id;
  });
}

export function updateProject(db: Db, actor: Actor, projectId: number, input: ProjectInput): void {
  checkInput(db, input);
  db.transaction((tx) => {
    const changed = tx
      .update(projects)
      .set({
        name: input.name,
        funder: input.funder,
        kind: input.kind,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        budgetFen: input.budget,
        notes: input.notes,
        status: input.status,
        updatedAt: new Date().toISOString(),
      })
      .where(eq(projects.id, projectId))
      .run().changes;
    if (changed === 0) throw new DomainError("form.unknownId", "_form");
    writeDistrictsAndTargets(tx, projectId, input);
    recordAudit(tx, actor, { action: "update", entity: "project", entityId: projectId, details: auditDetails(input) });
  });
}

/** SQL: the projects the viewer may read (read:project), inside the query. */
function projectScope(viewer: Viewer): SQL | undefined {
  const scope = rowScope(viewer, "read:project");
  if (scope.kind === "all") return undefined;
  if (scope.kind === "districts" && scope.districtIds.length > 0) {
    return sql`exists (select 1 from ${projectDistricts} pd where pd.project_id = ${projects.id} and pd.district_id in (${sql.join(
      scope.districtIds.map((d) => sql`${d}`),
      sql`, `,
    )}))`;
  }
  return sql`0`;
}

export type ProjectListRow = {
  id: number;
  name: string;
  funder: string;
  kind: ProjectKind;
  startsOn: string;
  endsOn: string;
  status: "active" | "closed";
  districts: { id: number; nameZh: string; nameEn: string }[];
};

export const PROJECT_LIST_STATUSES = ["active", "closed"] as const;

/** One page of the projects the viewer may read, newest period first. Districts in one more query for the page. */
export function listProjects(
  db: Db,
  viewer: Viewer,
  filter: { status?: "active" | "closed" | null },
  page: { limit: number; offset: number },
): { rows: ProjectListRow[]; total: number } {
  const where = and(projectScope(viewer), filter.status ? eq(projects.status, filter.status) : undefined);
  const rows = db
    .select({ id: projects.id, name: projects.name, funder: projects.funder, kind: projects.kind, startsOn: projects.startsOn, endsOn: projects.endsOn, status: projects.status })
    .from(projects)
    .where(where)
    .orderBy(desc(projects.startsOn), asc(projects.name), asc(projects.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  const total = db.select({ n: count() }).from(projects).where(where).get()?.n ?? 0;
  const byProject = districtsOf(db, rows.map((r) => r.id));
  return { rows: rows.map((r) => ({ ...r, districts: byProject.get(r.id) ?? [] })), total };
}

function districtsOf(db: Pick<Db, "select">, projectIds: number[]): Map<number, { id: number; nameZh: string; nameEn: string }[]> {
  const out = new Map<number, { id: number; nameZh: string; nameEn: string }[]>();
  if (projectIds.length === 0) return out;
  const rows = db
    .select({ projectId: projectDistricts.projectId, id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn })
    .from(projectDistricts)
    .innerJoin(districts, eq(districts.id, projectDistricts.districtId))
    .where(inArray(projectDistricts.projectId, projectIds))
    .orderBy(districts.code, districts.id)
    .all();
  for (const { projectId, ...d } of rows) {
    const list = out.get(projectId) ?? [];
    list.push(d);
    out.set(projectId, list);
  }
  return out;
}

export type ProjectDetail = {
  id: number;
  name: string;
  funder: string;
  kind: ProjectKind;
  startsOn: string;
  endsOn: string;
  budgetFen: number;
  notes: string;
  status: "active" | "closed";
  districts: { id: number; nameZh: string; nameEn: string }[];
  targets: Partial<Record<ProjectMetric, number>>;
};

/** A project the viewer may read, or null (unknown or out of scope: the route answers 404 for both). */
export function getProject(db: Db, viewer: Viewer, projectId: number): ProjectDetail | null {
  const row = db
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), projectScope(viewer)))
    .get();
  if (!row) return null;
  const targets = db.select({ metric: projectTargets.metric, target: projectTargets.target }).from(projectTargets).where(eq(projectTargets.projectId, projectId)).all();
  return {
    id: row.id,
    name: row.name,
    funder: row.funder,
    kind: row.kind,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    budgetFen: row.budgetFen,
    notes: row.notes,
    status: row.status,
    districts: districtsOf(db, [row.id]).get(row.id) ?? [],
    targets: Object.fromEntries(targets.map((t) => [t.metric, t.target])),
  };
}

/** The form's values for editing a project (budget back in yuan). */
export function projectFormValues(p: ProjectDetail): Record<string, string> {
  const fen = p.budgetFen;
  const budget = fen % 100 === 0 ? String(fen / 100) : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
  return {
    name: p.name,
    funder: p.funder,
    kind: p.kind,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    budget,
    notes: p.notes,
    status: p.status,
    ...Object.fromEntries(Object.entries(p.targets).map(([m, t]) => [`target_${m}`, String(t)])),
  };
}

export { PROJECT_KINDS, PROJECT_METRICS, PROJECT_STATUSES };
export type { ProjectKind, ProjectMetric };
