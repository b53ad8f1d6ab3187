import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField, type FormState } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { StudioFormSchema, createStudio, getStudio, idFromParam, listDistricts, targetFromParam, updateStudio } from "~/domain/organisation";
import { ADDRESS_MAX, CAPACITY_MAX, CAPACITY_MIN, NAME_MAX } from "~/domain/organisation/limits";
import { choosable, placeName, placeOptions } from "~/domain/organisation/display";
import { OPENING_HOURS_FIELD, WEEKDAYS, closesField, opensField, periodOn, weekdayName } from "~/domain/organisation/opening-hours";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.studioId);
  if (target === null) throw notFound();
  const db = getDb();
  const studio = target === "new" ? null : getStudio(db, target);
  if (studio === undefined) throw notFound();
  const districts = choosable(listDistricts(db), studio?.districtId);
  const asked = idFromParam(new URL(request.url).searchParams.get("districtId") ?? undefined);
  const districtId = studio?.districtId ?? (districts.some((d) => d.id === asked) ? asked : null);
  return { studio, districts, districtId };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:org");
  const target = targetFromParam(params.studioId);
  if (target === null || (target !== "new" && !getStudio(getDb(), target))) throw notFound();
  const form = await parseForm(request, StudioFormSchema);
  if (!form.ok) return badForm(form);
  const actor = actorOf(request, user);
  try {
    if (target === "new") createStudio(getDb(), actor, form.data);
    else updateStudio(getDb(), actor, target, form.data);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/organisation/${form.data.districtId}`, {
    kind: "success",
    key: target === "new" ? "organisation.flash.created" : "organisation.flash.saved",
    params: { name: placeName(resolveLocale(request, user), form.data) },
  });
}

export default function StudioForm() {
  const { studio, districts, districtId } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale } = useT();
  const labels: Record<string, string> = {
    districtId: t("organisation.field.district"),
    nameZh: t("organisation.field.nameZh"),
    nameEn: t("organisation.field.nameEn"),
    address: t("organisation.field.address"),
    capacity: t("organisation.field.capacity"),
    [OPENING_HOURS_FIELD]: t("organisation.field.openingHours"),
  };
  for (const w of WEEKDAYS) {
    labels[opensField(w)] = `${weekdayName(locale, w)} · ${t("organisation.field.opens")}`;
    labels[closesField(w)] = `${weekdayName(locale, w)} · ${t("organisation.field.closes")}`;
  }
  const back = districts.find((d) => d.id === districtId);
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to={back ? `/organisation/${back.id}` : "/organisation"} className="inline-flex min-h-11 items-center">
          ← {back ? t("organisation.backTo", { name: placeName(locale, back) }) : t("organisation.allDistricts")}
        </Link>
      </p>
      <PageHeader title={t(studio ? "organisation.edit.studio" : "organisation.add.studio")} />
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
          <TextField name="nameZh" label={labels.nameZh} state={state} defaultValue={studio?.nameZh} required maxLength={NAME_MAX} />
          <TextField name="nameEn" label={labels.nameEn} state={state} defaultValue={studio?.nameEn} required maxLength={NAME_MAX} />
          <TextField name="address" label={labels.address} state={state} defaultValue={studio?.address} required maxLength={ADDRESS_MAX} autoComplete="off" />
          <TextField
            name="capacity"
            type="number"
            inputMode="numeric"
            label={labels.capacity}
            help={t("organisation.field.capacityHelp", { min: CAPACITY_MIN, max: CAPACITY_MAX })}
            state={state}
            defaultValue={studio?.capacity}
            required
          />
          <OpeningHoursFields state={state} periods={studio?.openingHours ?? []} />
          <FormActions>
            <Button>{t("organisation.save.studio")}</Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

/** Seven rows, Monday to Sunday, each with an opening and a closing time (24-hour). */
function OpeningHoursFields({
  state,
  periods,
}: {
  state: FormState;
  periods: { weekday: number; opens: string; closes: string }[];
}) {
  const { t, tm, locale } = useT();
  const groupError = state?.errors?.[OPENING_HOURS_FIELD];
  return (
    <fieldset id={`f-${OPENING_HOURS_FIELD}`} tabIndex={-1} className="mb-4 rounded-card border border-line p-3" aria-describedby="f-openingHours-help">
      <legend className="px-1 font-medium">
        {t("organisation.field.openingHours")}
        <span className="ml-1 text-danger" aria-hidden="true">*</span>
      </legend>
      <p id="f-openingHours-help" className="text-sm text-muted">
        {t("organisation.field.openingHoursHelp")}
      </p>
      {groupError && (
        <p id={`f-${OPENING_HOURS_FIELD}-error`} className="mt-1 text-sm font-medium text-danger">
          {tm(groupError)}
        </p>
      )}
      <div className="mt-3 grid gap-x-3 sm:grid-cols-[8rem_1fr_1fr]">
        {WEEKDAYS.map((w) => {
          const p = periodOn(periods, w);
          const day = weekdayName(locale, w);
          return (
            <div key={w} className="contents">
              <p className="self-center font-medium sm:mb-4" aria-hidden="true">
                {day}
              </p>
              <TextField
                name={opensField(w)}
                type="time"
                label={
                  <>
                    <span className="sr-only">{day} </span>
                    {t("organisation.field.opens")}
                  </>
                }
                state={state}
                defaultValue={p?.opens}
              />
              <TextField
                name={closesField(w)}
                type="time"
                label={
                  <>
                    <span className="sr-only">{day} </span>
                    {t("organisation.field.closes")}
                  </>
                }
                state={state}
                defaultValue={p?.closes}
              />
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export const meta = titled("organisation.edit.studio");
