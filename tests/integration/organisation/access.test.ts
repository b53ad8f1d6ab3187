/**
 * Who may do what with the organisation structure and settings (DESIGN.md §4): every role reads
 * the directory; only an admin opens or posts to the admin pages.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import type { Role } from "~/auth/roles";
import * as directory from "~/routes/organisation._index";
import * as districtPage from "~/routes/organisation.$districtId";
import { makeDistrict, makeRequest, makeSignedInUser, makeStudio, respond } from "../../factories";

type RouteModule = { loader?: (args: unknown) => unknown; action?: (args: unknown) => unknown };
const adminModules = {
  ...import.meta.glob<RouteModule>("../../../app/routes/admin.organisation*.tsx", { eager: true }),
  ...import.meta.glob<RouteModule>("../../../app/routes/admin.settings.tsx", { eager: true }),
};
const context = { cspNonce: "" };

describe("access to the organisation structure and settings", () => {
  it("finds every admin organisation and settings route", () => {
    expect(Object.keys(adminModules).length).toBeGreaterThanOrEqual(8);
  });

  const nonAdmins: Role[] = ["coordinator", "social_worker", "peer_tutor", "trainer"];
  for (const role of nonAdmins) {
    it(`a ${role} reads /organisation and a district page but gets 403 on every admin organisation and settings loader and action`, async () => {
      const district = makeDistrict();
      const studio = makeStudio(district.id);
      const { cookie } = await makeSignedInUser([{ role, districtId: role === "coordinator" ? district.id : null }]);

      const dir = await respond(() => directory.loader({ request: makeRequest("/organisation", { cookie }), params: {}, context }));
      expect(dir.status).toBe(200);
      const page = await respond(() => districtPage.loader({ request: makeRequest(`/organisation/${district.id}`, { cookie }), params: { districtId: String(district.id) }, context }));
      expect(page.status).toBe(200);

      const settingsBefore = getSettings(getDb());
      const params = {
        districtId: String(district.id), subdistrictId: "new", workstationId: "new", pointId: "new",
        studioId: String(studio.id), kind: "studios", id: String(studio.id),
      };
      const form = {
        code: "test-forbidden", nameZh: "测试", nameEn: "Test", districtId: String(district.id), address: "虚构路",
        capacity: "10", opens1: "09:00", closes1: "10:00", intent: "deactivate",
        organisationNameZh: "测试", organisationNameEn: "Test", timeZone: "UTC", overdueThresholdDays: "5",
      };
      for (const [file, mod] of Object.entries(adminModules)) {
        if (mod.loader) {
          const res = await respond(() => mod.loader!({ request: makeRequest("/admin/x", { cookie }), params, context }));
          expect(res.status, `${file} loader`).toBe(403);
        }
        if (mod.action) {
          const res = await respond(() => mod.action!({ request: makeRequest("/admin/x", { cookie, form }), params, context }));
          expect(res.status, `${file} action`).toBe(403);
        }
      }
      expect(getSettings(getDb())).toEqual(settingsBefore);
    });
  }

  it("an admin opens every admin organisation and settings page", async () => {
    const district = makeDistrict();
    const studio = makeStudio(district.id);
    const { cookie } = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const params = {
      districtId: String(district.id), subdistrictId: "new", workstationId: "new", pointId: "new",
      studioId: String(studio.id), kind: "studios", id: String(studio.id),
    };
    for (const [file, mod] of Object.entries(adminModules)) {
      if (!mod.loader) continue;
      const res = await respond(() => mod.loader!({ request: makeRequest("/admin/x", { cookie }), params, context }));
      expect(res.status, file).toBe(200);
    }
  });
});
