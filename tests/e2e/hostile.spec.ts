import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { flash, programToday, signIn } from "./helpers";

/**
 * Hostile input (issue 8 item 7): a social worker saves script and markup through the real forms,
 * as a client's alias and a contact summary, and every page that shows them (the client's page,
 * contacts, timeline, the client list, the caseload, the CSV export) shows them as text: no script
 * runs, no dialog opens, and the characters are visible literally.
 */

const SUMMARY_ATTACK = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;

test.use({ locale: "en-GB" });

/** Fails the test on any dialog and on a page error; returns what was seen. */
function watch(page: Page) {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on("dialog", (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => seen.errors.push(e.message));
  return seen;
}

async function expectNotPwned(page: Page, seen: ReturnType<typeof watch>) {
  // let an injected <img onerror> fire if it was parsed as markup
  await page.waitForLoadState("load");
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), `script ran on ${page.url()}`).toBeUndefined();
  expect(await page.locator('main img[src="x"]').count(), `markup rendered on ${page.url()}`).toBe(0);
  expect(await page.locator("main script").count()).toBe(0);
  expect(seen.dialogs).toEqual([]);
}

test("script and markup saved as a client's alias and a contact summary are shown as text on every page and in the CSV export", async ({ page }) => {
  const seen = watch(page);
  const stamp = Date.now().toString(36).toUpperCase();
  const alias = `<img src=x onerror=__pwned=3>${stamp}`;
  const summary = `Test contact (fictional) ${stamp} ${SUMMARY_ATTACK}`;

  await signIn(page, "socialworker");
  await page.goto("/clients/new");
  await page.locator('input[name="caseNumber"]').fill(`E2E-X-${stamp}`);
  await page.locator('input[name="alias"]').fill(alias);
  await page.locator('select[name="districtId"]').selectOption({ index: 1 });
  await page.locator('select[name="legalStatus"]').selectOption({ index: 1 });
  await page.locator('select[name="riskLevel"]').selectOption({ index: 1 });
  for (const box of await page.locator('input[type="checkbox"][name^="purpose_"]').all()) await box.check();
  await page.locator('input[name="consentOn"]').fill(programToday());
  await page.getByRole("button", { name: "Take in client", exact: true }).click();

  await expect(flash(page, `${alias} has been taken in.`)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(alias);
  await expectNotPwned(page, seen);
  const clientPath = new URL(page.url()).pathname;
  expect(clientPath).toMatch(/^\/clients\/\d+$/);

  await page.goto(`${clientPath}/contacts`);
  await page.locator('input[name="type"]').first().check();
  await page.locator('input[name="durationMinutes"]').fill("15");
  await page.locator('textarea[name="summary"]').fill(summary);
  await page.getByRole("button", { name: "Save contact", exact: true }).click();
  await expect(flash(page, "Contact saved")).toBeVisible();
  await expect(page.getByRole("article").first()).toContainText(summary);
  await expectNotPwned(page, seen);

  for (const path of [clientPath, `${clientPath}/timeline`, `${clientPath}/contacts`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(alias);
    await expectNotPwned(page, seen);
  }
  await page.goto(`${clientPath}/timeline`);
  await expect(page.locator("main")).toContainText(SUMMARY_ATTACK);

  await page.goto(`/clients?q=${encodeURIComponent(stamp)}`);
  await expect(page.locator("main").getByText(alias, { exact: true }).first()).toBeVisible();
  await expectNotPwned(page, seen);

  await page.goto("/caseload");
  await expectNotPwned(page, seen);

  // the CSV export of the list holds the alias as a plain cell, served as an attachment
  await page.goto(`/clients?q=${encodeURIComponent(stamp)}`);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV", exact: true }).click();
  const file = await (await download).path();
  const csv = await readFile(file, "utf8");
  expect(csv).toContain(alias);
  await expectNotPwned(page, seen);

  expect(seen.errors).toEqual([]);
});
