import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LOCALE, type Locale } from "./config";
import { DEFAULT_TIME_ZONE, formatDate, formatDateTime, formatNumber } from "./format";
import { translate, type TranslateParams } from "./translate";
import type { MessageKey } from "./messages";

type RootData = { locale: Locale; timeZone: string } | undefined;

export function useLocale(): Locale {
  return (useRouteLoaderData("root") as RootData)?.locale ?? DEFAULT_LOCALE;
}

/** Translator for components: t("nav.home"). Field messages may carry params: "form.tooLong?max=80". */
export function useT() {
  const data = useRouteLoaderData("root") as RootData;
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const timeZone = data?.timeZone ?? DEFAULT_TIME_ZONE;
  const t = (key: MessageKey, params?: TranslateParams) => translate(locale, key, params);
  return {
    t,
    locale,
    timeZone,
    /** translates an error string produced by app/domain/shared/fields.ts msg() */
    tm: (encoded: string) => {
      const [key, query] = encoded.split("?", 2);
      const params = query ? Object.fromEntries(new URLSearchParams(query)) : undefined;
      return translate(locale, key as MessageKey, params);
    },
    date: (v: string | Date) => formatDate(locale, v, timeZone),
    dateTime: (v: string | Date) => formatDateTime(locale, v, timeZone),
    number: (n: number, o?: Intl.NumberFormatOptions) => formatNumber(locale, n, o),
  };
}
