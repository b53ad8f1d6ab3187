import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions, TextField } from "~/components/forms";
import { Button, Card, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import { createSession, personNames, roomsOf, schedulableStudios, suggestForSession } from "~/domain/sessions";
import { SessionFormSchema, SessionSuggestSchema } from "~/domain/sessions/schemas";
import { getSessionKinds } from "~/domain/settings/session-kinds.server";
import { redirectWithFlash } from "~/http/flash.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { intentOf, parseSessionsForm, refusal, reply, tickedIds } from "./studios._index/sessions-form.server";
import { ConflictReport, FacilitatorPicker, PlacementFields, TimeFields, useFieldLabels, type SessionsState } from "./studios._index/session-parts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:session");
  const db = getDb();
  const studios = schedulableStudios(db, user);
  const asked = idFromParam(new URL(request.url).searchParams.get("studioId") ?? undefined);
  return {
    studios,
    rooms: studios.flatMap((s) => roomsOf(db, s.id).map((r) => ({ id: r.id, studioId: r.studioId, nameZh: r.nameZh, nameEn: r.nameEn, capacity: r.capacity }))),
    kinds: getSessionKinds(db),
    studioId: studios.some((s) => s.id === asked) ? asked : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:session");
  const db = getDb();
  const intent = await intentOf(request);
  if (intent === "suggest") {
    const form = await parseSessionsForm(request, SessionSuggestSchema);
    const people = personNames(db, tickedIds(form.values));
    if (!form.ok) return reply({ errors: form.errors, values: form.values, people });
    try {
      return reply({ values: form.values, people, suggestions: suggestForSession(db, user, form.data) }, 200);
    } catch (e) {
      return refusal(e, form.values, { people });
    }
  }
  const form = await parseSessionsForm(request, SessionFormSchema);
  const people = personNames(db, tickedIds(form.values));
  if (!form.ok) return reply({ errors: form.errors, values: form.values, people });
  let id: number;
  try {
    id = createSession(db, actorOf(request, user), user, form.data);
  } catch (e) {
    let suggestions;
    try {
      suggestions = suggestForSession(db, user, form.data);
    } catch {
      suggestions = undefined;
    }
    return refusal(e, form.values, { people, suggestions });
  }
  return redirectWithFlash(`/sessions/${id}`, { kind: "success", key: "sessions.flash.sessionCreated", params: { topic: form.data.topic } });
}

export default function NewSession() {
  const { studios, rooms, kinds, studioId } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as SessionsState;
  const { t } = useT();
  const labels = useFieldLabels();
  if (studios.length === 0) {
    return (
      <>
        <PageHeader title={t("sessions.session.new")} />
        <EmptyState title={t("sessions.noStudios.title")}>{t("sessions.noStudios.body")}</EmptyState>
      </>
    );
  }
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to={studioId ? `/studios/${studioId}` : "/studios"} className="inline-flex min-h-11 items-center">
          ← {t("sessions.studios.title")}
        </Link>
      </p>
      <PageHeader title={t("sessions.session.new")} subtitle={t("sessions.session.newHelp")} />
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={labels} />
          <ConflictReport conflicts={state?.conflicts} />
          <PlacementFields state={state} studios={studios} rooms={rooms} kinds={kinds} defaults={{ studioId, capacity: 12 }} />
          <TextField name="date" type="date" label={t("sessions.field.date")} state={state} required />
          <TimeFields state={state} />
          <FacilitatorPicker state={state} />
          <FormActions>
            <Button name="intent" value="save">
              {t("sessions.session.create")}
            </Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("sessions.session.new");
