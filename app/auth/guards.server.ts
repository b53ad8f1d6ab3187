/**
 * Guards that every loader and action begins with (CONVENTIONS.md pattern 1). They throw:
 * a redirect to /login for anonymous page requests, 401 for anonymous resource requests,
 * 403 when the permission module says no.
 */
import { redirect } from "@remix-run/node";
import type { Actor } from "~/domain/audit";
import { getDb } from "~/db.server";
import { SESSION_COOKIE, readCookie } from "~/http/cookies.server";
import { clientIp } from "~/http/request.server";
import { can, type PermissionContext, type PermissionRequest } from "./permissions";
import type { SessionUser } from "./roles";
import { touchSession, validateSessionToken } from "./session.server";

/**
 * The signed-in person, or null. A session still waiting for its second factor counts only when
 * `includePending` is set (the second-factor pages and sign-out); everywhere else it is nobody.
 */
export function getOptionalUser(request: Request, options: { includePending?: boolean } = {}): SessionUser | null {
  const user = sessionUserOf(request);
  if (user && user.secondFactor !== "ok" && !options.includePending) return null;
  if (user && request.method !== "GET" && request.method !== "HEAD" && !touched.has(request)) {
    // writes slide the idle expiry, once a request; GET never writes (ADR 0002)
    touched.add(request);
    touchSession(getDb(), user.sessionId);
  }
  return user;
}

/**
 * The session's person, read once per request: the root loader and the page's loader or action
 * both ask, and Remix hands them the same Request.
 */
const usersOfRequests = new WeakMap<Request, SessionUser | null>();
const touched = new WeakSet<Request>();

function sessionUserOf(request: Request): SessionUser | null {
  if (usersOfRequests.has(request)) return usersOfRequests.get(request)!;
  const token = readCookie(request, SESSION_COOKIE);
  const user = token ? validateSessionToken(getDb(), token) : null;
  usersOfRequests.set(request, user);
  return user;
}

function loginRedirect(request: Request): Response {
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  const to = back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`;
  return redirect(to);
}

export const SECOND_FACTOR_PATH = "/login/two-factor";
export const ENROLMENT_PATH = "/account/two-factor";

export function requireUser(
  request: Request,
  options: { allowPasswordChange?: boolean; allowEnrolment?: boolean } = {},
): SessionUser {
  const user = getOptionalUser(request, { includePending: true });
  if (!user) throw loginRedirect(request);
  // the second factor comes first: a password alone opens nothing
  if (user.secondFactor === "verify") throw redirect(SECOND_FACTOR_PATH);
  if (user.secondFactor === "enrol" && !options.allowEnrolment) throw redirect(ENROLMENT_PATH);
  if (user.mustChangePassword && !options.allowPasswordChange) throw redirect("/account/password");
  return user;
}

/** For resource routes (CSV, feeds): 401 instead of a redirect. */
export function requireApiUser(request: Request): SessionUser {
  const user = getOptionalUser(request); // a half-signed-in session is nobody here
  if (!user || user.mustChangePassword) {
    throw new Response("Unauthorized", { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return user;
}

export function forbidden(): Response {
  return new Response("Forbidden", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function notFound(): Response {
  return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function requirePermission(user: SessionUser, permission: PermissionRequest, context?: PermissionContext): void {
  if (!can(user, permission, context)) throw forbidden();
}

export function requireUserWithPermission(
  request: Request,
  permission: PermissionRequest,
  context?: PermissionContext,
): SessionUser {
  const user = requireUser(request);
  requirePermission(user, permission, context);
  return user;
}

export function requireApiUserWithPermission(request: Request, permission: PermissionRequest): SessionUser {
  const user = requireApiUser(request);
  requirePermission(user, permission);
  return user;
}

/** Who is acting, for the audit log. */
export function actorOf(request: Request, user: SessionUser | null): Actor {
  return { userId: user?.id ?? null, login: user?.login ?? "", ip: clientIp(request) };
}
