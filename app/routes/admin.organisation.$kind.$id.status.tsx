import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { StatusFormSchema, getOrgUnit, idFromParam, setOrgUnitActive, type OrgKind } from "~/domain/organisation";
import { KIND_SEGMENTS, placeName } from "~/domain/organisation/display";
import { REASON_MAX } from "~/domain/organisation/limits";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { resolveLocale } from "~/i18n/locale.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:org");
  const kind = (Object.keys(KIND_SEGMENTS) as OrgKind[]).find((k) => KIND_SEGMENTS[k] === params.kind);
  const id = idFromParam(params.id);
  const unit = kind && id !== null ? getOrgUnit(getDb(), kind, id) : undefined;
  if (!unit) throw notFound();
  return { unit };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:org");
  const kind = (Object.keys(KIND_SEGMENTS) as OrgKind[]).find((k) => KIND_SEGMENTS[k] === params.kind);
  const id = idFromParam(params.id);
  const unit = kind && id !== null ? getOrgUnit(getDb(), kind, id) : undefined;
  if (!kind || !unit) throw notFound();
  const form = await parseForm(request, StatusFormSchema);
  if (!form.ok) return badForm(form);
  const active = form.data.intent === "activate";
  try {
    setOrgUnitActive(getDb(), actorOf(request, user), kind, unit.id, active, form.data.reason);
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/organisation/${unit.districtId}`, {
    kind: "success",
    key: active ? "organisation.flash.activated" : "organisation.flash.deactivated",
    params: { name: placeName(resolveLocale(request, user), unit) },
  });
}

export default function ChangeStatus() {
  const { unit } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, locale } = useT();
  const name = placeName(locale, unit);
  const deactivating = unit.active;
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to={`/organisation/${unit.districtId}`} className="inline-flex min-h-11 items-center">
          ← {t("form.back")}
        </Link>
      </p>
      <PageHeader
        title={t(deactivating ? "organisation.status.deactivateHeading" : "organisation.status.activateHeading", { name })}
        subtitle={t(`organisation.kind.${unit.kind}`)}
      />
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={{ reason: t("organisation.status.reason") }} />
          <input type="hidden" name="intent" value={deactivating ? "deactivate" : "activate"} />
          {deactivating ? (
            <>
              <p className="mb-2">{t(`organisation.status.consequence.${unit.kind}`)}</p>
              <p className="mb-4 text-muted">{t("organisation.status.kept")}</p>
            </>
          ) : (
            <p className="mb-4">{t("organisation.status.activateConsequence")}</p>
          )}
          <TextField name="reason" label={t("organisation.status.reason")} help={t("organisation.status.reasonHelp")} state={state} maxLength={REASON_MAX} />
          <FormActions>
            <Button kind={deactivating ? "danger" : "primary"}>
              {t(deactivating ? "organisation.status.confirmDeactivate" : "organisation.status.confirmActivate")}
            </Button>
            <Link to={`/organisation/${unit.districtId}`} className="inline-flex min-h-11 items-center px-2">
              {t("form.cancel")}
            </Link>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("organisation.status.title");
