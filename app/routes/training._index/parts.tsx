/**
 * UI pieces shared by the training pages. No server imports: only the pure requirements module.
 */
import { Link } from "@remix-run/react";
import { Badge, cx, type Tone } from "~/components/ui";
import { requirementMessage, type CohortStatus, type EnrollmentStatus, type RequirementItem } from "~/domain/training/requirements";
import { useT } from "~/i18n/use-t";

const COHORT_TONES: Record<CohortStatus, Tone> = {
  planning: "neutral",
  running: "brand",
  assessing: "warn",
  certified: "ok",
  closed: "neutral",
};

export function CohortStatusBadge({ status }: { status: CohortStatus }) {
  const { t } = useT();
  return <Badge tone={COHORT_TONES[status]}>{t(`training.cohortStatus.${status}`)}</Badge>;
}

const ENROLLMENT_TONES: Record<EnrollmentStatus, Tone> = {
  enrolled: "brand",
  withdrawn: "neutral",
  completed: "ok",
  not_certified: "warn",
};

export function EnrollmentStatusBadge({ status }: { status: EnrollmentStatus }) {
  const { t } = useT();
  return <Badge tone={ENROLLMENT_TONES[status]}>{t(`training.enrollmentStatus.${status}`)}</Badge>;
}

/** "Meets all" (green) or "Missing 2" (amber): words and colour. */
export function RequirementSummary({ missing }: { missing: number }) {
  const { t } = useT();
  return missing === 0 ? (
    <Badge tone="ok">{t("training.trainees.meetsAll")}</Badge>
  ) : (
    <Badge tone="warn">{t("training.trainees.missing", { count: missing })}</Badge>
  );
}

/** Each requirement with its numbers and met / missing in words. */
export function RequirementList({ items, only }: { items: RequirementItem[]; only?: "missing" }) {
  const { t, tm, locale } = useT();
  const shown = only === "missing" ? items.filter((i) => !i.met) : items;
  return (
    <ul className="grid gap-2">
      {shown.map((item, i) => (
        <li
          key={`${item.kind}-${item.kind === "module" ? item.moduleId : i}`}
          className={cx("flex flex-wrap items-start gap-2 rounded-lg border p-2", item.met ? "border-ok/30" : "border-warn/40")}
        >
          <Badge tone={item.met ? "ok" : "warn"}>{item.met ? t("training.req.met") : t("training.req.missing")}</Badge>
          <span className="min-w-0 flex-1">
            {tm(requirementMessage(item, locale))}
            {item.kind === "practicum" && item.unsignedHours > 0 && (
              <span className="block text-sm text-muted">{t("training.req.unsigned", { hours: item.unsignedHours })}</span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Links between a cohort's pages. */
export function CohortNav({ cohortId, number, current }: { cohortId: number; number: number; current: "overview" | "sessions" }) {
  const { t } = useT();
  const link = (to: string, label: string, active: boolean) => (
    <Link
      to={to}
      aria-current={active ? "page" : undefined}
      className={cx(
        "inline-flex min-h-11 items-center rounded-lg px-4 no-underline",
        active ? "bg-brand-soft font-medium text-brand-strong" : "hover:bg-neutral-soft",
      )}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label={t("training.cohort.name", { number })} className="mb-4 flex flex-wrap gap-2 border-b border-line pb-2">
      {link(`/training/cohorts/${cohortId}`, t("training.cohort.name", { number }), current === "overview")}
      {link(`/training/cohorts/${cohortId}/sessions`, t("training.sessions.title"), current === "sessions")}
    </nav>
  );
}

/** A bilingual name in the viewer's language. */
export function useLocalName() {
  const { locale } = useT();
  return (o: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? o.nameZh : o.nameEn);
}
