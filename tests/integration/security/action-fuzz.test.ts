/**
 * Request-level fuzz (issue 8 item 7): every route module with an action gets POSTs from every role
 * (admin, coordinator of district A, social worker, peer tutor, trainer, no role, anonymous) whose
 * forms fast-check builds from the field names the routes render, with hostile values (100 kB
 * strings, control characters, lone surrogates, RTL overrides, SQL and script fragments, wrong
 * types, repeated keys, prototype keys) mixed with valid-looking values and the ids of real rows of
 * both districts; the route params are fuzzed too. No answer may be a 5xx, and nothing may throw
 * except a Response. Fixed seed, bounded runs: HOSTILE_RUNS (default 12) runs per route and staff
 * role, half that for no role and anonymous. Every loader also gets hostile params and query strings.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "~/db.server";
import { auditLog } from "#db/schema";
import { KIND_SEGMENTS } from "~/domain/organisation/display";
import { makeRequest, respond, signIn } from "../../factories";
import { COMMON_FIELDS, fieldNamesIn, HOSTILE_SEED, hostileForm, hostileParam, hostileString, mostlyValidForm, intentsOf, sourcesUnder } from "../../hostile";
import { ROUTES } from "../../route-modules";
import { buildWorld, ROLES, type Role, type World } from "./world";

// Backups made by the fuzz go to a folder of this test file's own, removed afterwards.
const backupDir = path.resolve(`tmp/test-backups-${process.pid}-${Date.now()}`);
process.env.BACKUP_DIR = backupDir;
mkdirSync(backupDir, { recursive: true });

const RUNS = Number(process.env.HOSTILE_RUNS ?? 12);
const SHRINK = process.env.HOSTILE_SHRINK === "1";
const ACTION_ROUTES = ROUTES.filter((r) => r.mod.action);
const routesDir = fileURLToPath(new URL("../../../app/routes/", import.meta.url));

let world: World;
let names: string[];
let validValues: string[];

beforeAll(async () => {
  world = await buildWorld();
  const all = sourcesUnder(routesDir);
  names = fieldNamesIn(all, COMMON_FIELDS);
  const literals = new Set<string>(["on", "true", "1", "10:00", "09:30", "2", "60", "1.5", "zh-CN", "en", ...world.dates, ...world.ids]);
  for (const source of all) {
    for (const m of source.matchAll(/value="([\w.-]{1,40})"/g)) literals.add(m[1]!);
    for (const i of intentsOf(source)) literals.add(i);
  }
  validValues = [...literals];
}, 120_000);

afterAll(() => {
  rmSync(backupDir, { recursive: true, force: true });
  const writes = getDb().select({ n: sql<number>`count(*)` }).from(auditLog).get()?.n ?? 0;
  console.info(`hostile fuzz: ${RUNS} runs per route and staff role, answers by status ${JSON.stringify(tally)}, ${writes} audited writes`);
});

/** how many answers of each status the fuzz got: proof that it gets past the guards, not only 403s */
const tally: Record<number, number> = {};

type Outcome = { status: number } | { thrown: string };

