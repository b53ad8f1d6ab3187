/**
 * A client's real identity: shown only to the current social worker and admins, only after an
 * explicit "show identity" POST, each reveal audited; recorded and corrected only by the current
 * social worker; the audit log names fields, never values.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { setUserActive } from "~/domain/people";
import * as overviewRoute from "~/routes/clients.$id._index";
import { clientIdentities } from "#db/schema";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { assignTo, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { clientAudit, post, type FormAnswer } from "./clients-helpers";

const IDENTITY = { realName: "身份测试（虚构）", idNumber: "TEST0000000001", phone: "000-0000-0000", address: "虚构测试路1号" };

type Reveal = { ok: true; intent: "reveal"; identity: (typeof IDENTITY & { revealedAt: string }) | null };

const act = (id: number, cookie: string, form: Record<string, string>) => post(overviewRoute.action, `/clients/${id}`, cookie, form, { id: String(id) });

function storedIdentity(clientId: number) {
  return getDb().select().from(clientIdentities).where(eq(clientIdentities.clientId, clientId)).get();
}

let districtId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;

beforeAll(async () => {
  districtId = makeDistrict().id;
  sw = await makeSocialWorker(districtId);
});

async function clientWithIdentity() {
  const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
  expect((await act(client.id, sw.cookie, { intent: "identity", ...IDENTITY })).status).toBe(302);
  return client;
}

describe("show identity", () => {
  it("shows the current social worker the identity and records each reveal in the audit log, without the values", async () => {
    const client = await clientWithIdentity();
    const first = await act(client.id, sw.cookie, { intent: "reveal" });
    expect(first.status).toBe(200);
    expect((first.body as Reveal).identity).toMatchObject(IDENTITY);
    await act(client.id, sw.cookie, { intent: "reveal" });
    const reveals = clientAudit(client.id, "reveal_identity");
    expect(reveals).toHaveLength(2);
    expect(reveals[0]!.actorUserId).toBe(sw.id);
    expect(JSON.stringify(clientAudit(client.id))).not.toContain(IDENTITY.realName);
    expect(JSON.stringify(clientAudit(client.id))).not.toContain(IDENTITY.phone);
  });

  it("shows an admin the identity, audited", async () => {
    const client = await clientWithIdentity();
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const res = await act(client.id, admin.cookie, { intent: "reveal" });
    expect((res.body as Reveal).identity?.realName).toBe(IDENTITY.realName);
    expect(clientAudit(client.id, "reveal_identity").map((a) => a.actorUserId)).toEqual([admin.id]);
  });

  it("refuses a coordinator of the district and the client's peer tutor with 403, and records no reveal", async () => {
    const tutor = await makePeerTutor(districtId);
    const client = await clientWithIdentity();
    assignTo(client.id, "peer_tutor", tutor.personId);
    const coordinator = await makeCoordinator([districtId]);
    for (const who of [coordinator, tutor]) {
      const res = await act(client.id, who.cookie, { intent: "reveal" });
      expect(res.status).toBe(403);
    }
    expect(clientAudit(client.id, "reveal_identity")).toEqual([]);
  });

  it("answers 404 to the former social worker", async () => {
    const client = await clientWithIdentity();
    const next = await makeSocialWorker(districtId);
    assignTo(client.id, "social_worker", next.personId, "2025-06-01");
    expect((await act(client.id, sw.cookie, { intent: "reveal" })).status).toBe(404);
    expect(((await act(client.id, next.cookie, { intent: "reveal" })).body as Reveal).identity?.realName).toBe(IDENTITY.realName);
  });

  it("says so when no identity is on file, and still records the attempt", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const res = await act(client.id, sw.cookie, { intent: "reveal" });
    expect(res.status).toBe(200);
    expect((res.body as Reveal).identity).toBeNull();
    expect(clientAudit(client.id, "reveal_identity")).toHaveLength(1);
  });

  it("does not show a disabled admin anything (the session ends with the login)", async () => {
    const client = await clientWithIdentity();
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    setUserActive(getDb(), SYSTEM_ACTOR, admin.id, false);
    const res = await act(client.id, admin.cookie, { intent: "reveal" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});

describe("recording and correcting the identity", () => {
  it("lets the current social worker correct it; the audit row names the changed fields only", async () => {
    const client = await clientWithIdentity();
    expect((await act(client.id, sw.cookie, { intent: "identity", ...IDENTITY, phone: "000-9999-0000" })).status).toBe(302);
    expect(storedIdentity(client.id)).toMatchObject({ ...IDENTITY, phone: "000-9999-0000" });
    const updates = clientAudit(client.id, "update_identity");
    expect(updates.map((u) => u.details)).toEqual([
      { fields: ["realName", "idNumber", "phone", "address"], created: true },
      { fields: ["phone"], created: false },
    ]);
  });

  it("does not let an admin or a coordinator write it (403)", async () => {
    const client = await clientWithIdentity();
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const coordinator = await makeCoordinator([districtId]);
    for (const who of [admin, coordinator]) {
      expect((await act(client.id, who.cookie, { intent: "identity", ...IDENTITY, realName: "篡改测试（虚构）" })).status).toBe(403);
    }
    expect(storedIdentity(client.id)?.realName).toBe(IDENTITY.realName);
  });

  it("refuses bad identity input with 400, the field message and the input kept", async () => {
    const client = await makeClient({ districtId, socialWorkerPersonId: sw.personId });
    const cases: [Record<string, string>, string, string][] = [
      [{ ...IDENTITY, realName: "" }, "realName", "clients.identity.realNameRequired"],
      [{ ...IDENTITY, realName: "名".repeat(61) }, "realName", "form.tooLong?max=60"],
      [{ ...IDENTITY, address: "路\u001b号" }, "address", "form.controlChars"],
      [{ ...IDENTITY, idNumber: "12 34" }, "idNumber", "clients.identity.idNumberFormat"],
      [{ ...IDENTITY, phone: "x".repeat(31) }, "phone", "form.tooLong?max=30"],
    ];
    for (const [form, field, key] of cases) {
      const res = await act(client.id, sw.cookie, { intent: "identity", ...form });
      expect(res.status, field).toBe(400);
      expect((res.body as FormAnswer).errors[field], field).toBe(key);
      expect((res.body as FormAnswer).values.address).toBe(form.address);
    }
    expect(storedIdentity(client.id)).toBeUndefined();
  });
});
