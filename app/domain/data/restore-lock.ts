/**
 * "Is this database in use?" The server writes `<database>.pid` (its process id) beside the
 * database when it starts listening and removes it when it shuts down; `tongban restore` refuses
 * to replace a database whose pid file names a running process. A pid file left by a server that
 * was killed names a dead process and does not count. Node built-ins only: the server imports it.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";

export function pidFilePath(databaseFile: string): string {
  return `${databaseFile}.pid`;
}

export function writePidFile(databaseFile: string, pid = process.pid): void {
  writeFileSync(pidFilePath(databaseFile), `${pid}\n`);
}

/** Removes the pid file if it is this process's (another server may have taken over the file). */
export function removePidFile(databaseFile: string, pid = process.pid): void {
  try {
    if (readFileSync(pidFilePath(databaseFile), "utf8").trim() === String(pid)) rmSync(pidFilePath(databaseFile), { force: true });
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The id of the running server that has the database open, or null. */
export function databaseUser(databaseFile: string): number | null {
  let text: string;
  try {
    text = readFileSync(pidFilePath(databaseFile), "utf8").trim();
  } catch {
    return null;
  }
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return alive(pid) ? pid : null;
}
