import { actorOf, forbidden, notFound, requireUserWithPermission } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/roles";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/audit";
import { clientAccess, recordClientView, type ClientAccess } from "~/domain/clients";
import { parseId } from "~/domain/shared/fields";

/**
 * The guard of every client page and action: signed in; holding some client permission at all
 * (else 403: trainers and role-less people see no client data); the client exists AND the viewer
 * may read it (else 404, so existence is not revealed), and — for a page load — the view is audited
 * (ADR 0004). Check `access.can.*` for anything beyond reading and throw forbidden() — or, for a
 * page that needs more than reading, pass `allow` so a refused view is not recorded as a view.
 */
export function requireClient(
  request: Request,
  params: { id?: string },
  options: { audit?: string; allow?: (can: ClientAccess["can"]) => boolean } = {},
): { user: SessionUser; access: ClientAccess; actor: Actor } {
  const user = requireUserWithPermission(request, "read:client");
  const id = parseId(params.id);
  if (id === null) throw notFound();
  const db = getDb();
  const access = clientAccess(db, user, id);
  if (!access) throw notFound();
  if (options.allow && !options.allow(access.can)) throw forbidden();
  const actor = actorOf(request, user);
  if (options.audit && request.method === "GET") recordClientView(db, actor, id, options.audit);
  return { user, access, actor };
}
