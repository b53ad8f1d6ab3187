/**
 * Volunteer hours (DESIGN.md §5, peer tutors): approved hours in the period, per district of the
 * entry. Computed by the volunteering area's one definition, `approvedMinutes`: once per district
 * the viewer may see (16 at most, whatever the number of entries) and once for the total; a
 * person reporting on their own work sees their own approved hours.
 */
import type { Db } from "#db/client";
import { approvedMinutes } from "~/domain/volunteering";
import type { ReportParams } from "./params";
import { reportDistricts, reportScope, type Viewer } from "./scope.server";
import type { ReportResult, ReportRow } from "./types";

type Reader = Pick<Db, "select" | "all">;

export function volunteerHoursReport(db: Reader, viewer: Viewer, params: ReportParams): ReportResult {
  const scope = reportScope(viewer);
  const period = { from: params.from, to: params.to };
  if (scope.kind === "none") return { name: "volunteer-hours", params, rows: [], totals: { approvedHours: 0 }, notes: {} };
  if (scope.kind === "own") {
    const minutes = approvedMinutes(db, { ...period, personId: viewer.personId });
    const rows: ReportRow[] = minutes > 0 ? [{ key: "own", labelZh: "本人", labelEn: "Own", values: { approvedHours: minutes } }] : [];
    return { name: "volunteer-hours", params, rows, totals: { approvedHours: minutes }, notes: {} };
  }
  const districts = reportDistricts(db, viewer).filter((d) => !params.districtIds || params.districtIds.includes(d.id));
  const rows: ReportRow[] = [];
  for (const d of districts) {
    const minutes = approvedMinutes(db, { ...period, districtIds: [d.id] });
    if (minutes > 0) rows.push({ key: String(d.id), labelZh: d.nameZh, labelEn: d.nameEn, values: { approvedHours: minutes } });
  }
  const total = scope.kind === "all" && !params.districtIds ? approvedMinutes(db, period) : approvedMinutes(db, { ...period, districtIds: districts.map((d) => d.id) });
  return { name: "volunteer-hours", params, rows, totals: { approvedHours: total }, notes: {} };
}
