import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Badge, Button, Card, DataTable, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { getVolunteerActivities } from "~/domain/settings/volunteer-activities.server";
import { volunteerActivityLabel } from "~/domain/settings/volunteer-activities";
import { id } from "~/domain/shared/fields";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import {
  LogHoursSchema,
  hoursToday,
  listMyHours,
  loggableDistricts,
  logHours,
  myHoursSummary,
  pendingHoursCount,
  withdrawHours,
} from "~/domain/volunteering";
import { EDIT_WINDOW_DAYS, HOURS_STATUS_TONES, LOG_MAX_AGE_DAYS, NOTE_MAX, hoursText } from "~/domain/volunteering/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * My volunteer hours: the log form, this year's figures, and my entries (newest day first, paged,
 * ?status= filter) with their status in words and colour; edit and withdraw while allowed
 * (pending, within 7 days of logging).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "log:hours");
  const db = getDb();
  const url = new URL(request.url);
  const page = pageFromUrl(url);
  const { status } = ListQuery.parse({ status: url.searchParams.get("status") || undefined });
  const today = hoursToday(db);
  const yearStart = `${today.slice(0, 4)}-01-01`;
  const { rows, total } = listMyHours(db, user.personId, { status: status ?? null, page });
  const districts = loggableDistricts(db, user.personId);
  return {
    rows,
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    status: status ?? null,
    today,
    yearStart,
    summary: myHoursSummary(db, user.personId, { from: yearStart, to: today }),
    activities: getVolunteerActivities(db),
    districts,
    toApprove: can(user, "approve:hours") ? pendingHoursCount(db, user) : null,
  };
}

const ListQuery = z.object({ status: z.enum(["pending", "approved", "rejected"]).optional().catch(undefined) });

