import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { requireCurrentConsent } from "~/domain/clients";
import { DomainError } from "~/domain/shared/errors";
import { clients, consents } from "#db/schema";
import { makeDistrict, makeUser } from "../../factories";

let seq = 0;
let districtId: number;
let recorderId: number;

function makeClient() {
  const n = ++seq;
  return getDb()
    .insert(clients)
    .values({
      caseNumber: `TEST-CONSENT-${n}`,
      alias: `测试对象${n}（虚构）`,
      districtId,
      legalStatus: "community_treatment",
      intakeDate: "2026-01-05",
      riskLevel: "low",
    })
    .returning()
    .get();
}

function addConsent(clientId: number, agreedOn: string, withdrawnAt: string | null = null) {
  return getDb()
    .insert(consents)
    .values({ clientId, purposes: ["case_management", "peer_support"], sensitiveInfo: true, agreedOn, recordedBy: recorderId, withdrawnAt })
    .returning()
    .get().id;
}

function refusal(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e.key;
    throw e;
  }
}

beforeAll(async () => {
  districtId = makeDistrict().id;
  recorderId = (await makeUser([{ role: "social_worker", districtId: null }])).id;
});

describe("requireCurrentConsent", () => {
  it("a consent agreed on or before the date covers it", () => {
    const client = makeClient();
    const id = addConsent(client.id, "2026-01-10");
    expect(requireCurrentConsent(getDb(), client.id, "2026-01-10")).toBe(id);
    expect(requireCurrentConsent(getDb(), client.id, "2026-11-28")).toBe(id);
  });

  it("a client without consent is refused", () => {
    const client = makeClient();
    expect(refusal(() => requireCurrentConsent(getDb(), client.id, "2026-11-28"))).toBe("clients.noConsent");
  });

  it("a date before the consent was agreed is refused", () => {
    const client = makeClient();
    addConsent(client.id, "2026-01-10");
    expect(refusal(() => requireCurrentConsent(getDb(), client.id, "2026-01-09"))).toBe("clients.noConsent");
  });

  it("a withdrawn consent is refused, even for a date before the withdrawal", () => {
    const client = makeClient();
    addConsent(client.id, "2026-01-10", "2026-06-01T02:00:00.000Z");
    expect(refusal(() => requireCurrentConsent(getDb(), client.id, "2026-07-01"))).toBe("clients.noConsent");
    expect(refusal(() => requireCurrentConsent(getDb(), client.id, "2026-03-01"))).toBe("clients.noConsent");
  });

  it("a new consent after a withdrawn one covers dates from its own agreement on", () => {
    const client = makeClient();
    addConsent(client.id, "2026-01-10", "2026-06-01T02:00:00.000Z");
    const renewed = addConsent(client.id, "2026-08-01");
    expect(requireCurrentConsent(getDb(), client.id, "2026-08-15")).toBe(renewed);
    expect(refusal(() => requireCurrentConsent(getDb(), client.id, "2026-07-15"))).toBe("clients.noConsent");
  });

  it("another client's consent does not cover this client", () => {
    const client = makeClient();
    const other = makeClient();
    addConsent(other.id, "2026-01-10");
    expect(refusal(() => requireCurrentConsent(getDb(), client.id, "2026-11-28"))).toBe("clients.noConsent");
  });
});
