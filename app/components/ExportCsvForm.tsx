import { Form } from "@remix-run/react";
import { useT } from "~/i18n/use-t";
import { Button } from "./ui";

/**
 * The "Export CSV" button of a list whose rows are client data: a real POST (the export is
 * recorded in the audit log) answered by a file download. `fields` carries the list's filters;
 * empty, null and false values are left out.
 */
export function ExportCsvForm({ action, fields = {} }: { action: string; fields?: Record<string, string | number | boolean | null | undefined> }) {
  const { t } = useT();
  return (
    <Form method="post" action={action} reloadDocument className="mb-4 flex flex-wrap items-center gap-3">
      {Object.entries(fields)
        .filter(([, v]) => v !== "" && v !== false && v !== null && v !== undefined)
        .map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value === true ? "1" : String(value)} />
        ))}
      <Button kind="secondary">{t("reports.list.export")}</Button>
      <span className="text-sm text-muted">{t("reports.list.exportHelp")}</span>
    </Form>
  );
}
