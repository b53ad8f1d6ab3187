import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { feedOwner, icsResponse, personFeed } from "~/domain/sessions";

/**
 * A person's ICS feed, /calendar/person/<token>.ics — public by design (PUBLIC_ROUTES): calendar
 * programs cannot sign in, so the secret token in the address is the credential. Only its SHA-256
 * is stored; a revoked, replaced or unknown token, or a deactivated login, answers 404. The feed
 * lists the sessions the person facilitates, with no client names.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const raw = params.token ?? "";
  const token = raw.endsWith(".ics") ? raw.slice(0, -4) : raw;
  const db = getDb();
  const owner = feedOwner(db, token);
  if (!owner) throw notFound();
  return icsResponse(personFeed(db, owner.personId, "同伴教育活动 Tongban"), "tongban.ics");
}
