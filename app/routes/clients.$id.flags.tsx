import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { forbidden } from "~/auth/guards.server";
import { ErrorSummary, FormActions, SelectField, TextField } from "~/components/forms";
import { Pagination } from "~/components/Pagination";
import { Badge, Button, Card, DataTable, EmptyState, LinkButton } from "~/components/ui";
import { getDb } from "~/db.server";
import { FLAG_NOTE_MAX, FLAG_REASON_MAX, flagRights, getFlag, listFlags, raiseFlag, resolveFlag } from "~/domain/clients";
import { choice, id, parseId, text } from "~/domain/shared/fields";
import { pageCount, pageFromUrl } from "~/domain/shared/paging";
import { requireClient } from "~/http/client-guard.server";
import { redirectWithFlash } from "~/http/flash.server";
import { badForm, domainRefusal, parseForm } from "~/http/forms.server";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";

/**
 * Risk and crisis flags of one client: open ones first, then the history; raise a flag (the
 * client's social worker or peer tutor, or a coordinator of the district) and resolve one with a
 * note (the social worker or a coordinator). Resolving opens from a link (?resolve=ID), so the
 * note is asked for on purpose and the page works without JavaScript.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, access } = requireClient(request, params, { audit: "flags" });
  if (!access.can.readCaseRecords) throw forbidden();
  const db = getDb();
  const url = new URL(request.url);
  const page = pageFromUrl(url);
  const { rows, total } = listFlags(db, access.client.id, page);
  const rights = flagRights(user, access);
  const resolveParam = url.searchParams.get("resolve") ?? "";
  const resolveId = parseId(resolveParam);
  const flag = rights.resolve && resolveId !== null ? getFlag(db, access.client.id, resolveId) : null;
  return {
    clientId: access.client.id,
    closed: access.client.status === "closed",
    rights,
    rows,
    total,
    page: page.page,
    pages: pageCount(total, page.limit),
    resolving: flag && !flag.resolvedAt ? flag : null,
    limits: { reason: FLAG_REASON_MAX, note: FLAG_NOTE_MAX },
  };
}

const KINDS = ["risk", "crisis"] as const;
// built on use: the limits come from the domain module, which the browser bundle must not import
function flagSchema() {
  return z.discriminatedUnion(
    "intent",
    [
      z.object({ intent: z.literal("raise"), kind: choice(KINDS), reason: text({ max: FLAG_REASON_MAX, multiline: true }) }),
      z.object({ intent: z.literal("resolve"), flagId: id, note: text({ max: FLAG_NOTE_MAX, multiline: true }) }),
    ],
    { error: "form.badRequest" },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, access, actor } = requireClient(request, params);
  if (!access.can.readCaseRecords) throw forbidden();
  const rights = flagRights(user, access);
  if (!rights.raise && !rights.resolve) throw forbidden();
  const form = await parseForm(request, flagSchema());
  if (!form.ok) return badForm(form);
  const db = getDb();
  const base = `/clients/${access.client.id}/flags`;
  try {
    if (form.data.intent === "raise") {
      if (!rights.raise) throw forbidden();
      raiseFlag(db, actor, { clientId: access.client.id, kind: form.data.kind, reason: form.data.reason });
      return redirectWithFlash(base, { kind: "success", key: form.data.kind === "crisis" ? "wellbeing.flags.crisisRaised" : "wellbeing.flags.raised" });
    }
    if (!rights.resolve) throw forbidden();
    resolveFlag(db, actor, { clientId: access.client.id, flagId: form.data.flagId, note: form.data.note });
    return redirectWithFlash(base, { kind: "success", key: "wellbeing.flags.resolved" });
  } catch (e) {
    return domainRefusal(e, form.values);
  }
}

function KindBadge({ kind }: { kind: "risk" | "crisis" }) {
  const { t } = useT();
  return <Badge tone={kind === "crisis" ? "danger" : "warn"}>{t(`wellbeing.flags.kind.${kind}`)}</Badge>;
}

export default function Flags() {
  const { clientId, closed, rights, rows, total, page, pages, resolving, limits } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, dateTime } = useT();
  const intent = state?.values?.intent;
  const raiseState = intent !== "resolve" ? state : undefined;
  const resolveState = intent === "resolve" ? state : undefined;
  const base = `/clients/${clientId}/flags`;
  const someone = (name: string | null) => name ?? t("wellbeing.flags.unknownPerson");

  return (
    <div className="grid gap-4">
      {resolving && (
        <Card title={t("wellbeing.flags.resolve")}>
          <p className="mb-3 flex flex-wrap items-center gap-2">
            <KindBadge kind={resolving.kind} />
            <span>{resolving.reason}</span>
          </p>
          <Form method="post" action={base} noValidate>
            <ErrorSummary state={resolveState} labels={{ note: t("wellbeing.flags.resolveNote") }} />
            <input type="hidden" name="intent" value="resolve" />
            <input type="hidden" name="flagId" value={resolving.id} />
            <TextField
              name="note"
              label={t("wellbeing.flags.resolveNote")}
              help={t("wellbeing.flags.resolveHelp")}
              state={resolveState}
              multiline
              maxLength={limits.note}
              required
            />
            <FormActions>
              <Button>{t("wellbeing.flags.resolve")}</Button>
              <LinkButton to={base} kind="ghost">
                {t("form.cancel")}
              </LinkButton>
            </FormActions>
          </Form>
        </Card>
      )}
      {!resolving && resolveState && <ErrorSummary state={resolveState} />}

      <Card title={t("wellbeing.flags.title")}>
        {total === 0 ? (
          <EmptyState title={t("wellbeing.flags.empty.title")}>{t("wellbeing.flags.empty.body")}</EmptyState>
        ) : (
          <>
            <DataTable
              caption={t("wellbeing.flags.listCaption")}
              rows={rows}
              rowKey={(r) => r.id}
              columns={[
                {
                  key: "kind",
                  header: t("wellbeing.flags.col.kind"),
                  primary: true,
                  cell: (r) => (
                    <span className="flex flex-wrap gap-2">
                      <KindBadge kind={r.kind} />
                      <Badge tone={r.resolvedAt ? "neutral" : "brand"}>
                        {t(r.resolvedAt ? "wellbeing.flags.status.resolved" : "wellbeing.flags.status.open")}
                      </Badge>
                    </span>
                  ),
                },
                {
                  key: "reason",
                  header: t("wellbeing.flags.col.reason"),
                  cell: (r) => (
                    <>
                      <span className="whitespace-pre-line">{r.reason}</span>
                      <span className="block text-sm text-muted">{t("wellbeing.flags.raisedBy", { name: someone(r.raisedBy), at: dateTime(r.raisedAt) })}</span>
                    </>
                  ),
                },
                {
                  key: "resolution",
                  header: t("wellbeing.flags.col.resolution"),
                  cell: (r) =>
                    r.resolvedAt ? (
                      <>
                        <span className="whitespace-pre-line">{r.resolutionNote}</span>
                        <span className="block text-sm text-muted">
                          {t("wellbeing.flags.resolvedBy", { name: someone(r.resolvedBy), at: dateTime(r.resolvedAt) })}
                        </span>
                      </>
                    ) : rights.resolve ? (
                      <Link to={`${base}?resolve=${r.id}`} className="inline-flex min-h-11 items-center">
                        {t("wellbeing.flags.resolve")}
                      </Link>
                    ) : (
                      "—"
                    ),
                },
              ]}
            />
            <Pagination page={page} pages={pages} total={total} />
          </>
        )}
      </Card>

      {rights.raise && !closed && (
        <Card title={t("wellbeing.flags.raiseTitle")}>
          <Form method="post" action={base} noValidate>
            <ErrorSummary state={raiseState} labels={{ kind: t("wellbeing.flags.kind"), reason: t("wellbeing.flags.reason") }} />
            <input type="hidden" name="intent" value="raise" />
            <SelectField
              name="kind"
              label={t("wellbeing.flags.kind")}
              help={t("wellbeing.flags.kindHelp")}
              state={raiseState}
              defaultValue="risk"
              required
              options={KINDS.map((k) => ({ value: k, label: t(`wellbeing.flags.kind.${k}`) }))}
            />
            <TextField
              name="reason"
              label={t("wellbeing.flags.reason")}
              help={t("wellbeing.flags.reasonHelp")}
              state={raiseState}
              multiline
              maxLength={limits.reason}
              required
            />
            <FormActions>
              <Button>{t("wellbeing.flags.raise")}</Button>
            </FormActions>
          </Form>
        </Card>
      )}
      <p className="text-sm text-muted">{t("wellbeing.flags.whoRaises")}</p>
    </div>
  );
}

export const meta = titled("wellbeing.flags.title");
