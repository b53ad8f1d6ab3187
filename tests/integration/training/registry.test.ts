/**
 * The peer-tutor registry: who may read it, filters and paging done in SQL, a tutor's profile
 * with their path, the expiring-certificates worklist, and the audited CSV export.
 */
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { auditLog, certificateRenewals, enrollments, groupSessions, sessionFacilitators, users } from "#db/schema";
import { addDays } from "~/domain/clients";
import { PAGE_SIZE } from "~/domain/shared/paging";
import { listRegistry, parseRegistryFilters } from "~/domain/training";
import { todayIn } from "~/i18n/format";
import { loader as registryLoader } from "~/routes/registry._index/route";
import { loader as profileLoader } from "~/routes/registry.$tutorId";
import { loader as expiringLoader } from "~/routes/registry.expiring";
import { action as exportAction, loader as exportLoader } from "~/routes/registry.export";
import { loader as myCertificateLoader } from "~/routes/my-certificate";
import { navigationFor } from "~/auth/navigation";
import { makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, makeStudio, respond } from "../../factories";
import { makeTrainer } from "../../training-factories";
import { certifiedCohort, makeCertifiedTutor } from "./registry-builders";

const today = todayIn();
const ctx = { cspNonce: "" };
let districtA: number;
let districtB: number;
let cohortOne: { cohortId: number; cohortNumber: number };
let cohortTwo: { cohortId: number; cohortNumber: number };
let coordinator: { cookie: string };
let trainer: { cookie: string };

type ListBody = { rows: { name: string; tutorId: number; status: string; certificateStatus: string; standing: string }[]; total: number; pages: number; errors: Record<string, string> };

async function list(cookie: string, query = "") {
  const request = makeRequest(`/registry${query}`, { cookie });
  return respond(() => registryLoader({ request, params: {}, context: ctx }));
}

beforeAll(async () => {
  districtA = makeDistrict().id;
  districtB = makeDistrict().id;
  cohortOne = certifiedCohort();
  cohortTwo = certifiedCohort();
  const studio = makeStudio(districtA);
  // 30 active tutors in district A, cohort one
  for (let i = 0; i < 30; i++) {
    await makeCertifiedTutor({ cohortId: cohortOne.cohortId, districtId: districtA, homeStudioId: studio.id, name: `测试甲区辅导员${String(i).padStart(2, "0")}（虚构）` });
  }
  // district B, cohort two: one of each standing
  await makeCertifiedTutor({ cohortId: cohortTwo.cohortId, districtId: districtB, name: "Test Expiring Tutor (fictional)", expiresOn: addDays(today, 20) });
  await makeCertifiedTutor({ cohortId: cohortTwo.cohortId, districtId: districtB, name: "Test Expired Tutor (fictional)", issuedOn: "2020-01-01", expiresOn: addDays(today, -1) });
  await makeCertifiedTutor({ cohortId: cohortTwo.cohortId, districtId: districtB, name: "Test Revoked Tutor (fictional)", revokedAt: "2025-01-01T00:00:00.000Z" });
  await makeCertifiedTutor({ cohortId: cohortTwo.cohortId, districtId: districtB, name: "Test Suspended Tutor (fictional)", suspendedAt: "2025-01-01T00:00:00.000Z" });
  await makeCertifiedTutor({ cohortId: cohortTwo.cohortId, districtId: districtB, name: "Test Paused 100%_x Tutor (fictional)", status: "paused" });
  await makeCertifiedTutor({ cohortId: cohortTwo.cohortId, districtId: districtB, name: "=HYPERLINK(\"http://evil.example\") (fictional)" });
  coordinator = await makeCoordinator([districtB]);
  trainer = await makeTrainer();
});

