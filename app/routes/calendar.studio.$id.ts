import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireApiUserWithPermission } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { idFromParam } from "~/domain/organisation";
import { icsResponse, studioFeed } from "~/domain/sessions";

/**
 * A studio's ICS feed, /calendar/studio/<id>.ics, for anyone signed in who reads schedules
 * (read:session; 401 otherwise). Kept behind sign-in rather than public: studio schedules say
 * where peer tutors and clients will be. No client names in it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  requireApiUserWithPermission(request, "read:session");
  const raw = params.id ?? "";
  const studioId = idFromParam(raw.endsWith(".ics") ? raw.slice(0, -4) : raw);
  if (studioId === null) throw notFound();
  const body = studioFeed(getDb(), studioId);
  if (body === null) throw notFound();
  return icsResponse(body, `studio-${studioId}.ics`);
}
