/**
 * Short-lived files of an import page: the failed rows of an upload (its bad rows as read, plus
 * an "error" column), kept under data/tmp beside the database for an hour so the person can
 * download them, under a random id only the page that made them knows. Nothing else of an upload
 * is kept: the uploaded file itself is deleted as soon as it has been read.
 */
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { csvHead, csvRecords } from "~/http/csv.server";

export const FAILED_ROWS_TTL_MS = 60 * 60 * 1000;
const ID_RE = /^[a-f0-9]{32}$/;

/** data/tmp beside the database file (or the system's temporary directory for an in-memory database). */
export function dataTmpDir(databaseUrl: string): string {
  const dir = databaseUrl === ":memory:" ? path.join(process.env.TMPDIR ?? "/tmp", "tongban-tmp") : path.join(path.dirname(path.resolve(databaseUrl)), "tmp");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A new, unguessable temporary file path in the directory (for an upload being read). */
export function tmpUploadPath(dir: string): string {
  return path.join(dir, `upload-${randomBytes(16).toString("hex")}.csv`);
}

/** Deletes failed-rows files and leftover uploads older than the time they are kept. */
export function purgeOldFailedRows(dir: string, now = Date.now()): void {
  for (const name of readdirSync(dir)) {
    if (!/^(failed|upload)-[a-f0-9]{32}\.csv$/.test(name)) continue;
    const file = path.join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > FAILED_ROWS_TTL_MS) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  }
}

/**
 * Opens a failed-rows file: write(cells, errorText) for each bad row as it is found, then close().
 * The header is the file's header plus "error". Returns the id to download it by.
 */
export function failedRowsWriter(dir: string, header: readonly string[]) {
  const id = randomBytes(16).toString("hex");
  const file = path.join(dir, `failed-${id}.csv`);
  const fd = openSync(file, "w", 0o600);
  writeSync(fd, csvHead([...header, "error"]));
  let count = 0;
  return {
    id,
    write(cells: readonly string[], error: string) {
      count++;
      writeSync(fd, csvRecords([[...cells, error]]));
    },
    close(): number {
      closeSync(fd);
      return count;
    },
    discard() {
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
      rmSync(file, { force: true });
    },
  };
}

/** The failed-rows file of an id, or null when the id is malformed, unknown or expired. */
export function readFailedRows(dir: string, id: string, now = Date.now()): Buffer | null {
  if (!ID_RE.test(id)) return null;
  const file = path.join(dir, `failed-${id}.csv`);
  if (!existsSync(file)) return null;
  if (now - statSync(file).mtimeMs > FAILED_ROWS_TTL_MS) {
    rmSync(file, { force: true });
    return null;
  }
  return readFileSync(file);
}
