/**
 * The authorisation matrix (issue 8 item 8): every route module's loader and action, called by
 * every viewer (anonymous, signed in without a role, admin, coordinator, social worker, peer tutor,
 * trainer) on the viewer's own record and on another's, answers what MATRIX (matrix-table.ts,
 * written from DESIGN.md §4) says — and never 5xx. A route without an entry, an entry without a
 * route, or a loader/action the entry does not describe fails here, so a new route or a changed
 * permission that leaks data cannot pass CI unnoticed. Every answer is also searched for the
 * world's secrets (an out-of-scope client's alias, a real name, a private note): a page that
 * answers 200 but lists what the viewer may not see fails too.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildAuthzWorld, cookieOf, freshCookie, VIEWERS, type AuthzWorld, type Scope, type Viewer } from "../../authz-world";
import { makeRequest, respond } from "../../factories";
import { ROUTES, type RouteEntry } from "../../route-modules";
import { INTENTS, MATRIX, type Cell, type MatrixEntry, type Outcome } from "./matrix-table";

type Result = { status: number; location: string | null; body: string; audited: number } | { error: string };

/** Rows in the audit log: every write records one (CONVENTIONS), so a refused request must add none. */
function auditRows(world: AuthzWorld): number {
  return (world.db.$client.prepare("select count(*) as n from audit_log").get() as { n: number }).n;
}

const REFUSALS: readonly Outcome[] = ["refused", "forbidden", "notFound", "denied", "login"];

/** The answer's text: a Response's body, or the loader's data as JSON. */
async function bodyText(body: unknown): Promise<string> {
  if (body instanceof Response) return body.bodyUsed || !body.body ? "" : await body.clone().text();
  try {
    return JSON.stringify(body) ?? "";
  } catch {
    return String(body);
  }
}

function expected(row: NonNullable<MatrixEntry["get"]>, viewer: Viewer, scope: Scope): Outcome {
  const cell: Cell | undefined = row[viewer] ?? (viewer === "anonymous" ? "login" : viewer === "noRole" ? "forbidden" : undefined);
  if (cell === undefined) throw new Error(`no cell for ${viewer}`);
  return typeof cell === "string" ? cell : cell[scope === "own" ? 0 : 1];
}

function matches(outcome: Outcome, r: { status: number; location: string | null }): boolean {
  const toLogin = r.status >= 300 && r.status < 400 && (r.location ?? "").startsWith("/login");
  if (r.status >= 500) return false;
  switch (outcome) {
    case "ok":
      return (r.status >= 200 && r.status < 300) || (r.status >= 300 && r.status < 400 && !toLogin);
    case "allowed":
      return ![401, 403, 404].includes(r.status) && !toLogin;
    case "refused":
      return r.status >= 400 && r.status < 500 && r.status !== 401;
    case "forbidden":
      return r.status === 403;
    case "notFound":
      return r.status === 404;
    case "denied":
      return r.status === 403 || r.status === 404;
    case "login":
      return r.status === 401 || toLogin;
    case "gone":
      return r.status === 410;
    case "postOnly":
      return r.status === 405;
    case "answers":
      return true;
  }
}

