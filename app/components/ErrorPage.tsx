import { Link, useRouteLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/** The one error page for 403, 404, 503 (nothing could be saved) and 500, in the person's language, saying what to do next. */
export function ErrorPage({ status }: { status: number }) {
  const { t } = useT();
  const root = useRouteLoaderData("root") as { user: unknown } | undefined;
  const kind = status === 403 ? "403" : status === 404 ? "404" : status === 503 ? "503" : "500";
  return (
    <div className="mx-auto max-w-xl py-10">
      <p className="text-sm font-medium text-muted">{status}</p>
      <h1>{t(`error.${kind}.title`)}</h1>
      <p className="mt-2">{t(`error.${kind}.body`)}</p>
      <p className="mt-6">
        {root?.user ? (
          <Link to="/" className="font-medium">{t("error.goHome")}</Link>
        ) : (
          <Link to="/login" className="font-medium">{t("error.signIn")}</Link>
        )}
      </p>
    </div>
  );
}
