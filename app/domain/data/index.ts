// The data area's public surface: imports and exports of whole tables (DESIGN.md §7).
// Components import ./formats directly (this file re-exports server modules).
export { importCsv, headerProblems, unguard } from "./import.server";
export type { ImportOptions } from "./import.server";
export { exportRows, exportHeader, exportCount, recordDataExport } from "./export.server";
export { IMPORTED_RISK_LEVEL, contactInstant } from "./import-kinds.server";
export { failedRowsWriter, readFailedRows, purgeOldFailedRows, dataTmpDir, tmpUploadPath, FAILED_ROWS_TTL_MS } from "./tmp.server";
export * from "./formats";
export { problemReason, problemLine } from "./problems";
