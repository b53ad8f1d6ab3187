/**
 * /admin/settings: the organisation's name, time zone and overdue threshold. Bad values are a 400
 * with the input kept and nothing saved; each saved change has its own audit entry.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "#db/schema";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import * as settingsRoute from "~/routes/admin.settings";
import { makeRequest, makeSignedInUser, respond } from "../../factories";

const context = { cspNonce: "" };
type FormBody = { ok: false; errors: Record<string, string>; values: Record<string, string> };

let cookie = "";
beforeAll(async () => {
  cookie = (await makeSignedInUser([{ role: "admin", districtId: null }])).cookie;
});

const valid = {
  organisationNameZh: "测试禁毒社会组织（虚构）",
  organisationNameEn: "Test Anti-drug Organisation (fictional)",
  timeZone: "Asia/Shanghai",
  overdueThresholdDays: "30",
};

const save = (form: Record<string, string>) =>
  respond(() => settingsRoute.action({ request: makeRequest("/admin/settings", { cookie, form }), params: {}, context }));

const settingsAudits = () =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "settings"), eq(auditLog.action, "update")))
    .all();

async function expectRefused(form: Record<string, string>, field: string, message: string) {
  const before = getSettings(getDb());
  const audits = settingsAudits().length;
  const res = await save(form);
  expect(res.status).toBe(400);
  const body = res.body as FormBody;
  expect(body.errors[field]).toBe(message);
  expect(body.values).toEqual(form);
  expect(getSettings(getDb())).toEqual(before);
  expect(settingsAudits()).toHaveLength(audits);
}

describe("settings", () => {
  it("the settings page shows the current values, the defaults at first", async () => {
    const res = await respond(() => settingsRoute.loader({ request: makeRequest("/admin/settings", { cookie }), params: {}, context }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ settings: getSettings(getDb()) });
  });

  it("refuses Mars/Olympus and other unknown names as the time zone", async () => {
    for (const timeZone of ["Mars/Olympus", "Asia/Atlantis", "GMT+25", ""]) {
      await expectRefused({ ...valid, timeZone }, "timeZone", timeZone ? "admin.settings.badTimeZone" : "form.required");
    }
  });

  it("refuses 0, 366 and non-numbers as the overdue threshold", async () => {
    await expectRefused({ ...valid, overdueThresholdDays: "0" }, "overdueThresholdDays", "form.numberRange?min=1&max=365");
    await expectRefused({ ...valid, overdueThresholdDays: "366" }, "overdueThresholdDays", "form.numberRange?min=1&max=365");
    await expectRefused({ ...valid, overdueThresholdDays: "thirty" }, "overdueThresholdDays", "form.notANumber");
  });

  it("refuses empty, over-long and control-character organisation names, keeping the input", async () => {
    await expectRefused({ ...valid, organisationNameZh: "" }, "organisationNameZh", "form.required");
    await expectRefused({ ...valid, organisationNameEn: "x".repeat(121) }, "organisationNameEn", "form.tooLong?max=120");
    await expectRefused({ ...valid, organisationNameZh: "测试\u0008组织" }, "organisationNameZh", "form.controlChars");
  });

  it("accepts valid values, saves them and audits each change with its old and new value", async () => {
    const before = getSettings(getDb());
    const res = await save({ ...valid, timeZone: "Europe/London", overdueThresholdDays: "14" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/settings");
    expect(res.headers.get("Set-Cookie")).toContain("tb_flash=");
    expect(getSettings(getDb())).toEqual({
      organisationNameZh: valid.organisationNameZh,
      organisationNameEn: valid.organisationNameEn,
      timeZone: "Europe/London",
      overdueThresholdDays: 14,
    });
    const byKey = Object.fromEntries(settingsAudits().map((a) => [a.entityId, a.details]));
    expect(byKey).toEqual({
      organisationNameZh: { from: before.organisationNameZh, to: valid.organisationNameZh },
      organisationNameEn: { from: before.organisationNameEn, to: valid.organisationNameEn },
      timeZone: { from: before.timeZone, to: "Europe/London" },
      overdueThresholdDays: { from: before.overdueThresholdDays, to: 14 },
    });
    expect(settingsAudits()[0]?.actorLogin).toMatch(/^testuser/);

    // saving again with one change audits only that one
    const count = settingsAudits().length;
    expect((await save({ ...valid, timeZone: "Europe/London", overdueThresholdDays: "21" })).status).toBe(302);
    const added = settingsAudits().slice(count);
    expect(added.map((a) => [a.entityId, a.details])).toEqual([["overdueThresholdDays", { from: 14, to: 21 }]]);
  });

  it("stores a time zone typed in another case under its canonical name", async () => {
    expect((await save({ ...valid, timeZone: "asia/shanghai" })).status).toBe(302);
    expect(getSettings(getDb()).timeZone).toBe("Asia/Shanghai");
  });
});
