/**
 * The CSV formats of imports and exports (DESIGN.md §7): the kinds and their exact columns, in
 * the order exports write them. Plain constants, safe in the browser bundle (the import page's
 * component shows the columns of each kind).
 */

export const DATA_KINDS = ["clients", "substance_events", "recognitions", "contacts", "peer_tutors"] as const;
export type DataKind = (typeof DATA_KINDS)[number];

export const COLUMNS = {
  clients: ["case_number", "alias", "district", "subdistrict", "intake_date", "legal_status", "social_worker", "peer_tutor"],
  substance_events: ["case_number", "date", "kind"],
  recognitions: ["case_number", "recognised_on", "recognised_by"],
  contacts: ["case_number", "happened_at", "type", "author", "duration_minutes", "summary"],
  peer_tutors: ["login", "display_name", "district", "cohort_number", "certified_on", "certificate_number"],
} as const satisfies Record<DataKind, readonly string[]>;

export type ColumnOf<K extends DataKind> = (typeof COLUMNS)[K][number];

/**
 * The order in which kinds are imported into an empty database: tutors before the clients they
 * mentor, clients before their events, events before the recognitions they allow, and contacts
 * last (they need a consent, which is recorded on the client's page).
 */
export const IMPORT_ORDER: readonly DataKind[] = ["peer_tutors", "clients", "substance_events", "recognitions", "contacts"];

export function isDataKind(value: unknown): value is DataKind {
  return typeof value === "string" && (DATA_KINDS as readonly string[]).includes(value);
}

/** The largest file the import page accepts; larger files go through `npm run cli -- import`. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** How many bad rows the import page lists; the failed-rows download holds them all. */
export const ERRORS_SHOWN = 200;

/** One problem in a file: a line (1 = the header row; 0 = the file as a whole), a column when it is about one, a message key. */
export type ImportProblem = { line: number; column: string; key: string };

export type ImportResult = {
  kind: DataKind;
  dryRun: boolean;
  /** true when every row was good (and, unless a dry run, the rows were written) */
  ok: boolean;
  /** data rows read (not counting the header, empty lines or rows of empty cells) */
  rows: number;
  /** rows that were (or, in a dry run, would be) added */
  inserted: number;
  /** rows already recorded with the same values */
  unchanged: number;
  /** problems with the file itself (encoding, CSV structure, header); when any, no row was read */
  fileErrors: ImportProblem[];
  /** problems with rows, in line order */
  rowErrors: ImportProblem[];
  /** how many distinct lines have row errors */
  badRows: number;
};
