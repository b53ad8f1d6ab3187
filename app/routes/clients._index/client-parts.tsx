/**
 * UI shared by the client list, intake, overview and assignment pages: status words with
 * colour, the contact-cadence badge, and the intake, identity and consent form fields. No data
 * access and no server imports (it is in the browser bundle): values come from the loaders.
 */
import type { ReactNode } from "react";
import { CheckboxField, SelectField, TextField, type FormState } from "~/components/forms";
import { Badge } from "~/components/ui";
import type { OverdueStatus } from "~/domain/clients/outcomes";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

type Status = "active" | "in_facility" | "closed";
type Risk = "low" | "medium" | "high";

export function ClientStatusBadge({ status }: { status: Status }) {
  const { t } = useT();
  return <Badge tone={status === "active" ? "ok" : status === "in_facility" ? "brand" : "neutral"}>{t(`clients.status.${status}`)}</Badge>;
}

export function RiskBadge({ risk }: { risk: Risk }) {
  const { t } = useT();
  return <Badge tone={risk === "high" ? "danger" : risk === "medium" ? "warn" : "neutral"}>{t(`clients.risk.${risk}`)}</Badge>;
}

export function CrisisBadge() {
  const { t } = useT();
  return <Badge tone="danger">{t("clients.flag.crisis")}</Badge>;
}

/** "12 days overdue" (amber), "Never contacted" (amber), "On track" (green); nothing for a closed case. */
export function CadenceBadge({ overdue }: { overdue: OverdueStatus | null }) {
  const { t } = useT();
  if (!overdue) return null;
  if (!overdue.overdue) return <Badge tone="ok">{t("clients.overdue.onTrack")}</Badge>;
  if (overdue.daysOverdue === null) return <Badge tone="warn">{t("clients.overdue.never")}</Badge>;
  return <Badge tone="warn">{t("clients.overdue.days", { days: overdue.daysOverdue })}</Badge>;
}

export function legalStatusKey(status: string): MessageKey {
  return `clients.legal.${status}` as MessageKey;
}

/** A fact in a definition list: label, then value. */
export function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="mb-2 sm:mb-0">{children}</dd>
    </>
  );
}

type Named = { id: number; nameZh: string; nameEn: string };
export type PlaceOptions = {
  districts: Named[];
  subdistricts: (Named & { districtId: number })[];
  points: (Named & { districtId: number; subdistrictId: number })[];
};

export type DetailDefaults = Partial<{
  caseNumber: string;
  alias: string;
  districtId: number;
  subdistrictId: number | null;
  pointId: number | null;
  legalStatus: string;
  intakeDate: string;
  riskLevel: string;
}>;

export type DetailLimits = { alias: number; caseNumber: number };

