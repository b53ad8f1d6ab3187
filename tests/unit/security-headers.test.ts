/** Security headers, set once for every response (CONVENTIONS.md pattern 11). */
import { describe, expect, it } from "vitest";
import { securityHeaders } from "~/http/security.server";

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe("securityHeaders", () => {
  const headers = securityHeaders("abc123NONCE", { dev: false });
  const csp = directives(headers["Content-Security-Policy"]!);

  it("enforces a CSP (not report-only) whose script-src allows only self and this request's nonce", () => {
    expect(headers["Content-Security-Policy"]).toBeDefined();
    expect(headers["Content-Security-Policy-Report-Only"]).toBeUndefined();
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123NONCE'"]);
    expect(headers["Content-Security-Policy"]).not.toContain("unsafe-inline");
    expect(headers["Content-Security-Policy"]).not.toContain("unsafe-eval");
  });

  it("uses a different nonce for a different request", () => {
    const other = directives(securityHeaders("zzz", { dev: false })["Content-Security-Policy"]!);
    expect(other.get("script-src")).toContain("'nonce-zzz'");
    expect(other.get("script-src")).not.toContain("'nonce-abc123NONCE'");
  });

  it("forbids framing, plugins and foreign form targets", () => {
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(headers["X-Frame-Options"]).toBe("DENY");
  });

  it("sets nosniff and a strict referrer policy", () => {
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]).toContain(headers["Referrer-Policy"]);
  });

  it("loosens only styles and the dev-server socket in development, never scripts", () => {
    const dev = directives(securityHeaders("n", { dev: true })["Content-Security-Policy"]!);
    expect(dev.get("script-src")).toEqual(["'self'", "'nonce-n'"]);
    expect(dev.get("connect-src")).toContain("ws:");
    expect(csp.get("connect-src")).toEqual(["'self'"]);
  });
});
