import { expect, test } from "@playwright/test";
import { formatDate } from "../../app/i18n/format";
import { addDays, flash, programToday, signIn } from "./helpers";

/**
 * Journeys of the clients issue for social workers: intake, consent, a service plan (approved by
 * the coordinator) and a relapse that restarts the abstinence clock, in Chinese, on a client the
 * journey takes in itself; and the three-year recognition of an eligible demo client with the
 * monitoring-lift request and its bilingual letter, in English.
 */

test.describe("in Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("a social worker takes in a client, records consent, a plan and a relapse, and sees the abstinence clock restart", async ({ page, browser, baseURL }) => {
    const today = programToday();
    const intake = addDays(today, -400);
    const relapseOn = addDays(today, -10);
    const zh = (d: string) => formatDate("zh-CN", d);
    const stamp = Date.now().toString(36).toUpperCase();
    const caseNumber = `E2E-${stamp}`;
    const alias = `测试对象${stamp}（化名）`;

    // intake, without consent
    await signIn(page, "socialworker");
    await page.goto("/clients/new");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("服务对象接案");
    await page.getByRole("textbox", { name: "案号", exact: true }).fill(caseNumber);
    await page.getByRole("textbox", { name: "化名", exact: true }).fill(alias);
    await page.getByRole("combobox", { name: "区", exact: true }).selectOption({ label: "黄浦区" });
    await page.getByRole("combobox", { name: "法律身份", exact: true }).selectOption({ label: "社区康复" });
    await page.getByRole("textbox", { name: "接案日期", exact: true }).fill(intake);
    await page.getByRole("combobox", { name: "风险等级", exact: true }).selectOption({ label: "中风险" });
    await page.getByRole("button", { name: "完成接案", exact: true }).click();

    await expect(flash(page, `已为${alias}接案。`)).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(alias);
    await expect(page.locator("header").filter({ hasText: alias })).toContainText(`案号 ${caseNumber}`);
    await expect(page.locator("main")).toContainText("没有有效的知情同意");
    const clientPath = new URL(page.url()).pathname;
    expect(clientPath).toMatch(/^\/clients\/\d+$/);
    const tabs = page.getByRole("navigation", { name: "服务对象档案的各部分" });

    // the clock runs from intake; a relapse cannot be recorded before consent
    await tabs.getByRole("link", { name: "戒断", exact: true }).click();
    await expect(page.getByText(`自 ${zh(intake)} 起戒断`)).toBeVisible();
    await expect(page.getByText("400 天", { exact: true })).toBeVisible();
    await page.getByRole("textbox", { name: "日期", exact: true }).fill(relapseOn);
    await page.getByRole("combobox", { name: "事件", exact: true }).selectOption({ label: "复吸" });
    await page.getByRole("button", { name: "记录事件", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("该服务对象在此日期没有有效的知情同意。请先记录知情同意。");
    await expect(page.getByRole("combobox", { name: "事件", exact: true })).toHaveValue("relapse");
    await expect(page.getByText("暂无事件记录。")).toBeVisible();

    // consent
    await tabs.getByRole("link", { name: "概况", exact: true }).click();
    await page.locator("summary", { hasText: "记录知情同意" }).click();
    await page.getByRole("checkbox", { name: "个案管理", exact: true }).check();
    await page.getByRole("checkbox", { name: "同伴帮教", exact: true }).check();
    await page.getByRole("checkbox", { name: "可以记录敏感信息（健康、吸毒情况、法律身份）", exact: true }).check();
    await page.getByRole("textbox", { name: "同意日期", exact: true }).fill(intake);
    await page.getByRole("button", { name: "记录知情同意", exact: true }).click();
    await expect(flash(page, "知情同意已记录。")).toBeVisible();
    await expect(page.getByRole("heading", { name: "当前的知情同意" })).toBeVisible();
    await expect(page.locator("main")).toContainText("包括敏感信息");
    await expect(page.locator("main")).toContainText(`${zh(intake)} 同意，由 socialworker 记录`);

    // a service plan: draft, review date, one goal, submit
    await tabs.getByRole("link", { name: "个性化帮教服务方案", exact: true }).click();
    await expect(page.getByText("尚无帮教服务方案")).toBeVisible();
    await page.getByRole("button", { name: "开始制定方案", exact: true }).click();
    await expect(flash(page, "已创建方案草稿。")).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: /第 1 版/ })).toBeVisible();
    await page.getByRole("textbox", { name: /^下次评估日期/ }).fill(addDays(today, 60));
    await page.getByRole("button", { name: "保存评估日期和说明", exact: true }).click();
    await expect(flash(page, "方案已保存。")).toBeVisible();
    const goal = "每周参加一次同伴小组活动（虚构）";
    await page.getByRole("combobox", { name: "领域", exact: true }).selectOption({ label: "戒断" });
    await page.getByRole("textbox", { name: "目标", exact: true }).fill(goal);
    await page.getByRole("textbox", { name: /^行动/ }).fill("由同伴辅导员陪同前往工作室（虚构）");
    await page.getByRole("textbox", { name: /^负责人/ }).fill("服务对象");
    await page.getByRole("button", { name: "添加目标", exact: true }).click();
    await expect(flash(page, "目标已添加。")).toBeVisible();
    await expect(page.getByText(goal, { exact: true })).toBeVisible();
    await page.getByRole("button", { name: "提交审批", exact: true }).click();
    await expect(flash(page, "方案已提交审批。")).toBeVisible();
    await expect(page.getByText("待审批", { exact: true })).toBeVisible();
    await expect(page.getByText("等待项目协调员审批。")).toBeVisible();

    // the coordinator of the district approves it, reading in English
    const coordinatorContext = await browser.newContext({ locale: "en-GB", baseURL });
    try {
      const coordinator = await coordinatorContext.newPage();
      await signIn(coordinator, "coordinator");
      await coordinator.goto(`${clientPath}/plan`);
      await expect(coordinator.getByText("Waiting for approval", { exact: true })).toBeVisible();
      await expect(coordinator.getByText(goal, { exact: true })).toBeVisible();
      await coordinator.getByRole("button", { name: "Approve plan", exact: true }).click();
      await expect(flash(coordinator, "Plan approved.")).toBeVisible();
      await expect(coordinator.getByText("In effect", { exact: true })).toBeVisible();
    } finally {
      await coordinatorContext.close();
    }
    await page.reload();
    await expect(page.getByText("已批准", { exact: true })).toBeVisible();
    await expect(page.getByText("现行有效", { exact: true })).toBeVisible();

    // a relapse ten days ago restarts the clock
    await tabs.getByRole("link", { name: "戒断", exact: true }).click();
    await page.getByRole("textbox", { name: "日期", exact: true }).fill(relapseOn);
    await page.getByRole("combobox", { name: "事件", exact: true }).selectOption({ label: "复吸" });
    const note = "家属反映近期复吸，已安排尿检（虚构记录）";
    await page.getByRole("textbox", { name: /^备注/ }).fill(note);
    await page.getByRole("button", { name: "记录事件", exact: true }).click();
    await expect(flash(page, "事件已记录。")).toBeVisible();
    await expect(page.getByText(`自 ${zh(relapseOn)} 起戒断`)).toBeVisible();
    await expect(page.getByText("10 天", { exact: true })).toBeVisible();
    await expect(page.getByText(`下一个：${zh(addDays(relapseOn, 30))}`)).toBeVisible();
    await expect(page.getByText("20 天后", { exact: true })).toBeVisible();
    const event = page.getByRole("table", { name: "事件记录" }).getByRole("row").filter({ hasText: note });
    await expect(event).toContainText("复吸");
    await expect(event).toContainText(zh(relapseOn));
    await tabs.getByRole("link", { name: "概况", exact: true }).click();
    await expect(page.getByText(`自 ${zh(relapseOn)} 起保持戒断`)).toBeVisible();

    // the access log lists who opened which part
    await tabs.getByRole("link", { name: "访问记录", exact: true }).click();
    const log = page.getByRole("table", { name: "本服务对象档案的查看与修改记录，最新的在前" });
    const rowsOf = (login: string) => log.getByRole("row").filter({ has: page.getByRole("cell", { name: login, exact: true }) });
    await expect(rowsOf("socialworker").filter({ hasText: "查看：戒断" }).first()).toBeVisible();
    await expect(rowsOf("socialworker").filter({ hasText: "查看：概况" }).first()).toBeVisible();
    await expect(rowsOf("coordinator").filter({ hasText: "查看：个性化帮教服务方案" }).first()).toBeVisible();
    await expect(rowsOf("coordinator").filter({ hasText: "查看：戒断" })).toHaveCount(0);
  });
});

