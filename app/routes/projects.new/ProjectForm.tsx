/**
 * The project form, shared by "new" and "edit": name, funder, kind, period, budget, districts
 * (checkboxes), targets per metric, notes (and the status when editing). Works without JavaScript;
 * errors come back under each field with the typed values kept.
 */
import { Form } from "@remix-run/react";
import { ErrorSummary, FormActions, SelectField, TextField, type FormState } from "~/components/forms";
import { Button } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

export type ProjectFormProps = {
  state: FormState;
  defaults?: Record<string, string>;
  defaultDistricts?: number[];
  districts: { id: number; nameZh: string; nameEn: string }[];
  kinds: readonly string[];
  metrics: readonly string[];
  statuses?: readonly string[];
  submitLabel: string;
};

export function ProjectForm({ state, defaults = {}, defaultDistricts = [], districts, kinds, metrics, statuses, submitLabel }: ProjectFormProps) {
  const { t, tm, locale } = useT();
  const labels: Record<string, string> = {
    name: t("projects.field.name"),
    funder: t("projects.field.funder"),
    kind: t("projects.field.kind"),
    startsOn: t("projects.field.startsOn"),
    endsOn: t("projects.field.endsOn"),
    budget: t("projects.field.budget"),
    notes: t("projects.field.notes"),
    status: t("projects.field.status"),
    districts: t("projects.field.districts"),
    ...Object.fromEntries(metrics.map((m) => [`target_${m}`, t(`projects.metric.${m}` as MessageKey)])),
  };
  // after a refused post, the districts ticked then (joined with commas in values.districts)
  const checked = new Set(state?.values ? (state.values.districts ?? "").split(",") : defaultDistricts.map(String));
  const districtError = state?.errors?.districts;
  const merged = state ? state : { values: defaults };
  return (
    <Form method="post" noValidate>
      <ErrorSummary state={state} labels={labels} />
      <TextField name="name" label={labels.name} required state={merged} maxLength={120} />
      <TextField name="funder" label={labels.funder} required state={merged} maxLength={120} />
      <SelectField name="kind" label={labels.kind} required state={merged} options={kinds.map((k) => ({ value: k, label: t(`projects.kind.${k}` as MessageKey) }))} />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <TextField name="startsOn" label={labels.startsOn} required type="date" state={merged} />
        <TextField name="endsOn" label={labels.endsOn} required type="date" state={merged} />
      </div>
      <TextField name="budget" label={labels.budget} help={t("projects.field.budgetHelp")} inputMode="decimal" state={merged} />
      {statuses && (
        <SelectField name="status" label={labels.status} required state={merged} options={statuses.map((s) => ({ value: s, label: t(`projects.status.${s}` as MessageKey) }))} />
      )}
      <fieldset className="mb-4" aria-describedby={districtError ? "f-districts-error" : "f-districts-help"}>
        <legend className="font-medium">
          {labels.districts}
          <span className="ml-1 text-danger" aria-hidden="true">*</span>
        </legend>
        <p id="f-districts-help" className="text-sm text-muted">
          {t("projects.field.districtsHelp")}
        </p>
        <div id="f-districts" className="mt-1 grid gap-1 sm:grid-cols-3">
          {districts.map((d) => (
            <label key={d.id} className="flex min-h-11 items-center gap-2">
              <input type="checkbox" name="districts" value={d.id} defaultChecked={checked.has(String(d.id))} className="h-5 w-5" />
              {locale === "zh-CN" ? d.nameZh : d.nameEn}
            </label>
          ))}
        </div>
        {districtError && (
          <p id="f-districts-error" className="mt-1 text-sm font-medium text-danger">
            {tm(districtError)}
          </p>
        )}
      </fieldset>
      <fieldset className="mb-4">
        <legend className="font-medium">{t("projects.field.targets")}</legend>
        <p className="text-sm text-muted">{t("projects.field.targetsHelp")}</p>
        <div className="mt-1 grid gap-x-4 sm:grid-cols-2">
          {metrics.map((m) => (
            <TextField key={m} name={`target_${m}`} label={labels[`target_${m}`]} inputMode="numeric" state={merged} />
          ))}
        </div>
      </fieldset>
      <TextField name="notes" label={labels.notes} multiline state={merged} maxLength={2000} />
      <FormActions>
        <Button>{submitLabel}</Button>
      </FormActions>
    </Form>
  );
}
