/**
 * The organisation directory (/organisation, /organisation/$districtId) and the admin's create
 * and edit forms for the five kinds of place. Real SQLite; every place is fictional.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { auditLog, districts, socialWorkPoints, studios, subdistricts, workstations } from "#db/schema";
import { getDb } from "~/db.server";
import { listDistrictDirectory } from "~/domain/organisation";
import * as directory from "~/routes/organisation._index";
import * as districtPage from "~/routes/organisation.$districtId";
import * as adminIndex from "~/routes/admin.organisation._index";
import * as districtForm from "~/routes/admin.organisation.districts.$districtId";
import * as subdistrictForm from "~/routes/admin.organisation.subdistricts.$subdistrictId";
import * as workstationForm from "~/routes/admin.organisation.workstations.$workstationId";
import * as pointForm from "~/routes/admin.organisation.points.$pointId";
import * as studioForm from "~/routes/admin.organisation.studios.$studioId";
import { makeDistrict, makePoint, makeRequest, makeSignedInUser, makeStudio, makeSubdistrict, makeWorkstation, respond } from "../../factories";

const context = { cspNonce: "" };
type Fn = (args: never) => unknown;
type DirectoryData = Awaited<ReturnType<typeof directory.loader>>;
type DistrictData = Awaited<ReturnType<typeof districtPage.loader>>;

const get = (fn: Fn, path: string, cookie: string, params: Record<string, string> = {}) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie }), params, context }));
const post = (fn: Fn, path: string, cookie: string, form: Record<string, string>, params: Record<string, string> = {}) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(path, { cookie, form }), params, context }));

const admin = () => makeSignedInUser([{ role: "admin", districtId: null }]);
const idFrom = (location: string | null) => Number(location?.split("/").pop());

const audits = (entity: string, entityId: number | string) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, entity), eq(auditLog.entityId, String(entityId))))
    .all();

const weekdayHours = {
  opens1: "09:00", closes1: "17:00",
  opens3: "13:30", closes3: "20:00",
  opens6: "10:00", closes6: "12:00",
};

describe("creating each kind of place", () => {
  it("an admin creates a district, subdistrict, workstation, point and studio and each appears in the directory", async () => {
    const { cookie } = await admin();

    const d = await post(districtForm.action, "/admin/organisation/districts/new", cookie, { code: "test-xuhui", nameZh: "测试徐汇区", nameEn: "Test Xuhui" }, { districtId: "new" });
    expect(d.status).toBe(302);
    const districtId = idFrom(d.headers.get("Location"));
    expect(d.headers.get("Location")).toBe(`/organisation/${districtId}`);
    expect(d.headers.get("Set-Cookie")).toContain("tb_flash=");

    const s = await post(subdistrictForm.action, "/admin/organisation/subdistricts/new", cookie, { districtId: String(districtId), kind: "town", nameZh: "测试华泾镇", nameEn: "Test Huajing Town" }, { subdistrictId: "new" });
    expect(s.status).toBe(302);
    const subdistrictId = getDb().select().from(subdistricts).where(eq(subdistricts.districtId, districtId)).get()!.id;

    const w = await post(workstationForm.action, "/admin/organisation/workstations/new", cookie, { districtId: String(districtId), nameZh: "测试徐汇工作站", nameEn: "Test Xuhui Workstation", address: "虚构路10号" }, { workstationId: "new" });
    expect(w.status).toBe(302);
    const workstationId = getDb().select().from(workstations).where(eq(workstations.districtId, districtId)).get()!.id;

    const p = await post(
      pointForm.action,
      "/admin/organisation/points/new",
      cookie,
      { districtId: String(districtId), subdistrictId: String(subdistrictId), workstationId: String(workstationId), nameZh: "测试华泾社工点", nameEn: "Test Huajing Point", address: "虚构路11号" },
      { pointId: "new" },
    );
    expect(p.status).toBe(302);

    const st = await post(
      studioForm.action,
      "/admin/organisation/studios/new",
      cookie,
      { districtId: String(districtId), nameZh: "测试徐汇同伴教育工作室", nameEn: "Test Xuhui Studio", address: "虚构路12号", capacity: "24", ...weekdayHours },
      { studioId: "new" },
    );
    expect(st.status).toBe(302);
    expect(st.headers.get("Location")).toBe(`/organisation/${districtId}`);

    const list = (await get(directory.loader, "/organisation", cookie)).body as DirectoryData;
    const row = list.districts.find((x) => x.id === districtId);
    expect(row).toMatchObject({ code: "test-xuhui", nameZh: "测试徐汇区", subdistricts: 1, workstations: 1, points: 1, studios: 1, active: true });

    const page = (await get(districtPage.loader, `/organisation/${districtId}`, cookie, { districtId: String(districtId) })).body as DistrictData;
    expect(page.subdistricts.map((x) => [x.nameZh, x.kind])).toEqual([["测试华泾镇", "town"]]);
    expect(page.workstations.map((x) => x.address)).toEqual(["虚构路10号"]);
    expect(page.points).toMatchObject([{ nameZh: "测试华泾社工点", subdistrictNameZh: "测试华泾镇", workstationNameEn: "Test Xuhui Workstation" }]);
    expect(page.studios).toMatchObject([
      {
        nameEn: "Test Xuhui Studio",
        capacity: 24,
        openingHours: [
          { weekday: 1, opens: "09:00", closes: "17:00" },
          { weekday: 3, opens: "13:30", closes: "20:00" },
          { weekday: 6, opens: "10:00", closes: "12:00" },
        ],
      },
    ]);

    // each write is in the audit log under its entity name
    const studioId = page.studios[0]!.id;
    const pointId = page.points[0]!.id;
    expect(audits("district", districtId).map((a) => a.action)).toEqual(["create"]);
    expect(audits("subdistrict", subdistrictId).map((a) => a.action)).toEqual(["create"]);
    expect(audits("workstation", workstationId).map((a) => a.action)).toEqual(["create"]);
    expect(audits("social_work_point", pointId).map((a) => a.action)).toEqual(["create"]);
    expect(audits("studio", studioId)).toMatchObject([{ action: "create", actorLogin: expect.stringMatching(/^testuser/) }]);
  });

  it("the new-place forms open for an admin, with the district chosen from the link", async () => {
    const { cookie } = await admin();
    const district = makeDistrict();
    for (const [mod, param, path] of [
      [subdistrictForm, "subdistrictId", "subdistricts"],
      [workstationForm, "workstationId", "workstations"],
      [pointForm, "pointId", "points"],
      [studioForm, "studioId", "studios"],
    ] as const) {
      const res = await get(mod.loader, `/admin/organisation/${path}/new?districtId=${district.id}`, cookie, { [param]: "new" });
      expect(res.status, path).toBe(200);
      expect((res.body as { districtId: number | null }).districtId, path).toBe(district.id);
    }
    const res = await get(districtForm.loader, "/admin/organisation/districts/new", cookie, { districtId: "new" });
    expect(res.body).toEqual({ district: null });
  });

  it("the point form offers only the chosen district's subdistricts and workstations", async () => {
    const { cookie } = await admin();
    const a = makeDistrict();
    const b = makeDistrict();
    const subA = makeSubdistrict(a.id);
    makeSubdistrict(b.id);
    const wsA = makeWorkstation(a.id);
    makeWorkstation(b.id);
    const res = await get(pointForm.loader, `/admin/organisation/points/new?districtId=${a.id}`, cookie, { pointId: "new" });
    const data = res.body as { subdistricts: { id: number }[]; workstations: { id: number }[] };
    expect(data.subdistricts.map((s) => s.id)).toEqual([subA.id]);
    expect(data.workstations.map((w) => w.id)).toEqual([wsA.id]);
    const none = await get(pointForm.loader, "/admin/organisation/points/new", cookie, { pointId: "new" });
    expect(none.body).toMatchObject({ districtId: null, subdistricts: [], workstations: [] });
  });
});

describe("editing places", () => {
  it("editing a studio saves the change and audits what changed from what", async () => {
    const { cookie } = await admin();
    const district = makeDistrict();
    const studio = makeStudio(district.id);
    const res = await post(
      studioForm.action,
      `/admin/organisation/studios/${studio.id}`,
      cookie,
      { districtId: String(district.id), nameZh: studio.nameZh, nameEn: studio.nameEn, address: studio.address, capacity: "30", opens7: "14:00", closes7: "18:00" },
      { studioId: String(studio.id) },
    );
    expect(res.status).toBe(302);
    const saved = getDb().select().from(studios).where(eq(studios.id, studio.id)).get()!;
    expect(saved.capacity).toBe(30);
    expect(saved.openingHours).toEqual([{ weekday: 7, opens: "14:00", closes: "18:00" }]);
    const [entry] = audits("studio", studio.id);
    expect(entry).toMatchObject({ action: "update", details: { capacity: { from: 20, to: 30 } } });
    expect(Object.keys(entry!.details ?? {}).sort()).toEqual(["capacity", "openingHours"]);
  });

  it("saving a form without changes writes nothing to the audit log", async () => {
    const { cookie } = await admin();
    const district = makeDistrict();
    const res = await post(districtForm.action, `/admin/organisation/districts/${district.id}`, cookie, { code: district.code, nameZh: district.nameZh, nameEn: district.nameEn }, { districtId: String(district.id) });
    expect(res.status).toBe(302);
    expect(audits("district", district.id)).toEqual([]);
  });

  it("an admin renames a district and moves a point's workstation within its district", async () => {
    const { cookie } = await admin();
    const district = makeDistrict();
    const sub = makeSubdistrict(district.id);
    const point = makePoint(district.id, sub.id);
    const ws = makeWorkstation(district.id);
    expect((await post(districtForm.action, `/admin/organisation/districts/${district.id}`, cookie, { code: district.code, nameZh: "测试新名区", nameEn: "Test Renamed District" }, { districtId: String(district.id) })).status).toBe(302);
    expect(getDb().select().from(districts).where(eq(districts.id, district.id)).get()?.nameZh).toBe("测试新名区");
    const res = await post(
      pointForm.action,
      `/admin/organisation/points/${point.id}`,
      cookie,
      { districtId: String(district.id), subdistrictId: String(sub.id), workstationId: String(ws.id), nameZh: point.nameZh, nameEn: point.nameEn, address: point.address },
      { pointId: String(point.id) },
    );
    expect(res.status).toBe(302);
    expect(getDb().select().from(socialWorkPoints).where(eq(socialWorkPoints.id, point.id)).get()?.workstationId).toBe(ws.id);
    expect(audits("social_work_point", point.id)).toMatchObject([{ action: "update", details: { workstationId: { from: null, to: ws.id } } }]);
  });

  it("edit pages of places that do not exist, or with ids that are not numbers, answer 404", async () => {
    const { cookie } = await admin();
    for (const [mod, param, path] of [
      [districtForm, "districtId", "districts"],
      [subdistrictForm, "subdistrictId", "subdistricts"],
      [workstationForm, "workstationId", "workstations"],
      [pointForm, "pointId", "points"],
      [studioForm, "studioId", "studios"],
    ] as const) {
      for (const bad of ["999999", "abc", "1.5", "-1", "0"]) {
        expect((await get(mod.loader, `/admin/organisation/${path}/${bad}`, cookie, { [param]: bad })).status, `${path}/${bad}`).toBe(404);
        expect((await post(mod.action, `/admin/organisation/${path}/${bad}`, cookie, { nameZh: "测试" }, { [param]: bad })).status, `${path}/${bad}`).toBe(404);
      }
    }
  });
});

describe("the directory", () => {
  it("counts each district's active subdistricts, workstations, points and studios", async () => {
    const { cookie } = await makeSignedInUser([{ role: "peer_tutor", districtId: null }]);
    const a = makeDistrict();
    const b = makeDistrict();
    const s1 = makeSubdistrict(a.id);
    const s2 = makeSubdistrict(a.id);
    makePoint(a.id, s1.id);
    makePoint(a.id, s1.id);
    makePoint(a.id, s2.id);
    makeWorkstation(a.id);
    makeStudio(a.id);
    const closed = makeStudio(a.id);
    getDb().update(studios).set({ active: false }).where(eq(studios.id, closed.id)).run();
    makeSubdistrict(b.id);

    const data = (await get(directory.loader, "/organisation", cookie)).body as DirectoryData;
    const counts = (id: number) => {
      const r = data.districts.find((x) => x.id === id)!;
      return [r.subdistricts, r.workstations, r.points, r.studios];
    };
    expect(counts(a.id)).toEqual([2, 1, 3, 1]);
    expect(counts(b.id)).toEqual([1, 0, 0, 0]);
    // and they agree with a plain count of the rows
    for (const r of data.districts) {
      const n = (table: typeof subdistricts | typeof workstations | typeof socialWorkPoints | typeof studios) =>
        getDb().select().from(table).where(and(eq(table.districtId, r.id), eq(table.active, true))).all().length;
      expect([r.subdistricts, r.workstations, r.points, r.studios]).toEqual([n(subdistricts), n(workstations), n(socialWorkPoints), n(studios)]);
    }
  });

  it("counts every district in a single SQL statement, however many districts there are", () => {
    for (let i = 0; i < 5; i++) makeStudio(makeDistrict().id);
    const spy = vi.spyOn(getDb().$client, "prepare");
    try {
      const rows = listDistrictDirectory(getDb());
      expect(rows.length).toBeGreaterThanOrEqual(5);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("every role can read the directory and a district page; only an admin is offered edit buttons", async () => {
    const district = makeDistrict();
    for (const role of ["admin", "coordinator", "social_worker", "peer_tutor", "trainer"] as const) {
      const { cookie } = await makeSignedInUser([{ role, districtId: role === "coordinator" ? district.id : null }]);
      const list = await get(directory.loader, "/organisation", cookie);
      expect(list.status, role).toBe(200);
      expect((list.body as DirectoryData).canEdit, role).toBe(role === "admin");
      const page = await get(districtPage.loader, `/organisation/${district.id}`, cookie, { districtId: String(district.id) });
      expect(page.status, role).toBe(200);
      expect((page.body as DistrictData).canEdit, role).toBe(role === "admin");
    }
  });

  it("a district page for an unknown or non-numeric id answers 404", async () => {
    const { cookie } = await makeSignedInUser([{ role: "trainer", districtId: null }]);
    for (const bad of ["999999", "abc", "1e3", ""]) {
      expect((await get(districtPage.loader, `/organisation/${bad}`, cookie, { districtId: bad })).status, bad).toBe(404);
    }
  });

  it("the admin overview lists every district, inactive ones included", async () => {
    const { cookie } = await admin();
    const off = makeDistrict({ active: false });
    const data = (await get(adminIndex.loader, "/admin/organisation", cookie)).body as Awaited<ReturnType<typeof adminIndex.loader>>;
    expect(data.districts.find((d) => d.id === off.id)).toMatchObject({ active: false });
  });
});
