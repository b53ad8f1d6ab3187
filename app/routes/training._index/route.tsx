import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { SelectField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Badge, Button, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { choice } from "~/domain/shared/fields";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { listCohorts } from "~/domain/training";
import { COHORT_STATUS_LIST } from "~/domain/training/requirements";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { CohortStatusBadge, useLocalName } from "./parts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:training");
  const url = new URL(request.url);
  const status = ListQuery.parse({ status: url.searchParams.get("status") || undefined }).status ?? null;
  const page = pageFromUrl(url);
  const { rows, total } = listCohorts(getDb(), user, { status }, page);
  return {
    rows,
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    status: status ?? "",
    canCreate: can(user, "edit:training"),
  };
}

// A malformed filter is dropped (the list shows unfiltered), never an error.
const ListQuery = z.object({ status: choice(COHORT_STATUS_LIST).optional().catch(undefined) });

export default function TrainingCohorts() {
  const { rows, total, page, pages, status, canCreate } = useLoaderData<typeof loader>();
  const { t, date } = useT();
  const localName = useLocalName();
  const newButton = canCreate ? (
    <LinkButton to="/training/cohorts/new" kind="primary">
      {t("training.cohorts.new")}
    </LinkButton>
  ) : null;
  return (
    <>
      <PageHeader
        title={t("training.cohorts.title")}
        subtitle={t("training.cohorts.subtitle")}
        actions={
          <>
            <LinkButton to="/training/programmes">{t("training.cohorts.programmes")}</LinkButton>
            {newButton}
          </>
        }
      />
      <Card className="mb-4">
        <Form method="get" role="search" aria-label={t("form.filter")} className="flex flex-wrap items-end gap-3">
          <div className="min-w-48">
            <SelectField
              name="status"
              label={t("training.cohorts.filterStatus")}
              defaultValue={status}
              placeholder={t("training.cohorts.allStatuses")}
              options={COHORT_STATUS_LIST.map((s) => ({ value: s, label: t(`training.cohortStatus.${s}`) }))}
            />
          </div>
          <div className="mb-4 flex gap-2">
            <Button kind="secondary">{t("form.filter")}</Button>
            {status && (
              <LinkButton to="/training" kind="ghost">
                {t("form.clear")}
              </LinkButton>
            )}
          </div>
        </Form>
      </Card>
      {total === 0 ? (
        <EmptyState title={t("training.cohorts.empty")} action={status ? null : newButton}>
          {t("training.cohorts.emptyHelp")}
        </EmptyState>
      ) : (
        <Card>
          <DataTable
            caption={t("training.cohorts.caption")}
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "number",
                header: t("training.cohort.number"),
                primary: true,
                cell: (r) => (
                  <span className="flex flex-wrap items-center gap-2">
                    <Link to={`/training/cohorts/${r.id}`} className="inline-flex min-h-11 items-center">
                      {t("training.cohort.name", { number: r.number })}
                    </Link>
                    {r.mine && <Badge tone="brand">{t("training.cohorts.mine")}</Badge>}
                  </span>
                ),
              },
              {
                key: "programme",
                header: t("training.cohort.programme"),
                cell: (r) => `${localName({ nameZh: r.programmeNameZh, nameEn: r.programmeNameEn })} · ${t("training.programme.version", { version: r.programmeVersion })}`,
              },
              { key: "dates", header: t("training.cohort.dates"), cell: (r) => `${date(r.startsOn)} – ${date(r.endsOn)}` },
              { key: "status", header: t("training.cohort.status"), cell: (r) => <CohortStatusBadge status={r.status} /> },
              {
                key: "trainees",
                header: t("training.cohort.trainees"),
                cell: (r) => t("training.cohort.traineeCount", { count: r.trainees, capacity: r.capacity }),
              },
              { key: "trainers", header: t("training.cohort.trainers"), cell: (r) => r.trainers.join("、") },
            ]}
          />
          <Pagination page={page} pages={pages} total={total} />
        </Card>
      )}
    </>
  );
}

export const meta = titled("training.cohorts.title");