/** The dynamic segments of a route id, in order ("$id" → "id", "$" → "*"). */
function dynamicParams(id: string): string[] {
  return id
    .replace(/^routes\//, "")
    .split(".")
    .filter((s) => s.startsWith("$"))
    .map((s) => s.slice(1) || "*");
}

/** The URL path of a route id with the given params. */
function pathFor(id: string, params: Record<string, string>): string {
  const segments = id
    .replace(/^routes\//, "")
    .split(".")
    .filter((s) => s !== "_index" && !s.startsWith("_"))
    .map((s) => (s.startsWith("$") ? encodeURIComponent(params[s.slice(1) || "*"]!) : s.replace(/[[\]]/g, "").replace(/_$/, "")));
  return `/${segments.join("/")}`;
}

function paramsFor(world: AuthzWorld, entry: MatrixEntry, viewer: Viewer, scope: Scope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(entry.params ?? {})) {
    out[name] = String(typeof spec === "function" ? spec(world, viewer, scope) : world.entity[spec][scope]);
  }
  return out;
}

const isScoped = (entry: MatrixEntry) => Object.keys(entry.params ?? {}).length > 0 || entry.query !== undefined;

async function call(
  world: AuthzWorld,
  route: RouteEntry,
  entry: MatrixEntry,
  kind: "get" | "post",
  viewer: Viewer,
  scope: Scope,
  form: Record<string, string | string[]> = {},
): Promise<Result> {
  const params = paramsFor(world, entry, viewer, scope);
  const path = pathFor(route.id, params) + (entry.query?.(world, viewer, scope) ?? "");
  const fn = kind === "get" ? route.mod.loader! : route.mod.action!;
  const request =
    kind === "get"
      ? makeRequest(path, { cookie: cookieOf(world, viewer) })
      : makeRequest(path, { method: "POST", cookie: freshCookie(world, viewer), form });
  const before = auditRows(world);
  try {
    const res = await respond(() => fn({ request, params, context: { cspNonce: "" } }));
    const flash = res.headers.get("Set-Cookie") ?? "";
    return { status: res.status, location: res.headers.get("Location"), body: (await bodyText(res.body)) + flash, audited: auditRows(world) - before };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** Calls one loader or action for the viewers, own and other; returns what differs from the row. */
async function runRow(
  world: AuthzWorld,
  route: RouteEntry,
  entry: MatrixEntry,
  kind: "get" | "post",
  row: NonNullable<MatrixEntry["get"]>,
  viewers: readonly Viewer[],
  form?: (viewer: Viewer, scope: Scope) => Record<string, string | string[]>,
  scopes: Scope[] = isScoped(entry) ? ["own", "other"] : ["own"],
): Promise<string[]> {
  const wrong: string[] = [];
  for (const viewer of viewers) {
    for (const scope of scopes) {
      const want = expected(row, viewer, scope);
      const got = await call(world, route, entry, kind, viewer, scope, form?.(viewer, scope));
      const label = `${viewer}${scopes.length > 1 ? `/${scope}` : ""}`;
      if ("error" in got) wrong.push(`${label}: expected ${want}, threw ${got.error}`);
      else if (!matches(want, got)) wrong.push(`${label}: expected ${want}, got ${got.status}${got.location ? ` → ${got.location}` : ""}`);
      else {
        if (REFUSALS.includes(want) && got.audited > 0) wrong.push(`${label}: refused (${got.status}) but wrote ${got.audited} audit row(s)`);
        for (const secret of world.secrets) {
          if (!secret.visibleTo.includes(viewer) && got.body.includes(secret.text)) wrong.push(`${label}: the answer shows ${secret.what}`);
        }
      }
    }
  }
  return wrong;
}

const routeIds = ROUTES.map((r) => r.id);

/** A row expecting the same outcome of every viewer. */
function sameFor(cell: Outcome): NonNullable<MatrixEntry["get"]> {
  return { admin: cell, coordinator: cell, socialWorker: cell, peerTutor: cell, trainer: cell, noRole: cell, anonymous: cell };
}

describe("authorisation matrix", () => {
  let world: AuthzWorld;
  beforeAll(async () => {
    world = await buildAuthzWorld();
  });

  it("has an entry for every route module", () => {
    expect(routeIds.filter((id) => !(id in MATRIX))).toEqual([]);
  });

  it("names only route modules that exist", () => {
    expect(Object.keys(MATRIX).filter((id) => !routeIds.includes(id))).toEqual([]);
  });

  it("describes exactly the loader and action each route has, and each dynamic segment", () => {
    const wrong: string[] = [];
    for (const route of ROUTES) {
      const entry = MATRIX[route.id];
      if (!entry) continue;
      if (Boolean(route.mod.loader) !== Boolean(entry.get)) wrong.push(`${route.id}: loader ${route.mod.loader ? "exists" : "missing"}, get ${entry.get ? "given" : "missing"}`);
      if (Boolean(route.mod.action) !== Boolean(entry.post)) wrong.push(`${route.id}: action ${route.mod.action ? "exists" : "missing"}, post ${entry.post ? "given" : "missing"}`);
      const want = dynamicParams(route.id).sort();
      const have = Object.keys(entry.params ?? {}).sort();
      if (want.join() !== have.join()) wrong.push(`${route.id}: params ${have.join() || "none"}, the route has ${want.join() || "none"}`);
    }
    expect(wrong).toEqual([]);
  });

  for (const route of ROUTES) {
    const entry = MATRIX[route.id];
    if (!entry) continue;
    for (const kind of ["get", "post"] as const) {
      const row = entry[kind];
      if (!row || !(kind === "get" ? route.mod.loader : route.mod.action)) continue;
      it(`${route.id} ${kind.toUpperCase()}: every viewer gets what §4 allows, never a 5xx`, async () => {
        expect(await runRow(world, route, entry, kind, row, VIEWERS)).toEqual([]);
      });
    }
  }

  it("client pages of another worker's client in the same district: 404 for the social worker and peer tutor, open to the coordinator", async () => {
    const wrong: string[] = [];
    for (const route of ROUTES) {
      const entry = MATRIX[route.id];
      if (entry?.params?.id !== "client" || !route.mod.loader) continue;
      const sibling: MatrixEntry = { params: { id: () => world.clientA2.id } };
      for (const viewer of ["socialWorker", "peerTutor"] as const) {
        wrong.push(...(await runRow(world, route, sibling, "get", sameFor("notFound"), [viewer], undefined, ["own"])).map((w) => `${route.id} ${w}`));
      }
      // the coordinator answers as for client A, in their district too
      wrong.push(...(await runRow(world, route, sibling, "get", entry.get!, ["coordinator"], undefined, ["own"])).map((w) => `${route.id} ${w}`));
    }
    expect(wrong).toEqual([]);
  });

  // Lists, searches and exports told to look at another district, studio, person or client: whatever
  // they answer, it is never a 5xx and never shows what the viewer may not see.
  const probe = (w: AuthzWorld): Record<string, string> => ({
    district: String(w.dB.id),
    districtId: String(w.dB.id),
    studio: String(w.entity.studio.other),
    studioId: String(w.entity.studio.other),
    person: String(w.pt2.personId),
    client: String(w.clientB.id),
    clientId: String(w.clientB.id),
    cohort: String(w.entity.cohort.other),
    q: "测试",
    status: "all",
  });
  const signedIn = VIEWERS.filter((v) => v !== "anonymous");
  for (const kind of ["get", "post"] as const) {
    it(`${kind === "get" ? "every page and feed" : "every export"} asked about district B (filters, search) shows no one's data out of the viewer's scope`, async () => {
      const wrong: string[] = [];
      for (const route of ROUTES) {
        const entry = MATRIX[route.id];
        if (!entry) continue;
        if (kind === "post" && !(route.mod.action && /\.(export|csv)$/.test(route.id))) continue;
        if (kind === "get" && !route.mod.loader) continue;
        const probed: MatrixEntry = {
          params: entry.params,
          query: kind === "get" ? () => `?${new URLSearchParams(probe(world)).toString()}` : undefined,
        };
        const row = sameFor("answers");
        const scopes: Scope[] = Object.keys(entry.params ?? {}).length > 0 ? ["own", "other"] : ["own"];
        const form = kind === "post" ? () => probe(world) : undefined;
        wrong.push(...(await runRow(world, route, probed, kind, row, signedIn, form, scopes)).map((w) => `${route.id} ${w}`));
      }
      expect(wrong).toEqual([]);
    });
  }

  const adminLast: Viewer[] = [...VIEWERS.filter((v) => v !== "admin"), "admin"];
  for (const check of INTENTS) {
    it(`${check.route} POST to ${check.label}: only those §4 allows succeed, the rest write nothing`, async () => {
      const route = ROUTES.find((r) => r.id === check.route);
      expect(route?.mod.action, `${check.route} has an action`).toBeDefined();
      // always own and other: the form names the record when the URL does not
      const entry: MatrixEntry = { params: check.params ?? MATRIX[check.route]?.params, query: () => "" };
      const wrong = await runRow(world, route!, entry, "post", check.post, adminLast, (viewer, scope) => check.form(world, viewer, scope));
      expect(wrong).toEqual([]);
    });
  }
});
