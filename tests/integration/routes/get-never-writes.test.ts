/**
 * GET never writes (a LiteFS deployment depends on it): every route loader, called with GET by a
 * signed-in person of each role and by an anonymous visitor, leaves the database unchanged —
 * except the one write ADR 0004 allows: an audit row recording a view of a client's record.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import type { Role } from "~/auth/roles";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";

type RouteModule = { loader?: (args: unknown) => unknown };
const modules = import.meta.glob<RouteModule>("../../../app/routes/**/*.{ts,tsx}", { eager: true });

function pathFor(file: string): { path: string; params: Record<string, string> } {
  const rel = file.replace(/^.*\/app\/routes\//, "").replace(/\/route\.tsx?$/, "").replace(/\.tsx?$/, "");
  const params: Record<string, string> = {};
  const segments = rel
    .split(".")
    .filter((s) => s !== "_index" && !s.startsWith("_"))
    .map((s) => {
      if (s.startsWith("$")) {
        params[s.slice(1) || "*"] = "1";
        return "1";
      }
      return s.replace(/[[\]]/g, "");
    });
  return { path: `/${segments.join("/")}`, params };
}

/** Changes on the app's connection, less the audit rows that record views of client records. */
function changes(): number {
  const client = getDb().$client;
  const total = (client.prepare("select total_changes() as n").get() as { n: number }).n;
  const views = (client.prepare("select count(*) as n from audit_log where action = 'view' and entity = 'client'").get() as { n: number }).n;
  return total - views;
}

const loaders = Object.entries(modules).filter(([file, mod]) => mod.loader && !/\/app\/routes\/[^/]+\/(?!route\.)/.test(file));

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
      for (const [file, mod] of loaders) {
        const { path, params } = pathFor(file);
        await respond(() => mod.loader!({ request: makeRequest(path, { cookie }), params, context: { cspNonce: "" } }));
        expect(changes(), `${file} wrote on GET for ${role}`).toBe(before);
      }
    });
  }
});
