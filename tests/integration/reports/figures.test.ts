/**
 * Each outcome figure on the hand-built data set of report-data.ts, whose answers are worked out
 * there: DESIGN.md §5's edge cases (a relapse after recognition, a facility release, 29 February,
 * a client closed before the date) and the viewer's scope (admin all, coordinator own districts,
 * social worker own caseload, peer tutor own sessions and hours, trainer own cohorts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { userRoles, users } from "#db/schema";
import type { RoleGrant } from "~/auth/roles";
import {
  abstinenceReport,
  availableReports,
  clientsServedReport,
  contactCadenceReport,
  parseReportParams,
  peerTutorsReport,
  relapseReport,
  retentionReport,
  sessionsReport,
  studioUtilisationReport,
  volunteerHoursReport,
  type ReportName,
  type ReportParams,
  type ReportResult,
} from "~/domain/reports";
import { addTrainer } from "../../training-factories";
import { makeSignedInUser } from "../../factories";
import { buildReportData, D } from "./report-data";

type Data = Awaited<ReturnType<typeof buildReportData>>;
let data: Data;

function viewer(user: { id: number }) {
  const db = getDb();
  const u = db.select({ personId: users.personId }).from(users).where(eq(users.id, user.id)).get()!;
  const roles = db.select({ role: userRoles.role, districtId: userRoles.districtId }).from(userRoles).where(eq(userRoles.userId, user.id)).all() as RoleGrant[];
  return { id: user.id, personId: u.personId, roles };
}

function params(name: ReportName, raw: Record<string, string> = {}): ReportParams {
  const parsed = parseReportParams(name, { asOf: D, ...raw }, { today: "2026-11-28", districtIds: [data.A.id, data.B.id] });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.params;
}

function row(result: ReportResult, key: string | number) {
  return result.rows.find((r) => r.key === String(key))?.values;
}

beforeAll(async () => {
  data = await buildReportData();
});

describe("outcome figures as an administrator sees them (whole city)", () => {
  it("clients served at D: intake on or before D; the client closed before D is served and closed, not in support; new in a period", () => {
    const admin = viewer(data.admin);
    const r = clientsServedReport(getDb(), admin, params("clients-served", { from: "2025-01-01", to: "2025-12-31" }));
    expect(row(r, data.A.id)).toEqual({ served: 5, inSupport: 4, closed: 1, newInPeriod: 1 });
    expect(row(r, data.B.id)).toEqual({ served: 2, inSupport: 2, closed: 0, newInPeriod: 0 });
    expect(r.totals).toEqual({ served: 7, inSupport: 6, closed: 1, newInPeriod: 1 });
    // the client closed on 2025-12-31 was still in support the day before
    const before = clientsServedReport(getDb(), admin, params("clients-served", { asOf: "2025-12-30" }));
    expect(row(before, data.A.id)).toMatchObject({ served: 5, inSupport: 5, closed: 0 });
  });

  it("three-year abstinence rate: recognised ÷ served with two decimals, and the eligible count; a relapse after recognition keeps the recognition", () => {
    const r = abstinenceReport(getDb(), viewer(data.admin), params("abstinence"));
    expect(row(r, data.A.id)).toEqual({ served: 5, recognised: 1, eligible: 1, rate: "20.00" });
    expect(row(r, data.B.id)).toEqual({ served: 2, recognised: 1, eligible: 1, rate: "50.00" });
    expect(r.totals).toEqual({ served: 7, recognised: 2, eligible: 2, rate: "28.57" });
  });

  it("a facility release restarts the clock: c2 is eligible on 2023-02-28 but not at D", () => {
    const districtA = { district: String(data.A.id) };
    const then = abstinenceReport(getDb(), viewer(data.admin), params("abstinence", { ...districtA, asOf: "2023-02-28" }));
    // c2 (since intake 2019-06-01), c3 (since 29 Feb 2020) and c4 (open then) — c1 already recognised
    expect(then.totals.eligible).toBe(3);
    const now = abstinenceReport(getDb(), viewer(data.admin), params("abstinence", districtA));
    expect(now.totals.eligible).toBe(1);
  });

  it("29 February counts as 28 February: abstinent since 2020-02-29, eligible on 2023-02-28 and not on 2023-02-27", () => {
    const districtA = { district: String(data.A.id) };
    const day27 = abstinenceReport(getDb(), viewer(data.admin), params("abstinence", { ...districtA, asOf: "2023-02-27" }));
    const day28 = abstinenceReport(getDb(), viewer(data.admin), params("abstinence", { ...districtA, asOf: "2023-02-28" }));
    expect(day27.totals.eligible).toBe(2);
    expect(day28.totals.eligible).toBe(3);
  });

  it("a client closed before the date is not eligible, though served; closed later, they were eligible before", () => {
    const districtA = { district: String(data.A.id) };
    const open = abstinenceReport(getDb(), viewer(data.admin), params("abstinence", { ...districtA, asOf: "2025-12-30" }));
    const closed = abstinenceReport(getDb(), viewer(data.admin), params("abstinence", { ...districtA, asOf: "2025-12-31" }));
    // 2025-12-30: c3 and c4 (c2's clock restarted 2024-01-15); 2025-12-31: c4 closed that day
    expect(open.totals).toMatchObject({ served: 5, eligible: 2 });
    expect(closed.totals).toMatchObject({ served: 5, eligible: 1 });
  });

  it("relapsed after recognition is counted apart, the client still recognised", () => {
    const r = relapseReport(getDb(), viewer(data.admin), params("relapse"));
    expect(row(r, data.A.id)).toEqual({ recognised: 1, relapsed: 1, relapsedShare: "100.00" });
    expect(row(r, data.B.id)).toEqual({ recognised: 1, relapsed: 0, relapsedShare: "0.00" });
    expect(r.totals).toEqual({ recognised: 2, relapsed: 1, relapsedShare: "50.00" });
    // before the relapse (2024-05-01) nobody had relapsed
    expect(relapseReport(getDb(), viewer(data.admin), params("relapse", { asOf: "2024-04-30" })).totals.relapsed).toBe(0);
  });

  it("retention: a contact in each of the three months before D's month, months by the Shanghai date", () => {
    const r = retentionReport(getDb(), viewer(data.admin), params("retention"));
    expect(row(r, data.A.id)).toEqual({ inSupport: 4, retained: 2, retentionRate: "50.00" });
    expect(row(r, data.B.id)).toEqual({ inSupport: 2, retained: 0, retentionRate: "0.00" });
    expect(r.notes.months).toBe("2025-12, 2026-01, 2026-02");
  });

  it("contact cadence: contacts and clients contacted in the period, overdue by the one rule (never contacted, threshold, next date passed)", () => {
    const r = contactCadenceReport(getDb(), viewer(data.admin), params("contact-cadence"));
    expect(row(r, data.A.id)).toEqual({ inSupport: 4, overdue: 2, contacts: 5, contacted: 3, overdueShare: "50.00" });
    expect(row(r, data.B.id)).toEqual({ inSupport: 2, overdue: 2, contacts: 0, contacted: 0, overdueShare: "100.00" });
    expect(r.totals).toMatchObject({ inSupport: 6, overdue: 4, overdueShare: "66.67" });
    expect(r.notes.thresholdDays).toBe(30);
  });

  it("by intake year: the same clients grouped by the year they were taken in", () => {
    const r = abstinenceReport(getDb(), viewer(data.admin), params("abstinence", { by: "intakeYear" }));
    expect(r.rows.map((x) => x.key)).toEqual(["2018", "2019", "2020", "2021", "2025"]);
    expect(row(r, 2019)).toEqual({ served: 3, recognised: 1, eligible: 1, rate: "33.33" });
    expect(r.rows.find((x) => x.key === "2019")!.labelZh).toBe("2019年");
    const only2019 = abstinenceReport(getDb(), viewer(data.admin), params("abstinence", { intakeYear: "2019" }));
    expect(only2019.totals).toEqual({ served: 3, recognised: 1, eligible: 1, rate: "33.33" });
  });

  it("sessions: held, cancelled, still scheduled; attended ÷ registered for held sessions in the period", () => {
    const r = sessionsReport(getDb(), viewer(data.admin), params("sessions", { from: "2026-02-01", to: "2026-02-28" }));
    expect(row(r, data.A.id)).toEqual({ held: 2, cancelled: 1, scheduled: 1, registered: 4, attended: 2, attendanceRate: "50.00" });
    expect(r.rows).toHaveLength(1);
  });

  it("studio utilisation: booked hours ÷ opening hours of the month (the sessions area's rule)", () => {
    const r = studioUtilisationReport(getDb(), viewer(data.admin), params("studio-utilisation", { from: "2026-02-01", to: "2026-02-28" }));
    expect(row(r, data.studio.id)).toMatchObject({ bookedHours: 360, openingHours: 9600, utilisation: "3.75" });
  });

  it("peer tutors per cohort: certified by D, may practise on D (the one rule), distinct sessions facilitated", () => {
    const r = peerTutorsReport(getDb(), viewer(data.admin), params("peer-tutors", { from: "2026-02-01", to: "2026-02-28" }));
    expect(row(r, data.cohortId)).toEqual({ certified: 3, mayPractise: 1, sessionsFacilitated: 2 });
  });

  it("volunteer hours: approved minutes in the period by the entry's district (approvedMinutes)", () => {
    const r = volunteerHoursReport(getDb(), viewer(data.admin), params("volunteer-hours", { from: "2026-02-01", to: "2026-02-28" }));
    expect(row(r, data.A.id)).toEqual({ approvedHours: 90 });
    expect(row(r, data.B.id)).toEqual({ approvedHours: 120 });
    expect(r.totals).toEqual({ approvedHours: 210 });
  });
});

describe("scope inside the SQL", () => {
  it("a coordinator of district A sees only district A, totals included", () => {
    const coordinator = viewer(data.coordinator);
    const r = abstinenceReport(getDb(), coordinator, params("abstinence"));
    expect(r.rows.map((x) => x.key)).toEqual([String(data.A.id)]);
    expect(r.totals).toEqual({ served: 5, recognised: 1, eligible: 1, rate: "20.00" });
    const hours = volunteerHoursReport(getDb(), coordinator, params("volunteer-hours", { from: "2026-02-01", to: "2026-02-28" }));
    expect(hours.totals).toEqual({ approvedHours: 90 });
    // asking for district B is refused as unknown
    const parsed = parseReportParams("abstinence", { asOf: D, district: String(data.B.id) }, { today: D, districtIds: [data.A.id] });
    expect(parsed).toMatchObject({ ok: false, errors: { district: "reports.error.unknownDistrict" } });
  });

  it("a social worker reports on their own caseload (c2 and c3) only", () => {
    const r = abstinenceReport(getDb(), viewer(data.socialWorker), params("abstinence"));
    expect(r.totals).toEqual({ served: 2, recognised: 0, eligible: 1, rate: "0.00" });
  });

  it("a peer tutor sees the sessions they facilitated and their own hours; no studio utilisation", () => {
    const tutor = viewer(data.t1);
    const feb = { from: "2026-02-01", to: "2026-02-28" };
    expect(sessionsReport(getDb(), tutor, params("sessions", feb)).totals).toMatchObject({ held: 2, cancelled: 0, scheduled: 0, registered: 4, attended: 2 });
    expect(volunteerHoursReport(getDb(), tutor, params("volunteer-hours", feb)).totals).toEqual({ approvedHours: 210 });
    expect(availableReports(tutor)).not.toContain("studio-utilisation");
    expect(studioUtilisationReport(getDb(), tutor, params("studio-utilisation", feb)).rows).toEqual([]);
  });

  it("a trainer sees the peer tutors of their own cohorts only, and no client reports", async () => {
    const trainer = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    const t = viewer(trainer);
    expect(peerTutorsReport(getDb(), t, params("peer-tutors")).rows).toEqual([]);
    addTrainer(data.cohortId, trainer.id);
    expect(row(peerTutorsReport(getDb(), t, params("peer-tutors")), data.cohortId)).toMatchObject({ certified: 3, mayPractise: 1 });
    expect(availableReports(t)).toEqual(["peer-tutors", "volunteer-hours"]);
  });
});
