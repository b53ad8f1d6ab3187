/**
 * Bad input to the organisation forms: each is a 400 with a field message and the typed input
 * kept, never a 500, and nothing is written (neither the place nor an audit entry).
 */
import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, districts, socialWorkPoints, studios, subdistricts, workstations } from "#db/schema";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { createStudio, updateSubdistrict } from "~/domain/organisation";
import { isDomainError } from "~/domain/shared/errors";
import * as districtForm from "~/routes/admin.organisation.districts.$districtId";
import * as subdistrictForm from "~/routes/admin.organisation.subdistricts.$subdistrictId";
import * as workstationForm from "~/routes/admin.organisation.workstations.$workstationId";
import * as pointForm from "~/routes/admin.organisation.points.$pointId";
import * as studioForm from "~/routes/admin.organisation.studios.$studioId";
import { makeDistrict, makePoint, makeRequest, makeSignedInUser, makeStudio, makeSubdistrict, makeWorkstation, respond } from "../../factories";

const context = { cspNonce: "" };
type FormBody = { ok: false; errors: Record<string, string>; values: Record<string, string> };
type Action = (args: never) => unknown;

let cookie = "";
beforeAll(async () => {
  cookie = (await makeSignedInUser([{ role: "admin", districtId: null }])).cookie;
});

const post = (fn: Action, path: string, param: string, form: Record<string, string>) =>
  respond(() => (fn as (a: unknown) => unknown)({ request: makeRequest(`/admin/organisation/${path}/new`, { cookie, form }), params: { [param]: "new" }, context }));

const createDistrictVia = (form: Record<string, string>) => post(districtForm.action, "districts", "districtId", form);
const createSubdistrictVia = (form: Record<string, string>) => post(subdistrictForm.action, "subdistricts", "subdistrictId", form);
const createWorkstationVia = (form: Record<string, string>) => post(workstationForm.action, "workstations", "workstationId", form);
const createPointVia = (form: Record<string, string>) => post(pointForm.action, "points", "pointId", form);
const createStudioVia = (form: Record<string, string>) => post(studioForm.action, "studios", "studioId", form);

/** Rows in every organisation table and the audit log: a refused form changes none of them. */
function snapshot() {
  const db = getDb();
  const n = (t: typeof districts | typeof subdistricts | typeof workstations | typeof socialWorkPoints | typeof studios | typeof auditLog) =>
    db.select({ n: count() }).from(t).get()!.n;
  return [n(districts), n(subdistricts), n(workstations), n(socialWorkPoints), n(studios), n(auditLog)];
}

async function expectRefused(res: Promise<{ status: number; body: unknown }>, field: string, message: string | RegExp) {
  const before = snapshot();
  const r = await res;
  expect(r.status).toBe(400);
  const body = r.body as FormBody;
  if (typeof message === "string") expect(body.errors[field]).toBe(message);
  else expect(body.errors[field]).toMatch(message);
  expect(snapshot()).toEqual(before);
  return body;
}

const studioForm1 = (districtId: number, overrides: Record<string, string> = {}) => ({
  districtId: String(districtId),
  nameZh: "测试工作室（虚构）",
  nameEn: "Test Studio (fictional)",
  address: "虚构路20号",
  capacity: "20",
  opens2: "09:00",
  closes2: "17:00",
  ...overrides,
});