const WithdrawSchema = z.object({ intent: z.literal("withdraw"), id });

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "log:hours");
  const db = getDb();
  const actor = actorOf(request, user);
  const intent = await intentOf(request);
  if (intent === "withdraw") {
    const form = await parseForm(request, WithdrawSchema);
    if (!form.ok) return badForm(form);
    try {
      withdrawHours(db, actor, user, form.data.id);
    } catch (e) {
      return domainRefusal(e, form.values);
    }
    return redirectWithFlash("/hours", { kind: "success", key: "volunteering.flash.withdrawn" });
  }
  const form = await parseForm(request, LogHoursSchema);
  if (!form.ok) return badForm(form);
  try {
    logHours(db, actor, user, form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash("/hours", { kind: "success", key: "volunteering.flash.logged" });
}

async function intentOf(request: Request): Promise<string | null> {
  try {
    const v = (await request.clone().formData()).get("intent");
    return typeof v === "string" ? v : null;
  } catch {
    return null;
  }
}

export default function MyHours() {
  const { rows, total, page, pages, status, today, yearStart, summary, activities, districts, toApprove } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale, date } = useT();
  const labels = {
    activity: t("volunteering.field.activity"),
    workedOn: t("volunteering.field.workedOn"),
    hours: t("volunteering.field.hours"),
    districtId: t("volunteering.field.districtId"),
    note: t("volunteering.field.note"),
  };
  const districtName = (d: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? d.nameZh : d.nameEn);
  const h = (minutes: number) => hoursText(minutes);
  return (
    <div className="max-w-4xl">
      <PageHeader
        title={t("volunteering.mine.title")}
        subtitle={t("volunteering.mine.subtitle")}
        actions={
          <>
            <LinkButton to="/hours/statement">{t("volunteering.mine.statement")}</LinkButton>
            {toApprove !== null && (
              <LinkButton to="/hours/approvals">
                {t("volunteering.approvals.title")} <Badge tone={toApprove > 0 ? "warn" : "neutral"}>{toApprove}</Badge>
              </LinkButton>
            )}
          </>
        }
      />
      <p className="mb-4" role="status">
        {t("volunteering.mine.summary", { from: date(yearStart), approved: h(summary.approvedMinutes), pending: h(summary.pendingMinutes), rejected: summary.rejectedCount })}
      </p>

      <Card title={t("volunteering.mine.logTitle")} className="mb-6">
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={labels} />
          <input type="hidden" name="intent" value="log" />
          <SelectField
            name="activity"
            label={labels.activity}
            state={state}
            required
            placeholder={t("volunteering.field.choose")}
            options={activities.filter((a) => a.active).map((a) => ({ value: a.id, label: locale === "zh-CN" ? a.zh : a.en }))}
          />
          <div className="grid gap-x-4 sm:grid-cols-2">
            <TextField name="workedOn" type="date" label={labels.workedOn} help={t("volunteering.field.workedOnHelp", { days: LOG_MAX_AGE_DAYS })} state={state} defaultValue={today} required />
            <TextField name="hours" inputMode="decimal" label={labels.hours} help={t("volunteering.field.hoursHelp")} state={state} required maxLength={6} />
          </div>
          <SelectField
            name="districtId"
            label={labels.districtId}
            help={t("volunteering.field.districtHelp")}
            state={state}
            required
            defaultValue={districts.length === 1 ? districts[0]!.id : ""}
            placeholder={districts.length === 1 ? undefined : t("volunteering.field.choose")}
            options={districts.map((d) => ({ value: d.id, label: districtName(d) }))}
          />
          <TextField name="note" label={labels.note} help={t("volunteering.field.noteHelp", { max: NOTE_MAX })} state={state} multiline maxLength={NOTE_MAX} />
          <FormActions>
            <Button>{t("volunteering.mine.logSubmit")}</Button>
          </FormActions>
        </Form>
      </Card>

      <section aria-labelledby="my-entries">
        <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
          <h2 id="my-entries">{t("volunteering.mine.listTitle")}</h2>
          <Form method="get" className="flex flex-wrap items-end gap-3">
            <div className="min-w-48">
              <SelectField
                name="status"
                label={t("volunteering.field.status")}
                defaultValue={status ?? ""}
                placeholder={t("volunteering.status.any")}
                options={(["pending", "approved", "rejected"] as const).map((s) => ({ value: s, label: t(`volunteering.status.${s}`) }))}
              />
            </div>
            <Button kind="secondary" className="mb-4">
              {t("volunteering.mine.show")}
            </Button>
          </Form>
        </div>
        {rows.length === 0 ? (
          <EmptyState title={status ? t("volunteering.mine.noMatch") : t("volunteering.mine.empty")}>{status ? null : t("volunteering.mine.emptyBody")}</EmptyState>
        ) : (
          <>
            <DataTable
              caption={t("volunteering.mine.listTitle")}
              rows={rows}
              rowKey={(r) => r.id}
              columns={[
                { key: "date", header: t("volunteering.col.date"), primary: true, cell: (r) => date(r.workedOn) },
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
                { key: "hours", header: t("volunteering.col.hours"), cell: (r) => t("volunteering.hoursValue", { hours: h(r.minutes) }) },
                { key: "district", header: t("volunteering.col.district"), cell: (r) => districtName({ nameZh: r.districtZh, nameEn: r.districtEn }) },
                {
                  key: "status",
                  header: t("volunteering.col.status"),
                  cell: (r) => (
                    <>
                      <Badge tone={HOURS_STATUS_TONES[r.status]}>{t(`volunteering.status.${r.status}`)}</Badge>
                      {r.status === "rejected" && r.rejectionReason && (
                        <span className="block text-sm break-words">{t("volunteering.mine.rejectedBecause", { reason: r.rejectionReason })}</span>
                      )}
                    </>
                  ),
                },
                {
                  key: "actions",
                  header: t("volunteering.col.actions"),
                  cell: (r) =>
                    r.editRefusal === null ? (
                      <span className="inline-flex flex-wrap gap-2">
                        <LinkButton to={`/hours/${r.id}`} kind="ghost" aria-label={t("volunteering.mine.editEntry", { date: date(r.workedOn) })}>
                          {t("volunteering.mine.edit")}
                        </LinkButton>
                        <Form method="post">
                          <input type="hidden" name="intent" value="withdraw" />
                          <input type="hidden" name="id" value={r.id} />
                          <Button kind="ghost">{t("volunteering.edit.withdraw")}</Button>
                        </Form>
                      </span>
                    ) : r.status === "pending" ? (
                      <span className="text-sm text-muted">{t("volunteering.mine.locked")}</span>
                    ) : null,
                },
              ]}
            />
            <Pagination page={page} pages={pages} total={total} />
          </>
        )}
        <p className="mt-3 text-sm text-muted">{t("volunteering.edit.subtitle", { days: EDIT_WINDOW_DAYS })}</p>
      </section>
    </div>
  );
}

export const meta = titled("volunteering.mine.title");
