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

/** The program's time zone (the demo's settings): dates the pages show and take are days there. */
const PROGRAM_TIME_ZONE = "Asia/Shanghai";

/** Today in the program's time zone, YYYY-MM-DD. */
export function programToday(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: PROGRAM_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/** A YYYY-MM-DD date `days` later (or earlier, when negative). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The confirmation banner shown after a change (there is one at a time). */
export function flash(page: Page, text: string | RegExp) {
  return page.getByRole("status").filter({ hasText: text });
}

/** Whether the page scrolls sideways (it must not, down to 390 px). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