describe("who may read the registry", () => {
  it("sends an anonymous visitor to sign in", async () => {
    const res = await respond(() => registryLoader({ request: makeRequest("/registry"), params: {}, context: ctx }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fregistry");
  });

  it("lets coordinators (even of one district), social workers, trainers and admins read it", async () => {
    const sw = await makeSocialWorker(districtA);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    for (const who of [coordinator, sw, trainer, admin]) {
      const res = await list(who.cookie);
      expect(res.status).toBe(200);
      expect((res.body as ListBody).total).toBeGreaterThanOrEqual(36);
    }
  });

  it("answers 403 to a peer tutor, who sees their own certificate at /my-certificate instead", async () => {
    const tutor = await makeCertifiedTutor({ login: true, name: "测试本人辅导员（虚构）" });
    const other = await makeCertifiedTutor();
    expect((await list(tutor.cookie)).status).toBe(403);
    expect((await respond(() => profileLoader({ request: makeRequest(`/registry/${other.tutorId}`, { cookie: tutor.cookie }), params: { tutorId: String(other.tutorId) }, context: ctx }))).status).toBe(403);
    const mine = await respond(() => myCertificateLoader({ request: makeRequest("/my-certificate", { cookie: tutor.cookie }), params: {}, context: ctx }));
    expect(mine.status).toBe(200);
    const body = mine.body as { certificates: { number: string }[]; standing: string };
    expect(body.certificates.map((c) => c.number)).toEqual([tutor.number]);
    expect(body.standing).toBe("may_practise");
    expect(JSON.stringify(body)).not.toContain(tutor.code);
  });

  it("offers the registry in the menu to its readers and 'my certificate' to a peer tutor", () => {
    const to = (roles: Parameters<typeof navigationFor>[0]["roles"]) => navigationFor({ roles }).map((i) => i.to);
    expect(to([{ role: "coordinator", districtId: districtA }])).toContain("/registry");
    expect(to([{ role: "peer_tutor", districtId: districtA }])).toContain("/my-certificate");
    expect(to([{ role: "peer_tutor", districtId: districtA }])).not.toContain("/registry");
  });
});

describe("the registry list filters, sorts and pages in SQL", () => {
  it("pages 25 at a time with the total", async () => {
    const first = (await list(coordinator.cookie, `?district=${districtA}`)).body as ListBody;
    expect(first.total).toBe(30);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(first.pages).toBe(2);
    const second = (await list(coordinator.cookie, `?district=${districtA}&page=2`)).body as ListBody;
    expect(second.rows).toHaveLength(5);
    const names = new Set([...first.rows, ...second.rows].map((r) => r.name));
    expect(names.size).toBe(30);
  });

  it("filters by district, cohort and tutor status", async () => {
    const b = (await list(coordinator.cookie, `?district=${districtB}`)).body as ListBody;
    expect(b.total).toBe(6);
    const two = (await list(coordinator.cookie, `?cohort=${cohortTwo.cohortId}`)).body as ListBody;
    expect(two.total).toBe(6);
    const paused = (await list(coordinator.cookie, `?district=${districtB}&status=paused`)).body as ListBody;
    expect(paused.rows.map((r) => r.name)).toEqual(["Test Paused 100%_x Tutor (fictional)"]);
    const revoked = (await list(coordinator.cookie, `?district=${districtB}&status=revoked`)).body as ListBody;
    expect(revoked.rows.map((r) => r.name)).toEqual(["Test Revoked Tutor (fictional)"]);
  });

  it("filters by certificate standing: expiring, expired, suspended, revoked, valid", async () => {
    const names = async (certificate: string) =>
      ((await list(coordinator.cookie, `?district=${districtB}&certificate=${certificate}&sort=name`)).body as ListBody).rows.map((r) => r.name);
    expect(await names("expiring")).toEqual(["Test Expiring Tutor (fictional)"]);
    expect(await names("expired")).toEqual(["Test Expired Tutor (fictional)"]);
    expect(await names("suspended")).toEqual(["Test Suspended Tutor (fictional)"]);
    expect(await names("revoked")).toEqual(["Test Revoked Tutor (fictional)"]);
    expect(await names("valid")).toEqual([
      "=HYPERLINK(\"http://evil.example\") (fictional)",
      "Test Expiring Tutor (fictional)",
      "Test Paused 100%_x Tutor (fictional)",
    ]);
  });

  it("shows each tutor's may-practise standing and certificate status", async () => {
    const rows = ((await list(coordinator.cookie, `?district=${districtB}&sort=name`)).body as ListBody).rows;
    const by = Object.fromEntries(rows.map((r) => [r.name, [r.standing, r.certificateStatus]]));
    expect(by["Test Expiring Tutor (fictional)"]).toEqual(["may_practise", "expiring"]);
    expect(by["Test Expired Tutor (fictional)"]).toEqual(["expired", "expired"]);
    expect(by["Test Suspended Tutor (fictional)"]).toEqual(["suspended", "suspended"]);
    expect(by["Test Revoked Tutor (fictional)"]).toEqual(["tutor_not_active", "revoked"]);
    expect(by["Test Paused 100%_x Tutor (fictional)"]).toEqual(["tutor_not_active", "valid"]);
  });

  it("searches names and numbers literally: % and _ are letters, not wildcards", async () => {
    const hit = (await list(coordinator.cookie, `?q=${encodeURIComponent("100%_x")}`)).body as ListBody;
    expect(hit.rows.map((r) => r.name)).toEqual(["Test Paused 100%_x Tutor (fictional)"]);
    const none = (await list(coordinator.cookie, `?q=${encodeURIComponent("%")}&district=${districtA}`)).body as ListBody;
    expect(none.total).toBe(0);
  });

  it("counts the group sessions each tutor facilitated that were held (not scheduled or cancelled ones)", async () => {
    const d = makeDistrict().id;
    const studio = makeStudio(d);
    const tutor = await makeCertifiedTutor({ districtId: d });
    for (const status of ["held", "held", "scheduled", "cancelled"] as const) {
      const session = getDb()
        .insert(groupSessions)
        .values({ studioId: studio.id, topic: "测试小组（虚构）", kind: "peer_group", startsAt: "2025-05-01T02:00:00.000Z", endsAt: "2025-05-01T04:00:00.000Z", capacity: 12, status })
        .returning()
        .get();
      getDb().insert(sessionFacilitators).values({ sessionId: session.id, personId: tutor.personId }).run();
    }
    const rows = ((await list(coordinator.cookie, `?district=${d}`)).body as { rows: { sessionsFacilitated: number }[] }).rows;
    expect(rows.map((r) => r.sessionsFacilitated)).toEqual([2]);
  });

  it("leaves out filters it cannot read and says which", async () => {
    const res = (await list(coordinator.cookie, `?district=abc&status=sleeping&certificate=lost&sort=random&q=${"x".repeat(81)}`)).body as ListBody;
    expect(res.errors).toEqual({
      district: "form.unknownId",
      status: "form.unknownChoice",
      certificate: "form.unknownChoice",
      sort: "form.unknownChoice",
      q: "form.tooLong?max=80",
    });
    expect(res.total).toBeGreaterThanOrEqual(36);
  });

  it("puts the filters inside the query (the domain function never returns rows outside them)", () => {
    const { filter } = parseRegistryFilters({ district: String(districtB), certificate: "revoked" });
    const { rows, total } = listRegistry(getDb(), { filter, scope: { kind: "all" }, viewerPersonId: 0, today }, { page: 1, limit: 1, offset: 0 });
    expect(total).toBe(1);
    expect(rows).toHaveLength(1);
    // a district scope limits rows in SQL too
    const scoped = listRegistry(getDb(), { filter: {}, scope: { kind: "districts", districtIds: [districtB], alsoOwn: false }, viewerPersonId: 0, today }, { page: 1, limit: 100, offset: 0 });
    expect(scoped.total).toBe(6);
  });
});

describe("a tutor's profile", () => {
  it("shows the path (trainee → certified → renewals, and roles held since), newest first", async () => {
    const tutor = await makeCertifiedTutor({ login: true, cohortId: cohortOne.cohortId, districtId: districtA, issuedOn: "2024-07-01", expiresOn: "2026-06-30" });
    getDb().insert(enrollments).values({ cohortId: cohortOne.cohortId, personId: tutor.personId, districtId: districtA, status: "completed", enrolledOn: "2024-03-01" }).run();
    getDb()
      .insert(certificateRenewals)
      .values({ certificateId: tutor.certificateId, renewedOn: "2026-05-01", previousExpiresOn: "2026-06-30", newExpiresOn: "2028-06-30" })
      .run();
    const res = await respond(() =>
      profileLoader({ request: makeRequest(`/registry/${tutor.tutorId}`, { cookie: coordinator.cookie }), params: { tutorId: String(tutor.tutorId) }, context: ctx }),
    );
    expect(res.status).toBe(200);
    const body = res.body as { path: { date: string; kind: string }[]; roles: { role: string }[]; certificates: Record<string, unknown>[]; canManage: boolean };
    const kinds = body.path.map((e) => e.kind);
    expect(kinds).toContain("enrolled");
    expect(kinds).toContain("enrolment_ended");
    expect(kinds).toContain("role");
    const ordered = body.path.filter((e) => ["enrolled", "certified", "renewed"].includes(e.kind));
    expect(ordered.map((e) => [e.kind, e.date])).toEqual([
      ["renewed", "2026-05-01"],
      ["certified", "2024-07-01"],
      ["enrolled", "2024-03-01"],
    ]);
    expect(body.roles.map((r) => r.role)).toEqual(["peer_tutor"]);
    expect(body.canManage).toBe(false);
    expect(body.certificates[0]).not.toHaveProperty("verificationCode");
    expect(JSON.stringify(body)).not.toContain(tutor.code);
  });

  it("answers 404 for an unknown or malformed tutor id", async () => {
    for (const tutorId of ["999999", "abc", "0", "-1", "1e3"]) {
      const res = await respond(() => profileLoader({ request: makeRequest(`/registry/${tutorId}`, { cookie: coordinator.cookie }), params: { tutorId }, context: ctx }));
      expect(res.status, tutorId).toBe(404);
    }
  });

  it("offers trainers the renewal, suspension and revocation forms", async () => {
    const tutor = await makeCertifiedTutor();
    const res = await respond(() =>
      profileLoader({ request: makeRequest(`/registry/${tutor.tutorId}`, { cookie: trainer.cookie }), params: { tutorId: String(tutor.tutorId) }, context: ctx }),
    );
    expect((res.body as { canManage: boolean; renewal: unknown }).canManage).toBe(true);
    expect((res.body as { renewal: unknown }).renewal).toMatchObject({ requiredEducationHours: 12, requiredServiceSessions: 6 });
  });
});

describe("certificates expiring within 60 days", () => {
  it("lists valid and suspended certificates expiring from today to 60 days ahead, soonest first", async () => {
    const d = makeDistrict().id;
    const in60 = await makeCertifiedTutor({ districtId: d, name: "测试六十天（虚构）", expiresOn: addDays(today, 60) });
    const in0 = await makeCertifiedTutor({ districtId: d, name: "测试今天（虚构）", expiresOn: today });
    const in61 = await makeCertifiedTutor({ districtId: d, name: "测试六十一天（虚构）", expiresOn: addDays(today, 61) });
    const gone = await makeCertifiedTutor({ districtId: d, name: "测试昨天（虚构）", expiresOn: addDays(today, -1) });
    const revoked = await makeCertifiedTutor({ districtId: d, name: "测试撤销（虚构）", expiresOn: addDays(today, 5), revokedAt: "2025-01-01T00:00:00.000Z" });
    const res = await respond(() => expiringLoader({ request: makeRequest("/registry/expiring", { cookie: trainer.cookie }), params: {}, context: ctx }));
    expect(res.status).toBe(200);
    const rows = (res.body as { rows: { number: string; daysLeft: number }[] }).rows;
    const numbers = rows.map((r) => r.number);
    expect(numbers).toContain(in60.number);
    expect(numbers).toContain(in0.number);
    expect(numbers.indexOf(in0.number)).toBeLessThan(numbers.indexOf(in60.number));
    for (const absent of [in61, gone, revoked]) expect(numbers).not.toContain(absent.number);
    expect(rows.find((r) => r.number === in60.number)!.daysLeft).toBe(60);
  });

  it("is open to coordinators and closed to peer tutors", async () => {
    const ok = await respond(() => expiringLoader({ request: makeRequest("/registry/expiring", { cookie: coordinator.cookie }), params: {}, context: ctx }));
    expect(ok.status).toBe(200);
    const tutor = await makeCertifiedTutor({ login: true });
    const no = await respond(() => expiringLoader({ request: makeRequest("/registry/expiring", { cookie: tutor.cookie }), params: {}, context: ctx }));
    expect(no.status).toBe(403);
  });
});

describe("the registry CSV export", () => {
  async function exportCsv(cookie: string | undefined, form: Record<string, string>) {
    const request = makeRequest("/registry/export", { method: "POST", cookie, form });
    const res = await respond(() => exportAction({ request, params: {}, context: ctx }));
    const body = res.body as Response;
    const bytes = new Uint8Array(await body.arrayBuffer());
    return { status: res.status, headers: res.headers, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
  }
  const records = (text: string) => parse(text, { bom: true, record_delimiter: "\r\n" }) as string[][];
  const exports = () => getDb().select().from(auditLog).where(and(eq(auditLog.action, "export"), eq(auditLog.entity, "peer_tutor_registry"))).all();

  it("writes UTF-8 with a BOM, column names in the person's language, the filtered rows, formulas escaped", async () => {
    const zhCoordinator = await makeCoordinator([districtB]);
    getDb().update(users).set({ locale: "zh-CN" }).where(eq(users.login, zhCoordinator.login)).run();
    const res = await exportCsv(zhCoordinator.cookie, { district: String(districtB), sort: "name" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = records(res.text);
    expect(header).toEqual(["姓名", "培训期", "区", "所属工作室", "辅导员状态", "证书编号", "认证日期", "有效期至", "证书状态", "今天可否开展服务", "带领小组活动次数"]);
    expect(rows).toHaveLength(6);
    expect(rows[0]![0]).toBe("'=HYPERLINK(\"http://evil.example\") (fictional)");
    expect(rows.find((r) => r[0] === "Test Revoked Tutor (fictional)")!.slice(4)).toEqual([
      "已撤销",
      expect.any(String),
      expect.any(String),
      expect.any(String),
      "已撤销",
      "非在岗状态",
      "0",
    ]);
    expect(res.headers.get("Content-Disposition")).toContain("filename*=UTF-8''");
  });

  it("writes English column names for an English reader", async () => {
    const enCoordinator = await makeCoordinator([districtB]);
    getDb().update(users).set({ locale: "en" }).where(eq(users.login, enCoordinator.login)).run();
    const res = await exportCsv(enCoordinator.cookie, { district: String(districtB) });
    expect(records(res.text)[0]![0]).toBe("Name");
  });

  it("records the export, with its filters and row count, in the audit log", async () => {
    const before = exports().length;
    await exportCsv(coordinator.cookie, { district: String(districtB), certificate: "revoked" });
    const after = exports();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.details).toEqual({ filters: { district: String(districtB), certificate: "revoked" }, rows: 1, format: "csv" });
  });

  it("refuses filters it cannot read (400) and records nothing", async () => {
    const before = exports().length;
    const res = await exportCsv(coordinator.cookie, { district: "1 or 1=1" });
    expect(res.status).toBe(400);
    expect(exports()).toHaveLength(before);
  });

  it("answers 401 to an anonymous visitor, 403 to a peer tutor, 405 to a GET", async () => {
    expect((await exportCsv(undefined, {})).status).toBe(401);
    const tutor = await makeCertifiedTutor({ login: true });
    expect((await exportCsv(tutor.cookie, {})).status).toBe(403);
    const get = await respond(() => exportLoader({ request: makeRequest("/registry/export", { cookie: coordinator.cookie }), params: {}, context: ctx }));
    expect(get.status).toBe(405);
  });
});
