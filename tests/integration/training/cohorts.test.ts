/**
 * Cohorts, programmes and who may do what: trainers manage their own cohorts, coordinators and
 * social workers read, a peer tutor sees only their own record, trainers never see clients.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, cohortTrainers, cohorts, enrollments, persons, trainingModules, trainingProgrammes } from "#db/schema";
import { getDb } from "~/db.server";
import * as clientsRoute from "~/routes/clients._index/route";
import * as listRoute from "~/routes/training._index/route";
import * as cohortRoute from "~/routes/training.cohorts.$id._index";
import * as sessionRoute from "~/routes/training.cohorts.$id.sessions.$sessionId";
import * as timetableRoute from "~/routes/training.cohorts.$id.sessions._index";
import * as traineeRoute from "~/routes/training.cohorts.$id.trainees.$enrollmentId";
import * as newCohortRoute from "~/routes/training.cohorts.new";
import * as mineRoute from "~/routes/training.mine";
import * as programmeRoute from "~/routes/training.programmes.$id";
import * as newProgrammeRoute from "~/routes/training.programmes.new";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { personOf } from "../../clients-factories";
import { addTrainingSession, enrol, getRoute, makeCohort, makePerson, makeProgramme, makeTrainer, postRoute } from "../../training-factories";

const cohortPath = (id: number) => ({ path: `/training/cohorts/${id}`, params: { id: String(id) } });

describe("access to cohorts", () => {
  it("a trainer of another cohort gets 403 when editing this cohort, its trainees and its attendance", async () => {
    const { cohort, modules } = makeCohort();
    await makeTrainer(cohort.id);
    const outsider = await makeTrainer(makeCohort().cohort.id);
    const e = enrol(cohort.id);
    const s = addTrainingSession(cohort.id, "2025-03-03T01:00:00Z", 2);
    const { path, params } = cohortPath(cohort.id);
    const attempts = [
      postRoute(cohortRoute, path, params, outsider.cookie, { intent: "status", to: "assessing" }),
      postRoute(cohortRoute, path, params, outsider.cookie, { intent: "enrol", mode: "new", displayName: "测试（虚构）", districtId: String(makeDistrict().id), enrolledOn: "2025-03-01" }),
      postRoute(traineeRoute, `${path}/trainees/${e.id}`, { ...params, enrollmentId: String(e.id) }, outsider.cookie, { intent: "assessment", moduleId: String(modules[0]!.id), score: "90", assessedOn: "2025-05-01" }),
      postRoute(sessionRoute, `${path}/sessions/${s.id}`, { ...params, sessionId: String(s.id) }, outsider.cookie, { [`a.${e.id}`]: "present" }),
      postRoute(timetableRoute, `${path}/sessions`, params, outsider.cookie, { date: "2025-04-01", startTime: "09:00", endTime: "10:00" }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(403);
    // reading is allowed: trainers read every cohort
    expect((await getRoute(cohortRoute, path, params, outsider.cookie)).status).toBe(200);
    expect(getDb().select().from(cohorts).where(eq(cohorts.id, cohort.id)).get()!.status).toBe("running");
  });

  it("a coordinator and a social worker read cohorts and trainees but cannot edit (403)", async () => {
    const { cohort, modules } = makeCohort();
    await makeTrainer(cohort.id);
    const e = enrol(cohort.id);
    const district = makeDistrict();
    const coordinator = await makeSignedInUser([{ role: "coordinator", districtId: district.id }]);
    const socialWorker = await makeSignedInUser([{ role: "social_worker", districtId: district.id }]);
    const { path, params } = cohortPath(cohort.id);
    for (const reader of [coordinator, socialWorker]) {
      expect((await getRoute(listRoute, "/training", {}, reader.cookie)).status).toBe(200);
      const page = await getRoute(cohortRoute, path, params, reader.cookie);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ canEdit: false, canCertify: false, transitions: [], edit: null });
      expect((await getRoute(traineeRoute, `${path}/trainees/${e.id}`, { ...params, enrollmentId: String(e.id) }, reader.cookie)).status).toBe(200);
      const write = await postRoute(traineeRoute, `${path}/trainees/${e.id}`, { ...params, enrollmentId: String(e.id) }, reader.cookie, {
        intent: "assessment",
        moduleId: String(modules[0]!.id),
        score: "90",
        assessedOn: "2025-05-01",
      });
      expect(write.status).toBe(403);
      expect((await postRoute(cohortRoute, path, params, reader.cookie, { intent: "status", to: "assessing" })).status).toBe(403);
      expect((await getRoute(newCohortRoute, "/training/cohorts/new", {}, reader.cookie)).status).toBe(403);
    }
  });

  it("a trainer gets 403 on /clients", async () => {
    const trainer = await makeTrainer(makeCohort().cohort.id);
    const res = await getRoute(clientsRoute, "/clients", {}, trainer.cookie);
    expect(res.status).toBe(403);
  });

  it("a peer tutor gets 403 on the cohort pages and sees only their own record on /training/mine", async () => {
    const { cohort } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const tutor = await makeSignedInUser([{ role: "peer_tutor", districtId: makeDistrict().id }]);
    const own = enrol(cohort.id, undefined, { personId: personOf(tutor.id) });
    enrol(cohort.id, "测试他人（虚构）");
    expect((await getRoute(listRoute, "/training", {}, tutor.cookie)).status).toBe(403);
    const { path, params } = cohortPath(cohort.id);
    expect((await getRoute(cohortRoute, path, params, tutor.cookie)).status).toBe(403);
    const mine = await getRoute(mineRoute, "/training/mine", {}, tutor.cookie);
    expect(mine.status).toBe(200);
    const records = (mine.body as { records: { id: number; items: unknown[] }[] }).records;
    expect(records.map((r) => r.id)).toEqual([own.id]);
    expect(records[0]!.items).toHaveLength(8);
    // a trainer without the peer-tutor role has no "mine" page
    expect((await getRoute(mineRoute, "/training/mine", {}, trainer.cookie)).status).toBe(403);
  });

  it("answers 404 for an unknown cohort and for a trainee of another cohort", async () => {
    const { cohort } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const foreign = enrol(makeCohort().cohort.id);
    for (const id of ["99999999", "abc"]) expect((await getRoute(cohortRoute, `/training/cohorts/${id}`, { id }, trainer.cookie)).status).toBe(404);
    const res = await getRoute(traineeRoute, `/training/cohorts/${cohort.id}/trainees/${foreign.id}`, { id: String(cohort.id), enrollmentId: String(foreign.id) }, trainer.cookie);
    expect(res.status).toBe(404);
  });

  it("lists a trainer's own cohorts first", async () => {
    const mineCohort = makeCohort().cohort;
    makeCohort();
    const trainer = await makeTrainer(mineCohort.id);
    const body = (await getRoute(listRoute, "/training", {}, trainer.cookie)).body as { rows: { id: number; mine: boolean }[] };
    expect(body.rows[0]).toMatchObject({ id: mineCohort.id, mine: true });
    expect(body.rows.slice(1).every((r) => !r.mine)).toBe(true);
  });
});

describe("creating and running a cohort", () => {
  it("creates a cohort in planning with its creator and the named trainers, audited", async () => {
    const { programme } = makeProgramme();
    const trainer = await makeTrainer();
    const colleague = await makeTrainer();
    const number = 7000 + Math.floor(Math.random() * 900);
    const res = await postRoute(newCohortRoute, "/training/cohorts/new", {}, trainer.cookie, {
      number: String(number),
      programmeId: String(programme.id),
      startsOn: "2026-03-01",
      endsOn: "2026-06-30",
      capacity: "20",
      trainerIds: [String(colleague.id)],
    });
    expect(res.status).toBe(302);
    const cohort = getDb().select().from(cohorts).where(eq(cohorts.number, number)).get()!;
    expect(cohort.status).toBe("planning");
    const trainers = getDb().select().from(cohortTrainers).where(eq(cohortTrainers.cohortId, cohort.id)).all().map((r) => r.userId);
    expect(trainers.sort()).toEqual([trainer.id, colleague.id].sort());
    expect(getDb().select().from(auditLog).where(and(eq(auditLog.entity, "cohort"), eq(auditLog.entityId, String(cohort.id)))).all()).toHaveLength(1);

    const again = await postRoute(newCohortRoute, "/training/cohorts/new", {}, trainer.cookie, {
      number: String(number),
      programmeId: String(programme.id),
      startsOn: "2026-03-01",
      endsOn: "2026-02-01",
      capacity: "0",
      trainerIds: ["99999999"],
    });
    expect(again.status).toBe(400);
    expect((again.body as { errors: Record<string, string> }).errors).toMatchObject({ endsOn: "training.cohort.endsBeforeStart", capacity: "form.numberRange?min=1&max=200" });
    const taken = await postRoute(newCohortRoute, "/training/cohorts/new", {}, trainer.cookie, {
      number: String(number),
      programmeId: String(programme.id),
      startsOn: "2026-03-01",
      endsOn: "2026-06-30",
      capacity: "20",
    });
    expect((taken.body as { errors: Record<string, string> }).errors.number).toBe("training.cohort.numberTaken");
    const unknownProgramme = await postRoute(newCohortRoute, "/training/cohorts/new", {}, trainer.cookie, {
      number: String(number + 1),
      programmeId: "99999999",
      startsOn: "2026-03-01",
      endsOn: "2026-06-30",
      capacity: "20",
    });
    expect((unknownProgramme.body as { errors: Record<string, string> }).errors.programmeId).toBe("form.unknownId");
  });

  it("moves through the statuses in order, refuses a skip, and closing marks the uncertified trainees", async () => {
    const { cohort } = makeCohort({ status: "planning" });
    const trainer = await makeTrainer(cohort.id);
    const e = enrol(cohort.id);
    const { path, params } = cohortPath(cohort.id);
    const skip = await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "status", to: "certified" });
    expect(skip.status).toBe(400);
    expect((skip.body as { errors: Record<string, string> }).errors.status).toBe("training.cohort.badTransition");
    const unknown = await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "status", to: "finished" });
    expect((unknown.body as { errors: Record<string, string> }).errors.to).toBe("form.unknownChoice");
    for (const to of ["running", "assessing", "certified", "closed"]) {
      expect((await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "status", to })).status).toBe(302);
    }
    expect(getDb().select().from(enrollments).where(eq(enrollments.id, e.id)).get()!.status).toBe("not_certified");
    const closed = await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "enrol", mode: "new", displayName: "测试（虚构）", districtId: String(makeDistrict().id), enrolledOn: "2025-03-01" });
    expect(closed.status).toBe(400);
  });

  it("refuses an unknown intent with a form message", async () => {
    const { cohort } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const { path, params } = cohortPath(cohort.id);
    const res = await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "explode" });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors._form).toBe("training.unknownAction");
  });
});

describe("enrolling trainees", () => {
  it("enrols an existing person found by name and a new person, audited", async () => {
    const { cohort } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const district = makeDistrict();
    const known = makePerson("测试志愿者甲（虚构）");
    const { path, params } = cohortPath(cohort.id);
    const search = (await getRoute(cohortRoute, `${path}?q=志愿者甲`, params, trainer.cookie)).body as { edit: { matches: { id: number }[] } };
    expect(search.edit.matches.map((m) => m.id)).toContain(known.id);

    expect((await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "enrol", mode: "existing", personId: String(known.id), districtId: String(district.id), enrolledOn: "2025-03-01" })).status).toBe(302);
    expect((await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "enrol", mode: "new", displayName: "Test Trainee New (fictional)", districtId: String(district.id), enrolledOn: "2025-03-01" })).status).toBe(302);
    const rows = getDb().select({ personId: enrollments.personId, districtId: enrollments.districtId }).from(enrollments).where(eq(enrollments.cohortId, cohort.id)).all();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.districtId === district.id)).toBe(true);
    expect(getDb().select().from(persons).where(eq(persons.displayName, "Test Trainee New (fictional)")).all()).toHaveLength(1);
    expect(getDb().select().from(auditLog).where(eq(auditLog.action, "enrol")).all().length).toBeGreaterThanOrEqual(2);

    // already enrolled: no longer offered, and refused when posted
    const again = (await getRoute(cohortRoute, `${path}?q=志愿者甲`, params, trainer.cookie)).body as { edit: { matches: { id: number }[] } };
    expect(again.edit.matches.map((m) => m.id)).not.toContain(known.id);
    const twice = await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "enrol", mode: "existing", personId: String(known.id), districtId: String(district.id), enrolledOn: "2025-03-01" });
    expect((twice.body as { errors: Record<string, string> }).errors.personId).toBe("training.enrol.already");
  });

  it("refuses unknown people and districts, missing and over-long names, and a full cohort, keeping the input", async () => {
    const { cohort } = makeCohort({ capacity: 1 });
    const trainer = await makeTrainer(cohort.id);
    const district = String(makeDistrict().id);
    const { path, params } = cohortPath(cohort.id);
    const cases: [Record<string, string>, string, string][] = [
      [{ mode: "existing", personId: "99999999", districtId: district }, "personId", "form.unknownId"],
      [{ mode: "existing", districtId: district }, "personId", "training.enrol.choosePerson"],
      [{ mode: "new", displayName: "测试（虚构）", districtId: "99999999" }, "districtId", "form.unknownId"],
      [{ mode: "new", displayName: "", districtId: district }, "displayName", "form.required"],
      [{ mode: "new", displayName: "长".repeat(81), districtId: district }, "displayName", "form.tooLong?max=80"],
      [{ mode: "new", displayName: "a\u0000b", districtId: district }, "displayName", "form.controlChars"],
      [{ mode: "maybe", displayName: "测试（虚构）", districtId: district }, "mode", "form.unknownChoice"],
    ];
    for (const [form, field, message] of cases) {
      const res = await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "enrol", enrolledOn: "2025-03-01", ...form });
      expect(res.status, field).toBe(400);
      const body = res.body as { errors: Record<string, string>; values: Record<string, string> };
      expect(body.errors[field]).toBe(message);
      expect(body.values.districtId).toBe(form.districtId);
    }
    expect((await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "enrol", mode: "new", displayName: "测试一（虚构）", districtId: district, enrolledOn: "2025-03-01" })).status).toBe(302);
    const full = await postRoute(cohortRoute, path, params, trainer.cookie, { intent: "enrol", mode: "new", displayName: "测试二（虚构）", districtId: district, enrolledOn: "2025-03-01" });
    expect((full.body as { errors: Record<string, string> }).errors._form).toBe("training.enrol.full?capacity=1");
  });

  it("withdraws a trainee with the reason, after which they cannot be assessed", async () => {
    const { cohort, modules } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const e = enrol(cohort.id);
    const path = `/training/cohorts/${cohort.id}/trainees/${e.id}`;
    const params = { id: String(cohort.id), enrollmentId: String(e.id) };
    const empty = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "withdraw", reason: "  " });
    expect((empty.body as { errors: Record<string, string> }).errors.reason).toBe("form.required");
    expect((await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "withdraw", reason: "搬家（虚构）" })).status).toBe(302);
    expect(getDb().select().from(enrollments).where(eq(enrollments.id, e.id)).get()).toMatchObject({ status: "withdrawn", statusReason: "搬家（虚构）" });
    const assess = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "assessment", moduleId: String(modules[0]!.id), score: "90", assessedOn: "2025-05-01" });
    expect(assess.status).toBe(400);
    expect((assess.body as { errors: Record<string, string> }).errors._form).toBe("training.enrol.notEnrolled?status=withdrawn");
  });
});

describe("programmes", () => {
  it("trainers edit a programme until a cohort starts on it; then a new version copies its modules", async () => {
    const { programme } = makeProgramme();
    const trainer = await makeTrainer();
    const path = `/training/programmes/${programme.id}`;
    const params = { id: String(programme.id) };
    const fields = { nameZh: "测试计划（虚构）", nameEn: "Test Plan (fictional)", certificateValidMonths: "36", minAttendancePercent: "85", practicumHoursRequired: "30" };
    expect((await postRoute(programmeRoute, path, params, trainer.cookie, { intent: "programme", ...fields })).status).toBe(302);
    expect(getDb().select().from(trainingProgrammes).where(eq(trainingProgrammes.id, programme.id)).get()).toMatchObject({ certificateValidMonths: 36, minAttendancePercent: 85 });

    makeCohort({ programmeId: programme.id, status: "running" });
    const frozen = await postRoute(programmeRoute, path, params, trainer.cookie, { intent: "programme", ...fields, minAttendancePercent: "50" });
    expect(frozen.status).toBe(400);
    expect((frozen.body as { errors: Record<string, string> }).errors._form).toBe("training.programme.frozen");

    const copy = await postRoute(programmeRoute, path, params, trainer.cookie, { intent: "newVersion" });
    expect(copy.status).toBe(302);
    const v2 = getDb().select().from(trainingProgrammes).where(and(eq(trainingProgrammes.code, programme.code), eq(trainingProgrammes.version, 2))).get()!;
    expect(getDb().select().from(trainingModules).where(eq(trainingModules.programmeId, v2.id)).all()).toHaveLength(6);
  });

  it("refuses a pass mark over 100 and a coordinator's edit (403)", async () => {
    const { programme } = makeProgramme();
    const trainer = await makeTrainer();
    const coordinator = await makeSignedInUser([{ role: "coordinator", districtId: makeDistrict().id }]);
    const path = `/training/programmes/${programme.id}`;
    const params = { id: String(programme.id) };
    const module = { intent: "addModule", code: "EXTRA", nameZh: "附加（虚构）", nameEn: "Extra (fictional)", requiredHours: "2", passMark: "101", position: "6" };
    const bad = await postRoute(programmeRoute, path, params, trainer.cookie, module);
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: Record<string, string> }).errors.passMark).toBe("form.numberRange?min=0&max=100");
    expect((await postRoute(programmeRoute, path, params, coordinator.cookie, { ...module, passMark: "60" })).status).toBe(403);
    expect((await getRoute(programmeRoute, path, params, coordinator.cookie)).status).toBe(200);
    expect((await getRoute(newProgrammeRoute, "/training/programmes/new", {}, coordinator.cookie)).status).toBe(403);
  });
});
