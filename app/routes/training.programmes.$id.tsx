import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { ErrorSummary, FormActions, type FormState } from "~/components/forms";
import { Button, Card, DataTable, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { id } from "~/domain/shared/fields";
import { addModule, getProgramme, isProgrammeFrozen, listModules, newProgrammeVersion, updateModule, updateProgramme } from "~/domain/training";
import { ModuleSchema, ProgrammeSchema } from "~/domain/training/schemas";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { refused } from "./training._index/guard.server";
import { useLocalName } from "./training._index/parts";
import { ModuleFields, ProgrammeFields, moduleLabels, programmeLabels } from "./training._index/programme-parts";

/** The programme named in the URL, or a thrown 404. Call after the guard. */
function programmeFromParams(params: LoaderFunctionArgs["params"]) {
  const parsed = id.safeParse(params.id ?? "");
  const found = parsed.success ? getProgramme(getDb(), parsed.data) : undefined;
  if (!found) throw notFound();
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:training");
  const programme = programmeFromParams(params);
  const db = getDb();
  return {
    programme,
    modules: listModules(db, programme.id),
    frozen: isProgrammeFrozen(db, programme.id),
    canEdit: can(user, "edit:training"),
  };
}

const ActionSchema = z.discriminatedUnion(
  "intent",
  [
    ProgrammeSchema.omit({ code: true }).extend({ intent: z.literal("programme") }),
    ModuleSchema.extend({ intent: z.literal("addModule") }),
    ModuleSchema.extend({ intent: z.literal("module"), moduleId: id }),
    z.object({ intent: z.literal("newVersion") }),
  ],
  { error: "training.unknownAction" },
);

export async function action({ request, params }: ActionFunctionArgs) {
  // programmes are edited by trainers (any trainer: a programme belongs to no one cohort)
  const user = requireUserWithPermission(request, "edit:training");
  const programme = programmeFromParams(params);
  const form = await parseForm(request, ActionSchema);
  if (!form.ok) {
    const { intent, ...errors } = form.errors;
    return badForm({ errors: intent ? { ...errors, _form: intent } : errors, values: form.values });
  }
  const db = getDb();
  const actor = actorOf(request, user);
  const to = `/training/programmes/${programme.id}`;
  const input = form.data;
  try {
    switch (input.intent) {
      case "programme": {
        const { intent: _i, ...fields } = input;
        updateProgramme(db, actor, programme.id, fields);
        return redirectWithFlash(to, { kind: "success", key: "training.programme.saved" });
      }
      case "addModule": {
        const { intent: _i, ...fields } = input;
        addModule(db, actor, programme.id, fields);
        return redirectWithFlash(to, { kind: "success", key: "training.module.added" });
      }
      case "module": {
        const { intent: _i, moduleId, ...fields } = input;
        updateModule(db, actor, programme.id, moduleId, fields);
        return redirectWithFlash(to, { kind: "success", key: "training.module.saved" });
      }
      case "newVersion": {
        const newId = newProgrammeVersion(db, actor, programme.id);
        return redirectWithFlash(`/training/programmes/${newId}`, { kind: "success", key: "training.programme.newVersionDone" });
      }
    }
  } catch (e) {
    return refused(e, form.values);
  }
}

function stateFor(state: FormState, intent: string, moduleId?: number): FormState {
  if (state?.values?.intent !== intent) return undefined;
  if (moduleId !== undefined && state.values.moduleId !== String(moduleId)) return undefined;
  return state;
}

export default function ProgrammeDetail() {
  const { programme, modules, frozen, canEdit } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useT();
  const localName = useLocalName();
  const editable = canEdit && !frozen;
  const known = ["programme", "addModule", "module", "newVersion"];
  const topState = state && !known.includes(state.values?.intent ?? "") ? state : stateFor(state, "newVersion");
  return (
    <>
      <p className="mb-2">
        <Link to="/training/programmes">← {t("training.programmes.title")}</Link>
      </p>
      <PageHeader
        title={localName(programme)}
        subtitle={`${programme.code} · ${t("training.programme.version", { version: programme.version })}`}
      />
      <ErrorSummary state={topState} />
      <div className="grid gap-4">
        <Card title={t("training.programme.requirements")}>
          <ul className="list-disc pl-5">
            <li>{t("training.programme.reqAttendance", { percent: programme.minAttendancePercent })}</li>
            <li>{t("training.programme.reqModules")}</li>
            <li>{t("training.programme.reqPracticum", { hours: programme.practicumHoursRequired })}</li>
            <li>{t("training.programme.reqValidity", { months: programme.certificateValidMonths })}</li>
          </ul>
        </Card>
        <Card title={t("training.modules.title")}>
          {modules.length === 0 ? (
            <EmptyState title={t("training.modules.empty")} />
          ) : (
            <DataTable
              caption={t("training.modules.caption")}
              rows={modules}
              rowKey={(m) => m.id}
              columns={[
                { key: "name", header: t("training.assessment.module"), primary: true, cell: (m) => localName(m) },
                { key: "code", header: t("training.module.code"), cell: (m) => m.code },
                { key: "hours", header: t("training.module.requiredHours"), cell: (m) => m.requiredHours },
                { key: "pass", header: t("training.module.passMark"), cell: (m) => m.passMark },
              ]}
            />
          )}
        </Card>
        {canEdit && frozen && (
          <Card title={t("training.programme.newVersion")}>
            <p className="mb-1">{t("training.programme.frozen")}</p>
            <p className="mb-3 text-muted">{t("training.programme.newVersionHelp")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="newVersion" />
              <Button kind="secondary">{t("training.programme.newVersion")}</Button>
            </Form>
          </Card>
        )}
        {editable && (
          <>
            <Card title={t("training.programme.edit")}>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="programme" />
                <ErrorSummary state={stateFor(state, "programme")} labels={programmeLabels(t)} />
                <ProgrammeFields state={stateFor(state, "programme")} defaults={programme} />
                <FormActions>
                  <Button>{t("training.programme.save")}</Button>
                </FormActions>
              </Form>
            </Card>
            {modules.map((m) => (
              <Card key={m.id} title={t("training.module.editTitle", { name: localName(m) })}>
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="module" />
                  <input type="hidden" name="moduleId" value={m.id} />
                  <ErrorSummary state={stateFor(state, "module", m.id)} labels={moduleLabels(t)} />
                  <ModuleFields state={stateFor(state, "module", m.id)} defaults={m} />
                  <FormActions>
                    <Button kind="secondary">{t("training.module.save")}</Button>
                  </FormActions>
                </Form>
              </Card>
            ))}
            <Card title={t("training.module.add")}>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="addModule" />
                <ErrorSummary state={stateFor(state, "addModule")} labels={moduleLabels(t)} />
                <ModuleFields state={stateFor(state, "addModule")} defaults={{ position: modules.length }} />
                <FormActions>
                  <Button>{t("training.module.add")}</Button>
                </FormActions>
              </Form>
            </Card>
          </>
        )}
      </div>
    </>
  );
}

export const meta = titled("training.programme.title");
