/**
 * The access rules of DESIGN.md section 4, as code. This module is the only place that decides
 * who may do what; loaders and actions ask it through the guards in guards.server.ts, and the
 * domain layer asks it for the scope to put inside its SQL.
 *
 * A permission is `action:entity:scope`:
 * - scope `any`: everywhere;
 * - scope `district`: inside the districts of the role grant (a grant without a district is city-wide);
 * - scope `own`: only records the person owns (their caseload, their sessions, their cohorts);
 *   the domain layer says whether a record is theirs.
 */
import type { Role, RoleGrant, SessionUser } from "./roles";

export const ACTIONS = ["read", "edit", "attend", "create", "approve", "certify", "reveal", "log", "assign"] as const;
export const ENTITIES = [
  "org", // districts, subdistricts, workstations, points, studios (structure)
  "settings",
  "session", // studios' groups and group sessions
  "client",
  "clientIdentity",
  "caseRecord", // plans, substance events, recognitions, assessments, flags, consents
  "contact", // contact log entries
  "flag", // risk and crisis flags
  "recoveryAssessment", // BARC-10
  "plan",
  "caseload", // who supports which client
  "training", // cohorts, assessments
  "certificate",
  "hours",
  "report",
  "project", // funded projects and their targets
  "data", // operator data work: imports, exports of whole tables, backups
  "user",
  "audit",
] as const;
export type Action = (typeof ACTIONS)[number];
export type Entity = (typeof ENTITIES)[number];
export type Scope = "any" | "district" | "own";
export type Permission = `${Action}:${Entity}:${Scope}`;
export type PermissionRequest = `${Action}:${Entity}`;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    "read:org:any", "edit:org:any", "read:settings:any", "edit:settings:any",
    "read:session:any", "edit:session:any", "attend:session:any",
    "read:client:any", "reveal:clientIdentity:any", "read:caseRecord:any", "read:contact:any", "approve:plan:any",
    "assign:caseload:any",
    "read:training:any", "edit:training:any", "certify:training:any", "read:certificate:any", "edit:certificate:any",
    "read:hours:any", "approve:hours:any", "log:hours:own",
    "read:report:any", "read:project:any", "edit:project:any",
    "read:data:any", "edit:data:any",
    "read:user:any", "edit:user:any", "read:audit:any",
  ],
  coordinator: [
    "read:org:any",
    "read:session:any", "edit:session:district", "attend:session:own",
    "read:client:district", "create:client:district", "read:caseRecord:district", "read:contact:district",
    "approve:plan:district", "assign:caseload:district", "create:flag:district", "edit:flag:district",
    "read:training:any", "read:certificate:any",
    "read:hours:district", "approve:hours:district", "log:hours:own",
    "read:report:district", "read:project:district",
  ],
  social_worker: [
    "read:org:any",
    "read:session:any", "attend:session:own",
    "read:client:own", "create:client:own", "edit:client:own", "reveal:clientIdentity:own",
    "read:caseRecord:own", "create:caseRecord:own", "edit:caseRecord:own", "read:contact:own", "create:contact:own",
    "create:flag:own", "edit:flag:own", "create:recoveryAssessment:own",
    "read:training:any", "read:certificate:any",
    "read:hours:own", "log:hours:own",
    "read:report:own",
  ],
  peer_tutor: [
    "read:org:any",
    "read:session:any", "attend:session:own",
    "read:client:own", "read:caseRecord:own", "read:contact:own", "create:contact:own",
    "create:flag:own", "create:recoveryAssessment:own",
    "read:certificate:own",
    "read:hours:own", "log:hours:own",
    "read:report:own",
  ],
  trainer: [
    "read:org:any",
    "read:session:any",
    "read:training:any", "edit:training:own", "certify:training:own", "read:certificate:any", "edit:certificate:any",
    "read:hours:own", "log:hours:own",
    "read:report:own",
  ],
};

export type PermissionContext = {
  /** the district of the record in question */
  districtId?: number | null;
  /** whether the record belongs to the person (decided by the domain layer) */
  own?: boolean;
};

type Holder = Pick<SessionUser, "roles">;

function grantsFor(user: Holder, request: PermissionRequest): { scope: Scope; grant: RoleGrant }[] {
  const out: { scope: Scope; grant: RoleGrant }[] = [];
  for (const grant of user.roles) {
    for (const permission of ROLE_PERMISSIONS[grant.role] ?? []) {
      const cut = permission.lastIndexOf(":");
      if (permission.slice(0, cut) === request) {
        out.push({ scope: permission.slice(cut + 1) as Scope, grant });
      }
    }
  }
  return out;
}

/**
 * Whether the user holds the permission. Without a context, any scope answers yes (the page may
 * open; its queries then limit the rows). With a context, the scope must cover the record.
 */
export function can(user: Holder, request: PermissionRequest, context?: PermissionContext): boolean {
  const grants = grantsFor(user, request);
  if (!context) return grants.length > 0;
  return grants.some(({ scope, grant }) => {
    if (scope === "any") return true;
    if (scope === "district") {
      if (grant.districtId === null) return true;
      return context.districtId != null && context.districtId === grant.districtId;
    }
    return context.own === true;
  });
}

/** Where a list query may look: everywhere, some districts, or only the person's own records. */
export type RowScope =
  | { kind: "all" }
  | { kind: "districts"; districtIds: number[]; alsoOwn: boolean }
  | { kind: "own" }
  | { kind: "none" };

/** The widest scope the user holds for a permission, for the domain layer to put in its WHERE clause. */
export function rowScope(user: Holder, request: PermissionRequest): RowScope {
  const grants = grantsFor(user, request);
  if (grants.length === 0) return { kind: "none" };
  if (grants.some((g) => g.scope === "any" || (g.scope === "district" && g.grant.districtId === null))) {
    return { kind: "all" };
  }
  const districtIds = [
    ...new Set(grants.filter((g) => g.scope === "district").map((g) => g.grant.districtId as number)),
  ].sort((a, b) => a - b);
  const alsoOwn = grants.some((g) => g.scope === "own");
  if (districtIds.length > 0) return { kind: "districts", districtIds, alsoOwn };
  return { kind: "own" };
}

export function hasRole(user: Holder, role: Role): boolean {
  return user.roles.some((r) => r.role === role);
}

/** Districts a user's grants of a role are limited to (null: city-wide). */
export function roleDistricts(user: Holder, role: Role): number[] | null {
  const grants = user.roles.filter((r) => r.role === role);
  if (grants.some((g) => g.districtId === null)) return null;
  return grants.map((g) => g.districtId as number);
}
