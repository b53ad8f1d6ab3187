import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .min(1)
    .default("data/tongban.db")
    .refine((v) => !v.includes("\0"), "must be a file path"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** failed and successful sign-in attempts allowed per address in 15 minutes */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100000).default(30),
  /** set to "true" to send the Secure flag on cookies even outside production */
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  /** trust X-Forwarded-For from one proxy hop */
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  /** where `Back up now` on the admin page writes backups */
  BACKUP_DIR: z.string().min(1).default("data/backups"),
  /** optional notification e-mail: smtp://user:pass@host:port (smtps:// for TLS); off when unset */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, "must be an smtp:// or smtps:// URL")
    .optional(),
  /** sender address of notification e-mails */
  MAIL_FROM: z.string().email().default("tongban@localhost.localdomain"),
  /**
   * The database's encryption key (ADR 0006): a passphrase of 16 to 1024 characters without
   * control characters, or 64 hex digits (a raw 256-bit key). Unset: the database is not
   * encrypted. The value never appears in a message.
   */
  DATABASE_KEY: z
    .string()
    .refine((v) => isValidDatabaseKey(v), "must be a passphrase of 16 to 1024 characters (no control characters) or 64 hex digits")
    .optional(),
});

/**
 * DATABASE_KEY's rule (also for the new key of `tongban rekey`). Hex digits alone must be exactly
 * 64 (a raw key): 63 or 65 pasted digits are a mistake, not a passphrase.
 */
export function isValidDatabaseKey(v: string): boolean {
  if (/^[0-9a-fA-F]+$/.test(v)) return v.length === 64;
  return v.length >= 16 && v.length <= 1024 && !/[\0-\x1f\x7f]/.test(v);
}

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** Parses the environment; throws an Error whose message is one line naming the bad value. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`Invalid environment: ${issue.path.join(".")}: ${issue.message}`);
  }
  return result.data;
}

export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Only for tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
