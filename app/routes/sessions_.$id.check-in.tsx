import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary } from "~/components/forms";
import { Button, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import { attendanceSheet, checkIn, checkInValid, programTimeZone, sessionDetail } from "~/domain/sessions";
import { id, text } from "~/domain/shared/fields";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * Self check-in, opened from a session's QR code on the signed-in phone of someone who takes
 * attendance (attend:session; typically a co-facilitator). Clients have no logins: they tap their
 * alias on that phone. The code (?token=…) works only until the session ends; after that, or with
 * a wrong code, the page answers 410 and shows no names.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "attend:session");
  const sessionId = idFromParam(params.id);
  if (sessionId === null) throw notFound();
  const db = getDb();
  const detail = sessionDetail(db, sessionId, programTimeZone(db));
  if (!detail) throw notFound();
  const token = new URL(request.url).searchParams.get("token") ?? "";
  if (!checkInValid(db, sessionId, token)) return data({ valid: false as const, detail, token: "", sheet: [] }, { status: 410 });
  const sheet = attendanceSheet(db, sessionId).map((l) => ({ clientId: l.clientId, alias: l.alias, checkedIn: l.checkedInAt !== null }));
  return { valid: true as const, detail, token, sheet };
}

const CheckInSchema = z.object({ token: text({ max: 100 }), clientId: id });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "attend:session");
  const sessionId = idFromParam(params.id);
  if (sessionId === null) throw notFound();
  const db = getDb();
  if (!sessionDetail(db, sessionId, programTimeZone(db))) throw notFound();
  const form = await parseForm(request, CheckInSchema);
  if (!form.ok) return badForm(form);
  const actor = actorOf(request, user);
  try {
    checkIn(db, actor, sessionId, form.data.token, form.data.clientId);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  const alias = attendanceSheet(db, sessionId).find((l) => l.clientId === form.data.clientId)?.alias ?? "";
  return redirectWithFlash(`/sessions/${sessionId}/check-in?token=${encodeURIComponent(form.data.token)}`, {
    kind: "success",
    key: "sessions.checkin.done",
    params: { alias },
  });
}

export default function CheckIn() {
  const { valid, detail, token, sheet } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, date } = useT();
  return (
    <div className="max-w-md">
      <PageHeader title={t("sessions.checkin.title")} subtitle={`${detail.topic} · ${date(detail.date)} ${detail.startTime}–${detail.endTime}`} />
      {!valid ? (
        <EmptyState title={t("sessions.checkin.expired")} />
      ) : (
        <>
          <ErrorSummary state={state} labels={{ clientId: t("sessions.register.client"), token: t("sessions.checkin.title") }} />
          <p className="mb-3 text-lg">{t("sessions.checkin.tap")}</p>
          <ul className="grid gap-3">
            {sheet.map((line) => (
              <li key={line.clientId}>
                <Form method="post">
                  <input type="hidden" name="token" value={token} />
                  <input type="hidden" name="clientId" value={line.clientId} />
                  <Button kind={line.checkedIn ? "secondary" : "primary"} className="min-h-14 w-full text-lg">
                    {line.alias}
                    {line.checkedIn && ` · ${t("sessions.attendance.checkedIn")}`}
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export const meta = titled("sessions.checkin.title");
