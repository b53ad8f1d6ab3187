/**
 * "May practise": one rule (app/domain/training/practise.ts) for caseload assignment and session
 * scheduling alike. An active peer tutor with a certificate that is issued, unexpired, not
 * suspended and not revoked on the date may practise; nobody else.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { assignWorker } from "~/domain/clients";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { liftSuspension, mayPractise, mayPractiseOn, practiseStandingOn, suspendCertificate, type PractiseFacts } from "~/domain/training";
import { makeClient } from "../../clients-factories";
import { makeDistrict } from "../../factories";
import { makeCertifiedTutor } from "./registry-builders";

const certificate = { issuedOn: "2024-07-01", expiresOn: "2026-06-30", suspendedAt: null, revokedAt: null };
const active: PractiseFacts = { tutorStatus: "active", certificate };

describe("mayPractise (the rule)", () => {
  it("lets an active tutor with a valid certificate practise, up to and including the expiry day", () => {
    expect(mayPractise(active, "2024-07-01")).toBe(true);
    expect(mayPractise(active, "2026-06-30")).toBe(true);
  });

  it("refuses the day after the expiry", () => {
    expect(mayPractise(active, "2026-07-01")).toBe(false);
  });

  it("refuses before the certificate was issued", () => {
    expect(mayPractise(active, "2024-06-30")).toBe(false);
  });

  it("refuses a suspended or revoked certificate, whatever the date", () => {
    expect(mayPractise({ ...active, certificate: { ...certificate, suspendedAt: "2025-01-01T00:00:00.000Z" } }, "2024-12-01")).toBe(false);
    expect(mayPractise({ ...active, certificate: { ...certificate, revokedAt: "2025-01-01T00:00:00.000Z" } }, "2024-12-01")).toBe(false);
  });

  it("refuses a paused, alumni or revoked tutor even with a valid certificate", () => {
    for (const tutorStatus of ["paused", "alumni", "revoked"]) expect(mayPractise({ ...active, tutorStatus }, "2025-01-01")).toBe(false);
  });

  it("refuses someone who is not a peer tutor, or has no certificate", () => {
    expect(mayPractise({ tutorStatus: null, certificate: null }, "2025-01-01")).toBe(false);
    expect(mayPractise({ tutorStatus: "active", certificate: null }, "2025-01-01")).toBe(false);
  });
});

describe("mayPractiseOn (the rule on the database)", () => {
  it("reads the tutor's current certificate: suspended and expired tutors may not practise", async () => {
    const ok = await makeCertifiedTutor();
    const susp = await makeCertifiedTutor({ suspendedAt: "2025-01-01T00:00:00.000Z" });
    const exp = await makeCertifiedTutor({ issuedOn: "2022-07-01", expiresOn: "2024-06-30" });
    const db = getDb();
    expect(mayPractiseOn(db, ok.personId, "2025-06-01")).toBe(true);
    expect(mayPractiseOn(db, susp.personId, "2025-06-01")).toBe(false);
    expect(practiseStandingOn(db, susp.personId, "2025-06-01")).toBe("suspended");
    expect(mayPractiseOn(db, exp.personId, "2025-06-01")).toBe(false);
    expect(practiseStandingOn(db, exp.personId, "2025-06-01")).toBe("expired");
  });

  it("lets a tutor practise again once a suspension is lifted", async () => {
    const tutor = await makeCertifiedTutor();
    const db = getDb();
    suspendCertificate(db, SYSTEM_ACTOR, { certificateId: tutor.certificateId, reason: "测试暂停原因（虚构）" });
    expect(mayPractiseOn(db, tutor.personId, "2025-06-01")).toBe(false);
    liftSuspension(db, SYSTEM_ACTOR, { certificateId: tutor.certificateId, reason: "测试解除原因（虚构）" });
    expect(mayPractiseOn(db, tutor.personId, "2025-06-01")).toBe(true);
  });

  it("uses the mirrored dates of a tutor recorded without a certificate row", async () => {
    const tutor = await makeCertifiedTutor({ withoutCertificateRow: true, issuedOn: "2010-01-01", expiresOn: "2026-12-31" });
    expect(mayPractiseOn(getDb(), tutor.personId, "2026-12-31")).toBe(true);
    expect(mayPractiseOn(getDb(), tutor.personId, "2027-01-01")).toBe(false);
  });

  it("answers no for a person who is not a peer tutor", () => {
    expect(mayPractiseOn(getDb(), 999_999, "2025-06-01")).toBe(false);
    expect(practiseStandingOn(getDb(), 999_999, "2025-06-01")).toBe("not_a_tutor");
  });
});

describe("caseload assignment uses the same rule", () => {
  let districtId: number;
  beforeAll(() => {
    districtId = makeDistrict().id;
  });

  function expectRefused(fn: () => unknown) {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).key).toBe("clients.assign.notActivePeerTutor");
      return;
    }
    throw new Error("expected the assignment to be refused");
  }

  it("refuses a suspended tutor as a client's peer tutor", async () => {
    const tutor = await makeCertifiedTutor({ districtId, suspendedAt: "2025-01-01T00:00:00.000Z" });
    const client = await makeClient({ districtId });
    expectRefused(() => assignWorker(getDb(), SYSTEM_ACTOR, { clientId: client.id, kind: "peer_tutor", personId: tutor.personId, fromDate: "2025-06-01" }));
  });

  it("refuses a tutor whose certificate has expired by the start date", async () => {
    const tutor = await makeCertifiedTutor({ districtId, expiresOn: "2025-05-31" });
    const client = await makeClient({ districtId });
    expectRefused(() => assignWorker(getDb(), SYSTEM_ACTOR, { clientId: client.id, kind: "peer_tutor", personId: tutor.personId, fromDate: "2025-06-01" }));
  });

  it("accepts a tutor who may practise on the start date", async () => {
    const tutor = await makeCertifiedTutor({ districtId, expiresOn: "2025-06-01" });
    const client = await makeClient({ districtId });
    const id = assignWorker(getDb(), SYSTEM_ACTOR, { clientId: client.id, kind: "peer_tutor", personId: tutor.personId, fromDate: "2025-06-01" });
    expect(id).toBeGreaterThan(0);
  });
});
