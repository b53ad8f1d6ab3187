/**
 * Public certificate verification (/verify and the QR target /verify/$number): no sign-in, the
 * standing with the holder's name and dates only, the same answer for an unknown number and a
 * wrong code, a clear 400 for malformed input, and a per-address rate limit.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PUBLIC_ROUTES } from "~/auth/public-routes";
import { translate } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/messages";
import { loader as verifyLoader } from "~/routes/verify._index/route";
import { loader as linkLoader } from "~/routes/verify.$number";
import { VERIFY_RATE_LIMIT, verificationLimiter } from "~/routes/verify._index/verify.server";
import { makeRequest, respond } from "../../factories";
import { makeCertifiedTutor } from "./registry-builders";

type Tutor = Awaited<ReturnType<typeof makeCertifiedTutor>>;
let valid: Tutor;
let expired: Tutor;
let revoked: Tutor;
let suspended: Tutor;

function verify(query: Record<string, string>, ip = "127.0.0.1") {
  const search = new URLSearchParams(query).toString();
  const request = makeRequest(`/verify${search ? `?${search}` : ""}`);
  request.headers.set("x-tongban-client-ip", ip);
  return respond(() => verifyLoader({ request, params: {}, context: { cspNonce: "" } }));
}

function verifyLink(number: string, code: string | null, ip = "127.0.0.1") {
  const request = makeRequest(`/verify/${encodeURIComponent(number)}${code === null ? "" : `?code=${encodeURIComponent(code)}`}`);
  request.headers.set("x-tongban-client-ip", ip);
  return respond(() => linkLoader({ request, params: { number }, context: { cspNonce: "" } }));
}

/** A code of the right shape that is nobody's: the alphabet has no 0/O/1/I, so shuffle within it. */
function otherCode(code: string): string {
  return code[0] === "A" ? `B${code.slice(1)}` : `A${code.slice(1)}`;
}

beforeAll(async () => {
  valid = await makeCertifiedTutor({ name: "测试持证人甲（虚构）", issuedOn: "2024-07-01", expiresOn: "2099-06-30" });
  expired = await makeCertifiedTutor({ name: "测试持证人乙（虚构）", issuedOn: "2020-07-01", expiresOn: "2022-06-30" });
  revoked = await makeCertifiedTutor({ name: "测试持证人丙（虚构）", revokedAt: "2025-03-04T02:00:00.000Z" });
  suspended = await makeCertifiedTutor({ name: "测试持证人丁（虚构）", suspendedAt: "2025-03-04T02:00:00.000Z" });
});

beforeEach(() => verificationLimiter.reset());

describe("verification is public", () => {
  it("lists /verify and /verify/$number as public routes", () => {
    expect(PUBLIC_ROUTES).toContain("routes/verify._index");
    expect(PUBLIC_ROUTES).toContain("routes/verify.$number");
  });

  it("shows the empty form to an anonymous visitor without counting an attempt", async () => {
    for (let i = 0; i < VERIFY_RATE_LIMIT + 5; i++) {
      const res = await verify({});
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ state: "form" });
    }
  });
});

describe("verification reveals nothing about numbers that do not match", () => {
  it("gives an unknown number and a wrong code the identical status and body", async () => {
    const unknown = await verify({ number: "TB-C9999-999", code: valid.code });
    const wrongCode = await verify({ number: valid.number, code: otherCode(valid.code) });
    expect(unknown.status).toBe(404);
    expect(wrongCode.status).toBe(unknown.status);
    expect(JSON.stringify(wrongCode.body)).toBe(JSON.stringify(unknown.body));
    expect(unknown.body).toEqual({ state: "no_match" });
    expect(unknown.headers.get("Cache-Control")).toBe("no-store");
  });

  it("answers the QR link the same way for an unknown number and a wrong code", async () => {
    const unknown = await verifyLink("TB-C9999-998", valid.code);
    const wrongCode = await verifyLink(valid.number, otherCode(valid.code));
    expect([unknown.status, wrongCode.status]).toEqual([404, 404]);
    expect(JSON.stringify(wrongCode.body)).toBe(JSON.stringify(unknown.body));
  });

  it("does not echo the number or code it was given", async () => {
    const res = await verify({ number: valid.number, code: otherCode(valid.code) });
    expect(JSON.stringify(res.body)).not.toContain(valid.number);
    expect(JSON.stringify(res.body)).not.toContain(valid.code.slice(1));
  });
});

