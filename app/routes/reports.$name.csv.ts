/**
 * CSV export of one outcome report: the same filters as the page (the URL's search params), the
 * same figures, column names in the person's language; UTF-8 with BOM, formula-escaped, streamed
 * (app/http/csv.server.ts). Aggregates only — counts per district, year, studio or cohort, never a
 * client — so, like the page, it is a GET and writes nothing. Bad filters: 400 with the reason.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { forbidden, notFound, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { availableReports, isReportName, parseReportParams, PARAM_FIELDS, reportDistricts, reportTable, runReport, type RawReportParams } from "~/domain/reports";
import { getSettings } from "~/domain/settings";
import { csvResponse } from "~/http/csv.server";
import { todayIn } from "~/i18n/format";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireApiUserWithPermission(request, "read:report");
  const name = params.name ?? "";
  if (!isReportName(name)) throw notFound();
  if (!availableReports(user).includes(name)) throw forbidden();
  const t = serverT(request, user);
  const locale = resolveLocale(request, user);
  const db = getDb();
  const today = todayIn(getSettings(db).timeZone);
  const url = new URL(request.url);
  const raw: RawReportParams = {};
  for (const field of PARAM_FIELDS) raw[field] = url.searchParams.get(field) ?? undefined;
  const parsed = parseReportParams(name, raw, { today, districtIds: reportDistricts(db, user).map((d) => d.id) });
  if (!parsed.ok) {
    const reason = Object.values(parsed.errors)
      .map((e) => {
        const [key, query] = e.split("?", 2);
        return t(key as MessageKey, query ? Object.fromEntries(new URLSearchParams(query)) : undefined);
      })
      .join(" ");
    return new Response(t("reports.export.badInput", { reason }), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const report = runReport(db, user, name, parsed.params);
  const table = reportTable(report, t, locale);
  return csvResponse({
    filename: t("reports.export.filename", { report: t(`reports.name.${name}` as MessageKey), asOf: parsed.params.asOf }),
    asciiFilename: `${name}-${parsed.params.asOf}.csv`,
    header: table.header,
    rows: table.rows,
  });
}
