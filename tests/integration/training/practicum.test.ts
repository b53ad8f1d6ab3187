/**
 * Supervised practicum through the trainee page: supervisors must be eligible on the entry's date,
 * only signed-off hours count, and hours are bounded per entry and per day.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { groupSessions, peerTutors, practicumLogs, staffProfiles } from "#db/schema";
import { getDb } from "~/db.server";
import { requirementReport } from "~/domain/training";
import * as traineeRoute from "~/routes/training.cohorts.$id.trainees.$enrollmentId";
import { makeDistrict, makeSignedInUser, makeStudio } from "../../factories";
import { addPracticumRaw, enrol, makeCohort, makePerson, makeTrainer, postRoute } from "../../training-factories";

async function setup() {
  const { cohort } = makeCohort();
  const trainer = await makeTrainer(cohort.id);
  const e = enrol(cohort.id, "测试学员庚（虚构）");
  const path = `/training/cohorts/${cohort.id}/trainees/${e.id}`;
  const params = { id: String(cohort.id), enrollmentId: String(e.id) };
  return { cohort, trainer, e, path, params };
}

/** A person with a peer-tutor record certified on `certifiedOn`. */
function peerTutorCertifiedOn(cohortId: number, certifiedOn: string, status: "active" | "revoked" = "active") {
  const person = makePerson("测试辅导员（虚构）");
  getDb()
    .insert(peerTutors)
    .values({ personId: person.id, cohortId, districtId: makeDistrict().id, certificateNumber: `TEST-PT-${person.id}`, certifiedOn, expiresOn: "2099-01-01", status })
    .run();
  return person;
}

const entry = (supervisorPersonId: number, extra: Record<string, string> = {}) => ({
  intent: "practicum",
  date: "2025-05-10",
  hours: "3",
  activity: "共同带领预防复吸小组（虚构）",
  supervisorPersonId: String(supervisorPersonId),
  ...extra,
});

describe("practicum supervisors", () => {
  it("refuses an entry signed off by a peer tutor certified less than a year before the date", async () => {
    const { cohort, trainer, e, path, params } = await setup();
    const junior = peerTutorCertifiedOn(cohort.id, "2024-11-10");
    const res = await postRoute(traineeRoute, path, params, trainer.cookie, entry(junior.id, { signOff: "on" }));
    expect(res.status).toBe(400);
    const body = res.body as { errors: Record<string, string>; values: Record<string, string> };
    expect(body.errors.supervisorPersonId).toBe("training.practicum.supervisorIneligible");
    expect(body.values).toMatchObject({ hours: "3", activity: "共同带领预防复吸小组（虚构）" });
    expect(getDb().select().from(practicumLogs).where(eq(practicumLogs.enrollmentId, e.id)).all()).toEqual([]);
  });

  it("refuses to sign off a recorded entry whose supervisor is not eligible", async () => {
    const { cohort, trainer, e, path, params } = await setup();
    const revoked = peerTutorCertifiedOn(cohort.id, "2020-01-01", "revoked");
    const log = addPracticumRaw(e.id, 4, revoked.id, null, "2025-05-10");
    const res = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "signOff", logId: String(log.id) });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors.logId).toBe("training.practicum.supervisorIneligible");
    expect(getDb().select().from(practicumLogs).where(eq(practicumLogs.id, log.id)).get()!.signedOffAt).toBeNull();
  });

  it("accepts a peer tutor of a year's standing, a social worker and a trainer", async () => {
    const { cohort, trainer, e, path, params } = await setup();
    const senior = peerTutorCertifiedOn(cohort.id, "2024-05-10");
    const sw = await makeSignedInUser([{ role: "social_worker", districtId: makeDistrict().id }]);
    const swPerson = (await import("../../clients-factories")).personOf(sw.id);
    const staffOnly = makePerson("测试社工（虚构）");
    getDb().insert(staffProfiles).values({ personId: staffOnly.id, kind: "social_worker", districtId: makeDistrict().id }).run();
    for (const [i, supervisor] of [senior.id, swPerson, staffOnly.id, trainer.personId].entries()) {
      const res = await postRoute(traineeRoute, path, params, trainer.cookie, entry(supervisor, { date: `2025-05-1${i}`, signOff: "on" }));
      expect(res.status).toBe(302);
    }
    expect(requirementReport(getDb(), cohort.id, e.id)!.items.find((i) => i.kind === "practicum")).toMatchObject({ hours: 12, unsignedHours: 0 });
  });

  it("refuses the trainee as their own supervisor and an unknown supervisor id", async () => {
    const { trainer, e, path, params } = await setup();
    const self = await postRoute(traineeRoute, path, params, trainer.cookie, entry(e.personId));
    expect((self.body as { errors: Record<string, string> }).errors.supervisorPersonId).toBe("training.practicum.selfSupervision");
    for (const unknown of ["99999999", "x"]) {
      const res = await postRoute(traineeRoute, path, params, trainer.cookie, { ...entry(1), supervisorPersonId: unknown });
      expect(res.status).toBe(400);
      expect((res.body as { errors: Record<string, string> }).errors.supervisorPersonId).toBe("form.unknownId");
    }
  });
});

