import { expect, test, type Browser, type Page } from "@playwright/test";
import { addDays, flash, horizontalOverflow, programToday, signIn } from "./helpers";

/**
 * Studios, groups and sessions. Demo data (db/demo/sessions.ts), generated for today:
 * - at Xuhui, every Wednesday 14:00–15:30 in room 1 "周三下午同伴支持小组（演示）" is led by one peer
 *   tutor who has no login (the anchor slot); Xuhui's room 2 is free on Wednesdays, and `tutor2`
 *   (a Xuhui peer tutor) runs groups on other days only;
 * - `tutor` runs weekly Huangpu groups, so their week always has sessions with registered clients;
 * - the tutor's Tuesday group is full and its first upcoming session has two clients waitlisted.
 */

const ANCHOR_TOPIC = "周三下午同伴支持小组（演示）";

/** The Monday of next week in the program's time zone. */
function nextMonday(): string {
  const today = programToday();
  const weekday = new Date(`${today}T12:00:00Z`).getUTCDay() || 7;
  return addDays(today, 8 - weekday);
}

/** A signed-in page in its own browser context. */
async function signedIn(browser: Browser, login: string, locale: string, viewport?: { width: number; height: number }) {
  const context = await browser.newContext({ locale, baseURL: test.info().project.use.baseURL, ...(viewport ? { viewport } : {}) });
  const page = await context.newPage();
  await signIn(page, login);
  return { context, page };
}

async function displayName(page: Page): Promise<string> {
  return (await page.locator("header details summary span.max-w-40").first().innerText()).trim();
}

/** Unfolds an ICS text (RFC 5545 §3.1: a line break followed by a space or tab continues the line). */
const unfold = (ics: string) => ics.replace(/\r?\n[ \t]/g, "");

