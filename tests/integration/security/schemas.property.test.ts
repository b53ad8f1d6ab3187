/**
 * Property tests (fast-check) for the form schemas (issue 8 item 7). Every Zod schema any module
 * under app/domain or app/routes exports is found by a glob import, so a new schema file is
 * covered without touching this test; the field builders of app/domain/shared/fields.ts get
 * properties of their own. Decision: text is REFUSED (not stripped) when it holds control
 * characters or lone surrogates (form.controlChars); tab, CR and LF only in multiline fields.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as fields from "~/domain/shared/fields";
import { HOSTILE, HOSTILE_SEED, hostileObject, hostileString, hostileUnknown } from "../../hostile";

const RUNS = Number(process.env.HOSTILE_SCHEMA_RUNS ?? 200);
const options = (offset: number) => ({ seed: HOSTILE_SEED + offset, numRuns: RUNS });

const domainModules = import.meta.glob<Record<string, unknown>>("../../../app/domain/**/*.ts", { eager: true });
const routeModules = import.meta.glob<Record<string, unknown>>("../../../app/routes/**/*.{ts,tsx}", { eager: true });

/** Every exported Zod schema: [module path, export name, schema]. */
const seen = new Set<unknown>();
const SCHEMAS: [string, string, z.ZodType][] = Object.entries({ ...domainModules, ...routeModules })
  .sort(([a], [b]) => Number(a.endsWith("/index.ts")) - Number(b.endsWith("/index.ts")) || a.localeCompare(b))
  .flatMap(([file, mod]) =>
    Object.entries(mod)
      .filter((e): e is [string, z.ZodType] => e[1] instanceof z.ZodType && !seen.has(e[1]) && Boolean(seen.add(e[1])))
      .map(([name, schema]) => [file.replace(/^.*\/app\//, "app/"), name, schema] as [string, string, z.ZodType]),
  );

const SCHEMA_FILES = Object.keys(domainModules).filter((f) => f.endsWith("/schemas.ts"));

function keysOf(schema: unknown): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return keysOf(schema.in);
  return [];
}

// C0/C1 control characters other than tab, LF, CR; lone surrogates (as in fields.ts).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The strings inside a parsed value that hold a control character or a lone surrogate. */
function dirtyStrings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === "string") return CONTROL.test(value) || LONE_SURROGATE.test(value) ? [value] : [];
  if (!value || typeof value !== "object" || seen.has(value)) return [];
  seen.add(value);
  return Object.values(value).flatMap((v) => dirtyStrings(v, seen));
}

/**
 * Exported schemas whose output may keep such characters, and why. Empty today: every schema that
 * takes free text builds it from text()/optionalText().
 */
const MAY_KEEP_CONTROL: Record<string, string> = {};