describe("practicum hours", () => {
  it("do not count until signed off, and count once signed off", async () => {
    const { cohort, trainer, e, path, params } = await setup();
    const res = await postRoute(traineeRoute, path, params, trainer.cookie, entry(trainer.personId, { hours: "24" }));
    expect(res.status).toBe(302);
    let item = requirementReport(getDb(), cohort.id, e.id)!.items.find((i) => i.kind === "practicum");
    expect(item).toMatchObject({ hours: 0, unsignedHours: 24, met: false });

    const log = getDb().select().from(practicumLogs).where(eq(practicumLogs.enrollmentId, e.id)).get()!;
    expect((await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "signOff", logId: String(log.id) })).status).toBe(302);
    item = requirementReport(getDb(), cohort.id, e.id)!.items.find((i) => i.kind === "practicum");
    expect(item).toMatchObject({ hours: 24, unsignedHours: 0, met: true });
    expect(getDb().select().from(practicumLogs).where(eq(practicumLogs.id, log.id)).get()!.signedOffByUserId).toBe(trainer.id);

    const twice = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "signOff", logId: String(log.id) });
    expect((twice.body as { errors: Record<string, string> }).errors.logId).toBe("training.practicum.alreadySigned");
  });

  for (const hours of ["-1", "25", "0"]) {
    it(`refuses ${hours} hours in an entry with a field message and keeps the input`, async () => {
      const { trainer, e, path, params } = await setup();
      const res = await postRoute(traineeRoute, path, params, trainer.cookie, entry(trainer.personId, { hours }));
      expect(res.status).toBe(400);
      const body = res.body as { errors: Record<string, string>; values: Record<string, string> };
      expect(body.errors.hours).toBe("training.hoursRange?max=24");
      expect(body.values.hours).toBe(hours);
      expect(getDb().select().from(practicumLogs).where(eq(practicumLogs.enrollmentId, e.id)).all()).toEqual([]);
    });
  }

  it("refuses more than 24 hours in one day across entries, and odd fractions", async () => {
    const { trainer, path, params } = await setup();
    expect((await postRoute(traineeRoute, path, params, trainer.cookie, entry(trainer.personId, { hours: "20" }))).status).toBe(302);
    const over = await postRoute(traineeRoute, path, params, trainer.cookie, entry(trainer.personId, { hours: "4.25" }));
    expect(over.status).toBe(400);
    expect((over.body as { errors: Record<string, string> }).errors.hours).toBe("training.practicum.dayOver?logged=20&max=24");
    const odd = await postRoute(traineeRoute, path, params, trainer.cookie, entry(trainer.personId, { hours: "1.3", date: "2025-05-11" }));
    expect((odd.body as { errors: Record<string, string> }).errors.hours).toBe("training.quarterHours");
    const words = await postRoute(traineeRoute, path, params, trainer.cookie, entry(trainer.personId, { hours: "三", date: "2025-05-11" }));
    expect((words.body as { errors: Record<string, string> }).errors.hours).toBe("training.hoursNotANumber");
    const future = await postRoute(traineeRoute, path, params, trainer.cookie, entry(trainer.personId, { date: "2999-01-01" }));
    expect((future.body as { errors: Record<string, string> }).errors.date).toBe("training.practicum.future");
  });

  it("links an entry to the group session co-facilitated that day, and refuses an unknown, cancelled or other-day session", async () => {
    const { trainer, e, path, params } = await setup();
    const studio = makeStudio(makeDistrict().id);
    const session = (status: "held" | "cancelled") =>
      getDb()
        .insert(groupSessions)
        .values({ studioId: studio.id, topic: "测试小组（虚构）", kind: "peer_education", startsAt: "2025-05-10T06:00:00.000Z", endsAt: "2025-05-10T08:00:00.000Z", capacity: 12, status })
        .returning()
        .get();
    const held = session("held");
    const cancelled = session("cancelled");
    const cases: [Record<string, string>, string][] = [
      [{ groupSessionId: "99999999" }, "form.unknownId"],
      [{ groupSessionId: "x" }, "form.unknownId"],
      [{ groupSessionId: String(cancelled.id) }, "training.practicum.sessionCancelled"],
      [{ groupSessionId: String(held.id), date: "2025-05-11" }, "training.practicum.sessionOtherDay?date=2025-05-10"],
    ];
    for (const [change, message] of cases) {
      const res = await postRoute(traineeRoute, path, params, trainer.cookie, entry(trainer.personId, change));
      expect(res.status).toBe(400);
      expect((res.body as { errors: Record<string, string> }).errors.groupSessionId).toBe(message);
    }
    expect((await postRoute(traineeRoute, path, params, trainer.cookie, entry(trainer.personId, { groupSessionId: String(held.id) }))).status).toBe(302);
    expect(getDb().select().from(practicumLogs).where(eq(practicumLogs.enrollmentId, e.id)).get()!.groupSessionId).toBe(held.id);
  });
});
