/**
 * The public verification answer, shared by /verify (the form) and /verify/$number (the QR link).
 * Rate-limited per address. The answer never echoes what was typed and never says whether a
 * number exists: an unknown number and a wrong code get the same status and the same body.
 */
import { data } from "@remix-run/node";
import { createRateLimiter } from "~/auth/rate-limit.server";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import { parseVerificationInput, verifyCertificate } from "~/domain/training";
import { clientIp } from "~/http/request.server";
import { todayIn } from "~/i18n/format";
import type { VerifyPageData } from "./verification";

export const VERIFY_RATE_LIMIT = 30;
const WINDOW_MS = 15 * 60 * 1000;

/** Verification attempts per address: 30 in 15 minutes. */
export const verificationLimiter = createRateLimiter({ limit: () => VERIFY_RATE_LIMIT, windowMs: WINDOW_MS });

const HEADERS = { "Cache-Control": "no-store" };

export function verificationAnswer(request: Request, number: string | null | undefined, code: string | null | undefined) {
  if (!verificationLimiter.hit(clientIp(request) || "unknown")) {
    return data<VerifyPageData>({ state: "limited" }, { status: 429, headers: { ...HEADERS, "Retry-After": String(WINDOW_MS / 1000) } });
  }
  const input = parseVerificationInput(number, code);
  if (!input.ok) return data<VerifyPageData>({ state: "invalid", errors: input.errors }, { status: 400, headers: HEADERS });
  const db = getDb();
  const { timeZone } = getSettings(db);
  const answer = verifyCertificate(db, { number: input.number, code: input.code, today: todayIn(timeZone), timeZone });
  if (answer.result === "no_match") return data<VerifyPageData>({ state: "no_match" }, { status: 404, headers: HEADERS });
  return data<VerifyPageData>({ state: "answer", answer }, { status: 200, headers: HEADERS });
}

/** The empty form. */
export function verificationForm() {
  return data<VerifyPageData>({ state: "form" }, { headers: HEADERS });
}
