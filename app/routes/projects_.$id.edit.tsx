import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistricts } from "~/domain/organisation";
import { getProject, projectFormValues, PROJECT_KINDS, PROJECT_METRICS, PROJECT_STATUSES, updateProject } from "~/domain/projects";
import { id } from "~/domain/shared/fields";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { ProjectForm } from "./projects.new/ProjectForm";
import { readProjectForm } from "./projects.new/submit.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:project");
  const projectId = id.safeParse(params.id);
  if (!projectId.success) throw notFound();
  const db = getDb();
  const project = getProject(db, user, projectId.data);
  if (!project) throw notFound();
  return {
    project: { id: project.id, name: project.name },
    values: projectFormValues(project),
    districtIds: project.districts.map((d) => d.id),
    districts: listDistricts(db).map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn })),
    kinds: PROJECT_KINDS,
    metrics: PROJECT_METRICS,
    statuses: PROJECT_STATUSES,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:project");
  const projectId = id.safeParse(params.id);
  if (!projectId.success) throw notFound();
  const db = getDb();
  if (!getProject(db, user, projectId.data)) throw notFound();
  const form = await readProjectForm(request);
  if (!form.ok) return badForm(form);
  try {
    updateProject(db, actorOf(request, user), projectId.data, form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/projects/${projectId.data}`, { kind: "success", key: "projects.flash.updated" });
}

export default function EditProject() {
  const { project, values, districtIds, districts, kinds, metrics, statuses } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  return (
    <div className="max-w-3xl">
      <p className="mb-2">
        <Link to={`/projects/${project.id}`}>← {project.name}</Link>
      </p>
      <PageHeader title={t("projects.editTitle", { name: project.name })} />
      <Card>
        <ProjectForm state={state} defaults={values} defaultDistricts={districtIds} districts={districts} kinds={kinds} metrics={metrics} statuses={statuses} submitLabel={t("form.save")} />
      </Card>
    </div>
  );
}

export const meta = titled("projects.edit");
