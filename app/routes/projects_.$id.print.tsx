import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireUserWithPermission } from "~/auth/guards.server";
import { useNonce } from "~/components/nonce";
import { Button } from "~/components/ui";
import { getDb } from "~/db.server";
import { getProject, projectProgress } from "~/domain/projects";
import { getSettings } from "~/domain/settings";
import { id } from "~/domain/shared/fields";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { Definitions, ProjectFacts, ProgressList } from "./projects.new/ProjectView";

/**
 * The printable progress report of a project: A4, the organisation and the date in the header,
 * the project's facts, each target's figure in words with its bar, and the definitions under
 * them, in the reader's language. Outside any layout (the `_` escape).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:project");
  const projectId = id.safeParse(params.id);
  if (!projectId.success) throw notFound();
  const db = getDb();
  const project = getProject(db, user, projectId.data);
  if (!project) throw notFound();
  const settings = getSettings(db);
  const progress = projectProgress(db, { startsOn: project.startsOn, endsOn: project.endsOn, districtIds: project.districts.map((d) => d.id) }, project.targets);
  return { project, progress, today: todayIn(settings.timeZone), organisation: { zh: settings.organisationNameZh, en: settings.organisationNameEn } };
}

export default function ProjectPrint() {
  const { project, progress, today, organisation } = useLoaderData<typeof loader>();
  const { t, locale, date } = useT();
  const nonce = useNonce();
  return (
    <article className="mx-auto max-w-[210mm] bg-white text-ink print:max-w-none">
      <style nonce={nonce}>{`@page { size: A4; margin: 16mm 14mm 18mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }`}</style>
      <div className="mb-4 flex flex-wrap gap-3 print:hidden">
        <Button type="button" onClick={() => window.print()}>
          {t("projects.print.print")}
        </Button>
        <Link to={`/projects/${project.id}`} className="inline-flex min-h-11 items-center px-2">
          {t("projects.print.back")}
        </Link>
      </div>
      <header className="mb-4 flex items-baseline justify-between border-b-2 border-ink pb-2 text-sm">
        <span className="font-semibold">{locale === "zh-CN" ? organisation.zh : organisation.en}</span>
        <span>{t("projects.print.printedOn", { date: date(today) })}</span>
      </header>
      <h1 className="mb-1 text-center text-xl">{t("projects.print.title")}</h1>
      <p className="mb-4 text-center text-lg font-semibold">{project.name}</p>
      <section className="mb-4">
        <ProjectFacts project={project} />
      </section>
      <section>
        <h2 className="mb-2 text-base">{t("projects.progress.title")}</h2>
        <p className="mb-3 text-sm">{t("projects.progress.asOf", { date: date(today) })}</p>
        <ProgressList progress={progress} />
      </section>
      <Definitions metrics={progress.map((p) => p.metric)} />
    </article>
  );
}

export const meta = titled("projects.print.title");
