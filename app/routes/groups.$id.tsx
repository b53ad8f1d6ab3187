import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, forbidden, notFound, requireUserWithPermission } from "~/auth/guards.server";
import { ErrorSummary, FormActions } from "~/components/forms";
import { Badge, Button, Card, DataTable, LinkButton, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import {
  canEditAt,
  editGroupFrom,
  followingDefaults,
  groupDetail,
  personNames,
  previewGroupFrom,
  problemsByDate,
  programTimeZone,
  roomsOf,
  schedulableStudios,
  suggestForGroup,
} from "~/domain/sessions";
import { GroupFormSchema, GroupSuggestSchema } from "~/domain/sessions/schemas";
import { localDateOf, localTimeOf } from "~/domain/sessions/time";
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
  SessionStatusBadge,
  TimeFields,
  useFieldLabels,
  useKindLabel,
  useScheduleSummary,
  type SessionsState,
} from "./studios._index/session-parts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUserWithPermission(request, "read:session");
  const groupId = idFromParam(params.id);
  if (groupId === null) throw notFound();
  const db = getDb();
  const timeZone = programTimeZone(db);
  const detail = groupDetail(db, groupId, timeZone);
  if (!detail) throw notFound();
  const canEdit = canEditAt(user, detail.studio.districtId);
  const from = idFromParam(new URL(request.url).searchParams.get("from") ?? undefined);
  const fromSession = from !== null ? detail.sessions.find((s) => s.id === from && s.status === "scheduled") : undefined;
  const defaults = canEdit && fromSession ? followingDefaults(detail, fromSession.id, timeZone) : null;
  const studios = defaults ? schedulableStudios(db, user) : [];
  return {
    group: {
      id: detail.group.id,
      topic: detail.group.topic,
      kind: detail.group.kind,
      capacity: detail.group.capacity,
      exceptionDates: detail.group.exceptionDates,
    },
    spec: detail.spec,
    startTime: detail.startTime,
    endTime: detail.endTime,
    studio: detail.studio,
    room: detail.room,
    facilitators: detail.facilitators,
    sessions: detail.sessions.map((s) => ({
      ...s,
      date: localDateOf(s.startsAt, timeZone),
      start: localTimeOf(s.startsAt, timeZone),
      end: localTimeOf(s.endsAt, timeZone),
    })),
    now: new Date().toISOString(),
    canEdit,
    defaults,
    fromSession: fromSession ? { id: fromSession.id, date: localDateOf(fromSession.startsAt, timeZone) } : null,
    kinds: getSessionKinds(db),
    studios,
    rooms: studios.flatMap((s) => roomsOf(db, s.id).map((r) => ({ id: r.id, studioId: r.studioId, nameZh: r.nameZh, nameEn: r.nameEn, capacity: r.capacity }))),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUserWithPermission(request, "edit:session");
  const groupId = idFromParam(params.id);
  if (groupId === null) throw notFound();
  const db = getDb();
  const detail = groupDetail(db, groupId, programTimeZone(db));
  if (!detail) throw notFound();
  if (!canEditAt(user, detail.studio.districtId)) throw forbidden();
  const intent = await intentOf(request);
  const movable = (fromSessionId: number | null) => {
    const from = detail.sessions.find((s) => s.id === fromSessionId);
    return from ? detail.sessions.filter((s) => s.status === "scheduled" && s.startsAt >= from.startsAt).map((s) => s.id) : [];
  };

  if (intent === "suggest") {
    const form = await parseSessionsForm(request, GroupSuggestSchema);
    const people = personNames(db, tickedIds(form.values));
    if (!form.ok) return reply({ errors: form.errors, values: form.values, people });
    try {
      return reply({ values: form.values, people, suggestions: suggestForGroup(db, user, { ...form.data, excludeSessionIds: movable(form.data.fromSessionId) }) }, 200);
    } catch (e) {
      return refusal(e, form.values, { people });
    }
  }

  const form = await parseSessionsForm(request, GroupFormSchema);
  const people = personNames(db, tickedIds(form.values));
  if (!form.ok) return reply({ errors: form.errors, values: form.values, people });
  if (form.data.fromSessionId === null) return reply({ errors: { fromSessionId: "form.required" }, values: form.values, people });
  const fromSessionId = form.data.fromSessionId;
  if (intent === "preview") {
    try {
      const plan = previewGroupFrom(db, user, groupId, fromSessionId, form.data);
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
  let result: ReturnType<typeof editGroupFrom>;
  try {
    result = editGroupFrom(db, actorOf(request, user), user, groupId, fromSessionId, form.data);
  } catch (e) {
    return refusal(e, form.values, { people });
  }
  return redirectWithFlash(`/groups/${result.groupId}`, {
    kind: "success",
    key: "sessions.flash.groupChanged",
    params: { moved: result.moved, added: result.added, removed: result.removed + result.cancelled },
  });
}

export default function GroupPage() {
  const data = useLoaderData<typeof loader>();
  const { group, spec, startTime, endTime, studio, room, facilitators, sessions, now, canEdit, defaults, fromSession, kinds, studios, rooms } = data;
  const state = useActionData<typeof action>() as SessionsState;
  const { t, locale, date } = useT();
  const labels = useFieldLabels();
  const kindLabel = useKindLabel(kinds);
  const summary = useScheduleSummary();
  const name = (p: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? p.nameZh : p.nameEn);
  const upcoming = sessions.filter((s) => s.status === "scheduled" && s.endsAt >= now);
  const nextUp = upcoming[0];
  return (
    <div className="max-w-4xl">
      <p className="mb-2">
        <Link to={`/studios/${studio.id}`} className="inline-flex min-h-11 items-center">
          ← {name(studio)}
        </Link>
      </p>
      <PageHeader
        title={group.topic}
        subtitle={summary(spec, startTime, endTime)}
        badges={
          <>
            <Badge tone="brand">{kindLabel(group.kind)}</Badge>
            <Badge>{t("sessions.studio.groupCapacity", { count: group.capacity })}</Badge>
          </>
        }
        actions={
          canEdit && nextUp && !defaults ? (
            <LinkButton to={`/groups/${group.id}?from=${nextUp.id}`}>{t("sessions.group.changeFromNext")}</LinkButton>
          ) : null
        }
      />

      {defaults && fromSession ? (
        <Card title={t("sessions.group.changeFollowingTitle", { date: date(fromSession.date) })} className="mb-4">
          <p className="mb-3 text-muted">{t("sessions.group.changeFollowingHelp")}</p>
          <Form method="post" noValidate>
            <ErrorSummary state={state} labels={labels} />
            <ConflictReport conflicts={state?.conflicts} />
            <PreviewList preview={state?.preview} excluded={state?.excluded} />
            <input type="hidden" name="fromSessionId" value={fromSession.id} />
            <PlacementFields state={state} studios={studios} rooms={rooms} kinds={kinds} defaults={defaults} />
            <RecurrenceFields state={state} defaults={defaults} />
            <TimeFields state={state} defaults={defaults} />
            <FacilitatorPicker state={state} current={facilitators} />
            <FormActions>
              <Button name="intent" value="save">
                {t("sessions.group.saveFollowing")}
              </Button>
              <Button name="intent" value="preview" kind="secondary">
                {t("sessions.group.preview")}
              </Button>
              <LinkButton to={`/groups/${group.id}`} kind="ghost">
                {t("form.cancel")}
              </LinkButton>
            </FormActions>
          </Form>
        </Card>
      ) : (
        <Card title={t("sessions.group.details")} className="mb-4">
          <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
            <dt className="font-medium">{t("sessions.field.studio")}</dt>
            <dd>
              <Link to={`/studios/${studio.id}`}>{name(studio)}</Link>
            </dd>
            <dt className="font-medium">{t("sessions.field.room")}</dt>
            <dd>{room ? name(room) : <span className="text-muted">{t("sessions.field.noRoom")}</span>}</dd>
            <dt className="font-medium">{t("sessions.field.facilitators")}</dt>
            <dd>{facilitators.map((f) => f.name).join(locale === "zh-CN" ? "、" : ", ")}</dd>
            {group.exceptionDates.length > 0 && (
              <>
                <dt className="font-medium">{t("sessions.field.exceptionDates")}</dt>
                <dd>{group.exceptionDates.map((d) => date(d)).join(locale === "zh-CN" ? "、" : ", ")}</dd>
              </>
            )}
          </dl>
        </Card>
      )}

      <Card title={t("sessions.group.sessions", { count: sessions.length })}>
        <DataTable
          caption={t("sessions.group.sessionsCaption", { topic: group.topic })}
          rows={sessions}
          rowKey={(s) => s.id}
          columns={[
            {
              key: "when",
              header: t("sessions.col.when"),
              primary: true,
              cell: (s) => (
                <Link to={`/sessions/${s.id}`} className="inline-flex min-h-11 items-center">
                  {date(s.date)} {s.start}–{s.end}
                </Link>
              ),
            },
            { key: "n", header: t("sessions.col.occurrence"), cell: (s) => (s.occurrence === null ? "—" : String(s.occurrence)) },
            {
              key: "status",
              header: t("sessions.col.status"),
              cell: (s) => (
                <span className="flex flex-wrap gap-1">
                  <SessionStatusBadge status={s.status} />
                  {s.detached && s.status !== "cancelled" && <Badge tone="warn">{t("sessions.changed")}</Badge>}
                </span>
              ),
            },
            {
              key: "actions",
              header: t("sessions.col.actions"),
              cell: (s) =>
                canEdit && s.status === "scheduled" ? (
                  <span className="flex flex-wrap gap-2">
                    <Link to={`/sessions/${s.id}?edit=1`} className="inline-flex min-h-11 items-center">
                      {t("sessions.session.changeOneShort")}
                    </Link>
                    <Link to={`/groups/${group.id}?from=${s.id}`} className="inline-flex min-h-11 items-center">
                      {t("sessions.session.changeFollowingShort")}
                    </Link>
                  </span>
                ) : null,
            },
          ]}
        />
      </Card>
    </div>
  );
}

export const meta = titled("sessions.group.title");
