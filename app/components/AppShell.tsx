import { Form, Link, NavLink, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import type { RootData } from "~/root";
import { useT } from "~/i18n/use-t";
import { cx } from "./ui";

/** Top bar, navigation of what the person's roles allow, flash message, main landmark. */
export function AppShell({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData("root") as RootData | undefined;
  const { t } = useT();
  const location = useLocation();
  const here = location.pathname + location.search;
  const user = root?.user ?? null;
  const nav = root?.nav ?? [];
  return (
    <>
      {user && <KeepAlive pathname={location.pathname} />}
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:p-3">
        {t("nav.skip")}
      </a>
      <header className="no-print border-b border-line bg-surface">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-2">
          <Link to="/" className="flex min-h-11 items-center gap-2 font-bold text-ink no-underline">
            <span className="text-brand">{t("app.name")}</span>
            <span className="hidden text-sm font-normal text-muted sm:inline">{root?.organisationName}</span>
          </Link>
          <div className="flex items-center gap-2">
            <Form method="post" action="/locale" reloadDocument>
              <input type="hidden" name="locale" value={root?.locale === "en" ? "zh-CN" : "en"} />
              <input type="hidden" name="redirectTo" value={here} />
              <button type="submit" className="min-h-11 rounded-lg px-3 text-brand hover:bg-brand-soft" aria-label={t("lang.switchLabel")} lang={root?.locale === "en" ? "zh-CN" : "en"}>
                {t("lang.switchTo")}
              </button>
            </Form>
            {user && root?.unreadNotifications != null && (
              <Link
                to="/notifications"
                className="flex min-h-11 items-center gap-1 rounded-lg px-3 text-ink no-underline hover:bg-neutral-soft"
                aria-label={root?.unreadNotifications ? t("sessions.nav.notificationsUnread", { count: root.unreadNotifications }) : t("sessions.nav.notifications")}
              >
                <span className="hidden sm:inline">{t("sessions.nav.notifications")}</span>
                <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5 sm:hidden" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                  <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
                  <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
                </svg>
                {root?.unreadNotifications ? (
                  <span aria-hidden="true" className="rounded-full bg-brand px-2 text-sm font-medium text-white">
                    {root.unreadNotifications}
                  </span>
                ) : null}
              </Link>
            )}
            {user && (
              // keyed by the page: after choosing an entry, the menu is closed on the page it opened
              <details key={location.pathname} className="relative">
                <summary className="flex min-h-11 cursor-pointer list-none items-center rounded-lg px-3 hover:bg-neutral-soft">
                  <span className="max-w-40 truncate">{user.displayName}</span>
                </summary>
                <div className="absolute right-0 z-20 mt-1 w-56 rounded-card border border-line bg-surface p-2 shadow-lg">
                  <p className="px-2 py-1 text-sm text-muted">{user.login}</p>
                  <Link to="/account/password" className="block min-h-11 rounded px-2 py-2 hover:bg-neutral-soft">
                    {t("nav.changePassword")}
                  </Link>
                  <Link to="/account/two-factor" className="block min-h-11 rounded px-2 py-2 hover:bg-neutral-soft">
                    {t("privacy.twoFactor.title")}
                  </Link>
                  <Link to="/account/sessions" className="block min-h-11 rounded px-2 py-2 hover:bg-neutral-soft">
                    {t("privacy.sessions.title")}
                  </Link>
                  <Link to="/account/email" className="block min-h-11 rounded px-2 py-2 hover:bg-neutral-soft">
                    {t("dashboard.email.title")}
                  </Link>
                  <Form method="post" action="/logout">
                    <button type="submit" className="block min-h-11 w-full rounded px-2 py-2 text-left hover:bg-neutral-soft">
                      {t("nav.signOut")}
                    </button>
                  </Form>
                </div>
              </details>
            )}
          </div>
        </div>
        {nav.length > 0 && <Navigation items={nav} pathname={location.pathname} />}
      </header>
      {root?.flash && <FlashBanner key={here} kind={root.flash.kind} text={t(root.flash.key, root.flash.params)} />}
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 outline-none">
        {children}
      </main>
    </>
  );
}

function Navigation({ items, pathname }: { items: NonNullable<RootData>["nav"]; pathname: string }) {
  const { t } = useT();
  const links = items.map((item) => (
    <li key={item.to}>
      <NavLink
        to={item.to}
        end={item.to === "/"}
        className={({ isActive }) =>
          cx("flex min-h-11 items-center rounded-lg px-3 no-underline", isActive ? "bg-brand-soft font-medium text-brand-strong" : "text-ink hover:bg-neutral-soft")
        }
      >
        {t(item.label)}
      </NavLink>
    </li>
  ));
  return (
    <nav aria-label={t("nav.main")} className="mx-auto max-w-6xl px-4 pb-2">
      <ul className="hidden flex-wrap gap-1 sm:flex">{links}</ul>
      {/* keyed by the page: on a phone the menu closes once an entry has been chosen, instead of covering the page it opened */}
      <details key={pathname} className="sm:hidden">
        <summary className="flex min-h-11 cursor-pointer items-center rounded-lg px-3 font-medium hover:bg-neutral-soft">{t("nav.menu")}</summary>
        <ul className="mt-1 grid gap-1">{links}</ul>
      </details>
    </nav>
  );
}

function FlashBanner({ kind, text }: { kind: "success" | "error" | "info"; text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const tone = kind === "error" ? "border-danger/40 bg-danger-soft text-danger" : kind === "success" ? "border-ok/40 bg-ok-soft text-ok" : "border-line bg-neutral-soft";
  return (
    <div className="mx-auto max-w-6xl px-4 pt-4">
      <div ref={ref} tabIndex={-1} role="status" aria-live="polite" className={cx("rounded-card border p-3 font-medium", tone)}>
        {text}
      </div>
    </div>
  );
}

const KEEPALIVE_EVERY_MS = 5 * 60 * 1000;
let lastKeepAlive = 0;

/**
 * While someone reads (GET never writes, so reading does not extend a session), navigation sends
 * at most one POST every five minutes to slide the idle expiry (ADR 0002).
 */
function KeepAlive({ pathname }: { pathname: string }) {
  useEffect(() => {
    const now = Date.now();
    if (now - lastKeepAlive < KEEPALIVE_EVERY_MS) return;
    lastKeepAlive = now;
    void fetch("/session/keepalive", { method: "POST", credentials: "same-origin" }).catch(() => undefined);
  }, [pathname]);
  return null;
}
