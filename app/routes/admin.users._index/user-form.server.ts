import type { z } from "zod";
import { REPEATED_FIELDS } from "~/domain/people";
import { parseForm } from "~/http/forms.server";

/**
 * parseForm for the user forms: the checkbox groups (roles, districtIds) reach the schema as
 * arrays, and come back to the form joined with commas so every ticked box stays ticked.
 */
export async function parseUserForm<S extends z.ZodType>(request: Request, schema: S) {
  let multi: Record<string, string[]> = {};
  const form = await parseForm(request, schema, (input) => {
    multi = input.multi;
    const shaped: Record<string, unknown> = { ...input.values };
    for (const name of REPEATED_FIELDS) shaped[name] = input.multi[name] ?? [];
    return shaped;
  });
  const values = { ...form.values };
  for (const name of REPEATED_FIELDS) values[name] = (multi[name] ?? []).join(",");
  return { ...form, values };
}
