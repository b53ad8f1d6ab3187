import { expect, test } from "@playwright/test";
import { formatDate } from "../../app/i18n/format";
import { flash, horizontalOverflow, programToday, signIn, signOut } from "./helpers";

/**
 * Journeys of the clients issue for peer tutors: logging a contact from "My mentees" on a phone,
 * and a mentee of one tutor staying closed to another (with the access log as the witness).
 * The demo gives `tutor` and `tutor2` seven mentees each, three of them overdue for a contact.
 */

const OVERDUE = /\d+ days? overdue/;

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, locale: "en-GB" });

  test("a tutor logs a phone call from My mentees and that mentee is no longer overdue", async ({ page }) => {
    await signIn(page, "tutor");
    const menu = page.getByRole("navigation", { name: "Main navigation" });
    await menu.locator("summary").click();
    await menu.getByRole("link", { name: "My mentees", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("My mentees");
    // the menu closes once an entry is chosen, instead of covering the page it opened
    await expect(menu.getByRole("link", { name: "My mentees", exact: true })).toBeHidden();

    const cards = page.getByTestId("worklist-card");
    await expect(cards.first()).toBeVisible();
    const overdueCards = cards.filter({ hasText: OVERDUE });
    const overdueBefore = await overdueCards.count();
    expect(overdueBefore, "the demo gives tutor overdue mentees").toBeGreaterThan(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    const card = overdueCards.first();
    const alias = (await card.getByRole("heading").innerText()).trim();
    const logContact = card.getByRole("link", { name: `Log contact for ${alias}`, exact: true });
    const box = await logContact.boundingBox();
    expect(box?.height ?? 0, "the Log contact button is a big touch target").toBeGreaterThanOrEqual(44);
    await logContact.click();

    await expect(page.getByRole("heading", { level: 1 })).toHaveText(alias);
    await expect(page.getByRole("heading", { name: "Log a contact" })).toBeVisible();
    const summary = `Phone call from the e2e journey: talked about the week, all calm (fictional) ${Date.now()}`;
    await page.getByRole("radio", { name: "Phone call", exact: true }).check();
    await expect(page.getByRole("textbox", { name: "When", exact: true })).not.toHaveValue("");
    await page.getByRole("spinbutton", { name: "Duration (minutes)", exact: true }).fill("15");
    await page.getByRole("textbox", { name: "Summary", exact: true }).fill(summary);
    await page.getByRole("combobox", { name: /^Mood/ }).selectOption({ label: "Stable" });
    const save = page.getByRole("button", { name: "Save contact", exact: true });
    expect((await save.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(44);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await save.click();

    await expect(flash(page, "Contact saved")).toBeVisible();
    const newest = page.getByRole("article").first();
    await expect(newest).toContainText("Phone call");
    await expect(newest).toContainText(summary);
    await expect(newest).toContainText("Mood: Stable");
    // the form is cleared for the next contact
    await expect(page.getByRole("textbox", { name: "Summary", exact: true })).toHaveValue("");

    await menu.locator("summary").click();
    await menu.getByRole("link", { name: "My mentees", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("My mentees");
    const after = cards.filter({ has: page.getByRole("heading", { name: alias, exact: true }) });
    await expect(after).toHaveCount(1);
    await expect(after).toContainText("On track");
    await expect(after).not.toContainText(OVERDUE);
    await expect(after).toContainText(formatDate("en", programToday()));
    await expect(overdueCards).toHaveCount(overdueBefore - 1);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });
});

test.describe("in English", () => {
  test.use({ locale: "en-GB" });

  test("tutor2 cannot open or write to tutor's mentee, and the access log shows tutor's views and none by tutor2", async ({ page }) => {
    await signIn(page, "tutor");
    await page.goto("/mentees");
    const link = page.getByTestId("worklist-card").first().getByRole("heading").getByRole("link");
    const alias = (await link.innerText()).trim();
    const href = (await link.getAttribute("href"))!;
    expect(href).toMatch(/^\/clients\/\d+$/);
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(alias);
    await page.getByRole("navigation", { name: "Parts of the client's record" }).getByRole("link", { name: "Contacts", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Contacts, newest first" })).toBeVisible();
    await signOut(page);

    await signIn(page, "tutor2");
    await page.goto("/mentees");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("My mentees");
    await expect(page.locator(`a[href="${href}"]`)).toHaveCount(0);
    for (const path of [href, `${href}/contacts`, `${href}/plan`, `${href}/events`]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
      await expect(page.locator("main")).not.toContainText(alias);
    }
    // a contact posted straight to the action is refused the same way, and nothing is written
    const posted = await page.request.post(`${href}/contacts`, {
      form: { intent: "save", type: "phone", happenedAt: "2020-01-01T10:00", durationMinutes: "5", summary: "Should not be saved (fictional)" },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(404);
    await signOut(page);

    await signIn(page, "admin");
    await page.goto(`${href}/access-log`);
    await expect(page.getByRole("heading", { name: "Access log" })).toBeVisible();
    const log = page.getByRole("table", { name: "Views and changes of this client's record, newest first" });
    const byTutor = log.getByRole("row").filter({ has: page.getByRole("cell", { name: "tutor", exact: true }) });
    await expect(byTutor.filter({ hasText: "Opened: Overview" }).first()).toBeVisible();
    await expect(byTutor.filter({ hasText: "Opened: Contacts" }).first()).toBeVisible();
    await expect(log.getByRole("cell", { name: "tutor2", exact: true })).toHaveCount(0);
    await expect(log.getByRole("row").filter({ has: page.getByRole("cell", { name: "admin", exact: true }) }).filter({ hasText: "Opened: Access log" }).first()).toBeVisible();
    await expect(log).not.toContainText("Should not be saved");
  });
});
