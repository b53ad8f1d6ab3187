/** `?redirectTo=` only ever leads within the site. */
import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/http/request.server";

describe("safeRedirect", () => {
  it("keeps a path with its query and hash inside the site", () => {
    expect(safeRedirect("/admin/users?x=1")).toBe("/admin/users?x=1");
    expect(safeRedirect("/clients#top")).toBe("/clients#top");
    expect(safeRedirect("/")).toBe("/");
  });

  it("sends every address that could leave the site to the fallback", () => {
    for (const bad of [
      "//evil.example",
      "https://evil.example",
      "http://evil.example/path",
      "/\\evil",
      "/\\/evil.example",
      "javascript:alert(1)",
      "evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "",
    ]) {
      expect(safeRedirect(bad), bad).toBe("/");
    }
  });

  it("sends a path that normalises to a protocol-relative address to the fallback", () => {
    for (const bad of ["/.//evil.example", "/..//evil.example", "/a/..//evil.example", "/./\\evil.example"]) {
      expect(safeRedirect(bad), bad).toBe("/");
    }
  });

  it("uses the fallback for a missing value or a non-string", () => {
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect(null, "/home")).toBe("/home");
  });
});
