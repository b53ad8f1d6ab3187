import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { rowScope } from "~/auth/permissions";
import { PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import { canManageCertificates, getCertificateByNumber } from "~/domain/training";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { qrSvg, verificationUrl } from "./qr.server";
import { CertificateSheet, PrintButton, PrintStyles, type SheetData } from "./sheet";

export async function loader({ request, params }: LoaderFunctionArgs) {
  // trainers and admins print any certificate; a holder prints their own
  const user = requireUserWithPermission(request, "read:certificate");
  const db = getDb();
  const settings = getSettings(db);
  const today = todayIn(settings.timeZone);
  const certificate = getCertificateByNumber(db, (params.number ?? "").slice(0, 100), today);
  const allowed = certificate && (canManageCertificates(user) || certificate.holderPersonId === user.personId);
  if (!allowed) {
    // someone who may read the registry knows which certificates exist; anyone else learns nothing
    if (certificate && rowScope(user, "read:certificate").kind === "all") throw forbidden();
    throw notFound();
  }
  const origin = new URL(request.url).origin;
  const sheet: SheetData = {
    number: certificate.number,
    verificationCode: certificate.verificationCode,
    holderName: certificate.holderName,
    cohortNumber: certificate.cohortNumber,
    programmeNameZh: certificate.programmeNameZh,
    programmeNameEn: certificate.programmeNameEn,
    issuedOn: certificate.issuedOn,
    expiresOn: certificate.expiresOn,
    standing: certificate.standing,
    qrSvg: await qrSvg(verificationUrl(origin, certificate.number, certificate.verificationCode)),
    verifyPageUrl: `${origin}/verify`,
  };
  return {
    sheet,
    context: { organisationNameZh: settings.organisationNameZh, organisationNameEn: settings.organisationNameEn, printedOn: today },
  };
}

export default function CertificatePrint() {
  const { sheet, context } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <PrintStyles />
      <div className="no-print">
        <PageHeader title={`${t("registry.print.pageTitle")} ${sheet.number}`} subtitle={t("registry.print.help")} />
        {sheet.standing !== "valid" && <p className="mb-4 rounded-card border border-danger/40 bg-danger-soft p-3">{t("registry.print.notValid")}</p>}
        <PrintButton />
      </div>
      <CertificateSheet data={sheet} context={context} />
    </>
  );
}

export const meta = titled("registry.print.pageTitle");
