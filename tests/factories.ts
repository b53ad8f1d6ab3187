/**
 * Builders for test data. Every person here is fictional and named so ("测试…", "Test …").
 * Tests build what they need with these; no fixtures are copied between tests.
 */
import { getDb } from "~/db.server";
import type { RoleGrant } from "~/auth/roles";
import { createSession, generateSessionToken } from "~/auth/session.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { createUser } from "~/domain/people";
import { districts, subdistricts, workstations, socialWorkPoints, studios } from "#db/schema";

let seq = 0;
const next = () => ++seq;

export const TEST_PASSWORD = "correct-horse-battery";

export function makeDistrict(overrides: Partial<typeof districts.$inferInsert> = {}) {
  const n = next();
  return getDb()
    .insert(districts)
    .values({ code: `test-${n}`, nameZh: `测试区${n}`, nameEn: `Test District ${n}`, ...overrides })
    .returning()
    .get();
}

export function makeSubdistrict(districtId: number) {
  const n = next();
  return getDb().insert(subdistricts).values({ districtId, nameZh: `测试街道${n}`, nameEn: `Test Subdistrict ${n}` }).returning().get();
}

export function makeWorkstation(districtId: number) {
  const n = next();
  return getDb().insert(workstations).values({ districtId, nameZh: `测试工作站${n}`, nameEn: `Test Workstation ${n}`, address: "虚构路1号" }).returning().get();
}

export function makePoint(districtId: number, subdistrictId: number) {
  const n = next();
  return getDb()
    .insert(socialWorkPoints)
    .values({ districtId, subdistrictId, nameZh: `测试社工点${n}`, nameEn: `Test Point ${n}`, address: "虚构路2号" })
    .returning()
    .get();
}

export function makeStudio(districtId: number) {
  const n = next();
  return getDb()
    .insert(studios)
    .values({
      districtId,
      nameZh: `测试工作室${n}`,
      nameEn: `Test Studio ${n}`,
      address: "虚构路3号",
      capacity: 20,
      openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: "09:00", closes: "17:00" })),
    })
    .returning()
    .get();
}

export async function makeUser(roles: RoleGrant[], overrides: { login?: string; password?: string; mustChangePassword?: boolean } = {}) {
  const n = next();
  const login = overrides.login ?? `testuser${n}`;
  const id = await createUser(getDb(), SYSTEM_ACTOR, {
    login,
    displayName: `测试用户${n}（虚构）`,
    password: overrides.password ?? TEST_PASSWORD,
    roles,
    mustChangePassword: overrides.mustChangePassword ?? false,
  });
  return { id, login };
}

/** A signed-in session for a user: the Cookie header value to send. */
export function signIn(userId: number): string {
  const token = generateSessionToken();
  createSession(getDb(), token, userId, { ip: "127.0.0.1", userAgent: "vitest" });
  return `tb_session=${token}`;
}

export async function makeSignedInUser(roles: RoleGrant[], overrides: Parameters<typeof makeUser>[1] = {}) {
  const user = await makeUser(roles, overrides);
  return { ...user, cookie: signIn(user.id) };
}

/** A Request as the Express server would pass it to Remix. */
export function makeRequest(
  pathname: string,
  options: { method?: string; cookie?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  headers.set("x-tongban-client-ip", "127.0.0.1");
  let body: URLSearchParams | undefined;
  if (options.form) {
    body = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(`http://localhost${pathname}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
}

/** Runs a loader or action and returns the Response it returned or threw (data() results become status 200 / init.status). */
export async function respond(fn: () => unknown): Promise<{ status: number; headers: Headers; body: unknown }> {
  try {
    const result = await fn();
    if (result instanceof Response) return { status: result.status, headers: result.headers, body: result };
    if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
      const d = result as { data: unknown; init?: { status?: number; headers?: HeadersInit } };
      return { status: d.init?.status ?? 200, headers: new Headers(d.init?.headers), body: d.data };
    }
    return { status: 200, headers: new Headers(), body: result };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, headers: e.headers, body: e };
    throw e;
  }
}
