/** Locale negotiation and date, time and number formatting through Intl in the program's time zone. */
import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage, isLocale } from "~/i18n/config";
import { formatDate, formatDateTime, formatNumber, startOfLocalDayUtc, todayIn } from "~/i18n/format";
import { resolveLocale } from "~/i18n/locale.server";

describe("localeFromAcceptLanguage", () => {
  it("picks Chinese for any zh tag and English for any en tag", () => {
    expect(localeFromAcceptLanguage("zh-CN,zh;q=0.9")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("zh-Hans-CN")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("en-US,en;q=0.9")).toBe("en");
    expect(localeFromAcceptLanguage("EN-gb")).toBe("en");
  });

  it("follows the quality values, not the order", () => {
    expect(localeFromAcceptLanguage("zh;q=0.5, en;q=0.8")).toBe("en");
    expect(localeFromAcceptLanguage("en;q=0.1, zh-CN")).toBe("zh-CN");
  });

  it("skips unsupported languages and refused ones (q=0)", () => {
    expect(localeFromAcceptLanguage("fr-FR, de;q=0.9, en;q=0.5")).toBe("en");
    expect(localeFromAcceptLanguage("en;q=0, zh;q=0.2")).toBe("zh-CN");
  });

  it("answers null when nothing is supported or the header is missing or junk", () => {
    expect(localeFromAcceptLanguage("fr, de")).toBeNull();
    expect(localeFromAcceptLanguage(null)).toBeNull();
    expect(localeFromAcceptLanguage("")).toBeNull();
    expect(localeFromAcceptLanguage(";;;,,,q=")).toBeNull();
    expect(localeFromAcceptLanguage("*")).toBeNull();
  });
});

describe("resolveLocale", () => {
  const request = (headers: Record<string, string>) => new Request("http://localhost/", { headers });

  it("prefers the saved choice over the cookie and the browser", () => {
    expect(resolveLocale(request({ Cookie: "tb_lang=zh-CN", "Accept-Language": "zh-CN" }), { locale: "en" })).toBe("en");
  });

  it("uses the cookie when nothing is saved", () => {
    expect(resolveLocale(request({ Cookie: "tb_lang=en", "Accept-Language": "zh-CN" }), { locale: null })).toBe("en");
    expect(resolveLocale(request({ Cookie: "other=1; tb_lang=zh-CN", "Accept-Language": "en" }), null)).toBe("zh-CN");
  });

  it("uses Accept-Language when there is no cookie, or the cookie holds an unknown value", () => {
    expect(resolveLocale(request({ "Accept-Language": "en-GB" }), null)).toBe("en");
    expect(resolveLocale(request({ Cookie: "tb_lang=fr", "Accept-Language": "en-GB" }), null)).toBe("en");
  });

  it("falls back to Chinese", () => {
    expect(resolveLocale(request({}), null)).toBe("zh-CN");
    expect(resolveLocale(request({ "Accept-Language": "fr" }), null)).toBe("zh-CN");
  });

  it("knows only its two locales", () => {
    expect(isLocale("en")).toBe(true);
    expect(isLocale("zh-CN")).toBe(true);
    expect(isLocale("zh")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});

describe("formatDate", () => {
  it("writes a calendar date the Chinese way with the weekday", () => {
    expect(formatDate("zh-CN", "2026-11-28")).toBe("2026年11月28日 星期六");
  });

  it("writes a calendar date the English way", () => {
    expect(formatDate("en", "2026-11-28")).toBe("Sat 28 Nov 2026");
  });

  it("uses three-letter English month abbreviations for every month", () => {
    const months = Array.from({ length: 12 }, (_, i) => formatDate("en", `2026-${String(i + 1).padStart(2, "0")}-15`).split(" ")[2]);
    expect(months).toEqual(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]);
  });

  it("shows an instant on its day in Shanghai", () => {
    expect(formatDate("en", "2026-11-28T16:30:00Z")).toBe("Sun 29 Nov 2026");
    expect(formatDate("en", new Date("2026-11-28T15:59:00Z"))).toBe("Sat 28 Nov 2026");
  });

  it("shows a calendar date as that day whatever the time zone", () => {
    expect(formatDate("en", "2026-11-28", "America/Los_Angeles")).toBe("Sat 28 Nov 2026");
  });
});

describe("formatDateTime", () => {
  it("shows 24-hour time in Asia/Shanghai: 16:30 UTC is 00:30 the next day", () => {
    expect(formatDateTime("zh-CN", "2026-11-28T16:30:00Z")).toBe("2026年11月29日 星期日 00:30");
    expect(formatDateTime("en", "2026-11-28T16:30:00Z")).toBe("Sun 29 Nov 2026 00:30");
  });

  it("shows afternoon hours past 12 without AM/PM", () => {
    expect(formatDateTime("en", "2026-11-28T07:05:00Z")).toBe("Sat 28 Nov 2026 15:05");
  });

  it("honours another configured time zone", () => {
    expect(formatDateTime("en", "2026-11-28T16:30:00Z", "UTC")).toBe("Sat 28 Nov 2026 16:30");
  });
});

describe("numbers and days", () => {
  it("groups thousands and keeps two decimals when asked", () => {
    expect(formatNumber("en", 35740)).toBe("35,740");
    expect(formatNumber("zh-CN", 35740)).toBe("35,740");
    expect(formatNumber("en", 29.6, { minimumFractionDigits: 2, maximumFractionDigits: 2 })).toBe("29.60");
  });

  it("knows today's date in Shanghai and when that day starts in UTC", () => {
    expect(todayIn("Asia/Shanghai", new Date("2026-11-28T16:30:00Z"))).toBe("2026-11-29");
    expect(startOfLocalDayUtc("2026-11-29").toISOString()).toBe("2026-11-28T16:00:00.000Z");
  });
});
