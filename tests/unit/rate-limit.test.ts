/** The in-memory fixed-window limiter behind the per-address sign-in limit. */
import { describe, expect, it } from "vitest";
import { createRateLimiter } from "~/auth/rate-limit.server";

describe("createRateLimiter", () => {
  it("allows `limit` hits per key in a window and refuses the next", () => {
    const limiter = createRateLimiter({ limit: () => 3, windowMs: 1000 });
    expect([1, 2, 3, 4].map(() => limiter.hit("10.0.0.1", 0))).toEqual([true, true, true, false]);
  });

  it("counts each address apart", () => {
    const limiter = createRateLimiter({ limit: () => 1, windowMs: 1000 });
    expect(limiter.hit("a", 0)).toBe(true);
    expect(limiter.hit("b", 0)).toBe(true);
    expect(limiter.hit("a", 0)).toBe(false);
  });

  it("opens again when the window has passed", () => {
    const limiter = createRateLimiter({ limit: () => 1, windowMs: 1000 });
    limiter.hit("a", 0);
    expect(limiter.hit("a", 999)).toBe(false);
    expect(limiter.hit("a", 1000)).toBe(true);
  });

  it("forgets every count on reset", () => {
    const limiter = createRateLimiter({ limit: () => 1, windowMs: 1000 });
    limiter.hit("a", 0);
    limiter.reset();
    expect(limiter.hit("a", 0)).toBe(true);
  });
});
