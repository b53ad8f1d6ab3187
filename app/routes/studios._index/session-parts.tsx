/**
 * Pieces shared by the studio, group and session pages: the where/what fields, the facilitator
 * picker with suggestions, the recurrence fields, the conflict report and the preview of dates.
 * Not a route (no route.tsx name), no data access, no server modules (browser bundle rule).
 */
import type { ReactNode } from "react";
import { SelectField, TextField, type FormState } from "~/components/forms";
import { Badge, Button, type Tone } from "~/components/ui";
import { weekdayName } from "~/domain/organisation/opening-hours";
import type { RecurrenceSpec } from "~/domain/sessions/recurrence";
import { CAPACITY_MAX, CAPACITY_MIN, EXCEPTION_DATES_MAX, TOPIC_MAX, repeatedValues } from "~/domain/sessions/schemas";
import { sessionKindLabel, type SessionKind } from "~/domain/settings/session-kinds";
import type { MessageKey } from "~/i18n/messages";
import { isMessageKey } from "~/i18n/translate";
import { useT } from "~/i18n/use-t";

export type Person = { personId: number; name: string };
export type SuggestionView = { month: string; people: (Person & { role: "socialWorker" | "peerTutor"; load: number })[] };
export type ConflictView = { local: string; index: number | null; keys: string[] };
export type SessionsState = FormState & {
  conflicts?: ConflictView[];
  suggestions?: SuggestionView;
  preview?: { index: number; local: string; localEnd: string }[];
  excluded?: { index: number; local: string }[];
  people?: Person[];
};

export type StudioOption = { id: number; nameZh: string; nameEn: string };
export type RoomOption = { id: number; studioId: number; nameZh: string; nameEn: string; capacity: number };

const name = (locale: string, p: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? p.nameZh : p.nameEn);

/** Studio, room, topic, kind and capacity. Rooms of every offered studio are listed with their studio (works without JS). */
export function PlacementFields({
  state,
  studios,
  rooms,
  kinds,
  defaults = {},
}: {
  state?: SessionsState;
  studios: StudioOption[];
  rooms: RoomOption[];
  kinds: SessionKind[];
  defaults?: Record<string, string | number | null | undefined>;
}) {
  const { t, locale } = useT();
  const studioName = new Map(studios.map((s) => [s.id, name(locale, s)]));
  const currentKind = String(state?.values?.kind ?? defaults.kind ?? "");
  return (
    <>
      <SelectField
        name="studioId"
        label={t("sessions.field.studio")}
        state={state}
        defaultValue={defaults.studioId}
        required
        placeholder={t("sessions.field.choose")}
        options={studios.map((s) => ({ value: s.id, label: name(locale, s) }))}
      />
      <SelectField
        name="roomId"
        label={t("sessions.field.room")}
        help={t("sessions.field.roomHelp")}
        state={state}
        defaultValue={defaults.roomId}
        placeholder={t("sessions.field.noRoom")}
        options={rooms.map((r) => ({
          value: r.id,
          label: t("sessions.field.roomOption", { studio: studioName.get(r.studioId) ?? "", room: name(locale, r), capacity: r.capacity }),
        }))}
      />
      <TextField name="topic" label={t("sessions.field.topic")} state={state} defaultValue={defaults.topic} required maxLength={TOPIC_MAX} />
      <SelectField
        name="kind"
        label={t("sessions.field.kind")}
        state={state}
        defaultValue={defaults.kind}
        required
        placeholder={t("sessions.field.choose")}
        options={kinds.filter((k) => k.active || k.id === currentKind).map((k) => ({ value: k.id, label: locale === "zh-CN" ? k.zh : k.en }))}
      />
      <TextField
        name="capacity"
        type="number"
        inputMode="numeric"
        label={t("sessions.field.capacity")}
        help={t("sessions.field.capacityHelp", { min: CAPACITY_MIN, max: CAPACITY_MAX })}
        state={state}
        defaultValue={defaults.capacity}
        required
      />
    </>
  );
}

