import { and, asc, count, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { districts, persons, userRoles, users } from "#db/schema";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import type { Role, RoleGrant } from "~/auth/roles";
import { invalidateUserSessions } from "~/auth/session.server";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";

export type NewUser = {
  login: string;
  displayName: string;
  password: string;
  roles: RoleGrant[];
  locale?: "zh-CN" | "en" | null;
  mustChangePassword?: boolean;
  /** link the login to an existing person (a staff member, a peer tutor) instead of creating one */
  personId?: number;
};

function assertDistrictsExist(db: Db, roles: RoleGrant[]): void {
  const ids = [...new Set(roles.map((r) => r.districtId).filter((d): d is number => d !== null))];
  if (!ids.length) return;
  const found = db.select({ id: districts.id }).from(districts).where(inArray(districts.id, ids)).all();
  if (found.length !== ids.length) throw new DomainError("form.unknownId", "roles");
}

/** District scope makes sense for coordinators only; other roles are stored city-wide. */
export function normaliseRoles(roles: RoleGrant[]): RoleGrant[] {
  const seen = new Set<string>();
  const out: RoleGrant[] = [];
  for (const r of roles) {
    const grant = { role: r.role, districtId: r.role === "coordinator" ? r.districtId : null };
    const key = `${grant.role}:${grant.districtId ?? ""}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(grant);
    }
  }
  return out;
}

export async function createUser(db: Db, actor: Actor, input: NewUser): Promise<number> {
  const login = input.login.trim().toLowerCase();
  const roles = normaliseRoles(input.roles);
  if (db.select({ id: users.id }).from(users).where(eq(users.login, login)).get()) {
    throw new DomainError("admin.users.loginTaken", "login");
  }
  assertDistrictsExist(db, roles);
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx) => {
    const personId =
      input.personId ??
      tx.insert(persons).values({ displayName: input.displayName }).returning({ id: persons.id }).get().id;
    const userId = tx
      .insert(users)
      .values({
        personId,
        login,
        passwordHash,
        locale: input.locale ?? null,
        mustChangePassword: input.mustChangePassword ?? false,
        passwordChangedAt: new Date().toISOString(),
      })
      .returning({ id: users.id })
      .get().id;
    for (const r of roles) tx.insert(userRoles).values({ userId, role: r.role, districtId: r.districtId }).run();
    recordAudit(tx, actor, {
      action: "create",
      entity: "user",
      entityId: userId,
      details: { login, roles: roles.map((r) => `${r.role}${r.districtId ? `@${r.districtId}` : ""}`) },
    });
    return userId;
  });
}

export function setUserRoles(db: Db, actor: Actor, userId: number, rolesIn: RoleGrant[]): void {
  const roles = normaliseRoles(rolesIn);
  assertDistrictsExist(db, roles);
  db.transaction((tx) => {
    const user = tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).get();
    if (!user) throw new DomainError("form.unknownId");
    tx.delete(userRoles).where(eq(userRoles.userId, userId)).run();
    for (const r of roles) tx.insert(userRoles).values({ userId, role: r.role, districtId: r.districtId }).run();
    recordAudit(tx, actor, {
      action: "update_roles",
      entity: "user",
      entityId: userId,
      details: { roles: roles.map((r) => `${r.role}${r.districtId ? `@${r.districtId}` : ""}`) },
    });
  });
}

export function updateUserProfile(db: Db, actor: Actor, userId: number, input: { displayName: string }): void {
  db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) throw new DomainError("form.unknownId");
    tx.update(persons)
      .set({ displayName: input.displayName, updatedAt: new Date().toISOString() })
      .where(eq(persons.id, user.personId))
      .run();
    recordAudit(tx, actor, { action: "update", entity: "user", entityId: userId, details: { displayName: input.displayName } });
  });
}

export function setUserActive(db: Db, actor: Actor, userId: number, active: boolean): void {
  if (actor.userId === userId && !active) throw new DomainError("admin.users.cannotDisableSelf");
  db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) throw new DomainError("form.unknownId");
    tx.update(users)
      .set({ active, failedLoginCount: 0, lockedUntil: null, updatedAt: new Date().toISOString() })
      .where(eq(users.id, userId))
      .run();
    if (!active) invalidateUserSessions(tx, userId);
    recordAudit(tx, actor, { action: active ? "enable" : "disable", entity: "user", entityId: userId, details: { login: user.login } });
  });
}

/** An admin sets a temporary password; the person must choose a new one at next sign-in. */
export async function resetPassword(db: Db, actor: Actor, userId: number, temporaryPassword: string): Promise<void> {
  const passwordHash = await hashPassword(temporaryPassword);
  db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) throw new DomainError("form.unknownId");
    tx.update(users)
      .set({
        passwordHash,
        mustChangePassword: true,
        failedLoginCount: 0,
        lockedUntil: null,
        passwordChangedAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      })
      .where(eq(users.id, userId))
      .run();
    invalidateUserSessions(tx, userId);
    recordAudit(tx, actor, { action: "reset_password", entity: "user", entityId: userId, details: { login: user.login } });
  });
}

/** The person changes their own password; every other session of theirs ends. */
export async function changeOwnPassword(
  db: Db,
  actor: Actor,
  input: { userId: number; currentSessionId: string; current: string; next: string },
): Promise<void> {
  const user = db.select().from(users).where(eq(users.id, input.userId)).get();
  if (!user) throw new DomainError("form.unknownId");
  if (!(await verifyPassword(user.passwordHash, input.current))) {
    throw new DomainError("account.password.wrongCurrent", "current");
  }
  if (input.current === input.next) throw new DomainError("account.password.sameAsOld", "next");
  const passwordHash = await hashPassword(input.next);
  db.transaction((tx) => {
    const now = new Date().toISOString();
    tx.update(users)
      .set({ passwordHash, mustChangePassword: false, passwordChangedAt: now, updatedAt: now })
      .where(eq(users.id, input.userId))
      .run();
    invalidateUserSessions(tx, input.userId, input.currentSessionId);
    recordAudit(tx, actor, { action: "change_password", entity: "user", entityId: input.userId });
  });
}

export function setUserLocale(db: Db, actor: Actor, userId: number, locale: "zh-CN" | "en"): void {
  db.transaction((tx) => {
    tx.update(users).set({ locale, updatedAt: new Date().toISOString() }).where(eq(users.id, userId)).run();
    recordAudit(tx, actor, { action: "set_locale", entity: "user", entityId: userId, details: { locale } });
  });
}

export type UserListFilter = { q?: string; role?: Role; districtId?: number; active?: boolean };

export type UserListRow = {
  id: number;
  login: string;
  displayName: string;
  active: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  roles: RoleGrant[];
};

export function listUsers(
  db: Db,
  filter: UserListFilter,
  page: { limit: number; offset: number },
): { rows: UserListRow[]; total: number } {
  const parts: SQL[] = [];
  if (filter.q) {
    const q = `%${filter.q.replace(/[%_]/g, "")}%`;
    parts.push(or(like(users.login, q), like(persons.displayName, q))!);
  }
  if (filter.active !== undefined) parts.push(eq(users.active, filter.active));
  if (filter.role || filter.districtId) {
    const roleParts: SQL[] = [sql`ur.user_id = ${users.id}`];
    if (filter.role) roleParts.push(sql`ur.role = ${filter.role}`);
    if (filter.districtId) roleParts.push(sql`ur.district_id = ${filter.districtId}`);
    parts.push(sql`exists (select 1 from user_roles ur where ${sql.join(roleParts, sql` and `)})`);
  }
  const where = parts.length ? and(...parts) : undefined;
  const rows = db
    .select({
      id: users.id,
      login: users.login,
      displayName: persons.displayName,
      active: users.active,
      lockedUntil: users.lockedUntil,
      lastLoginAt: users.lastLoginAt,
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(where)
    .orderBy(asc(users.login))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  const total = db.select({ n: count() }).from(users).innerJoin(persons, eq(persons.id, users.personId)).where(where).get()?.n ?? 0;
  const ids = rows.map((r) => r.id);
  const grants = ids.length
    ? db.select().from(userRoles).where(inArray(userRoles.userId, ids)).orderBy(userRoles.role).all()
    : [];
  return {
    rows: rows.map((r) => ({
      ...r,
      roles: grants.filter((g) => g.userId === r.id).map((g) => ({ role: g.role, districtId: g.districtId })),
    })),
    total,
  };
}

export function getUser(db: Db, userId: number): (UserListRow & { mustChangePassword: boolean; locale: string | null }) | null {
  const row = db
    .select({
      id: users.id,
      login: users.login,
      displayName: persons.displayName,
      active: users.active,
      lockedUntil: users.lockedUntil,
      lastLoginAt: users.lastLoginAt,
      mustChangePassword: users.mustChangePassword,
      locale: users.locale,
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(users.id, userId))
    .get();
  if (!row) return null;
  const roles = db
    .select({ role: userRoles.role, districtId: userRoles.districtId })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))
    .all();
  return { ...row, roles };
}

export function findUserIdByLogin(db: Db, login: string): number | null {
  return db.select({ id: users.id }).from(users).where(eq(users.login, login.trim().toLowerCase())).get()?.id ?? null;
}

/** Accounts locked right now (for the admin's attention). */
export function countLockedUsers(db: Db, now = new Date()): number {
  return db.select({ n: count() }).from(users).where(sql`${users.lockedUntil} > ${now.toISOString()}`).get()?.n ?? 0;
}
