import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { endAllSessions } from "~/auth/devices.server";
import { can } from "~/auth/permissions";
import { hasSecondFactor, resetSecondFactor } from "~/auth/second-factor.server";
import { ErrorSummary, FormActions, TextField, type FormState } from "~/components/forms";
import { Badge, Button, Card, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { listDistricts } from "~/domain/organisation";
import {
  displayName,
  districtChoices,
  getUser,
  grantsFromForm,
  resetPassword,
  roleChoices,
  setUserActive,
  setUserRoles,
  unlockUser,
  updateUserProfile,
} from "~/domain/people";
import { id, newPassword } from "~/domain/shared/fields";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal } from "~/http/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { RoleFields, RoleList, UserStatusBadge, type DistrictOption } from "./admin.users._index/user-parts";
import { parseUserForm } from "./admin.users._index/user-form.server";

/** The user named in the URL, or a thrown 404 for an unknown or malformed id. Call after the guard. */
function userFromParams(params: LoaderFunctionArgs["params"]) {
  const parsed = id.safeParse(params.id ?? "");
  const found = parsed.success ? getUser(getDb(), parsed.data) : null;
  if (!found) throw notFound();
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = requireUserWithPermission(request, "read:user");
  const target = userFromParams(params);
  const now = new Date().toISOString();
  const districts: DistrictOption[] = listDistricts(getDb()).map((d) => ({ id: d.id, nameZh: d.nameZh, nameEn: d.nameEn, active: d.active }));
  return {
    target: {
      id: target.id,
      login: target.login,
      displayName: target.displayName,
      active: target.active,
      // a lock that has run out is no lock
      lockedUntil: target.lockedUntil && target.lockedUntil > now ? target.lockedUntil : null,
      lastLoginAt: target.lastLoginAt,
      mustChangePassword: target.mustChangePassword,
      createdAt: target.createdAt,
      passwordChangedAt: target.passwordChangedAt,
      roles: target.roles,
      secondFactor: hasSecondFactor(getDb(), target.id),
    },
    districts,
    canEdit: can(viewer, "edit:user"),
    isSelf: viewer.id === target.id,
  };
}

// One small form per action, told apart by the hidden `intent` field.
const ActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("profile"), displayName }),
    z.object({ intent: z.literal("roles"), roles: roleChoices, districtIds: districtChoices }),
    z.object({ intent: z.literal("disable") }),
    z.object({ intent: z.literal("enable") }),
    z.object({ intent: z.literal("resetPassword"), temporaryPassword: newPassword }),
    z.object({ intent: z.literal("unlock") }),
    z.object({ intent: z.literal("resetSecondFactor") }),
    z.object({ intent: z.literal("endSessions") }),
  ],
  { error: "users.unknownAction" },
);

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = requireUserWithPermission(request, "edit:user");
  const target = userFromParams(params);
  const form = await parseUserForm(request, ActionSchema);
  if (!form.ok) {
    // an unknown intent belongs to no form: say so at the top of the page
    const { intent, ...errors } = form.errors;
    return badForm({ errors: intent ? { ...errors, _form: intent } : errors, values: form.values });
  }
  const db = getDb();
  const actor = actorOf(request, viewer);
  const to = `/admin/users/${target.id}`;
  const flash = (key: MessageKey) => redirectWithFlash(to, { kind: "success", key, params: { login: target.login } });
  const input = form.data;
  try {
    switch (input.intent) {
      case "profile":
        updateUserProfile(db, actor, target.id, { displayName: input.displayName });
        return flash("users.profile.saved");
      case "roles":
        setUserRoles(db, actor, target.id, grantsFromForm(input));
        return flash("users.roles.saved");
      case "disable":
        setUserActive(db, actor, target.id, false);
        return flash("users.disable.done");
      case "enable":
        setUserActive(db, actor, target.id, true);
        return flash("users.enable.done");
      case "resetPassword":
        await resetPassword(db, actor, target.id, input.temporaryPassword);
        return flash("users.reset.done");
      case "unlock":
        unlockUser(db, actor, target.id);
        return flash("users.unlock.done");
      case "resetSecondFactor":
        resetSecondFactor(db, actor, target.id);
        return flash("privacy.twoFactor.resetDone");
      case "endSessions":
        endAllSessions(db, actor, target.id);
        return flash("privacy.sessions.allEnded");
    }
  } catch (e) {
    return domainRefusal(e, form.values);
  }
}

/** The action's answer, when it belongs to the form of this intent. */
function stateFor(state: FormState, intent: string): FormState {
  return state?.values?.intent === intent ? state : undefined;
}

