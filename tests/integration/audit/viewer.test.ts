/**
 * The audit log viewer: admins only, filters by person, record type, action and local dates,
 * newest first, paged; bad filters are explained next to the field and ignored, never a 500.
 */
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRemixStub } from "@remix-run/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/db.server";
import { auditLog } from "#db/schema";
import { saveSettings, getSettings } from "~/domain/settings";
import { SYSTEM_ACTOR } from "~/domain/audit";
import AuditLogPage, { loader } from "~/routes/admin.audit._index";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

type LoaderData = Awaited<ReturnType<typeof loader>>;

function addRow(values: Partial<typeof auditLog.$inferInsert>) {
  return getDb()
    .insert(auditLog)
    .values({ action: "view", entity: "viewer_case", actorLogin: "someone", ...values })
    .returning()
    .get();
}

let adminCookie = "";

async function open(query: string): Promise<{ status: number; data: LoaderData }> {
  const res = await respond(() => loader({ request: makeRequest(`/admin/audit${query}`, { cookie: adminCookie }), params: {}, context: { cspNonce: "" } }));
  return { status: res.status, data: res.body as LoaderData };
}

beforeAll(async () => {
  adminCookie = (await makeSignedInUser([{ role: "admin", districtId: null }])).cookie;
  // known times around local midnight in Shanghai (UTC+8): 2026-03-09 16:00Z is 2026-03-10 00:00 local
  addRow({ at: "2026-03-09T15:59:59.000Z", actorLogin: "zhang_wei.test", action: "update", entity: "viewer_client", entityId: "1" });
  addRow({ at: "2026-03-09T16:00:00.000Z", actorLogin: "li.na.test", action: "create", entity: "viewer_client", entityId: "2" });
  addRow({ at: "2026-03-10T15:59:59.999Z", actorLogin: "zhangwei2.test", action: "update", entity: "viewer_studio", entityId: "3" });
  addRow({ at: "2026-03-10T16:00:00.000Z", actorLogin: "wang.fang.test", action: "reveal", entity: "viewer_client", entityId: "4" });
});

const ids = (d: LoaderData) => d.rows.map((r) => r.entityId);

