/**
 * Opening hours and utilisation arithmetic on local wall-clock times, and the conflict report's
 * grouping by date.
 */
import { describe, expect, it } from "vitest";
import { problemsByDate } from "~/domain/sessions/problems";
import { openingMinutesInMonth, utilisation, weekDates, withinOpeningHours } from "~/domain/sessions/schedule";

const weekdays9to5 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: "09:00", closes: "17:00" }));

describe("opening hours", () => {
  it("accepts a session inside the hours, including one that fills them exactly", () => {
    expect(withinOpeningHours(weekdays9to5, "2027-01-05T09:00", "2027-01-05T17:00")).toBe(true);
    expect(withinOpeningHours(weekdays9to5, "2027-01-05T10:00", "2027-01-05T11:30")).toBe(true);
  });

  it("refuses a session starting before opening, ending after closing, on a closed day, or running past midnight", () => {
    expect(withinOpeningHours(weekdays9to5, "2027-01-05T08:30", "2027-01-05T10:00")).toBe(false);
    expect(withinOpeningHours(weekdays9to5, "2027-01-05T16:00", "2027-01-05T17:01")).toBe(false);
    expect(withinOpeningHours(weekdays9to5, "2027-01-09T10:00", "2027-01-09T11:00")).toBe(false);
    const allDay = [{ weekday: 2, opens: "00:00", closes: "24:00" }];
    expect(withinOpeningHours(allDay, "2027-01-05T23:00", "2027-01-06T00:00")).toBe(true);
    expect(withinOpeningHours(allDay, "2027-01-05T23:00", "2027-01-06T00:30")).toBe(false);
  });

  it("counts the opening minutes of a month day by day", () => {
    // March 2027 has 23 weekdays; February 2028 (leap year) has 21
    expect(openingMinutesInMonth(weekdays9to5, "2027-03")).toBe(23 * 8 * 60);
    expect(openingMinutesInMonth(weekdays9to5, "2028-02")).toBe(21 * 8 * 60);
  });

  it("utilisation is booked ÷ opening minutes, once per room, and 0 for a studio never open", () => {
    expect(utilisation(weekdays9to5, "2027-03", 23 * 8 * 60 * 0.5, 0).ratio).toBe(0.5);
    expect(utilisation(weekdays9to5, "2027-03", 23 * 8 * 60, 2).ratio).toBe(0.5);
    expect(utilisation([], "2027-03", 60, 0).ratio).toBe(0);
  });

  it("a week runs Monday to Sunday", () => {
    expect(weekDates("2027-12-27")).toEqual(["2027-12-27", "2027-12-28", "2027-12-29", "2027-12-30", "2027-12-31", "2028-01-01", "2028-01-02"]);
  });
});

describe("the conflict report", () => {
  it("groups the problems of each date, in date order, without repeating a reason", () => {
    const lines = problemsByDate([
      { index: 3, local: "2027-01-19T19:00", key: "b" },
      { index: 1, local: "2027-01-05T19:00", key: "a" },
      { index: 3, local: "2027-01-19T19:00", key: "c" },
      { index: 3, local: "2027-01-19T19:00", key: "b" },
    ]);
    expect(lines).toEqual([
      { local: "2027-01-05T19:00", index: 1, keys: ["a"] },
      { local: "2027-01-19T19:00", index: 3, keys: ["b", "c"] },
    ]);
  });
});
