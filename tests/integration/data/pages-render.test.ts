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

  it("lists the problems with line, column and reason and offers the failed rows", () => {
    const en = text(render(ImportPage, "/admin/import", importData, failed, "en"));
    expect(en).toContain("Nothing was imported: 1 rows have problems.");
    expect(en).toContain("intake_date");
    expect(en).toContain("The date cannot be in the future.");
    expect(en).toContain("Download failed rows (CSV)");
    const zh = text(render(ImportPage, "/admin/import", importData, failed, "zh-CN"));
    expect(zh).toContain("日期不能晚于今天。");
    expect(zh).toContain("下载失败的行（CSV）");
  });

  it("shows a file problem and a dry run's counts", () => {
    const fileBad = { ...failed, result: { ...failed.result, badRows: 0, rowErrors: [], fileErrors: [{ line: 0, column: "", key: "data.file.notUtf8" }], failedId: null } };
    expect(text(render(ImportPage, "/admin/import", importData, fileBad, "en"))).toContain("The file is not UTF-8 text (perhaps GBK).");
    const dry = { values: {}, result: { ...failed.result, ok: true, dryRun: true, inserted: 2, unchanged: 1, badRows: 0, rowErrors: [], totalErrors: 0, failedId: null } };
    expect(text(render(ImportPage, "/admin/import", importData, dry, "en"))).toContain("Dry run: all 3 rows are good. 2 would be added, 1 are already recorded.");
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
