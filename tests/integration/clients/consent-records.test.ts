/**
 * Consent on the overview: the current social worker records what the client agreed to and the
 * client's withdrawal; the overview shows the current state; requireCurrentConsent (which blocks
 * contacts, plans and events) follows it.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { requireCurrentConsent, type ClientOverview } from "~/domain/clients";
import { DomainError } from "~/domain/shared/errors";
import * as overviewRoute from "~/routes/clients.$id._index";
import { consents } from "#db/schema";
import { makeDistrict } from "../../factories";
import { makeClient, makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { clientAudit, futureDate, get, post, type FormAnswer } from "./clients-helpers";

const act = (id: number, cookie: string, form: Record<string, string>) => post(overviewRoute.action, `/clients/${id}`, cookie, form, { id: String(id) });
const overview = async (id: number, cookie: string) =>
  ((await get(overviewRoute.loader, `/clients/${id}`, cookie, { id: String(id) })).body as { overview: ClientOverview }).overview;

let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
});

function blocked(clientId: number, onDate: string): boolean {
  try {
    requireCurrentConsent(getDb(), clientId, onDate);
    return false;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return true;
  }
}

describe("consent", () => {
  it("records what the client agreed to, shows it as current and unblocks recording", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, consent: false, intakeDate: "2025-01-10" });
    expect(blocked(client.id, "2025-02-01")).toBe(true);
    expect((await overview(client.id, sw.cookie)).consent.current).toBeNull();
    const res = await act(client.id, sw.cookie, {
      intent: "consent",
      purpose_case_management: "on",
      purpose_reporting: "on",
      sensitiveInfo: "on",
      agreedOn: "2025-01-15",
    });
    expect(res.status).toBe(302);
    const current = (await overview(client.id, sw.cookie)).consent.current;
    expect(current).toMatchObject({ purposes: ["case_management", "reporting"], sensitiveInfo: true, agreedOn: "2025-01-15", recordedByLogin: sw.login });
    expect(blocked(client.id, "2025-02-01")).toBe(false);
    expect(clientAudit(client.id, "record_consent")).toHaveLength(1);
  });

  it("withdraws consent on a date: the overview shows no current consent and recording is blocked again", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, intakeDate: "2025-01-10" });
    expect(blocked(client.id, "2025-03-01")).toBe(false);
    expect((await act(client.id, sw.cookie, { intent: "withdraw", withdrawnOn: "2025-04-01" })).status).toBe(302);
    const state = (await overview(client.id, sw.cookie)).consent;
    expect(state.current).toBeNull();
    expect(state.history[0]!.withdrawnOn).toBe("2025-04-01");
    expect(blocked(client.id, "2025-05-01")).toBe(true);
    expect(clientAudit(client.id, "withdraw_consent")).toHaveLength(1);
    // a new consent restores it, and the withdrawn one stays in the history
    await act(client.id, sw.cookie, { intent: "consent", purpose_peer_support: "on", agreedOn: "2025-05-01" });
    const after = (await overview(client.id, sw.cookie)).consent;
    expect(after.current?.purposes).toEqual(["peer_support"]);
    expect(after.history).toHaveLength(2);
  });

  it("refuses bad consent input with 400, the field message and the input kept", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, consent: false, intakeDate: "2025-01-10" });
    const cases: [Record<string, string>, string, string][] = [
      [{ intent: "consent", sensitiveInfo: "on", agreedOn: "2025-02-01" }, "purposes", "clients.consent.noPurpose"],
      [{ intent: "consent", purpose_case_management: "on", agreedOn: futureDate() }, "agreedOn", "clients.dateInFuture"],
      [{ intent: "consent", purpose_case_management: "on", agreedOn: "01/02/2025" }, "agreedOn", "form.invalidDate"],
      [{ intent: "withdraw", withdrawnOn: "2025-03-01" }, "_form", "clients.consent.noneToWithdraw"],
    ];
    for (const [form, field, key] of cases) {
      const res = await act(client.id, sw.cookie, form);
      expect(res.status, key).toBe(400);
      expect((res.body as FormAnswer).errors[field], key).toBe(key);
      expect((res.body as FormAnswer).values.intent).toBe(form.intent);
    }
    expect(getDb().select().from(consents).where(eq(consents.clientId, client.id)).all()).toEqual([]);
  });

  it("refuses a withdrawal dated before the consent was agreed, or in the future", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId, intakeDate: "2025-01-10" });
    const early = await act(client.id, sw.cookie, { intent: "withdraw", withdrawnOn: "2025-01-01" });
    expect((early.body as FormAnswer).errors.withdrawnOn).toBe("clients.consent.withdrawBeforeAgreed");
    const future = await act(client.id, sw.cookie, { intent: "withdraw", withdrawnOn: futureDate() });
    expect((future.body as FormAnswer).errors.withdrawnOn).toBe("clients.dateInFuture");
    expect(blocked(client.id, "2025-03-01")).toBe(false);
  });

  it("does not let a coordinator record or withdraw consent (403)", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const coordinator = await makeCoordinator([districtId]);
    expect((await act(client.id, coordinator.cookie, { intent: "consent", purpose_case_management: "on", agreedOn: "2025-02-01" })).status).toBe(403);
    expect((await act(client.id, coordinator.cookie, { intent: "withdraw", withdrawnOn: "2025-02-01" })).status).toBe(403);
    expect(blocked(client.id, "2025-03-01")).toBe(false);
  });
});
