/**
 * Assessments through the trainee page: re-sits keep history and the latest attempt decides;
 * bad scores and unknown modules come back as field messages with the input kept.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { assessments, auditLog } from "#db/schema";
import { getDb } from "~/db.server";
import type { RequirementItem } from "~/domain/training";
import * as traineeRoute from "~/routes/training.cohorts.$id.trainees.$enrollmentId";
import { makeProgramme, makeCohort, enrol, getRoute, makeTrainer, postRoute } from "../../training-factories";

async function setup() {
  const { cohort, modules } = makeCohort();
  const trainer = await makeTrainer(cohort.id);
  const e = enrol(cohort.id, "测试学员己（虚构）");
  const path = `/training/cohorts/${cohort.id}/trainees/${e.id}`;
  const params = { id: String(cohort.id), enrollmentId: String(e.id) };
  return { cohort, modules, trainer, e, path, params };
}

describe("assessments", () => {
  it("a re-sit that passes replaces a failed attempt in the checker, and the history keeps both", async () => {
    const { modules, trainer, e, path, params } = await setup();
    const module = modules[0]!;
    const first = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "assessment", moduleId: String(module.id), score: "45", assessedOn: "2025-05-01", notes: "第一次（虚构）" });
    expect(first.status).toBe(302);
    let page = (await getRoute(traineeRoute, path, params, trainer.cookie)).body as { items: RequirementItem[]; assessments: { attempt: number; score: number; passed: boolean; counts: boolean }[] };
    expect(page.items.find((i) => i.kind === "module" && i.moduleId === module.id)).toMatchObject({ met: false, score: 45 });

    const resit = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "assessment", moduleId: String(module.id), score: "72", assessedOn: "2025-05-20" });
    expect(resit.status).toBe(302);
    page = (await getRoute(traineeRoute, path, params, trainer.cookie)).body as typeof page;
    expect(page.items.find((i) => i.kind === "module" && i.moduleId === module.id)).toMatchObject({ met: true, score: 72, attempts: 2 });
    expect(page.assessments.map((a) => ({ attempt: a.attempt, score: a.score, passed: a.passed, counts: a.counts }))).toEqual([
      { attempt: 2, score: 72, passed: true, counts: true },
      { attempt: 1, score: 45, passed: false, counts: false },
    ]);
    const rows = getDb().select().from(assessments).where(eq(assessments.enrollmentId, e.id)).all();
    expect(rows.map((r) => r.assessorUserId)).toEqual([trainer.id, trainer.id]);
    expect(getDb().select().from(auditLog).where(eq(auditLog.entity, "assessment")).all().length).toBeGreaterThanOrEqual(2);
  });

  for (const score of ["-1", "101"]) {
    it(`refuses the score ${score} with a field message and keeps the input`, async () => {
      const { modules, trainer, path, params, e } = await setup();
      const res = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "assessment", moduleId: String(modules[0]!.id), score, assessedOn: "2025-05-01", notes: "保留（虚构）" });
      expect(res.status).toBe(400);
      const body = res.body as { errors: Record<string, string>; values: Record<string, string> };
      expect(body.errors.score).toBe("form.numberRange?min=0&max=100");
      expect(body.values).toMatchObject({ score, notes: "保留（虚构）" });
      expect(getDb().select().from(assessments).where(eq(assessments.enrollmentId, e.id)).all()).toEqual([]);
    });
  }

  it("refuses a score that is not a whole number, over-long notes and control characters", async () => {
    const { modules, trainer, path, params } = await setup();
    const base = { intent: "assessment", moduleId: String(modules[0]!.id), assessedOn: "2025-05-01" };
    const notNumber = await postRoute(traineeRoute, path, params, trainer.cookie, { ...base, score: "七十" });
    expect((notNumber.body as { errors: Record<string, string> }).errors.score).toBe("form.notANumber");
    const long = await postRoute(traineeRoute, path, params, trainer.cookie, { ...base, score: "70", notes: "长".repeat(1001) });
    expect((long.body as { errors: Record<string, string> }).errors.notes).toBe("form.tooLong?max=1000");
    const control = await postRoute(traineeRoute, path, params, trainer.cookie, { ...base, score: "70", notes: "a\u0007b" });
    expect((control.body as { errors: Record<string, string> }).errors.notes).toBe("form.controlChars");
  });

  it("refuses an unknown module, a module of another programme and an assessor who is not the cohort's trainer", async () => {
    const { modules, trainer, path, params } = await setup();
    const foreign = makeProgramme().modules[0]!;
    const outsider = await makeTrainer();
    const base = { intent: "assessment", score: "70", assessedOn: "2025-05-01" };
    for (const moduleId of ["99999999", String(foreign.id), "abc"]) {
      const res = await postRoute(traineeRoute, path, params, trainer.cookie, { ...base, moduleId });
      expect(res.status).toBe(400);
      expect((res.body as { errors: Record<string, string> }).errors.moduleId).toBe("form.unknownId");
    }
    const res = await postRoute(traineeRoute, path, params, trainer.cookie, { ...base, moduleId: String(modules[0]!.id), assessorUserId: String(outsider.id) });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors.assessorUserId).toBe("form.unknownId");
  });

  it("refuses a date in the future", async () => {
    const { modules, trainer, path, params } = await setup();
    const res = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "assessment", moduleId: String(modules[0]!.id), score: "70", assessedOn: "2999-01-01" });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors.assessedOn).toBe("training.assessment.future");
  });
});
