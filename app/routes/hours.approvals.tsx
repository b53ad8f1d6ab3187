import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Button, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { getVolunteerActivities } from "~/domain/settings/volunteer-activities.server";
import { volunteerActivityLabel } from "~/domain/settings/volunteer-activities";
import { id, isoDate } from "~/domain/shared/fields";
import { isDomainError } from "~/domain/shared/errors";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { DecideSchema, approvalDistricts, decideHours, listPendingApprovals } from "~/domain/volunteering";
import { REJECTION_REASON_MAX, hoursText } from "~/domain/volunteering/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * Hours to approve (coordinators: their districts; admins: all): pending entries, oldest day
 * first, filtered in SQL by person, district and dates (URL params), paged. Tick entries and
 * approve or reject them together (all or nothing), or decide one row at a time; rejecting needs
 * a reason. Works without JavaScript. Never one's own entries.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "approve:hours");
  const db = getDb();
  const url = new URL(request.url);
  const page = pageFromUrl(url);
  const q = ListQuery.parse(Object.fromEntries(["person", "district", "from", "to", "reject"].map((k) => [k, url.searchParams.get(k) || undefined])));
  const districts = approvalDistricts(db, user);
  const districtId = districts.some((d) => d.id === q.district) ? (q.district ?? null) : null;
  const filter = { person: q.person ?? null, districtId, from: q.from ?? null, to: q.to ?? null };
  const { rows, total, minutes } = listPendingApprovals(db, user, filter, page);
  const rejecting = q.reject ? (listPendingApprovals(db, user, { entryId: q.reject }, { page: 1, limit: 1, offset: 0 }).rows[0] ?? null) : null;
  return {
    rows,
    total,
    minutes,
    page: page.page,
    pages: pageCount(total, page.limit),
    filter: { person: q.person ?? "", districtId, from: q.from ?? "", to: q.to ?? "" },
    districts,
    activities: getVolunteerActivities(db),
    rejecting,
  };
}

// The list's search params: anything malformed is dropped (the list shows unfiltered), never an error.
const ListQuery = z.object({
  person: z.string().trim().max(64).optional().catch(undefined),
  district: id.optional().catch(undefined),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  reject: id.optional().catch(undefined),
});

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "approve:hours");
  // the ticked ids as typed, to tick them again when the form comes back
  let selected: string[] = [];
  const form = await parseForm(request, DecideSchema, ({ values, multi }) => {
    selected = (values.approveOne ? [values.approveOne] : (multi.ids ?? [])).slice(0, 200);
    return values.approveOne ? { decision: "approve", ids: [values.approveOne], reason: "" } : { decision: values.decision, ids: multi.ids ?? [], reason: values.reason };
  });
  if (!form.ok) return data({ ok: false as const, errors: form.errors, values: form.values, selected }, { status: 400 });
  let count: number;
  try {
    count = decideHours(getDb(), actorOf(request, user), user, form.data);
  } catch (e) {
    if (isDomainError(e)) return data({ ok: false as const, errors: { [e.field]: e.key }, values: form.values, selected }, { status: 400 });
    throw e;
  }
  const url = new URL(request.url);
  url.searchParams.delete("reject");
  url.searchParams.delete("index");
  const back = `/hours/approvals${url.search}`;
  return redirectWithFlash(back, { kind: "success", key: form.data.decision === "approve" ? "volunteering.flash.approved" : "volunteering.flash.rejected", params: { count } });
}

