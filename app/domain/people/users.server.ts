import { and, asc, count, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { districts, persons, userRoles, users } from "#db/schema";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { ROLES, type Role, type RoleGrant } from "~/auth/roles";
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
  if (found.length !== ids.length) throw new DomainError("form.unknownId", "districtIds");
}

/**
 * District scope makes sense for coordinators only; other roles are stored city-wide. A coordinator
 * who is city-wide needs no district grants besides (city-wide covers them all).
 */
export function normaliseRoles(roles: RoleGrant[]): RoleGrant[] {
  const seen = new Set<string>();
  const out: RoleGrant[] = [];
  const cityWideCoordinator = roles.some((r) => r.role === "coordinator" && r.districtId === null);
  for (const r of roles) {
    const grant = { role: r.role, districtId: r.role === "coordinator" && !cityWideCoordinator ? r.districtId : null };
    const key = `${grant.role}:${grant.districtId ?? ""}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(grant);
    }
  }
  return out.sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || (a.districtId ?? 0) - (b.districtId ?? 0));
}

function describeGrants(roles: RoleGrant[]): string[] {
  return roles.map((r) => `${r.role}${r.districtId ? `@${r.districtId}` : ""}`);
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE";
}

export async function createUser(db: Db, actor: Actor, input: NewUser): Promise<number> {
  const login = input.login.trim().toLowerCase();
  const roles = normaliseRoles(input.roles);
  if (db.select({ id: users.id }).from(users).where(eq(users.login, login)).get()) {
    throw new DomainError("admin.users.loginTaken", "login");
  }
  assertDistrictsExist(db, roles);
  const passwordHash = await hashPassword(input.password);
  try {
    return insertUser(db, actor, { ...input, login, roles, passwordHash });
  } catch (e) {
    // two admins creating the same login at once: the unique index decides, the form says why
    if (isUniqueViolation(e)) throw new DomainError("admin.users.loginTaken", "login");
    throw e;
  }
}

function insertUser(db: Db, actor: Actor, input: NewUser & { passwordHash: string }): number {
  const { login, roles, passwordHash } = input;
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
      details: { login, roles: describeGrants(roles), mustChangePassword: input.mustChangePassword ?? false },
    });
    return userId;
  });
}

export function setUserRoles(db: Db, actor: Actor, userId: number, rolesIn: RoleGrant[]): void {
  const roles = normaliseRoles(rolesIn);
  // an admin who took away their own admin role could lock everyone out of user management
  if (actor.userId === userId && !roles.some((r) => r.role === "admin")) {
    throw new DomainError("users.cannotDropOwnAdmin", "roles");
  }
  assertDistrictsExist(db, roles);
  db.transaction((tx) => {
    const user = tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).get();
    if (!user) throw new DomainError("form.unknownId");
    const before = tx
      .select({ role: userRoles.role, districtId: userRoles.districtId })
      .from(userRoles)
      .where(eq(userRoles.userId, userId))
      .all();
    tx.delete(userRoles).where(eq(userRoles.userId, userId)).run();
    for (const r of roles) tx.insert(userRoles).values({ userId, role: r.role, districtId: r.districtId }).run();
    recordAudit(tx, actor, {
      action: "update_roles",
      entity: "user",
      entityId: userId,
      details: { before: describeGrants(normaliseRoles(before)), roles: describeGrants(roles) },
    });
  });
}

export function updateUserProfile(db: Db, actor: Actor, userId: number, input: { displayName: string }): void {
  db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) throw new DomainError("form.unknownId");
    const before = tx.select({ displayName: persons.displayName }).from(persons).where(eq(persons.id, user.personId)).get();
    tx.update(persons)
      .set({ displayName: input.displayName, updatedAt: new Date().toISOString() })
      .where(eq(persons.id, user.personId))
      .run();
    recordAudit(tx, actor, {
      action: "update",
      entity: "user",
      entityId: userId,
      details: { before: before?.displayName ?? null, displayName: input.displayName },
    });
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

/** An admin lifts a lock left by too many failed sign-ins; the failure count starts again. */
export function unlockUser(db: Db, actor: Actor, userId: number): void {
  db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) throw new DomainError("form.unknownId");
    tx.update(users)
      .set({ failedLoginCount: 0, lockedUntil: null, updatedAt: new Date().toISOString() })
      .where(eq(users.id, userId))
      .run();
    recordAudit(tx, actor, {
      action: "unlock",
      entity: "user",
      entityId: userId,
      details: { login: user.login, lockedUntil: user.lockedUntil },
    });
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

export type UserListFilter = {
  /** part of the login name or the display name */
  q?: string;
  role?: Role;
  /** users holding a grant limited to this district (coordinators) */
  districtId?: number;
  active?: boolean;
  /** only accounts locked right now (true) or not locked (false) */
  locked?: boolean;
  /** "now" for the locked filter; defaults to the current time */
  now?: Date;
};

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
    // LIKE with its wildcards escaped, so "a_b" finds "a_b" and not "axb"
    const q = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(or(sql`${users.login} like ${q} escape '\\'`, sql`${persons.displayName} like ${q} escape '\\'`)!);
  }
  if (filter.active !== undefined) parts.push(eq(users.active, filter.active));
  if (filter.locked !== undefined) {
    const now = (filter.now ?? new Date()).toISOString();
    parts.push(
      filter.locked
        ? sql`${users.lockedUntil} > ${now}`
        : sql`(${users.lockedUntil} is null or ${users.lockedUntil} <= ${now})`,
    );
  }
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
    ? db.select().from(userRoles).where(inArray(userRoles.userId, ids)).all()
    : [];
  return {
    rows: rows.map((r) => ({
      ...r,
      roles: normaliseRoles(grants.filter((g) => g.userId === r.id).map((g) => ({ role: g.role, districtId: g.districtId }))),
    })),
    total,
  };
}

export type UserDetail = UserListRow & {
  mustChangePassword: boolean;
  locale: string | null;
  createdAt: string;
  passwordChangedAt: string | null;
};

export function getUser(db: Db, userId: number): UserDetail | null {
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
      createdAt: users.createdAt,
      passwordChangedAt: users.passwordChangedAt,
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
  return { ...row, roles: normaliseRoles(roles) };
}

export function findUserIdByLogin(db: Db, login: string): number | null {
  return db.select({ id: users.id }).from(users).where(eq(users.login, login.trim().toLowerCase())).get()?.id ?? null;
}

/** Accounts locked right now (for the admin's attention). */
export function countLockedUsers(db: Db, now = new Date()): number {
  return db.select({ n: count() }).from(users).where(sql`${users.lockedUntil} > ${now.toISOString()}`).get()?.n ?? 0;
}

type Writer = Pick<Db, "select" | "insert">;

/**
 * Gives the login of a person (if they have one) a city-wide role they do not hold yet, audited.
 * Used when a rule of another area makes someone, say, a peer tutor (certification).
 * Returns whether a role was added.
 */
export function grantRoleToPerson(tx: Writer, actor: Actor, personId: number, role: Role): boolean {
  const user = tx.select({ id: users.id, login: users.login }).from(users).where(eq(users.personId, personId)).get();
  if (!user) return false;
  const held = tx
    .select({ id: userRoles.id })
    .from(userRoles)
    .where(and(eq(userRoles.userId, user.id), eq(userRoles.role, role)))
    .get();
  if (held) return false;
  tx.insert(userRoles).values({ userId: user.id, role, districtId: null }).run();
  recordAudit(tx, actor, { action: "grant_role", entity: "user", entityId: user.id, details: { login: user.login, role } });
  return true;
}
