import { redirect } from "@remix-run/node";
import type { MessageKey } from "~/i18n/messages";
import { isMessageKey } from "~/i18n/translate";
import { FLASH_COOKIE, clearCookie, readCookie, serializeCookie } from "./cookies.server";

export type Flash = { kind: "success" | "error" | "info"; key: MessageKey; params?: Record<string, string | number> };

/** Every mutation ends here: a redirect carrying a one-time message (pattern 4 of CONVENTIONS.md). */
export function redirectWithFlash(to: string, flash: Flash, init: { headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", serializeCookie(FLASH_COOKIE, JSON.stringify(flash), { maxAgeSeconds: 120 }));
  return redirect(to, { headers });
}

/** Reads the flash (if any) and the header that clears it. Clearing a cookie is not a database write. */
export function consumeFlash(request: Request): { flash: Flash | null; setCookie: string | null } {
  const raw = readCookie(request, FLASH_COOKIE);
  if (!raw) return { flash: null, setCookie: null };
  try {
    const parsed = JSON.parse(raw) as Partial<Flash>;
    if (typeof parsed.key === "string" && isMessageKey(parsed.key) && ["success", "error", "info"].includes(parsed.kind ?? "")) {
      const params: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(parsed.params ?? {})) {
        if (typeof v === "string" || typeof v === "number") params[k] = String(v).slice(0, 200);
      }
      return { flash: { kind: parsed.kind!, key: parsed.key, params }, setCookie: clearCookie(FLASH_COOKIE) };
    }
  } catch {
    // a malformed flash cookie is dropped
  }
  return { flash: null, setCookie: clearCookie(FLASH_COOKIE) };
}