/** The intake details: case number, alias, place, legal status, intake date, risk level. */
export function ClientDetailFields({
  state,
  places,
  legalStatuses,
  riskLevels,
  limits,
  defaults = {},
  today,
}: {
  state?: FormState;
  places: PlaceOptions;
  legalStatuses: readonly string[];
  riskLevels: readonly string[];
  limits: DetailLimits;
  defaults?: DetailDefaults;
  today: string;
}) {
  const { t, locale } = useT();
  const name = (n: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? n.nameZh : n.nameEn);
  const districtName = new Map(places.districts.map((d) => [d.id, name(d)]));
  const withDistrict = (row: Named & { districtId: number }) =>
    places.districts.length > 1 ? `${districtName.get(row.districtId) ?? ""} · ${name(row)}` : name(row);
  return (
    <>
      <TextField
        name="caseNumber"
        label={t("clients.field.caseNumber")}
        help={t("clients.field.caseNumberHelp")}
        state={state}
        defaultValue={defaults.caseNumber}
        required
        maxLength={limits.caseNumber}
        autoComplete="off"
      />
      <TextField
        name="alias"
        label={t("clients.field.alias")}
        help={t("clients.field.aliasHelp")}
        state={state}
        defaultValue={defaults.alias}
        required
        maxLength={limits.alias}
        autoComplete="off"
      />
      <div className="grid gap-x-4 sm:grid-cols-3">
        <SelectField
          name="districtId"
          label={t("clients.field.district")}
          state={state}
          defaultValue={defaults.districtId ?? (places.districts.length === 1 ? places.districts[0]!.id : undefined)}
          required
          placeholder={t("clients.field.choose")}
          options={places.districts.map((d) => ({ value: d.id, label: name(d) }))}
        />
        <SelectField
          name="subdistrictId"
          label={t("clients.field.subdistrict")}
          state={state}
          defaultValue={defaults.subdistrictId}
          placeholder={t("clients.field.none")}
          options={places.subdistricts.map((s) => ({ value: s.id, label: withDistrict(s) }))}
        />
        <SelectField
          name="pointId"
          label={t("clients.field.point")}
          state={state}
          defaultValue={defaults.pointId}
          placeholder={t("clients.field.none")}
          options={places.points.map((p) => ({ value: p.id, label: withDistrict(p) }))}
        />
      </div>
      <div className="grid gap-x-4 sm:grid-cols-3">
        <SelectField
          name="legalStatus"
          label={t("clients.field.legalStatus")}
          state={state}
          defaultValue={defaults.legalStatus}
          required
          placeholder={t("clients.field.choose")}
          options={legalStatuses.map((s) => ({ value: s, label: t(legalStatusKey(s)) }))}
        />
        <TextField name="intakeDate" type="date" label={t("clients.field.intakeDate")} state={state} defaultValue={defaults.intakeDate ?? today} required />
        <SelectField
          name="riskLevel"
          label={t("clients.field.riskLevel")}
          state={state}
          defaultValue={defaults.riskLevel}
          required
          placeholder={t("clients.field.choose")}
          options={riskLevels.map((r) => ({ value: r, label: t(`clients.risk.${r}` as MessageKey) }))}
        />
      </div>
    </>
  );
}

export type IdentityLimits = { realName: number; idNumber: number; phone: number; address: number };

/** Real name, ID number, phone, address. */
export function IdentityFormFields({
  state,
  limits,
  defaults,
}: {
  state?: FormState;
  limits: IdentityLimits;
  defaults?: { realName: string; idNumber: string; phone: string; address: string };
}) {
  const { t } = useT();
  return (
    <>
      <TextField name="realName" label={t("clients.identity.realName")} state={state} defaultValue={defaults?.realName} maxLength={limits.realName} autoComplete="off" />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <TextField name="idNumber" label={t("clients.identity.idNumber")} state={state} defaultValue={defaults?.idNumber} maxLength={limits.idNumber} autoComplete="off" />
        <TextField name="phone" type="tel" label={t("clients.identity.phone")} state={state} defaultValue={defaults?.phone} maxLength={limits.phone} autoComplete="off" />
      </div>
      <TextField name="address" label={t("clients.identity.address")} state={state} defaultValue={defaults?.address} maxLength={limits.address} autoComplete="off" />
    </>
  );
}

/** The purposes as checkboxes, the sensitive-information consent, and the date agreed. */
export function ConsentFormFields({
  state,
  purposes,
  dateName,
  dateRequired,
  dateHelp,
  today,
}: {
  state?: FormState;
  purposes: readonly string[];
  dateName: string;
  dateRequired: boolean;
  dateHelp?: ReactNode;
  today?: string;
}) {
  const { t, tm } = useT();
  const error = state?.errors?.purposes;
  return (
    <>
      <fieldset id="f-purposes" className="mb-4" aria-describedby={error ? "f-purposes-error" : undefined}>
        <legend className="mb-1 font-medium">{t("clients.consent.purposes")}</legend>
        {purposes.map((p) => (
          <CheckboxField key={p} name={`purpose_${p}`} label={t(`clients.consent.purpose.${p}` as MessageKey)} state={state} />
        ))}
        {error && (
          <p id="f-purposes-error" className="mt-1 text-sm font-medium text-danger">
            {tm(error)}
          </p>
        )}
      </fieldset>
      <CheckboxField name="sensitiveInfo" label={t("clients.consent.sensitive")} state={state} />
      <TextField name={dateName} type="date" label={t("clients.consent.agreedOn")} help={dateHelp} state={state} required={dateRequired} defaultValue={today} />
    </>
  );
}

/** The action's answer, when it belongs to the form of this intent. */
export function stateFor(state: FormState, intent: string): FormState {
  return state?.values?.intent === intent ? state : undefined;
}
