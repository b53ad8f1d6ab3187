/**
 * The timetable and the one-screen attendance sheet: marks for enrolled trainees only, all or
 * nothing, and the share recomputed from the marks.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { trainingAttendance, trainingSessions } from "#db/schema";
import { getDb } from "~/db.server";
import { requirementReport } from "~/domain/training";
import * as sessionRoute from "~/routes/training.cohorts.$id.sessions.$sessionId";
import * as timetableRoute from "~/routes/training.cohorts.$id.sessions._index";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { addTrainingSession, enrol, getRoute, makeCohort, makeTrainer, postRoute } from "../../training-factories";

async function setup() {
  const { cohort, modules } = makeCohort();
  const trainer = await makeTrainer(cohort.id);
  const a = enrol(cohort.id, "测试学员壬（虚构）");
  const b = enrol(cohort.id, "测试学员癸（虚构）");
  const session = addTrainingSession(cohort.id, "2025-03-03T01:00:00Z", 3);
  const path = `/training/cohorts/${cohort.id}/sessions/${session.id}`;
  const params = { id: String(cohort.id), sessionId: String(session.id) };
  return { cohort, modules, trainer, a, b, session, path, params };
}

describe("attendance", () => {
  it("records one mark per trainee from the radio groups and the share follows", async () => {
    const { cohort, trainer, a, b, path, params, session } = await setup();
    const sheet = (await getRoute(sessionRoute, path, params, trainer.cookie)).body as { sheet: { enrollmentId: number; status: string | null }[]; canEdit: boolean };
    expect(sheet.canEdit).toBe(true);
    expect(sheet.sheet.map((r) => r.enrollmentId).sort()).toEqual([a.id, b.id].sort());

    const res = await postRoute(sessionRoute, path, params, trainer.cookie, { [`a.${a.id}`]: "late", [`a.${b.id}`]: "absent" });
    expect(res.status).toBe(302);
    const marks = getDb().select().from(trainingAttendance).where(eq(trainingAttendance.trainingSessionId, session.id)).all();
    expect(Object.fromEntries(marks.map((m) => [m.enrollmentId, m.status]))).toEqual({ [a.id]: "late", [b.id]: "absent" });
    expect(requirementReport(getDb(), cohort.id, a.id)!.items[0]).toMatchObject({ percent: 100 });
    expect(requirementReport(getDb(), cohort.id, b.id)!.items[0]).toMatchObject({ percent: 0 });

    // changing a mark updates it in place
    expect((await postRoute(sessionRoute, path, params, trainer.cookie, { [`a.${b.id}`]: "present" })).status).toBe(302);
    expect(requirementReport(getDb(), cohort.id, b.id)!.items[0]).toMatchObject({ percent: 100 });
    expect(getDb().select().from(trainingAttendance).where(eq(trainingAttendance.trainingSessionId, session.id)).all()).toHaveLength(2);
  });

  it("refuses attendance for a person not enrolled in the cohort, writing nothing and keeping the input", async () => {
    const { trainer, a, path, params, session } = await setup();
    const elsewhere = enrol(makeCohort().cohort.id);
    const withdrawn = enrol(Number(params.id), undefined, { status: "withdrawn" });
    for (const stranger of [elsewhere.id, withdrawn.id, 99999999]) {
      const form = { [`a.${a.id}`]: "present", [`a.${stranger}`]: "present" };
      const res = await postRoute(sessionRoute, path, params, trainer.cookie, form);
      expect(res.status).toBe(400);
      const body = res.body as { errors: Record<string, string>; values: Record<string, string> };
      expect(body.errors[`a.${stranger}`]).toBe("training.attendance.notEnrolled");
      expect(body.values).toMatchObject(form);
    }
    expect(getDb().select().from(trainingAttendance).where(eq(trainingAttendance.trainingSessionId, session.id)).all()).toEqual([]);
  });

  it("refuses an unknown status and a malformed trainee field", async () => {
    const { trainer, a, path, params } = await setup();
    const bad = await postRoute(sessionRoute, path, params, trainer.cookie, { [`a.${a.id}`]: "asleep" });
    expect((bad.body as { errors: Record<string, string> }).errors[`a.${a.id}`]).toBe("form.unknownChoice");
    const malformed = await postRoute(sessionRoute, path, params, trainer.cookie, { "a.x1": "present" });
    expect(malformed.status).toBe(400);
    expect((malformed.body as { errors: Record<string, string> }).errors["a.x1"]).toBe("training.attendance.notEnrolled");
  });

  it("answers 404 for a session of another cohort and an unknown session", async () => {
    const { cohort, trainer } = await setup();
    const other = addTrainingSession(makeCohort().cohort.id, "2025-03-05T01:00:00Z", 2);
    for (const sessionId of [String(other.id), "99999999", "abc"]) {
      const res = await getRoute(sessionRoute, `/training/cohorts/${cohort.id}/sessions/${sessionId}`, { id: String(cohort.id), sessionId }, trainer.cookie);
      expect(res.status).toBe(404);
    }
  });

  it("lets a coordinator read the sheet but not mark it (403)", async () => {
    const { a, path, params } = await setup();
    const coordinator = await makeSignedInUser([{ role: "coordinator", districtId: makeDistrict().id }]);
    const read = await getRoute(sessionRoute, path, params, coordinator.cookie);
    expect(read.status).toBe(200);
    expect((read.body as { canEdit: boolean }).canEdit).toBe(false);
    const write = await postRoute(sessionRoute, path, params, coordinator.cookie, { [`a.${a.id}`]: "present" });
    expect(write.status).toBe(403);
  });
});

describe("timetable", () => {
  it("adds a session in the program's time zone, stored in UTC", async () => {
    const { cohort, trainer, modules } = await setup();
    const path = `/training/cohorts/${cohort.id}/sessions`;
    const params = { id: String(cohort.id) };
    const res = await postRoute(timetableRoute, path, params, trainer.cookie, { date: "2025-04-02", startTime: "09:00", endTime: "12:30", moduleId: String(modules[2]!.id), topic: "预防复吸（虚构）" });
    expect(res.status).toBe(302);
    const row = getDb().select().from(trainingSessions).where(eq(trainingSessions.topic, "预防复吸（虚构）")).get()!;
    expect(row).toMatchObject({ startsAt: "2025-04-02T01:00:00.000Z", endsAt: "2025-04-02T04:30:00.000Z", moduleId: modules[2]!.id });
  });

  it("refuses an end before the start, a date outside the cohort and an unknown module, keeping the input", async () => {
    const { cohort, trainer } = await setup();
    const path = `/training/cohorts/${cohort.id}/sessions`;
    const params = { id: String(cohort.id) };
    const base = { date: "2025-04-02", startTime: "09:00", endTime: "12:00", topic: "保留（虚构）" };
    const cases: [Record<string, string>, string, string][] = [
      [{ endTime: "08:00" }, "endTime", "training.session.endsBeforeStart"],
      [{ date: "2026-01-01" }, "date", "training.session.outsideCohort?from=2025-03-01&to=2025-06-30"],
      [{ moduleId: "99999999" }, "moduleId", "form.unknownId"],
      [{ startTime: "25:00" }, "startTime", "form.invalidTime"],
    ];
    for (const [change, field, message] of cases) {
      const res = await postRoute(timetableRoute, path, params, trainer.cookie, { ...base, ...change });
      expect(res.status).toBe(400);
      const body = res.body as { errors: Record<string, string>; values: Record<string, string> };
      expect(body.errors[field]).toBe(message);
      expect(body.values.topic).toBe("保留（虚构）");
    }
  });
});