test.describe("in English", () => {
  test.use({ locale: "en-GB" });

  test("a coordinator's eight-week group runs into a double-booked tutor, takes a suggested tutor instead, and the group lands in that tutor's calendar and ICS feed", async ({ page, browser }) => {
    const monday = nextMonday();
    const topic = `E2E Wednesday circle ${Date.now().toString(36)} (fictional)`;

    // tutor2 makes a calendar feed address (shown once) and we learn their name
    const tutor2 = await signedIn(browser, "tutor2", "en-GB");
    const tutor2Name = await displayName(tutor2.page);
    await tutor2.page.goto("/calendar");
    await tutor2.page.getByRole("button", { name: "Create feed address" }).click();
    const shown = await tutor2.page.getByRole("status").filter({ hasText: ".ics" }).innerText();
    const feedUrl = shown.match(/https?:\/\/\S+\.ics/)?.[0] ?? "";
    expect(feedUrl).toContain("/calendar/person/");

    // the coordinator looks up who leads Xuhui's Wednesday-afternoon group
    await signIn(page, "coordinator");
    await page.goto("/studios");
    await page.getByRole("link", { name: "Xuhui Peer-education Studio" }).first().click();
    await expect(page).toHaveURL(/\/studios\/\d+/);
    await page.goto(`${new URL(page.url()).pathname}?week=${monday}`);
    await page.getByRole("link", { name: new RegExp(ANCHOR_TOPIC) }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(ANCHOR_TOPIC);
    const busyTutor = (await page.locator("dt", { hasText: /^Facilitators$/ }).locator("xpath=following-sibling::dd[1]").innerText()).trim();
    expect(busyTutor).not.toBe("");
    expect(busyTutor).not.toBe(tutor2Name);

    // a new eight-week group in Xuhui's room 2, first asked for at 10:00, where that tutor is free
    await page.goto("/groups/new");
    await page.locator('select[name="studioId"]').selectOption({ label: "Xuhui Peer-education Studio" });
    const room = await page.locator('select[name="roomId"] option').evaluateAll(
      (options) => options.find((o) => o.textContent?.includes("Xuhui") && o.textContent.includes("Group room 2"))?.getAttribute("value") ?? "",
    );
    expect(room).not.toBe("");
    await page.locator('select[name="roomId"]').selectOption(room);
    await page.locator('input[name="topic"]').fill(topic);
    await page.locator('select[name="kind"]').selectOption({ label: "Peer support" });
    await page.locator('input[name="capacity"]').fill("8");
    await page.locator('input[name="startDate"]').fill(monday);
    await page.getByRole("checkbox", { name: "Wednesday" }).check();
    await expect(page.locator('input[name="count"]')).toHaveValue("8");
    await page.locator('input[name="startTime"]').fill("10:00");
    await page.locator('input[name="endTime"]').fill("11:30");
    await page.getByRole("button", { name: "Suggest facilitators" }).click();
    await page.locator("label", { hasText: busyTutor }).locator('input[type="checkbox"]').check();

    // moved to the afternoon, the tutor is double-booked on every date: nothing is saved
    await page.locator('input[name="startTime"]').fill("14:00");
    await page.locator('input[name="endTime"]').fill("15:30");
    await page.getByRole("button", { name: "Create group" }).click();
    await expect(page.getByRole("heading", { name: "Dates that cannot be scheduled: 8" })).toBeVisible();
    await expect(page.getByText(`${busyTutor} already facilitates “${ANCHOR_TOPIC}” at 14:00–15:30.`)).toHaveCount(8);
    await expect(page).toHaveURL(/\/groups\/new/);

    // suggestions for the afternoon leave the busy tutor out and offer tutor2, a peer tutor of Xuhui
    await page.getByRole("button", { name: "Suggest facilitators" }).click();
    const offered = page.locator("label").filter({ hasText: tutor2Name }).filter({ hasText: "Peer tutor" });
    await expect(offered).toHaveCount(1);
    await expect(page.locator("label").filter({ hasText: busyTutor }).filter({ hasText: "Peer tutor" })).toHaveCount(0);
    await page.locator("label", { hasText: busyTutor }).locator('input[type="checkbox"]').uncheck();
    await offered.locator('input[type="checkbox"]').check();
    await page.getByRole("button", { name: "Create group" }).click();
    await expect(page).toHaveURL(/\/groups\/\d+$/);
    await expect(flash(page, `Group “${topic}” created with 8 sessions.`)).toBeVisible();

    // tutor2's calendar shows the new group next week, and their feed carries all eight sessions
    await tutor2.page.goto(`/calendar?week=${monday}`);
    await expect(tutor2.page.getByRole("link", { name: new RegExp(topic.replace(/[()]/g, "\\$&")) })).toHaveCount(1);
    const response = await tutor2.page.request.get(feedUrl);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/calendar");
    const feed = unfold(await response.text());
    const events = feed.split("BEGIN:VEVENT").slice(1).filter((e) => e.includes(`SUMMARY:${topic}`));
    expect(events).toHaveLength(8);
    for (const e of events) expect(e).toMatch(/DTSTART:\d{8}T060000Z/);
    await tutor2.context.close();
  });

  test("cancelling a registration in a full session moves the first waitlisted client in", async ({ page }) => {
    await signIn(page, "coordinator");
    await page.goto("/sessions/week");
    const waitlists = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Waitlists \(\d+\)$/ }) });
    await waitlists.getByRole("link").first().click();
    await expect(page).toHaveURL(/\/sessions\/\d+$/);
    await page.getByRole("link", { name: "Registrations" }).first().click();
    await expect(page).toHaveURL(/\/sessions\/\d+\/register$/);

    const list = page.locator("section").filter({ has: page.getByRole("heading", { name: "Registered and waitlisted" }) }).locator("li");
    const first = list.filter({ hasText: "Waitlist no. 1" });
    const second = list.filter({ hasText: "Waitlist no. 2" });
    const firstAlias = (await first.locator("span").first().innerText()).trim();
    const secondAlias = (await second.locator("span").first().innerText()).trim();
    const registered = list.filter({ hasText: "Registered" }).filter({ hasNotText: "Waitlist" });
    const before = await registered.count();
    expect(before).toBeGreaterThan(0);
    await expect(page.getByText(`${before} registered of ${before}`)).toBeVisible();

    const leaving = registered.first();
    const leavingAlias = (await leaving.locator("span").first().innerText()).trim();
    await leaving.getByRole("button", { name: "Cancel registration" }).click();
    await expect(flash(page, "Registration cancelled.")).toBeVisible();

    // still full: the first on the waitlist is registered, the second moves up
    await expect(page.getByText(`${before} registered of ${before}`)).toBeVisible();
    await expect(list.filter({ hasText: firstAlias })).toContainText("Registered");
    await expect(list.filter({ hasText: firstAlias })).not.toContainText("Waitlist");
    await expect(list.filter({ hasText: secondAlias })).toContainText("Waitlist no. 1");
    await expect(list.filter({ hasText: leavingAlias })).toHaveCount(0);
  });
});

test.describe("in Chinese, on a phone", () => {
  test.use({ locale: "zh-CN", viewport: { width: 390, height: 844 }, hasTouch: true });

  test("a tutor takes attendance for a session of this week with one tap per person, and it is saved", async ({ page }) => {
    await signIn(page, "tutor");
    await page.goto("/calendar");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的活动");
    await page.locator('main a[href^="/sessions/"]').first().click();
    await expect(page).toHaveURL(/\/sessions\/\d+$/);
    await page.getByRole("link", { name: "记录考勤" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("考勤");
    const sheetUrl = page.url();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    const people = page.locator("form fieldset");
    const count = await people.count();
    expect(count).toBeGreaterThan(1);
    // one tap per person: the first is late, everyone else present
    for (let i = 0; i < count; i++) {
      const choice = people.nth(i).locator("label", { hasText: i === 0 ? "迟到" : "出席" });
      const box = await choice.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
      await choice.tap();
    }
    await page.getByRole("button", { name: "保存考勤" }).click();
    await expect(flash(page, "考勤已保存")).toBeVisible();

    // the marks are kept: the sheet shows them again
    await page.goto(sheetUrl);
    const reopened = page.locator("form fieldset");
    await expect(reopened).toHaveCount(count);
    await expect(reopened.nth(0).locator('input[value="late"]')).toBeChecked();
    for (let i = 1; i < count; i++) await expect(reopened.nth(i).locator('input[value="present"]')).toBeChecked();
  });
});
