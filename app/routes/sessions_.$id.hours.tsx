import type { ActionFunctionArgs } from "@remix-run/node";
import { actorOf, forbidden, notFound, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import { isDomainError } from "~/domain/shared/errors";
import { logHoursFromSession } from "~/domain/volunteering";
import { redirectWithFlash } from "~/http/flash.server";
import type { MessageKey } from "~/i18n/messages";

/**
 * "Log my hours for this session" (a button on the session page): one step, the session's
 * duration as pending volunteer hours. Only a facilitator (else 403); an unknown session is 404;
 * other refusals (not held yet, already logged, too long ago) come back to the session page as
 * an error message. No page of its own.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireApiUserWithPermission(request, "log:hours");
  const sessionId = idFromParam(params.id);
  if (sessionId === null) throw notFound();
  const back = `/sessions/${sessionId}`;
  try {
    logHoursFromSession(getDb(), actorOf(request, user), user, sessionId);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.key === "form.unknownId") throw notFound();
    if (e.key === "volunteering.error.notFacilitator") throw forbidden();
    const [key, query] = e.key.split("?", 2) as [MessageKey, string | undefined];
    return redirectWithFlash(back, { kind: "error", key, params: query ? Object.fromEntries(new URLSearchParams(query)) : undefined });
  }
  return redirectWithFlash(back, { kind: "success", key: "volunteering.flash.sessionLogged" });
}
