/**
 * The permission module encodes DESIGN.md section 4. Each role's answers are checked against
 * that table, including district scope for coordinators and own scope for caseloads.
 */
import { describe, expect, it } from "vitest";
import { navigationFor } from "~/auth/navigation";
import { ACTIONS, ENTITIES, ROLE_PERMISSIONS, can, hasRole, roleDistricts, rowScope, type PermissionRequest } from "~/auth/permissions";
import { ROLES, type RoleGrant } from "~/auth/roles";

const as = (...roles: RoleGrant[]) => ({ roles });
const admin = as({ role: "admin", districtId: null });
const coordinatorOf7 = as({ role: "coordinator", districtId: 7 });
const cityCoordinator = as({ role: "coordinator", districtId: null });
const socialWorker = as({ role: "social_worker", districtId: null });
const peerTutor = as({ role: "peer_tutor", districtId: null });
const trainer = as({ role: "trainer", districtId: null });
const nobody = as();

describe("permission strings", () => {
  it("every granted permission is a known action:entity:scope", () => {
    for (const role of ROLES) {
      for (const p of ROLE_PERMISSIONS[role]) {
        const [action, entity, scope] = p.split(":");
        expect(ACTIONS).toContain(action);
        expect(ENTITIES).toContain(entity);
        expect(["any", "district", "own"]).toContain(scope);
      }
    }
  });

  it("a person without roles may do nothing at all", () => {
    for (const action of ACTIONS) for (const entity of ENTITIES) expect(can(nobody, `${action}:${entity}`)).toBe(false);
    expect(rowScope(nobody, "read:client")).toEqual({ kind: "none" });
  });
});

// The table of DESIGN.md §4, row by row: [permission, admin, coordinator, social worker, peer tutor, trainer].
const TABLE: [PermissionRequest, boolean, boolean, boolean, boolean, boolean][] = [
  ["read:org", true, true, true, true, true],
  ["edit:org", true, false, false, false, false],
  ["read:session", true, true, true, true, true],
  ["edit:session", true, true, false, false, false],
  ["attend:session", true, true, true, true, false],
  ["read:client", true, true, true, true, false],
  ["edit:client", false, false, true, false, false],
  ["reveal:clientIdentity", true, false, true, false, false],
  ["read:caseRecord", true, true, true, true, false],
  // plans, events, recognitions: the social worker only; a peer tutor adds contacts
  ["create:caseRecord", false, false, true, false, false],
  ["read:contact", true, true, true, true, false],
  ["create:contact", false, false, true, true, false],
  ["assign:caseload", true, true, false, false, false],
  ["edit:caseRecord", false, false, true, false, false],
  ["approve:plan", true, true, false, false, false],
  ["read:training", true, true, true, false, true],
  ["edit:training", true, false, false, false, true],
  ["certify:training", true, false, false, false, true],
  ["edit:certificate", true, false, false, false, true],
  ["read:certificate", true, true, true, true, true],
  ["read:hours", true, true, true, true, true],
  ["approve:hours", true, true, false, false, false],
  ["log:hours", true, true, true, true, true],
  ["read:report", true, true, true, true, true],
  ["read:user", true, false, false, false, false],
  ["edit:user", true, false, false, false, false],
  ["read:audit", true, false, false, false, false],
  ["edit:settings", true, false, false, false, false],
];

describe("each role gets the answers of DESIGN.md §4", () => {
  const holders = { admin, coordinator: coordinatorOf7, social_worker: socialWorker, peer_tutor: peerTutor, trainer };
  for (const [permission, ...expected] of TABLE) {
    it(`${permission}: admin ${expected[0]}, coordinator ${expected[1]}, social worker ${expected[2]}, peer tutor ${expected[3]}, trainer ${expected[4]}`, () => {
      const answers = Object.values(holders).map((h) => can(h, permission));
      expect(answers).toEqual(expected);
    });
  }
});

describe("district scope", () => {
  it("a coordinator may edit sessions in their own district", () => {
    expect(can(coordinatorOf7, "edit:session", { districtId: 7 })).toBe(true);
  });

  it("a coordinator may not edit sessions or read clients in another district", () => {
    expect(can(coordinatorOf7, "edit:session", { districtId: 8 })).toBe(false);
    expect(can(coordinatorOf7, "read:client", { districtId: 8 })).toBe(false);
    expect(can(coordinatorOf7, "approve:hours", { districtId: 8 })).toBe(false);
  });

  it("a coordinator may not act on a record whose district is unknown", () => {
    expect(can(coordinatorOf7, "read:client", { districtId: null })).toBe(false);
    expect(can(coordinatorOf7, "read:client", {})).toBe(false);
  });

  it("a city-wide coordinator grant covers every district", () => {
    expect(can(cityCoordinator, "read:client", { districtId: 8 })).toBe(true);
    expect(rowScope(cityCoordinator, "read:client")).toEqual({ kind: "all" });
  });

  it("a coordinator of two districts covers both and no third", () => {
    const two = as({ role: "coordinator", districtId: 9 }, { role: "coordinator", districtId: 7 });
    expect(can(two, "read:client", { districtId: 7 })).toBe(true);
    expect(can(two, "read:client", { districtId: 9 })).toBe(true);
    expect(can(two, "read:client", { districtId: 8 })).toBe(false);
    expect(rowScope(two, "read:client")).toEqual({ kind: "districts", districtIds: [7, 9], alsoOwn: false });
  });

  it("being in the district does not grant an own-only permission", () => {
    expect(can(coordinatorOf7, "reveal:clientIdentity", { districtId: 7 })).toBe(false);
  });
});

