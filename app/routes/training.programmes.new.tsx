import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { createProgramme } from "~/domain/training";
import { ProgrammeSchema } from "~/domain/training/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { ProgrammeFields, programmeLabels } from "./training._index/programme-parts";
import { refused } from "./training._index/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:training");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:training");
  const form = await parseForm(request, ProgrammeSchema);
  if (!form.ok) return badForm(form);
  let programmeId: number;
  try {
    programmeId = createProgramme(getDb(), actorOf(request, user), form.data);
  } catch (e) {
    return refused(e, form.values);
  }
  return redirectWithFlash(`/training/programmes/${programmeId}`, { kind: "success", key: "training.programme.created" });
}

export default function NewProgramme() {
  const state = useActionData<typeof action>();
  const { t } = useT();
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to="/training/programmes">← {t("training.programmes.title")}</Link>
      </p>
      <PageHeader title={t("training.programmes.new")} />
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={programmeLabels(t)} />
          <ProgrammeFields state={state} withCode />
          <FormActions>
            <Button>{t("training.programme.create")}</Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("training.programmes.new");
