/**
 * The one CSV writer every export uses (CONVENTIONS.md pattern 12), built on csv-stringify:
 * - UTF-8 with a byte order mark, so Excel opens Chinese text correctly;
 * - CRLF between records, fields with commas, quotes or line breaks quoted;
 * - cells beginning with = + - @ tab or carriage return (and their full-width forms) prefixed
 *   with a single quote, so a spreadsheet never runs them as formulas;
 * - a header row of column names the caller has already translated;
 * - rows pulled lazily from an iterable or generator in batches, so an export never holds a
 *   whole table in memory.
 */
import { stringify, type Options } from "csv-stringify/sync";

export type CsvCell = string | number | bigint | boolean | Date | null | undefined;
export type CsvRow = readonly CsvCell[];

const OPTIONS: Options = {
  record_delimiter: "windows",
  // with a custom record delimiter csv-stringify stops quoting bare \n and \r unless asked
  quote_record_delimiter: true,
  escape_formulas: true,
  cast: {
    boolean: (v) => (v ? "true" : "false"),
    date: (v) => v.toISOString(),
  },
};

/** Rows as CSV text (CRLF, escaped), without BOM or header. */
export function csvRecords(rows: readonly CsvRow[]): string {
  if (rows.length === 0) return "";
  return stringify(rows as CsvCell[][], OPTIONS);
}

/** The start of every file: the BOM and the header row. */
export function csvHead(header: readonly string[]): string {
  return stringify([header as string[]], { ...OPTIONS, bom: true });
}

/** A whole CSV document as one string: for small outputs and tests. Large exports use csvResponse. */
export function csvString(header: readonly string[], rows: Iterable<CsvRow>): string {
  return csvHead(header) + csvRecords([...rows]);
}

const BATCH = 500;

/** A byte stream of the CSV: head first, then the rows, pulled in batches as the reader asks for them. */
export function csvStream(
  header: readonly string[],
  rows: Iterable<CsvRow> | AsyncIterable<CsvRow>,
  batchSize = BATCH,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: Iterator<CsvRow> | AsyncIterator<CsvRow> | null = null;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvHead(header)));
      },
      async pull(controller) {
        try {
          iterator ??= Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
          const batch: CsvRow[] = [];
          let done = false;
          while (batch.length < batchSize) {
            const next = await iterator.next();
            if (next.done) {
              done = true;
              break;
            }
            batch.push(next.value);
          }
          if (batch.length > 0) controller.enqueue(encoder.encode(csvRecords(batch)));
          if (done) controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await iterator?.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}

/** ASCII-only, quote-free name for the plain `filename=` parameter. */
export function asciiFilename(name: string): string {
  const cleaned = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._ -]/g, "_")
    .replace(/^[.\s]+/, "")
    .trim();
  return cleaned || "export.csv";
}

/** RFC 5987 ext-value: UTF-8, percent-encoded, only attr-chars left bare. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="…"` with an ASCII name every browser understands, plus
 * `filename*=UTF-8''…` (RFC 6266 / 5987) when the real name is not plain ASCII.
 */
export function contentDisposition(filename: string, asciiFallback?: string): string {
  const safe = filename.replace(/[\u0000-\u001f\u007f/\\]/g, "_");
  const ascii = asciiFilename(asciiFallback ?? safe);
  const header = `attachment; filename="${ascii}"`;
  return ascii === safe ? header : `${header}; filename*=UTF-8''${rfc5987(safe)}`;
}

/**
 * The download answer of an export: streams the CSV with the right headers. `filename` may be in
 * the person's language; `asciiFilename` is what older clients see.
 */
export function csvResponse(options: {
  filename: string;
  asciiFilename?: string;
  header: readonly string[];
  rows: Iterable<CsvRow> | AsyncIterable<CsvRow>;
  headers?: HeadersInit;
}): Response {
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "text/csv; charset=utf-8");
  headers.set("Content-Disposition", contentDisposition(options.filename, options.asciiFilename));
  headers.set("Cache-Control", "no-store");
  headers.set("X-Content-Type-Options", "nosniff");
  return new Response(csvStream(options.header, options.rows), { status: 200, headers });
}

const wallClock = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-28 16:00:00": a UTC instant as local wall-clock time in a time zone, the way spreadsheets read it. */
export function csvDateTime(value: string | Date, timeZone: string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return typeof value === "string" ? value : "";
  let format = wallClock.get(timeZone);
  if (!format) {
    // one formatter per zone: building an Intl.DateTimeFormat costs far more than using one
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallClock.set(timeZone, format);
  }
  const parts = format.formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}
