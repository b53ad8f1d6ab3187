import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { PointFormSchema, createPoint, getPoint, idFromParam, listDistricts, listSubdistricts, listWorkstations, targetFromParam, updatePoint } from "~/domain/organisation";
import { ADDRESS_MAX, NAME_MAX } from "~/domain/organisation/limits";
import { choosable, placeName, placeOptions } from "~/domain/organisation/display";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.pointId);
  if (target === null) throw notFound();
  const db = getDb();
  const point = target === "new" ? null : getPoint(db, target);
  if (point === undefined) throw notFound();
  const districts = choosable(listDistricts(db), point?.districtId);
  // without JavaScript the district is chosen first (?districtId=); the lists below follow it
  const asked = idFromParam(new URL(request.url).searchParams.get("districtId") ?? undefined);
  const districtId = districts.some((d) => d.id === asked) ? asked : (point?.districtId ?? null);
  return {
    point,
    districts,
    districtId,
    subdistricts: districtId ? choosable(listSubdistricts(db, { districtId }), point?.subdistrictId) : [],
    workstations: districtId ? choosable(listWorkstations(db, { districtId }), point?.workstationId) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.pointId);
  if (target === null || (target !== "new" && !getPoint(getDb(), target))) throw notFound();
  const form = await parseForm(request, PointFormSchema);
  if (!form.ok) return badForm(form);
  const actor = actorOf(request, user);
  try {
    if (target === "new") createPoint(getDb(), actor, form.data);
    else updatePoint(getDb(), actor, target, form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/organisation/${form.data.districtId}`, {
    kind: "success",
    key: target === "new" ? "organisation.flash.created" : "organisation.flash.saved",
    params: { name: placeName(resolveLocale(request, user), form.data) },
  });
}

export default function PointForm() {
  const { point, districts, districtId, subdistricts, workstations } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale } = useT();
  const inactive = t("organisation.field.inactiveSuffix");
  const labels = {
    districtId: t("organisation.field.district"),
    subdistrictId: t("organisation.field.subdistrict"),
    workstationId: t("organisation.field.workstation"),
    nameZh: t("organisation.field.nameZh"),
    nameEn: t("organisation.field.nameEn"),
    address: t("organisation.field.address"),
  };
  const district = districts.find((d) => d.id === districtId);
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to={district ? `/organisation/${district.id}` : "/organisation"} className="inline-flex min-h-11 items-center">
          ← {district ? t("organisation.backTo", { name: placeName(locale, district) }) : t("organisation.allDistricts")}
        </Link>
      </p>
      <PageHeader title={t(point ? "organisation.edit.point" : "organisation.add.point")} />
      <ErrorSummary state={state} labels={labels} />
      <Card className="mb-4">
        {/* choosing the district reloads the page with its subdistricts and workstations */}
        <Form method="get" className="flex flex-wrap items-end gap-3">
          <div className="min-w-56 grow">
            <SelectField
              name="districtId"
              label={labels.districtId}
              help={district ? t("organisation.field.pointDistrictHelp") : t("organisation.field.chooseDistrictFirst")}
              state={state?.errors?.districtId ? { errors: { districtId: state.errors.districtId } } : undefined}
              defaultValue={districtId}
              required
              placeholder={t("organisation.field.choose")}
              options={placeOptions(locale, districts, inactive)}
            />
          </div>
          <div className="mb-4">
            <Button kind="secondary">{t("organisation.field.showDistrict")}</Button>
          </div>
        </Form>
      </Card>
      {district && (
        <Card>
          <Form method="post" noValidate>
            <input type="hidden" name="districtId" value={district.id} />
            <SelectField
              name="subdistrictId"
              label={labels.subdistrictId}
              state={state}
              defaultValue={point?.subdistrictId}
              required
              placeholder={t("organisation.field.choose")}
              options={placeOptions(locale, subdistricts, inactive)}
            />
            <SelectField
              name="workstationId"
              label={labels.workstationId}
              state={state}
              defaultValue={point?.workstationId}
              placeholder={t("organisation.field.workstationNone")}
              options={placeOptions(locale, workstations, inactive)}
            />
            <TextField name="nameZh" label={labels.nameZh} state={state} defaultValue={point?.nameZh} required maxLength={NAME_MAX} />
            <TextField name="nameEn" label={labels.nameEn} state={state} defaultValue={point?.nameEn} required maxLength={NAME_MAX} />
            <TextField name="address" label={labels.address} state={state} defaultValue={point?.address} maxLength={ADDRESS_MAX} autoComplete="off" />
            <FormActions>
              <Button>{t("organisation.save.point")}</Button>
            </FormActions>
          </Form>
        </Card>
      )}
    </div>
  );
}

export const meta = titled("organisation.edit.point");
