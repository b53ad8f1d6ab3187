/**
 * A printed peer-tutor certificate, in both languages whatever the reader's language: the
 * organisation, the holder, the cohort and programme, the number, the dates, the verification
 * code and a QR code that opens the public verification page. One sheet fills one A4 page.
 * Not a route (no route.tsx name), no data access, nothing server-only.
 */
import { formatDate } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { translate } from "~/i18n/translate";
import { useNonce } from "~/components/nonce";
import { Button } from "~/components/ui";
import { useT } from "~/i18n/use-t";

export type SheetData = {
  number: string;
  verificationCode: string;
  holderName: string;
  cohortNumber: number;
  programmeNameZh: string;
  programmeNameEn: string;
  issuedOn: string;
  expiresOn: string;
  standing: string;
  /** the SVG from qr.server.ts */
  qrSvg: string;
  /** the public verification form, printed for people who type rather than scan */
  verifyPageUrl: string;
};

export type SheetContext = { organisationNameZh: string; organisationNameEn: string; printedOn: string };

const zh = (key: MessageKey, params?: Record<string, string | number>) => translate("zh-CN", key, params);
const en = (key: MessageKey, params?: Record<string, string | number>) => translate("en", key, params);

/** "ABCDE FGHJK": the code in groups, as people read it aloud. */
const grouped = (code: string) => code.replace(/(.{5})(?=.)/g, "$1 ");

/**
 * The print stylesheet of the certificate pages: A4, page numbers, no navigation (the shell's
 * header is .no-print), one sheet per page. Inline with the request's CSP nonce, which only a
 * server render has: links to the print pages use reloadDocument.
 */
const PRINT_CSS = `
@page { size: A4 portrait; margin: 12mm; @bottom-right { content: counter(page); font-size: 9pt; } }
@media print {
  #main { max-width: none; margin: 0; padding: 0; }
  .certificate-sheet { break-after: page; break-inside: avoid; min-height: 268mm; margin: 0; box-shadow: none; }
  .certificate-sheet:last-of-type { break-after: auto; }
}`;

export function PrintStyles() {
  const nonce = useNonce();
  // the browser hides a nonce from the DOM after load, so the client never matches the server's
  return <style nonce={nonce || undefined} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: PRINT_CSS }} />;
}

function Both({ k, params, className }: { k: MessageKey; params?: Record<string, string | number>; className?: string }) {
  return (
    <span className={className}>
      <span lang="zh-CN">{zh(k, params)}</span> <span lang="en">{en(k, params)}</span>
    </span>
  );
}

export function CertificateSheet({ data, context }: { data: SheetData; context: SheetContext }) {
  const notValid = data.standing !== "valid";
  return (
    <article className="certificate-sheet relative mx-auto mb-8 flex max-w-[210mm] flex-col border-[6px] border-double border-brand bg-surface px-6 py-8 text-center sm:px-12 sm:py-10">
      <header className="border-b border-line pb-4">
        <p lang="zh-CN" className="text-xl font-bold">
          {context.organisationNameZh}
        </p>
        <p lang="en" className="text-muted">
          {context.organisationNameEn}
        </p>
      </header>

      {notValid && (
        <p className="mx-auto mt-4 rounded-card border-2 border-danger px-4 py-2 text-lg font-bold text-danger">
          <span lang="zh-CN">{zh(`registry.sheet.void.${data.standing}` as MessageKey)}</span>
          {" / "}
          <span lang="en">{en(`registry.sheet.void.${data.standing}` as MessageKey)}</span>
        </p>
      )}

      <h2 className="mt-8">
        <span lang="zh-CN" className="block text-3xl font-bold">
          {zh("registry.sheet.title")}
        </span>
        <span lang="en" className="mt-1 block text-xl font-medium">
          {en("registry.sheet.title")}
        </span>
      </h2>

      <p className="mt-8 text-2xl font-bold">{data.holderName}</p>
      <p lang="zh-CN" className="mx-auto mt-4 max-w-prose text-lg">
        {zh("registry.sheet.body", { name: data.holderName, cohort: data.cohortNumber, programme: data.programmeNameZh })}
      </p>
      <p lang="en" className="mx-auto mt-2 max-w-prose">
        {en("registry.sheet.body", { name: data.holderName, cohort: data.cohortNumber, programme: data.programmeNameEn })}
      </p>

      <dl className="mx-auto mt-8 grid max-w-md grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-left">
        <dt className="text-muted">
          <Both k="registry.sheet.number" />
        </dt>
        <dd className="font-mono font-bold">{data.number}</dd>
        <dt className="text-muted">
          <Both k="registry.sheet.issued" />
        </dt>
        <dd>
          <span lang="zh-CN">{formatDate("zh-CN", data.issuedOn)}</span>
          <br />
          <span lang="en">{formatDate("en", data.issuedOn)}</span>
        </dd>
        <dt className="text-muted">
          <Both k="registry.sheet.validUntil" />
        </dt>
        <dd>
          <span lang="zh-CN">{formatDate("zh-CN", data.expiresOn)}</span>
          <br />
          <span lang="en">{formatDate("en", data.expiresOn)}</span>
        </dd>
      </dl>

      <div className="mt-auto flex flex-col items-center gap-4 pt-8 sm:flex-row sm:justify-center sm:text-left">
        <div
          role="img"
          aria-label={`${zh("registry.sheet.qrLabel")} / ${en("registry.sheet.qrLabel")}`}
          className="h-32 w-32 shrink-0 [&>svg]:h-full [&>svg]:w-full"
          // the SVG is the qrcode library's output: paths only, built from our own URL
          dangerouslySetInnerHTML={{ __html: data.qrSvg }}
        />
        <div className="max-w-sm text-sm">
          <p>
            <Both k="registry.sheet.code" />: <span className="font-mono text-base font-bold">{grouped(data.verificationCode)}</span>
          </p>
          <p lang="zh-CN" className="mt-1">
            {zh("registry.sheet.verifyAt", { url: data.verifyPageUrl })}
          </p>
          <p lang="en" className="mt-1 text-muted">
            {en("registry.sheet.verifyAt", { url: data.verifyPageUrl })}
          </p>
        </div>
      </div>

      <footer className="mt-6 border-t border-line pt-2 text-sm text-muted">
        <span lang="zh-CN">{zh("registry.sheet.printed", { date: formatDate("zh-CN", context.printedOn) })}</span>
        {" · "}
        <span lang="en">{en("registry.sheet.printed", { date: formatDate("en", context.printedOn) })}</span>
      </footer>
    </article>
  );
}

/** window.print() when JavaScript runs; without it, the browser's own print command does the same. */
export function PrintButton() {
  const { t } = useT();
  return (
    <p className="mb-4">
      <Button type="button" onClick={() => window.print()}>
        {t("registry.print.button")}
      </Button>
    </p>
  );
}
