import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import { id } from "~/domain/shared/fields";
import { canManageCertificates, cohortCertificatesForPrint } from "~/domain/training";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { qrSvg, verificationUrl } from "./certificates.$number/qr.server";
import { CertificateSheet, PrintButton, PrintStyles, type SheetData } from "./certificates.$number/sheet";

export async function loader({ request, params }: LoaderFunctionArgs) {
  // bulk printing is for trainers and admins
  const user = requireUserWithPermission(request, "read:certificate");
  if (!canManageCertificates(user)) throw forbidden();
  const parsed = id.safeParse(params.cohortId ?? "");
  if (!parsed.success) throw notFound();
  const db = getDb();
  const settings = getSettings(db);
  const today = todayIn(settings.timeZone);
  const { cohort, certificates, revokedLeftOut } = cohortCertificatesForPrint(db, parsed.data, today);
  if (!cohort) throw notFound();
  const origin = new URL(request.url).origin;
  const sheets: SheetData[] = await Promise.all(
    certificates.map(async (c) => ({
      number: c.number,
      verificationCode: c.verificationCode,
      holderName: c.holderName,
      cohortNumber: c.cohortNumber,
      programmeNameZh: c.programmeNameZh,
      programmeNameEn: c.programmeNameEn,
      issuedOn: c.issuedOn,
      expiresOn: c.expiresOn,
      standing: c.standing,
      qrSvg: await qrSvg(verificationUrl(origin, c.number, c.verificationCode)),
      verifyPageUrl: `${origin}/verify`,
    })),
  );
  return {
    cohortNumber: cohort.number,
    sheets,
    revokedLeftOut,
    context: { organisationNameZh: settings.organisationNameZh, organisationNameEn: settings.organisationNameEn, printedOn: today },
  };
}

export default function CohortCertificatesPrint() {
  const { cohortNumber, sheets, revokedLeftOut, context } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <PrintStyles />
      <div className="no-print">
        <PageHeader title={t("registry.bulk.title", { number: cohortNumber })} subtitle={t("registry.bulk.help")} />
        {revokedLeftOut > 0 && <p className="mb-4 text-muted">{t("registry.bulk.revokedLeftOut", { count: revokedLeftOut })}</p>}
        {sheets.length > 0 && <PrintButton />}
      </div>
      {sheets.length === 0 ? (
        <EmptyState title={t("registry.bulk.empty")} />
      ) : (
        sheets.map((sheet) => <CertificateSheet key={sheet.number} data={sheet} context={context} />)
      )}
    </>
  );
}

export const meta = titled("registry.bulk.pageTitle");