export default function HoursApprovals() {
  const { rows, total, minutes, page, pages, filter, districts, activities, rejecting } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale, date } = useT();
  const location = useLocation();
  const selected = new Set(state?.selected ?? []);
  const districtName = (d: { districtZh: string; districtEn: string }) => (locale === "zh-CN" ? d.districtZh : d.districtEn);
  const filtered = !!(filter.person || filter.districtId || filter.from || filter.to);
  const withParam = (key: string, value: string) => {
    const params = new URLSearchParams(location.search);
    params.set(key, value);
    return `${location.pathname}?${params.toString()}`;
  };
  const labels = { reason: t("volunteering.approvals.reason"), ids: t("volunteering.col.select") };
  return (
    <div>
      <PageHeader title={t("volunteering.approvals.title")} subtitle={t("volunteering.approvals.subtitle")} />

      <Form method="get" className="mb-4 grid gap-x-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
        <TextField name="person" type="search" label={t("volunteering.approvals.filterPerson")} defaultValue={filter.person} maxLength={64} />
        {districts.length > 1 && (
          <SelectField
            name="district"
            label={t("volunteering.approvals.filterDistrict")}
            defaultValue={filter.districtId ?? ""}
            placeholder={t("volunteering.approvals.allDistricts")}
            options={districts.map((d) => ({ value: d.id, label: locale === "zh-CN" ? d.nameZh : d.nameEn }))}
          />
        )}
        <TextField name="from" type="date" label={t("volunteering.approvals.from")} defaultValue={filter.from} />
        <TextField name="to" type="date" label={t("volunteering.approvals.to")} defaultValue={filter.to} />
        <div className="mb-4">
          <Button kind="secondary">{t("volunteering.approvals.show")}</Button>
        </div>
      </Form>

      {rejecting && (
        <Card title={t("volunteering.approvals.rejectOneTitle", { name: rejecting.personName, date: date(rejecting.workedOn), hours: hoursText(rejecting.minutes) })} className="mb-4">
          <Form method="post" noValidate>
            <ErrorSummary state={state} labels={labels} />
            <input type="hidden" name="ids" value={rejecting.id} />
            <input type="hidden" name="decision" value="reject" />
            <TextField name="reason" label={labels.reason} help={t("volunteering.approvals.reasonHelp")} state={state} required multiline maxLength={REJECTION_REASON_MAX} />
            <FormActions>
              <Button kind="danger">{t("volunteering.approvals.rejectOneSubmit")}</Button>
              <LinkButton to={location.pathname + location.search.replace(/([?&])reject=\d+&?/, "$1").replace(/[?&]$/, "")} kind="secondary">
                {t("form.cancel")}
              </LinkButton>
            </FormActions>
          </Form>
        </Card>
      )}

      {rejecting ? null : rows.length === 0 ? (
        <EmptyState title={filtered ? t("volunteering.approvals.noMatch") : t("volunteering.approvals.empty")}>{filtered ? null : t("volunteering.approvals.emptyBody")}</EmptyState>
      ) : (
        <>
          <p className="mb-3" role="status">
            {t("volunteering.approvals.totals", { count: total, hours: hoursText(minutes) })}
          </p>
          <div className="mb-4 flex flex-wrap items-center gap-3">
            <LinkButton to={`/hours/approvals/export${exportSearch(filter)}`} reloadDocument kind="secondary">
              {t("reports.list.export")}
            </LinkButton>
          </div>
          <Form method="post" noValidate>
            <ErrorSummary state={state} labels={labels} />
            <DataTable
              caption={t("volunteering.approvals.caption")}
              rows={rows}
              rowKey={(r) => r.id}
              columns={[
                {
                  key: "select",
                  header: t("volunteering.col.select"),
                  cell: (r) => (
                    <label className="inline-flex min-h-11 min-w-11 items-center">
                      <input type="checkbox" name="ids" value={r.id} defaultChecked={selected.has(String(r.id))} className="h-5 w-5" />
                      <span className="sr-only">{t("volunteering.approvals.selectEntry", { name: r.personName, date: date(r.workedOn) })}</span>
                    </label>
                  ),
                },
                {
                  key: "person",
                  header: t("volunteering.col.person"),
                  primary: true,
                  cell: (r) => (
                    <Link to={`/hours/statement?person=${r.personId}`} className="inline-flex min-h-11 items-center">
                      {r.personName}
                    </Link>
                  ),
                },
                { key: "date", header: t("volunteering.col.date"), cell: (r) => date(r.workedOn) },
                {
                  key: "activity",
                  header: t("volunteering.col.activity"),
                  cell: (r) => (
                    <>
                      {volunteerActivityLabel(activities, r.activity, locale)}
                      {r.sessionId !== null && (
                        <>
                          {" · "}
                          <Link to={`/sessions/${r.sessionId}`}>{t("volunteering.mine.fromSession")}</Link>
                        </>
                      )}
                      {r.note && <span className="block text-sm text-muted break-words">{r.note}</span>}
                    </>
                  ),
                },
                { key: "hours", header: t("volunteering.col.hours"), cell: (r) => t("volunteering.hoursValue", { hours: hoursText(r.minutes) }) },
                { key: "district", header: t("volunteering.col.district"), cell: (r) => districtName(r) },
                {
                  key: "actions",
                  header: t("volunteering.col.actions"),
                  cell: (r) => (
                    <span className="inline-flex flex-wrap gap-2">
                      <Button kind="secondary" name="approveOne" value={r.id} aria-label={t("volunteering.approvals.approveOneLabel", { name: r.personName, date: date(r.workedOn) })}>
                        {t("volunteering.approvals.approveOne")}
                      </Button>
                      <LinkButton to={withParam("reject", String(r.id))} kind="ghost" aria-label={t("volunteering.approvals.rejectOneLabel", { name: r.personName, date: date(r.workedOn) })}>
                        {t("volunteering.approvals.rejectOne")}
                      </LinkButton>
                    </span>
                  ),
                },
              ]}
            />
            <Card className="mt-4">
              <p className="mb-3 text-muted">{t("volunteering.approvals.bulkHelp")}</p>
              <TextField name="reason" label={labels.reason} help={t("volunteering.approvals.reasonHelp")} state={state} multiline maxLength={REJECTION_REASON_MAX} />
              <FormActions>
                <Button name="decision" value="approve">
                  {t("volunteering.approvals.approveSelected")}
                </Button>
                <Button name="decision" value="reject" kind="danger">
                  {t("volunteering.approvals.rejectSelected")}
                </Button>
              </FormActions>
            </Card>
          </Form>
          <Pagination page={page} pages={pages} total={total} />
        </>
      )}
    </div>
  );
}

/** The list's filters as the export's search string. */
function exportSearch(filter: { person: string; districtId: number | null; from: string; to: string }): string {
  const params = new URLSearchParams();
  if (filter.person) params.set("person", filter.person);
  if (filter.districtId) params.set("district", String(filter.districtId));
  if (filter.from) params.set("from", filter.from);
  if (filter.to) params.set("to", filter.to);
  const search = params.toString();
  return search ? `?${search}` : "";
}

export const meta = titled("volunteering.approvals.title");
