import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden } from "~/auth/guards.server";
import { Pagination } from "~/components/Pagination";
import { Badge, Card, EmptyState, type Tone } from "~/components/ui";
import { getDb } from "~/db.server";
import { clientTimeline, localDate } from "~/domain/clients";
import { getContactTypes, getSettings } from "~/domain/settings";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { requireClient } from "~/http/client-guard.server";
import type { MessageKey } from "~/i18n/messages";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * The client's timeline: every contact (private notes only for whom they are meant), plan,
 * substance event, milestone, BARC-10, flag, consent and assignment change, newest first, paged.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, access } = requireClient(request, params, { audit: "timeline" });
  if (!access.can.readCaseRecords) throw forbidden();
  const db = getDb();
  const { timeZone } = getSettings(db);
  const page = pageFromUrl(new URL(request.url));
  const { items, total } = clientTimeline(db, user, access, { asOf: localDate(new Date(), timeZone), timeZone, page });
  const contactTypes = Object.fromEntries(getContactTypes(db).map((c) => [c.id, { zh: c.zh, en: c.en }]));
  return { items, total, page: page.page, pages: pageCount(total, page.limit), contactTypes };
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["items"][number];

const TONES: Partial<Record<Item["kind"], Tone>> = {
  flag_raised: "danger",
  flag_resolved: "ok",
  milestone: "ok",
  substance_event: "warn",
  consent_withdrawn: "warn",
  contact: "brand",
};

export default function Timeline() {
  const { items, total, page, pages, contactTypes } = useLoaderData<typeof loader>();
  const { t, date, dateTime, locale } = useT();

  function what(item: Item): string | null {
    switch (item.kind) {
      case "contact": {
        const type = item.label ? contactTypes[item.label] : undefined;
        const label = type ? (locale === "zh-CN" ? type.zh : type.en) : item.label;
        return [label, item.value ? t("wellbeing.timeline.minutes", { minutes: item.value }) : null].filter(Boolean).join(" · ");
      }
      case "substance_event":
        return item.label ? t(`wellbeing.timeline.event.${item.label}` as MessageKey) : null;
      case "milestone":
        return item.label ? t(`wellbeing.timeline.milestone.${item.label}` as MessageKey) : null;
      case "plan_submitted":
      case "plan_decided":
        return item.label ? t(`wellbeing.timeline.plan.${item.label}` as MessageKey) : null;
      case "barc10":
        return item.value === null ? null : t("wellbeing.barc10.totalOf", { total: item.value });
      case "flag_raised":
      case "flag_resolved":
        return item.label ? t(`wellbeing.flags.kind.${item.label}` as MessageKey) : null;
      case "assignment_started":
      case "assignment_ended":
        return item.label ? t(`wellbeing.timeline.assign.${item.label}` as MessageKey, { name: item.who ?? "—" }) : null;
      case "session_attended":
        return item.label ? t(`sessions.attendance.${item.label}` as MessageKey) : null;
      default:
        return null;
    }
  }

  const showsWho = (item: Item) => item.who && item.kind !== "assignment_started" && item.kind !== "assignment_ended";

  return (
    <Card title={t("wellbeing.timeline.title")}>
      {total === 0 && items.length === 0 ? (
        <EmptyState title={t("wellbeing.timeline.empty.title")}>{t("wellbeing.timeline.empty.body")}</EmptyState>
      ) : (
        <>
          <ol aria-label={t("wellbeing.timeline.listCaption")} className="grid gap-3 border-l-2 border-line pl-4">
            {items.map((item) => (
              <li key={`${item.kind}-${item.id}-${item.at}`} className="relative">
                <span aria-hidden="true" className="absolute -left-[23px] top-2 h-3 w-3 rounded-full border-2 border-surface bg-line" />
                <p className="text-sm text-muted">
                  <time dateTime={item.day ?? item.at}>{item.day ? date(item.day) : dateTime(item.at)}</time>
                </p>
                <p className="flex flex-wrap items-center gap-2">
                  <Badge tone={TONES[item.kind] ?? "neutral"}>{t(`wellbeing.timeline.kind.${item.kind}`)}</Badge>
                  {what(item) && <span className="font-medium">{what(item)}</span>}
                  {item.private && <Badge tone="neutral">{t("wellbeing.timeline.private")}</Badge>}
                </p>
                {item.detail && <p className="mt-1 whitespace-pre-line break-words">{item.detail}</p>}
                {showsWho(item) && <p className="text-sm text-muted">{t("wellbeing.timeline.by", { name: item.who! })}</p>}
              </li>
            ))}
          </ol>
          <Pagination page={page} pages={pages} total={total} />
        </>
      )}
    </Card>
  );
}

export const meta = titled("wellbeing.timeline.title");
