/**
 * Recurrence of peer-education groups, expanded by the rrule library in floating local time.
 */
import { describe, expect, it } from "vitest";
import { MAX_OCCURRENCES, expandRule, planSeries, ruleEndingBefore, ruleText, specOf } from "~/domain/sessions/recurrence";

describe("group recurrence", () => {
  it("weekly 8 times on Tuesdays expands to 8 Tuesday dates at the same local time", () => {
    // 2027-01-04 is a Monday: the series begins on the first Tuesday after it
    const plan = planSeries({ frequency: "weekly", weekdays: [2], count: 8, until: null }, "2027-01-04", "19:00");
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.rule).toBe("FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;COUNT=8");
    expect(plan.firstStartsLocal).toBe("2027-01-05T19:00");
    expect(plan.expansion.occurrences.map((o) => o.local)).toEqual([
      "2027-01-05T19:00", "2027-01-12T19:00", "2027-01-19T19:00", "2027-01-26T19:00",
      "2027-02-02T19:00", "2027-02-09T19:00", "2027-02-16T19:00", "2027-02-23T19:00",
    ]);
    expect(plan.expansion.occurrences.map((o) => o.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("fortnightly on Tuesdays and Thursdays until a date stops on that date, inclusive", () => {
    const plan = planSeries({ frequency: "fortnightly", weekdays: [4, 2], count: null, until: "2027-02-04" }, "2027-01-05", "14:30");
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.rule).toContain("INTERVAL=2");
    expect(plan.rule).toContain("BYDAY=TU,TH");
    expect(plan.expansion.occurrences.map((o) => o.local)).toEqual([
      "2027-01-05T14:30", "2027-01-07T14:30", "2027-01-19T14:30", "2027-01-21T14:30", "2027-02-02T14:30", "2027-02-04T14:30",
    ]);
  });

  it("skips exception dates but keeps the numbering of the dates after them", () => {
    const plan = planSeries({ frequency: "weekly", weekdays: [2], count: 4, until: null }, "2027-01-05", "19:00", ["2027-01-12"]);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.expansion.occurrences.map((o) => [o.index, o.local])).toEqual([
      [1, "2027-01-05T19:00"], [3, "2027-01-19T19:00"], [4, "2027-01-26T19:00"],
    ]);
    expect(plan.expansion.excluded.map((o) => o.local)).toEqual(["2027-01-12T19:00"]);
  });

  it("refuses a recurrence with no end", () => {
    const plan = planSeries({ frequency: "weekly", weekdays: [2], count: null, until: null }, "2027-01-05", "19:00");
    expect(plan).toEqual({ ok: false, problems: [{ field: "endKind", key: "sessions.recurrence.noEnd" }] });
  });

  it("refuses a recurrence without weekdays", () => {
    const plan = planSeries({ frequency: "weekly", weekdays: [], count: 3, until: null }, "2027-01-05", "19:00");
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.problems).toContainEqual({ field: "weekdays", key: "sessions.recurrence.noWeekdays" });
  });

  it(`caps 10,000 occurrences at ${MAX_OCCURRENCES} and says so`, () => {
    const byCount = planSeries({ frequency: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7], count: 10_000, until: null }, "2027-01-05", "10:00");
    expect(byCount).toEqual({ ok: false, problems: [{ field: "count", key: `sessions.recurrence.tooMany?max=${MAX_OCCURRENCES}` }] });
    const byDate = planSeries({ frequency: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7], count: null, until: "2054-05-22" }, "2027-01-05", "10:00");
    expect(byDate).toEqual({ ok: false, problems: [{ field: "until", key: `sessions.recurrence.tooMany?max=${MAX_OCCURRENCES}` }] });
  });

  it("refuses an end date before the start date", () => {
    const plan = planSeries({ frequency: "weekly", weekdays: [2], count: null, until: "2026-12-01" }, "2027-01-05", "19:00");
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.problems).toContainEqual({ field: "until", key: "sessions.recurrence.untilBeforeStart" });
  });

  it("reads back the spec it wrote", () => {
    const spec = { frequency: "fortnightly" as const, weekdays: [2, 4], count: null, until: "2027-03-31" };
    expect(specOf(ruleText(spec))).toEqual(spec);
    expect(specOf("FREQ=DAILY;COUNT=3")).toBeNull();
    expect(specOf("nonsense")).toBeNull();
  });

  it("ending a rule before a date keeps only the earlier occurrences", () => {
    const rule = ruleText({ frequency: "weekly", weekdays: [2], count: 8, until: null });
    const ended = ruleEndingBefore(rule, "2027-01-26");
    expect(expandRule(ended, "2027-01-05T19:00").occurrences.map((o) => o.local)).toEqual([
      "2027-01-05T19:00", "2027-01-12T19:00", "2027-01-19T19:00",
    ]);
  });
});
