import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { Pagination } from "~/components/Pagination";
import { Badge, Button, Card, EmptyState, PageHeader, cx } from "~/components/ui";
import { getDb } from "~/db.server";
import { listNotifications, markNotificationsRead, unreadCount } from "~/domain/sessions";
import { NotificationReadSchema } from "~/domain/sessions/schemas";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { isMessageKey } from "~/i18n/translate";
import { useT } from "~/i18n/use-t";

// Every role reads schedules (read:session), and notifications are about schedules; a signed-in
// person without any role has none and gets 403 like on every other page.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const db = getDb();
  const page = pageFromUrl(new URL(request.url));
  const { rows, total } = listNotifications(db, user.id, page);
  return { rows, total, unread: unreadCount(db, user.id), page: page.page, pages: pageCount(total, page.limit) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const form = await parseForm(request, NotificationReadSchema);
  if (!form.ok) return badForm(form);
  try {
    markNotificationsRead(getDb(), actorOf(request, user), user.id, form.data.id);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash("/notifications", { kind: "success", key: "sessions.flash.notificationsRead" });
}

export default function Notifications() {
  const { rows, total, unread, page, pages } = useLoaderData<typeof loader>();
  const { t, dateTime } = useT();
  const text = (key: string, params: Record<string, string | number>) => {
    const shown: Record<string, string | number> = { ...params };
    if (typeof params.startsAt === "string") shown.when = dateTime(params.startsAt);
    if (typeof params.reason === "string" && isMessageKey(params.reason)) shown.reason = t(params.reason);
    return isMessageKey(key) ? t(key as MessageKey, shown) : key;
  };
  return (
    <div className="max-w-3xl">
      <PageHeader
        title={t("sessions.notifications.title")}
        subtitle={t("sessions.notifications.unread", { count: unread })}
        actions={
          unread > 0 ? (
            <Form method="post">
              <input type="hidden" name="id" value="all" />
              <Button kind="secondary">{t("sessions.notifications.markAll")}</Button>
            </Form>
          ) : null
        }
      />
      {total === 0 ? (
        <EmptyState title={t("sessions.notifications.empty")}>{t("sessions.notifications.emptyBody")}</EmptyState>
      ) : (
        <Card>
          <ul className="grid gap-3">
            {rows.map((n) => (
              <li key={n.id} className={cx("rounded-lg border p-3", n.readAt ? "border-line" : "border-brand bg-brand-soft/40")}>
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    {!n.readAt && <Badge tone="brand">{t("sessions.notifications.new")}</Badge>}
                    <p className="mt-1 break-words">{text(n.messageKey, n.params)}</p>
                    <p className="text-sm text-muted">{dateTime(n.createdAt)}</p>
                  </div>
                  <div className="flex flex-wrap gap-2">
                    {n.link && (
                      <Link to={n.link} className="inline-flex min-h-11 items-center">
                        {t("sessions.notifications.open")}
                      </Link>
                    )}
                    {!n.readAt && (
                      <Form method="post">
                        <input type="hidden" name="id" value={n.id} />
                        <Button kind="ghost">{t("sessions.notifications.markRead")}</Button>
                      </Form>
                    )}
                  </div>
                </div>
              </li>
            ))}
          </ul>
          <Pagination page={page} pages={pages} total={total} />
        </Card>
      )}
    </div>
  );
}

export const meta = titled("sessions.notifications.title");
