import { sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { persons, staffProfiles, userRoles, users } from "#db/schema";

/*
 * Who counts as an active social worker: the one rule, used by caseload assignment, the worker
 * choice lists, the reassignment queue and session facilitation.
 */

/**
 * SQL: the person (column `personExpr`) is an active social worker whose login, if any, is not
 * disabled: an active social-worker staff profile (in `districtId` when given), or an active login
 * holding the social_worker role. Social-worker role grants carry no district (normaliseRoles), so
 * for a district such a login counts when the person has no social-worker staff profile at all
 * (their district is unknown) or the grant names the district.
 */
export function activeSocialWorkerSql(personExpr: SQL, districtId?: number): SQL {
  const profileDistrict = districtId === undefined ? sql`` : sql` and sp.district_id = ${districtId}`;
  const roleDistrict =
    districtId === undefined
      ? sql``
      : sql` and (ur.district_id = ${districtId} or (ur.district_id is null and not exists (select 1 from ${staffProfiles} np where np.person_id = ${personExpr} and np.kind = 'social_worker')))`;
  return sql`(
    (exists (select 1 from ${staffProfiles} sp where sp.person_id = ${personExpr} and sp.kind = 'social_worker' and sp.active = 1${profileDistrict})
      and not exists (select 1 from ${users} du where du.person_id = ${personExpr} and du.active = 0))
    or exists (select 1 from ${users} su join ${userRoles} ur on ur.user_id = su.id
      where su.person_id = ${personExpr} and su.active = 1 and ur.role = 'social_worker'${roleDistrict})
  )`;
}

/** Whether one person is an active social worker (activeSocialWorkerSql). */
export function isActiveSocialWorker(db: Pick<Db, "get">, personId: number): boolean {
  return Boolean(db.get<{ ok: number }>(sql`select ${activeSocialWorkerSql(sql`${personId}`)} as ok`)?.ok);
}

/** Those of `personIds` who are active social workers (activeSocialWorkerSql), in one query. */
export function activeSocialWorkerIds(db: Pick<Db, "select">, personIds: readonly number[]): Set<number> {
  if (personIds.length === 0) return new Set();
  const ids = sql.join(personIds.map((id) => sql`${id}`), sql`, `);
  const rows = db
    .select({ id: persons.id })
    .from(persons)
    .where(sql`${persons.id} in (${ids}) and ${activeSocialWorkerSql(sql`${persons.id}`)}`)
    .all();
  return new Set(rows.map((r) => r.id));
}
