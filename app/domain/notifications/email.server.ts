/**
 * Optional notification e-mail (issue 7 item 7): off unless SMTP_URL is set. When it is, every
 * in-app notification written by notify() is also sent to the recipient's `users.email` (when they
 * have one and their login is active), in the recipient's language.
 *
 * Sending happens after the writing transaction (better-sqlite3 transactions are synchronous, so a
 * callback scheduled with setImmediate runs after commit or rollback) and only for notifications
 * still in the database then: a rolled-back change mails nothing. A failure is logged in one line
 * without any personal data (no address, no message) and never breaks the write.
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "#db/client";
import { notifications, users } from "#db/schema";
import { getSettings } from "~/domain/settings/settings.server";
import { env } from "~/env.server";
import { DEFAULT_LOCALE, type Locale } from "~/i18n/config";
import { formatDateTime } from "~/i18n/format";
import { isMessageKey, translate } from "~/i18n/translate";

type Factory = (smtpUrl: string) => Transporter;

let factory: Factory = (url) => nodemailer.createTransport(url);
let transport: { url: string; t: Transporter } | null = null;
const inFlight = new Set<Promise<unknown>>();

/** Tests: build transports with this instead of SMTP (e.g. nodemailer's JSON transport). Pass null to restore. */
export function setMailTransportFactory(f: Factory | null): void {
  factory = f ?? ((url) => nodemailer.createTransport(url));
  transport = null;
}

/** The transport when e-mail is configured (SMTP_URL set), else null. */
function mailTransport(): Transporter | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  if (!transport || transport.url !== url) transport = { url, t: factory(url) };
  return transport.t;
}

export function mailConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}

/** A notification's text in a language, as the notifications page shows it. */
export function notificationText(locale: Locale, timeZone: string, messageKey: string, params: Record<string, string | number>): string {
  const shown: Record<string, string | number> = { ...params };
  if (typeof params.startsAt === "string") shown.when = formatDateTime(locale, params.startsAt, timeZone);
  if (typeof params.reason === "string" && isMessageKey(params.reason)) shown.reason = translate(locale, params.reason);
  return isMessageKey(messageKey) ? translate(locale, messageKey, shown) : messageKey;
}

/** Schedules the e-mail of just-written notifications (no-op when e-mail is off). */
export function queueNotificationMail(db: Db, notificationIds: number[]): void {
  if (notificationIds.length === 0 || !mailConfigured()) return;
  const p = new Promise<void>((resolve) => {
    setImmediate(() => {
      sendNotificationMail(db, notificationIds)
        .catch(() => console.error("tongban: notification e-mail could not be prepared"))
        .finally(resolve);
    });
  });
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
}

/** Waits for the e-mails scheduled so far (tests, and a clean shutdown). */
export async function flushNotificationMail(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}

/** Sends the e-mail of the given notifications that still exist; returns how many were sent. */
export async function sendNotificationMail(db: Db, notificationIds: number[]): Promise<number> {
  const t = mailTransport();
  if (!t || notificationIds.length === 0) return 0;
  const rows = db
    .select({ id: notifications.id, messageKey: notifications.messageKey, params: notifications.params, link: notifications.link, email: users.email, locale: users.locale })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(and(inArray(notifications.id, notificationIds), isNotNull(users.email), eq(users.active, true)))
    .all();
  if (rows.length === 0) return 0;
  const { timeZone } = getSettings(db);
  let sent = 0;
  for (const r of rows) {
    if (!r.email) continue;
    const locale: Locale = r.locale ?? DEFAULT_LOCALE;
    const body = notificationText(locale, timeZone, r.messageKey, (r.params ?? {}) as Record<string, string | number>);
    const lines = [body, "", r.link ? translate(locale, "dashboard.mail.open", { link: r.link }) : "", translate(locale, "dashboard.mail.why")];
    try {
      await t.sendMail({ from: env().MAIL_FROM, to: r.email, subject: translate(locale, "dashboard.mail.subject"), text: lines.filter((l, i) => l || i === 1).join("\n") });
      sent++;
    } catch (e) {
      // one line, no address and no content: the error's code only
      const code = e && typeof e === "object" && "code" in e ? String((e as { code: unknown }).code) : "unknown";
      console.error(`tongban: a notification e-mail was not sent (${code})`);
    }
  }
  return sent;
}
