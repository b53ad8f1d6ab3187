/**
 * The form reader under hostile field names and sizes: prototype keys are plain fields (they used
 * to crash every action with a TypeError, a 500), and an oversized field is cut to 100 kB.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseForm, readForm } from "~/http/forms.server";
import { makeRequest } from "../../factories";
import { HUGE_CJK } from "../../hostile";

describe("readForm under hostile input", () => {
  it("a field named __proto__, constructor or toString is read as a field and leaves prototypes alone", async () => {
    const form = { __proto__: "x", constructor: ["a", "b"], toString: "y", hasOwnProperty: "z", name: "测试（虚构）" };
    const input = await readForm(makeRequest("/x", { method: "POST", form: Object.fromEntries(Object.entries(form)) }));
    expect(input).not.toBeNull();
    expect(input!.multi["constructor"]).toEqual(["a", "b"]);
    expect(input!.values["toString"]).toBe("y");
    expect(input!.values["name"]).toBe("测试（虚构）");
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it("parseForm with prototype keys answers a field failure, not an exception", async () => {
    const request = makeRequest("/x", { method: "POST", form: { constructor: "1", valueOf: "2" } });
    const result = await parseForm(request, z.object({ name: z.string({ error: "form.required" }) }));
    expect(result).toMatchObject({ ok: false, errors: { name: "form.required" } });
  });

  it("a field longer than 100 000 characters is cut to 100 000", async () => {
    const input = await readForm(makeRequest("/x", { method: "POST", form: { note: HUGE_CJK } }));
    expect(input!.values["note"]!.length).toBe(100_000);
  });
});
