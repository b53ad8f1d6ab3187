/**
 * Renewal: the certificate's expiry moves on by the programme's months when the programme's rules
 * are met in the current certificate period (continuing-education hours recorded, group sessions
 * facilitated as attested by the renewing trainer). Continuing education is recorded on the tutor's
 * profile. Trainers and admins only.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { auditLog, certificateRenewals, certificates, continuingEducation, groupSessions, peerTutors, sessionFacilitators } from "#db/schema";
import { SYSTEM_ACTOR, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { addDays } from "~/domain/clients";
import { recordContinuingEducation, renewalCheck, renewCertificate } from "~/domain/training";
import { todayIn } from "~/i18n/format";
import { action } from "~/routes/registry.$tutorId";
import { makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, makeStudio, respond } from "../../factories";
import { makeTrainer } from "../../training-factories";
import { addEducation, certifiedCohort, makeCertifiedTutor } from "./registry-builders";

const RULES = { certificateValidMonths: 24, renewalEducationHours: 12, renewalServiceSessions: 6 };
let actor: Actor;
let trainer: Awaited<ReturnType<typeof makeTrainer>>;

beforeAll(async () => {
  trainer = await makeTrainer();
  actor = { userId: trainer.id, login: trainer.login, ip: "127.0.0.1" };
});

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error("expected a refusal");
}

async function tutorWithRules(options: Parameters<typeof makeCertifiedTutor>[0] = {}) {
  const { cohortId } = certifiedCohort(RULES);
  return makeCertifiedTutor({ cohortId, issuedOn: "2024-07-01", expiresOn: "2026-06-30", ...options });
}

const certificateOf = (id: number) => getDb().select().from(certificates).where(eq(certificates.id, id)).get()!;

describe("renewal (domain)", () => {
  it("is refused when the continuing-education hours fall short, saying how many of how many since when", async () => {
    const tutor = await tutorWithRules();
    addEducation(tutor.personId, "2024-06-15", 10); // before the certificate: does not count
    addEducation(tutor.personId, "2025-01-10", 4);
    addEducation(tutor.personId, "2026-05-02", 8); // after the renewal day: does not count
    const e = refusal(() => renewCertificate(getDb(), actor, { certificateId: tutor.certificateId, serviceSessions: 6, today: "2026-05-01" }));
    expect(e.key).toBe("registry.renew.hoursShort?have=4&need=12&since=2024-07-01");
    expect(certificateOf(tutor.certificateId).expiresOn).toBe("2026-06-30");
    expect(getDb().select().from(certificateRenewals).where(eq(certificateRenewals.certificateId, tutor.certificateId)).all()).toEqual([]);
  });

  it("is refused when the attested group sessions fall short", async () => {
    const tutor = await tutorWithRules();
    addEducation(tutor.personId, "2025-01-10", 12);
    const e = refusal(() => renewCertificate(getDb(), actor, { certificateId: tutor.certificateId, serviceSessions: 5, today: "2026-05-01" }));
    expect(e.key).toBe("registry.renew.serviceShort?have=5&need=6");
    expect(e.field).toBe("serviceSessions");
  });

  it("extends the expiry by the programme's months from the old expiry, with a renewal row, the tutor's mirror and an audit record", async () => {
    const tutor = await tutorWithRules();
    addEducation(tutor.personId, "2025-01-10", 11.75);
    addEducation(tutor.personId, "2026-04-30", 0.25);
    const until = renewCertificate(getDb(), actor, { certificateId: tutor.certificateId, serviceSessions: 7, today: "2026-05-01" });
    expect(until).toBe("2028-06-30");
    expect(certificateOf(tutor.certificateId).expiresOn).toBe("2028-06-30");
    const renewals = getDb().select().from(certificateRenewals).where(eq(certificateRenewals.certificateId, tutor.certificateId)).all();
    expect(renewals).toHaveLength(1);
    expect(renewals[0]).toMatchObject({ renewedOn: "2026-05-01", previousExpiresOn: "2026-06-30", newExpiresOn: "2028-06-30", renewedByUserId: trainer.id });
    expect(getDb().select().from(peerTutors).where(eq(peerTutors.id, tutor.tutorId)).get()!.expiresOn).toBe("2028-06-30");
    const audit = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "renew_certificate"), eq(auditLog.entityId, String(tutor.certificateId))))
      .all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(trainer.id);
    expect(audit[0]!.details).toMatchObject({
      previousExpiresOn: "2026-06-30",
      newExpiresOn: "2028-06-30",
      educationHours: 12,
      requiredEducationHours: 12,
      attestedServiceSessions: 7,
      requiredServiceSessions: 6,
    });
  });

  it("starts a new period after a renewal: the hours already used do not count again", async () => {
    const tutor = await tutorWithRules();
    addEducation(tutor.personId, "2025-01-10", 12);
    renewCertificate(getDb(), actor, { certificateId: tutor.certificateId, serviceSessions: 6, today: "2026-05-01" });
    expect(renewalCheck(getDb(), tutor.certificateId, "2026-05-01")).toMatchObject({ periodStart: "2026-05-02", educationHours: 0 });
    const e = refusal(() => renewCertificate(getDb(), actor, { certificateId: tutor.certificateId, serviceSessions: 6, today: "2026-05-01" }));
    expect(e.key).toBe("registry.renew.hoursShort?have=0&need=12&since=2026-05-02");
  });

  it("keeps the last day of a month when the old expiry was one (29 February + 12 months = 28 February)", async () => {
    const { cohortId } = certifiedCohort({ ...RULES, certificateValidMonths: 12 });
    const tutor = await makeCertifiedTutor({ cohortId, issuedOn: "2023-03-01", expiresOn: "2024-02-29" });
    addEducation(tutor.personId, "2023-09-01", 12);
    expect(renewCertificate(getDb(), actor, { certificateId: tutor.certificateId, serviceSessions: 6, today: "2024-02-01" })).toBe("2025-02-28");
  });

  it("refuses a revoked or suspended certificate", async () => {
    const revoked = await tutorWithRules({ revokedAt: "2025-01-01T00:00:00.000Z" });
    const suspended = await tutorWithRules({ suspendedAt: "2025-01-01T00:00:00.000Z" });
    for (const t of [revoked, suspended]) addEducation(t.personId, "2025-01-10", 12);
    expect(refusal(() => renewCertificate(getDb(), actor, { certificateId: revoked.certificateId, serviceSessions: 6, today: "2026-05-01" })).key).toBe(
      "registry.renew.revoked",
    );
    expect(refusal(() => renewCertificate(getDb(), actor, { certificateId: suspended.certificateId, serviceSessions: 6, today: "2026-05-01" })).key).toBe(
      "registry.renew.suspended",
    );
  });

  it("shows the held sessions Tongban recorded in the period beside the attested number, and audits both", async () => {
    const tutor = await tutorWithRules();
    const studio = makeStudio(tutor.districtId);
    // local (Asia/Shanghai) days: 2024-07-01 begins at 2024-06-30T16:00Z, 2026-05-01 ends at 2026-05-01T16:00Z
    const sessions: [string, "held" | "scheduled" | "cancelled"][] = [
      ["2024-06-30T15:00:00.000Z", "held"], // 30 June local: before the period
      ["2024-06-30T16:30:00.000Z", "held"], // 1 July local: in
      ["2025-05-01T02:00:00.000Z", "held"], // in
      ["2025-06-01T02:00:00.000Z", "cancelled"], // not held
      ["2026-05-01T15:00:00.000Z", "held"], // 1 May local, 23:00: in
      ["2026-05-01T16:30:00.000Z", "held"], // 2 May local: after today
    ];
    for (const [startsAt, status] of sessions) {
      const endsAt = new Date(Date.parse(startsAt) + 3_600_000).toISOString();
      const s = getDb()
        .insert(groupSessions)
        .values({ studioId: studio.id, topic: "测试小组（虚构）", kind: "peer_group", startsAt, endsAt, capacity: 10, status })
        .returning()
        .get();
      getDb().insert(sessionFacilitators).values({ sessionId: s.id, personId: tutor.personId }).run();
    }
    expect(renewalCheck(getDb(), tutor.certificateId, "2026-05-01", "Asia/Shanghai").recordedServiceSessions).toBe(3);
    addEducation(tutor.personId, "2025-01-10", 12);
    renewCertificate(getDb(), actor, { certificateId: tutor.certificateId, serviceSessions: 6, today: "2026-05-01", timeZone: "Asia/Shanghai" });
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.action, "renew_certificate"), eq(auditLog.entityId, String(tutor.certificateId)))).get()!;
    expect(audit.details).toMatchObject({ attestedServiceSessions: 6, recordedServiceSessions: 3 });
  });

  it("refuses an unknown certificate", () => {
    expect(refusal(() => renewCertificate(getDb(), actor, { certificateId: 999_999, serviceSessions: 6, today: "2026-05-01" })).key).toBe("form.unknownId");
  });
});

describe("continuing education (domain)", () => {
  it("records hours for a certificate holder, audited", async () => {
    const tutor = await tutorWithRules();
    const id = recordContinuingEducation(getDb(), actor, { personId: tutor.personId, date: "2025-03-01", hours: 2.5, activity: "测试督导（虚构）", today: "2025-03-02" });
    expect(getDb().select().from(continuingEducation).where(eq(continuingEducation.id, id)).get()).toMatchObject({ hours: 2.5, recordedBy: trainer.id });
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, "record_continuing_education")).all();
    expect(audit.some((a) => a.entityId === String(tutor.personId))).toBe(true);
  });

  it("refuses future dates, hours outside quarter hours in (0, 24], and people who are no tutor", async () => {
    const tutor = await tutorWithRules();
    const base = { personId: tutor.personId, date: "2025-03-01", hours: 1, activity: "测试（虚构）", today: "2025-03-01" };
    expect(refusal(() => recordContinuingEducation(getDb(), SYSTEM_ACTOR, { ...base, date: "2025-03-02" })).key).toBe("registry.ce.futureDate");
    for (const hours of [0, -1, 24.25, 0.3]) {
      expect(refusal(() => recordContinuingEducation(getDb(), SYSTEM_ACTOR, { ...base, hours })).key).toBe("registry.ce.hoursRange?max=24");
    }
    expect(refusal(() => recordContinuingEducation(getDb(), SYSTEM_ACTOR, { ...base, personId: 999_999 })).key).toBe("form.unknownId");
  });
});

describe("renewal and continuing education on the tutor's profile page", () => {
  const today = todayIn();

  async function post(cookie: string, tutorId: number, form: Record<string, string>) {
    const request = makeRequest(`/registry/${tutorId}`, { method: "POST", cookie, form });
    return respond(() => action({ request, params: { tutorId: String(tutorId) }, context: { cspNonce: "" } }));
  }

  async function renewable() {
    const tutor = await tutorWithRules({ issuedOn: addDays(today, -700), expiresOn: addDays(today, 30) });
    addEducation(tutor.personId, addDays(today, -10), 12);
    return tutor;
  }

  it("a trainer renews with the attested sessions and is sent back with a flash", async () => {
    const tutor = await renewable();
    const res = await post(trainer.cookie, tutor.tutorId, { intent: "renew", certificateId: String(tutor.certificateId), serviceSessions: "6", attest: "on" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/registry/${tutor.tutorId}`);
    expect(res.headers.get("Set-Cookie")).toContain("registry.renew.done");
    expect(certificateOf(tutor.certificateId).expiresOn > addDays(today, 30)).toBe(true);
  });

  it("an admin may renew too", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const tutor = await renewable();
    const res = await post(admin.cookie, tutor.tutorId, { intent: "renew", certificateId: String(tutor.certificateId), serviceSessions: "6", attest: "on" });
    expect(res.status).toBe(302);
  });

  it("without the attestation the form comes back (400) with the input kept and nothing renewed", async () => {
    const tutor = await renewable();
    const res = await post(trainer.cookie, tutor.tutorId, { intent: "renew", certificateId: String(tutor.certificateId), serviceSessions: "6" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: { attest: "registry.renew.attestRequired" }, values: { serviceSessions: "6", intent: "renew" } });
    expect(certificateOf(tutor.certificateId).expiresOn).toBe(addDays(today, 30));
  });

  it("short hours come back as a 400 with the numbers", async () => {
    const tutor = await tutorWithRules({ issuedOn: addDays(today, -700), expiresOn: addDays(today, 30) });
    addEducation(tutor.personId, addDays(today, -10), 3.5);
    const res = await post(trainer.cookie, tutor.tutorId, { intent: "renew", certificateId: String(tutor.certificateId), serviceSessions: "6", attest: "on" });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors._form).toBe(`registry.renew.hoursShort?have=3.5&need=12&since=${addDays(today, -700)}`);
  });

  it("a number of sessions that is not a whole number, or negative, is a 400 on that field", async () => {
    const tutor = await renewable();
    for (const [serviceSessions, key] of [
      ["abc", "form.notANumber"],
      ["-1", "form.numberRange?min=0&max=10000"],
      ["", "form.required"],
    ] as const) {
      const res = await post(trainer.cookie, tutor.tutorId, { intent: "renew", certificateId: String(tutor.certificateId), serviceSessions, attest: "on" });
      expect(res.status, serviceSessions).toBe(400);
      expect((res.body as { errors: Record<string, string> }).errors.serviceSessions).toBe(key);
    }
  });

  it("a certificate of another tutor is refused (400) and left alone", async () => {
    const tutor = await renewable();
    const other = await renewable();
    const res = await post(trainer.cookie, tutor.tutorId, { intent: "renew", certificateId: String(other.certificateId), serviceSessions: "6", attest: "on" });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors._form).toBe("form.unknownId");
    expect(certificateOf(other.certificateId).expiresOn).toBe(addDays(today, 30));
  });

  it("coordinators, social workers and peer tutors may not renew (403)", async () => {
    const district = makeDistrict();
    const tutor = await renewable();
    const self = await makeCertifiedTutor({ login: true });
    for (const who of [await makeCoordinator([district.id]), await makeSocialWorker(district.id), self]) {
      const res = await post(who.cookie, tutor.tutorId, { intent: "renew", certificateId: String(tutor.certificateId), serviceSessions: "6", attest: "on" });
      expect(res.status).toBe(403);
    }
    expect(certificateOf(tutor.certificateId).expiresOn).toBe(addDays(today, 30));
  });

  it("an unknown tutor is a 404, an unknown intent a 400", async () => {
    expect((await post(trainer.cookie, 999_999, { intent: "renew" })).status).toBe(404);
    const tutor = await renewable();
    const res = await post(trainer.cookie, tutor.tutorId, { intent: "reinstate" });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors._form).toBe("registry.unknownIntent");
  });

  it("a trainer records continuing education; bad hours, dates and text come back as 400s", async () => {
    const tutor = await renewable();
    const ok = await post(trainer.cookie, tutor.tutorId, { intent: "ce", date: today, hours: "1.5", activity: "测试工作坊（虚构）" });
    expect(ok.status).toBe(302);
    const rows = getDb().select().from(continuingEducation).where(eq(continuingEducation.personId, tutor.personId)).all();
    expect(rows.some((r) => r.hours === 1.5 && r.activity === "测试工作坊（虚构）")).toBe(true);

    const cases: [Record<string, string>, string, string][] = [
      [{ date: addDays(today, 1), hours: "1", activity: "x" }, "date", "registry.ce.futureDate"],
      [{ date: "2025-02-30", hours: "1", activity: "x" }, "date", "form.invalidDate"],
      [{ date: today, hours: "25", activity: "x" }, "hours", "training.hoursRange?max=24"],
      [{ date: today, hours: "0.3", activity: "x" }, "hours", "training.quarterHours"],
      [{ date: today, hours: "lots", activity: "x" }, "hours", "training.hoursNotANumber"],
      [{ date: today, hours: "1", activity: "x".repeat(201) }, "activity", "form.tooLong?max=200"],
      [{ date: today, hours: "1", activity: "bad\u0007bell" }, "activity", "form.controlChars"],
      [{ date: today, hours: "1", activity: "" }, "activity", "form.required"],
    ];
    for (const [form, field, key] of cases) {
      const res = await post(trainer.cookie, tutor.tutorId, { intent: "ce", ...form });
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect((res.body as { errors: Record<string, string> }).errors[field], JSON.stringify(form)).toBe(key);
    }
  });
});
