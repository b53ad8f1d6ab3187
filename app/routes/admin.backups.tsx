import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { Badge, Button, Card, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { formatBytes } from "~/domain/data/backup-format";
import { backupNow, backupOverview } from "~/domain/data/backup.server";
import { env } from "~/env.server";
import { redirectWithFlash } from "~/http/flash.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:data");
  const { DATABASE_URL, BACKUP_DIR } = env();
  return { ...backupOverview(getDb(), DATABASE_URL, BACKUP_DIR), canBackUp: can(user, "edit:data") };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:data");
  const record = await backupNow(getDb(), actorOf(request, user), env().BACKUP_DIR);
  if (!record) return redirectWithFlash("/admin/backups", { kind: "info", key: "operations.now.busy" });
  if (!record.ok) {
    return redirectWithFlash("/admin/backups", { kind: "error", key: "operations.now.failed", params: { reason: record.error ?? "" } });
  }
  return redirectWithFlash("/admin/backups", {
    kind: "success",
    key: "operations.now.done",
    params: { file: record.file.split(/[\\/]/).pop() ?? "", size: formatBytes(record.bytes) },
  });
}

export default function BackupsPage() {
  const { last, stale, databaseBytes: dbBytes, backupDir, recent, canBackUp } = useLoaderData<typeof loader>();
  const { t, dateTime, number, locale } = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="max-w-3xl space-y-5">
      <PageHeader title={t("operations.title")} subtitle={t("operations.intro")} />

      <Card title={t("operations.last.title")}>
        {last ? (
          <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
            <dt className="text-muted">{t("operations.last.at")}</dt>
            <dd>{dateTime(last.at)}</dd>
            <dt className="text-muted">{t("operations.last.file")}</dt>
            <dd className="break-all">{last.file}</dd>
            <dt className="text-muted">{t("operations.last.size")}</dt>
            <dd>{formatBytes(last.bytes, locale)}</dd>
            <dt className="text-muted">{t("operations.last.status")}</dt>
            <dd>
              {last.ok ? <Badge tone="ok">{t("operations.last.ok")}</Badge> : <Badge tone="danger">{t("operations.last.failed")}</Badge>}
            </dd>
            {last.error && (
              <>
                <dt className="text-muted">{t("operations.last.error")}</dt>
                <dd className="break-words">{last.error}</dd>
              </>
            )}
            {last.ok && Object.keys(last.counts).length > 0 && (
              <>
                <dt className="text-muted">{t("operations.last.rows")}</dt>
                <dd>
                  <ul className="grid gap-x-4 sm:grid-cols-2">
                    {Object.entries(last.counts).map(([table, n]) => (
                      <li key={table}>{`${t(`operations.table.${table}` as MessageKey)}: ${number(n)}`}</li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
        ) : (
          <p>{t("operations.last.none")}</p>
        )}
        {last && stale && (
          <p className="mt-3">
            <Badge tone="warn">{t("operations.last.old")}</Badge>
          </p>
        )}
      </Card>

      <Card title={t("operations.database.title")}>
        <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="text-muted">{t("operations.database.size")}</dt>
          <dd>{formatBytes(dbBytes, locale)}</dd>
          <dt className="text-muted">{t("operations.database.folder")}</dt>
          <dd className="break-all font-mono text-sm">{backupDir}</dd>
        </dl>
        {canBackUp && (
          <Form method="post" className="mt-4">
            <p className="mb-3 text-muted">{t("operations.now.help")}</p>
            <Button disabled={busy}>{t("operations.now.submit")}</Button>
          </Form>
        )}
      </Card>

      <Card title={t("operations.recent.title")}>
        {recent.length ? (
          <DataTable
            caption={t("operations.recent.title")}
            rows={recent}
            rowKey={(r) => r.name}
            columns={[
              { key: "name", header: t("operations.recent.name"), primary: true, cell: (r) => <span className="break-all">{r.name}</span> },
              { key: "size", header: t("operations.recent.size"), cell: (r) => formatBytes(r.bytes, locale) },
              { key: "modified", header: t("operations.recent.modified"), cell: (r) => dateTime(r.modifiedAt) },
            ]}
          />
        ) : (
          <EmptyState title={t("operations.recent.none")} />
        )}
      </Card>
    </div>
  );
}

export const meta = titled("operations.title");