describe("audit log viewer: access", () => {
  it("shows the log to an admin", async () => {
    const { status, data } = await open("");
    expect(status).toBe(200);
    expect(data.total).toBeGreaterThanOrEqual(4);
  });

  it("answers 403 to a coordinator", async () => {
    const district = makeDistrict();
    const { cookie } = await makeSignedInUser([{ role: "coordinator", districtId: district.id }]);
    const res = await respond(() => loader({ request: makeRequest("/admin/audit", { cookie }), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(403);
  });

  it("answers 403 to a social worker, a peer tutor and a trainer", async () => {
    for (const role of ["social_worker", "peer_tutor", "trainer"] as const) {
      const { cookie } = await makeSignedInUser([{ role, districtId: null }]);
      const res = await respond(() => loader({ request: makeRequest("/admin/audit", { cookie }), params: {}, context: { cspNonce: "" } }));
      expect(res.status, role).toBe(403);
    }
  });

  it("sends an anonymous visitor to sign in", async () => {
    const res = await respond(() => loader({ request: makeRequest("/admin/audit"), params: {}, context: { cspNonce: "" } }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});

describe("audit log viewer: filters", () => {
  it("filters by part of a login name, underscores included, ignoring case", async () => {
    expect(ids((await open("?person=zhang_")).data)).toEqual(["1"]);
    expect(ids((await open("?person=ZHANG")).data)).toEqual(["3", "1"]);
    expect((await open("?person=zhang%25")).data.total).toBe(0); // % is a character, not a wildcard
  });

  it("filters by record type and by action", async () => {
    expect(ids((await open("?entity=viewer_client")).data)).toEqual(["4", "2", "1"]);
    expect(ids((await open("?entity=viewer_client&action=update")).data)).toEqual(["1"]);
    expect(ids((await open("?action=reveal")).data)).toEqual(["4"]);
  });

  it("offers the record types and actions that occur in the log", async () => {
    const { data } = await open("");
    expect(data.choices.entities).toEqual(expect.arrayContaining(["viewer_client", "viewer_studio"]));
    expect(data.choices.actions).toEqual(expect.arrayContaining(["create", "update", "reveal"]));
    expect(data.choices.entities).toEqual([...data.choices.entities].sort());
    expect(new Set(data.choices.entities).size).toBe(data.choices.entities.length);
  });

  it("reads from and to as local days in the program's time zone, to inclusive", async () => {
    // 2026-03-10 in Shanghai is 2026-03-09T16:00Z up to 2026-03-10T16:00Z
    expect(ids((await open("?from=2026-03-10&to=2026-03-10")).data)).toEqual(["3", "2"]);
    expect(ids((await open("?entity=viewer_client&to=2026-03-09")).data)).toEqual(["1"]);
    expect(ids((await open("?entity=viewer_client&from=2026-03-11")).data)).toEqual(["4"]);
  });

  it("uses the time zone from the settings", async () => {
    const before = getSettings(getDb());
    saveSettings(getDb(), SYSTEM_ACTOR, { ...before, timeZone: "UTC" });
    try {
      // in UTC, 2026-03-10 is 00:00Z to 24:00Z: rows 3 and 4, no longer row 2
      expect(ids((await open("?from=2026-03-10&to=2026-03-10")).data)).toEqual(["4", "3"]);
    } finally {
      saveSettings(getDb(), SYSTEM_ACTOR, before);
    }
  });

  it("lists newest first by time, whatever order the rows were written in", async () => {
    addRow({ at: "2026-01-01T00:00:00.000Z", entity: "viewer_order", entityId: "old" });
    addRow({ at: "2026-06-01T00:00:00.000Z", entity: "viewer_order", entityId: "new" });
    addRow({ at: "2026-03-01T00:00:00.000Z", entity: "viewer_order", entityId: "mid" });
    expect(ids((await open("?entity=viewer_order")).data)).toEqual(["new", "mid", "old"]);
  });

  it("pages 25 at a time and keeps the count of all matching rows", async () => {
    for (let i = 0; i < 30; i++) {
      addRow({ at: `2025-05-01T00:00:${String(i).padStart(2, "0")}.000Z`, entity: "viewer_paging", entityId: String(i) });
    }
    const first = (await open("?entity=viewer_paging")).data;
    expect(first.total).toBe(30);
    expect(first.pages).toBe(2);
    expect(first.rows).toHaveLength(25);
    expect(first.rows[0]!.entityId).toBe("29");
    const second = (await open("?entity=viewer_paging&page=2")).data;
    expect(second.page).toBe(2);
    expect(ids(second)).toEqual(["4", "3", "2", "1", "0"]);
  });

  it("shows details as compact JSON cut to a readable length", async () => {
    addRow({ entity: "viewer_details", details: { note: "x".repeat(500), nested: { a: 1 } } });
    const row = (await open("?entity=viewer_details")).data.rows[0]!;
    expect(row.details.startsWith('{"note":"xxx')).toBe(true);
    expect(row.details.length).toBeLessThanOrEqual(160);
    expect(row.details.endsWith("…")).toBe(true);
  });
});

describe("audit log viewer: bad filter values", () => {
  const cases: [string, string, string, string][] = [
    ["a date that does not exist", "?entity=viewer_client&from=2026-02-30", "from", "form.invalidDate"],
    ["text that is not a date", "?entity=viewer_client&to=yesterday", "to", "form.invalidDate"],
    ["a year out of range", "?entity=viewer_client&from=9999-01-01", "from", "audit.filter.dateOutOfRange?min=1900&max=2999"],
    ["from after to", "?entity=viewer_client&from=2026-03-11&to=2026-03-01", "to", "audit.filter.fromAfterTo"],
    ["an over-long person", `?entity=viewer_client&person=${"a".repeat(65)}`, "person", "form.tooLong?max=64"],
    ["control characters in person", "?entity=viewer_client&person=li%00na", "person", "form.controlChars"],
  ];
  for (const [what, query, field, message] of cases) {
    it(`${what}: explains it next to the field and ignores that filter`, async () => {
      const { status, data } = await open(query);
      expect(status).toBe(200);
      expect(data.errors[field]).toBe(message);
      expect(ids(data)).toEqual(["4", "2", "1"]); // the entity filter still applies, the bad one does not
      expect(data.applied).toEqual({ entity: "viewer_client" });
    });
  }

  it("an unknown record type or action: explains it and ignores it", async () => {
    const { status, data } = await open("?entity=no_such_thing&action=%3Dcmd()&person=li.na");
    expect(status).toBe(200);
    expect(data.errors).toEqual({ entity: "form.unknownChoice", action: "form.unknownChoice" });
    expect(ids(data)).toEqual(["2"]);
  });

  it("an over-long record type: explains it, never a 500", async () => {
    const { status, data } = await open(`?entity=${"e".repeat(5000)}`);
    expect(status).toBe(200);
    expect(data.errors.entity).toBe("form.tooLong?max=64");
    expect(data.values.entity!.length).toBeLessThanOrEqual(200);
  });

  it("a nonsense page number shows the first page", async () => {
    const { status, data } = await open("?entity=viewer_client&page=-3");
    expect(status).toBe(200);
    expect(data.page).toBe(1);
  });
});

describe("audit log viewer: page", () => {
  // rendering to a string in Node: React warns that the router's layout effects do not run on a server
  const consoleError = console.error;
  beforeAll(() => {
    vi.spyOn(console, "error").mockImplementation((first: unknown, ...rest: unknown[]) => {
      if (typeof first === "string" && first.includes("useLayoutEffect does nothing on the server")) return;
      consoleError(first, ...rest);
    });
  });
  afterAll(() => vi.restoreAllMocks());

  async function render(locale: "en" | "zh-CN", query: string): Promise<string> {
    const { data } = await open(query);
    const Stub = createRemixStub([
      {
        id: "root",
        path: "/",
        loader: () => null,
        children: [{ id: "audit", path: "admin/audit", loader: () => null, Component: AuditLogPage }],
      },
    ]);
    return renderToString(
      createElement(Stub, {
        initialEntries: [`/admin/audit${query}`],
        hydrationData: { loaderData: { root: { locale, timeZone: "Asia/Shanghai" }, audit: data } },
      }),
    );
  }

  it("says in English and in Chinese that the log is append-only", async () => {
    expect(await render("en", "")).toContain("The audit log is append-only");
    expect(await render("zh-CN", "")).toContain("审计日志只能追加");
  });

  it("shows a bad filter's message in the person's language under the field", async () => {
    const en = await render("en", "?from=2026-03-11&to=2026-03-01");
    expect(en).toContain('id="f-to-error"');
    expect(en).toContain("The from date is after the to date");
    const zh = await render("zh-CN", "?from=2026-02-30");
    expect(zh).toContain('id="f-from-error"');
    expect(zh).toContain("请按 YYYY-MM-DD 格式输入日期");
  });

  it("puts only the applied filters into the export form as hidden fields", async () => {
    const html = await render("en", "?entity=viewer_client&from=nope&person=li");
    const exportForm = html.slice(html.indexOf('action="/admin/audit/export"'));
    expect(exportForm).toMatch(/<input type="hidden" name="entity" value="viewer_client"\/>/);
    expect(exportForm).toMatch(/<input type="hidden" name="person" value="li"\/>/);
    expect(exportForm).not.toMatch(/name="from"/);
    expect(html).toContain("Export CSV");
  });
});
