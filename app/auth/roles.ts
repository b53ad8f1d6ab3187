export const ROLES = ["admin", "coordinator", "social_worker", "peer_tutor", "trainer"] as const;
export type Role = (typeof ROLES)[number];

/** A role held by a user; districtId null means not limited to a district. */
export type RoleGrant = { role: Role; districtId: number | null };

/** What the rest of the app knows about the signed-in person. */
export type SessionUser = {
  id: number;
  personId: number;
  login: string;
  displayName: string;
  locale: "zh-CN" | "en" | null;
  mustChangePassword: boolean;
  roles: RoleGrant[];
  sessionId: string;
  /** "ok" once fully signed in; "verify"/"enrol" while a second factor is still to give or set up */
  secondFactor: "ok" | "verify" | "enrol";
};
