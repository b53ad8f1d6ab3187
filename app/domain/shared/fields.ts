/**
 * Field rules shared by every form and import (CONVENTIONS.md pattern 3). Error messages are
 * message keys, optionally with parameters: "form.tooLong?max=80". The UI translates them.
 */
import { z } from "zod";

// C0 and C1 control characters except tab, newline and carriage return, plus lone surrogates.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function msg(key: string, params?: Record<string, string | number>): string {
  if (!params) return key;
  return `${key}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;
}

/** Required single-line text, trimmed, no control characters. */
export function text(options: { max: number; min?: number; multiline?: boolean } ) {
  const min = options.min ?? 1;
  return z
    .string({ error: "form.required" })
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(min, { error: min <= 1 ? "form.required" : msg("form.tooShort", { min }) })
        .max(options.max, { error: msg("form.tooLong", { max: options.max }) })
        .refine((s) => !CONTROL.test(options.multiline ? s.replace(/[\n\r\t]/g, "") : s) && !LONE_SURROGATE.test(s), {
          error: "form.controlChars",
        })
        .refine((s) => options.multiline || !/[\n\r]/.test(s), { error: "form.controlChars" }),
    );
}

/** Optional text: empty becomes "". Single-line unless `multiline`, like text(). */
export function optionalText(options: { max: number; multiline?: boolean }) {
  return z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim())
    .pipe(
      z
        .string()
        .max(options.max, { error: msg("form.tooLong", { max: options.max }) })
        .refine((s) => !CONTROL.test(options.multiline ? s.replace(/[\n\r\t]/g, "") : s) && !LONE_SURROGATE.test(s), {
          error: "form.controlChars",
        })
        .refine((s) => options.multiline || !/[\n\r]/.test(s), { error: "form.controlChars" }),
    );
}

/** A whole number from a form field. */
export function int(options: { min: number; max: number }) {
  return z
    .string({ error: "form.required" })
    .trim()
    .min(1, { error: "form.required" })
    .regex(/^-?\d{1,15}$/, { error: "form.notANumber" })
    .transform(Number)
    .pipe(z.number().int().min(options.min, { error: msg("form.numberRange", options) }).max(options.max, { error: msg("form.numberRange", options) }));
}

/**
 * A search term or filter value as typed into a list's filter (URL or form): control characters
 * removed, trimmed, at most `max` characters. Never an error: a list shows unfiltered instead.
 */
export function cleanSearch(raw: string | null | undefined, max: number): string {
  return (raw ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim().slice(0, max);
}

/** cleanSearch as a schema field (optional; "" when absent). */
export function searchText(max: number) {
  return z
    .string()
    .optional()
    .transform((s) => cleanSearch(s, max));
}

/** How a database id is written: 15 digits at most, so it is a safe integer, never rounded to another id. */
export const ID_PATTERN = /^[1-9]\d{0,14}$/;

/** An id read from a URL or a field without a schema: the number, or null when it is not one. */
export function parseId(raw: string | null | undefined): number | null {
  return raw && ID_PATTERN.test(raw) ? Number(raw) : null;
}

/** A database id from a form field or URL. */
export const id = z
  .string({ error: "form.unknownId" })
  .trim()
  .regex(ID_PATTERN, { error: "form.unknownId" })
  .transform(Number);

export function optionalId() {
  return z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim())
    .pipe(z.union([z.literal("").transform(() => null), id], { error: "form.unknownId" }));
}

/** A calendar date, YYYY-MM-DD, that exists. */
export const isoDate = z
  .string({ error: "form.invalidDate" })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "form.invalidDate" })
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, { error: "form.invalidDate" });

/** A 24-hour local time, HH:MM. */
export const time24 = z
  .string({ error: "form.invalidTime" })
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: "form.invalidTime" });

export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: "form.unknownChoice" });
}

/** A checkbox: present means true. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "1");

export const loginName = z
  .string({ error: "form.required" })
  .trim()
  .toLowerCase()
  .min(1, { error: "form.required" })
  .max(64, { error: msg("form.tooLong", { max: 64 }) })
  .regex(/^[a-z0-9][a-z0-9._-]*$/, { error: "admin.users.loginFormat" });

export const newPassword = z
  .string({ error: "form.required" })
  .min(10, { error: msg("form.tooShort", { min: 10 }) })
  .max(256, { error: msg("form.tooLong", { max: 256 }) })
  .refine((s) => !CONTROL.test(s) && !LONE_SURROGATE.test(s), { error: "form.controlChars" });