async function call(
  fn: (args: unknown) => unknown,
  request: Request,
  params: Record<string, string>,
): Promise<Outcome> {
  try {
    const { status, headers } = await respond(() => fn({ request, params, context: { cspNonce: "" } }));
    tally[status] = (tally[status] ?? 0) + 1;
    // pages are rendered by React (escaped); a raw answer of a route must never be HTML built by hand
    if (/html/i.test(headers.get("Content-Type") ?? "")) return { thrown: `answered raw HTML (${headers.get("Content-Type")})` };
    return { status };
  } catch (e) {
    return { thrown: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split("\n").slice(1, 4).join("\n")}` : String(e) };
  }
}

async function post(mod: { action?: (args: unknown) => unknown }, url: string, params: Record<string, string>, role: Role, form: Record<string, string | string[]>): Promise<Outcome> {
  const userId = world.userIds[role];
  // a fresh session each time: a fuzzed "sign out everywhere" must not end the next run's
  const cookie = userId === null ? undefined : signIn(userId);
  return call(mod.action!, makeRequest(url, { method: "POST", form, ...(cookie ? { cookie } : {}) }), params);
}

function paramsArbitrary(id: string, params: Record<string, string>): fc.Arbitrary<Record<string, string>> {
  const keys = Object.keys(params);
  if (!keys.length) return fc.constant({});
  const pool = id.startsWith("routes/admin.users") ? world.sacrificialUserIds : world.ids;
  const entries = keys.map((k) =>
    k === "kind"
      ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...Object.values(KIND_SEGMENTS)) }, { weight: 1, arbitrary: hostileParam([]) })
      : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 2, arbitrary: hostileParam(world.otherDistrictIds) }),
  );
  return fc.tuple(...entries).map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]!])));
}

/** The route's own sources: its file, and for a folder route every file of the folder. */
function routeSources(file: string): string[] {
  const rel = file.replace(/^.*\/app\/routes\//, "");
  const folder = rel.match(/^([^/]+)\/route\.tsx?$/);
  return folder ? sourcesUnder(path.join(routesDir, folder[1]!)) : [readFileSync(path.join(routesDir, rel), "utf8")];
}

function formArbitrary(file: string): fc.Arbitrary<Record<string, string | string[]>> {
  const sources = routeSources(file);
  const own = fieldNamesIn(sources);
  const intents = [...new Set(sources.flatMap(intentsOf))];
  // mostly the route's own fields (with a valid intent when it has some), sometimes any form's fields
  const literals = [...new Set(sources.flatMap((s) => [...s.matchAll(/value="([\w.-]{1,40})"/g)].map((m) => m[1]!)))];
  const ownForm = hostileForm(own.length ? own : names, validValues);
  // a form that looks right except for one or two fields, so the hostile value gets past the others
  const fields = own.filter((n) => n !== "intent");
  const nearlyValid = fields.length ? mostlyValidForm(fields, literals, world.ids, world.dates) : ownForm;
  const withIntent = (form: fc.Arbitrary<Record<string, string | string[]>>) =>
    intents.length ? fc.tuple(form, fc.constantFrom(...intents)).map(([f, intent]) => ({ ...f, intent })) : form;
  return fc.oneof(
    { weight: 3, arbitrary: withIntent(ownForm) },
    { weight: 3, arbitrary: withIntent(nearlyValid) },
    { weight: 1, arbitrary: hostileForm(names, validValues) },
  );
}

describe("hostile POSTs to every action", () => {
  it("finds the actions, the forms' field names and real ids in both districts", () => {
    expect(ACTION_ROUTES.length).toBeGreaterThan(60);
    expect(names).toEqual(expect.arrayContaining(["summary", "alias", "intent"]));
    expect(world.otherDistrictIds.length).toBeGreaterThan(3);
  });

  it.each(ACTION_ROUTES.map((r, i) => [r.id, r, i] as const))("%s: no 5xx and nothing thrown for any role", async (_id, route, index) => {
    const failures: string[] = [];
    for (const [r, role] of ROLES.entries()) {
      const runs = role === "anonymous" || role === "no_role" ? Math.max(1, Math.ceil(RUNS / 2)) : RUNS;
      const seed = HOSTILE_SEED + index * 10 + r;
      const result = await fc.check(
        fc.asyncProperty(paramsArbitrary(route.id, route.params), formArbitrary(route.file), async (params, form) => {
          const outcome = await post(route.mod, route.path, params, role, form);
          if ("thrown" in outcome) throw new Error(`threw ${outcome.thrown}`);
          if (outcome.status >= 500) throw new Error(`status ${outcome.status}`);
        }),
        { seed, numRuns: runs, endOnFailure: !SHRINK },
      );
      if (result.failed) {
        const example = JSON.stringify(result.counterexample, (_k, v: unknown) => (typeof v === "string" && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v));
        failures.push(`${role} (seed ${seed}, path ${result.counterexamplePath}): ${String(result.errorInstance)}\n  input: ${example}`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  }, 240_000);
});

const QUERY_KEYS = ["page", "q", "search", "status", "district", "districtId", "studio", "sort", "dir", "from", "to", "week", "month", "date", "kind", "role", "redirectTo", "asOf", "code", "token"];

describe("hostile params and query strings to every loader", () => {
  const LOADER_ROUTES = ROUTES.filter((r) => r.mod.loader);

  it.each(LOADER_ROUTES.map((r, i) => [r.id, r, i] as const))("%s: no 5xx and nothing thrown for any role", async (_id, route, index) => {
    const failures: string[] = [];
    const query = fc.dictionary(fc.constantFrom(...QUERY_KEYS), fc.oneof(hostileString(), fc.constantFrom(...world.ids, ...world.dates)), { maxKeys: 4 });
    for (const [r, role] of ROLES.entries()) {
      const seed = HOSTILE_SEED + 5000 + index * 10 + r;
      const result = await fc.check(
        fc.asyncProperty(paramsArbitrary(route.id, route.params), query, async (params, q) => {
          const userId = world.userIds[role];
          const cookie = userId === null ? undefined : signIn(userId);
          const search = new URLSearchParams(q).toString();
          const request = makeRequest(`${route.path}${search ? `?${search}` : ""}`, cookie ? { cookie } : {});
          const outcome = await call(route.mod.loader!, request, params);
          if ("thrown" in outcome) throw new Error(`threw ${outcome.thrown}`);
          if (outcome.status >= 500) throw new Error(`status ${outcome.status}`);
        }),
        { seed, numRuns: Math.max(1, Math.ceil(RUNS / 3)), endOnFailure: !SHRINK },
      );
      if (result.failed) failures.push(`${role} (seed ${seed}): ${String(result.errorInstance)}\n  input: ${JSON.stringify(result.counterexample)?.slice(0, 600)}`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
  }, 240_000);
});
