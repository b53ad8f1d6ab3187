import { data } from "@remix-run/node";
import type { z } from "zod";
import { isDomainError } from "~/domain/shared/errors";

export type FieldErrors = Record<string, string>;
export type FormFailure = { ok: false; errors: FieldErrors; values: Record<string, string> };
export type FormResult<T> = { ok: true; data: T; values: Record<string, string> } | FormFailure;

const MAX_FIELD = 100_000;

/** Reads a form post into plain strings (repeated names joined into arrays under `name[]`). */
export async function readForm(request: Request): Promise<{ values: Record<string, string>; multi: Record<string, string[]> } | null> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return null;
  }
  // no prototype: a field named "__proto__", "constructor" or "toString" is just a field
  const values: Record<string, string> = Object.create(null);
  const multi: Record<string, string[]> = Object.create(null);
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const v = value.length > MAX_FIELD ? value.slice(0, MAX_FIELD) : value;
    (multi[key] ??= []).push(v);
    if (!(key in values)) values[key] = v;
  }
  return { values, multi };
}

/** Validates a form post with its Zod schema. Failures carry field messages and the input, to give back. */
export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
  shape?: (input: { values: Record<string, string>; multi: Record<string, string[]> }) => unknown,
  options: { secretFields?: string[] } = {},
): Promise<FormResult<z.output<S>>> {
  const input = await readForm(request);
  if (!input) return { ok: false, errors: { _form: "form.badRequest" }, values: {} };
  const result = schema.safeParse(shape ? shape(input) : input.values);
  const values = withoutSecrets(input.values, options.secretFields ?? []);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : "_form";
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/** Passwords (any field named *password*, plus the ones a form names) are never sent back. */
function withoutSecrets(values: Record<string, string>, secretFields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (!/password/i.test(k) && !secretFields.includes(k)) out[k] = v;
  return out;
}

/** The 400 answer to a bad form: field messages and what the person typed (passwords excepted). */
export function badForm(failure: Pick<FormFailure, "errors" | "values">, status = 400) {
  return data({ ok: false as const, errors: failure.errors, values: failure.values }, { status });
}

/**
 * The 400 answer when a domain rule refused the input (a DomainError): its message under its
 * field, the input kept. Anything else is not bad input and is rethrown.
 */
export function domainRefusal(e: unknown, values: Record<string, string>) {
  if (isDomainError(e)) return badForm({ errors: { [e.field]: e.key }, values });
  throw e;
}
