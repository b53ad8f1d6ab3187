import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { DistrictFormSchema, createDistrict, getDistrict, targetFromParam, updateDistrict } from "~/domain/organisation";
import { CODE_MAX, NAME_MAX } from "~/domain/organisation/limits";
import { placeName } from "~/domain/organisation/display";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.districtId);
  if (target === null) throw notFound();
  const district = target === "new" ? null : getDistrict(getDb(), target);
  if (district === undefined) throw notFound();
  return { district };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.districtId);
  if (target === null || (target !== "new" && !getDistrict(getDb(), target))) throw notFound();
  const id = target === "new" ? null : target;
  const form = await parseForm(request, DistrictFormSchema);
  if (!form.ok) return badForm(form);
  const actor = actorOf(request, user);
  let savedId: number;
  try {
    if (id === null) savedId = createDistrict(getDb(), actor, form.data);
    else {
      updateDistrict(getDb(), actor, id, form.data);
      savedId = id;
    }
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  const name = placeName(resolveLocale(request, user), form.data);
  return redirectWithFlash(`/organisation/${savedId}`, {
    kind: "success",
    key: id === null ? "organisation.flash.created" : "organisation.flash.saved",
    params: { name },
  });
}

export default function DistrictForm() {
  const { district } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale } = useT();
  const labels = { code: t("organisation.field.code"), nameZh: t("organisation.field.nameZh"), nameEn: t("organisation.field.nameEn") };
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to={district ? `/organisation/${district.id}` : "/organisation"} className="inline-flex min-h-11 items-center">
          ← {district ? t("organisation.backTo", { name: placeName(locale, district) }) : t("organisation.allDistricts")}
        </Link>
      </p>
      <PageHeader title={t(district ? "organisation.edit.district" : "organisation.add.district")} />
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={labels} />
          <TextField name="code" label={labels.code} help={t("organisation.field.codeHelp")} state={state} defaultValue={district?.code} required maxLength={CODE_MAX} autoComplete="off" />
          <TextField name="nameZh" label={labels.nameZh} state={state} defaultValue={district?.nameZh} required maxLength={NAME_MAX} />
          <TextField name="nameEn" label={labels.nameEn} state={state} defaultValue={district?.nameEn} required maxLength={NAME_MAX} />
          <FormActions>
            <Button>{t("organisation.save.district")}</Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("organisation.edit.district");
