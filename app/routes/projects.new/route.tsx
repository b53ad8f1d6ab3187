import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistricts } from "~/domain/organisation";
import { createProject, PROJECT_KINDS, PROJECT_METRICS } from "~/domain/projects";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { ProjectForm } from "./ProjectForm";
import { readProjectForm } from "./submit.server";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:project");
  const districts = listDistricts(getDb()).map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn }));
  return { districts, kinds: PROJECT_KINDS, metrics: PROJECT_METRICS };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:project");
  const form = await readProjectForm(request);
  if (!form.ok) return badForm(form);
  let projectId: number;
  try {
    projectId = createProject(getDb(), actorOf(request, user), form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/projects/${projectId}`, { kind: "success", key: "projects.flash.created" });
}

export default function NewProject() {
  const { districts, kinds, metrics } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  return (
    <div className="max-w-3xl">
      <p className="mb-2">
        <Link to="/projects">← {t("projects.title")}</Link>
      </p>
      <PageHeader title={t("projects.newTitle")} />
      <Card>
        <ProjectForm state={state} defaults={{ kind: "government_purchase" }} districts={districts} kinds={kinds} metrics={metrics} submitLabel={t("projects.new")} />
      </Card>
    </div>
  );
}

export const meta = titled("projects.newTitle");
