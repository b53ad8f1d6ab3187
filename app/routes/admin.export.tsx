/**
 * Admin export page (DESIGN.md §7): each kind as a CSV in the import format, streamed. A POST,
 * because each export is recorded in the audit log (GET never writes).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { exportCount, exportHeader, exportRows, recordDataExport } from "~/domain/data";
import { DATA_KINDS, type DataKind } from "~/domain/data/formats";
import { getSettings } from "~/domain/settings";
import { csvResponse } from "~/http/csv.server";
import { readForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import { serverT } from "~/i18n/locale.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "read:data");
  const db = getDb();
  return { kinds: DATA_KINDS.map((kind) => ({ kind, rows: exportCount(db, kind) })) };
}

const ExportSchema = z.object({ kind: z.enum(DATA_KINDS) });

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "read:data");
  const t = serverT(request, user);
  const form = await readForm(request);
  const parsed = ExportSchema.safeParse(form?.values ?? {});
  if (!parsed.success) {
    return new Response(t("form.badRequest"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const kind: DataKind = parsed.data.kind;
  const db = getDb();
  recordDataExport(db, actorOf(request, user), kind, "page");
  const date = todayIn(getSettings(db).timeZone);
  return csvResponse({
    filename: t("data.export.filename", { kind, date }),
    asciiFilename: `${kind}-${date}.csv`,
    header: exportHeader(kind),
    rows: exportRows(db, kind),
  });
}

export default function ExportPage() {
  const { kinds } = useLoaderData<typeof loader>();
  const { t, number } = useT();
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("data.export.title")} subtitle={t("data.export.intro")} />
      <div className="grid gap-3 sm:grid-cols-2">
        {kinds.map(({ kind, rows }) => {
          const label = t(`data.kind.${kind}` as MessageKey);
          return (
            <Card key={kind} title={label}>
              <p className="mb-3 text-sm text-muted">
                <code>{kind}</code> · {t("data.export.rows", { count: number(rows) })}
              </p>
              <Form method="post" reloadDocument>
                <input type="hidden" name="kind" value={kind} />
                <Button kind="secondary">{t("data.export.download", { kind: label })}</Button>
              </Form>
            </Card>
          );
        })}
      </div>
    </div>
  );
}

export const meta = titled("data.export.title");
