/**
 * Who may run which report over what (issue 7; permissions: read:report any / district / own):
 * admins everything; coordinators their districts; everyone else their own work — a social
 * worker's caseload, a peer tutor's mentees and facilitated sessions, a trainer's cohorts, anyone's
 * own volunteer hours. The scope goes inside each report's SQL, never applied afterwards.
 */
import { asc, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { districts } from "#db/schema";
import { hasRole, rowScope, type RowScope } from "~/auth/permissions";
import type { Viewer } from "~/domain/clients/access.server";
import { REPORT_NAMES, REPORTS, type ReportName } from "./definitions";

export type Reader = Pick<Db, "select" | "all">;
export type { Viewer };

export function reportScope(viewer: Viewer): RowScope {
  return rowScope(viewer, "read:report");
}

/** The reports the viewer may run, in the catalogue's order. */
export function availableReports(viewer: Viewer): ReportName[] {
  const scope = reportScope(viewer);
  if (scope.kind === "none") return [];
  if (scope.kind === "all" || scope.kind === "districts") return [...REPORT_NAMES];
  const worker = hasRole(viewer, "social_worker") || hasRole(viewer, "peer_tutor");
  return REPORT_NAMES.filter((name) => {
    switch (REPORTS[name].ownScope) {
      case "clients":
      case "sessions":
        return worker;
      case "cohorts":
        return hasRole(viewer, "trainer");
      case "hours":
        return true;
      default:
        return false;
    }
  });
}

export type DistrictChoice = { id: number; nameZh: string; nameEn: string };

/** The districts the viewer may break a report down by or filter it to: all, theirs, or none (own work). */
export function reportDistricts(db: Reader, viewer: Viewer): DistrictChoice[] {
  const scope = reportScope(viewer);
  if (scope.kind === "none" || scope.kind === "own") return [];
  const q = db.select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts);
  return (scope.kind === "all" ? q : q.where(inArray(districts.id, scope.districtIds))).orderBy(asc(districts.code), asc(districts.id)).all();
}

/** SQL: `column` (a district id) lies in the viewer's districts and in the ones asked for. */
export function districtCondition(scope: RowScope, column: SQL | { getSQL(): SQL }, asked?: readonly number[]): SQL {
  const parts: SQL[] = [];
  if (scope.kind === "districts") parts.push(scope.districtIds.length ? sql`${column} in (${sql.join(scope.districtIds.map((d) => sql`${d}`), sql`, `)})` : sql`0`);
  if (asked) parts.push(asked.length ? sql`${column} in (${sql.join(asked.map((d) => sql`${d}`), sql`, `)})` : sql`0`);
  return parts.length ? sql.join(parts, sql` and `) : sql`1 = 1`;
}

/** The command line's viewer: an operator on the server sees the whole city. */
export const OPERATOR_VIEWER: Viewer = { id: 0, personId: 0, roles: [{ role: "admin", districtId: null }] };