describe("verification answers valid, expired, revoked and not valid with the name and dates only", () => {
  it("a valid certificate verifies as valid with the holder's name and dates", async () => {
    const res = await verify({ number: valid.number, code: valid.code });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      state: "answer",
      answer: { result: "valid", holderName: "测试持证人甲（虚构）", issuedOn: "2024-07-01", expiresOn: "2099-06-30", revokedOn: null },
    });
  });

  it("an expired certificate verifies as expired", async () => {
    const res = await verify({ number: expired.number, code: expired.code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: "answer", answer: { result: "expired", expiresOn: "2022-06-30" } });
  });

  it("a revoked certificate verifies as revoked, with the revocation date and no reason", async () => {
    const res = await verify({ number: revoked.number, code: revoked.code });
    expect(res.status).toBe(200);
    const body = res.body as { state: string; answer: Record<string, unknown> };
    expect(body.answer).toEqual({
      result: "revoked",
      holderName: "测试持证人丙（虚构）",
      issuedOn: revoked.issuedOn,
      expiresOn: revoked.expiresOn,
      revokedOn: "2025-03-04",
    });
    expect(JSON.stringify(body)).not.toContain("测试撤销");
  });

  it("a suspended certificate verifies as not valid, without saying why", async () => {
    const res = await verify({ number: suspended.number, code: suspended.code });
    expect(res.body).toMatchObject({ state: "answer", answer: { result: "not_valid" } });
    expect(JSON.stringify(res.body)).not.toContain("测试暂停");
  });

  it("the answer holds nothing but the standing, the holder's name and the dates", async () => {
    const res = await verify({ number: valid.number, code: valid.code });
    const body = res.body as { answer: Record<string, unknown> };
    expect(Object.keys(body).sort()).toEqual(["answer", "state"]);
    expect(Object.keys(body.answer).sort()).toEqual(["expiresOn", "holderName", "issuedOn", "result", "revokedOn"]);
  });

  it("the QR link verifies with the code from ?code=, typed in lower case and groups too", async () => {
    const res = await verifyLink(valid.number, valid.code);
    expect(res.body).toMatchObject({ state: "answer", answer: { result: "valid" } });
    const typed = await verify({ number: valid.number.toLowerCase(), code: `${valid.code.slice(0, 5).toLowerCase()} ${valid.code.slice(5)}` });
    expect(typed.body).toMatchObject({ state: "answer", answer: { result: "valid" } });
  });
});

describe("verification refuses malformed input with a clear 400", () => {
  it("a code of the wrong length is a 400 with a localised message", async () => {
    const res = await verify({ number: valid.number, code: "ABC" });
    expect(res.status).toBe(400);
    const body = res.body as { state: string; errors: { code?: string; number?: string } };
    expect(body.state).toBe("invalid");
    expect(body.errors.number).toBeUndefined();
    const [key, query] = body.errors.code!.split("?");
    expect(key).toBe("registry.verify.badCode");
    const params = Object.fromEntries(new URLSearchParams(query));
    expect(translate("en", key as MessageKey, params)).toContain("10 letters and digits");
    expect(translate("zh-CN", key as MessageKey, params)).toContain("验证码由 10 个字母和数字组成");
  });

  it("a code with characters outside the alphabet (0, O, 1, I, punctuation) is a 400", async () => {
    for (const code of ["0000000000", "IIIIIIIIII", "ABCDE;FGHJ", "ABCDE<FGHJ"]) {
      const res = await verify({ number: valid.number, code });
      expect(res.status, code).toBe(400);
      expect((res.body as { errors: { code: string } }).errors.code).toMatch(/^registry\.verify\.badCode/);
    }
  });

  it("a malformed number is a 400 and says so, whatever the code", async () => {
    for (const number of ["X", "-AB", "AB-", "TB C3 001", "TB-C3-001'--", "A".repeat(41), "证书-001", "TB\u0000C3"]) {
      const res = await verify({ number, code: valid.code });
      expect(res.status, number).toBe(400);
      expect((res.body as { errors: { number: string } }).errors.number).toBe("registry.verify.badNumber");
    }
  });

  it("a missing number or code is a 400 asking for it", async () => {
    const res = await verify({ number: "", code: "" });
    expect(res.status).toBe(400);
    expect((res.body as { errors: unknown }).errors).toEqual({ number: "registry.verify.numberRequired", code: "registry.verify.codeRequired" });
    const link = await verifyLink(valid.number, null);
    expect(link.status).toBe(400);
    expect((link.body as { errors: unknown }).errors).toEqual({ code: "registry.verify.codeRequired" });
  });

  it("an enormous input is a 400, not a 500", async () => {
    const res = await verify({ number: "9".repeat(100_000), code: "Z".repeat(100_000) });
    expect(res.status).toBe(400);
  });
});

describe("verification is rate-limited per address", () => {
  it(`answers 429 with the "try later" page after ${VERIFY_RATE_LIMIT} attempts from one address`, async () => {
    for (let i = 0; i < VERIFY_RATE_LIMIT; i++) {
      const res = await verify({ number: `TB-C1-${String(i).padStart(3, "0")}`, code: valid.code }, "203.0.113.7");
      expect(res.status).toBe(404);
    }
    const limited = await verify({ number: valid.number, code: valid.code }, "203.0.113.7");
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ state: "limited" });
    expect(limited.headers.get("Retry-After")).toBe("900");
    // the QR link shares the limit
    expect((await verifyLink(valid.number, valid.code, "203.0.113.7")).status).toBe(429);
    // another address is not affected
    expect((await verify({ number: valid.number, code: valid.code }, "203.0.113.8")).status).toBe(200);
  });

  it("counts malformed attempts too", async () => {
    for (let i = 0; i < VERIFY_RATE_LIMIT; i++) expect((await verify({ number: "X", code: "Y" }, "198.51.100.1")).status).toBe(400);
    expect((await verify({ number: "X", code: "Y" }, "198.51.100.1")).status).toBe(429);
  });
});
