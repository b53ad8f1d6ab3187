import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, forbidden, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions } from "~/components/forms";
import { Button, Card, EmptyState, PageHeader, cx } from "~/components/ui";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import {
  attendanceSheet,
  checkInQrSvg,
  checkInUrl,
  currentCheckInToken,
  issueCheckInToken,
  mayTakeAttendance,
  programTimeZone,
  recordAttendance,
  sessionDetail,
} from "~/domain/sessions";
import { choice } from "~/domain/shared/fields";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * Attendance for one session, on a phone: each registered client (by alias) with one radio group
 * — present, late, absent, excused — and one save, which marks the session held. For the
 * session's facilitators and the coordinators of its district. Below it, the self check-in code.
 */
const MARKS = ["present", "late", "absent", "excused"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const sessionId = idFromParam(params.id);
  if (sessionId === null) throw notFound();
  const db = getDb();
  const detail = sessionDetail(db, sessionId, programTimeZone(db));
  if (!detail) throw notFound();
  if (!mayTakeAttendance(db, user, sessionId)) throw forbidden();
  // the code is drawn only when asked for (?code=1), so it is not on screen by accident
  const current = new URL(request.url).searchParams.get("code") === "1" ? currentCheckInToken(db, sessionId) : null;
  const checkIn = current ? { svg: await checkInQrSvg(checkInUrl(new URL(request.url).origin, sessionId, current.token)), endsAt: current.endsAt } : null;
  return { detail, sheet: attendanceSheet(db, sessionId), checkIn };
}

const CodeSchema = z.object({ intent: z.literal("code") });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const sessionId = idFromParam(params.id);
  if (sessionId === null) throw notFound();
  const db = getDb();
  if (!sessionDetail(db, sessionId, programTimeZone(db))) throw notFound();
  if (!mayTakeAttendance(db, user, sessionId)) throw forbidden();
  const actor = actorOf(request, user);
  const here = `/sessions/${sessionId}/attendance`;

  if ((await request.clone().formData()).get("intent") === "code") {
    const form = await parseForm(request, CodeSchema);
    if (!form.ok) return badForm(form);
    try {
      issueCheckInToken(db, actor, user, sessionId);
    } catch (e) {
      return domainRefusal(e, form.values);
    }
    return redirectWithFlash(`${here}?code=1#check-in`, { kind: "success", key: "sessions.flash.checkInCreated" });
  }

  const sheet = attendanceSheet(db, sessionId);
  const schema = z.object(Object.fromEntries(sheet.map((l) => [`status-${l.clientId}`, choice(MARKS)])));
  const form = await parseForm(request, schema);
  if (!form.ok) return badForm(form);
  const marks = sheet.map((l) => ({ clientId: l.clientId, status: (form.data as Record<string, (typeof MARKS)[number]>)[`status-${l.clientId}`]! }));
  try {
    recordAttendance(db, actor, user, sessionId, marks);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(here, { kind: "success", key: "sessions.flash.attendanceSaved" });
}

export default function Attendance() {
  const { detail, sheet, checkIn } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, date, dateTime } = useT();
  const labels = Object.fromEntries(sheet.map((l) => [`status-${l.clientId}`, l.alias]));
  const open = detail.status !== "cancelled";
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to={`/sessions/${detail.id}`} className="inline-flex min-h-11 items-center">
          ← {detail.topic}
        </Link>
      </p>
      <PageHeader title={t("sessions.attendance.title")} subtitle={`${detail.topic} · ${date(detail.date)} ${detail.startTime}–${detail.endTime}`} />
      {!open ? (
        <p role="note">{t("sessions.error.cancelledSession")}</p>
      ) : sheet.length === 0 ? (
        <EmptyState title={t("sessions.attendance.empty")} />
      ) : (
        <Form method="post" noValidate>
          <p className="mb-3 text-muted">{t("sessions.attendance.help")}</p>
          <ErrorSummary state={state} labels={labels} />
          <ul className="grid gap-3">
            {sheet.map((line) => {
              const name = `status-${line.clientId}`;
              const chosen = state?.values?.[name] ?? line.status ?? "";
              const error = state?.errors?.[name];
              return (
                <li key={line.clientId}>
                  <fieldset id={`f-${name}`} className="rounded-card border border-line bg-surface p-3">
                    <legend className="px-1 font-medium">
                      {line.alias}
                      {line.checkedInAt && <span className="ml-2 text-sm font-normal text-muted">{t("sessions.attendance.checkedIn")}</span>}
                    </legend>
                    <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
                      {MARKS.map((mark) => (
                        <label
                          key={mark}
                          className={cx(
                            "flex min-h-11 cursor-pointer items-center justify-center gap-2 rounded-card border border-line px-2 text-center",
                            "has-[:checked]:border-brand has-[:checked]:bg-brand-soft has-[:checked]:font-medium",
                          )}
                        >
                          <input type="radio" name={name} value={mark} defaultChecked={chosen === mark} className="h-5 w-5" />
                          {t(`sessions.attendance.${mark}`)}
                        </label>
                      ))}
                    </div>
                    {error && <p className="mt-1 text-sm font-medium text-danger">{t("sessions.attendance.missing")}</p>}
                  </fieldset>
                </li>
              );
            })}
          </ul>
          <FormActions>
            <Button name="intent" value="save">
              {t("sessions.attendance.save")}
            </Button>
          </FormActions>
        </Form>
      )}

      {open && (
        <Card title={t("sessions.checkin.title")} className="mt-6">
          <div id="check-in">
            <p className="mb-3 text-muted">{t("sessions.checkin.help")}</p>
            {checkIn ? (
              <>
                <div
                  role="img"
                  aria-label={t("sessions.checkin.title")}
                  className="mx-auto h-56 w-56 [&>svg]:h-full [&>svg]:w-full"
                  // the SVG is the qrcode library's output: paths only, built from our own URL
                  dangerouslySetInnerHTML={{ __html: checkIn.svg }}
                />
                <p className="mt-2 text-center text-sm">{t("sessions.checkin.validUntil", { time: dateTime(checkIn.endsAt) })}</p>
              </>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="code" />
                <Button kind="secondary">{t("sessions.checkin.create")}</Button>
              </Form>
            )}
          </div>
        </Card>
      )}
    </div>
  );
}

export const meta = titled("sessions.attendance.title");
