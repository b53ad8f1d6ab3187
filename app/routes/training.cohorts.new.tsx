import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Button, Card, EmptyState, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { id } from "~/domain/shared/fields";
import { createCohort, listProgrammes, listTrainerChoices, nextCohortNumber } from "~/domain/training";
import { CohortSchema } from "~/domain/training/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { programClock, refused } from "./training._index/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:training");
  const db = getDb();
  return {
    programmes: listProgrammes(db).map((p) => ({ id: p.id, nameZh: p.nameZh, nameEn: p.nameEn, version: p.version, code: p.code })),
    trainers: listTrainerChoices(db)
      .filter((t) => t.userId !== user.id)
      .map((t) => ({ userId: t.userId, displayName: t.displayName })),
    nextNumber: nextCohortNumber(db),
    today: programClock().today,
  };
}

const NewCohortSchema = CohortSchema.and(z.object({ trainerIds: z.array(id, { error: "form.unknownId" }).max(50) }));

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:training");
  const form = await parseForm(request, NewCohortSchema, ({ values, multi }) => ({ ...values, trainerIds: multi.trainerIds ?? [] }));
  if (!form.ok) return badForm(form);
  let cohortId: number;
  const { trainerIds, ...input } = form.data;
  try {
    cohortId = createCohort(getDb(), actorOf(request, user), input, trainerIds);
  } catch (e) {
    return refused(e, form.values);
  }
  return redirectWithFlash(`/training/cohorts/${cohortId}`, { kind: "success", key: "training.cohort.created", params: { number: input.number } });
}

export default function NewCohort() {
  const { programmes, trainers, nextNumber, today } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale } = useT();
  const labels = {
    number: t("training.cohort.number"),
    programmeId: t("training.cohort.programme"),
    startsOn: t("training.cohort.startsOn"),
    endsOn: t("training.cohort.endsOn"),
    capacity: t("training.cohort.capacity"),
    trainerIds: t("training.cohort.trainers"),
  };
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to="/training">← {t("training.back")}</Link>
      </p>
      <PageHeader title={t("training.cohort.newTitle")} subtitle={t("training.cohort.newSubtitle")} />
      {programmes.length === 0 ? (
        <EmptyState
          title={t("training.programmes.empty")}
          action={
            <LinkButton to="/training/programmes/new" kind="primary">
              {t("training.programmes.new")}
            </LinkButton>
          }
        >
          {t("training.programmes.emptyHelp")}
        </EmptyState>
      ) : (
        <Card>
          <Form method="post" noValidate>
            <ErrorSummary state={state} labels={labels} />
            <div className="grid gap-x-4 sm:grid-cols-2">
              <TextField name="number" type="number" inputMode="numeric" label={labels.number} help={t("training.cohort.numberHelp")} state={state} defaultValue={nextNumber} required />
              <TextField name="capacity" type="number" inputMode="numeric" label={labels.capacity} help={t("training.cohort.capacityHelp")} state={state} defaultValue={20} required />
            </div>
            <SelectField
              name="programmeId"
              label={labels.programmeId}
              state={state}
              required
              defaultValue={programmes[0]?.id}
              options={programmes.map((p) => ({
                value: p.id,
                label: `${locale === "zh-CN" ? p.nameZh : p.nameEn} · ${p.code} · ${t("training.programme.version", { version: p.version })}`,
              }))}
            />
            <div className="grid gap-x-4 sm:grid-cols-2">
              <TextField name="startsOn" type="date" label={labels.startsOn} state={state} defaultValue={today} required />
              <TextField name="endsOn" type="date" label={labels.endsOn} state={state} required />
            </div>
            {trainers.length > 0 && (
              <fieldset id="f-trainerIds" className="mb-4">
                <legend className="font-medium">
                  {labels.trainerIds} <span className="ml-2 text-sm font-normal text-muted">({t("form.optional")})</span>
                </legend>
                <p className="text-sm text-muted">{t("training.cohort.trainersHelp")}</p>
                {trainers.map((tr) => (
                  <label key={tr.userId} className="flex min-h-11 items-center gap-3">
                    <input type="checkbox" name="trainerIds" value={tr.userId} className="h-5 w-5" />
                    <span>{tr.displayName}</span>
                  </label>
                ))}
              </fieldset>
            )}
            <FormActions>
              <Button>{t("training.cohort.create")}</Button>
              <Link to="/training" className="inline-flex min-h-11 items-center px-2">
                {t("form.cancel")}
              </Link>
            </FormActions>
          </Form>
        </Card>
      )}
    </div>
  );
}

export const meta = titled("training.cohort.newTitle");
