/**
 * Server helpers shared by the session and group forms (/sessions/new, /sessions/$id, /groups/new,
 * /groups/$id). Not a route. Reads the intent (save, preview, suggest), parses with the checkbox
 * groups as arrays, and turns a domain refusal into a 400 answer that keeps the input and lists
 * every conflicting date.
 */
import { data } from "@remix-run/node";
import type { z } from "zod";
import { isConflictError, problemsByDate, type Facilitator, type SuggestionList } from "~/domain/sessions";
import { INTENTS, formShape, type Intent } from "~/domain/sessions/schemas";
import { isDomainError } from "~/domain/shared/errors";
import { ID_PATTERN, msg } from "~/domain/shared/fields";
import { parseForm, type FieldErrors } from "~/http/forms.server";

export type ConflictLine = { local: string; index: number | null; keys: string[] };
export type PreviewLine = { index: number; local: string; localEnd: string };

/** What the actions answer, for the form to render: errors and input, and any of the extras. */
export type SessionsFormData = {
  ok: boolean;
  errors: FieldErrors;
  values: Record<string, string>;
  conflicts?: ConflictLine[];
  suggestions?: SuggestionList;
  preview?: PreviewLine[];
  excluded?: { index: number; local: string }[];
  /** names of the people ticked as facilitators */
  people?: Facilitator[];
};

/** The button pressed: save (default), preview or suggest. Reads a copy, so the form can be parsed after. */
export async function intentOf(request: Request): Promise<Intent | "cancel"> {
  try {
    const value = (await request.clone().formData()).get("intent");
    if (value === "cancel") return "cancel";
    return (INTENTS as readonly string[]).includes(String(value)) ? (value as Intent) : "save";
  } catch {
    return "save";
  }
}

export function parseSessionsForm<S extends z.ZodType>(request: Request, schema: S) {
  return parseForm(request, schema, formShape);
}

export function reply(body: Omit<Partial<SessionsFormData>, "values"> & { values: Record<string, string> }, status = 400) {
  return data<SessionsFormData>({ ok: status < 400, errors: {}, ...body }, { status });
}

/**
 * A refusal from the domain: a ConflictError lists every conflicting date (nothing was saved), a
 * DomainError goes under its field. Anything else is not bad input and is rethrown.
 */
export function refusal(e: unknown, values: Record<string, string>, extra: Omit<Partial<SessionsFormData>, "values" | "errors"> = {}) {
  if (isConflictError(e)) {
    const conflicts = problemsByDate(e.problems);
    return reply({ ...extra, values, conflicts, errors: { _form: msg("sessions.conflict.summary", { count: conflicts.length }) } });
  }
  if (isDomainError(e)) return reply({ ...extra, values, errors: { [e.field]: e.key } });
  throw e;
}

/** The ticked facilitators' ids from a returned form (joined with commas), for their names. */
export function tickedIds(values: Record<string, string>): number[] {
  return (values.facilitatorIds ?? "")
    .split(",")
    .filter((v) => ID_PATTERN.test(v))
    .slice(0, 20)
    .map(Number);
}
