import { ProjectSchema, projectFormShape, targetFieldErrors } from "~/domain/projects";
import { parseForm, readForm } from "~/http/forms.server";

/**
 * Reads a posted project form. The ticked districts are kept in `values.districts` (joined with
 * commas), so a refused form comes back with them still ticked.
 */
export async function readProjectForm(request: Request) {
  const raw = await readForm(request.clone());
  const form = await parseForm(request, ProjectSchema, projectFormShape);
  form.values.districts = (raw?.multi.districts ?? []).map((d) => d.slice(0, 20)).join(",");
  if (!form.ok && form.errors.targets) {
    // the targets are one object to the schema; each refused one goes under its own field
    delete form.errors.targets;
    Object.assign(form.errors, targetFieldErrors(form.values));
  }
  return form;
}
