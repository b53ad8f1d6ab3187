import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, type ShouldRevalidateFunctionArgs } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary, SelectField, TextField, type FormState } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Badge, Button, Card, EmptyState, cx } from "~/components/ui";
import { getDb } from "~/db.server";
import {
  contactFormSchema,
  discardContactDraft,
  getContactDraft,
  lastContactIdBy,
  listContacts,
  recordContact,
  saveContactDraft,
  type ContactRules,
} from "~/domain/clients";
import {
  CONTACT_MOODS,
  CONTACT_PARTICIPANTS,
  CONTACT_RISK_MAX,
  CONTACT_SUMMARY_MAX,
  localInputFromUtc,
} from "~/domain/clients/contact-fields";
import { getContactTypes, getSettings } from "~/domain/settings";
import { isDomainError } from "~/domain/shared/errors";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { requireClient } from "~/http/client-guard.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, parseForm, readForm } from "~/http/forms.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * A client's contact log: the form to log a contact at the top (fast on a phone: native inputs,
 * big targets, "now" prefilled) and the contacts the viewer may read below, newest first. What is
 * typed is never lost: a failed submission returns everything and keeps a server-side draft, and
 * with JavaScript on a small script saves the draft every ~10 s; after a timed-out session the
 * sign-in brings the person back here and the draft is restored into the form.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, access } = requireClient(request, params, { audit: "contacts" });
  if (!access.can.readContacts) throw forbidden();
  const db = getDb();
  const now = new Date();
  const { timeZone } = getSettings(db);
  const page = pageFromUrl(new URL(request.url));
  const { rows, total } = listContacts(db, access, user, page);
  const canAdd = access.can.addContact && access.client.status !== "closed";
  const draft = canAdd ? getContactDraft(db, user.id, access.client.id, now) : null;
  return {
    clientId: access.client.id,
    canAdd,
    closed: access.client.status === "closed",
    types: getContactTypes(db),
    nowLocal: localInputFromUtc(now, timeZone),
    draft,
    // the form is remounted (cleared) when this person saves a contact or drops their draft, and
    // only then: a reload for any other reason keeps what is being typed
    formKey: `${lastContactIdBy(db, access.client.id, user.id)}-${draft ? "draft" : ""}`,
    rows,
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
  };
}

// The form's schema is the domain's (contactFormSchema in app/domain/clients/contacts.server.ts):
// it needs the organisation's contact types, the time zone and "now", so it is built per request.
function rulesFor(now: Date): ContactRules {
  const db = getDb();
  return { types: getContactTypes(db), timeZone: getSettings(db).timeZone, now };
}

const isLoginRedirect = (e: unknown) => e instanceof Response && e.status === 302 && (e.headers.get("Location") ?? "").startsWith("/login");