describe("own scope", () => {
  it("a social worker may edit a client of their own caseload but no other", () => {
    expect(can(socialWorker, "edit:client", { own: true })).toBe(true);
    expect(can(socialWorker, "edit:client", { own: false })).toBe(false);
    expect(can(socialWorker, "edit:client", { districtId: 7 })).toBe(false);
  });

  it("a peer tutor may read and add to their own mentees' records only", () => {
    expect(can(peerTutor, "create:contact", { own: true })).toBe(true);
    expect(can(peerTutor, "create:contact", { own: false })).toBe(false);
    expect(can(peerTutor, "create:caseRecord", { own: true })).toBe(false);
    expect(can(peerTutor, "edit:client", { own: true })).toBe(false);
    expect(can(peerTutor, "read:certificate", { own: false })).toBe(false);
    expect(can(peerTutor, "read:certificate", { own: true })).toBe(true);
  });

  it("a trainer certifies only in their own cohorts", () => {
    expect(can(trainer, "certify:training", { own: true })).toBe(true);
    expect(can(trainer, "certify:training", { own: false })).toBe(false);
  });

  it("an admin's any scope covers every record", () => {
    expect(can(admin, "read:client", { districtId: 8, own: false })).toBe(true);
    expect(can(admin, "reveal:clientIdentity", { own: false })).toBe(true);
  });
});

describe("rowScope", () => {
  it("gives an admin all client rows", () => {
    expect(rowScope(admin, "read:client")).toEqual({ kind: "all" });
  });

  it("gives a district coordinator only their districts", () => {
    expect(rowScope(coordinatorOf7, "read:client")).toEqual({ kind: "districts", districtIds: [7], alsoOwn: false });
  });

  it("gives a social worker and a peer tutor only their own clients", () => {
    expect(rowScope(socialWorker, "read:client")).toEqual({ kind: "own" });
    expect(rowScope(peerTutor, "read:client")).toEqual({ kind: "own" });
  });

  it("gives a trainer no client rows", () => {
    expect(rowScope(trainer, "read:client")).toEqual({ kind: "none" });
  });

  it("combines a district coordinator's districts with the own rows of another role", () => {
    const both = as({ role: "coordinator", districtId: 7 }, { role: "social_worker", districtId: null });
    expect(rowScope(both, "read:client")).toEqual({ kind: "districts", districtIds: [7], alsoOwn: true });
  });

  it("lets the widest grant win when a person holds several roles", () => {
    const both = as({ role: "social_worker", districtId: null }, { role: "admin", districtId: null });
    expect(rowScope(both, "read:client")).toEqual({ kind: "all" });
    expect(can(both, "edit:client", { own: true })).toBe(true);
  });
});

describe("role helpers", () => {
  it("hasRole and roleDistricts report a person's grants", () => {
    const two = as({ role: "coordinator", districtId: 3 }, { role: "trainer", districtId: null });
    expect(hasRole(two, "coordinator")).toBe(true);
    expect(hasRole(two, "admin")).toBe(false);
    expect(roleDistricts(two, "coordinator")).toEqual([3]);
    expect(roleDistricts(cityCoordinator, "coordinator")).toBeNull();
  });
});

describe("navigationFor", () => {
  const paths = (h: { roles: RoleGrant[] }) => navigationFor(h).map((i) => i.to);

  it("shows an admin users, settings and the audit log", () => {
    expect(paths(admin)).toEqual(expect.arrayContaining(["/", "/organisation", "/admin/users", "/admin/settings", "/admin/audit"]));
  });

  for (const [name, holder] of Object.entries({ coordinator: coordinatorOf7, social_worker: socialWorker, peer_tutor: peerTutor, trainer })) {
    it(`shows a ${name} no administration pages`, () => {
      const p = paths(holder);
      expect(p).toContain("/");
      expect(p).toContain("/organisation");
      expect(p.filter((x) => x.startsWith("/admin"))).toEqual([]);
    });
  }

  it("shows a person without roles only home", () => {
    expect(paths(nobody)).toEqual(["/"]);
  });
});
