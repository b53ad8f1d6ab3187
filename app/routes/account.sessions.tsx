import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { deviceLabel } from "~/auth/devices.server";
import { actorOf, requireUser } from "~/auth/guards.server";
import { endOwnSession, invalidateUserSessions, listActiveSessions } from "~/auth/session.server";
import { Badge, Button, Card, DataTable, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { recordAudit } from "~/domain/audit";
import { text } from "~/domain/shared/fields";
import { badForm, parseForm } from "~/http/forms.server";
import { redirectWithFlash } from "~/http/flash.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  // any signed-in person: their own sessions only
  const user = requireUser(request);
  const sessions = listActiveSessions(getDb(), user.id, user.sessionId).map((s, i) => ({
    // the stored id is the token's hash; the page refers to sessions by position and a short tag
    key: i,
    tag: s.id.slice(0, 12),
    device: deviceLabel(s.userAgent),
    ip: s.ip,
    lastSeenAt: s.lastSeenAt,
    createdAt: s.createdAt,
    current: s.current,
  }));
  return { sessions };
}

const SessionsSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("end"), tag: text({ max: 12 }) }),
  z.object({ intent: z.literal("endOthers") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request);
  const form = await parseForm(request, SessionsSchema);
  if (!form.ok) return badForm({ errors: { _form: "form.invalid" }, values: {} });
  const db = getDb();
  const actor = actorOf(request, user);
  if (form.data.intent === "endOthers") {
    db.transaction((tx) => {
      invalidateUserSessions(tx, user.id, user.sessionId);
      recordAudit(tx, actor, { action: "sessions_ended", entity: "auth", details: { which: "others" } });
    });
    return redirectWithFlash("/account/sessions", { kind: "success", key: "privacy.sessions.othersEnded" });
  }
  const tag = form.data.tag;
  const target = listActiveSessions(db, user.id, user.sessionId).find((s) => s.id.startsWith(tag) && tag.length === 12);
  const ended = target
    ? db.transaction((tx) => {
        const done = endOwnSession(tx, user.id, target.id);
        if (done) recordAudit(tx, actor, { action: "session_ended", entity: "auth", details: { current: target.current } });
        return done;
      })
    : false;
  if (!ended) return redirectWithFlash("/account/sessions", { kind: "error", key: "privacy.sessions.notYours" });
  return redirectWithFlash(target!.current ? "/login" : "/account/sessions", { kind: "success", key: "privacy.sessions.ended" });
}

export default function AccountSessions() {
  const { sessions } = useLoaderData<typeof loader>();
  const { t, dateTime } = useT();
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("privacy.sessions.title")} subtitle={t("privacy.sessions.intro")} />
      <Card>
        <DataTable
          caption={t("privacy.sessions.title")}
          rows={sessions}
          rowKey={(s) => s.tag}
          columns={[
            {
              key: "device",
              header: t("privacy.sessions.device"),
              primary: true,
              cell: (s) => (
                <>
                  {s.device || t("privacy.sessions.unknownDevice")} {s.current && <Badge tone="brand">{t("privacy.sessions.current")}</Badge>}
                </>
              ),
            },
            { key: "ip", header: t("privacy.sessions.address"), cell: (s) => s.ip || "—" },
            { key: "signedIn", header: t("privacy.sessions.signedIn"), cell: (s) => dateTime(s.createdAt) },
            { key: "lastSeen", header: t("privacy.sessions.lastSeen"), cell: (s) => dateTime(s.lastSeenAt) },
            {
              key: "end",
              header: <span className="sr-only">{t("privacy.sessions.end")}</span>,
              cell: (s) => (
                <Form method="post">
                  <input type="hidden" name="intent" value="end" />
                  <input type="hidden" name="tag" value={s.tag} />
                  <Button kind="secondary">{t("privacy.sessions.end")}</Button>
                </Form>
              ),
            },
          ]}
        />
        {sessions.length > 1 && (
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="endOthers" />
            <Button kind="danger">{t("privacy.sessions.endOthers")}</Button>
          </Form>
        )}
      </Card>
    </div>
  );
}

export const meta = titled("privacy.sessions.title");
