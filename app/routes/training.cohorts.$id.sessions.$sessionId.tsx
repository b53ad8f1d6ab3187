import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions } from "~/components/forms";
import { Badge, Button, Card, EmptyState, PageHeader, cx } from "~/components/ui";
import { getDb } from "~/db.server";
import { id } from "~/domain/shared/fields";
import { attendanceSheet, getTrainingSession, recordAttendance } from "~/domain/training";
import { ATTENDANCE_STATUSES } from "~/domain/training/requirements";
import { attendanceField, parseAttendanceMarks } from "~/domain/training/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, readForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { cohortFromParams, refused } from "./training._index/guard.server";
import { CohortNav, useLocalName } from "./training._index/parts";

/** The session of `params.sessionId` in the cohort, or a thrown 404. */
function sessionFromParams(cohortId: number, params: LoaderFunctionArgs["params"]) {
  const parsed = id.safeParse(params.sessionId ?? "");
  const found = parsed.success ? getTrainingSession(getDb(), cohortId, parsed.data) : undefined;
  if (!found) throw notFound();
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:training");
  const access = cohortFromParams(user, params, "read");
  const found = sessionFromParams(access.cohort.id, params);
  const { cohort } = access;
  return {
    cohort: { id: cohort.id, number: cohort.number },
    session: {
      id: found.session.id,
      startsAt: found.session.startsAt,
      endsAt: found.session.endsAt,
      topic: found.session.topic,
      moduleNameZh: found.moduleNameZh,
      moduleNameEn: found.moduleNameEn,
    },
    sheet: attendanceSheet(getDb(), cohort.id, found.session.id),
    canEdit: access.can.edit && cohort.status !== "closed",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:training");
  const access = cohortFromParams(user, params, "edit");
  const found = sessionFromParams(access.cohort.id, params);
  const input = await readForm(request);
  if (!input) return badForm({ errors: { _form: "form.badRequest" }, values: {} });
  const { marks, errors } = parseAttendanceMarks(input.values);
  if (Object.keys(errors).length > 0) return badForm({ errors, values: input.values });
  let count: number;
  try {
    count = recordAttendance(getDb(), actorOf(request, user), access.cohort.id, found.session.id, marks);
  } catch (e) {
    return refused(e, input.values);
  }
  return redirectWithFlash(`/training/cohorts/${access.cohort.id}/sessions/${found.session.id}`, {
    kind: "success",
    key: "training.attendance.saved",
    params: { count },
  });
}

export default function SessionAttendance() {
  const { cohort, session, sheet, canEdit } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, tm, dateTime } = useT();
  const localName = useLocalName();
  const labels = Object.fromEntries(sheet.map((r) => [attendanceField(r.enrollmentId), r.displayName]));
  const moduleName = session.moduleNameZh ? localName({ nameZh: session.moduleNameZh, nameEn: session.moduleNameEn ?? session.moduleNameZh }) : null;
  return (
    <>
      <p className="mb-2">
        <Link to={`/training/cohorts/${cohort.id}/sessions`}>← {t("training.sessions.title")}</Link>
      </p>
      <PageHeader title={`${t("training.attendance.title")} · ${dateTime(session.startsAt)}`} subtitle={[moduleName, session.topic].filter(Boolean).join(" · ") || undefined} />
      <CohortNav cohortId={cohort.id} number={cohort.number} current="sessions" />
      {sheet.length === 0 ? (
        <EmptyState title={t("training.attendance.noTrainees")} />
      ) : (
        <Card>
          <Form method="post" noValidate>
            <p className="mb-3 text-muted">{t("training.attendance.help")}</p>
            <ErrorSummary state={state} labels={labels} />
            <ul className="grid gap-3">
              {sheet.map((row) => {
                const field = attendanceField(row.enrollmentId);
                const chosen = state?.values?.[field] ?? row.status ?? "";
                const error = state?.errors?.[field];
                const editable = canEdit && row.enrollmentStatus === "enrolled";
                return (
                  <li key={row.enrollmentId}>
                    <fieldset
                      id={`f-${field}`}
                      className={cx("rounded-card border p-3", error ? "border-danger" : "border-line")}
                      aria-describedby={error ? `f-${field}-error` : undefined}
                    >
                      <legend className="px-1 font-medium">
                        {row.displayName}
                        {row.enrollmentStatus !== "enrolled" && (
                          <span className="ml-2">
                            <Badge>{t(`training.enrollmentStatus.${row.enrollmentStatus as "withdrawn"}`)}</Badge>
                          </span>
                        )}
                      </legend>
                      {editable ? (
                        <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
                          {ATTENDANCE_STATUSES.map((s) => (
                            <label
                              key={s}
                              className="flex min-h-11 cursor-pointer items-center justify-center gap-2 rounded-lg border border-line px-3 has-[:checked]:border-brand has-[:checked]:bg-brand-soft has-[:checked]:font-medium"
                            >
                              <input type="radio" name={field} value={s} defaultChecked={chosen === s} className="h-5 w-5" />
                              <span>{t(`training.attendanceStatus.${s}`)}</span>
                            </label>
                          ))}
                        </div>
                      ) : (
                        <p>{row.status ? t(`training.attendanceStatus.${row.status}`) : <span className="text-muted">{t("training.attendance.notMarked")}</span>}</p>
                      )}
                      {error && (
                        <p id={`f-${field}-error`} className="mt-1 text-sm font-medium text-danger">
                          {tm(error)}
                        </p>
                      )}
                    </fieldset>
                  </li>
                );
              })}
            </ul>
            {canEdit && (
              <FormActions>
                <Button className="w-full sm:w-auto">{t("training.attendance.save")}</Button>
              </FormActions>
            )}
          </Form>
        </Card>
      )}
    </>
  );
}

export const meta = titled("training.attendance.title");
