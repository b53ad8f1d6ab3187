import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { navigationFor } from "~/auth/navigation";
import { Badge, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistricts } from "~/domain/organisation";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  // any signed-in person: their own home
  const user = requireUser(request);
  const districtNames = new Map(listDistricts(getDb()).map((d) => [d.id, { zh: d.nameZh, en: d.nameEn }]));
  // the next piece of work first: every area the person's roles open, one tap away
  // (role dashboards with counts come with the reports issue)
  const work: { to: string; label: MessageKey }[] = navigationFor(user).filter((item) => item.to !== "/");
  return {
    displayName: user.displayName,
    roles: user.roles.map((r) => ({ role: r.role, district: r.districtId ? (districtNames.get(r.districtId) ?? null) : null })),
    work,
  };
}

export default function Home() {
  const { displayName, roles, work } = useLoaderData<typeof loader>();
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
      <Card title={t("home.nextWork")}>
        {roles.length === 0 ? (
          <p>{t("home.noRoles")}</p>
        ) : (
          <ul className="grid gap-2">
            {work.map((w) => (
              <li key={w.to}>
                <Link to={w.to} className="flex min-h-11 items-center rounded-lg border border-line px-4 font-medium no-underline hover:bg-brand-soft">
                  {t(w.label)}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

export const meta = titled("home.title");
