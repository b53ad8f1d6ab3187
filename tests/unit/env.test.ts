/** The environment is validated at boot; a bad value stops the app with a one-line reason. */
import { describe, expect, it } from "vitest";
import { parseEnv as parse } from "~/env.server";

const parseEnv = (source: Record<string, string>) => parse(source as NodeJS.ProcessEnv);

function failure(source: Record<string, string>): string {
  try {
    parseEnv(source);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("parseEnv accepted a bad environment");
}

describe("parseEnv", () => {
  it("fills defaults for an empty environment", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.NODE_ENV).toBe("development");
    expect(env.LOGIN_RATE_LIMIT).toBe(30);
    expect(env.DATABASE_URL).toBe("data/tongban.db");
    expect(env.COOKIE_SECURE).toBeUndefined();
  });

  it("reads numbers from strings", () => {
    expect(parseEnv({ PORT: "8080", LOGIN_RATE_LIMIT: "5" })).toMatchObject({ PORT: 8080, LOGIN_RATE_LIMIT: 5 });
  });

  it("rejects PORT=abc with one line that names PORT", () => {
    const message = failure({ PORT: "abc" });
    expect(message).toMatch(/^Invalid environment: PORT: /);
    expect(message).not.toContain("\n");
  });

  it("rejects an out-of-range port, an unknown NODE_ENV and a non-boolean COOKIE_SECURE, naming each", () => {
    expect(failure({ PORT: "70000" })).toMatch(/PORT/);
    expect(failure({ NODE_ENV: "staging" })).toMatch(/NODE_ENV/);
    expect(failure({ COOKIE_SECURE: "yes" })).toMatch(/COOKIE_SECURE/);
    expect(failure({ LOGIN_RATE_LIMIT: "0" })).toMatch(/LOGIN_RATE_LIMIT/);
    expect(failure({ TRUST_PROXY: "1" })).toMatch(/TRUST_PROXY/);
  });

  it("rejects a database path holding a NUL byte", () => {
    expect(failure({ DATABASE_URL: "data/x\0.db" })).toMatch(/DATABASE_URL/);
  });
});
