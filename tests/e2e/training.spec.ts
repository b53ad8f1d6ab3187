import { expect, test, type Browser, type Page } from "@playwright/test";
import { formatDate } from "../../app/i18n/format";
import { qrSvg } from "../../app/routes/certificates.$number/qr.server";
import { flash, programToday, signIn } from "./helpers";

/**
 * Training: a trainer completes a cohort-5 trainee's record, certifies them and prints the
 * certificate; anyone can verify a certificate by its QR link, and a revoked one says so.
 * Demo data (db/demo/training.ts): cohort 5 is running with `trainer` as its trainer; of its
 * trainees two meet every requirement and one misses only the last module's assessment.
 */

/** Opens cohort 5 from the training overview. */
async function openCohort5(page: Page, name: string) {
  await page.goto("/training");
  await page.getByRole("link", { name, exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
}

/** The verification link a certificate's QR code encodes, read from its printable page (number and grouped code). */
async function verificationLinkOf(page: Page, number: string): Promise<{ path: string; code: string }> {
  const sheet = page.locator("article.certificate-sheet");
  await expect(sheet.locator("dd.font-mono")).toHaveText(number);
  const code = (await sheet.locator("span.font-mono").first().innerText()).replace(/\s+/g, "");
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
  const path = `/verify/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`;
  // the QR code on the page is exactly the code of that link: the same modules as an SVG made for it
  const shown = await sheet.getByRole("img").locator("svg path").evaluateAll((paths) => paths.map((p) => p.getAttribute("d")));
  const expected = [...(await qrSvg(new URL(path, page.url()).href)).matchAll(/ d="([^"]+)"/g)].map((m) => m[1]);
  expect(expected.length).toBeGreaterThan(0);
  expect(shown).toEqual(expected);
  return { path, code };
}

/** A browser context with no cookies: an anonymous visitor. */
async function anonymousPage(browser: Browser, locale: string) {
  const context = await browser.newContext({ locale });
  return { context, page: await context.newPage() };
}

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("a trainer records the one missing assessment, the trainee becomes eligible, is certified and the certificate prints without navigation", async ({ page }) => {
    await signIn(page, "trainer");
    await openCohort5(page, "第5期");

    // the trainees missing one requirement; the one whose missing requirement is an assessment
    const candidates = page.getByRole("row").filter({ hasText: "缺 1 项" });
    const hrefs = await candidates.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs.length).toBeGreaterThan(0);
    let moduleName = "";
    for (const href of hrefs) {
      await page.goto(href);
      const notAssessed = page.getByRole("listitem").filter({ hasText: "尚未考核" });
      if ((await notAssessed.count()) === 1) {
        moduleName = (await notAssessed.innerText()).match(/(?:未达标\s*)?(.+?)：尚未考核/)?.[1]?.trim() ?? "";
        break;
      }
    }
    expect(moduleName, "a cohort-5 trainee whose only gap is one assessment").not.toBe("");
    const traineeUrl = page.url();
    const traineeName = (await page.getByRole("heading", { level: 1 }).innerText()).trim();

    // the checker says what is missing, and only that
    await expect(page.getByText("1 项要求未达标")).toBeVisible();
    const missing = page.getByRole("listitem").filter({ hasText: "未达标" });
    await expect(missing).toHaveCount(1);
    await expect(missing).toContainText(`${moduleName}：尚未考核（及格分 60）`);

    // record the missing assessment with a passing score
    await page.getByRole("combobox", { name: /课程模块/ }).selectOption({ label: `${moduleName} (60)` });
    await page.getByRole("spinbutton", { name: /成绩/ }).fill("78");
    await page.getByRole("button", { name: "记录考核", exact: true }).click();
    await expect(flash(page, "考核已记录。")).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: `${moduleName}：成绩 78，及格分 60` })).toContainText("已达标");
    await expect(page.getByText("全部要求已达标", { exact: true })).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: "未达标" })).toHaveCount(0);

    // certify
    await page.getByRole("button", { name: "认证结业", exact: true }).click();
    const done = flash(page, /已认证：证书编号 TB-C5-\d{3}。/);
    await expect(done).toBeVisible();
    const number = (await done.innerText()).match(/TB-C5-\d{3}/)![0];
    await expect(page).toHaveURL(traineeUrl);
    const today = programToday();
    const facts = page.locator("dl").filter({ hasText: "证书编号" });
    await expect(facts).toContainText(number);
    await expect(facts).toContainText(formatDate("zh-CN", today));
    await expect(page.getByRole("button", { name: "认证结业" })).toHaveCount(0);

    // the printable certificate: holder, number, QR code; printing leaves the navigation off
    await page.getByRole("link", { name: "打印证书", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/certificates/${number}$`));
    const sheet = page.locator("article.certificate-sheet");
    await expect(sheet).toContainText(traineeName);
    await expect(sheet.locator("dd.font-mono")).toHaveText(number);
    const qr = page.getByRole("img", { name: /指向本证书核验页面的二维码/ });
    await expect(qr.locator("svg")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeHidden();
    await expect(page.getByRole("button", { name: "打印", exact: true })).toBeHidden();
    await expect(qr.locator("svg")).toBeVisible();
    await expect(sheet).toBeVisible();
  });
});

test.describe("in English", () => {
  test.use({ locale: "en-GB" });

  test("an anonymous visitor opens a new certificate's QR link and sees valid, the holder and the dates only; a wrong code and an unknown number get the same no-match answer", async ({ page, browser }) => {
    // the trainer certifies a cohort-5 trainee who meets every requirement
    await signIn(page, "trainer");
    await openCohort5(page, "Cohort 5");
    const ready = page.getByRole("row").filter({ hasText: "Meets all" }).first();
    const traineeName = (await ready.getByRole("link").innerText()).trim();
    await ready.getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(traineeName);
    await expect(page.getByText("Meets every requirement", { exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Certify", exact: true }).click();
    const done = flash(page, /Certified: certificate TB-C5-\d{3}\./);
    await expect(done).toBeVisible();
    const number = (await done.innerText()).match(/TB-C5-\d{3}/)![0];
    const facts = page.locator("dl").filter({ hasText: "Certificate number" });
    const issued = (await facts.locator("div").filter({ hasText: "Issued on" }).locator("dd").innerText()).trim();
    const expires = (await facts.locator("div").filter({ hasText: "Expires on" }).locator("dd").innerText()).trim();
    expect(issued).toBe(formatDate("en", programToday()));
    await page.getByRole("link", { name: "Print certificate", exact: true }).click();
    const { path, code } = await verificationLinkOf(page, number);

    // an anonymous visitor scans the QR code
    const anon = await anonymousPage(browser, "en-GB");
    const visitor = anon.page;
    const response = await visitor.goto(path);
    expect(response?.status()).toBe(200);
    await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Verify a peer-tutor certificate");
    await expect(visitor.getByText("Valid", { exact: true })).toBeVisible();
    await expect(visitor.getByText("This peer-tutor certificate is valid.")).toBeVisible();
    const answer = visitor.locator("dl").first();
    expect((await answer.locator("dt").allInnerTexts()).map((s) => s.trim())).toEqual(["Holder", "Issued", "Valid until"]);
    expect((await answer.locator("dd").allInnerTexts()).map((s) => s.trim())).toEqual([traineeName, issued, expires]);
    await expect(visitor.locator("body")).not.toContainText("Cohort");
    await expect(visitor.getByRole("navigation", { name: "Main navigation" })).toHaveCount(0);

    // a wrong code for the same number, and an unknown number: the same answer
    const wrongCode = (code[0] === "A" ? "B" : "A") + code.slice(1);
    const wrong = await visitor.goto(`/verify/${number}?code=${wrongCode}`);
    const wrongText = await visitor.locator("#main").innerText();
    await expect(visitor.getByText("Not verified", { exact: true })).toBeVisible();
    await expect(visitor.getByText("No certificate matches this number and verification code.", { exact: false })).toBeVisible();
    await expect(visitor.locator("body")).not.toContainText(traineeName);
    const unknown = await visitor.goto(`/verify/TB-C9-999?code=${code}`);
    await expect(visitor.getByText("Not verified", { exact: true })).toBeVisible();
    expect(unknown?.status()).toBe(wrong?.status());
    expect(wrong?.status()).toBe(404);
    expect(await visitor.locator("#main").innerText()).toBe(wrongText);
    await anon.context.close();
  });

  test("a revoked demo certificate verifies as revoked for an anonymous visitor", async ({ page, browser }) => {
    // the registry lists revoked certificates; the trainer's print page shows the code
    await signIn(page, "trainer");
    await page.goto("/registry?certificate=revoked");
    const row = page.getByRole("row").filter({ has: page.locator("code") }).first();
    const number = (await row.locator("code").innerText()).trim();
    expect(number).toMatch(/^TB-C[1-4]-\d{3}$/);
    const holder = (await row.getByRole("link").first().innerText()).trim();
    await page.goto(`/certificates/${number}`);
    await expect(page.getByText("This certificate is not valid now; the printout says so.")).toBeVisible();
    const { path } = await verificationLinkOf(page, number);

    const anon = await anonymousPage(browser, "en-GB");
    const response = await anon.page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(anon.page.getByText("Revoked", { exact: true })).toBeVisible();
    await expect(anon.page.getByText("This peer-tutor certificate has been revoked.")).toBeVisible();
    const answer = anon.page.locator("dl").first();
    expect((await answer.locator("dt").allInnerTexts()).map((s) => s.trim())).toEqual(["Holder", "Issued", "Valid until", "Revoked on"]);
    await expect(answer.locator("dd").first()).toHaveText(holder);
    await expect(anon.page.getByText("Valid", { exact: true })).toHaveCount(0);
    await anon.context.close();

    // the same link in Chinese
    const zh = await anonymousPage(browser, "zh-CN");
    await zh.page.goto(path);
    await expect(zh.page.getByRole("heading", { level: 1 })).toHaveText("核验同伴辅导员证书");
    await expect(zh.page.getByText("已撤销", { exact: true })).toBeVisible();
    await expect(zh.page.getByText("该同伴辅导员证书已被撤销。")).toBeVisible();
    await expect(zh.page.locator("dl").first().locator("dt")).toHaveText(["持证人", "发证日期", "有效期至", "撤销日期"]);
    await zh.context.close();
  });
});