describe("a point's parents must be in the point's district", () => {
  it("a point whose subdistrict belongs to another district is refused with a field message and nothing is written", async () => {
    const a = makeDistrict();
    const b = makeDistrict();
    const subOfB = makeSubdistrict(b.id);
    const body = await expectRefused(
      createPointVia({ districtId: String(a.id), subdistrictId: String(subOfB.id), nameZh: "测试社工点", nameEn: "Test Point" }),
      "subdistrictId",
      "organisation.point.subdistrictOtherDistrict",
    );
    expect(body.values).toMatchObject({ districtId: String(a.id), subdistrictId: String(subOfB.id), nameZh: "测试社工点" });
  });

  it("a point whose workstation belongs to another district is refused", async () => {
    const a = makeDistrict();
    const b = makeDistrict();
    await expectRefused(
      createPointVia({ districtId: String(a.id), subdistrictId: String(makeSubdistrict(a.id).id), workstationId: String(makeWorkstation(b.id).id), nameZh: "测试社工点", nameEn: "Test Point" }),
      "workstationId",
      "organisation.point.workstationOtherDistrict",
    );
  });

  it("moving an existing point to another district without changing its subdistrict is refused", async () => {
    const a = makeDistrict();
    const b = makeDistrict();
    const sub = makeSubdistrict(a.id);
    const point = makePoint(a.id, sub.id);
    const before = snapshot();
    const res = await respond(() =>
      pointForm.action({
        request: makeRequest(`/admin/organisation/points/${point.id}`, { cookie, form: { districtId: String(b.id), subdistrictId: String(sub.id), nameZh: point.nameZh, nameEn: point.nameEn } }),
        params: { pointId: String(point.id) },
        context,
      }),
    );
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors.subdistrictId).toBe("organisation.point.subdistrictOtherDistrict");
    expect(snapshot()).toEqual(before);
  });

  it("a subdistrict cannot move to another district while points still use it", () => {
    const a = makeDistrict();
    const b = makeDistrict();
    const sub = makeSubdistrict(a.id);
    makePoint(a.id, sub.id);
    let error: unknown;
    try {
      updateSubdistrict(getDb(), SYSTEM_ACTOR, sub.id, { districtId: b.id, kind: "subdistrict", nameZh: sub.nameZh, nameEn: sub.nameEn });
    } catch (e) {
      error = e;
    }
    expect(isDomainError(error) && [error.key, error.field]).toEqual(["organisation.error.hasPoints", "districtId"]);
  });
});

describe("parent ids that do not exist or are not ids", () => {
  it("unknown district, subdistrict and workstation ids are field messages (400)", async () => {
    const a = makeDistrict();
    const sub = makeSubdistrict(a.id);
    await expectRefused(createSubdistrictVia({ districtId: "999999", kind: "subdistrict", nameZh: "测试街道", nameEn: "Test" }), "districtId", "form.unknownId");
    await expectRefused(createWorkstationVia({ districtId: "999999", nameZh: "测试工作站", nameEn: "Test" }), "districtId", "form.unknownId");
    await expectRefused(createStudioVia(studioForm1(999999)), "districtId", "form.unknownId");
    await expectRefused(createPointVia({ districtId: "999999", subdistrictId: String(sub.id), nameZh: "测试", nameEn: "Test" }), "districtId", "form.unknownId");
    await expectRefused(createPointVia({ districtId: String(a.id), subdistrictId: "999999", nameZh: "测试", nameEn: "Test" }), "subdistrictId", "form.unknownId");
    await expectRefused(
      createPointVia({ districtId: String(a.id), subdistrictId: String(sub.id), workstationId: "999999", nameZh: "测试", nameEn: "Test" }),
      "workstationId",
      "form.unknownId",
    );
  });

  it("non-numeric, zero, negative and missing parent ids are field messages (400)", async () => {
    const a = makeDistrict();
    const sub = makeSubdistrict(a.id);
    for (const bad of ["abc", "0", "-3", "1.5", "1 OR 1=1", "９"]) {
      await expectRefused(createSubdistrictVia({ districtId: bad, kind: "town", nameZh: "测试镇", nameEn: "Test" }), "districtId", "form.unknownId");
      await expectRefused(createStudioVia(studioForm1(a.id, { districtId: bad })), "districtId", "form.unknownId");
      await expectRefused(createPointVia({ districtId: String(a.id), subdistrictId: bad, nameZh: "测试", nameEn: "Test" }), "subdistrictId", "form.unknownId");
      await expectRefused(
        createPointVia({ districtId: String(a.id), subdistrictId: String(sub.id), workstationId: bad, nameZh: "测试", nameEn: "Test" }),
        "workstationId",
        "form.unknownId",
      );
    }
    await expectRefused(createWorkstationVia({ nameZh: "测试工作站", nameEn: "Test" }), "districtId", "form.unknownId");
    await expectRefused(createPointVia({ districtId: String(a.id), nameZh: "测试", nameEn: "Test" }), "subdistrictId", "form.unknownId");
  });

  it("an unknown subdistrict kind is refused", async () => {
    await expectRefused(createSubdistrictVia({ districtId: String(makeDistrict().id), kind: "village", nameZh: "测试", nameEn: "Test" }), "kind", "form.unknownChoice");
  });

  it("a new place in a deactivated district is refused; a place already there keeps its district when edited", async () => {
    const off = makeDistrict({ active: false });
    await expectRefused(createStudioVia(studioForm1(off.id)), "districtId", "organisation.error.parentInactive");
    const studio = makeStudio(off.id);
    const res = await respond(() =>
      studioForm.action({
        request: makeRequest(`/admin/organisation/studios/${studio.id}`, { cookie, form: studioForm1(off.id, { capacity: "25" }) }),
        params: { studioId: String(studio.id) },
        context,
      }),
    );
    expect(res.status).toBe(302);
  });
});

