/**
 * `tongban report <name> --as-of YYYY-MM-DD [--district NAME] [--from D --to D] [--intake-year Y]
 * [--by district|intakeYear] [--format csv|json] [--lang en|zh-CN]`: an outcome report on standard
 * output, computed by the same functions as the report pages (app/domain/reports), over the whole
 * city (an operator on the server). CSV is the page's export (UTF-8 with BOM, formula-escaped,
 * column names in --lang, default English); JSON is the report's rows and totals as computed
 * (hours in minutes). Bad input: one line naming the problem, exit code 1.
 */
import { listDistricts } from "../app/domain/organisation";
import {
  OPERATOR_VIEWER,
  parseReportParams,
  REPORT_NAMES,
  reportTable,
  runReport,
  isReportName,
  type RawReportParams,
} from "../app/domain/reports";
import { getSettings } from "../app/domain/settings";
import { csvString } from "../app/http/csv.server";
import { isLocale } from "../app/i18n/config";
import { todayIn } from "../app/i18n/format";
import type { MessageKey } from "../app/i18n/messages";
import { translate, translator } from "../app/i18n/translate";
import type { Command } from "./commands";

/** A one-line reason for the operator (no runtime import of ./commands, which imports this file). */
class ReportError extends Error {}

const FIELD_NAMES: Record<string, string> = { asOf: "--as-of", from: "--from", to: "--to", district: "--district", intakeYear: "--intake-year", by: "--by" };

export const reportCommand: Command = {
  name: "report",
  usage: "report <name> --as-of YYYY-MM-DD [--district NAME] [--from D --to D] --format csv|json",
  summary: `an outcome report, as on its page (${REPORT_NAMES.join(", ")})`,
  options: {
    "as-of": { type: "string" },
    district: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    "intake-year": { type: "string" },
    by: { type: "string" },
    format: { type: "string" },
    lang: { type: "string" },
  },
  run: (ctx) => {
    const name = ctx.positionals[0] ?? "";
    if (!isReportName(name)) throw new ReportError(`${name ? `unknown report "${name}"` : "give the report name"} (reports: ${REPORT_NAMES.join(", ")})`);
    if (ctx.positionals.length > 1) throw new ReportError(`unexpected argument "${ctx.positionals[1]}"`);
    const str = (k: string) => (typeof ctx.values[k] === "string" ? (ctx.values[k] as string) : undefined);
    const format = str("format") ?? "csv";
    if (format !== "csv" && format !== "json") throw new ReportError(`unknown format "${format}" (csv or json)`);
    const lang = str("lang") ?? "en";
    if (!isLocale(lang)) throw new ReportError(`unknown language "${lang}" (en or zh-CN)`);

    const db = ctx.db();
    const all = listDistricts(db);
    let district: string | undefined;
    const districtName = str("district");
    if (districtName !== undefined) {
      const wanted = districtName.trim().toLowerCase();
      const d = all.find((x) => x.code.toLowerCase() === wanted || x.nameZh === districtName.trim() || x.nameEn.toLowerCase() === wanted);
      if (!d) throw new ReportError(`unknown district "${districtName}"`);
      district = String(d.id);
    }
    const raw: RawReportParams = { asOf: str("as-of"), from: str("from"), to: str("to"), district, intakeYear: str("intake-year"), by: str("by") };
    const parsed = parseReportParams(name, raw, { today: todayIn(getSettings(db).timeZone), districtIds: all.map((d) => d.id) });
    if (!parsed.ok) {
      const [field, error] = Object.entries(parsed.errors)[0]!;
      const [key, query] = error.split("?", 2);
      const message = translate("en", key as MessageKey, query ? Object.fromEntries(new URLSearchParams(query)) : undefined);
      throw new ReportError(`${FIELD_NAMES[field] ?? field}: ${message}`);
    }
    const report = runReport(db, OPERATOR_VIEWER, name, parsed.params);
    if (format === "json") {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    const table = reportTable(report, translator(lang), lang);
    process.stdout.write(csvString(table.header, table.rows));
  },
};
