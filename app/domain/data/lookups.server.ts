/**
 * Cached look-ups an import makes for every row (districts, logins, who may do what): each is
 * asked of the database once per import, inside the import's transaction.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { districts, subdistricts, userRoles } from "#db/schema";
import type { Role } from "~/auth/roles";
import { msg } from "~/domain/shared/fields";
import { activeSocialWorkerSql } from "~/domain/people/staff.server";
// directly, not through ~/domain/training (that index reaches back into the clients area)
import { mayPractiseOn } from "~/domain/training/practise.server";

export type LoginRow = { userId: number; personId: number; login: string; active: boolean; displayName: string };
export type Problem = { column: string; key: string };

export function lookups(tx: Db) {
  const districtRows = tx.select({ id: districts.id, code: districts.code, nameZh: districts.nameZh, nameEn: districts.nameEn, active: districts.active }).from(districts).all();
  const districtByName = new Map<string, (typeof districtRows)[number]>();
  // codes first: a name never shadows a code
  for (const d of districtRows) {
    for (const name of [d.nameEn.toLowerCase(), d.nameZh]) if (!districtByName.has(name)) districtByName.set(name, d);
  }
  for (const d of districtRows) districtByName.set(d.code.toLowerCase(), d);
  const districtById = new Map(districtRows.map((d) => [d.id, d]));
  const subRows = tx.select({ id: subdistricts.id, districtId: subdistricts.districtId, nameZh: subdistricts.nameZh, nameEn: subdistricts.nameEn, active: subdistricts.active }).from(subdistricts).all();
  const subById = new Map(subRows.map((s) => [s.id, s]));
  const logins = new Map<string, LoginRow | null>();
  const roleCache = new Map<string, boolean>();
  const swCache = new Map<string, boolean>();
  const ptCache = new Map<string, boolean>();

  return {
    /** a district by code, Chinese name or English name (any case) */
    district(value: string) {
      return districtByName.get(value.trim().toLowerCase()) ?? districtByName.get(value.trim());
    },
    districtById(id: number) {
      return districtById.get(id);
    },
    /** a subdistrict of the district by Chinese or English name; "elsewhere" when the name is only another district's */
    subdistrict(districtId: number, value: string): { id: number } | "unknown" | "elsewhere" | "ambiguous" {
      const v = value.trim().toLowerCase();
      const named = subRows.filter((s) => s.nameZh.toLowerCase() === v || s.nameEn.toLowerCase() === v);
      const here = named.filter((s) => s.districtId === districtId);
      if (here.length > 1) return "ambiguous";
      if (here.length === 1) return { id: here[0]!.id };
      return named.length ? "elsewhere" : "unknown";
    },
    subdistrictById(id: number) {
      return subById.get(id);
    },
    login(value: string): LoginRow | null {
      const login = value.trim().toLowerCase();
      if (!logins.has(login)) {
        const row = tx.get<{ userId: number; personId: number; login: string; active: number; displayName: string }>(
          sql`select u.id as userId, u.person_id as personId, u.login as login, u.active as active, p.display_name as displayName
              from users u join persons p on p.id = u.person_id where u.login = ${login}`,
        );
        logins.set(login, row ? { ...row, active: Boolean(row.active) } : null);
      }
      return logins.get(login)!;
    },
    /** whether the login holds the role (in any district), whether or not it is active now */
    holdsRole(user: LoginRow, roles: readonly Role[]): boolean {
      const k = `${user.userId}:${roles.join(",")}`;
      if (!roleCache.has(k)) {
        const found = roles.some((role) => tx.select({ id: userRoles.id }).from(userRoles).where(and(eq(userRoles.userId, user.userId), eq(userRoles.role, role))).get());
        roleCache.set(k, found);
      }
      return roleCache.get(k)!;
    },
    /** the active-social-worker rule of the people area, for the district */
    activeSocialWorkerIn(personId: number, districtId: number): boolean {
      const k = `${personId}:${districtId}`;
      if (!swCache.has(k)) {
        swCache.set(k, Boolean(tx.get<{ ok: number }>(sql`select ${activeSocialWorkerSql(sql`${personId}`, districtId)} as ok`)?.ok));
      }
      return swCache.get(k)!;
    },
    /** the training area's "may practise" rule */
    mayPractise(personId: number, onDate: string): boolean {
      const k = `${personId}:${onDate}`;
      if (!ptCache.has(k)) ptCache.set(k, mayPractiseOn(tx, personId, onDate));
      return ptCache.get(k)!;
    },
  };
}

export type Lookups = ReturnType<typeof lookups>;

/** A login cell that names a user: the user, or the problem. */
export function needLogin(l: Lookups, column: string, value: string): LoginRow | Problem {
  const user = l.login(value);
  return user ?? { column, key: msg("data.unknownLogin", { login: value.trim() }) };
}

export function isProblem(v: unknown): v is Problem {
  return typeof v === "object" && v !== null && "key" in v && "column" in v;
}
