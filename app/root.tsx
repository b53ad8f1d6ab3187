import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { navigationFor } from "~/auth/navigation";
import { can } from "~/auth/permissions";
import { getOptionalUser } from "~/auth/guards.server";
import { AppShell } from "~/components/AppShell";
import { ErrorPage } from "~/components/ErrorPage";
import { useNonce } from "~/components/nonce";
import { getDb } from "~/db.server";
import { unreadCount } from "~/domain/sessions/notifications.server";
import { getSettings, isDemoDatabase } from "~/domain/settings";
import { consumeFlash } from "~/http/flash.server";
import { resolveLocale } from "~/i18n/locale.server";
import { DEFAULT_LOCALE } from "~/i18n/config";
import styles from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // public: the root only tells the shell who is signed in; every page guards itself
  const user = getOptionalUser(request);
  const locale = resolveLocale(request, user);
  const db = getDb();
  const settings = getSettings(db);
  const { flash, setCookie } = consumeFlash(request);
  const headers = new Headers();
  if (setCookie) headers.append("Set-Cookie", setCookie);
  return data(
    {
      locale,
      timeZone: settings.timeZone,
      organisationName: locale === "zh-CN" ? settings.organisationNameZh : settings.organisationNameEn,
      demo: isDemoDatabase(db),
      flash,
      user: user
        ? {
            displayName: user.displayName,
            login: user.login,
            roles: user.roles.map((r) => r.role),
            mustChangePassword: user.mustChangePassword,
          }
        : null,
      nav: user && !user.mustChangePassword ? navigationFor(user) : [],
      // null: no notifications page for this person (it needs read:session, as every role has)
      unreadNotifications: user && !user.mustChangePassword && can(user, "read:session") ? unreadCount(db, user.id) : null,
    },
    { headers },
  );
}

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang={root?.locale ?? DEFAULT_LOCALE}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <AppShell>
      <Outlet />
    </AppShell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <AppShell>
      <ErrorPage status={status} />
    </AppShell>
  );
}
