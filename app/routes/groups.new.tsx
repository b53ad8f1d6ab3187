import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions } from "~/components/forms";
import { Button, Card, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import { problemsByDate, createGroup, personNames, planGroup, roomsOf, schedulableStudios, suggestForGroup } from "~/domain/sessions";
import { MAX_OCCURRENCES } from "~/domain/sessions/limits";
import { GroupFormSchema, GroupSuggestSchema } from "~/domain/sessions/schemas";
import { getSessionKinds } from "~/domain/settings/session-kinds.server";
import { redirectWithFlash } from "~/http/flash.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { intentOf, parseSessionsForm, refusal, reply, tickedIds } from "./studios._index/sessions-form.server";
import {
  ConflictReport,
  FacilitatorPicker,
  PlacementFields,
  PreviewList,
  RecurrenceFields,
  TimeFields,
  useFieldLabels,
  type SessionsState,
} from "./studios._index/session-parts";

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
    const form = await parseSessionsForm(request, GroupSuggestSchema);
    const people = personNames(db, tickedIds(form.values));
    if (!form.ok) return reply({ errors: form.errors, values: form.values, people });
    try {
      return reply({ values: form.values, people, suggestions: suggestForGroup(db, user, form.data) }, 200);
    } catch (e) {
      return refusal(e, form.values, { people });
    }
  }
  const form = await parseSessionsForm(request, GroupFormSchema);
  const people = personNames(db, tickedIds(form.values));
  if (!form.ok) return reply({ errors: form.errors, values: form.values, people });
  if (intent === "preview") {
    try {
      const plan = planGroup(db, user, form.data);
      return reply(
        {
          values: form.values,
          people,
          preview: plan.slots.map((s) => ({ index: s.index ?? 0, local: s.local, localEnd: s.localEnd })),
          excluded: plan.excluded,
          conflicts: problemsByDate(plan.problems),
        },
        200,
      );
    } catch (e) {
      return refusal(e, form.values, { people });
    }
  }
  let created: { groupId: number; sessionIds: number[] };
  try {
    created = createGroup(db, actorOf(request, user), user, form.data);
  } catch (e) {
    return refusal(e, form.values, { people });
  }
  return redirectWithFlash(`/groups/${created.groupId}`, {
    kind: "success",
    key: "sessions.flash.groupCreated",
    params: { topic: form.data.topic, count: created.sessionIds.length },
  });
}

export default function NewGroup() {
  const { studios, rooms, kinds, studioId } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as SessionsState;
  const { t } = useT();
  const labels = useFieldLabels();
  if (studios.length === 0) {
    return (
      <>
        <PageHeader title={t("sessions.group.new")} />
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
      <PageHeader title={t("sessions.group.new")} subtitle={t("sessions.group.newHelp", { max: MAX_OCCURRENCES })} />
      <Card>
        <Form method="post" noValidate>
          <ErrorSummary state={state} labels={labels} />
          <ConflictReport conflicts={state?.conflicts} />
          <PreviewList preview={state?.preview} excluded={state?.excluded} />
          <PlacementFields state={state} studios={studios} rooms={rooms} kinds={kinds} defaults={{ studioId, capacity: 12 }} />
          <RecurrenceFields state={state} defaults={{ frequency: "weekly", endKind: "count", count: "8" }} />
          <TimeFields state={state} />
          <FacilitatorPicker state={state} />
          <FormActions>
            <Button name="intent" value="save">
              {t("sessions.group.create")}
            </Button>
            <Button name="intent" value="preview" kind="secondary">
              {t("sessions.group.preview")}
            </Button>
          </FormActions>
        </Form>
      </Card>
    </div>
  );
}

export const meta = titled("sessions.group.new");
