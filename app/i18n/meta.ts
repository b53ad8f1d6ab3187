import type { MetaFunction } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale } from "./config";
import type { MessageKey } from "./messages";
import { translate } from "./translate";

/** A route's `meta`: its page title in the person's language, "Users · Tongban" / "用户 · 同伴". */
export function titled(key: MessageKey): MetaFunction {
  return ({ matches }) => {
    const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
    const locale = isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE;
    return [{ title: `${translate(locale, key)} · ${translate(locale, "app.name")}` }];
  };
}
