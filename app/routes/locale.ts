import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getOptionalUser } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { setUserLocale } from "~/domain/people";
import { readForm } from "~/http/forms.server";
import { clientIp, safeRedirect } from "~/http/request.server";
import { isLocale } from "~/i18n/config";
import { localeCookie } from "~/i18n/locale.server";

// public route: anyone may switch language (the choice is saved for a signed-in person)
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const locale = form?.values.locale;
  const to = safeRedirect(form?.values.redirectTo);
  if (!isLocale(locale)) return redirect(to);
  const user = getOptionalUser(request);
  if (user) setUserLocale(getDb(), { userId: user.id, login: user.login, ip: clientIp(request) }, user.id, locale);
  return redirect(to, { headers: { "Set-Cookie": localeCookie(locale) } });
}
