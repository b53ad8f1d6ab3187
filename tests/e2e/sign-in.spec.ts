import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, navLinks, signIn, signOut } from "./helpers";

test.describe("in English", () => {
  test.use({ locale: "en-GB" });

  test("each demo role signs in and sees only its navigation", async ({ page }) => {
    const expected: Record<string, string[]> = {
      admin: ["Home", "Tasks", "Crisis", "Falling behind", "Reassignment queue", "Recognition", "Hours to approve", "Clients", "My sessions", "This week", "Studios", "Funded projects", "My volunteer hours", "Training", "Peer-tutor registry", "Outcome reports", "Organisation", "Users", "Settings", "Audit log", "Import data", "Export data", "Backups", "Security and privacy", "Records of processing"],
      coordinator: ["Home", "Tasks", "Crisis", "Falling behind", "Reassignment queue", "Plans to approve", "Recognition", "Milestones", "Hours to approve", "Clients", "My sessions", "This week", "Studios", "Funded projects", "My volunteer hours", "Training", "Peer-tutor registry", "Outcome reports", "Organisation"],
      socialworker: ["Home", "My caseload", "Tasks", "Crisis", "Recognition", "Milestones", "Clients", "My sessions", "Studios", "My volunteer hours", "Training", "Peer-tutor registry", "Outcome reports", "Organisation"],
      tutor: ["Home", "My mentees", "Tasks", "Crisis", "Milestones", "My sessions", "Studios", "My volunteer hours", "My training", "My certificate", "Outcome reports", "Organisation"],
      tutor2: ["Home", "My mentees", "Tasks", "Crisis", "Milestones", "My sessions", "Studios", "My volunteer hours", "My training", "My certificate", "Outcome reports", "Organisation"],
      trainer: ["Home", "My sessions", "Studios", "My volunteer hours", "Training", "Peer-tutor registry", "Outcome reports", "Organisation"],
    };
    for (const [login, links] of Object.entries(expected)) {
      await signIn(page, login);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
      expect(await navLinks(page), `navigation of ${login}`).toEqual(links);
      await signOut(page);
    }
  });

  test("a non-admin opening an admin page gets the localised 403 page", async ({ page }) => {
    await signIn(page, "tutor");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
    const response = await page.goto("/admin/users");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You cannot open this page");
    await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
  });

  test("a wrong password shows the message in English", async ({ page }) => {
    await signIn(page, "coordinator", "not-the-password");
    await expect(page.getByRole("alert")).toContainText("The login name or password is incorrect.");
    await expect(page.locator('input[name="login"]')).toHaveValue("coordinator");
  });

  test("the sign-in page says the demo data is fictional", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByTestId("demo-notice")).toContainText("fictional");
  });

  test("the 7th attempt is refused as locked, even with the right password", async ({ page }) => {
    for (let i = 1; i <= 6; i++) {
      await signIn(page, "locktest", `wrong-password-${i}`);
      await expect(page.getByRole("alert")).toContainText("incorrect");
    }
    await signIn(page, "locktest", "lock-test-password");
    await expect(page.getByRole("alert")).toContainText("locked");
    await expect(page).toHaveURL(/\/login/);
  });

  test("an anonymous visit to a deep link returns there after sign-in", async ({ page }) => {
    await page.goto("/admin/audit?entity=auth");
    await expect(page).toHaveURL(/\/login\?redirectTo=/);
    await page.locator('input[name="login"]').fill("admin");
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('form[method="post"] button[type="submit"]').last().click();
    await expect(page).toHaveURL(/\/admin\/audit\?entity=auth$/);
  });

  test("pages carry an enforced CSP with a nonce and refuse framing", async ({ page }) => {
    const response = await page.goto("/login");
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await signIn(page, "admin");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
    expect(violations).toEqual([]);
  });
});

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("a wrong password shows the message in Chinese", async ({ page }) => {
    await signIn(page, "trainer", "错误的密码");
    await expect(page.getByRole("alert")).toContainText("登录名或密码不正确。");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  });

  test("the language choice survives sign-out", async ({ page }) => {
    await signIn(page, "socialworker");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
    await page.getByRole("button", { name: /Switch to English/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
    await signOut(page);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to Tongban");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false, locale: "en-GB" });

  test("sign-in and sign-out work with plain forms", async ({ page }) => {
    await signIn(page, "trainer");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
    await signOut(page);
    await expect(page.getByRole("status")).toHaveText("You have signed out.");
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, locale: "en-GB" });

  test("the navigation collapses into a menu and nothing overflows at 390 px", async ({ page }) => {
    await signIn(page, "admin");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
    const menu = page.getByRole("navigation", { name: "Main navigation" }).locator("summary");
    await expect(menu).toBeVisible();
    await menu.click();
    await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Users" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
