/** Small shared helpers: paging from the URL, domain errors, and localised page titles. */
import { describe, expect, it } from "vitest";
import { DomainError, isDomainError } from "~/domain/shared/errors";
import { PAGE_SIZE, pageCount, pageFromUrl } from "~/domain/shared/paging";
import { titled } from "~/i18n/meta";

describe("paging", () => {
  const page = (q: string) => pageFromUrl(new URL(`http://localhost/list${q}`));

  it("reads ?page= into a limit and an offset", () => {
    expect(page("?page=3")).toEqual({ page: 3, limit: PAGE_SIZE, offset: 2 * PAGE_SIZE });
  });

  it("turns a missing, zero, negative, fractional or absurd page into page 1", () => {
    for (const q of ["", "?page=0", "?page=-2", "?page=1.5", "?page=abc", "?page=1e9", "?page=99999999"]) expect(page(q).page, q).toBe(1);
  });

  it("counts at least one page", () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(PAGE_SIZE)).toBe(1);
    expect(pageCount(PAGE_SIZE + 1)).toBe(2);
  });
});

describe("DomainError", () => {
  it("carries a message key and a field, defaulting to the whole form", () => {
    const e = new DomainError("form.unknownId");
    expect(isDomainError(e)).toBe(true);
    expect(e.field).toBe("_form");
    expect(new DomainError("admin.users.loginTaken", "login").field).toBe("login");
    expect(isDomainError(new Error("x"))).toBe(false);
  });
});

describe("titled", () => {
  const meta = titled("login.title");
  const run = (rootData: unknown) => meta({ matches: [{ id: "root", data: rootData }] } as never) as { title: string }[];

  it("titles the page in the person's language with the program name", () => {
    expect(run({ locale: "en" })[0]!.title).toMatch(/ · Tongban$/);
    expect(run({ locale: "zh-CN" })[0]!.title).toMatch(/ · 同伴$/);
  });

  it("falls back to Chinese when the root has no locale (an error page)", () => {
    expect(run(undefined)[0]!.title).toBe(run({ locale: "zh-CN" })[0]!.title);
  });
});
