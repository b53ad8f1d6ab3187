/**
 * Form pieces: label above, help under the label, the error under the field, and a summary at
 * the top that links to each field. Values come back from the action so nothing typed is lost.
 */
import type { ReactNode } from "react";
import { useT } from "~/i18n/use-t";
import { cx } from "./ui";

export type FormState = { errors?: Record<string, string>; values?: Record<string, string> } | undefined;

const inputClass =
  "block w-full min-h-11 rounded-lg border border-line bg-surface px-3 py-2 text-base aria-[invalid=true]:border-danger";

function FieldShell({
  name,
  label,
  help,
  error,
  required,
  children,
}: {
  name: string;
  label: ReactNode;
  help?: ReactNode;
  error?: string;
  required?: boolean;
  children: ReactNode;
}) {
  const { t, tm } = useT();
  return (
    <div className="mb-4">
      <label htmlFor={`f-${name}`} className="block font-medium">
        {label}
        {required ? (
          <span className="ml-1 text-danger" aria-hidden="true">*</span>
        ) : (
          <span className="ml-2 text-sm font-normal text-muted">({t("form.optional")})</span>
        )}
      </label>
      {help && (
        <p id={`f-${name}-help`} className="text-sm text-muted">
          {help}
        </p>
      )}
      <div className="mt-1">{children}</div>
      {error && (
        <p id={`f-${name}-error`} className="mt-1 text-sm font-medium text-danger">
          {tm(error)}
        </p>
      )}
    </div>
  );
}

function describedBy(name: string, help?: ReactNode, error?: string): string | undefined {
  const ids = [help ? `f-${name}-help` : null, error ? `f-${name}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function TextField({
  name,
  label,
  help,
  state,
  defaultValue,
  required,
  type = "text",
  autoComplete,
  multiline,
  maxLength,
  inputMode,
}: {
  name: string;
  label: ReactNode;
  help?: ReactNode;
  state?: FormState;
  defaultValue?: string | number | null;
  required?: boolean;
  type?: "text" | "password" | "date" | "time" | "number" | "email" | "tel" | "search" | "datetime-local";
  autoComplete?: string;
  multiline?: boolean;
  maxLength?: number;
  inputMode?: "numeric" | "decimal" | "text" | "tel";
}) {
  const error = state?.errors?.[name];
  const value = type === "password" ? undefined : (state?.values?.[name] ?? (defaultValue == null ? undefined : String(defaultValue)));
  const common = {
    id: `f-${name}`,
    name,
    defaultValue: value,
    required,
    maxLength,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(name, help, error),
    className: inputClass,
  };
  return (
    <FieldShell name={name} label={label} help={help} error={error} required={required}>
      {multiline ? <textarea rows={4} {...common} /> : <input type={type} autoComplete={autoComplete} inputMode={inputMode} {...common} />}
    </FieldShell>
  );
}

export function SelectField({
  name,
  label,
  help,
  state,
  defaultValue,
  required,
  options,
  placeholder,
}: {
  name: string;
  label: ReactNode;
  help?: ReactNode;
  state?: FormState;
  defaultValue?: string | number | null;
  required?: boolean;
  options: { value: string | number; label: string }[];
  placeholder?: string;
}) {
  const error = state?.errors?.[name];
  const value = state?.values?.[name] ?? (defaultValue == null ? "" : String(defaultValue));
  return (
    <FieldShell name={name} label={label} help={help} error={error} required={required}>
      <select
        id={`f-${name}`}
        name={name}
        defaultValue={value}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, help, error)}
        className={inputClass}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckboxField({
  name,
  label,
  state,
  defaultChecked,
  value = "on",
}: {
  name: string;
  label: ReactNode;
  state?: FormState;
  defaultChecked?: boolean;
  value?: string;
}) {
  const checked = state?.values ? state.values[name] === value : defaultChecked;
  return (
    <label className="mb-2 flex min-h-11 items-center gap-3">
      <input type="checkbox" name={name} value={value} defaultChecked={checked} className="h-5 w-5" />
      <span>{label}</span>
    </label>
  );
}

/** The summary at the top of a failed form, linking to each field. */
export function ErrorSummary({ state, labels }: { state?: FormState; labels?: Record<string, ReactNode> }) {
  const { t, tm } = useT();
  const errors = state?.errors;
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div role="alert" className="mb-4 rounded-card border border-danger/40 bg-danger-soft p-4" tabIndex={-1}>
      <p className="font-medium text-danger">{t("form.errorSummary")}</p>
      <ul className="mt-1 list-disc pl-5">
        {Object.entries(errors).map(([field, message]) => (
          <li key={field}>
            {field === "_form" ? (
              tm(message)
            ) : (
              <a href={`#f-${field}`}>
                {labels?.[field] ? <>{labels[field]}: </> : null}
                {tm(message)}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FormActions({ children }: { children: ReactNode }) {
  return <div className={cx("mt-6 flex flex-wrap gap-3")}>{children}</div>;
}
