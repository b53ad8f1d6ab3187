import type { SessionUser } from "~/auth/roles";
import { LOCALE_COOKIE, readCookie, serializeCookie } from "~/http/cookies.server";
import { DEFAULT_LOCALE, isLocale, localeFromAcceptLanguage, type Locale } from "./config";
import { translator, type Translate } from "./translate";

/** The person's saved choice, then the cookie, then the browser's Accept-Language, then Chinese. */
export function resolveLocale(request: Request, user: Pick<SessionUser, "locale"> | null): Locale {
  if (user?.locale && isLocale(user.locale)) return user.locale;
  const cookie = readCookie(request, LOCALE_COOKIE);
  if (isLocale(cookie)) return cookie;
  return localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
}

export function localeCookie(locale: Locale): string {
  return serializeCookie(LOCALE_COOKIE, locale, { maxAgeSeconds: 365 * 24 * 3600, httpOnly: false });
}

/** A translator for server-side text (CSV headers, page titles computed in loaders). */
export function serverT(request: Request, user: Pick<SessionUser, "locale"> | null): Translate {
  return translator(resolveLocale(request, user));
}
