/** The shape every report returns: plain rows and totals, the same for page, CSV and command line. */
import type { ReportName } from "./definitions";
import type { ReportParams } from "./params";

export type Cell = number | string;

export type ReportRow = {
  /** stable key: a district id, an intake year, a studio id, a cohort id */
  key: string;
  labelZh: string;
  labelEn: string;
  values: Record<string, Cell>;
};

export type ReportResult = {
  name: ReportName;
  params: ReportParams;
  rows: ReportRow[];
  totals: Record<string, Cell>;
  /** facts the definition text needs (threshold days, retention months, …) */
  notes: Record<string, string | number>;
};