test.describe("in English", () => {
  test.use({ locale: "en-GB" });

  test("a social worker recognises an eligible client, requests the monitoring lift and prints the bilingual letter", async ({ page }) => {
    const today = programToday();
    await signIn(page, "socialworker");
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Recognition", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Three-year recognition");
    const worklist = page.getByRole("table", { name: "Three-year recognition" });
    const rows = worklist.locator("tbody tr");
    const before = await rows.count();
    expect(before, "the demo gives socialworker eligible clients").toBeGreaterThan(0);
    const link = rows.first().getByRole("link");
    const alias = (await link.innerText()).trim();
    const caseNumber = (await rows.first().getByRole("cell").nth(1).innerText()).trim();
    await link.click();

    await expect(page.getByRole("heading", { level: 1 })).toHaveText(alias);
    await expect(page.getByText(/^Eligible: abstinent since .+, three years complete on .+\.$/)).toBeVisible();
    await page.getByRole("textbox", { name: "Date of recognition", exact: true }).fill(today);
    await page.getByRole("textbox", { name: "Evidence", exact: true }).fill("Negative tests every quarter and monthly contacts for three years; the family confirms (fictional).");
    await page.getByRole("button", { name: "Record recognition", exact: true }).click();
    await expect(flash(page, "Recognition recorded.")).toBeVisible();
    await expect(page.getByText(new RegExp(`^Recognised on ${formatDate("en", today)} by `))).toBeVisible();
    await expect(page.getByRole("button", { name: "Record recognition" })).toHaveCount(0);
    const clientPath = new URL(page.url()).pathname.replace(/\/recognition$/, "");

    // off the worklist
    await page.goto("/recognition");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Three-year recognition");
    await expect(page.locator(`a[href="${clientPath}/recognition"]`)).toHaveCount(0);
    if (before > 1) await expect(rows).toHaveCount(before - 1);
    else await expect(page.getByText("No client is eligible for recognition today.")).toBeVisible();

    // the lift request: drafted, then sent
    await page.goto(`${clientPath}/recognition`);
    await page.getByRole("button", { name: "Start a lift request", exact: true }).click();
    await expect(flash(page, "Lift request drafted.")).toBeVisible();
    await page.getByRole("textbox", { name: "Date sent", exact: true }).fill(today);
    await page.getByRole("button", { name: "Mark as sent", exact: true }).click();
    await expect(flash(page, "Request marked as sent.")).toBeVisible();
    await expect(page.getByText(`Sent ${formatDate("en", today)}`, { exact: true })).toBeVisible();

    // the letter, in both languages on one page
    await page.getByRole("link", { name: "Print request letter", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${clientPath}/lift-letter$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Request to lift dynamic monitoring");
    const en = page.locator('section[lang="en"]');
    const zh = page.locator('section[lang="zh-CN"]');
    await expect(en.getByRole("heading", { level: 2 })).toHaveText("Request to lift dynamic monitoring");
    await expect(en).toContainText(`${alias} (alias; case number ${caseNumber})`);
    await expect(en).toContainText(`On ${formatDate("en", today)} our social worker recognised three years of abstinence without relapse.`);
    await expect(zh.getByRole("heading", { level: 2 })).toHaveText("关于申请解除动态管控的函");
    await expect(zh).toContainText(`（化名：${alias}，案号：${caseNumber}）`);
    await expect(zh).toContainText(`已于${formatDate("zh-CN", today)}认定为戒断三年未复吸`);
    await expect(en).toContainText("Social worker (signature)");
    await expect(zh).toContainText("禁毒社工（签名）");

    // printed: the letter only, without the navigation or the buttons
    const mainNav = page.getByRole("navigation", { name: "Main navigation" });
    const printButton = page.getByRole("button", { name: "Print", exact: true });
    await expect(mainNav).toBeVisible();
    await expect(printButton).toBeVisible();
    await page.emulateMedia({ media: "print" });
    await expect(mainNav).toBeHidden();
    await expect(printButton).toBeHidden();
    await expect(page.getByRole("link", { name: "Back", exact: true })).toBeHidden();
    await expect(en).toBeVisible();
    await expect(zh).toBeVisible();
    await page.emulateMedia({ media: "screen" });

    // the real name only on request, and the request is logged
    await page.getByRole("button", { name: "Include the real name", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: /real name/ })).toBeVisible();

    // the access log shows these views
    await page.goto(`${clientPath}/access-log`);
    const log = page.getByRole("table", { name: "Views and changes of this client's record, newest first" });
    const mine = log.getByRole("row").filter({ has: page.getByRole("cell", { name: "socialworker", exact: true }) });
    await expect(mine.filter({ hasText: "Opened: Recognition" }).first()).toBeVisible();
    await expect(mine.filter({ hasText: "Opened: Request to lift dynamic monitoring" }).first()).toBeVisible();
  });
});
