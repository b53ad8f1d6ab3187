import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { Badge, Card, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { getProject, projectProgress } from "~/domain/projects";
import { getSettings } from "~/domain/settings";
import { id } from "~/domain/shared/fields";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { Definitions, ProjectFacts, ProgressList } from "./projects.new/ProjectView";

/** A project with its progress per target, computed from the records of its period and districts. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:project");
  const projectId = id.safeParse(params.id);
  if (!projectId.success) throw notFound();
  const db = getDb();
  const project = getProject(db, user, projectId.data);
  if (!project) throw notFound();
  const progress = projectProgress(db, { startsOn: project.startsOn, endsOn: project.endsOn, districtIds: project.districts.map((d) => d.id) }, project.targets);
  return { project, progress, today: todayIn(getSettings(db).timeZone), canEdit: can(user, "edit:project") };
}

export default function ProjectPage() {
  const { project, progress, today, canEdit } = useLoaderData<typeof loader>();
  const { t, date } = useT();
  return (
    <>
      <p className="mb-2">
        <Link to="/projects">← {t("projects.title")}</Link>
      </p>
      <PageHeader
        title={project.name}
        badges={
          <>
            <Badge tone="brand">{t(`projects.kind.${project.kind}`)}</Badge>
            <Badge tone={project.status === "active" ? "ok" : "neutral"}>{t(`projects.status.${project.status}`)}</Badge>
          </>
        }
        actions={
          <>
            <LinkButton to={`/projects/${project.id}/print`}>{t("projects.progress.print")}</LinkButton>
            {canEdit && (
              <LinkButton to={`/projects/${project.id}/edit`} kind="primary">
                {t("projects.edit")}
              </LinkButton>
            )}
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[1fr_2fr]">
        <Card>
          <ProjectFacts project={project} />
        </Card>
        <Card title={t("projects.progress.title")}>
          <p className="mb-3 text-sm text-muted">{t("projects.progress.asOf", { date: date(today) })}</p>
          <ProgressList progress={progress} />
          <Definitions metrics={progress.map((p) => p.metric)} />
        </Card>
      </div>
    </>
  );
}

export const meta = titled("projects.title");
