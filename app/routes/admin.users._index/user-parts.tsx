/**
 * Pieces shared by the user-account pages: the roles-and-districts checkboxes, the status badge
 * and the list of roles. Not a route (no route.tsx name), no data access.
 */
import { ROLES, type RoleGrant } from "~/auth/roles";
import type { FormState } from "~/components/forms";
import { Badge } from "~/components/ui";
import { useT } from "~/i18n/use-t";

export type DistrictOption = { id: number; nameZh: string; nameEn: string; active: boolean };

function useDistrictName() {
  const { locale } = useT();
  return (d: Pick<DistrictOption, "nameZh" | "nameEn">) => (locale === "zh-CN" ? d.nameZh : d.nameEn);
}

const splitValues = (v: string | undefined) => (v ?? "").split(",").filter(Boolean);

/**
 * Role checkboxes and, for a coordinator, district checkboxes (none ticked: city-wide). Works
 * without JavaScript: both groups are always shown; districts apply only to the coordinator role.
 */
export function RoleFields({
  state,
  districts,
  current = [],
}: {
  state?: FormState;
  districts: DistrictOption[];
  current?: RoleGrant[];
}) {
  const { t, tm } = useT();
  const districtName = useDistrictName();
  const ticked = state?.values ? splitValues(state.values.roles) : current.map((g) => g.role);
  const tickedDistricts = state?.values
    ? splitValues(state.values.districtIds)
    : current.filter((g) => g.role === "coordinator" && g.districtId !== null).map((g) => String(g.districtId));
  // inactive districts are offered only where a grant already names one
  const shown = districts.filter((d) => d.active || tickedDistricts.includes(String(d.id)));
  const rolesError = state?.errors?.roles;
  const districtsError = state?.errors?.districtIds;
  return (
    <>
      <fieldset id="f-roles" className="mb-4" aria-describedby={rolesError ? "f-roles-error" : "f-roles-help"}>
        <legend className="font-medium">
          {t("users.field.roles")}
          <span className="ml-1 text-danger" aria-hidden="true">*</span>
        </legend>
        <p id="f-roles-help" className="text-sm text-muted">
          {t("users.field.rolesHelp")}
        </p>
        <div className="mt-1 grid gap-x-4 sm:grid-cols-2">
          {ROLES.map((role) => (
            <label key={role} className="flex min-h-11 items-center gap-3">
              <input type="checkbox" name="roles" value={role} defaultChecked={ticked.includes(role)} className="h-5 w-5" />
              <span>{t(`role.${role}`)}</span>
            </label>
          ))}
        </div>
        {rolesError && (
          <p id="f-roles-error" className="mt-1 text-sm font-medium text-danger">
            {tm(rolesError)}
          </p>
        )}
      </fieldset>
      <fieldset id="f-districtIds" className="mb-4" aria-describedby={districtsError ? "f-districtIds-error" : "f-districtIds-help"}>
        <legend className="font-medium">
          {t("users.field.districts")}
          <span className="ml-2 text-sm font-normal text-muted">({t("form.optional")})</span>
        </legend>
        <p id="f-districtIds-help" className="text-sm text-muted">
          {t("users.field.districtsHelp")}
        </p>
        {shown.length === 0 ? (
          <p className="mt-1 text-muted">{t("users.field.noDistricts")}</p>
        ) : (
          <div className="mt-1 grid gap-x-4 sm:grid-cols-2 lg:grid-cols-3">
            {shown.map((d) => (
              <label key={d.id} className="flex min-h-11 items-center gap-3">
                <input
                  type="checkbox"
                  name="districtIds"
                  value={d.id}
                  defaultChecked={tickedDistricts.includes(String(d.id))}
                  className="h-5 w-5"
                />
                <span>{d.active ? districtName(d) : t("users.district.inactive", { name: districtName(d) })}</span>
              </label>
            ))}
          </div>
        )}
        {districtsError && (
          <p id="f-districtIds-error" className="mt-1 text-sm font-medium text-danger">
            {tm(districtsError)}
          </p>
        )}
      </fieldset>
    </>
  );
}

/** Active / disabled / locked until …, in words and colour. */
export function UserStatusBadge({ active, lockedUntil }: { active: boolean; lockedUntil: string | null }) {
  const { t, dateTime } = useT();
  if (!active) return <Badge tone="danger">{t("users.status.disabled")}</Badge>;
  if (lockedUntil) return <Badge tone="warn">{t("users.status.locked", { time: dateTime(lockedUntil) })}</Badge>;
  return <Badge tone="ok">{t("users.status.active")}</Badge>;
}

/** Each role with its district ("Program coordinator · Test District 1"); a coordinator without one is city-wide. */
export function RoleList({ roles, districts }: { roles: RoleGrant[]; districts: DistrictOption[] }) {
  const { t } = useT();
  const districtName = useDistrictName();
  if (roles.length === 0) return <span className="text-muted">{t("users.noRoles")}</span>;
  const byId = new Map(districts.map((d) => [d.id, d]));
  const label = (g: RoleGrant) => {
    if (g.role !== "coordinator") return t(`role.${g.role}`);
    const d = g.districtId === null ? null : byId.get(g.districtId);
    return `${t("role.coordinator")} · ${d ? districtName(d) : t("role.cityWide")}`;
  };
  return (
    <ul className="flex flex-wrap gap-1.5">
      {roles.map((g) => (
        <li key={`${g.role}:${g.districtId ?? ""}`}>
          <Badge tone="brand">{label(g)}</Badge>
        </li>
      ))}
    </ul>
  );
}

