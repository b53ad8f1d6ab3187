/**
 * The demo's volunteer hours: a few months for tutors and social workers, mostly approved, some
 * rejected with a reason, the last two weeks pending so the `coordinator` login has hours to
 * approve in Huangpu and Xuhui, and every entry within the rules (quarter hours, 0.25–12 hours,
 * not in the future, approved ones decided by someone).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "#db/demo/generate";
import { eq } from "drizzle-orm";
import { users, volunteerHours } from "#db/schema";
import { getDb } from "~/db.server";
import { listPendingApprovals, pendingHoursCount } from "~/domain/volunteering";
import { viewerOf } from "./volunteering-helpers";

const TODAY = "2026-03-16";

describe("demo volunteer hours", () => {
  beforeAll(async () => {
    await generateDemo(getDb(), { today: TODAY });
  }, 180_000);

  it("every entry keeps the rules: quarter hours from 0.25 to 12, not after today, decided ones with a decider, rejected ones with a reason", () => {
    const rows = getDb().select().from(volunteerHours).all();
    expect(rows.length).toBeGreaterThan(200);
    for (const r of rows) {
      expect(r.minutes % 15).toBe(0);
      expect(r.minutes).toBeGreaterThanOrEqual(15);
      expect(r.minutes).toBeLessThanOrEqual(720);
      expect(r.workedOn <= TODAY).toBe(true);
      if (r.status !== "pending") expect(r.decidedByUserId).not.toBeNull();
      if (r.status === "rejected") expect(r.rejectionReason).toMatch(/虚构/);
    }
    const by = (s: string) => rows.filter((r) => r.status === s).length;
    expect(by("approved")).toBeGreaterThan(by("pending"));
    expect(by("rejected")).toBeGreaterThan(0);
  });

  it("the coordinator login has pending hours to approve in Huangpu and Xuhui", () => {
    const user = getDb().select({ id: users.id, personId: users.personId }).from(users).where(eq(users.login, "coordinator")).get()!;
    const viewer = viewerOf(user);
    expect(pendingHoursCount(getDb(), viewer)).toBeGreaterThan(5);
    const { rows } = listPendingApprovals(getDb(), viewer, {}, { page: 1, limit: 100, offset: 0 });
    expect(new Set(rows.map((r) => r.districtEn))).toEqual(new Set(["Huangpu", "Xuhui"]));
  });
});
