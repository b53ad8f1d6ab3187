import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "tongban-demo";

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD, path = "/login") {
  await page.goto(path);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  // wait for the sign-in POST to be answered, so the next step cannot race it
  const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login"));
  await page.locator('form[method="post"] button[type="submit"]').last().click();
  await answered;
  await page.waitForLoadState();
}

export async function signOut(page: Page) {
  const menu = page.locator("header details summary").first();
  await menu.click();
  await page.locator('form[action="/logout"] button').click();
  await expect(page).toHaveURL(/\/login/);
}

/** The visible links of the main navigation, in order. */
export async function navLinks(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: /Main navigation|主导航/ });
  return (await nav.locator("ul:visible a").allTextContents()).map((t) => t.trim());
}
