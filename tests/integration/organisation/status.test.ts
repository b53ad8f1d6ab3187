/**
 * Deactivating and reactivating places: nothing is deleted, the place stays listed as inactive,
 * the change is audited, and a deactivated place is no longer offered for new links.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, districts, socialWorkPoints, studios, subdistricts, workstations } from "#db/schema";
import { getDb } from "~/db.server";
import * as directory from "~/routes/organisation._index";
import * as districtPage from "~/routes/organisation.$districtId";
import * as status from "~/routes/admin.organisation.$kind.$id.status";
import * as pointForm from "~/routes/admin.organisation.points.$pointId";
import { makeDistrict, makePoint, makeRequest, makeSignedInUser, makeStudio, makeSubdistrict, makeWorkstation, respond } from "../../factories";

const context = { cspNonce: "" };
type FormBody = { ok: false; errors: Record<string, string>; values: Record<string, string> };
type StatusData = Awaited<ReturnType<typeof status.loader>>;

let cookie = "";
beforeAll(async () => {
  cookie = (await makeSignedInUser([{ role: "admin", districtId: null }])).cookie;
});

const open = (kind: string, id: number | string) =>
  respond(() => status.loader({ request: makeRequest(`/admin/organisation/${kind}/${id}/status`, { cookie }), params: { kind, id: String(id) }, context }));
const change = (kind: string, id: number | string, form: Record<string, string>) =>
  respond(() => status.action({ request: makeRequest(`/admin/organisation/${kind}/${id}/status`, { cookie, form }), params: { kind, id: String(id) }, context }));

const audits = (entity: string, entityId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, entity), eq(auditLog.entityId, String(entityId))))
    .all();

describe("deactivating and reactivating", () => {
  it("deactivating a studio keeps it listed as inactive, drops it from the counts and is audited with the reason", async () => {
    const district = makeDistrict();
    const studio = makeStudio(district.id);

    const page = await open("studios", studio.id);
    expect(page.status).toBe(200);
    expect((page.body as StatusData).unit).toMatchObject({ kind: "studio", id: studio.id, districtId: district.id, active: true });

    const res = await change("studios", studio.id, { intent: "deactivate", reason: "测试：租约到期（虚构）" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/organisation/${district.id}`);
    expect(res.headers.get("Set-Cookie")).toContain("tb_flash=");

    expect(getDb().select().from(studios).where(eq(studios.id, studio.id)).get()?.active).toBe(false);
    const listed = await respond(() => districtPage.loader({ request: makeRequest(`/organisation/${district.id}`, { cookie }), params: { districtId: String(district.id) }, context }));
    expect((listed.body as Awaited<ReturnType<typeof districtPage.loader>>).studios).toMatchObject([{ id: studio.id, active: false }]);
    const dir = await respond(() => directory.loader({ request: makeRequest("/organisation", { cookie }), params: {}, context }));
    expect((dir.body as Awaited<ReturnType<typeof directory.loader>>).districts.find((d) => d.id === district.id)?.studios).toBe(0);

    expect(audits("studio", studio.id)).toMatchObject([{ action: "deactivate", details: { reason: "测试：租约到期（虚构）" }, ip: "127.0.0.1" }]);
  });

  it("reactivating a studio makes it active again and is audited", async () => {
    const district = makeDistrict();
    const studio = makeStudio(district.id);
    await change("studios", studio.id, { intent: "deactivate" });
    expect((await change("studios", studio.id, { intent: "activate" })).status).toBe(302);
    expect(getDb().select().from(studios).where(eq(studios.id, studio.id)).get()?.active).toBe(true);
    expect(audits("studio", studio.id).map((a) => a.action)).toEqual(["deactivate", "activate"]);
  });

  it("every kind of place can be deactivated through its status page, and the row stays in the database", async () => {
    const district = makeDistrict();
    const sub = makeSubdistrict(district.id);
    const ws = makeWorkstation(district.id);
    const point = makePoint(district.id, sub.id);
    const cases = [
      ["points", "social_work_point", point.id, socialWorkPoints],
      ["workstations", "workstation", ws.id, workstations],
      ["subdistricts", "subdistrict", sub.id, subdistricts],
      ["districts", "district", district.id, districts],
    ] as const;
    for (const [segment, entity, id, table] of cases) {
      expect((await change(segment, id, { intent: "deactivate" })).status, segment).toBe(302);
      expect(getDb().select().from(table).where(eq(table.id, id)).get()?.active, segment).toBe(false);
      expect(audits(entity, id).map((a) => a.action), segment).toEqual(["deactivate"]);
    }
  });

  it("deactivating what is already inactive changes nothing and adds no audit entry", async () => {
    const studio = makeStudio(makeDistrict().id);
    await change("studios", studio.id, { intent: "deactivate" });
    await change("studios", studio.id, { intent: "deactivate" });
    expect(audits("studio", studio.id)).toHaveLength(1);
  });

  it("the status page of an unknown kind or place answers 404", async () => {
    const studio = makeStudio(makeDistrict().id);
    for (const [kind, id] of [["rooms", studio.id], ["studios", 999999], ["studios", "abc"], ["studio", studio.id]] as const) {
      expect((await open(kind, id)).status, `${kind}/${id}`).toBe(404);
      expect((await change(kind, id, { intent: "deactivate" })).status, `${kind}/${id}`).toBe(404);
    }
  });

  it("an intent other than deactivate or activate is a 400 and changes nothing", async () => {
    const studio = makeStudio(makeDistrict().id);
    const res = await change("studios", studio.id, { intent: "delete" });
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors.intent).toBe("form.unknownChoice");
    expect(getDb().select().from(studios).where(eq(studios.id, studio.id)).get()?.active).toBe(true);
    const long = await change("studios", studio.id, { intent: "deactivate", reason: "x".repeat(201) });
    expect(long.status).toBe(400);
    expect((long.body as FormBody).values.reason).toBe("x".repeat(201));
    expect(audits("studio", studio.id)).toEqual([]);
  });
});

describe("deactivated places and new links", () => {
  it("a deactivated subdistrict is not offered for a new point and is refused if posted, while an existing point keeps it", async () => {
    const district = makeDistrict();
    const sub = makeSubdistrict(district.id);
    const point = makePoint(district.id, sub.id);
    await change("subdistricts", sub.id, { intent: "deactivate" });

    const form = await respond(() => pointForm.loader({ request: makeRequest(`/admin/organisation/points/new?districtId=${district.id}`, { cookie }), params: { pointId: "new" }, context }));
    expect((form.body as { subdistricts: { id: number }[] }).subdistricts.map((s) => s.id)).not.toContain(sub.id);

    const refused = await respond(() =>
      pointForm.action({
        request: makeRequest("/admin/organisation/points/new", { cookie, form: { districtId: String(district.id), subdistrictId: String(sub.id), nameZh: "测试新社工点", nameEn: "Test New Point" } }),
        params: { pointId: "new" },
        context,
      }),
    );
    expect(refused.status).toBe(400);
    expect((refused.body as FormBody).errors.subdistrictId).toBe("organisation.error.parentInactive");

    const editForm = await respond(() => pointForm.loader({ request: makeRequest(`/admin/organisation/points/${point.id}`, { cookie }), params: { pointId: String(point.id) }, context }));
    expect((editForm.body as { subdistricts: { id: number }[] }).subdistricts.map((s) => s.id)).toContain(sub.id);
    const kept = await respond(() =>
      pointForm.action({
        request: makeRequest(`/admin/organisation/points/${point.id}`, { cookie, form: { districtId: String(district.id), subdistrictId: String(sub.id), nameZh: "测试改名社工点", nameEn: point.nameEn } }),
        params: { pointId: String(point.id) },
        context,
      }),
    );
    expect(kept.status).toBe(302);
  });
});
