/**
 * Hostile input for the property tests and the request-level fuzz (issue 8 item 7): the values an
 * attacker, a broken client or a careless paste sends, and fast-check arbitraries built from them.
 * Shared by tests/integration/security/*.test.ts; nothing here touches the database.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";

/** One fixed seed for every property in the security tests, so a failure replays exactly (HOSTILE_SEED=… to explore others). */
export const HOSTILE_SEED = Number(process.env.HOSTILE_SEED ?? 20261128);

/** 100 kB: the size the form reader keeps of one field (app/http/forms.server.ts MAX_FIELD). */
export const HUGE = "x".repeat(100_000);
/** A huge multi-byte string (300 kB of UTF-8), past the form reader's limit. */
export const HUGE_CJK = "测".repeat(100_001);

export const SCRIPT = "<script>window.__pwned=1</script>";
export const IMG_ONERROR = '"><img src=x onerror=alert(1)>';

/** Values no form expects, by kind. Each one has broken some program somewhere. */
export const HOSTILE = {
  huge: [HUGE, HUGE_CJK, `${"a".repeat(65_536)}\u0000`],
  control: ["\u0000", "a\u0000b", "\u0007\u001b[31mred", "\u0085next", "line\r\nbreak", "\ttab", "\u007f", "\u009b"],
  surrogate: ["\uD800", "a\uDC00b", "\uDBFF\uDBFF", "\uDFFF\uD800"],
  unicode: ["\u202Eevil\u202C", "\u200B", "\uFEFF", "\u2028", "Ａ", "ǅ", "🏳️‍🌈", "ﷺ".repeat(100)],
  sql: ["' or 1=1 --", "1 or 1=1", "1' OR '1'='1", "; drop table clients; --", "1; DELETE FROM users", "%' --", "\\'", "1)) union select * from users --"],
  script: [SCRIPT, IMG_ONERROR, "javascript:alert(1)", "<svg onload=alert(1)>", "{{constructor.constructor('alert(1)')()}}", "</textarea><script>alert(1)</script>"],
  number: ["NaN", "1e999", "-1", "0", "-0", "1.5", "9999999999999", "99999999999999999999", "Infinity", "0x10", " 1 ", "1,000", "٣", "+1"],
  word: ["", " ", "true", "false", "on", "null", "undefined", "[object Object]", "__proto__", "constructor", "toString"],
  date: ["2025-02-30", "0000-00-00", "9999-12-31", "2025-1-1", "2025-06-01T00:00", "2025-06-01", "1970-01-01", "24:00", "25:61", "09:00"],
  csv: ["=cmd|' /C calc'!A0", "+SUM(1,1)", "-2+3", "@SUM(A1)"],
  path: ["../../etc/passwd", "//evil.example", "https://evil.example/", "/\\evil.example", "%2e%2e%2f"],
} as const;

export const ALL_HOSTILE: string[] = Object.values(HOSTILE).flat();

/** Field names an attacker adds to any form: prototype keys, and an oversized name. */
export const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf", "k".repeat(5000)];

/** A hostile string: one of the list, or a random one salted with a hostile piece. */
export function hostileString(extra: readonly string[] = []): fc.Arbitrary<string> {
  const pieces = [...ALL_HOSTILE, ...extra];
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...pieces) },
    { weight: 2, arbitrary: fc.tuple(fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom(...pieces)).map(([a, b]) => a + b) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  );
}

/** Anything JSON-ish a schema may be handed: wrong types as well as hostile strings. */
export function hostileUnknown(extra: readonly string[] = []): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    { weight: 6, arbitrary: hostileString(extra) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt()) },
    { weight: 1, arbitrary: fc.array(hostileString(extra), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom("a", "__proto__", "then"), hostileString(extra), { maxKeys: 2 }) },
  );
  return leaf;
}

/** A form-like object over the given keys (some present, some missing), hostile values, hostile extra keys. */
export function hostileObject(keys: readonly string[], extra: readonly string[] = []): fc.Arbitrary<Record<string, unknown>> {
  const known = keys.length ? fc.dictionary(fc.constantFrom(...keys), hostileUnknown(extra), { maxKeys: keys.length }) : fc.constant({});
  return fc.tuple(known, fc.dictionary(fc.constantFrom(...HOSTILE_KEYS), hostileUnknown(extra), { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...a }));
}

/**
 * A posted form over `names`: each chosen field gets one value, or several (a repeated key: the
 * "array" a form can send). Values are hostile strings, valid-looking ones (`valid`), or ids.
 */
export function hostileForm(names: readonly string[], valid: readonly string[]): fc.Arbitrary<Record<string, string | string[]>> {
  const value = fc.oneof(
    { weight: 4, arbitrary: hostileString() },
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
  );
  const one = fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) });
  return fc.tuple(
    fc.dictionary(fc.constantFrom(...names), one, { minKeys: 1, maxKeys: Math.min(names.length, 12) }),
    fc.dictionary(fc.constantFrom(...HOSTILE_KEYS), one, { maxKeys: 1 }),
  ).map(([a, b]) => ({ ...b, ...a }));
}

