/**
 * Reads a CSV file row by row, synchronously, in 64 KiB chunks: an import validates and inserts
 * each row inside one SQLite transaction (better-sqlite3 transactions are synchronous, and an
 * async gap would let other requests' writes into it), so the parsing must not wait either.
 * Only one chunk and the rows parsed from it are held at a time.
 *
 * Built on csv-parse's incremental parser (the `api` of its Parser, the same state machine the
 * stream and sync interfaces drive; csv-parse is pinned in package.json). The file must be UTF-8
 * (a BOM is accepted): every chunk goes through a fatal streaming UTF-8 decoder first, because
 * csv-parse would otherwise turn bad bytes into U+FFFD without a word.
 *
 * Line numbers are counted here, from the bytes: csv-parse's own counter drifts on quoted line
 * breaks. A record's line is the line it starts on; the header is line 1.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { Parser } from "csv-parse";
import type { ImportProblem } from "./formats";

const CHUNK = 64 * 1024;
const NL = 0x0a;

type ApiRecord = { record: string[]; info: { bytes: number } };
type ParserApi = {
  parse(buf: Buffer | undefined, end: boolean, push: (r: ApiRecord) => void, close: () => void): (Error & { code?: string }) | undefined;
};

export type CsvHandlers = {
  /** the header row (trimmed cells); return file problems to stop reading */
  header(cells: string[]): ImportProblem[];
  /** a data row and the line it starts on; rows of only empty cells and empty lines are skipped */
  row(cells: string[], line: number): void;
};

/** Counts line breaks in the bytes read so far, up to any offset at or after the last one asked about. */
class LineCounter {
  private chunks: { start: number; buf: Buffer }[] = [];
  private at = 0;
  private newlines = 0;

  add(start: number, buf: Buffer) {
    this.chunks.push({ start, buf });
  }

  /** line breaks before `offset` */
  before(offset: number): number {
    while (this.at < offset && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const end = Math.min(offset, c.start + c.buf.length);
      for (let i = this.at - c.start; i < end - c.start; i++) if (c.buf[i] === NL) this.newlines++;
      this.at = end;
      if (end === c.start + c.buf.length) this.chunks.shift();
      else break;
    }
    return this.newlines;
  }

  byteAt(offset: number): number | undefined {
    for (const c of this.chunks) if (offset >= c.start && offset < c.start + c.buf.length) return c.buf[offset - c.start];
    return undefined;
  }
}

function csvProblem(e: Error & { code?: string; lines?: number }, line: number): ImportProblem {
  const key =
    e.code === "CSV_QUOTE_NOT_CLOSED"
      ? "data.file.quoteNotClosed"
      : e.code === "CSV_INVALID_CLOSING_QUOTE" || e.code === "INVALID_OPENING_QUOTE"
        ? "data.file.badQuote"
        : e.code === "CSV_MAX_RECORD_SIZE"
          ? "data.file.rowTooLong"
          : "data.file.badCsv";
  return { line, column: "", key: `${key}?line=${line}` };
}

/** Whether a chunk starts like a file that is certainly not CSV text. */
function sniff(first: Buffer): string | null {
  if (first.length >= 4 && first[0] === 0x50 && first[1] === 0x4b && first[2] === 0x03 && first[3] === 0x04) return "data.file.excel";
  if (first.length >= 8 && first.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return "data.file.excel";
  // UTF-16 (with its byte order mark): Excel's "Unicode text"
  if (first.length >= 2 && ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff))) return "data.file.notUtf8";
  if (first.includes(0)) return "data.file.binary";
  return null;
}

/**
 * Reads the CSV file at `path`, calling `handlers.header` once and `handlers.row` for each data
 * row. Returns the file's problems (not UTF-8, not CSV, broken quoting, no header, or what the
 * header handler said); reading stops at the first one.
 */
export function readCsvFile(path: string, handlers: CsvHandlers): ImportProblem[] {
  const fd = openSync(path, "r");
  try {
    return readChunks((buf) => readSync(fd, buf, 0, buf.length, null), handlers);
  } finally {
    closeSync(fd);
  }
}

/** The same, for bytes in memory (small inputs, tests). */
export function readCsvBytes(bytes: Uint8Array, handlers: CsvHandlers): ImportProblem[] {
  let at = 0;
  return readChunks((buf) => {
    const n = Math.min(buf.length, bytes.length - at);
    buf.set(bytes.subarray(at, at + n));
    at += n;
    return n;
  }, handlers);
}

function readChunks(read: (buf: Buffer) => number, handlers: CsvHandlers): ImportProblem[] {
  const parser = (new Parser({ bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, max_record_size: 1024 * 1024, info: true }) as unknown as { api: ParserApi }).api;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const lines = new LineCounter();
  let offset = 0;
  let headerSeen = false;
  let stop: ImportProblem[] | null = null;
  let endOfFile = false;

  const push = (r: ApiRecord) => {
    if (stop) return;
    const end = r.info.bytes;
    const inside = r.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    const ownBreak = lines.byteAt(end - 1) === NL ? 1 : 0;
    const line = lines.before(end) - inside - ownBreak + 1;
    if (!headerSeen) {
      headerSeen = true;
      const problems = handlers.header(r.record.map((c) => c.trim()));
      if (problems.length) stop = problems;
      return;
    }
    handlers.row(r.record, line);
  };

  for (;;) {
    const buf = Buffer.alloc(CHUNK);
    const n = read(buf);
    const chunk = buf.subarray(0, n);
    if (offset === 0 && n > 0) {
      const kind = sniff(chunk);
      if (kind) return [{ line: 0, column: "", key: kind }];
    }
    endOfFile = n === 0;
    try {
      decoder.decode(chunk, { stream: !endOfFile });
    } catch {
      return [{ line: 0, column: "", key: "data.file.notUtf8" }];
    }
    if (!endOfFile) lines.add(offset, chunk);
    offset += n;
    const err = parser.parse(endOfFile ? undefined : chunk, endOfFile, push, () => {});
    if (stop) return stop;
    // csv-parse's line counter is right up to the first quoted CRLF; ours only knows chunk ends
    if (err) {
      const at = (err as unknown as { lines?: unknown }).lines;
      return [csvProblem(err, typeof at === "number" ? at : lines.before(offset) + 1)];
    }
    if (endOfFile) break;
  }
  if (!headerSeen) return [{ line: 0, column: "", key: "data.file.empty" }];
  return [];
}