describe("district codes", () => {
  it("a duplicate district code is a field error, whatever its case", async () => {
    const existing = makeDistrict();
    for (const code of [existing.code, existing.code.toUpperCase(), ` ${existing.code} `]) {
      const body = await expectRefused(createDistrictVia({ code, nameZh: "测试重复区", nameEn: "Test Duplicate" }), "code", "organisation.district.codeTaken");
      expect(body.values.code).toBe(code);
    }
  });

  it("renaming a district to another district's code is refused", async () => {
    const a = makeDistrict();
    const b = makeDistrict();
    const before = snapshot();
    const res = await respond(() =>
      districtForm.action({
        request: makeRequest(`/admin/organisation/districts/${b.id}`, { cookie, form: { code: a.code, nameZh: b.nameZh, nameEn: b.nameEn } }),
        params: { districtId: String(b.id) },
        context,
      }),
    );
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors.code).toBe("organisation.district.codeTaken");
    expect(snapshot()).toEqual(before);
  });

  it("a code that is not a lower-case slug is refused", async () => {
    for (const code of ["has space", "黄浦", "a--b", "-lead", "trail-", "a_b", "x".repeat(41)]) {
      await expectRefused(createDistrictVia({ code, nameZh: "测试区", nameEn: "Test" }), "code", /^(organisation\.district\.codeFormat|form\.tooLong\?max=40)$/);
    }
    await expectRefused(createDistrictVia({ code: "", nameZh: "测试区", nameEn: "Test" }), "code", "form.required");
  });
});

describe("names and addresses", () => {
  it("names over 80 characters are refused with the input kept", async () => {
    const long = "测".repeat(81);
    const body = await expectRefused(createDistrictVia({ code: "test-long", nameZh: long, nameEn: "Test" }), "nameZh", "form.tooLong?max=80");
    expect(body.values).toMatchObject({ code: "test-long", nameZh: long, nameEn: "Test" });
    const d = makeDistrict();
    const s = await expectRefused(createStudioVia(studioForm1(d.id, { nameEn: "x".repeat(81) })), "nameEn", "form.tooLong?max=80");
    expect(s.values).toMatchObject({ nameEn: "x".repeat(81), capacity: "20", opens2: "09:00", closes2: "17:00" });
  });

  it("a name of exactly 80 characters is accepted", async () => {
    const res = await createDistrictVia({ code: "test-eighty", nameZh: "测".repeat(80), nameEn: "e".repeat(80) });
    expect(res.status).toBe(302);
  });

  it("names and addresses with control characters are refused with the input kept", async () => {
    const d = makeDistrict();
    const body = await expectRefused(createSubdistrictVia({ districtId: String(d.id), kind: "subdistrict", nameZh: "测试\u0007街道", nameEn: "Test" }), "nameZh", "form.controlChars");
    expect(body.values.nameZh).toBe("测试\u0007街道");
    await expectRefused(createWorkstationVia({ districtId: String(d.id), nameZh: "测试", nameEn: "Test\u001b[31m" }), "nameEn", "form.controlChars");
    await expectRefused(createWorkstationVia({ districtId: String(d.id), nameZh: "测试", nameEn: "Test", address: "虚构路\n1号" }), "address", "form.controlChars");
    await expectRefused(createStudioVia(studioForm1(d.id, { address: "虚构路\u0000" })), "address", "form.controlChars");
  });

  it("empty names and a studio without an address are refused", async () => {
    const d = makeDistrict();
    await expectRefused(createWorkstationVia({ districtId: String(d.id), nameZh: "   ", nameEn: "Test" }), "nameZh", "form.required");
    await expectRefused(createStudioVia(studioForm1(d.id, { address: "" })), "address", "form.required");
  });
});

