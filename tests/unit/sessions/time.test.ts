/**
 * Local wall-clock times to UTC in the program's time zone; daylight-saving gaps and overlaps are
 * refused rather than guessed.
 */
import { describe, expect, it } from "vitest";
import { datesOfMonth, localToUtc, mondayOf, startOfLocalDate, utcToLocal, weekdayOf } from "~/domain/sessions/time";

describe("local time and UTC", () => {
  it("converts a Shanghai wall-clock time (UTC+8, no daylight saving)", () => {
    const r = localToUtc("2027-01-05T19:00", "Asia/Shanghai");
    expect(r).toEqual({ ok: true, utc: new Date("2027-01-05T11:00:00.000Z") });
    expect(utcToLocal("2027-01-05T11:00:00.000Z", "Asia/Shanghai")).toBe("2027-01-05T19:00");
  });

  it("converts Berlin times on either side of the spring change", () => {
    expect(localToUtc("2027-03-28T01:30", "Europe/Berlin")).toEqual({ ok: true, utc: new Date("2027-03-28T00:30:00.000Z") });
    expect(localToUtc("2027-03-28T03:30", "Europe/Berlin")).toEqual({ ok: true, utc: new Date("2027-03-28T01:30:00.000Z") });
  });

  it("refuses a Berlin time skipped when the clocks spring forward", () => {
    expect(localToUtc("2027-03-28T02:30", "Europe/Berlin")).toEqual({ ok: false, reason: "nonexistent" });
  });

  it("refuses a Berlin time that happens twice when the clocks fall back", () => {
    expect(localToUtc("2027-10-31T02:30", "Europe/Berlin")).toEqual({ ok: false, reason: "ambiguous" });
  });

  it("refuses a New York time skipped in March and one repeated in November", () => {
    expect(localToUtc("2027-03-14T02:15", "America/New_York")).toEqual({ ok: false, reason: "nonexistent" });
    expect(localToUtc("2027-11-07T01:15", "America/New_York")).toEqual({ ok: false, reason: "ambiguous" });
  });

  it("refuses dates that do not exist", () => {
    expect(localToUtc("2027-02-30T10:00", "Asia/Shanghai")).toEqual({ ok: false, reason: "invalid" });
    expect(localToUtc("2027-02-03T25:00", "Asia/Shanghai")).toEqual({ ok: false, reason: "invalid" });
  });

  it("finds weekdays, Mondays, month days and the start of a local day", () => {
    expect(weekdayOf("2027-01-05")).toBe(2);
    expect(weekdayOf("2027-01-10")).toBe(7);
    expect(mondayOf("2027-01-10")).toBe("2027-01-04");
    expect(datesOfMonth("2028-02")).toHaveLength(29);
    expect(startOfLocalDate("2027-01-05", "Asia/Shanghai").toISOString()).toBe("2027-01-04T16:00:00.000Z");
  });
});
