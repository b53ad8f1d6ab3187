/**
 * GET never writes (a LiteFS deployment depends on it): every route loader, called with GET by a
 * signed-in person of each role and by an anonymous visitor, leaves the database unchanged —
 * except the writes ADR 0004 allows: audit rows recording a view of a client's record (and, on the
 * held-data page, the identity it shows).
 */
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import type { Role } from "~/auth/roles";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { ROUTES } from "../../route-modules";

/** Changes on the app's connection, less the audit rows that record views of client records. */
function changes(): number {
  const client = getDb().$client;
  const total = (client.prepare("select total_changes() as n").get() as { n: number }).n;
  const views = (client.prepare("select count(*) as n from audit_log where action in ('view', 'reveal_identity') and entity = 'client'").get() as { n: number }).n;
  return total - views;
}

const loaders = ROUTES.filter((r) => r.mod.loader);

describe("GET never writes", () => {
  it("covers the route loaders", () => {
    expect(loaders.length).toBeGreaterThan(5);
  });

  const roles: (Role | "anonymous")[] = ["anonymous", "admin", "coordinator", "social_worker", "peer_tutor", "trainer"];
  for (const role of roles) {
    it(`no loader writes for ${role}`, async () => {
      const district = makeDistrict();
      const cookie = role === "anonymous" ? undefined : (await makeSignedInUser([{ role, districtId: role === "coordinator" ? district.id : null }])).cookie;
      const before = changes();
      for (const { id, path, params, mod } of loaders) {
        await respond(() => mod.loader!({ request: makeRequest(path, { cookie }), params, context: { cspNonce: "" } }));
        expect(changes(), `${id} wrote on GET for ${role}`).toBe(before);
      }
    });
  }
});
