/**
 * Runs the daily notification sweep inside the server process: once at start and then whenever the
 * day changes in the program's time zone (checked hourly). `cli notify` does the same from cron.
 * A timer, not a request: GET still never writes. Failures are logged without personal data.
 */
import { isMainThread } from "node:worker_threads";
import type { Db } from "#db/client";
import { getSettings } from "~/domain/settings";
import { todayIn } from "~/i18n/format";
import { flushNotificationMail } from "./email.server";
import { runNotificationSweep } from "./sweep.server";

const HOUR_MS = 60 * 60 * 1000;

let started = false;

export function startDailySweep(db: () => Db, everyMs = HOUR_MS): void {
  // not in tests, not when turned off, and not in a worker thread that loads the server bundle (imports)
  if (started || !isMainThread || process.env.NODE_ENV === "test" || process.env.TONGBAN_NO_SWEEP === "1") return;
  started = true;
  let lastDay = "";
  const tick = () => {
    try {
      const handle = db();
      const today = todayIn(getSettings(handle).timeZone);
      if (today === lastDay) return;
      runNotificationSweep(handle, today);
      lastDay = today;
      void flushNotificationMail().catch(() => console.error("tongban: notification e-mails could not be sent"));
    } catch (e) {
      // a read-only or busy database: try again at the next tick
      console.error(`tongban: the daily notification sweep did not run (${(e as { code?: string }).code ?? "error"})`);
    }
  };
  setTimeout(tick, 5_000).unref();
  setInterval(tick, everyMs).unref();
}
