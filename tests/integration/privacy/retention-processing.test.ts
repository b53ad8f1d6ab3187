/**
 * Retention: closed cases past the period are de-identified (identity deleted, alias, case
 * number and free text replaced by markers, dates and counts kept), a dry run changes nothing,
 * a period shorter than the reports need is refused. Records of processing: who may see each
 * kind of data is read from the permission module; the page is for admins and exports CSV.
 */
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, clientIdentities, clients, contacts, substanceEvents } from "#db/schema";
import { can } from "~/auth/permissions";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { DEIDENTIFIED_MARKER, applyRetention, getRetentionYears, setRetentionYears } from "~/domain/clients/retention.server";
import { PROCESSING_KINDS, whoMaySee } from "~/domain/privacy/processing.server";
import { action as processingAction, loader as processingLoader } from "~/routes/admin.processing";
import { retentionCommand } from "../../../cli/privacy";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { addContact, makeClient, makeSocialWorker } from "../../clients-factories";

const ctx = { cspNonce: "" };
let districtId: number;
let swUserId: number;

beforeAll(async () => {
  districtId = makeDistrict().id;
  swUserId = (await makeSocialWorker(districtId)).id;
});

async function closedCase(closedOn: string) {
  const c = await makeClient({ districtId, intakeDate: "2012-05-01", alias: `旧个案（虚构）${closedOn}` });
  getDb().update(clients).set({ status: "closed", closedOn, closedReason: "迁居外地（虚构）" }).where(eq(clients.id, c.id)).run();
  getDb().insert(clientIdentities).values({ clientId: c.id, realName: "李测试（虚构）", idNumber: "TEST-ID-9", phone: "TEST-PHONE-9", address: "虚构路 9 号" }).run();
  addContact({ clientId: c.id, authorUserId: swUserId, summary: "家访：测试记录（虚构）" });
  getDb().insert(substanceEvents).values({ clientId: c.id, date: "2013-02-01", kind: "relapse", note: "测试备注（虚构）", recordedBy: swUserId }).run();
  return c.id;
}

describe("retention", () => {
  it("a dry run lists the cases past the period and changes nothing; the real run de-identifies only them", async () => {
    const old = await closedCase("2019-06-30");
    const recent = await closedCase("2024-06-30");
    const open = await makeClient({ districtId, intakeDate: "2012-05-01" });
    const dry = applyRetention(getDb(), SYSTEM_ACTOR, "2026-11-28", { dryRun: true });
    expect(dry.ids).toContain(old);
    expect(dry.ids).not.toContain(recent);
    expect(dry.ids).not.toContain(open.id);
    expect(getDb().select().from(clients).where(eq(clients.id, old)).get()!.deidentifiedAt).toBeNull();

    const contactsBefore = getDb().select({ n: count() }).from(contacts).get()!.n;
    const real = applyRetention(getDb(), SYSTEM_ACTOR, "2026-11-28", { dryRun: false });
    expect(real.ids).toEqual(dry.ids);
    const c = getDb().select().from(clients).where(eq(clients.id, old)).get()!;
    expect(c.alias).not.toContain("虚构");
    expect(c.caseNumber).toBe(`DEID-${old}`);
    expect(c.deidentifiedAt).not.toBeNull();
    expect(c.intakeDate).toBe("2012-05-01");
    expect(c.closedOn).toBe("2019-06-30");
    expect(getDb().select().from(clientIdentities).where(eq(clientIdentities.clientId, old)).all()).toHaveLength(0);
    expect(getDb().select().from(contacts).where(eq(contacts.clientId, old)).all().map((x) => x.summary)).toEqual([DEIDENTIFIED_MARKER]);
    expect(getDb().select({ n: count() }).from(contacts).get()!.n).toBe(contactsBefore);
    const ev = getDb().select().from(substanceEvents).where(eq(substanceEvents.clientId, old)).get()!;
    expect(ev).toMatchObject({ date: "2013-02-01", kind: "relapse", note: "" });
    // the recent case is untouched
    expect(getDb().select().from(clientIdentities).where(eq(clientIdentities.clientId, recent)).all()).toHaveLength(1);
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, "retention_deidentify")).all();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain("虚构");
    // running again finds nothing more
    expect(applyRetention(getDb(), SYSTEM_ACTOR, "2026-11-28", { dryRun: false }).clients).toBe(0);
  });

  it("refuses a period shorter than the reports need, keeping the old one", async () => {
    setRetentionYears(getDb(), SYSTEM_ACTOR, 7);
    expect(() => setRetentionYears(getDb(), SYSTEM_ACTOR, 2)).toThrow();
    expect(getRetentionYears(getDb())).toBe(7);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const res = await respond(() => processingAction({ request: makeRequest("/admin/processing", { cookie: admin.cookie, form: { intent: "retention", years: "1" } }), params: {}, context: ctx }));
    expect(res.status).toBe(400);
    expect((res.body as { errors: Record<string, string> }).errors.years).toBe("privacy.retention.tooShort?min=3");
    expect(getRetentionYears(getDb())).toBe(7);
  });

  it("the command's dry run prints ids and counts, never aliases", async () => {
    await closedCase("2010-01-15");
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      await retentionCommand.run({ positionals: [], values: { "dry-run": true, date: "2026-11-28" }, db: () => getDb(), databaseUrl: "test" });
    } finally {
      spy.mockRestore();
    }
    const out = lines.join("\n");
    expect(out).toMatch(/would be de-identified/);
    expect(out).not.toContain("虚构");
  });
});