describe("every exported schema, with hostile input", () => {
  it("finds the schema modules and their schemas by a glob (a new schemas.ts is covered automatically)", () => {
    expect(SCHEMA_FILES.length).toBeGreaterThanOrEqual(5);
    for (const file of SCHEMA_FILES) {
      const exported = SCHEMAS.filter(([f]) => file.endsWith(f.replace(/^app\//, "")));
      expect(exported.length, `${file} exports no Zod schema`).toBeGreaterThan(0);
    }
    expect(SCHEMAS.length).toBeGreaterThan(30);
  });

  it.each(SCHEMAS.map(([file, name, schema], i) => [`${file} ${name}`, schema, i] as const))(
    "%s: safeParse never throws, and what it accepts holds no control character or lone surrogate",
    (label, schema, i) => {
      const keys = keysOf(schema);
      const input = keys.length ? hostileObject(keys) : hostileUnknown();
      fc.assert(
        fc.property(input, (value) => {
          const result = schema.safeParse(value);
          if (result.success && !(label in MAY_KEEP_CONTROL)) expect(dirtyStrings(result.data)).toEqual([]);
        }),
        options(i * 7),
      );
    },
  );
});

const TOO_LONG = (max: number) => fields.msg("form.tooLong", { max });

describe("field builders", () => {
  it.each([
    ["text", (max: number) => fields.text({ max })],
    ["text multiline", (max: number) => fields.text({ max, multiline: true })],
    ["optionalText", (max: number) => fields.optionalText({ max })],
    ["optionalText multiline", (max: number) => fields.optionalText({ max, multiline: true })],
  ] as const)("%s: accepts only trimmed text within max without control characters or lone surrogates; too long is form.tooLong", (name, build) => {
    const multiline = name.endsWith("multiline");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.oneof(hostileString(), fc.string({ unit: "binary", maxLength: 250 })), (max, s) => {
        const result = build(max).safeParse(s);
        const trimmed = s.trim();
        if (result.success) {
          expect(result.data).toBe(trimmed);
          expect([...result.data].length).toBeLessThanOrEqual(max); // Zod counts code points, not UTF-16 units
          expect(LONE_SURROGATE.test(result.data)).toBe(false);
          expect(CONTROL.test(result.data)).toBe(false);
          if (!multiline) expect(/[\n\r]/.test(result.data)).toBe(false);
        } else if ([...trimmed].length > max && !CONTROL.test(trimmed) && !LONE_SURROGATE.test(trimmed) && (multiline || !/[\n\r]/.test(trimmed))) {
          // too long and otherwise clean: the message says so (a dirty string may get form.controlChars first)
          expect(result.error.issues[0]!.message).toBe(TOO_LONG(max));
        }
      }),
      options(1),
    );
  });

  it("text refuses every control character and lone surrogate of the hostile list with form.controlChars", () => {
    for (const s of [...HOSTILE.control.filter((c) => !/^(\t|line\r\n)/.test(c)), ...HOSTILE.surrogate]) {
      const result = fields.text({ max: 100 }).safeParse(`a${s}b`);
      expect(result.success, JSON.stringify(s)).toBe(false);
      expect(result.error!.issues.map((i) => i.message)).toContain("form.controlChars");
    }
  });

  it("int: accepts only whole numbers in range; refuses fractions, exponents, NaN, huge numbers and SQL", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 5000 }), fc.oneof(hostileString(), fc.integer().map(String), fc.double().map(String)), (min, span, s) => {
        const max = min + span;
        const result = fields.int({ min, max }).safeParse(s);
        if (result.success) {
          expect(Number.isSafeInteger(result.data)).toBe(true);
          expect(result.data).toBeGreaterThanOrEqual(min);
          expect(result.data).toBeLessThanOrEqual(max);
          expect(s.trim()).toMatch(/^-?\d+$/);
        }
      }),
      options(2),
    );
    for (const s of ["1 or 1=1", "1.5", "1e3", "1e999", "NaN", "Infinity", "9999999999999999999", "0x10", "", "1,000"]) {
      expect(fields.int({ min: 0, max: 100 }).safeParse(s).success, s).toBe(false);
    }
    expect(fields.int({ min: 0, max: 100 }).safeParse("-1").error?.issues[0]?.message).toBe(fields.msg("form.numberRange", { min: 0, max: 100 }));
  });

  it("id: accepts only positive safe integers written plainly; refuses 0, negatives, fractions, huge numbers, SQL", () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(), fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String)), (s) => {
        const result = fields.id.safeParse(s);
        if (result.success) {
          expect(Number.isSafeInteger(result.data)).toBe(true);
          expect(result.data).toBeGreaterThan(0);
          expect(String(result.data)).toBe(s.trim());
        } else {
          expect(result.error.issues[0]!.message).toBe("form.unknownId");
        }
      }),
      options(3),
    );
    for (const s of ["0", "-1", "1.5", "1 or 1=1", "9999999999999999", "99999999999999999999", "abc", "", " ", "01"]) {
      expect(fields.id.safeParse(s).success, s).toBe(false);
    }
    expect(fields.optionalId().safeParse("").data).toBeNull();
    expect(fields.optionalId().safeParse("1 or 1=1").success).toBe(false);
  });

  it("isoDate accepts only real calendar dates; time24 only HH:MM", () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(), fc.date({ noInvalidDate: true, min: new Date("1900-01-01"), max: new Date("2999-12-31") }).map((d) => d.toISOString().slice(0, 10))), (s) => {
        const result = fields.isoDate.safeParse(s);
        if (result.success) expect(new Date(`${result.data}T00:00:00Z`).toISOString().slice(0, 10)).toBe(result.data);
        const time = fields.time24.safeParse(s);
        if (time.success) expect(time.data).toMatch(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
      }),
      options(4),
    );
    for (const s of ["2025-02-30", "0000-00-00", "2025-1-1", "2025-06-01T00:00", "' or 1=1 --"]) expect(fields.isoDate.safeParse(s).success, s).toBe(false);
  });

  it("choice, checkbox, loginName and newPassword never throw and accept only what they describe", () => {
    const choice = fields.choice(["a", "b"]);
    fc.assert(
      fc.property(hostileUnknown(), (v) => {
        const c = choice.safeParse(v);
        if (c.success) expect(["a", "b"]).toContain(c.data);
        const box = fields.checkbox.safeParse(v);
        if (box.success) expect(typeof box.data).toBe("boolean");
        const login = fields.loginName.safeParse(v);
        if (login.success) expect(login.data).toMatch(/^[a-z0-9][a-z0-9._-]{0,63}$/);
        const password = fields.newPassword.safeParse(v);
        if (password.success) expect(dirtyStrings(password.data)).toEqual([]);
      }),
      options(5),
    );
  });
});