/** Start and end times (24-hour, the program's time zone). */
export function TimeFields({ state, defaults = {} }: { state?: SessionsState; defaults?: Record<string, string | undefined> }) {
  const { t, timeZone } = useT();
  return (
    <div className="grid gap-x-4 sm:grid-cols-2">
      <TextField name="startTime" type="time" label={t("sessions.field.startTime")} help={t("sessions.field.timeHelp", { zone: timeZone })} state={state} defaultValue={defaults.startTime} required />
      <TextField name="endTime" type="time" label={t("sessions.field.endTime")} help={t("sessions.field.timeHelp", { zone: timeZone })} state={state} defaultValue={defaults.endTime} required />
    </div>
  );
}

/**
 * The facilitators: the people already chosen, then the suggestions (free, eligible people of the
 * studio's district, least-loaded this month first, with their load). Without JavaScript the
 * "Suggest facilitators" button sends the form back with the suggestions.
 */
export function FacilitatorPicker({ state, current = [] }: { state?: SessionsState; current?: Person[] }) {
  const { t, tm, locale } = useT();
  const ticked = state?.values ? repeatedValues(state.values, "facilitatorIds") : current.map((p) => String(p.personId));
  const known = new Map<string, Person>();
  for (const p of [...current, ...(state?.people ?? []), ...(state?.suggestions?.people ?? [])]) known.set(String(p.personId), p);
  const chosen = ticked.map((id) => known.get(id) ?? { personId: Number(id), name: t("sessions.facilitators.unknownPerson", { id }) });
  const suggestions = (state?.suggestions?.people ?? []).filter((p) => !ticked.includes(String(p.personId)));
  const error = state?.errors?.facilitatorIds;
  const monthLabel = state?.suggestions
    ? new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${state.suggestions.month}-15T00:00:00Z`))
    : "";
  return (
    <fieldset id="f-facilitatorIds" tabIndex={-1} className="mb-4 rounded-card border border-line p-3" aria-describedby={error ? "f-facilitatorIds-error" : "f-facilitatorIds-help"}>
      <legend className="px-1 font-medium">
        {t("sessions.field.facilitators")}
        <span className="ml-1 text-danger" aria-hidden="true">*</span>
      </legend>
      <p id="f-facilitatorIds-help" className="text-sm text-muted">
        {t("sessions.field.facilitatorsHelp")}
      </p>
      {error && (
        <p id="f-facilitatorIds-error" className="mt-1 text-sm font-medium text-danger">
          {tm(error)}
        </p>
      )}
      {chosen.length > 0 && (
        <ul className="mt-2 grid gap-1" aria-label={t("sessions.facilitators.chosen")}>
          {chosen.map((p) => (
            <li key={p.personId}>
              <label className="flex min-h-11 items-center gap-3">
                <input type="checkbox" name="facilitatorIds" value={p.personId} defaultChecked className="h-5 w-5" />
                <span>{p.name}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {state?.suggestions && (
        <div className="mt-3">
          <p className="font-medium">{t("sessions.facilitators.suggested", { month: monthLabel })}</p>
          {suggestions.length === 0 ? (
            <p className="text-sm text-muted">{t("sessions.facilitators.noneFree")}</p>
          ) : (
            <ul className="mt-1 grid gap-1">
              {suggestions.map((p) => (
                <li key={p.personId}>
                  <label className="flex min-h-11 flex-wrap items-center gap-x-3">
                    <input type="checkbox" name="facilitatorIds" value={p.personId} className="h-5 w-5" />
                    <span>{p.name}</span>
                    <span className="text-sm text-muted">
                      {t(p.role === "socialWorker" ? "sessions.facilitators.socialWorker" : "sessions.facilitators.peerTutor")} ·{" "}
                      {t("sessions.facilitators.load", { count: p.load })}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="mt-3">
        <Button kind="secondary" name="intent" value="suggest" formNoValidate>
          {t("sessions.facilitators.suggest")}
        </Button>
      </div>
    </fieldset>
  );
}

/** Weekdays, frequency, end (N times or until a date) and exception dates. */
export function RecurrenceFields({ state, defaults = {} }: { state?: SessionsState; defaults?: Record<string, string | undefined> }) {
  const { t, tm, locale } = useT();
  const value = (n: string) => state?.values?.[n] ?? defaults[n] ?? "";
  const days = state?.values ? repeatedValues(state.values, "weekdays") : (defaults.weekdays ?? "").split(",").filter(Boolean);
  const endKind = value("endKind") || "count";
  const weekdaysError = state?.errors?.weekdays;
  const endError = state?.errors?.endKind;
  return (
    <>
      <TextField name="startDate" type="date" label={t("sessions.field.startDate")} help={t("sessions.field.startDateHelp")} state={state} defaultValue={defaults.startDate} required />
      <SelectField
        name="frequency"
        label={t("sessions.field.frequency")}
        state={state}
        defaultValue={defaults.frequency ?? "weekly"}
        required
        options={[
          { value: "weekly", label: t("sessions.frequency.weekly") },
          { value: "fortnightly", label: t("sessions.frequency.fortnightly") },
        ]}
      />
      <fieldset id="f-weekdays" tabIndex={-1} className="mb-4" aria-describedby={weekdaysError ? "f-weekdays-error" : undefined}>
        <legend className="font-medium">
          {t("sessions.field.weekdays")}
          <span className="ml-1 text-danger" aria-hidden="true">*</span>
        </legend>
        <div className="mt-1 flex flex-wrap gap-x-4">
          {[1, 2, 3, 4, 5, 6, 7].map((w) => (
            <label key={w} className="flex min-h-11 items-center gap-2">
              <input type="checkbox" name="weekdays" value={w} defaultChecked={days.includes(String(w))} className="h-5 w-5" />
              <span>{weekdayName(locale, w)}</span>
            </label>
          ))}
        </div>
        {weekdaysError && (
          <p id="f-weekdays-error" className="mt-1 text-sm font-medium text-danger">
            {tm(weekdaysError)}
          </p>
        )}
      </fieldset>
      <fieldset id="f-endKind" tabIndex={-1} className="mb-4 rounded-card border border-line p-3" aria-describedby={endError ? "f-endKind-error" : undefined}>
        <legend className="px-1 font-medium">
          {t("sessions.field.ends")}
          <span className="ml-1 text-danger" aria-hidden="true">*</span>
        </legend>
        {endError && (
          <p id="f-endKind-error" className="mt-1 text-sm font-medium text-danger">
            {tm(endError)}
          </p>
        )}
        <div className="grid gap-x-4 sm:grid-cols-2">
          <div>
            <label className="flex min-h-11 items-center gap-2">
              <input type="radio" name="endKind" value="count" defaultChecked={endKind === "count"} className="h-5 w-5" />
              <span>{t("sessions.field.endAfter")}</span>
            </label>
            <TextField name="count" type="number" inputMode="numeric" label={t("sessions.field.count")} help={t("sessions.field.countHelp")} state={state} defaultValue={defaults.count} />
          </div>
          <div>
            <label className="flex min-h-11 items-center gap-2">
              <input type="radio" name="endKind" value="until" defaultChecked={endKind === "until"} className="h-5 w-5" />
              <span>{t("sessions.field.endOn")}</span>
            </label>
            <TextField name="until" type="date" label={t("sessions.field.until")} state={state} defaultValue={defaults.until} />
          </div>
        </div>
      </fieldset>
      <TextField
        name="exceptionDates"
        multiline
        label={t("sessions.field.exceptionDates")}
        help={t("sessions.field.exceptionDatesHelp", { max: EXCEPTION_DATES_MAX })}
        state={state}
        defaultValue={defaults.exceptionDates}
      />
    </>
  );
}

/** Every conflicting date with its reasons: nothing was saved. */
export function ConflictReport({ conflicts }: { conflicts?: ConflictView[] }) {
  const { t, tm, date } = useT();
  if (!conflicts || conflicts.length === 0) return null;
  return (
    <section aria-labelledby="conflicts-title" className="mb-4 rounded-card border border-danger/40 bg-danger-soft p-4">
      <h2 id="conflicts-title" className="text-base text-danger">
        {t("sessions.conflict.title", { count: conflicts.length })}
      </h2>
      <ul className="mt-2 grid gap-2">
        {conflicts.map((c) => (
          <li key={c.local}>
            <p className="font-medium">
              {date(c.local.slice(0, 10))} {c.local.slice(11)}
              {c.index !== null && <span className="ml-2 text-sm font-normal text-muted">{t("sessions.occurrence", { n: c.index })}</span>}
            </p>
            <ul className="list-disc pl-5">
              {c.keys.map((k) => (
                <li key={k}>{tm(k)}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The dates a series will take, before it is saved. */
export function PreviewList({ preview, excluded = [] }: { preview?: { index: number; local: string; localEnd: string }[]; excluded?: { index: number; local: string }[] }) {
  const { t, date, locale } = useT();
  if (!preview) return null;
  return (
    <section aria-labelledby="preview-title" className="mb-4 rounded-card border border-ok/40 bg-ok-soft p-4">
      <h2 id="preview-title" className="text-base">
        {t("sessions.preview.title", { count: preview.length })}
      </h2>
      <ol className="mt-2 grid gap-1 sm:grid-cols-2">
        {preview.map((p) => (
          <li key={p.index}>
            <span className="tabular-nums text-muted">{p.index}.</span> {date(p.local.slice(0, 10))} {p.local.slice(11)}–{p.localEnd.slice(11)}
          </li>
        ))}
      </ol>
      {excluded.length > 0 && (
        <p className="mt-2 text-sm text-muted">
          {t("sessions.preview.skipped", { dates: excluded.map((e) => date(e.local.slice(0, 10))).join(locale === "zh-CN" ? "、" : ", ") })}
        </p>
      )}
    </section>
  );
}

export const STATUS_TONES: Record<"scheduled" | "cancelled" | "held", Tone> = { scheduled: "brand", cancelled: "danger", held: "ok" };

export function SessionStatusBadge({ status }: { status: "scheduled" | "cancelled" | "held" }) {
  const { t } = useT();
  return <Badge tone={STATUS_TONES[status]}>{t(`sessions.status.${status}`)}</Badge>;
}

/** "Weekly on Tue, Thu · 19:00–20:30 · 8 times" in the reader's language. */
export function useScheduleSummary() {
  const { t, locale, date } = useT();
  return (spec: RecurrenceSpec | null, startTime: string, endTime: string): string => {
    if (!spec) return `${startTime}–${endTime}`;
    const days = spec.weekdays.map((w) => weekdayName(locale, w, "short")).join(locale === "zh-CN" ? "、" : ", ");
    const how = t(spec.frequency === "fortnightly" ? "sessions.recurrence.summaryFortnightly" : "sessions.recurrence.summaryWeekly", { days });
    const end = spec.count !== null ? t("sessions.recurrence.summaryCount", { count: spec.count }) : spec.until ? t("sessions.recurrence.summaryUntil", { date: date(spec.until) }) : "";
    return [how, `${startTime}–${endTime}`, end].filter(Boolean).join(" · ");
  };
}

export function useKindLabel(kinds: SessionKind[]) {
  const { locale } = useT();
  return (id: string) => sessionKindLabel(kinds, id, locale);
}

/** A stored reason may be a message key (e.g. a series change); show it translated. */
export function useReasonText() {
  const { t } = useT();
  return (reason: string) => (isMessageKey(reason) ? t(reason as MessageKey) : reason);
}

export function FieldGroup({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <fieldset className="mb-2">
      <legend className="mb-2 text-lg font-medium">{title}</legend>
      {children}
    </fieldset>
  );
}

/** Labels of every field of the session and group forms, for the error summary. */
export function useFieldLabels(): Record<string, string> {
  const { t } = useT();
  return {
    studioId: t("sessions.field.studio"),
    roomId: t("sessions.field.room"),
    topic: t("sessions.field.topic"),
    kind: t("sessions.field.kind"),
    capacity: t("sessions.field.capacity"),
    date: t("sessions.field.date"),
    startDate: t("sessions.field.startDate"),
    startTime: t("sessions.field.startTime"),
    endTime: t("sessions.field.endTime"),
    frequency: t("sessions.field.frequency"),
    weekdays: t("sessions.field.weekdays"),
    endKind: t("sessions.field.ends"),
    count: t("sessions.field.count"),
    until: t("sessions.field.until"),
    exceptionDates: t("sessions.field.exceptionDates"),
    facilitatorIds: t("sessions.field.facilitators"),
    fromSessionId: t("sessions.field.fromSession"),
    reason: t("sessions.cancel.reason"),
    confirm: t("sessions.cancel.confirm"),
  };
}
