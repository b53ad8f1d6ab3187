import { z } from "zod";
import type { Db } from "../db/client";
import { ROLES, type Role, type RoleGrant } from "../app/auth/roles";
import { SYSTEM_ACTOR } from "../app/domain/audit";
import { createUser, findUserIdByLogin, resetPassword, setUserActive } from "../app/domain/people";
import { listDistricts } from "../app/domain/organisation";
import { loginName, newPassword } from "../app/domain/shared/fields";
import { isDomainError } from "../app/domain/shared/errors";
import { translate } from "../app/i18n/translate";
import type { MessageKey } from "../app/i18n/messages";
import { demoCommand } from "./demo";
import { exportCommand, importCommand } from "./data";
import { backupCommand, restoreCommand } from "./backup";
import { reportCommand } from "./report";
import { notifyCommand } from "./notify";
import { retentionCommand } from "./privacy";
import { rekeyCommand } from "./rekey";

export type CommandContext = {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  /** opens (and migrates) the database on first call */
  db: () => Db;
  databaseUrl: string;
};

export type Command = {
  name: string;
  usage: string;
  summary: string;
  options?: Record<string, { type: "string" | "boolean"; short?: string; multiple?: false }>;
  run: (ctx: CommandContext) => Promise<void> | void;
};

/** A one-line reason for the operator, in English. */
export class CommandError extends Error {}

const CLI_ACTOR = { ...SYSTEM_ACTOR, login: "cli" };

function explain(e: unknown): never {
  if (isDomainError(e)) {
    const [key, query] = e.key.split("?", 2);
    const params = query ? Object.fromEntries(new URLSearchParams(query)) : undefined;
    throw new CommandError(`${e.field !== "_form" ? `${e.field}: ` : ""}${translate("en", key as MessageKey, params)}`);
  }
  throw e;
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const [key, query] = (r.error.issues[0]?.message ?? "form.invalid").split("?", 2);
    const params = query ? Object.fromEntries(new URLSearchParams(query)) : undefined;
    throw new CommandError(`${what}: ${translate("en", key as MessageKey, params)}`);
  }
  return r.data;
}

function requireLogin(db: Db, login: string | undefined): number {
  if (!login) throw new CommandError("give the login name");
  const id = findUserIdByLogin(db, login);
  if (!id) throw new CommandError(`no user with login "${login}"`);
  return id;
}

/** "coordinator@huangpu,social_worker" → grants; districts by code or name. */
function parseRoles(db: Db, spec: string): RoleGrant[] {
  const all = listDistricts(db);
  return spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const [role, district] = part.split("@", 2) as [string, string | undefined];
      if (!(ROLES as readonly string[]).includes(role)) throw new CommandError(`unknown role "${role}" (roles: ${ROLES.join(", ")})`);
      if (!district) return { role: role as Role, districtId: null };
      const d = all.find((x) => x.code === district || x.nameZh === district || x.nameEn.toLowerCase() === district.toLowerCase());
      if (!d) throw new CommandError(`unknown district "${district}"`);
      return { role: role as Role, districtId: d.id };
    });
}

function passwordFrom(ctx: CommandContext): string {
  const value = ctx.values.password ?? process.env.TONGBAN_PASSWORD;
  if (typeof value !== "string") throw new CommandError("give --password (or TONGBAN_PASSWORD in the environment)");
  return check(newPassword, value, "password");
}

export const commands: Command[] = [
  {
    name: "migrate",
    usage: "migrate",
    summary: "apply the database migrations",
    run: (ctx) => {
      ctx.db();
      console.log(`migrated ${ctx.databaseUrl}`);
    },
  },
  {
    name: "user create",
    usage: "user create <login> --name NAME --roles R[@district],… --password P",
    summary: "create a login (must change password at first sign-in)",
    options: { name: { type: "string" }, roles: { type: "string" }, password: { type: "string" }, "no-change": { type: "boolean" } },
    run: async (ctx) => {
      const login = check(loginName, ctx.positionals[0] ?? "", "login");
      const name = ctx.values.name;
      if (typeof name !== "string" || !name.trim()) throw new CommandError("give --name");
      const db = ctx.db();
      const roles = parseRoles(db, typeof ctx.values.roles === "string" ? ctx.values.roles : "");
      const password = passwordFrom(ctx);
      const id = await createUser(db, CLI_ACTOR, {
        login,
        displayName: name.trim().slice(0, 80),
        password,
        roles,
        mustChangePassword: ctx.values["no-change"] !== true,
      }).catch(explain);
      console.log(`created user ${login} (id ${id})`);
    },
  },
  {
    name: "user disable",
    usage: "user disable <login>",
    summary: "disable a login and end its sessions",
    run: (ctx) => {
      const db = ctx.db();
      const id = requireLogin(db, ctx.positionals[0]);
      try {
        setUserActive(db, CLI_ACTOR, id, false);
      } catch (e) {
        explain(e);
      }
      console.log(`disabled ${ctx.positionals[0]}`);
    },
  },
  {
    name: "user reset-password",
    usage: "user reset-password <login> --password P",
    summary: "set a temporary password; a new one is required at sign-in",
    options: { password: { type: "string" } },
    run: async (ctx) => {
      const db = ctx.db();
      const id = requireLogin(db, ctx.positionals[0]);
      const password = passwordFrom(ctx);
      await resetPassword(db, CLI_ACTOR, id, password).catch(explain);
      console.log(`password reset for ${ctx.positionals[0]}; they must choose a new one at sign-in`);
    },
  },
  demoCommand,
  backupCommand,
  restoreCommand,
  importCommand,
  exportCommand,
  reportCommand,
  notifyCommand,
  retentionCommand,
  rekeyCommand,
];
