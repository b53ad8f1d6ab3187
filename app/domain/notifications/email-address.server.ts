/**
 * One's own notification e-mail address (users.email): optional; empty removes it. Audited
 * without the address itself (the log says whether one is set, not what it is).
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { users } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { msg } from "~/domain/shared/fields";

export const EMAIL_MAX = 254;

export const EmailSchema = z.object({
  email: z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim())
    .pipe(
      z
        .string()
        .max(EMAIL_MAX, { error: msg("form.tooLong", { max: EMAIL_MAX }) })
        .refine((s) => s === "" || z.email().safeParse(s).success, { error: "dashboard.email.invalid" }),
    ),
});

export function getOwnEmail(db: Pick<Db, "select">, userId: number): string | null {
  return db.select({ email: users.email }).from(users).where(eq(users.id, userId)).get()?.email ?? null;
}

/** Sets or (with "") removes the user's own notification e-mail address. */
export function setOwnEmail(db: Db, actor: Actor, userId: number, email: string): void {
  db.transaction((tx) => {
    tx.update(users)
      .set({ email: email === "" ? null : email, updatedAt: new Date().toISOString() })
      .where(eq(users.id, userId))
      .run();
    recordAudit(tx, actor, { action: "set_email", entity: "user", entityId: userId, details: { emailSet: email !== "" } });
  });
}
