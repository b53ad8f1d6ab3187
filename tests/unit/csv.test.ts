import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  contentDisposition,
  csvDateTime,
  csvResponse,
  csvStream,
  csvString,
  type CsvRow,
} from "~/http/csv.server";

const BOM = "\uFEFF";

/** Reads a CSV the way a spreadsheet importer would: BOM stripped, CRLF records. */
function readBack(text: string): string[][] {
  return parse(text, { bom: true, record_delimiter: "\r\n" }) as string[][];
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe("CSV writer", () => {
  it("starts with a UTF-8 byte order mark so Excel reads Chinese text", async () => {
    const bytes = await bytesOf(csvStream(["a"], [["b"]]));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvString(["a"], []).startsWith(BOM)).toBe(true);
  });

  it("writes the header row first and ends every record with CRLF", () => {
    const text = csvString(["Name", "Count"], [["x", 1], ["y", 2]]);
    expect(text).toBe(`${BOM}Name,Count\r\nx,1\r\ny,2\r\n`);
  });

  it("quotes cells holding commas, double quotes or line breaks, and doubles the quotes", () => {
    const text = csvString(["h"], [["a,b"], ['say "hi"'], ["line1\nline2"], ["cr\rhere"]]);
    expect(text).toContain('"a,b"\r\n');
    expect(text).toContain('"say ""hi"""\r\n');
    expect(text).toContain('"line1\nline2"\r\n');
    expect(text).toContain('"cr\rhere"\r\n');
    expect(readBack(text)).toEqual([["h"], ["a,b"], ['say "hi"'], ["line1\nline2"], ["cr\rhere"]]);
  });

  it("prefixes a single quote to cells that a spreadsheet would run as a formula", () => {
    const evil = ["=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"];
    const rows = readBack(csvString(["h"], evil.map((v) => [v])));
    expect(rows.slice(1).map((r) => r[0])).toEqual(evil.map((v) => `'${v}`));
  });

  it("leaves ordinary text, numbers and negative numbers unescaped", () => {
    const rows = readBack(csvString(["h", "n"], [["a=b", -5], ["email@example.invalid", 0], ["", 3.5]]));
    expect(rows.slice(1)).toEqual([["a=b", "-5"], ["email@example.invalid", "0"], ["", "3.5"]]);
  });

  it("escapes formula-looking column names too", () => {
    const rows = readBack(csvString(["=HEADER", "ok"], []));
    expect(rows[0]).toEqual(["'=HEADER", "ok"]);
  });

  it("writes null and undefined as empty cells, booleans as words and dates as UTC ISO", () => {
    const rows = readBack(csvString(["a", "b", "c", "d"], [[null, undefined, true, new Date("2026-11-28T08:00:00Z")]]));
    expect(rows[1]).toEqual(["", "", "true", "2026-11-28T08:00:00.000Z"]);
  });

  it("round-trips Chinese text through csv-parse unchanged", async () => {
    const header = ["姓名", "备注"];
    const data: CsvRow[] = [
      ["测试用户（虚构）", "第一行,含逗号，全角逗号\n第二行"],
      ["同伴辅导员", "“引号” 与 \"英文引号\""],
    ];
    const bytes = await bytesOf(csvStream(header, data));
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith(BOM)).toBe(true);
    expect(readBack(text)).toEqual([header, ...data]);
  });

  it("pulls rows from a generator in batches instead of reading them all first", async () => {
    let produced = 0;
    function* rows(): Generator<CsvRow> {
      for (let i = 0; i < 10_000; i++) {
        produced++;
        yield [i, `row ${i}`];
      }
    }
    const reader = csvStream(["n", "label"], rows(), 100).getReader();
    await reader.read(); // BOM + header
    await reader.read(); // first batch
    expect(produced).toBeLessThanOrEqual(300);
    await reader.cancel();
  });

  it("streams the same text as the one-shot writer, from async iterables too", async () => {
    async function* rows(): AsyncGenerator<CsvRow> {
      for (let i = 0; i < 1234; i++) yield [i, i % 7 === 0 ? "=x" : `v${i}`];
    }
    const streamed = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await bytesOf(csvStream(["n", "v"], rows(), 50)));
    const all: CsvRow[] = [];
    for await (const r of rows()) all.push(r);
    expect(streamed).toBe(csvString(["n", "v"], all));
    expect(readBack(streamed)).toHaveLength(1235);
  });

  it("errors the stream, rather than ending it quietly, when the rows fail midway", async () => {
    function* rows(): Generator<CsvRow> {
      yield ["ok"];
      throw new Error("database went away");
    }
    await expect(bytesOf(csvStream(["h"], rows()))).rejects.toThrow("database went away");
  });
});

describe("CSV download response", () => {
  it("answers text/csv as an attachment with an ASCII file name", async () => {
    const res = csvResponse({ filename: "audit-log-2026-11-28.csv", header: ["a"], rows: [["1"]] });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="audit-log-2026-11-28.csv"');
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.text()).toBe("a\r\n1\r\n"); // Response.text() drops the BOM, as decoders do
  });

  it("adds an RFC 5987 filename* for a Chinese file name, with an ASCII fallback", () => {
    const value = contentDisposition("审计日志-2026-11-28.csv", "audit-log-2026-11-28.csv");
    expect(value).toBe(
      `attachment; filename="audit-log-2026-11-28.csv"; filename*=UTF-8''${encodeURIComponent("审计日志-2026-11-28.csv")}`,
    );
  });

  it("never lets a file name break out of the header or carry a path", () => {
    const value = contentDisposition('a"b\\c/d\r\nSet-Cookie: x=1.csv');
    expect(value).not.toMatch(/[\r\n]/);
    const plain = value.match(/filename="([^"]*)"/)?.[1];
    expect(plain).toBeDefined();
    expect(plain).not.toMatch(/["\\/]/);
    expect(value).toContain("filename*=UTF-8''");
  });

  it("makes an ASCII fallback from a name with accents or Chinese when none is given", () => {
    expect(contentDisposition("café.csv")).toContain('filename="cafe.csv"');
    expect(contentDisposition("报表.csv")).toMatch(/^attachment; filename="[A-Za-z0-9._ -]+"; filename\*=UTF-8''%E6%8A%A5/);
  });
});

describe("CSV date-times", () => {
  it("shows a UTC instant as wall-clock time in the program's time zone", () => {
    expect(csvDateTime("2026-11-28T16:30:05.000Z", "Asia/Shanghai")).toBe("2026-11-29 00:30:05");
    expect(csvDateTime("2026-11-28T16:30:05.000Z", "UTC")).toBe("2026-11-28 16:30:05");
  });
});
