import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { SubdistrictFormSchema, createSubdistrict, getSubdistrict, idFromParam, listDistricts, targetFromParam, updateSubdistrict } from "~/domain/organisation";
import { NAME_MAX } from "~/domain/organisation/limits";
import { choosable, placeName, placeOptions } from "~/domain/organisation/display";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.subdistrictId);
  if (target === null) throw notFound();
  const db = getDb();
  const subdistrict = target === "new" ? null : getSubdistrict(db, target);
  if (subdistrict === undefined) throw notFound();
  const districts = choosable(listDistricts(db), subdistrict?.districtId);
  const asked = idFromParam(new URL(request.url).searchParams.get("districtId") ?? undefined);
  const districtId = subdistrict?.districtId ?? (districts.some((d) => d.id === asked) ? asked : null);
  return { subdistrict, districts, districtId };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.subdistrictId);
  if (target === null || (target !== "new" && !getSubdistrict(getDb(), target))) throw notFound();
  const form = await parseForm(request, SubdistrictFormSchema);
  if (!form.ok) return badForm(form);
  const actor = actorOf(request, user);
  try {
    if (target === "new") createSubdistrict(getDb(), actor, form.data);
    else updateSubdistrict(getDb(), actor, target, form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/organisation/${form.data.districtId}`, {
    kind: "success",
    key: target === "new" ? "organisation.flash.created" : "organisation.flash.saved",
    params: { name: placeName(resolveLocale(request, user), form.data) },
  });
}

export default function SubdistrictForm() {
  const { subdistrict, districts, districtId } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale } = useT();
  const labels = {
    districtId: t("organisation.field.district"),
    kind: t("organisation.field.kind"),
    nameZh: t("organisation.field.nameZh"),
    nameEn: t("organisation.field.nameEn"),
  };
  const back = districts.find((d) => d.id === districtId);
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to={back ? `/organisation/${back.id}` : "/organisation"} className="inline-flex min-h-11 items-center">
          ← {back ? t("organisation.backTo", { name: placeName(locale, back) }) : t("organisation.allDistricts")}
        </Link>
      </p>
      <PageHeader title={t(subdistrict ? "organisation.edit.subdistrict" : "organisation.add.subdistrict")} />
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={labels} />
          <SelectField
            name="districtId"
            label={labels.districtId}
            state={state}
            defaultValue={districtId}
            required
            placeholder={t("organisation.field.choose")}
            options={placeOptions(locale, districts, t("organisation.field.inactiveSuffix"))}
          />
          <SelectField
            name="kind"
            label={labels.kind}
            state={state}
            defaultValue={subdistrict?.kind ?? "subdistrict"}
            required
            options={[
              { value: "subdistrict", label: t("organisation.kind.subdistrict") },
              { value: "town", label: t("organisation.kind.town") },
            ]}
          />
          <TextField name="nameZh" label={labels.nameZh} state={state} defaultValue={subdistrict?.nameZh} required maxLength={NAME_MAX} />
          <TextField name="nameEn" label={labels.nameEn} state={state} defaultValue={subdistrict?.nameEn} required maxLength={NAME_MAX} />
          <FormActions>
            <Button>{t("organisation.save.subdistrict")}</Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("organisation.edit.subdistrict");
