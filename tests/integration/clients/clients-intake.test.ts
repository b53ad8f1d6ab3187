/**
 * Intake (/clients/new): who may take in a client, what is written (client, social-worker
 * assignment, identity, consent, audit rows), and every bad input answered with 400, the field's
 * message and the typed input kept.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { currentAssignment } from "~/domain/clients";
import * as intake from "~/routes/clients.new";
import { clientIdentities, clients, consents } from "#db/schema";
import { makeDistrict, makeSignedInUser, makeSubdistrict, makePoint } from "../../factories";
import { makeClient, makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { clientAudit, futureDate, get, post, PAST, type FormAnswer } from "./clients-helpers";

let seq = 0;
let districtId: number;
let otherDistrictId: number;
let subdistrictId: number;
let otherSubdistrictId: number;
let sw: Awaited<ReturnType<typeof makeSocialWorker>>;
let coordinator: Awaited<ReturnType<typeof makeCoordinator>>;

function intakeForm(overrides: Record<string, string | string[]> = {}) {
  const n = ++seq;
  return {
    caseNumber: `TEST-INTAKE-${n}`,
    alias: `测试接案对象${n}（化名）`,
    districtId: String(districtId),
    subdistrictId: "",
    pointId: "",
    legalStatus: "community_rehab",
    intakeDate: PAST,
    riskLevel: "medium",
    ...overrides,
  };
}

function clientByCase(caseNumber: string) {
  return getDb().select().from(clients).where(eq(clients.caseNumber, caseNumber)).get();
}

async function expectBad(cookie: string, form: Record<string, string | string[]>, field: string, key: string) {
  const res = await post(intake.action, "/clients/new", cookie, form);
  expect(res.status).toBe(400);
  const body = res.body as FormAnswer;
  expect(body.errors[field]).toBe(key);
  // the typed input comes back
  expect(body.values.alias).toBe(form.alias);
  expect(body.values.caseNumber).toBe(form.caseNumber);
  // nothing was written: no client under that case number (or only the one that was there)
  const existing = getDb().select().from(clients).where(eq(clients.caseNumber, form.caseNumber as string)).all();
  expect(existing.filter((c) => c.alias === form.alias)).toEqual([]);
}

beforeAll(async () => {
  districtId = makeDistrict().id;
  otherDistrictId = makeDistrict().id;
  subdistrictId = makeSubdistrict(districtId).id;
  otherSubdistrictId = makeSubdistrict(otherDistrictId).id;
  sw = await makeSocialWorker(districtId);
  coordinator = await makeCoordinator([districtId]);
});

describe("intake by a social worker", () => {
  it("takes in a client who is theirs from the intake date, with identity and consent, all audited", async () => {
    const form = intakeForm({
      subdistrictId: String(subdistrictId),
      realName: "测试真名（虚构）",
      phone: "+86 000-0000",
      purpose_case_management: "on",
      purpose_peer_support: "on",
      sensitiveInfo: "on",
    });
    const res = await post(intake.action, "/clients/new", sw.cookie, form);
    expect(res.status).toBe(302);
    const client = clientByCase(form.caseNumber)!;
    expect(res.headers.get("Location")).toBe(`/clients/${client.id}`);
    expect(client).toMatchObject({ alias: form.alias, districtId, subdistrictId, status: "active", intakeDate: PAST });
    expect(currentAssignment(getDb(), client.id, "social_worker")).toMatchObject({ personId: sw.personId, fromDate: PAST });
    expect(getDb().select().from(clientIdentities).where(eq(clientIdentities.clientId, client.id)).get()).toMatchObject({
      realName: "测试真名（虚构）",
      phone: "+86 000-0000",
    });
    expect(getDb().select().from(consents).where(eq(consents.clientId, client.id)).get()).toMatchObject({
      purposes: ["case_management", "peer_support"],
      sensitiveInfo: true,
      agreedOn: PAST,
      recordedBy: sw.id,
    });
    const actions = clientAudit(client.id).map((a) => a.action);
    expect(actions).toEqual(["create", "assign_worker", "update_identity", "record_consent"]);
    // the audit log names identity fields, never their values
    expect(JSON.stringify(clientAudit(client.id))).not.toContain("测试真名");
  });

  it("takes in a client without identity or consent when none is given", async () => {
    const form = intakeForm();
    expect((await post(intake.action, "/clients/new", sw.cookie, form)).status).toBe(302);
    const client = clientByCase(form.caseNumber)!;
    expect(getDb().select().from(clientIdentities).where(eq(clientIdentities.clientId, client.id)).all()).toEqual([]);
    expect(getDb().select().from(consents).where(eq(consents.clientId, client.id)).all()).toEqual([]);
  });

  it("shows a social worker no social-worker choice and a coordinator the district's social workers", async () => {
    const own = (await get(intake.loader, "/clients/new", sw.cookie)).body as { picksWorker: boolean };
    expect(own.picksWorker).toBe(false);
    const coord = (await get(intake.loader, "/clients/new", coordinator.cookie)).body as { picksWorker: boolean; socialWorkers: { personId: number }[] };
    expect(coord.picksWorker).toBe(true);
    expect(coord.socialWorkers.map((w) => w.personId)).toContain(sw.personId);
  });
});

describe("intake by a coordinator", () => {
  it("assigns the social worker the coordinator picks", async () => {
    const form = intakeForm({ socialWorkerPersonId: String(sw.personId) });
    expect((await post(intake.action, "/clients/new", coordinator.cookie, form)).status).toBe(302);
    const client = clientByCase(form.caseNumber)!;
    expect(currentAssignment(getDb(), client.id, "social_worker")?.personId).toBe(sw.personId);
  });

  it("must pick a social worker", async () => {
    await expectBad(coordinator.cookie, intakeForm(), "socialWorkerPersonId", "clients.intake.pickSocialWorker");
  });

  it("cannot pick a social worker of another district", async () => {
    const elsewhere = await makeSocialWorker(otherDistrictId);
    await expectBad(coordinator.cookie, intakeForm({ socialWorkerPersonId: String(elsewhere.personId) }), "socialWorkerPersonId", "clients.assign.notSocialWorker");
  });

  it("cannot take in a client in a district they do not coordinate", async () => {
    await expectBad(
      coordinator.cookie,
      intakeForm({ districtId: String(otherDistrictId), socialWorkerPersonId: String(sw.personId) }),
      "districtId",
      "form.unknownId",
    );
  });
});

describe("intake refuses bad input with 400, the field message and the input kept", () => {
  it("an intake date in the future", async () => {
    await expectBad(sw.cookie, intakeForm({ intakeDate: futureDate() }), "intakeDate", "clients.dateInFuture");
  });

  it("a date that does not exist", async () => {
    await expectBad(sw.cookie, intakeForm({ intakeDate: "2025-02-30" }), "intakeDate", "form.invalidDate");
  });

  it("a duplicate case number", async () => {
    const existing = await makeClient({ districtId });
    await expectBad(sw.cookie, { ...intakeForm(), caseNumber: existing.caseNumber }, "caseNumber", "clients.caseNumberTaken");
  });

  it("an unknown district id", async () => {
    await expectBad(sw.cookie, intakeForm({ districtId: "999999" }), "districtId", "form.unknownId");
  });

  it("a district id that is not a number", async () => {
    await expectBad(sw.cookie, intakeForm({ districtId: "abc" }), "districtId", "form.unknownId");
  });

  it("an unknown subdistrict id", async () => {
    await expectBad(sw.cookie, intakeForm({ subdistrictId: "999999" }), "subdistrictId", "form.unknownId");
  });

  it("a subdistrict of another district", async () => {
    await expectBad(sw.cookie, intakeForm({ subdistrictId: String(otherSubdistrictId) }), "subdistrictId", "clients.intake.subdistrictNotInDistrict");
  });

  it("a social-work point of another district", async () => {
    const point = makePoint(otherDistrictId, otherSubdistrictId);
    await expectBad(sw.cookie, intakeForm({ pointId: String(point.id) }), "pointId", "clients.intake.pointNotInDistrict");
  });

  it("an over-long alias", async () => {
    await expectBad(sw.cookie, intakeForm({ alias: "化".repeat(41) }), "alias", "form.tooLong?max=40");
  });

  it("control characters in the alias", async () => {
    await expectBad(sw.cookie, intakeForm({ alias: "测试\u0007对象（化名）" }), "alias", "form.controlChars");
  });

  it("an unknown legal status", async () => {
    await expectBad(sw.cookie, intakeForm({ legalStatus: "prison" }), "legalStatus", "form.unknownChoice");
  });

  it("identity details without the real name", async () => {
    await expectBad(sw.cookie, intakeForm({ phone: "12345" }), "realName", "clients.identity.realNameRequired");
  });

  it("a phone number with letters", async () => {
    await expectBad(sw.cookie, intakeForm({ realName: "测试真名（虚构）", phone: "call me" }), "phone", "clients.identity.phoneFormat");
  });

  it("consent to sensitive information without any purpose", async () => {
    await expectBad(sw.cookie, intakeForm({ sensitiveInfo: "on" }), "purposes", "clients.consent.noPurpose");
  });

  it("a consent date in the future", async () => {
    await expectBad(sw.cookie, intakeForm({ purpose_case_management: "on", consentOn: futureDate() }), "consentOn", "clients.dateInFuture");
  });
});

describe("intake access", () => {
  it("answers 403 to a peer tutor, a trainer and an admin (no create:client)", async () => {
    for (const role of ["peer_tutor", "trainer", "admin"] as const) {
      const { cookie } = await makeSignedInUser([{ role, districtId: null }]);
      expect((await get(intake.loader, "/clients/new", cookie)).status).toBe(403);
      expect((await post(intake.action, "/clients/new", cookie, intakeForm())).status).toBe(403);
    }
  });

  it("does not let a district-limited social worker take in a client in another district", async () => {
    await expectBad(sw.cookie, intakeForm({ districtId: String(otherDistrictId) }), "districtId", "form.unknownId");
  });
});
