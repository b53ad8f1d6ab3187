/** Every message exists in both languages, is not empty, and carries the same {placeholders}. */
import { describe, expect, it } from "vitest";
import { AREA_MESSAGES, MESSAGES } from "~/i18n/messages";
import { translate } from "~/i18n/translate";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogues", () => {
  it("has at least the shared area", () => {
    expect(AREA_MESSAGES.length).toBeGreaterThan(0);
    expect(Object.keys(MESSAGES.en).length).toBeGreaterThan(10);
  });

  AREA_MESSAGES.forEach((area, i) => {
    const en = area.en as Record<string, string>;
    const zh = area["zh-CN"] as Record<string, string>;
    const label = `area #${i + 1} (${Object.keys(en)[0] ?? "empty"}…)`;

    it(`${label}: every English key exists in Chinese`, () => {
      expect(Object.keys(en).filter((k) => !(k in zh))).toEqual([]);
    });

    it(`${label}: every Chinese key exists in English`, () => {
      expect(Object.keys(zh).filter((k) => !(k in en))).toEqual([]);
    });

    it(`${label}: no message is empty`, () => {
      expect(Object.entries(en).filter(([, v]) => !v.trim()).map(([k]) => `en ${k}`)).toEqual([]);
      expect(Object.entries(zh).filter(([, v]) => !v.trim()).map(([k]) => `zh-CN ${k}`)).toEqual([]);
    });

    it(`${label}: both languages use the same placeholders`, () => {
      const differ = Object.keys(en).filter((k) => k in zh && placeholders(en[k]!).join() !== placeholders(zh[k]!).join());
      expect(differ).toEqual([]);
    });
  });

  it("merges both languages with the same key set", () => {
    expect(Object.keys(MESSAGES["zh-CN"]).sort()).toEqual(Object.keys(MESSAGES.en).sort());
  });
});

describe("translate", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    const key = Object.keys(MESSAGES.en).find((k) => placeholders(MESSAGES.en[k]!).length > 0);
    expect(key).toBeDefined();
    const [name] = placeholders(MESSAGES.en[key!]!);
    expect(translate("en", key as never, { [name!]: "XYZ" })).toContain("XYZ");
    expect(translate("en", key as never, {})).toContain(`{${name}}`);
  });

  it("answers in the language asked for", () => {
    expect(translate("zh-CN", "app.name")).toBe(MESSAGES["zh-CN"]["app.name"]);
    expect(translate("en", "app.name")).toBe("Tongban");
  });
});
