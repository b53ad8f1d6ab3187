/**
 * CSV export of the peer-tutor registry: the viewer's filters, as a file, with column names and
 * status words in the person's language. A POST, because the export is recorded in the audit log
 * (GET never writes).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorOf, forbidden, requireApiUserWithPermission } from "~/auth/guards.server";
import { rowScope } from "~/auth/permissions";
import type { SessionUser } from "~/auth/roles";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import { iterateRegistry, parseRegistryFilters, recordRegistryExport, type RegistryQuery, type RegistryRow } from "~/domain/training";
import { csvResponse, type CsvRow } from "~/http/csv.server";
import { readForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import { resolveLocale, serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import type { Translate } from "~/i18n/translate";

/** Readers of the whole registry only; the answer of a resource route is 401 / 403, not a redirect. */
function requireRegistryReader(request: Request): { user: SessionUser; scope: ReturnType<typeof rowScope> } {
  const user = requireApiUserWithPermission(request, "read:certificate");
  const scope = rowScope(user, "read:certificate");
  if (scope.kind !== "all") throw forbidden();
  return { user, scope };
}

export async function loader({ request }: LoaderFunctionArgs) {
  // the export is a POST from the registry page; a GET only says so
  const { user } = requireRegistryReader(request);
  return plain(serverT(request, user)("registry.export.useButton"), 405, { Allow: "POST" });
}

const COLUMNS = ["name", "cohort", "district", "studio", "status", "certificate", "issued", "expires", "certificateStatus", "standing", "sessions"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const { user, scope } = requireRegistryReader(request);
  const t = serverT(request, user);
  const form = await readForm(request);
  if (!form) return plain(t("form.badRequest"), 400);
  const parsed = parseRegistryFilters(form.values);
  // the page only sends filters it applied; exporting a wider list than asked for would be worse than nothing
  if (Object.keys(parsed.errors).length > 0) return plain(t("registry.export.badFilters"), 400);

  const db = getDb();
  const today = todayIn(getSettings(db).timeZone);
  const query: RegistryQuery = { filter: parsed.filter, scope, viewerPersonId: user.personId, today };
  recordRegistryExport(db, actorOf(request, user), query, parsed.applied);
  const zh = resolveLocale(request, user) === "zh-CN";
  return csvResponse({
    filename: t("registry.export.filename", { date: today }),
    asciiFilename: `peer-tutor-registry-${today}.csv`,
    header: COLUMNS.map((c) => t(`registry.col.${c}` as MessageKey)),
    rows: csvRows(iterateRegistry(db, query), t, zh),
  });
}

function* csvRows(rows: Iterable<RegistryRow>, t: Translate, zh: boolean): Generator<CsvRow> {
  for (const r of rows) {
    yield [
      r.name,
      t("registry.cohortN", { number: r.cohortNumber }),
      zh ? r.districtNameZh : r.districtNameEn,
      (zh ? r.studioNameZh : r.studioNameEn) ?? "",
      t(`registry.tutorStatus.${r.status}` as MessageKey),
      r.certificateNumber,
      r.issuedOn,
      r.expiresOn,
      t(`registry.cert.${r.certificateStatus}` as MessageKey),
      t(`registry.standing.${r.standing}` as MessageKey),
      r.sessionsFacilitated,
    ];
  }
}

function plain(text: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}