describe("studios: capacity and opening hours", () => {
  it("a studio that closes before it opens is refused on that day's closing time", async () => {
    const d = makeDistrict();
    const body = await expectRefused(createStudioVia(studioForm1(d.id, { opens4: "18:00", closes4: "09:00" })), "closes4", "organisation.studio.closesBeforeOpens");
    expect(body.values).toMatchObject({ opens4: "18:00", closes4: "09:00" });
    await expectRefused(createStudioVia(studioForm1(d.id, { opens5: "10:00", closes5: "10:00" })), "closes5", "organisation.studio.closesBeforeOpens");
  });

  it("capacity 0, 501, negative or not a number is refused", async () => {
    const d = makeDistrict();
    for (const capacity of ["0", "501", "-5"]) {
      await expectRefused(createStudioVia(studioForm1(d.id, { capacity })), "capacity", "form.numberRange?min=1&max=500");
    }
    await expectRefused(createStudioVia(studioForm1(d.id, { capacity: "twenty" })), "capacity", "form.notANumber");
    await expectRefused(createStudioVia(studioForm1(d.id, { capacity: "" })), "capacity", "form.required");
  });

  it("capacity 1 and 500 are accepted", async () => {
    const d = makeDistrict();
    expect((await createStudioVia(studioForm1(d.id, { capacity: "1" }))).status).toBe(302);
    expect((await createStudioVia(studioForm1(d.id, { capacity: "500" }))).status).toBe(302);
  });

  it("a studio with no open day is refused", async () => {
    const d = makeDistrict();
    await expectRefused(createStudioVia(studioForm1(d.id, { opens2: "", closes2: "" })), "openingHours", "organisation.studio.noOpenDay");
  });

  it("a day with only an opening or only a closing time is refused", async () => {
    const d = makeDistrict();
    await expectRefused(createStudioVia(studioForm1(d.id, { opens6: "09:00" })), "closes6", "organisation.studio.closesMissing");
    await expectRefused(createStudioVia(studioForm1(d.id, { closes7: "17:00" })), "opens7", "organisation.studio.opensMissing");
  });

  it("times that are not 24-hour HH:MM are refused", async () => {
    const d = makeDistrict();
    for (const bad of ["25:00", "9:00", "9am", "12:60", "09:00:00"]) {
      await expectRefused(createStudioVia(studioForm1(d.id, { opens1: bad, closes1: "23:00" })), "opens1", "form.invalidTime");
    }
    await expectRefused(createStudioVia(studioForm1(d.id, { opens1: "08:00", closes1: "5pm" })), "closes1", "form.invalidTime");
  });

  it("a studio may close at midnight (24:00)", async () => {
    const d = makeDistrict();
    expect((await createStudioVia(studioForm1(d.id, { opens1: "18:00", closes1: "24:00" }))).status).toBe(302);
  });

  it("the domain refuses bad studios from callers without a form (imports, scripts)", () => {
    const d = makeDistrict();
    const attempt = (input: Partial<Parameters<typeof createStudio>[2]>) => {
      try {
        createStudio(getDb(), SYSTEM_ACTOR, {
          districtId: d.id,
          nameZh: "测试",
          nameEn: "Test",
          address: "虚构路",
          capacity: 10,
          openingHours: [{ weekday: 1, opens: "09:00", closes: "12:00" }],
          ...input,
        });
        return "created";
      } catch (e) {
        return isDomainError(e) ? `${e.field}:${e.key}` : "crashed";
      }
    };
    const before = snapshot();
    expect(attempt({ capacity: 0 })).toBe("capacity:form.numberRange?min=1&max=500");
    expect(attempt({ openingHours: [] })).toBe("openingHours:organisation.studio.noOpenDay");
    expect(attempt({ openingHours: [{ weekday: 2, opens: "12:00", closes: "08:00" }] })).toBe("closes2:organisation.studio.closesBeforeOpens");
    expect(attempt({ openingHours: [{ weekday: 2, opens: "08:00", closes: "09:00" }, { weekday: 2, opens: "10:00", closes: "11:00" }] })).toBe("opens2:organisation.studio.onePeriodPerDay");
    expect(attempt({ openingHours: [{ weekday: 8, opens: "08:00", closes: "09:00" }] })).toBe("openingHours:organisation.studio.badWeekday");
    expect(attempt({ nameZh: "x".repeat(81) })).toBe("nameZh:form.tooLong?max=80");
    expect(attempt({ districtId: 999999 })).toBe("districtId:form.unknownId");
    expect(snapshot()).toEqual(before);
  });
});

describe("a form that cannot be read", () => {
  it("a post that is not a form is a 400, not a 500", async () => {
    const request = new Request("http://localhost/admin/organisation/districts/new", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "multipart/form-data; boundary=nope" },
      body: "garbage",
    });
    const res = await respond(() => districtForm.action({ request, params: { districtId: "new" }, context }));
    expect(res.status).toBe(400);
    expect((res.body as FormBody).errors._form).toBe("form.badRequest");
  });
});
