/**
 * The audit log's filters, as they arrive in the URL (the viewer) or in the export form. One
 * parser for both, so the page and its CSV always agree. A bad value never fails the request:
 * it gets a field message and is left out of the query.
 */
import { z } from "zod";
import { startOfLocalDayUtc } from "~/i18n/format";
import { isoDate, msg, optionalText } from "~/domain/shared/fields";
import type { AuditFilter } from "./audit.server";

export const AUDIT_FILTER_FIELDS = ["person", "entity", "action", "from", "to"] as const;
export type AuditFilterField = (typeof AUDIT_FILTER_FIELDS)[number];
/** The filters as typed (only those that were valid and applied): for links, hidden fields, the export record. */
export type AuditFilterValues = Partial<Record<AuditFilterField, string>>;

export const AUDIT_FILTER_MAX = { person: 64, entity: 64, action: 64 } as const;
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

const person = optionalText({ max: AUDIT_FILTER_MAX.person });
const code = optionalText({ max: AUDIT_FILTER_MAX.entity });
/** "" (no filter), or a real calendar date within a sane range. */
const date = z
  .string()
  .optional()
  .transform((s) => (s ?? "").trim())
  .superRefine((s, ctx) => {
    if (s === "") return;
    const parsed = isoDate.safeParse(s);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "form.invalidDate" });
      return;
    }
    const year = Number(s.slice(0, 4));
    if (year < MIN_YEAR || year > MAX_YEAR) {
      ctx.addIssue({ code: "custom", message: msg("audit.filter.dateOutOfRange", { min: MIN_YEAR, max: MAX_YEAR }) });
    }
  });

export type ParsedAuditFilters = {
  /** what the query uses */
  filter: AuditFilter;
  /** the valid filters, as typed */
  applied: AuditFilterValues;
  /** every filter value received, to show back in the form */
  values: Record<string, string>;
  /** field → message key, for filters that were ignored */
  errors: Record<string, string>;
};

function nextDay(isoDay: string): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Reads the filters. `from` and `to` are calendar dates in the program's time zone, `to`
 * inclusive; they become the UTC instants that bound the query. `entity` and `action` must be
 * values that occur in the log (they come from selects).
 */
export function parseAuditFilters(
  input: Record<string, string | undefined>,
  options: { timeZone: string; entities: readonly string[]; actions: readonly string[] },
): ParsedAuditFilters {
  const values: Record<string, string> = {};
  for (const field of AUDIT_FILTER_FIELDS) {
    const v = input[field];
    if (typeof v === "string" && v !== "") values[field] = v.slice(0, 200);
  }
  const errors: Record<string, string> = {};
  const applied: AuditFilterValues = {};
  const filter: AuditFilter = {};

  const read = (field: AuditFilterField, schema: z.ZodType<string, string | undefined>): string => {
    const result = schema.safeParse(input[field]);
    if (result.success) return result.data;
    errors[field] = result.error.issues[0]?.message ?? "form.invalid";
    return "";
  };

  const who = read("person", person);
  if (who) {
    applied.person = who;
    filter.actor = who;
  }
  for (const field of ["entity", "action"] as const) {
    const value = read(field, code);
    if (!value) continue;
    const allowed = field === "entity" ? options.entities : options.actions;
    if (!allowed.includes(value)) {
      errors[field] = "form.unknownChoice";
      continue;
    }
    applied[field] = value;
    filter[field] = value;
  }

  const from = read("from", date);
  const to = read("to", date);
  if (from && to && from > to) {
    errors.to = "audit.filter.fromAfterTo";
  } else {
    if (from) {
      applied.from = from;
      filter.from = startOfLocalDayUtc(from, options.timeZone).toISOString();
    }
    if (to) {
      applied.to = to;
      filter.to = startOfLocalDayUtc(nextDay(to), options.timeZone).toISOString();
    }
  }
  return { filter, applied, values, errors };
}
