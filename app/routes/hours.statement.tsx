import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { forbidden, notFound, requireUser } from "~/auth/guards.server";
import { can, rowScope } from "~/auth/permissions";
import { ErrorSummary, TextField } from "~/components/forms";
import { useNonce } from "~/components/nonce";
import { Button } from "~/components/ui";
import { getDb } from "~/db.server";
import { addDays } from "~/domain/clients/dates";
import { getSettings } from "~/domain/settings";
import { getVolunteerActivities } from "~/domain/settings/volunteer-activities.server";
import type { VolunteerActivity } from "~/domain/settings/volunteer-activities";
import { id, isoDate, msg } from "~/domain/shared/fields";
import { hoursStatement, hoursToday, statementPeople, statementScope } from "~/domain/volunteering";
import { hoursText } from "~/domain/volunteering/schemas";
import type { Locale } from "~/i18n/config";
import { formatDate } from "~/i18n/format";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { translate, type TranslateParams } from "~/i18n/translate";
import { useT } from "~/i18n/use-t";

const MAX_PERIOD_YEARS = 5;

/**
 * The printable statement of a person's APPROVED volunteer hours for a period, in Chinese and
 * English on one A4 page (navigation hidden in print). ?person= (default: oneself), ?from=,
 * ?to= (default: this year so far). One's own statement for anyone; coordinators for people of
 * their districts (entries of those districts only); admins for anyone. A malformed parameter
 * answers 400 with the form and the message; a person one may not see is 404 (403 for someone
 * who may see nobody else's hours).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request);
  if (!can(user, "read:hours") && !can(user, "log:hours")) throw forbidden();
  const db = getDb();
  const url = new URL(request.url);
  const today = hoursToday(db);
  const raw = { person: url.searchParams.get("person") ?? "", from: url.searchParams.get("from") ?? "", to: url.searchParams.get("to") ?? "" };
  const errors: Record<string, string> = {};
  let personId = user.personId;
  if (raw.person.trim() !== "") {
    const p = id.safeParse(raw.person);
    if (p.success) personId = p.data;
    else errors.person = "volunteering.statement.unknownPerson";
  }
  const from = raw.from.trim() === "" ? `${today.slice(0, 4)}-01-01` : isoDate.safeParse(raw.from).data;
  const to = raw.to.trim() === "" ? today : isoDate.safeParse(raw.to).data;
  if (!from) errors.from = "form.invalidDate";
  if (!to) errors.to = "form.invalidDate";
  if (from && to && to < from) errors.to = "volunteering.statement.periodOrder";
  else if (from && to && addDays(from, 366 * MAX_PERIOD_YEARS) < to) errors.to = msg("volunteering.statement.periodTooLong", { years: MAX_PERIOD_YEARS });
  const scopeKind = rowScope(user, "read:hours").kind;
  const seesOthers = scopeKind === "all" || scopeKind === "districts";
  const q = (url.searchParams.get("q") ?? "").slice(0, 64);
  const people = seesOthers ? statementPeople(db, user, q) : [];
  const settings = getSettings(db);
  const base = {
    values: raw,
    q,
    people,
    seesOthers,
    organisation: { zh: settings.organisationNameZh, en: settings.organisationNameEn },
    today,
    activities: getVolunteerActivities(db),
  };
  if (Object.keys(errors).length > 0) return data({ ...base, errors, statement: null }, { status: 400 });
  if (personId !== user.personId && !seesOthers) throw forbidden();
  const scope = statementScope(db, user, personId);
  if (!scope) throw notFound();
  const st = hoursStatement(db, personId, { from: from!, to: to!, districtIds: scope.districtIds });
  if (!st.person) throw notFound();
  return { ...base, errors: null, statement: { ...st, person: st.person, from: from!, to: to!, limited: scope.districtIds !== null } };
}

const LOCALES: Locale[] = ["zh-CN", "en"];

export default function HoursStatementPage() {
  const { values, q, people, seesOthers, organisation, today, activities, errors, statement } = useLoaderData<typeof loader>();
  const { t } = useT();
  const nonce = useNonce();
  const state = errors ? { errors, values } : undefined;
  return (
    <article className="mx-auto max-w-[210mm] bg-white text-ink print:max-w-none">
      <style nonce={nonce}>{`@page { size: A4; margin: 16mm 14mm 18mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }`}</style>
      <div className="mb-6 print:hidden">
        <h1 className="mb-1">{t("volunteering.statement.title")}</h1>
        <p className="mb-4 text-muted">{t("volunteering.statement.subtitle")}</p>
        <Form method="get" noValidate className="rounded-card border border-line p-4">
          <ErrorSummary
            state={state}
            labels={{ person: t("volunteering.statement.person"), from: t("volunteering.statement.from"), to: t("volunteering.statement.to") }}
          />
          {seesOthers && (
            <TextField name="person" inputMode="numeric" label={t("volunteering.statement.person")} help={t("volunteering.statement.personHelp")} state={state} defaultValue={values.person} maxLength={16} />
          )}
          <div className="grid gap-x-4 sm:grid-cols-2">
            <TextField name="from" type="date" label={t("volunteering.statement.from")} state={state} defaultValue={values.from || (statement?.from ?? "")} />
            <TextField name="to" type="date" label={t("volunteering.statement.to")} state={state} defaultValue={values.to || (statement?.to ?? "")} />
          </div>
          <div className="flex flex-wrap gap-3">
            <Button kind="secondary">{t("volunteering.statement.show")}</Button>
            {statement && (
              <Button type="button" onClick={() => window.print()}>
                {t("volunteering.statement.print")}
              </Button>
            )}
            <Link to="/hours" className="inline-flex min-h-11 items-center px-2">
              {t("volunteering.statement.back")}
            </Link>
          </div>
        </Form>
        {seesOthers && (
          <Form method="get" className="mt-3 flex flex-wrap items-end gap-3">
            <input type="hidden" name="from" value={values.from} />
            <input type="hidden" name="to" value={values.to} />
            <div className="min-w-56 flex-1">
              <TextField name="q" type="search" label={t("volunteering.statement.personSearch")} defaultValue={q} maxLength={64} />
            </div>
            <Button kind="secondary" className="mb-4">
              {t("volunteering.statement.find")}
            </Button>
          </Form>
        )}
        {seesOthers && q && (
          <ul className="mt-1 grid gap-1">
            {people.length === 0 ? (
              <li className="text-muted">{t("volunteering.statement.noPeople")}</li>
            ) : (
              people.map((p) => (
                <li key={p.id}>
                  <Link
                    to={`/hours/statement?${new URLSearchParams({ person: String(p.id), ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) }).toString()}`}
                    className="inline-flex min-h-11 items-center"
                  >
                    {t("volunteering.statement.choosePerson", { name: p.name })}
                  </Link>
                </li>
              ))
            )}
          </ul>
        )}
      </div>
      {statement && <Statement statement={statement} organisation={organisation} today={today} activities={activities} />}
    </article>
  );
}

type StatementData = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["statement"]>;

/** The printed statement: the header and the certifying sentence in both languages, one bilingual table. */
function Statement({ statement, organisation, today, activities }: { statement: StatementData; organisation: { zh: string; en: string }; today: string; activities: VolunteerActivity[] }) {
  const both = (key: MessageKey, params?: (l: Locale) => TranslateParams) => LOCALES.map((l) => translate(l, key, params?.(l)));
  const d = (l: Locale, v: string) => formatDate(l, v);
  const activity = (idValue: string) => {
    const a = activities.find((x) => x.id === idValue);
    return a ? `${a.zh} / ${a.en}` : idValue;
  };
  const cell = "border border-line px-2 py-1 align-top";
  return (
    <section aria-label={both("volunteering.statement.title").join(" / ")}>
      <header className="mb-4 border-b-2 border-ink pb-2 text-sm">
        <p className="font-semibold">
          {organisation.zh} / {organisation.en}
        </p>
        <p>{both("volunteering.statement.printedOn", (l) => ({ date: d(l, today) })).join(" / ")}</p>
      </header>
      <h2 className="mb-1 text-center text-xl font-bold" lang="zh-CN">
        {translate("zh-CN", "volunteering.statement.title")}
      </h2>
      <p className="mb-4 text-center text-lg" lang="en">
        {translate("en", "volunteering.statement.title")}
      </p>
      {LOCALES.map((l) => (
        <p key={l} lang={l} className={l === "zh-CN" ? "mb-2 indent-8 leading-7" : "mb-4 leading-7"}>
          {translate(l, "volunteering.statement.body", { name: statement.person.name, hours: hoursText(statement.totalMinutes), from: d(l, statement.from), to: d(l, statement.to) })}
        </p>
      ))}
      {statement.limited && <p className="mb-3 text-sm text-muted">{both("volunteering.statement.scopeNote").join(" / ")}</p>}
      {statement.lines.length === 0 ? (
        <p className="mb-4">{both("volunteering.statement.none").join(" / ")}</p>
      ) : (
        <>
          <table className="mb-4 w-full border-collapse text-sm">
            <caption className="mb-1 text-left font-semibold">{both("volunteering.statement.lines").join(" / ")}</caption>
            <thead>
              <tr>
                {(["volunteering.col.date", "volunteering.col.activity", "volunteering.col.district", "volunteering.col.hours"] as const).map((k) => (
                  <th key={k} scope="col" className={`${cell} text-left`}>
                    {both(k).join(" / ")}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {statement.lines.map((line) => (
                <tr key={line.id} className="break-inside-avoid">
                  <td className={`${cell} whitespace-nowrap`}>{line.workedOn}</td>
                  <td className={cell}>{activity(line.activity)}</td>
                  <td className={cell}>
                    {line.districtZh} / {line.districtEn}
                  </td>
                  <td className={`${cell} text-right`}>{hoursText(line.minutes)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3} className={`${cell} text-right`}>
                  {both("volunteering.statement.total").join(" / ")}
                </th>
                <td className={`${cell} text-right font-semibold`}>{hoursText(statement.totalMinutes)}</td>
              </tr>
            </tfoot>
          </table>
          <table className="mb-4 w-full border-collapse text-sm break-inside-avoid">
            <caption className="mb-1 text-left font-semibold">{both("volunteering.statement.byActivity").join(" / ")}</caption>
            <tbody>
              {statement.byActivity.map((a) => (
                <tr key={a.activity}>
                  <th scope="row" className={`${cell} text-left font-normal`}>
                    {activity(a.activity)}
                  </th>
                  <td className={`${cell} w-24 text-right`}>{hoursText(a.minutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="mt-10 grid grid-cols-2 gap-8 text-sm break-inside-avoid">
        {(["volunteering.statement.signCoordinator", "volunteering.statement.seal"] as const).map((k) => (
          <div key={k}>
            <div className="h-10 border-b border-ink" />
            <p className="mt-1">{both(k).join(" / ")}</p>
          </div>
        ))}
      </div>
    </section>
  );
}

export const meta = titled("volunteering.statement.title");
