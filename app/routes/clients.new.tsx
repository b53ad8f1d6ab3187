import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import {
  ADDRESS_MAX,
  ALIAS_MAX,
  CASE_NUMBER_MAX,
  ClientDetailsFields,
  CONSENT_PURPOSES,
  ConsentFields,
  createClient,
  ID_NUMBER_MAX,
  IdentityFields,
  identityFrom,
  intakeDistrictIds,
  intakeMode,
  LEGAL_STATUSES,
  PHONE_MAX,
  placeChoices,
  purposesFrom,
  REAL_NAME_MAX,
  RISK_LEVELS,
  socialWorkerChoices,
} from "~/domain/clients";
import { getSettings } from "~/domain/settings";
import { isDomainError } from "~/domain/shared/errors";
import { isoDate, optionalId } from "~/domain/shared/fields";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm } from "~/http/forms.server";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { ClientDetailFields, ConsentFormFields, IdentityFormFields } from "./clients._index/client-parts";

/**
 * Intake (接案): a social worker takes in a client who becomes theirs from the intake date; a
 * coordinator takes in a client in their districts and picks the social worker. Identity and
 * consent are optional here and can be added on the overview.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = requireUserWithPermission(request, "create:client");
  const db = getDb();
  const places = placeChoices(db, intakeDistrictIds(db, viewer));
  // a coordinator picks the social worker among those of the districts they coordinate
  const seen = new Set<number>();
  const socialWorkers: { personId: number; name: string; districtZh: string; districtEn: string }[] = [];
  for (const d of places.districts) {
    if (intakeMode(db, viewer, d.id) !== "district") continue;
    for (const w of socialWorkerChoices(db, d.id)) {
      if (seen.has(w.personId)) continue;
      seen.add(w.personId);
      socialWorkers.push({ personId: w.personId, name: w.name, districtZh: d.nameZh, districtEn: d.nameEn });
    }
  }
  const picksWorker = places.districts.some((d) => intakeMode(db, viewer, d.id) === "district");
  return {
    places,
    socialWorkers,
    picksWorker,
    legalStatuses: LEGAL_STATUSES,
    riskLevels: RISK_LEVELS,
    purposes: CONSENT_PURPOSES,
    limits: { alias: ALIAS_MAX, caseNumber: CASE_NUMBER_MAX },
    identityLimits: { realName: REAL_NAME_MAX, idNumber: ID_NUMBER_MAX, phone: PHONE_MAX, address: ADDRESS_MAX },
    today: todayIn(getSettings(db).timeZone),
  };
}

const IntakeSchema = z.object({
  ...ClientDetailsFields,
  socialWorkerPersonId: optionalId(),
  ...IdentityFields,
  ...ConsentFields,
  consentOn: z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim())
    .pipe(z.union([z.literal(""), isoDate], { error: "form.invalidDate" })),
});

export async function action({ request }: ActionFunctionArgs) {
  const viewer = requireUserWithPermission(request, "create:client");
  const form = await parseForm(request, IntakeSchema);
  if (!form.ok) return badForm(form);
  const db = getDb();
  const input = form.data;
  const purposes = purposesFrom(input);
  let clientId: number;
  try {
    clientId = createClient(
      db,
      actorOf(request, viewer),
      viewer,
      {
        caseNumber: input.caseNumber,
        alias: input.alias,
        districtId: input.districtId,
        subdistrictId: input.subdistrictId,
        pointId: input.pointId,
        legalStatus: input.legalStatus,
        intakeDate: input.intakeDate,
        riskLevel: input.riskLevel,
        socialWorkerPersonId: input.socialWorkerPersonId,
        identity: identityFrom(input),
        consent:
          purposes.length > 0 || input.sensitiveInfo
            ? { purposes, sensitiveInfo: input.sensitiveInfo, agreedOn: input.consentOn || input.intakeDate }
            : null,
      },
      todayIn(getSettings(db).timeZone),
    );
  } catch (e) {
    if (isDomainError(e)) return badForm({ errors: { [e.field]: e.key }, values: form.values });
    throw e;
  }
  return redirectWithFlash(`/clients/${clientId}`, { kind: "success", key: "clients.created", params: { alias: input.alias } });
}

export default function NewClient() {
  const { places, socialWorkers, picksWorker, legalStatuses, riskLevels, purposes, limits, identityLimits, today } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale } = useT();
  return (
    <div className="max-w-3xl">
      <p className="mb-2">
        <Link to="/clients">← {t("clients.back")}</Link>
      </p>
      <PageHeader title={t("clients.newTitle")} subtitle={t("clients.newSubtitle")} />
      <Form method="post" noValidate>
        <ErrorSummary
          state={state}
          labels={{
            caseNumber: t("clients.field.caseNumber"),
            alias: t("clients.field.alias"),
            districtId: t("clients.field.district"),
            subdistrictId: t("clients.field.subdistrict"),
            pointId: t("clients.field.point"),
            legalStatus: t("clients.field.legalStatus"),
            intakeDate: t("clients.field.intakeDate"),
            riskLevel: t("clients.field.riskLevel"),
            socialWorkerPersonId: t("clients.field.socialWorker"),
            realName: t("clients.identity.realName"),
            idNumber: t("clients.identity.idNumber"),
            phone: t("clients.identity.phone"),
            address: t("clients.identity.address"),
            purposes: t("clients.consent.purposes"),
            consentOn: t("clients.consent.agreedOn"),
          }}
        />
        <Card title={t("clients.section.case")} className="mb-4">
          <ClientDetailFields state={state} places={places} legalStatuses={legalStatuses} riskLevels={riskLevels} limits={limits} today={today} />
          {picksWorker ? (
            <SelectField
              name="socialWorkerPersonId"
              label={t("clients.field.socialWorker")}
              help={t("clients.field.socialWorkerHelp")}
              state={state}
              required
              placeholder={t("clients.field.choose")}
              options={socialWorkers.map((w) => ({ value: w.personId, label: `${w.name} · ${locale === "zh-CN" ? w.districtZh : w.districtEn}` }))}
            />
          ) : (
            <p className="mb-4 text-muted">{t("clients.field.socialWorkerSelf")}</p>
          )}
        </Card>
        <Card title={t("clients.consent.title")} className="mb-4">
          <p className="mb-3 text-muted">{t("clients.consent.intakeHelp")}</p>
          <ConsentFormFields state={state} purposes={purposes} dateName="consentOn" dateRequired={false} dateHelp={t("clients.consent.agreedOnHelp")} />
        </Card>
        <Card title={t("clients.identity.title")} className="mb-4">
          <p className="mb-3 text-muted">{t("clients.identity.intakeHelp")}</p>
          <IdentityFormFields state={state} limits={identityLimits} />
        </Card>
        <FormActions>
          <Button>{t("clients.create")}</Button>
          <Link to="/clients" className="inline-flex min-h-11 items-center px-2">
            {t("form.cancel")}
          </Link>
        </FormActions>
      </Form>
    </div>
  );
}

export const meta = titled("clients.newTitle");