export default function UserDetail() {
  const { target, districts, canEdit, isSelf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, dateTime } = useT();
  // the forms on this page; an answer for any other intent (unknown, or a form not shown) is summarised at the top
  const shownIntents = canEdit
    ? [
        "profile",
        "resetPassword",
        "roles",
        ...(target.lockedUntil ? ["unlock"] : []),
        ...(target.secondFactor ? ["resetSecondFactor"] : []),
        ...(isSelf ? [] : ["endSessions"]),
        target.active ? (isSelf ? "" : "disable") : "enable",
      ]
    : [];
  const unknownIntent = actionData && !shownIntents.includes(actionData.values?.intent ?? "");
  const when = (v: string | null, none: MessageKey) => (v ? dateTime(v) : <span className="text-muted">{t(none)}</span>);
  return (
    <>
      <p className="mb-2">
        <Link to="/admin/users">← {t("users.back")}</Link>
      </p>
      <PageHeader
        title={target.displayName}
        subtitle={target.login}
        badges={
          <>
            <UserStatusBadge active={target.active} lockedUntil={target.lockedUntil} />
            {target.mustChangePassword && <Badge tone="warn">{t("users.mustChangeBadge")}</Badge>}
          </>
        }
      />
      {unknownIntent && <ErrorSummary state={actionData} />}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("users.detail.account")} className="lg:col-span-2">
          <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[max-content_1fr]">
            <Fact label={t("users.field.login")}>{target.login}</Fact>
            <Fact label={t("users.field.displayName")}>{target.displayName}</Fact>
            <Fact label={t("users.field.roles")}>
              <RoleList roles={target.roles} districts={districts} />
            </Fact>
            <Fact label={t("users.col.status")}>
              <UserStatusBadge active={target.active} lockedUntil={target.lockedUntil} />
            </Fact>
            <Fact label={t("users.detail.lockedUntil")}>{when(target.lockedUntil, "users.detail.notLocked")}</Fact>
            <Fact label={t("users.col.lastLogin")}>{when(target.lastLoginAt, "users.never")}</Fact>
            <Fact label={t("users.detail.mustChange")}>{target.mustChangePassword ? t("form.yes") : t("form.no")}</Fact>
            <Fact label={t("users.detail.passwordChanged")}>{when(target.passwordChangedAt, "users.never")}</Fact>
            <Fact label={t("users.detail.created")}>{dateTime(target.createdAt)}</Fact>
          </dl>
        </Card>
        {canEdit && (
          <>
            <Card title={t("users.profile.title")}>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="profile" />
                <ErrorSummary state={stateFor(actionData, "profile")} labels={{ displayName: t("users.field.displayName") }} />
                <TextField
                  name="displayName"
                  label={t("users.field.displayName")}
                  help={t("users.field.displayNameHelp")}
                  state={stateFor(actionData, "profile")}
                  defaultValue={target.displayName}
                  required
                  maxLength={80}
                  autoComplete="off"
                />
                <FormActions>
                  <Button>{t("users.profile.submit")}</Button>
                </FormActions>
              </Form>
            </Card>
            <Card title={t("users.reset.title")}>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="resetPassword" />
                <ErrorSummary state={stateFor(actionData, "resetPassword")} labels={{ temporaryPassword: t("users.field.temporaryPassword") }} />
                <p className="mb-3">{t("users.reset.consequence", { name: target.displayName })}</p>
                <TextField
                  name="temporaryPassword"
                  type="password"
                  label={t("users.field.temporaryPassword")}
                  help={t("users.field.temporaryPasswordHelp")}
                  state={stateFor(actionData, "resetPassword")}
                  required
                  autoComplete="new-password"
                />
                <FormActions>
                  <Button kind="secondary">{t("users.reset.submit")}</Button>
                </FormActions>
              </Form>
            </Card>
            <Card title={t("users.roles.title")} className="lg:col-span-2">
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="roles" />
                <ErrorSummary
                  state={stateFor(actionData, "roles")}
                  labels={{ roles: t("users.field.roles"), districtIds: t("users.field.districts") }}
                />
                <RoleFields state={stateFor(actionData, "roles")} districts={districts} current={target.roles} />
                <FormActions>
                  <Button>{t("users.roles.submit")}</Button>
                </FormActions>
              </Form>
            </Card>
            {target.lockedUntil && (
              <Card title={t("users.unlock.title")}>
                <Form method="post">
                  <input type="hidden" name="intent" value="unlock" />
                  <ErrorSummary state={stateFor(actionData, "unlock")} />
                  <p>{t("users.unlock.consequence", { name: target.displayName, time: dateTime(target.lockedUntil) })}</p>
                  <FormActions>
                    <Button kind="secondary">{t("users.unlock.submit")}</Button>
                  </FormActions>
                </Form>
              </Card>
            )}
            {target.secondFactor && (
              <Card title={t("privacy.twoFactor.reset")}>
                <Form method="post">
                  <input type="hidden" name="intent" value="resetSecondFactor" />
                  <ErrorSummary state={stateFor(actionData, "resetSecondFactor")} />
                  <p>{t("privacy.twoFactor.resetHelp")}</p>
                  <FormActions>
                    <Button kind="danger">{t("privacy.twoFactor.reset")}</Button>
                  </FormActions>
                </Form>
              </Card>
            )}
            {!isSelf && (
              <Card title={t("privacy.sessions.endAll")}>
                <Form method="post">
                  <input type="hidden" name="intent" value="endSessions" />
                  <ErrorSummary state={stateFor(actionData, "endSessions")} />
                  <p>{t("privacy.sessions.endAllHelp")}</p>
                  <FormActions>
                    <Button kind="secondary">{t("privacy.sessions.endAll")}</Button>
                  </FormActions>
                </Form>
              </Card>
            )}
            {target.active ? (
              <Card title={t("users.disable.title")}>
                {isSelf ? (
                  <p className="text-muted">{t("users.disable.self")}</p>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="disable" />
                    <ErrorSummary state={stateFor(actionData, "disable")} />
                    <p>{t("users.disable.consequence", { name: target.displayName })}</p>
                    <FormActions>
                      <Button kind="danger">{t("users.disable.submit")}</Button>
                    </FormActions>
                  </Form>
                )}
              </Card>
            ) : (
              <Card title={t("users.enable.title")}>
                <Form method="post">
                  <input type="hidden" name="intent" value="enable" />
                  <ErrorSummary state={stateFor(actionData, "enable")} />
                  <p>{t("users.enable.consequence", { name: target.displayName })}</p>
                  <FormActions>
                    <Button>{t("users.enable.submit")}</Button>
                  </FormActions>
                </Form>
              </Card>
            )}
          </>
        )}
      </div>
    </>
  );
}

function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

export const meta = titled("users.detailTitle");
