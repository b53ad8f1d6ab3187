/**
 * Funded projects' pages: admins create and edit (audited), coordinators read the projects of
 * their districts only (others: 404), everyone else 403; bad input answers 400 with the field's
 * message and the input kept, never 500.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, projectDistricts, projectTargets } from "#db/schema";
import { getDb } from "~/db.server";
import * as detail from "~/routes/projects.$id";
import * as list from "~/routes/projects._index";
import * as create from "~/routes/projects.new/route";
import * as edit from "~/routes/projects_.$id.edit";
import * as print from "~/routes/projects_.$id.print";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { makeCoordinator, makeSocialWorker } from "../../clients-factories";
import { getRoute, postRoute } from "../../training-factories";

type Failure = { ok: false; errors: Record<string, string>; values: Record<string, string> };

let A: number, C: number;
let admin: Awaited<ReturnType<typeof makeSignedInUser>>;
let coordA: Awaited<ReturnType<typeof makeCoordinator>>;

const valid = (overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  name: "测试政府购买服务项目（虚构）",
  funder: "测试区禁毒办（虚构）",
  kind: "government_purchase",
  startsOn: "2026-01-01",
  endsOn: "2026-12-31",
  budget: "350000.50",
  notes: "",
  districts: [String(A)],
  target_sessions_held: "40",
  target_clients_served: "",
  ...overrides,
});

async function createAs(cookie: string, form: Record<string, string | string[]>) {
  return postRoute(create, "/projects/new", {}, cookie, form);
}
const newId = (res: { headers: Headers }) => Number(res.headers.get("Location")!.split("/").pop());

beforeAll(async () => {
  A = makeDistrict().id;
  C = makeDistrict().id;
  admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
  coordA = await makeCoordinator([A]);
});

describe("creating and editing projects", () => {
  it("an admin creates a project with its districts and targets; the budget is kept in fen; it is audited", async () => {
    const res = await createAs(admin.cookie, valid({ districts: [String(A), String(C)] }));
    expect(res.status).toBe(302);
    const id = newId(res);
    const page = await getRoute(detail, `/projects/${id}`, { id: String(id) }, admin.cookie);
    expect(page.status).toBe(200);
    const body = page.body as { project: { budgetFen: number; districts: { id: number }[]; targets: Record<string, number> }; progress: { metric: string; target: number | null }[] };
    expect(body.project.budgetFen).toBe(35_000_050);
    expect(body.project.districts.map((d) => d.id).sort()).toEqual([A, C].sort());
    expect(body.project.targets).toEqual({ sessions_held: 40 });
    expect(body.progress[0]).toMatchObject({ metric: "sessions_held", target: 40 });
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.entity, "project"), eq(auditLog.entityId, String(id)))).all();
    expect(audit.map((a) => a.action)).toEqual(["create"]);
  });

  it("an admin edits the period, districts and targets; the old targets and districts are replaced; audited", async () => {
    const id = newId(await createAs(admin.cookie, valid()));
    const res = await postRoute(edit, `/projects/${id}/edit`, { id: String(id) }, admin.cookie, valid({ districts: [String(C)], target_sessions_held: "", target_contacts: "12", status: "closed" }));
    expect(res.status).toBe(302);
    expect(getDb().select().from(projectDistricts).where(eq(projectDistricts.projectId, id)).all().map((d) => d.districtId)).toEqual([C]);
    expect(getDb().select().from(projectTargets).where(eq(projectTargets.projectId, id)).all().map((t) => [t.metric, t.target])).toEqual([["contacts", 12]]);
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.entity, "project"), eq(auditLog.entityId, String(id)))).all();
    expect(audit.map((a) => a.action)).toEqual(["create", "update"]);
  });

  const bad: [string, Record<string, string | string[]>, string, string][] = [
    ["a period that ends before it starts", { startsOn: "2026-06-01", endsOn: "2026-05-31" }, "endsOn", "projects.error.periodOrder"],
    ["an unknown district", { districts: [String(A), "999999"] }, "districts", "projects.error.unknownDistrict"],
    ["a district id that is not a number", { districts: ["abc"] }, "districts", "projects.error.unknownDistrict"],
    ["no district", { districts: [] }, "districts", "projects.error.noDistrict"],
    ["a date that is not a date", { startsOn: "2026-02-30" }, "startsOn", "form.invalidDate"],
    ["an over-long name", { name: "项".repeat(121) }, "name", "form.tooLong?max=120"],
    ["control characters in the funder", { funder: "测试\u0007资助方" }, "funder", "form.controlChars"],
    ["an unknown kind", { kind: "lottery" }, "kind", "form.unknownChoice"],
    ["a budget with three decimals", { budget: "12.345" }, "budget", "projects.error.budget"],
    ["a target that is not a number", { target_contacts: "many" }, "target_contacts", "form.notANumber"],
    ["a negative target", { target_contacts: "-3" }, "target_contacts", "form.notANumber"],
    ["a target of zero", { target_recognitions: "0" }, "target_recognitions", "form.numberRange?min=1&max=10000000"],
  ];
  for (const [what, overrides, field, key] of bad) {
    it(`refuses ${what} with 400, the message under its field and the input kept`, async () => {
      const res = await createAs(admin.cookie, valid(overrides));
      expect(res.status).toBe(400);
      const body = res.body as Failure;
      expect(body.errors[field]).toBe(key);
      expect(body.values.funder).toBe(typeof overrides.funder === "string" ? overrides.funder : "测试区禁毒办（虚构）");
    });
  }

  it("a refused form keeps the ticked districts", async () => {
    const res = await createAs(admin.cookie, valid({ districts: [String(A), String(C)], endsOn: "2025-01-01" }));
    expect((res.body as Failure).values.districts).toBe(`${A},${C}`);
  });
});

describe("who may see and change projects", () => {
  let inA: number, onlyC: number;
  beforeAll(async () => {
    inA = newId(await createAs(admin.cookie, valid({ name: "测试A区项目（虚构）", districts: [String(A), String(C)] })));
    onlyC = newId(await createAs(admin.cookie, valid({ name: "测试C区项目（虚构）", districts: [String(C)], kind: "public_welfare" })));
  });

  it("a coordinator lists only the projects serving their districts", async () => {
    const res = await getRoute(list, "/projects", {}, coordA.cookie);
    const names = (res.body as { rows: { name: string }[] }).rows.map((r) => r.name);
    expect(names).toContain("测试A区项目（虚构）");
    expect(names).not.toContain("测试C区项目（虚构）");
    const all = await getRoute(list, "/projects", {}, admin.cookie);
    expect((all.body as { rows: { name: string }[] }).rows.map((r) => r.name)).toContain("测试C区项目（虚构）");
  });

  it("a coordinator opens and prints a project of their district, and gets 404 for another district's", async () => {
    expect((await getRoute(detail, `/projects/${inA}`, { id: String(inA) }, coordA.cookie)).status).toBe(200);
    expect((await getRoute(print, `/projects/${inA}/print`, { id: String(inA) }, coordA.cookie)).status).toBe(200);
    expect((await getRoute(detail, `/projects/${onlyC}`, { id: String(onlyC) }, coordA.cookie)).status).toBe(404);
    expect((await getRoute(print, `/projects/${onlyC}/print`, { id: String(onlyC) }, coordA.cookie)).status).toBe(404);
  });

  it("a coordinator may not create or edit projects (403)", async () => {
    expect((await getRoute(create, "/projects/new", {}, coordA.cookie)).status).toBe(403);
    expect((await createAs(coordA.cookie, valid())).status).toBe(403);
    expect((await postRoute(edit, `/projects/${inA}/edit`, { id: String(inA) }, coordA.cookie, valid())).status).toBe(403);
  });

  it("a social worker gets 403 for the projects pages", async () => {
    const sw = await makeSocialWorker(A);
    expect((await getRoute(list, "/projects", {}, sw.cookie)).status).toBe(403);
    expect((await getRoute(detail, `/projects/${inA}`, { id: String(inA) }, sw.cookie)).status).toBe(403);
  });

  it("an unknown or malformed project id is 404, for reading, printing and editing", async () => {
    for (const id of ["999999", "abc", "0"]) {
      expect((await getRoute(detail, `/projects/${id}`, { id }, admin.cookie)).status).toBe(404);
      expect((await getRoute(print, `/projects/${id}/print`, { id }, admin.cookie)).status).toBe(404);
      expect((await postRoute(edit, `/projects/${id}/edit`, { id }, admin.cookie, valid())).status).toBe(404);
    }
  });
});