async function intentOf(request: Request): Promise<string> {
  try {
    const value = (await request.clone().formData()).get("intent");
    return typeof value === "string" ? value : "save";
  } catch {
    return "save";
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  let guard: ReturnType<typeof requireClient>;
  try {
    guard = requireClient(request, params);
  } catch (e) {
    // the autosave of a timed-out session answers quietly instead of navigating away mid-typing
    if (isLoginRedirect(e) && (await intentOf(request)) === "draft") return data({ expired: true as const }, { status: 401 });
    throw e;
  }
  const { access, actor } = guard;
  if (!access.can.addContact) throw forbidden();
  const db = getDb();
  const now = new Date();
  const intent = await intentOf(request);
  const back = `/clients/${access.client.id}/contacts`;

  if (intent === "draft") {
    const input = await readForm(request);
    if (!input) return data({ expired: false as const, draftSavedAt: null }, { status: 400 });
    try {
      const draft = saveContactDraft(db, actor, access, { ...input.values, participants: (input.multi.participants ?? []).join(",") }, now);
      return { expired: false as const, draftSavedAt: draft.savedAt };
    } catch (e) {
      if (isDomainError(e)) return data({ expired: false as const, draftSavedAt: null }, { status: 400 });
      throw e;
    }
  }
  if (intent === "discardDraft") {
    discardContactDraft(db, actor, access.client.id, now);
    return redirectWithFlash(back, { kind: "info", key: "contacts.draft.discarded" });
  }

  let participants: string[] = [];
  const form = await parseForm(request, contactFormSchema(rulesFor(now)), (input) => {
    participants = input.multi.participants ?? [];
    return { ...input.values, participants };
  });
  const values = { ...form.values, participants: participants.join(",") };
  delete (values as Record<string, string>).intent;
  let errors: Record<string, string> | null = null;
  if (!form.ok) {
    errors = form.errors;
  } else {
    try {
      recordContact(db, actor, access, form.data, rulesFor(now));
      return redirectWithFlash(back, { kind: "success", key: "contacts.saved" });
    } catch (e) {
      if (!isDomainError(e)) throw e;
      errors = { [e.field]: e.key };
    }
  }
  // nothing typed is lost: the answer carries it back, and the draft keeps it should the person leave
  if (access.client.status !== "closed") saveContactDraft(db, actor, access, values, now);
  return badForm({ errors, values });
}

type Types = ReturnType<typeof useLoaderData<typeof loader>>["types"];

function typeLabel(types: Types, id: string, locale: string, t: ReturnType<typeof useT>["t"]): string {
  const type = types.find((x) => x.id === id);
  if (!type) return t("contacts.list.unknownType", { id });
  return locale === "zh-CN" ? type.zh : type.en;
}

export default function ContactsPage() {
  const { canAdd, closed, rows, total, page, pages, types } = useLoaderData<typeof loader>();
  const { t, locale, dateTime, date } = useT();
  return (
    <div className="grid gap-5">
      {canAdd ? (
        <ContactForm />
      ) : (
        <p className="rounded-card border border-line bg-surface p-4 text-muted">{closed ? t("contacts.form.closed") : t("contacts.form.readOnly")}</p>
      )}
      <section aria-labelledby="contacts-list">
        <h2 id="contacts-list" className="mb-3">
          {t("contacts.list.heading")}
        </h2>
        {rows.length === 0 ? (
          <EmptyState title={t("contacts.list.empty")}>{t("contacts.list.emptyHelp")}</EmptyState>
        ) : (
          <ol className="grid gap-3">
            {rows.map((c) => (
              <li key={c.id}>
                <article className="rounded-card border border-line bg-surface p-4">
                  <header className="flex flex-wrap items-center gap-2">
                    <h3 className="text-base font-semibold">{typeLabel(types, c.type, locale, t)}</h3>
                    <span className="text-muted">
                      <time dateTime={c.happenedAt}>{dateTime(c.happenedAt)}</time> · {t("contacts.list.minutes", { minutes: c.durationMinutes })}
                    </span>
                    {c.private && <Badge tone="brand">{t("contacts.list.private")}</Badge>}
                  </header>
                  <p className="text-sm text-muted">{t("contacts.list.by", { name: c.authorName })}</p>
                  <p className="mt-2 whitespace-pre-wrap break-words">{c.summary}</p>
                  <dl className="mt-2 grid gap-1 text-sm">
                    {c.participants.length > 0 && (
                      <dd>{t("contacts.list.with", { list: c.participants.map((p) => participantLabel(p, t)).join(locale === "zh-CN" ? "、" : ", ") })}</dd>
                    )}
                    {c.mood && <dd>{t("contacts.list.mood", { mood: moodLabel(c.mood, t) })}</dd>}
                    {c.riskObservation && <dd className="whitespace-pre-wrap break-words">{t("contacts.list.risk", { text: c.riskObservation })}</dd>}
                    {c.nextContactDue && <dd>{t("contacts.list.next", { date: date(c.nextContactDue) })}</dd>}
                  </dl>
                </article>
              </li>
            ))}
          </ol>
        )}
        {total > 0 && <Pagination page={page} pages={pages} total={total} />}
      </section>
    </div>
  );
}

function participantLabel(id: string, t: ReturnType<typeof useT>["t"]): string {
  return (CONTACT_PARTICIPANTS as readonly string[]).includes(id) ? t(`contacts.participant.${id}` as MessageKey) : id;
}

function moodLabel(id: string, t: ReturnType<typeof useT>["t"]): string {
  return (CONTACT_MOODS as readonly string[]).includes(id) ? t(`contacts.mood.${id}` as MessageKey) : id;
}

/** The contact form, remounted (cleared) after each saved contact. */
function ContactForm() {
  const { formKey } = useLoaderData<typeof loader>();
  return <ContactFormBody key={formKey} />;
}

function ContactFormBody() {
  const { types, nowLocal, draft } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, tm, locale, dateTime } = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const autosave = useDraftAutosave(formRef);
  const failed = actionData && "errors" in actionData ? actionData : undefined;
  const restored = !failed && draft ? draft : null;
  const state: FormState = failed ?? (restored ? { values: restored.values } : undefined);
  const values = state?.values;
  const checkedParticipants = new Set((values?.participants ?? "").split(",").filter(Boolean));
  const chosenType = values?.type ?? "";
  const labels: Record<string, ReactNode> = {
    type: t("contacts.field.type"),
    happenedAt: t("contacts.field.happenedAt"),
    durationMinutes: t("contacts.field.durationMinutes"),
    participants: t("contacts.field.participants"),
    summary: t("contacts.field.summary"),
    mood: t("contacts.field.mood"),
    riskObservation: t("contacts.field.riskObservation"),
    nextContactDue: t("contacts.field.nextContactDue"),
  };
  const typeError = state?.errors?.type;
  const participantsError = state?.errors?.participants;
  return (
    <Card title={t("contacts.form.heading")} className="scroll-mt-4">
      <div id="contact-form" />
      {restored && (
        <div className="mb-4 flex flex-wrap items-center justify-between gap-2 rounded-lg border border-brand/30 bg-brand-soft p-3" role="status">
          <span>{t("contacts.draft.restored", { time: dateTime(restored.savedAt) })}</span>
          <Form method="post">
            <input type="hidden" name="intent" value="discardDraft" />
            <Button kind="secondary">{t("contacts.draft.discard")}</Button>
          </Form>
        </div>
      )}
      <Form method="post" noValidate ref={formRef}>
        <ErrorSummary state={state} labels={labels} />
        <fieldset className="mb-4" aria-describedby={typeError ? "f-type-error" : undefined}>
          <legend className="font-medium">
            {t("contacts.field.type")}
            <span className="ml-1 text-danger" aria-hidden="true">*</span>
          </legend>
          <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
            {types
              .filter((type) => type.active || type.id === chosenType)
              .map((type, i) => (
                <label
                  key={type.id}
                  className="flex min-h-14 cursor-pointer items-center gap-3 rounded-lg border border-line bg-surface px-3 py-2 has-[:checked]:border-brand has-[:checked]:bg-brand-soft has-[:checked]:font-medium"
                >
                  <input
                    type="radio"
                    name="type"
                    value={type.id}
                    id={i === 0 ? "f-type" : undefined}
                    defaultChecked={chosenType === type.id}
                    required
                    className="h-5 w-5 shrink-0"
                  />
                  <span>{locale === "zh-CN" ? type.zh : type.en}</span>
                </label>
              ))}
          </div>
          {typeError && (
            <p id="f-type-error" className="mt-1 text-sm font-medium text-danger">
              {tm(typeError)}
            </p>
          )}
        </fieldset>
        <div className="grid gap-x-4 sm:grid-cols-2">
          <TextField
            name="happenedAt"
            type="datetime-local"
            label={t("contacts.field.happenedAt")}
            help={t("contacts.field.happenedAtHelp")}
            state={state}
            defaultValue={nowLocal}
            required
          />
          <TextField
            name="durationMinutes"
            type="number"
            inputMode="numeric"
            label={t("contacts.field.durationMinutes")}
            help={t("contacts.field.durationHelp")}
            state={state}
            required
          />
        </div>
        <fieldset className="mb-4" aria-describedby={participantsError ? "f-participants-error" : undefined}>
          <legend className="font-medium">
            {t("contacts.field.participants")}
            <span className="ml-2 text-sm font-normal text-muted">({t("form.optional")})</span>
          </legend>
          <div className="mt-1 grid grid-cols-2 gap-x-4 sm:grid-cols-4">
            {CONTACT_PARTICIPANTS.map((p, i) => (
              <label key={p} className="flex min-h-11 items-center gap-3">
                <input
                  type="checkbox"
                  name="participants"
                  value={p}
                  id={i === 0 ? "f-participants" : undefined}
                  defaultChecked={checkedParticipants.has(p)}
                  className="h-5 w-5"
                />
                <span>{t(`contacts.participant.${p}`)}</span>
              </label>
            ))}
          </div>
          {participantsError && (
            <p id="f-participants-error" className="mt-1 text-sm font-medium text-danger">
              {tm(participantsError)}
            </p>
          )}
        </fieldset>
        <TextField
          name="summary"
          multiline
          label={t("contacts.field.summary")}
          help={t("contacts.field.summaryHelp")}
          state={state}
          required
          maxLength={CONTACT_SUMMARY_MAX}
        />
        <div className="grid gap-x-4 sm:grid-cols-2">
          <SelectField
            name="mood"
            label={t("contacts.field.mood")}
            state={state}
            placeholder={t("contacts.field.moodNone")}
            options={CONTACT_MOODS.map((m) => ({ value: m, label: t(`contacts.mood.${m}`) }))}
          />
          <TextField
            name="nextContactDue"
            type="date"
            label={t("contacts.field.nextContactDue")}
            help={t("contacts.field.nextContactDueHelp")}
            state={state}
          />
        </div>
        <TextField
          name="riskObservation"
          multiline
          label={t("contacts.field.riskObservation")}
          help={t("contacts.field.riskHelp")}
          state={state}
          maxLength={CONTACT_RISK_MAX}
        />
        <label className="mb-2 flex min-h-11 items-center gap-3">
          <input type="checkbox" name="private" value="on" defaultChecked={values?.private === "on"} className="h-5 w-5" />
          <span>{t("contacts.field.private")}</span>
        </label>
        <div className="mt-6 flex flex-wrap items-center gap-3">
          <Button name="intent" value="save" className="w-full sm:w-auto" disabled={navigation.state === "submitting"}>
            {t("contacts.submit")}
          </Button>
          <span className={cx("text-sm", autosave.expired ? "font-medium text-warn" : "text-muted")} aria-live="polite">
            {autosave.expired
              ? t("contacts.draft.expired")
              : autosave.savedAt
                ? t("contacts.draft.savedAt", { time: dateTime(autosave.savedAt) })
                : ""}
          </span>
        </div>
      </Form>
    </Card>
  );
}

