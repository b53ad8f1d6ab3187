/** The pieces of a project's page shared with its printable report: the facts, the progress bars, the definitions. */
import { ProgressBar } from "~/components/ProgressBar";
import { Badge } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

type Project = {
  funder: string;
  kind: string;
  startsOn: string;
  endsOn: string;
  budgetFen: number;
  notes: string;
  districts: { id: number; nameZh: string; nameEn: string }[];
};
type Progress = { metric: string; actual: number; target: number | null; percent: number | null; met: boolean };

export function ProjectFacts({ project }: { project: Project }) {
  const { t, date, number, locale } = useT();
  const rows: [string, string][] = [
    [t("projects.col.funder"), project.funder],
    [t("projects.col.kind"), t(`projects.kind.${project.kind}` as MessageKey)],
    [t("projects.col.period"), t("projects.period", { from: date(project.startsOn), to: date(project.endsOn) })],
    [t("projects.col.districts"), project.districts.map((d) => (locale === "zh-CN" ? d.nameZh : d.nameEn)).join(locale === "zh-CN" ? "、" : ", ")],
    [t("projects.col.budget"), t("projects.budgetYuan", { amount: number(project.budgetFen / 100, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) })],
  ];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted">{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
      {project.notes && (
        <div className="contents">
          <dt className="text-muted">{t("projects.field.notes")}</dt>
          <dd className="whitespace-pre-line">{project.notes}</dd>
        </div>
      )}
    </dl>
  );
}

export function ProgressList({ progress }: { progress: Progress[] }) {
  const { t, number } = useT();
  return (
    <div>
      {progress.map((p) => {
        const actual = number(p.actual);
        const valueText =
          p.target === null ? t("projects.progress.noTarget", { actual }) : t("projects.progress.ofTarget", { actual, target: number(p.target), percent: p.percent ?? 0 });
        return (
          <ProgressBar
            key={p.metric}
            label={t(`projects.metric.${p.metric}` as MessageKey)}
            percent={p.percent}
            valueText={valueText}
            met={p.met}
            status={p.target === null ? undefined : <Badge tone={p.met ? "ok" : "neutral"}>{p.met ? t("projects.progress.met") : t("projects.progress.notMet")}</Badge>}
          />
        );
      })}
    </div>
  );
}

export function Definitions({ metrics }: { metrics: string[] }) {
  const { t } = useT();
  return (
    <section className="mt-4 break-inside-avoid text-sm">
      <h2 className="mb-1 text-base">{t("projects.def.title")}</h2>
      <p className="mb-1">{t("projects.def.period")}</p>
      <dl className="grid gap-1">
        {metrics.map((m) => (
          <div key={m}>
            <dt className="inline font-medium">{t(`projects.metric.${m}` as MessageKey)}: </dt>
            <dd className="inline">{t(`projects.def.${m}` as MessageKey)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
