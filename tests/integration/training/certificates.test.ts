/**
 * Printable certificates: one certificate (trainers, admins, and the holder) and a whole cohort
 * (trainers and admins), A4, both languages, with the number, the verification code and a QR code
 * that opens the public verification page.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { loader as printLoader } from "~/routes/certificates.$number/route";
import { loader as bulkLoader } from "~/routes/certificates.cohort.$cohortId";
import { verificationUrl } from "~/routes/certificates.$number/qr.server";
import { CertificateSheet, PrintStyles, type SheetData } from "~/routes/certificates.$number/sheet";
import { makeCoordinator } from "../../clients-factories";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { makeTrainer } from "../../training-factories";
import { certifiedCohort, makeCertifiedTutor } from "./registry-builders";

const ctx = { cspNonce: "" };
type PrintBody = { sheet: SheetData; context: { organisationNameZh: string; organisationNameEn: string; printedOn: string } };
let trainer: { cookie: string };

beforeAll(async () => {
  trainer = await makeTrainer();
});

function print(cookie: string | undefined, number: string) {
  return respond(() => printLoader({ request: makeRequest(`/certificates/${encodeURIComponent(number)}`, { cookie }), params: { number }, context: ctx }));
}

function bulk(cookie: string | undefined, cohortId: string) {
  return respond(() => bulkLoader({ request: makeRequest(`/certificates/cohort/${cohortId}`, { cookie }), params: { cohortId }, context: ctx }));
}

describe("printing one certificate", () => {
  it("gives a trainer the number, code, holder, dates and a QR code of the verification link", async () => {
    const tutor = await makeCertifiedTutor({ name: "测试打印人（虚构）" });
    const res = await print(trainer.cookie, tutor.number);
    expect(res.status).toBe(200);
    const { sheet } = res.body as PrintBody;
    expect(sheet).toMatchObject({ number: tutor.number, verificationCode: tutor.code, holderName: "测试打印人（虚构）", standing: "valid" });
    expect(sheet.qrSvg).toMatch(/^<svg [^>]*viewBox/);
    expect(sheet.qrSvg).not.toMatch(/<script|on\w+=/i);
    expect(sheet.verifyPageUrl).toBe("http://localhost/verify");
    expect(verificationUrl("http://localhost", tutor.number, tutor.code)).toBe(`http://localhost/verify/${tutor.number}?code=${tutor.code}`);
  });

  it("lets the holder print their own certificate, and hides others' from them (404)", async () => {
    const holder = await makeCertifiedTutor({ login: true });
    const other = await makeCertifiedTutor();
    expect((await print(holder.cookie, holder.number)).status).toBe(200);
    expect((await print(holder.cookie, other.number)).status).toBe(404);
    expect((await print(holder.cookie, "TB-NO-SUCH")).status).toBe(404);
  });

  it("refuses coordinators (403): they read the registry but do not print certificates", async () => {
    const tutor = await makeCertifiedTutor();
    const coordinator = await makeCoordinator([makeDistrict().id]);
    expect((await print(coordinator.cookie, tutor.number)).status).toBe(403);
  });

  it("answers 404 for an unknown number, and sends an anonymous visitor to sign in", async () => {
    expect((await print(trainer.cookie, "TB-C0-000")).status).toBe(404);
    expect((await print(trainer.cookie, "%00<script>")).status).toBe(404);
    const anon = await print(undefined, "TB-C0-000");
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login/);
  });

  it("marks a revoked certificate as not valid on the sheet", async () => {
    const tutor = await makeCertifiedTutor({ revokedAt: "2025-01-01T00:00:00.000Z" });
    const { sheet } = (await print(trainer.cookie, tutor.number)).body as PrintBody;
    expect(sheet.standing).toBe("revoked");
  });
});

describe("the printed sheet", () => {
  it("is in both languages, with an A4 print stylesheet and the code in groups", async () => {
    const tutor = await makeCertifiedTutor({ name: "测试双语（虚构）", issuedOn: "2025-03-08", expiresOn: "2027-03-07" });
    const body = (await print(trainer.cookie, tutor.number)).body as PrintBody;
    const html = renderToStaticMarkup(
      createElement("div", null, createElement(PrintStyles), createElement(CertificateSheet, { data: body.sheet, context: body.context })),
    );
    expect(html).toContain("同伴辅导员结业证书");
    expect(html).toContain("Peer Tutor Certificate");
    expect(html).toContain("证书编号");
    expect(html).toContain("Certificate number");
    expect(html).toContain(tutor.number);
    expect(html).toContain(`${tutor.code.slice(0, 5)} ${tutor.code.slice(5)}`);
    expect(html).toContain("2025年3月8日 星期六");
    expect(html).toContain("Sat 8 Mar 2025");
    expect(html).toContain(body.context.organisationNameZh);
    expect(html).toContain(body.context.organisationNameEn);
    expect(html).toContain("size: A4");
    expect(html).toContain("<svg");
    expect(html).not.toContain("NOT VALID");
  });

  it("says REVOKED in both languages on a revoked certificate", async () => {
    const tutor = await makeCertifiedTutor({ revokedAt: "2025-01-01T00:00:00.000Z" });
    const body = (await print(trainer.cookie, tutor.number)).body as PrintBody;
    const html = renderToStaticMarkup(createElement(CertificateSheet, { data: body.sheet, context: body.context }));
    expect(html).toContain("已撤销 — 无效");
    expect(html).toContain("REVOKED — NOT VALID");
  });
});

describe("printing a cohort's certificates", () => {
  it("gives a trainer one sheet per certificate, revoked ones left out and counted", async () => {
    const { cohortId, cohortNumber } = certifiedCohort();
    const a = await makeCertifiedTutor({ cohortId, number: `TB-C${cohortNumber}-001` });
    const b = await makeCertifiedTutor({ cohortId, number: `TB-C${cohortNumber}-002` });
    await makeCertifiedTutor({ cohortId, number: `TB-C${cohortNumber}-003`, revokedAt: "2025-01-01T00:00:00.000Z" });
    const res = await bulk(trainer.cookie, String(cohortId));
    expect(res.status).toBe(200);
    const body = res.body as { cohortNumber: number; sheets: SheetData[]; revokedLeftOut: number };
    expect(body.cohortNumber).toBe(cohortNumber);
    expect(body.sheets.map((s) => s.number)).toEqual([a.number, b.number]);
    expect(body.sheets.every((s) => s.qrSvg.startsWith("<svg"))).toBe(true);
    expect(body.revokedLeftOut).toBe(1);
  });

  it("is for trainers and admins: coordinators and peer tutors get 403", async () => {
    const { cohortId } = certifiedCohort();
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    expect((await bulk(admin.cookie, String(cohortId))).status).toBe(200);
    const coordinator = await makeCoordinator([makeDistrict().id]);
    expect((await bulk(coordinator.cookie, String(cohortId))).status).toBe(403);
    const tutor = await makeCertifiedTutor({ login: true, cohortId });
    expect((await bulk(tutor.cookie, String(cohortId))).status).toBe(403);
  });

  it("answers 404 for an unknown or malformed cohort id", async () => {
    for (const id of ["999999", "abc", "0", "1.5"]) expect((await bulk(trainer.cookie, id)).status, id).toBe(404);
  });
});
