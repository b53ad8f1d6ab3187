/**
 * The import and export pages render in both languages: the form with every kind, the error table
 * with line, column and the reason in the reader's language, the failed-rows button; the export
 * cards with their counts.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Locale } from "~/i18n/config";
import ExportPage from "~/routes/admin.export";
import ImportPage from "~/routes/admin.import/route";
import JobPage from "~/routes/admin.import_.jobs.$id/route";
import { COLUMNS, DATA_KINDS } from "~/domain/data/formats";

function render(Component: ComponentType, path: string, loaderData: unknown, actionData: unknown, locale: Locale): string {
  const Stub = createRemixStub([{ id: "root", path: "/", Component: () => createElement(Outlet), children: [{ id: "page", path: path.slice(1), Component }] }]);
  return renderToString(
    createElement(Stub, {
      initialEntries: [path],
      hydrationData: {
        loaderData: { root: { locale, timeZone: "Asia/Shanghai" }, page: loaderData },
        actionData: actionData ? { page: actionData } : undefined,
      },
    }),
  );
}

beforeAll(() => {
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
});

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, " ");
const importData = { kinds: DATA_KINDS, columns: COLUMNS, maxMb: 20 };
const failed = {
  values: { kind: "clients", dryRun: "" },
  result: {
    kind: "clients",
    ok: false,
    dryRun: false,
    rows: 3,
    inserted: 0,
    unchanged: 0,
    badRows: 1,
    fileErrors: [],
    rowErrors: [{ line: 3, column: "intake_date", key: "clients.dateInFuture" }],
    totalErrors: 1,
    failedId: "a".repeat(32),
  },
};

const job = (result: unknown, extra: Record<string, unknown> = {}) => ({
  id: "b".repeat(32),
  kind: "clients",
  dryRun: false,
  fileName: "clients.csv",
  running: false,
  rows: 3,
  elapsedSeconds: 1.5,
  crashed: false,
  result,
  ...extra,
});
const jobPath = `/admin/import/jobs/${"b".repeat(32)}`;

describe("import and export pages render", () => {
  it("shows the upload form with every kind and a multipart form, in English and Chinese", () => {
    const en = text(render(ImportPage, "/admin/import", importData, undefined, "en"));
    expect(en).toContain("Import data");
    for (const label of ["Clients", "Substance events", "Recognitions", "Contact log entries", "Peer tutors"]) expect(en).toContain(label);
    expect(en).toContain("Dry run");
    const html = render(ImportPage, "/admin/import", importData, undefined, "zh-CN");
    expect(html.toLowerCase()).toContain('enctype="multipart/form-data"');
    expect(text(html)).toContain("导入数据");
  });

  it("the job page lists the problems with line, column and reason and offers the failed rows", () => {
    const en = text(render(JobPage, jobPath, job(failed.result), undefined, "en"));
    expect(en).toContain("Nothing was imported: 1 rows have problems.");
    expect(en).toContain("intake_date");
    expect(en).toContain("The date cannot be in the future.");
    expect(en).toContain("Download failed rows (CSV)");
    const zh = text(render(JobPage, jobPath, job(failed.result), undefined, "zh-CN"));
    expect(zh).toContain("日期不能晚于今天。");
    expect(zh).toContain("下载失败的行（CSV）");
  });

  it("the job page shows a file problem, a dry run's counts and an import's counts", () => {
    const fileBad = { ...failed.result, badRows: 0, rowErrors: [], fileErrors: [{ line: 0, column: "", key: "data.file.notUtf8" }], failedId: null };
    expect(text(render(JobPage, jobPath, job(fileBad), undefined, "en"))).toContain("The file is not UTF-8 text (perhaps GBK).");
    const dry = { ...failed.result, ok: true, dryRun: true, inserted: 2, unchanged: 1, badRows: 0, rowErrors: [], totalErrors: 0, failedId: null };
    expect(text(render(JobPage, jobPath, job(dry, { dryRun: true }), undefined, "en"))).toContain("Dry run: all 3 rows are good. 2 would be added, 1 are already recorded.");
    const done = { ...dry, dryRun: false };
    expect(text(render(JobPage, jobPath, job(done), undefined, "en"))).toContain("Imported 3 rows: 2 added, 1 unchanged.");
    expect(text(render(JobPage, jobPath, job(done), undefined, "zh-CN"))).toContain("已导入 3 行：新增 2 行，1 行无变化。");
  });

  it("the job page shows the rows read so far while the import runs, in English and Chinese", () => {
    const running = job(null, { running: true, rows: 12500, elapsedSeconds: 4.2 });
    const en = text(render(JobPage, jobPath, running, undefined, "en"));
    expect(en).toContain("Importing Clients: 12,500 rows read so far (4.2 s).");
    expect(en).toContain("Refresh now");
    expect(text(render(JobPage, jobPath, running, undefined, "zh-CN"))).toContain("正在导入服务对象：已读取 12,500 行（4.2 秒）。");
  });

  it("the import page shows that another import is running", () => {
    const busy = { values: {}, errors: { _form: "data.import.busy" } };
    expect(text(render(ImportPage, "/admin/import", importData, busy, "en"))).toContain("Another import is running on this server.");
    expect(text(render(ImportPage, "/admin/import", importData, busy, "zh-CN"))).toContain("本服务器上另一项导入正在进行。");
  });

  it("shows each kind with its row count and a download button", () => {
    const data = { kinds: DATA_KINDS.map((kind, i) => ({ kind, rows: i * 1000 })) };
    const en = text(render(ExportPage, "/admin/export", data, undefined, "en"));
    expect(en).toContain("Export data");
    expect(en).toContain("Download Peer tutors");
    expect(en).toContain("4,000 rows");
    expect(text(render(ExportPage, "/admin/export", data, undefined, "zh-CN"))).toContain("下载同伴辅导员");
  });
});
