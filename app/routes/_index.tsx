import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { StatCard } from "~/components/StatCard";
import { Badge, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { dashboardFor, type DashboardItem, type Note } from "~/domain/dashboard/dashboard.server";
import { listDistricts } from "~/domain/organisation";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  // any signed-in person: their own home, one section per role they hold
  const user = requireUser(request);
  const db = getDb();
  const districtNames = new Map(listDistricts(db).map((d) => [d.id, { zh: d.nameZh, en: d.nameEn }]));
  return {
    displayName: user.displayName,
    roles: user.roles.map((r) => ({ role: r.role, district: r.districtId ? (districtNames.get(r.districtId) ?? null) : null })),
    sections: dashboardFor(db, user),
  };
}

function NoteBadge({ note }: { note: Note }) {
  const { t, date, dateTime } = useT();
  const params: Record<string, string | number> = { ...(note.params ?? {}) };
  for (const [name, kind] of Object.entries(note.dates ?? {})) {
    const v = params[name];
    if (typeof v === "string") params[name] = kind === "date" ? date(v) : dateTime(v);
  }
  return <Badge tone={note.tone ?? "neutral"}>{t(note.key as MessageKey, params)}</Badge>;
}

function Item({ item }: { item: DashboardItem }) {
  const { date, dateTime } = useT();
  return (
    <li className="flex flex-wrap items-center gap-x-2 gap-y-1 border-t border-line py-1 first:border-t-0">
      <Link to={item.to} className="inline-flex min-h-11 items-center font-medium">
        {item.label}
      </Link>
      {item.when && (
        <time dateTime={item.when.value} className="text-sm text-muted">
          {item.when.kind === "date" ? date(item.when.value) : dateTime(item.when.value)}
        </time>
      )}
      {item.notes?.map((n, i) => <NoteBadge key={i} note={n} />)}
    </li>
  );
}

export default function Home() {
  const { displayName, roles, sections } = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  return (
    <>
      <PageHeader
        title={t("home.welcome", { name: displayName })}
        badges={roles.map((r, i) => (
          <Badge key={i} tone="brand">
            {t(`role.${r.role}`)}
            {r.district ? ` · ${locale === "zh-CN" ? r.district.zh : r.district.en}` : ""}
          </Badge>
        ))}
      />
      {roles.length === 0 && (
        <Card title={t("home.nextWork")}>
          <p>{t("home.noRoles")}</p>
        </Card>
      )}
      {sections.map((section) => (
        <section key={section.role} aria-labelledby={`dash-${section.role}`} className="mb-6">
          <h2 id={`dash-${section.role}`} className="mb-3">
            {t("dashboard.section", { role: t(`role.${section.role}`) })}
          </h2>
          <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
            {section.cards.map((card) => (
              <StatCard
                key={card.id}
                id={`${section.role}-${card.id}`}
                title={t(`dashboard.card.${card.id}`)}
                count={card.unavailable ? null : card.count}
                unit={t(`dashboard.unit.${card.id}`)}
                tone={card.count && card.id !== "weekSessions" && card.id !== "caseload" && card.id !== "mentees" && card.id !== "audit" ? "attention" : "neutral"}
                to={card.unavailable ? null : card.to}
                linkLabel={t("dashboard.seeAll")}
              >
                {card.unavailable ? (
                  <p className="text-muted">{t("dashboard.unavailable")}</p>
                ) : (
                  <>
                    {card.facts && card.facts.length > 0 && (
                      <ul className="grid gap-1">
                        {card.facts.map((f, i) => (
                          <li key={i}>
                            <NoteBadge note={f} />
                          </li>
                        ))}
                      </ul>
                    )}
                    {card.items.length > 0 ? (
                      <ul>
                        {card.items.map((item, i) => (
                          <Item key={i} item={item} />
                        ))}
                      </ul>
                    ) : (
                      card.count === 0 && <p className="text-muted">{t("dashboard.none")}</p>
                    )}
                  </>
                )}
              </StatCard>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}

export const meta = titled("home.title");
