/**
 * `tongban retention [--dry-run] [--date YYYY-MM-DD]`: de-identifies closed cases older than the
 * retention setting (admin page "Records of processing"), or with --dry-run lists what would
 * change. Prints client ids and counts, never aliases or names.
 */
import { SYSTEM_ACTOR } from "../app/domain/audit";
import { applyRetention } from "../app/domain/clients/retention.server";
import { getSettings } from "../app/domain/settings";
import { isoDate } from "../app/domain/shared/fields";
import { todayIn } from "../app/i18n/format";
import type { Command } from "./commands";

/** A one-line reason for the operator (no runtime import of ./commands, which imports this file). */
class RetentionError extends Error {}

export const retentionCommand: Command = {
  name: "retention",
  usage: "retention [--dry-run] [--date YYYY-MM-DD]",
  summary: "de-identify closed cases past the retention period (--dry-run lists them, changes nothing)",
  options: { "dry-run": { type: "boolean" }, date: { type: "string" } },
  run: (ctx) => {
    const db = ctx.db();
    let today = todayIn(getSettings(db).timeZone);
    const raw = ctx.values.date;
    if (typeof raw === "string") {
      const parsed = isoDate.safeParse(raw);
      if (!parsed.success) throw new RetentionError(`--date must be a date as YYYY-MM-DD, not "${raw.slice(0, 40)}"`);
      today = parsed.data;
    }
    const dryRun = ctx.values["dry-run"] === true;
    const r = applyRetention(db, { ...SYSTEM_ACTOR, login: "cli" }, today, { dryRun });
    const head = `retention ${today}: cases closed on or before ${r.cutoff} (${r.years} years)`;
    if (r.clients === 0) {
      console.log(`${head}: nothing to de-identify`);
      return;
    }
    console.log(`${head}: ${r.clients} case(s) ${dryRun ? "would be" : "were"} de-identified`);
    console.log(`  client ids: ${r.ids.slice(0, 50).join(", ")}${r.ids.length > 50 ? `, … (${r.ids.length - 50} more)` : ""}`);
    console.log(
      dryRun
        ? "  would delete identity, replace alias, case number and free text with markers, keep dates and counts; run without --dry-run to apply"
        : "  identity deleted; alias, case number and free text replaced with markers; dates and counts kept",
    );
  },
};
