import { expect, test } from "@playwright/test";
import { navLinks, signIn, signOut } from "./helpers";

test.use({ locale: "en-GB" });

test("an admin creates a coordinator scoped to one district, who then signs in and must choose a new password", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/users/new");
  await page.getByRole("textbox", { name: "Login name", exact: true }).fill("e2e-coordinator");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("端到端协调员（虚构）");
  await page.getByRole("textbox", { name: "Temporary password", exact: true }).fill("temporary-pass-123");
  await page.getByRole("checkbox", { name: "Program coordinator", exact: true }).check();
  await page.getByRole("checkbox", { name: "Jing'an" }).check();
  await page.getByRole("button", { name: "Create user" }).click();

  await expect(page.getByRole("status")).toContainText("e2e-coordinator");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("端到端协调员（虚构）");
  await expect(page.locator("main")).toContainText("Jing'an");
  await signOut(page);

  await signIn(page, "e2e-coordinator", "temporary-pass-123");
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.getByRole("textbox", { name: "Current password", exact: true }).fill("temporary-pass-123");
  await page.getByRole("textbox", { name: "New password", exact: true }).fill("my-own-new-password");
  await page.getByRole("textbox", { name: "New password again", exact: true }).fill("my-own-new-password");
  await page.getByRole("button", { name: "Change password" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
  await expect(page.locator("main")).toContainText("Program coordinator · Jing'an");
  // the same navigation as any coordinator: the district scope limits rows, not pages
  expect(await navLinks(page)).toEqual([
    "Home", "Tasks", "Crisis", "Falling behind", "Reassignment queue", "Plans to approve", "Recognition", "Milestones", "Hours to approve",
    "Clients", "My sessions", "This week", "Studios", "Funded projects", "My volunteer hours", "Training", "Peer-tutor registry", "Outcome reports",
    "Organisation",
  ]);
});

test("a new user form with bad input keeps what was typed and says what is wrong", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/users/new");
  await page.getByRole("textbox", { name: "Login name", exact: true }).fill("admin");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("重复登录名（虚构）");
  await page.getByRole("textbox", { name: "Temporary password", exact: true }).fill("short");
  await page.getByRole("checkbox", { name: "Trainer", exact: true }).check();
  await page.getByRole("button", { name: "Create user" }).click();

  await expect(page.getByRole("alert")).toContainText("Use at least 10 characters.");
  await expect(page.getByRole("textbox", { name: "Name", exact: true })).toHaveValue("重复登录名（虚构）");
  await expect(page.getByRole("checkbox", { name: "Trainer", exact: true })).toBeChecked();

  await page.getByRole("textbox", { name: "Temporary password", exact: true }).fill("long-enough-password");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("alert")).toContainText("already in use");
  await expect(page.getByRole("textbox", { name: "Login name", exact: true })).toHaveValue("admin");
  await expect(page.getByRole("textbox", { name: "Name", exact: true })).toHaveValue("重复登录名（虚构）");
});
