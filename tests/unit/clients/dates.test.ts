import { describe, expect, it } from "vitest";
import { addDays, addMonths, daysBetween, localDate, parseDate } from "~/domain/clients";

describe("calendar dates", () => {
  it("refuses strings that are not real YYYY-MM-DD dates", () => {
    expect(() => parseDate("2023-02-29")).toThrow(RangeError);
    expect(() => parseDate("2023-2-1")).toThrow(RangeError);
    expect(() => parseDate("2023-13-01")).toThrow(RangeError);
    expect(() => parseDate("2026-11-28T00:00:00Z")).toThrow(RangeError);
    expect(parseDate("2024-02-29")).toEqual({ y: 2024, m: 2, d: 29 });
  });

  it("counts days across months and leap years", () => {
    expect(daysBetween("2026-10-17", "2026-11-28")).toBe(42);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2026-11-28", "2026-11-20")).toBe(-8);
    expect(addDays("2026-01-01", 90)).toBe("2026-04-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });

  it("adds calendar months, clamping to the month's last day", () => {
    expect(addMonths("2025-08-31", 6)).toBe("2026-02-28");
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonths("2024-02-29", 48)).toBe("2028-02-29");
    expect(addMonths("2026-01-15", -3)).toBe("2025-10-15");
  });

  it("gives the wall-clock date of an instant in a time zone", () => {
    expect(localDate("2026-11-27T17:00:00.000Z", "Asia/Shanghai")).toBe("2026-11-28");
    expect(localDate("2026-11-27T15:59:59.999Z", "Asia/Shanghai")).toBe("2026-11-27");
    expect(localDate("2026-11-27T17:00:00.000Z", "UTC")).toBe("2026-11-27");
    expect(() => localDate("not a time", "UTC")).toThrow(RangeError);
  });
});
