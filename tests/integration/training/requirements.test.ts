/**
 * The requirements checker on real rows: numbers come from attendance, assessment and practicum
 * records (never typed), and the trainee page shows them in words.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { requirementReport, requirementMessage, type RequirementItem } from "~/domain/training";
import { translate } from "~/i18n/translate";
import * as traineeRoute from "~/routes/training.cohorts.$id.trainees.$enrollmentId";
import {
  addAssessmentRaw,
  addPracticumRaw,
  addTrainingSession,
  enrol,
  getRoute,
  makeCohort,
  makeTrainer,
  markAttendanceRaw,
} from "../../training-factories";

const say = (item: RequirementItem) => {
  const [key, query] = requirementMessage(item, "en").split("?");
  return translate("en", key as never, Object.fromEntries(new URLSearchParams(query)));
};

describe("requirements checker", () => {
  it("computes 'attendance 78% of 80% required' and 'practicum 18 of 24 hours' from the rows", async () => {
    const { cohort, modules } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const e = enrol(cohort.id, "测试学员甲（虚构）");
    const long = addTrainingSession(cohort.id, "2025-03-03T01:00:00Z", 7.8);
    const short = addTrainingSession(cohort.id, "2025-03-04T01:00:00Z", 2.2);
    markAttendanceRaw(long.id, e.id, "present", trainer.id);
    markAttendanceRaw(short.id, e.id, "excused", trainer.id);
    addPracticumRaw(e.id, 10, trainer.personId, trainer.id, "2025-04-01");
    addPracticumRaw(e.id, 8, trainer.personId, trainer.id, "2025-04-02");
    addPracticumRaw(e.id, 6, trainer.personId, null, "2025-04-03");
    for (const m of modules) addAssessmentRaw(e.id, m.id, 80, m.passMark, trainer.id);

    const report = requirementReport(getDb(), cohort.id, e.id)!;
    const attendance = report.items.find((i) => i.kind === "attendance")!;
    const practicum = report.items.find((i) => i.kind === "practicum")!;
    expect(attendance).toMatchObject({ percent: 78, requiredPercent: 80, attendedHours: 7.8, heldHours: 10, met: false });
    expect(practicum).toMatchObject({ hours: 18, requiredHours: 24, unsignedHours: 6, met: false });
    expect(say(attendance)).toBe("Attendance 78% of 80% required (7.8 of 10 hours)");
    expect(say(practicum)).toBe("Practicum 18 of 24 hours signed off");
    expect(report.missing.map((m) => m.kind)).toEqual(["attendance", "practicum"]);
  });

  it("counts late as attended and leaves sessions that have not begun out while the cohort is running", async () => {
    const { cohort } = makeCohort({ endsOn: "2099-12-31" });
    const trainer = await makeTrainer(cohort.id);
    const e = enrol(cohort.id);
    const past = addTrainingSession(cohort.id, "2025-03-03T01:00:00Z", 2);
    addTrainingSession(cohort.id, "2099-03-03T01:00:00Z", 2);
    markAttendanceRaw(past.id, e.id, "late", trainer.id);
    const item = requirementReport(getDb(), cohort.id, e.id)!.items[0]!;
    expect(item).toMatchObject({ kind: "attendance", percent: 100, heldHours: 2, met: true });
  });

  it("counts every session once the cohort is assessing", async () => {
    const { cohort } = makeCohort({ endsOn: "2099-12-31", status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    const e = enrol(cohort.id);
    const past = addTrainingSession(cohort.id, "2025-03-03T01:00:00Z", 2);
    addTrainingSession(cohort.id, "2099-03-03T01:00:00Z", 2);
    markAttendanceRaw(past.id, e.id, "present", trainer.id);
    expect(requirementReport(getDb(), cohort.id, e.id)!.items[0]).toMatchObject({ percent: 50, heldHours: 4, met: false });
  });

  it("shows the checker with its numbers on the trainee page, read by a coordinator", async () => {
    const { cohort } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const e = enrol(cohort.id);
    const s = addTrainingSession(cohort.id, "2025-03-03T01:00:00Z", 4);
    markAttendanceRaw(s.id, e.id, "absent", trainer.id);
    const { makeSignedInUser, makeDistrict } = await import("../../factories");
    const coordinator = await makeSignedInUser([{ role: "coordinator", districtId: makeDistrict().id }]);
    const res = await getRoute(traineeRoute, `/training/cohorts/${cohort.id}/trainees/${e.id}`, { id: String(cohort.id), enrollmentId: String(e.id) }, coordinator.cookie);
    expect(res.status).toBe(200);
    const body = res.body as { items: RequirementItem[]; meetsAll: boolean; canEdit: boolean; form: unknown };
    expect(body.meetsAll).toBe(false);
    expect(body.items[0]).toMatchObject({ kind: "attendance", percent: 0, requiredPercent: 80 });
    expect(body.items.filter((i) => i.kind === "module")).toHaveLength(6);
    expect(body.canEdit).toBe(false);
    expect(body.form).toBeNull();
  });
});
