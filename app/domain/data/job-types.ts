// Import jobs (issue 6): what the page's worker is given and what it reports back.
// No server code here: the job page's component uses these types.
import type { DataKind, ImportProblem } from "./formats";

export type JobInput = {
  databaseUrl: string;
  tmpDir: string;
  kind: DataKind;
  dryRun: boolean;
  filePath: string;
  fileName: string;
  actor: { userId: number | null; login: string; ip: string };
  locale: string;
  progressEvery?: number;
};

export type JobResult = {
  kind: DataKind;
  ok: boolean;
  dryRun: boolean;
  rows: number;
  inserted: number;
  unchanged: number;
  badRows: number;
  fileErrors: ImportProblem[];
  rowErrors: ImportProblem[];
  totalErrors: number;
  failedId: string | null;
};

export type JobMessage = { type: "progress"; rows: number } | { type: "done"; result: JobResult } | { type: "crash"; message: string };
