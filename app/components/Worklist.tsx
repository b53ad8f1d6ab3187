/**
 * A worker's own list of clients as cards ("My mentees", "My caseload"): alias, status in words and
 * colour (crisis red, overdue amber, on track green), last contact, next contact due, and a big
 * "Log contact" button. One column on a phone, two or three on a desk. No data access.
 */
import { Link } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { Badge, LinkButton } from "./ui";

export type WorklistItem = {
  id: number;
  alias: string;
  lastContactAt: string | null;
  nextContactDue: string | null;
  crisis: boolean;
  overdue: { overdue: boolean; daysOverdue: number | null; reason: string | null };
};

export function OverdueBadge({ overdue }: { overdue: WorklistItem["overdue"] }) {
  const { t } = useT();
  if (!overdue.overdue) return <Badge tone="ok">{t("contacts.work.onTrack")}</Badge>;
  if (overdue.daysOverdue === null) return <Badge tone="warn">{t("contacts.work.neverContacted")}</Badge>;
  return (
    <Badge tone="warn">
      {overdue.daysOverdue === 1 ? t("contacts.work.overdueOneDay") : t("contacts.work.overdueDays", { days: overdue.daysOverdue })}
    </Badge>
  );
}

export function WorklistCards({ rows }: { rows: WorklistItem[] }) {
  const { t, date } = useT();
  return (
    <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
      {rows.map((row) => (
        <li key={row.id} className="flex flex-col rounded-card border border-line bg-surface p-4 shadow-sm" data-testid="worklist-card">
          <h2 className="text-xl break-words">
            <Link to={`/clients/${row.id}`} className="no-underline hover:underline">
              {row.alias}
            </Link>
          </h2>
          <div className="mt-2 flex flex-wrap gap-2">
            {row.crisis && <Badge tone="danger">{t("clients.flag.crisis")}</Badge>}
            <OverdueBadge overdue={row.overdue} />
          </div>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-muted">{t("contacts.work.lastContact")}</dt>
            <dd>{row.lastContactAt ? date(row.lastContactAt) : t("contacts.work.none")}</dd>
            <dt className="text-muted">{t("contacts.work.nextDue")}</dt>
            <dd>{row.nextContactDue ? date(row.nextContactDue) : t("contacts.work.notSet")}</dd>
          </dl>
          <LinkButton
            to={`/clients/${row.id}/contacts#contact-form`}
            kind="primary"
            className="mt-4 min-h-12 w-full text-lg"
            aria-label={t("contacts.work.logContactFor", { alias: row.alias })}
          >
            {t("contacts.work.logContact")}
          </LinkButton>
        </li>
      ))}
    </ul>
  );
}
