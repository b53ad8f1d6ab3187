import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getOptionalUser } from "~/auth/guards.server";
import { invalidateSession } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { recordAudit } from "~/domain/audit";
import { SESSION_COOKIE, clearCookie } from "~/http/cookies.server";
import { redirectWithFlash } from "~/http/flash.server";
import { clientIp } from "~/http/request.server";

// public route: signing out needs no permission; GET does nothing (GET never writes)
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  // a session still waiting for its second factor is ended too
  const user = getOptionalUser(request, { includePending: true });
  if (user) {
    const db = getDb();
    db.transaction((tx) => {
      invalidateSession(tx, user.sessionId);
      recordAudit(tx, { userId: user.id, login: user.login, ip: clientIp(request) }, { action: "logout", entity: "auth" });
    });
  }
  return redirectWithFlash("/login", { kind: "info", key: "login.signedOut" }, { headers: { "Set-Cookie": clearCookie(SESSION_COOKIE) } });
}
