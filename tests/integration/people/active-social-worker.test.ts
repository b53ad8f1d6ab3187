/**
 * One rule decides who is an active social worker (app/domain/people/staff.server.ts), and caseload
 * assignment, worker choices and session facilitation all ask it: a social worker whose login an
 * admin disabled is no longer one, even with an active staff profile.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "#db/schema";
import { getDb } from "~/db.server";
import { assignWorker } from "~/domain/clients";
import { activeSocialWorkerIds, isActiveSocialWorker } from "~/domain/people/staff.server";
import { isDomainError } from "~/domain/shared/errors";
import { makeClient, makeSocialWorker } from "../../clients-factories";
import { makeDistrict } from "../../factories";

const actor = { userId: null, login: "test", ip: "" };

describe("an active social worker", () => {
  it("is one with an active staff profile or the role, and stops being one when the login is disabled", async () => {
    const districtId = makeDistrict().id;
    const kept = await makeSocialWorker(districtId);
    const leaving = await makeSocialWorker(districtId);
    expect(isActiveSocialWorker(getDb(), leaving.personId)).toBe(true);

    getDb().update(users).set({ active: false }).where(eq(users.id, leaving.id)).run();

    expect(isActiveSocialWorker(getDb(), leaving.personId)).toBe(false);
    expect([...activeSocialWorkerIds(getDb(), [kept.personId, leaving.personId])]).toEqual([kept.personId]);

    const client = await makeClient({ districtId });
    let refused: unknown;
    try {
      assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: leaving.personId, fromDate: "2026-01-05" });
    } catch (e) {
      refused = e;
    }
    expect(isDomainError(refused)).toBe(true);
    expect(assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: kept.personId, fromDate: "2026-01-05" })).toBeGreaterThan(0);
  });
});
