/**
 * Shared server pieces of the training routes: the cohort named in the URL with what the viewer may
 * do with it, and the answer to a refused write. Loaders and actions call the permission guard
 * (requireUserWithPermission) first, then these.
 */
import type { Params } from "@remix-run/react";
import { data } from "@remix-run/node";
import { forbidden, notFound } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/roles";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import { cohortAccess, getEnrollment, isNotQualified, type CohortAccess } from "~/domain/training";
import { isDomainError } from "~/domain/shared/errors";
import { id } from "~/domain/shared/fields";
import type { z } from "zod";
import { badForm, readForm, type FormFailure } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";

/** The cohort of `params.id`: 404 when unknown or malformed, 403 when the viewer may not `need` it. */
export function cohortFromParams(user: SessionUser, params: Params, need: "read" | "edit" | "certify"): CohortAccess {
  const parsed = id.safeParse(params.id ?? "");
  const access = parsed.success ? cohortAccess(getDb(), user, parsed.data) : null;
  if (!access) throw notFound();
  if (!access.can[need]) throw forbidden();
  return access;
}

/** The enrolment of `params.enrollmentId` in the cohort, or a thrown 404. */
export function enrollmentFromParams(cohortId: number, params: Params) {
  const parsed = id.safeParse(params.enrollmentId ?? "");
  const found = parsed.success ? getEnrollment(getDb(), cohortId, parsed.data) : undefined;
  if (!found) throw notFound();
  return found;
}

/** The program's time zone and today's date in it. */
export function programClock(): { timeZone: string; today: string } {
  const timeZone = getSettings(getDb()).timeZone;
  return { timeZone, today: todayIn(timeZone) };
}

/**
 * A refused write as a 400 with the input kept: a field message for a DomainError, plus the list of
 * missing requirements for a refused certification. Anything else is rethrown.
 */
export function refused(e: unknown, values: Record<string, string>) {
  if (isNotQualified(e)) {
    return data(
      { ok: false as const, errors: { _form: e.key } as Record<string, string>, values, missing: e.missing },
      { status: 400 },
    );
  }
  if (isDomainError(e)) return badForm({ errors: { [e.field]: e.key }, values });
  throw e;
}

type IntentResult<M extends Record<string, z.ZodType>> =
  | { [K in keyof M & string]: { ok: true; intent: K; data: z.output<M[K]>; values: Record<string, string> } }[keyof M & string]
  | FormFailure;

/**
 * A page with several small forms, told apart by the hidden `intent` field: reads the post once and
 * validates it with the schema of its intent. An unknown intent is a form-level error.
 */
export async function parseIntentForm<M extends Record<string, z.ZodType>>(request: Request, schemas: M): Promise<IntentResult<M>> {
  const input = await readForm(request);
  if (!input) return { ok: false, errors: { _form: "form.badRequest" }, values: {} };
  const values = input.values;
  const intent = values.intent ?? "";
  const schema = Object.prototype.hasOwnProperty.call(schemas, intent) ? schemas[intent] : undefined;
  if (!schema) return { ok: false, errors: { _form: "training.unknownAction" }, values };
  const result = schema.safeParse({ ...values, multi: input.multi });
  if (result.success) return { ok: true, intent, data: result.data, values } as IntentResult<M>;
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : "_form";
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}
