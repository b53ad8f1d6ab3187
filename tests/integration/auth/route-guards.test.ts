/**
 * Walks every route module under app/routes and proves deny-by-default:
 * - anonymous: page routes redirect to /login, resource routes answer 401, unless public;
 * - signed in without any role: 403, unless the route is open to any signed-in person.
 * A new route that forgets its guard fails here.
 */
import { describe, expect, it } from "vitest";
import { ANY_SIGNED_IN_ROUTES, PUBLIC_ROUTES } from "~/auth/public-routes";
import { makeRequest, makeSignedInUser, respond } from "../../factories";
import { ROUTES as routes } from "../../route-modules";

const isPublic = (id: string) => (PUBLIC_ROUTES as readonly string[]).includes(id);
const isAnySignedIn = (id: string) => (ANY_SIGNED_IN_ROUTES as readonly string[]).includes(id);

describe("every route guards itself", () => {
  it("finds the route modules", () => {
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.map((r) => r.id)).toContain("routes/login");
  });

  it("lists only routes that exist as public or open to any signed-in person", () => {
    const ids = routes.map((r) => r.id);
    for (const id of [...PUBLIC_ROUTES, ...ANY_SIGNED_IN_ROUTES]) expect(ids).toContain(id);
  });

  for (const { id, mod, path, params } of routes) {
    if (isPublic(id)) continue;
    const resource = mod.default === undefined;

    for (const kind of ["loader", "action"] as const) {
      const fn = mod[kind];
      if (!fn) continue;

      it(`${id} ${kind}: anonymous is ${resource ? "401" : "sent to /login"}`, async () => {
        const request = makeRequest(path, kind === "action" ? { method: "POST", form: {} } : {});
        const res = await respond(() => fn({ request, params, context: { cspNonce: "" } }));
        if (resource) {
          expect(res.status).toBe(401);
        } else {
          expect(res.status).toBe(302);
          expect(res.headers.get("Location")).toMatch(/^\/login/);
        }
      });

      if (!isAnySignedIn(id)) {
        it(`${id} ${kind}: a signed-in person without the role gets 403`, async () => {
          const { cookie } = await makeSignedInUser([]);
          const request = makeRequest(path, kind === "action" ? { method: "POST", cookie, form: {} } : { cookie });
          const res = await respond(() => fn({ request, params, context: { cspNonce: "" } }));
          expect(res.status).toBe(403);
        });
      }
    }
  }
});
