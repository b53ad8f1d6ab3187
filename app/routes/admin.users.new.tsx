import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { CheckboxField, ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistricts } from "~/domain/organisation";
import { createUser, displayName, districtChoices, grantsFromForm, roleChoices } from "~/domain/people";
import { checkbox, loginName, newPassword } from "~/domain/shared/fields";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { RoleFields, type DistrictOption } from "./admin.users._index/user-parts";
import { parseUserForm } from "./admin.users._index/user-form.server";

export async function loader({ request }: LoaderFunctionArgs) {
  requireUserWithPermission(request, "edit:user");
  const districts: DistrictOption[] = listDistricts(getDb()).map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn, active: d.active }));
  return { districts };
}

const NewUserSchema = z.object({
  login: loginName,
  displayName,
  temporaryPassword: newPassword,
  // named without "password" so the typed value survives a failed submit (forms.server drops password fields)
  mustChange: checkbox,
  roles: roleChoices,
  districtIds: districtChoices,
});

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:user");
  const form = await parseUserForm(request, NewUserSchema);
  if (!form.ok) return badForm(form);
  let userId: number;
  try {
    userId = await createUser(getDb(), actorOf(request, user), {
      login: form.data.login,
      displayName: form.data.displayName,
      password: form.data.temporaryPassword,
      mustChangePassword: form.data.mustChange,
      roles: grantsFromForm(form.data),
    });
  } catch (e) {
    return domainRefusal(e, form.values);
  }
  return redirectWithFlash(`/admin/users/${userId}`, { kind: "success", key: "users.created", params: { login: form.data.login } });
}

export default function NewUser() {
  const { districts } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to="/admin/users">← {t("users.back")}</Link>
      </p>
      <PageHeader title={t("users.newTitle")} subtitle={t("users.newSubtitle")} />
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary
            state={state}
            labels={{
              login: t("users.field.login"),
              displayName: t("users.field.displayName"),
              temporaryPassword: t("users.field.temporaryPassword"),
              roles: t("users.field.roles"),
              districtIds: t("users.field.districts"),
            }}
          />
          <TextField
            name="login"
            label={t("users.field.login")}
            help={t("users.field.loginHelp")}
            state={state}
            required
            maxLength={64}
            autoComplete="off"
          />
          <TextField
            name="displayName"
            label={t("users.field.displayName")}
            help={t("users.field.displayNameHelp")}
            state={state}
            required
            maxLength={80}
            autoComplete="off"
          />
          <TextField
            name="temporaryPassword"
            type="password"
            label={t("users.field.temporaryPassword")}
            help={t("users.field.temporaryPasswordHelp")}
            state={state}
            required
            autoComplete="new-password"
          />
          <CheckboxField name="mustChange" label={t("users.field.mustChange")} state={state} defaultChecked />
          <RoleFields state={state} districts={districts} />
          <FormActions>
            <Button>{t("users.create")}</Button>
            <Link to="/admin/users" className="inline-flex min-h-11 items-center px-2">
              {t("form.cancel")}
            </Link>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("users.newTitle");