const AUTOSAVE_MS = 10_000;

/**
 * Saves the form as a server-side draft every ~10 s while its content changes, and when the page
 * is hidden (a phone locked in a stairwell). Nothing is saved for a form nobody touched.
 */
function useDraftAutosave(formRef: React.RefObject<HTMLFormElement | null>) {
  const fetcher = useFetcher<typeof action>({ key: "contact-draft" });
  const submit = useRef(fetcher.submit);
  submit.current = fetcher.submit;
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const snapshot = () => new URLSearchParams(new FormData(form) as unknown as Record<string, string>).toString();
    let last = snapshot();
    const save = () => {
      const now = snapshot();
      if (now === last) return;
      last = now;
      const body = new FormData(form);
      body.set("intent", "draft");
      submit.current(body, { method: "post" });
    };
    // what is being submitted is not saved again as a draft behind the submission's back
    const onSubmit = () => {
      last = snapshot();
    };
    const onHide = () => {
      if (document.visibilityState === "hidden") save();
    };
    const timer = window.setInterval(save, AUTOSAVE_MS);
    form.addEventListener("submit", onSubmit);
    document.addEventListener("visibilitychange", onHide);
    return () => {
      window.clearInterval(timer);
      form.removeEventListener("submit", onSubmit);
      document.removeEventListener("visibilitychange", onHide);
    };
  }, [formRef]);
  const d = fetcher.data;
  return {
    savedAt: d && "draftSavedAt" in d ? d.draftSavedAt : null,
    expired: Boolean(d && "expired" in d && d.expired),
  };
}

export const meta = titled("contacts.title");

/** Autosaving a draft changes nothing this page shows: its loader (and view audit) does not run again. */
export function shouldRevalidate({ formData, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (formData?.get("intent") === "draft") return false;
  return defaultShouldRevalidate;
}
