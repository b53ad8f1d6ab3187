/**
 * `tongban notify [--date YYYY-MM-DD]`: the daily notification sweep (certificates expiring soon,
 * clients overdue for a contact), as the server's daily timer runs it. Idempotent: running it
 * again the same day writes nothing new. E-mails the notices too when SMTP_URL is set.
 */
import { flushNotificationMail } from "../app/domain/notifications/email.server";
import { runNotificationSweep } from "../app/domain/notifications/sweep.server";
import { getSettings } from "../app/domain/settings";
import { isoDate } from "../app/domain/shared/fields";
import { todayIn } from "../app/i18n/format";
import type { Command } from "./commands";

/** A one-line reason for the operator (no runtime import of ./commands, which imports this file). */
class NotifyError extends Error {}

export const notifyCommand: Command = {
  name: "notify",
  usage: "notify [--date YYYY-MM-DD]",
  summary: "send the day's notices: certificates expiring soon, clients overdue for a contact (idempotent)",
  options: { date: { type: "string" } },
  run: async (ctx) => {
    const raw = ctx.values.date;
    const db = ctx.db();
    let today = todayIn(getSettings(db).timeZone);
    if (typeof raw === "string") {
      const parsed = isoDate.safeParse(raw);
      if (!parsed.success) throw new NotifyError(`--date must be a date as YYYY-MM-DD, not "${raw.slice(0, 40)}"`);
      today = parsed.data;
    }
    const result = runNotificationSweep(db, today);
    await flushNotificationMail();
    console.log(`notify ${today}: ${result.certificateExpiring} certificate-expiry notices, ${result.clientOverdue} overdue-client notices`);
  },
};
