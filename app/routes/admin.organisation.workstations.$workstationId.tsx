import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { WorkstationFormSchema, createWorkstation, getWorkstation, idFromParam, listDistricts, targetFromParam, updateWorkstation } from "~/domain/organisation";
import { ADDRESS_MAX, NAME_MAX } from "~/domain/organisation/limits";
import { choosable, placeName, placeOptions } from "~/domain/organisation/display";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.workstationId);
  if (target === null) throw notFound();
  const db = getDb();
  const workstation = target === "new" ? null : getWorkstation(db, target);
  if (workstation === undefined) throw notFound();
  const districts = choosable(listDistricts(db), workstation?.districtId);
  const asked = idFromParam(new URL(request.url).searchParams.get("districtId") ?? undefined);
  const districtId = workstation?.districtId ?? (districts.some((d) => d.id === asked) ? asked : null);
  return { workstation, districts, districtId };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.workstationId);
  if (target === null || (target !== "new" && !getWorkstation(getDb(), target))) throw notFound();
  const form = await parseForm(request, WorkstationFormSchema);
  if (!form.ok) return badForm(form);
  const actor = actorOf(request, user);
  try {
    if (target === "new") createWorkstation(getDb(), actor, form.data);
    else updateWorkstation(getDb(), actor, target, form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/organisation/${form.data.districtId}`, {
    kind: "success",
    key: target === "new" ? "organisation.flash.created" : "organisation.flash.saved",
    params: { name: placeName(resolveLocale(request, user), form.data) },
  });
}

export default function WorkstationForm() {
  const { workstation, districts, districtId } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale } = useT();
  const labels = {
    districtId: t("organisation.field.district"),
    nameZh: t("organisation.field.nameZh"),
    nameEn: t("organisation.field.nameEn"),
    address: t("organisation.field.address"),
  };
  const back = districts.find((d) => d.id === districtId);
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to={back ? `/organisation/${back.id}` : "/organisation"} className="inline-flex min-h-11 items-center">
          ← {back ? t("organisation.backTo", { name: placeName(locale, back) }) : t("organisation.allDistricts")}
        </Link>
      </p>
      <PageHeader title={t(workstation ? "organisation.edit.workstation" : "organisation.add.workstation")} />
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
          <TextField name="nameZh" label={labels.nameZh} state={state} defaultValue={workstation?.nameZh} required maxLength={NAME_MAX} />
          <TextField name="nameEn" label={labels.nameEn} state={state} defaultValue={workstation?.nameEn} required maxLength={NAME_MAX} />
          <TextField name="address" label={labels.address} state={state} defaultValue={workstation?.address} maxLength={ADDRESS_MAX} autoComplete="off" />
          <FormActions>
            <Button>{t("organisation.save.workstation")}</Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("organisation.edit.workstation");
