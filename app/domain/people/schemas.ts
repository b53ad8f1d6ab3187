/**
 * Field rules of the user-account forms (CONVENTIONS.md pattern 3), shared by the create and edit
 * forms. Client-safe: no database, no server modules.
 */
import { z } from "zod";
import { ROLES, type RoleGrant } from "~/auth/roles";
import { choice, id, msg, text } from "~/domain/shared/fields";

/** How a person is shown everywhere; names are not split into first/last. */
export const displayName = text({ max: 80 });

/** The roles ticked on the form: at least one. */
export const roleChoices = z
  .array(choice(ROLES), { error: "users.rolesRequired" })
  .min(1, { error: "users.rolesRequired" })
  .max(ROLES.length * 2, { error: "form.unknownChoice" });

/** The coordinator's districts ticked on the form: none means city-wide. */
export const districtChoices = z
  .array(id, { error: "form.unknownId" })
  .max(100, { error: msg("users.tooManyDistricts", { max: 100 }) });

/** Turns ticked roles and districts into grants: only a coordinator is limited to districts. */
export function grantsFromForm(input: { roles: RoleGrant["role"][]; districtIds: number[] }): RoleGrant[] {
  const districtIds = [...new Set(input.districtIds)];
  return [...new Set(input.roles)].flatMap((role): RoleGrant[] =>
    role === "coordinator" && districtIds.length > 0
      ? districtIds.map((districtId) => ({ role, districtId }))
      : [{ role, districtId: null }],
  );
}

/** The form fields that can repeat (checkbox groups). */
export const REPEATED_FIELDS = ["roles", "districtIds"] as const;
