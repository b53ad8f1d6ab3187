import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { notFound, requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { Badge, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { getDistrict, idFromParam, listPoints, listStudios, listSubdistricts, listWorkstations } from "~/domain/organisation";
import { adminPath, otherPlaceName, placeName, statusPath, type KIND_SEGMENTS } from "~/domain/organisation/display";
import { WEEKDAYS, periodOn, weekdayName, type OpeningPeriod } from "~/domain/organisation/opening-hours";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:org");
  const id = idFromParam(params.districtId);
  if (id === null) throw notFound();
  const db = getDb();
  const district = getDistrict(db, id);
  if (!district) throw notFound();
  // one district's places: bounded (a district has a few dozen at most), listed whole
  return {
    district,
    subdistricts: listSubdistricts(db, { districtId: id }),
    workstations: listWorkstations(db, { districtId: id }),
    points: listPoints(db, { districtId: id }),
    studios: listStudios(db, { districtId: id }),
    canEdit: can(user, "edit:org"),
  };
}

type Kind = keyof typeof KIND_SEGMENTS;

export default function DistrictPage() {
  const { district, subdistricts, workstations, points, studios, canEdit } = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  const name = (p: { nameZh: string; nameEn: string }) => placeName(locale, p);
  const addQuery = `?districtId=${district.id}`;

  const nameCell = (kind: Kind) => (p: { id: number; nameZh: string; nameEn: string; active: boolean }) => (
    <span className="flex flex-wrap items-center gap-2">
      <span className="font-medium">{name(p)}</span>
      <span className="text-sm text-muted">{otherPlaceName(locale, p)}</span>
      {!p.active && <Badge>{t("status.inactive")}</Badge>}
      {canEdit && <EditLinks kind={kind} id={p.id} name={name(p)} active={p.active} />}
    </span>
  );

  const addButton = (kind: Kind, label: MessageKey) =>
    canEdit ? (
      <LinkButton to={adminPath(kind, "new", addQuery)} kind="secondary">
        {t(label)}
      </LinkButton>
    ) : undefined;

  return (
    <>
      <p className="mb-2">
        <Link to="/organisation" className="inline-flex min-h-11 items-center">
          ← {t("organisation.allDistricts")}
        </Link>
      </p>
      <PageHeader
        title={name(district)}
        subtitle={`${otherPlaceName(locale, district)} · ${t("organisation.col.code")} ${district.code}`}
        badges={!district.active ? <Badge>{t("status.inactive")}</Badge> : undefined}
        actions={
          canEdit ? (
            <>
              <LinkButton to={adminPath("district", district.id)}>{t("organisation.edit.district")}</LinkButton>
              <LinkButton to={statusPath("district", district.id)} kind={district.active ? "ghost" : "secondary"}>
                {t(district.active ? "organisation.action.deactivate" : "organisation.action.activate")}
              </LinkButton>
            </>
          ) : undefined
        }
      />
      <div className="grid gap-5">
        <Section title={t("organisation.section.subdistricts")} action={addButton("subdistrict", "organisation.add.subdistrict")}>
          {subdistricts.length === 0 ? (
            <EmptyState title={t("organisation.empty.subdistricts")}>{t("organisation.empty.subdistrictsBody")}</EmptyState>
          ) : (
            <DataTable
              caption={t("organisation.section.subdistricts")}
              rows={subdistricts}
              rowKey={(s) => s.id}
              columns={[
                { key: "name", header: t("organisation.col.name"), primary: true, cell: nameCell("subdistrict") },
                { key: "kind", header: t("organisation.col.kind"), cell: (s) => t(s.kind === "town" ? "organisation.kind.town" : "organisation.kind.subdistrict") },
              ]}
            />
          )}
        </Section>

        <Section title={t("organisation.section.workstations")} action={addButton("workstation", "organisation.add.workstation")}>
          {workstations.length === 0 ? (
            <EmptyState title={t("organisation.empty.workstations")}>{t("organisation.empty.workstationsBody")}</EmptyState>
          ) : (
            <DataTable
              caption={t("organisation.section.workstations")}
              rows={workstations}
              rowKey={(w) => w.id}
              columns={[
                { key: "name", header: t("organisation.col.name"), primary: true, cell: nameCell("workstation") },
                { key: "address", header: t("organisation.col.address"), cell: (w) => w.address || t("organisation.none") },
              ]}
            />
          )}
        </Section>

        <Section title={t("organisation.section.points")} action={addButton("social_work_point", "organisation.add.point")}>
          {points.length === 0 ? (
            <EmptyState title={t("organisation.empty.points")}>{t("organisation.empty.pointsBody")}</EmptyState>
          ) : (
            <DataTable
              caption={t("organisation.section.points")}
              rows={points}
              rowKey={(p) => p.id}
              columns={[
                { key: "name", header: t("organisation.col.name"), primary: true, cell: nameCell("social_work_point") },
                { key: "subdistrict", header: t("organisation.col.subdistrict"), cell: (p) => name({ nameZh: p.subdistrictNameZh, nameEn: p.subdistrictNameEn }) },
                {
                  key: "workstation",
                  header: t("organisation.col.workstation"),
                  cell: (p) => (p.workstationNameZh !== null ? name({ nameZh: p.workstationNameZh, nameEn: p.workstationNameEn ?? "" }) : t("organisation.none")),
                },
                { key: "address", header: t("organisation.col.address"), cell: (p) => p.address || t("organisation.none") },
              ]}
            />
          )}
        </Section>

        <Section title={t("organisation.section.studios")} action={addButton("studio", "organisation.add.studio")}>
          {studios.length === 0 ? (
            <EmptyState title={t("organisation.empty.studios")}>{t("organisation.empty.studiosBody")}</EmptyState>
          ) : (
            <DataTable
              caption={t("organisation.section.studios")}
              rows={studios}
              rowKey={(s) => s.id}
              columns={[
                { key: "name", header: t("organisation.col.name"), primary: true, cell: nameCell("studio") },
                { key: "address", header: t("organisation.col.address"), cell: (s) => s.address },
                { key: "capacity", header: t("organisation.col.capacity"), cell: (s) => t("organisation.capacityPeople", { count: s.capacity }) },
                { key: "hours", header: t("organisation.col.openingHours"), cell: (s) => <OpeningHours periods={s.openingHours} /> },
              ]}
            />
          )}
        </Section>
      </div>
    </>
  );
}

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <Card title={title} actions={action}>
      {children}
    </Card>
  );
}

function EditLinks({ kind, id, name, active }: { kind: Kind; id: number; name: string; active: boolean }) {
  const { t } = useT();
  return (
    <span className="flex gap-3 text-sm font-normal">
      <Link to={adminPath(kind, id)} className="inline-flex min-h-11 items-center" aria-label={t("organisation.action.editNamed", { name })}>
        {t("organisation.action.edit")}
      </Link>
      <Link to={statusPath(kind, id)} className="inline-flex min-h-11 items-center" aria-label={t("organisation.action.statusNamed", { name })}>
        {t(active ? "organisation.action.deactivate" : "organisation.action.activate")}
      </Link>
    </span>
  );
}

/** Monday to Sunday, each with its period or "closed"; weekday names from Intl. */
function OpeningHours({ periods }: { periods: OpeningPeriod[] }) {
  const { t, locale } = useT();
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm">
      {WEEKDAYS.map((w) => {
        const p = periodOn(periods, w);
        return (
          <div key={w} className="contents">
            <dt className="text-muted">{weekdayName(locale, w, "short")}</dt>
            <dd>{p ? `${p.opens}–${p.closes}` : t("organisation.closed")}</dd>
          </div>
        );
      })}
    </dl>
  );
}

export const meta = titled("organisation.kind.district");
