/**
 * An import problem as words: "line 12, column intake_date: The date cannot be in the future."
 * Plain code (the CLI, the failed-rows file and the page's component use it).
 */
import type { Locale } from "~/i18n/config";
import type { MessageKey } from "~/i18n/messages";
import { translate } from "~/i18n/translate";
import type { ImportProblem } from "./formats";

/** The reason of a problem in a language (its key may carry ?params, see fields.ts msg). */
export function problemReason(locale: Locale, key: string): string {
  const [k, query] = key.split("?", 2) as [string, string | undefined];
  const params = query ? Object.fromEntries(new URLSearchParams(query)) : undefined;
  return translate(locale, k as MessageKey, params);
}

/** `line L, column C: reason` (or `line L: reason` for a whole row, or just the reason for the whole file), in English for operators. */
export function problemLine(p: ImportProblem, locale: Locale = "en"): string {
  const reason = problemReason(locale, p.key);
  if (p.line === 0) return reason;
  return p.column ? `line ${p.line}, column ${p.column}: ${reason}` : `line ${p.line}: ${reason}`;
}