/** Route params ($id, $number, $token…) that are not ids of anything, or ids of the other district's rows. */
export function hostileParam(ids: readonly string[]): fc.Arbitrary<string> {
  const bad = fc.constantFrom("0", "-1", "abc", "1.5", "1e3", "9999999999999", "99999999999999999999999", "NaN", " 1", "1 or 1=1", "%00", "\u0000", "..", SCRIPT, "x".repeat(10_000), "");
  return fc.oneof(
    { weight: 3, arbitrary: bad },
    { weight: 3, arbitrary: ids.length ? fc.constantFrom(...ids) : bad },
    { weight: 1, arbitrary: hostileString() },
  );
}

/** Every source file under a folder (route folders keep their forms in helper files). */
export function sourcesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => readFileSync(path.join(dir, f), "utf8"));
}

/** The field names the sources render (name="…"), as in tests/integration/privacy/log-hygiene.test.ts. */
export function fieldNamesIn(sources: readonly string[], base: readonly string[] = []): string[] {
  const names = new Set(base);
  for (const source of sources) {
    for (const m of source.matchAll(/name="([A-Za-z_][\w.-]{0,40})"/g)) names.add(m[1]!);
    for (const m of source.matchAll(/name=\{?`?"?([A-Za-z_]\w{0,40})/g)) names.add(m[1]!);
  }
  names.delete("viewport");
  return [...names];
}

export const COMMON_FIELDS = ["intent", "id", "clientId", "personId", "sessionId", "userId", "districtId", "studioId", "cohortId", "enrollmentId"];

/** The intents a route's action answers (intent === "x", case "x", value="x" on an intent button). */
export function intentsOf(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/intent\s*===?\s*"([\w-]{1,40})"/g)) found.add(m[1]!);
  for (const m of source.matchAll(/case\s+"([\w-]{1,40})"\s*:/g)) found.add(m[1]!);
  for (const m of source.matchAll(/name="intent"\s+value="([\w-]{1,40})"/g)) found.add(m[1]!);
  for (const m of source.matchAll(/value="([\w-]{1,40})"\s+name="intent"/g)) found.add(m[1]!);
  return [...found];
}

/**
 * A value that looks right for a field, guessed from its name (dates, times, ids, numbers, text),
 * or one of the route's own literal values (select options, intents). Used to build forms that get
 * past validation, so that the hostile field in them reaches the domain code.
 */
export function plausibleValue(name: string, literals: readonly string[], ids: readonly string[], dates: readonly string[]): fc.Arbitrary<string> {
  const lower = name.toLowerCase();
  const ownLiterals = literals.length ? literals : ["on"];
  if (/(on|date|due|until|week|from|to|asof)$/.test(lower) && !/(reason|person|action)$/.test(lower)) return fc.constantFrom(...dates);
  if (/at$/.test(lower)) return fc.constantFrom(...dates.map((d) => `${d}T10:00`));
  if (/time$/.test(lower)) return fc.constantFrom("09:00", "10:30", "14:00");
  if (/(id|ids)$/.test(lower) || lower === "person" || lower === "cohort" || lower === "worker") return fc.constantFrom(...ids);
  if (/(minutes|hours|capacity|score|years|count|percent|months|mark|position|sessions|budget|days|number|intakeyear)$/.test(lower)) return fc.constantFrom("1", "2", "15", "60", "90", "2025");
  if (/(summary|note|notes|reason|topic|name|namezh|nameen|address|goal|evidence|funder|alias|displayname|observation|participants|action)$/.test(lower)) {
    return fc.constantFrom("测试文字（虚构）", "Test text (fictional)", "Test Person (fictional)");
  }
  if (/(private|sensitiveinfo|mustchange|dryrun|attest|signoff|confirm|purpose_)/.test(lower)) return fc.constant("on");
  return fc.constantFrom(...ownLiterals);
}

/** A plausible form over the route's fields with one or two of them hostile. */
export function mostlyValidForm(
  names: readonly string[],
  literals: readonly string[],
  ids: readonly string[],
  dates: readonly string[],
): fc.Arbitrary<Record<string, string | string[]>> {
  const plausible = fc.tuple(...names.map((n) => plausibleValue(n, literals, ids, dates)));
  return fc
    .tuple(plausible, fc.subarray([...names], { minLength: 1, maxLength: Math.min(2, names.length) }), fc.array(hostileString(), { minLength: 2, maxLength: 2 }))
    .map(([values, hostileNames, bad]) => {
      const form: Record<string, string> = Object.fromEntries(names.map((n, i) => [n, values[i]!]));
      hostileNames.forEach((n, i) => (form[n] = bad[i]!));
      return form;
    });
}