describe("records of processing", () => {
  it("who may see each kind of data follows the permission module", () => {
    for (const kind of PROCESSING_KINDS) {
      const listed = whoMaySee(kind).map((a) => a.role);
      for (const role of ["admin", "coordinator", "social_worker", "peer_tutor", "trainer"] as const) {
        const holder = { roles: [{ role, districtId: null }] };
        const any = kind.entities.some((e) => can(holder, `read:${e}`) || can(holder, `reveal:${e}`) || can(holder, `edit:${e}`));
        expect(listed.includes(role), `${kind.key} / ${role}`).toBe(any);
      }
    }
    const identity = whoMaySee(PROCESSING_KINDS.find((k) => k.key === "clientIdentity")!);
    expect(identity.map((a) => `${a.role}:${a.scope}`)).toEqual(["admin:any", "social_worker:own"]);
  });

  it("is for admins, and exports a CSV in the reader's language with a BOM", async () => {
    const coordinator = await makeSignedInUser([{ role: "coordinator", districtId }]);
    expect((await respond(() => processingLoader({ request: makeRequest("/admin/processing", { cookie: coordinator.cookie }), params: {}, context: ctx }))).status).toBe(403);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const res = await respond(() =>
      processingLoader({ request: makeRequest("/admin/processing?format=csv", { cookie: admin.cookie, headers: { "Accept-Language": "zh-CN" } }), params: {}, context: ctx }),
    );
    const bytes = new Uint8Array(await (res.body as Response).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("信息类别");
    expect(text).toContain("服务对象身份信息");
  });

  it("records the impact-assessment date, refusing a future one", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const post = (assessedOn: string) =>
      respond(() => processingAction({ request: makeRequest("/admin/processing", { cookie: admin.cookie, form: { intent: "assessment", assessedOn } }), params: {}, context: ctx }));
    expect((await post("2999-01-01")).status).toBe(400);
    expect((await post("2026-10-15")).status).toBe(302);
    const page = await respond(() => processingLoader({ request: makeRequest("/admin/processing", { cookie: admin.cookie }), params: {}, context: ctx }));
    expect((page.body as { assessedOn: string }).assessedOn).toBe("2026-10-15");
  });
});
