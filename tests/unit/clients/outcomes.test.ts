import { describe, expect, it } from "vitest";
import {
  abstinentSince,
  isEligibleForRecognition,
  isOverdue,
  isRecognised,
  milestones,
  nextBarc10Due,
  percentage,
  relapsedAfterRecognition,
  retainedInSupport,
  retentionMonths,
  scoreBarc10,
  threeYearRate,
  threeYearsAfter,
  threeYearsBefore,
  type RecognitionCandidate,
  type SubstanceEventFact,
} from "~/domain/clients";

const SH = "Asia/Shanghai";

describe("abstinentSince", () => {
  it("is the intake date when there are no events", () => {
    expect(abstinentSince("2020-01-10", [], "2025-01-01")).toBe("2020-01-10");
  });

  it("a relapse restarts the clock", () => {
    expect(abstinentSince("2020-01-10", [{ date: "2021-05-03", kind: "relapse" }], "2022-01-01")).toBe("2021-05-03");
  });

  it("a negative test does not move it", () => {
    expect(abstinentSince("2020-01-10", [{ date: "2021-06-01", kind: "test_negative" }], "2022-01-01")).toBe("2020-01-10");
  });

  it("a facility release restarts the clock", () => {
    expect(abstinentSince("2019-04-01", [{ date: "2021-09-30", kind: "facility_release" }], "2022-01-01")).toBe("2021-09-30");
  });

  it("takes the latest restarting event whatever the order given", () => {
    const events: SubstanceEventFact[] = [
      { date: "2020-03-01", kind: "use" },
      { date: "2020-08-15", kind: "test_positive" },
      { date: "2020-05-05", kind: "relapse" },
      { date: "2020-09-01", kind: "test_negative" },
    ];
    expect(abstinentSince("2020-01-01", events, "2021-01-01")).toBe("2020-08-15");
  });

  it("ignores events after D and counts an event on D itself", () => {
    const events: SubstanceEventFact[] = [{ date: "2022-02-01", kind: "use" }];
    expect(abstinentSince("2020-01-10", events, "2022-01-31")).toBe("2020-01-10");
    expect(abstinentSince("2020-01-10", events, "2022-02-01")).toBe("2022-02-01");
  });

  it("counts a restarting event dated before intake, as DESIGN §5 words it", () => {
    expect(abstinentSince("2020-01-10", [{ date: "2019-11-20", kind: "facility_release" }], "2021-01-01")).toBe("2019-11-20");
  });

  it("refuses a date that does not exist", () => {
    expect(() => abstinentSince("2023-02-29", [], "2024-01-01")).toThrow(RangeError);
  });
});

describe("threeYearsBefore / threeYearsAfter", () => {
  it("moves three calendar years", () => {
    expect(threeYearsBefore("2026-11-28")).toBe("2023-11-28");
    expect(threeYearsBefore("2023-03-01")).toBe("2020-03-01");
    expect(threeYearsAfter("2021-01-31")).toBe("2024-01-31");
  });

  it("maps 29 February to 28 February", () => {
    expect(threeYearsBefore("2024-02-29")).toBe("2021-02-28");
    expect(threeYearsAfter("2020-02-29")).toBe("2023-02-28");
  });
});

describe("isEligibleForRecognition", () => {
  const base = (over: Partial<RecognitionCandidate> = {}): RecognitionCandidate => ({
    intakeDate: "2020-06-15",
    status: "active",
    closedOn: null,
    events: [],
    recognitions: [],
    ...over,
  });

  it("becomes eligible exactly three years after intake with no events", () => {
    expect(isEligibleForRecognition(base(), "2023-06-14")).toBe(false);
    expect(isEligibleForRecognition(base(), "2023-06-15")).toBe(true);
  });

  it("intake on 2020-02-29 is eligible on 2023-02-28, not on 2023-02-27", () => {
    const c = base({ intakeDate: "2020-02-29" });
    expect(isEligibleForRecognition(c, "2023-02-27")).toBe(false);
    expect(isEligibleForRecognition(c, "2023-02-28")).toBe(true);
  });

  it("a relapse restarts the three years", () => {
    const c = base({ intakeDate: "2018-01-01", events: [{ date: "2021-03-10", kind: "relapse" }] });
    expect(isEligibleForRecognition(c, "2023-12-31")).toBe(false);
    expect(isEligibleForRecognition(c, "2024-03-09")).toBe(false);
    expect(isEligibleForRecognition(c, "2024-03-10")).toBe(true);
  });

  it("a negative test does not restart the three years", () => {
    const c = base({ intakeDate: "2018-01-01", events: [{ date: "2021-03-10", kind: "test_negative" }] });
    expect(isEligibleForRecognition(c, "2021-01-01")).toBe(true);
  });

  it("a facility release restarts the three years", () => {
    const c = base({ intakeDate: "2018-01-01", events: [{ date: "2022-07-01", kind: "facility_release" }] });
    expect(isEligibleForRecognition(c, "2025-06-30")).toBe(false);
    expect(isEligibleForRecognition(c, "2025-07-01")).toBe(true);
  });

  it("a client closed before D is not eligible", () => {
    const c = base({ intakeDate: "2018-01-01", status: "closed", closedOn: "2022-12-31" });
    expect(isEligibleForRecognition(c, "2023-01-01")).toBe(false);
    expect(isEligibleForRecognition(c, "2022-12-31")).toBe(false);
  });

  it("a client closed after D was still open at D", () => {
    const c = base({ intakeDate: "2018-01-01", status: "closed", closedOn: "2024-05-01" });
    expect(isEligibleForRecognition(c, "2023-01-01")).toBe(true);
  });

  it("a closed client without a closing date counts as closed", () => {
    expect(isEligibleForRecognition(base({ intakeDate: "2018-01-01", status: "closed", closedOn: null }), "2023-01-01")).toBe(false);
  });

  it("a client already recognised on or before D is off the worklist; a later recognition does not matter at D", () => {
    const c = base({ intakeDate: "2018-01-01", recognitions: [{ recognisedOn: "2021-02-01" }] });
    expect(isEligibleForRecognition(c, "2021-01-31")).toBe(true);
    expect(isEligibleForRecognition(c, "2021-02-01")).toBe(false);
  });

  it("a client whose intake is after D was not served and is not eligible", () => {
    const c = base({ intakeDate: "2024-01-01", events: [{ date: "2019-01-01", kind: "facility_release" }] });
    expect(isEligibleForRecognition(c, "2023-12-31")).toBe(false);
  });
});

describe("recognition and relapse after it", () => {
  const recognitions = [{ recognisedOn: "2023-05-01" }];

  it("a client is recognised from the recognition date on", () => {
    expect(isRecognised(recognitions, "2023-04-30")).toBe(false);
    expect(isRecognised(recognitions, "2023-05-01")).toBe(true);
    expect(isRecognised([], "2023-05-01")).toBe(false);
  });

  it("a recognition then a relapse: still recognised, counted as relapsed after recognition", () => {
    const events: SubstanceEventFact[] = [{ date: "2024-02-10", kind: "relapse" }];
    expect(isRecognised(recognitions, "2024-03-01")).toBe(true);
    expect(relapsedAfterRecognition(recognitions, events, "2024-03-01")).toBe(true);
    expect(relapsedAfterRecognition(recognitions, events, "2024-02-09")).toBe(false);
  });

  it("use and positive tests count as relapse after recognition; negative tests and facility releases do not", () => {
    expect(relapsedAfterRecognition(recognitions, [{ date: "2024-01-01", kind: "use" }], "2025-01-01")).toBe(true);
    expect(relapsedAfterRecognition(recognitions, [{ date: "2024-01-01", kind: "test_positive" }], "2025-01-01")).toBe(true);
    expect(relapsedAfterRecognition(recognitions, [{ date: "2024-01-01", kind: "test_negative" }], "2025-01-01")).toBe(false);
    expect(relapsedAfterRecognition(recognitions, [{ date: "2024-01-01", kind: "facility_release" }], "2025-01-01")).toBe(false);
  });

  it("a use before or on the recognition day is not a relapse after it", () => {
    expect(relapsedAfterRecognition(recognitions, [{ date: "2020-01-01", kind: "use" }], "2025-01-01")).toBe(false);
    expect(relapsedAfterRecognition(recognitions, [{ date: "2023-05-01", kind: "use" }], "2025-01-01")).toBe(false);
  });

  it("measures from the first recognition", () => {
    const two = [{ recognisedOn: "2026-01-01" }, { recognisedOn: "2023-05-01" }];
    expect(relapsedAfterRecognition(two, [{ date: "2024-02-10", kind: "relapse" }], "2026-06-01")).toBe(true);
  });

  it("is false without a recognition on or before D", () => {
    expect(relapsedAfterRecognition(recognitions, [{ date: "2023-04-01", kind: "relapse" }], "2023-04-30")).toBe(false);
  });
});

describe("threeYearRate", () => {
  it("gives the source program's 29.60% for 10579 of 35740", () => {
    expect(threeYearRate(10579, 35740)).toBe("29.60");
  });

  it("gives 0.00 when nobody was served", () => {
    expect(threeYearRate(0, 0)).toBe("0.00");
  });

  it("rounds half up to two decimals", () => {
    expect(percentage(1, 3)).toBe("33.33");
    expect(percentage(2, 3)).toBe("66.67");
    expect(percentage(1, 800)).toBe("0.13");
    expect(percentage(1, 1600)).toBe("0.06");
    expect(percentage(1, 8)).toBe("12.50");
    expect(percentage(7, 7)).toBe("100.00");
  });

  it("refuses negative or fractional counts", () => {
    expect(() => threeYearRate(-1, 10)).toThrow(RangeError);
    expect(() => threeYearRate(1.5, 10)).toThrow(RangeError);
  });
});

describe("milestones", () => {
  // abstinent since 2026-01-01: 30 days → 01-31, 90 days → 04-01, 6 months → 07-01,
  // 1 year → 2027-01-01, 2 → 2028-01-01, 3 → 2029-01-01, 5 → 2031-01-01
  const since = "2026-01-01";

  it("reaches nothing the day before 30 days", () => {
    expect(milestones(since, "2026-01-30")).toEqual({ days: 29, reached: [], next: { key: "days30", date: "2026-01-31" } });
  });

  it("reaches 30 days on the 30th day", () => {
    expect(milestones(since, "2026-01-31")).toEqual({
      days: 30,
      reached: [{ key: "days30", date: "2026-01-31" }],
      next: { key: "days90", date: "2026-04-01" },
    });
  });

  it("reaches 90 days on 2026-04-01, not on 2026-03-31", () => {
    expect(milestones(since, "2026-03-31").reached.map((m) => m.key)).toEqual(["days30"]);
    expect(milestones(since, "2026-04-01").reached.map((m) => m.key)).toEqual(["days30", "days90"]);
    expect(milestones(since, "2026-04-01").next).toEqual({ key: "months6", date: "2026-07-01" });
  });

  it("reaches three years on the anniversary, with five years next", () => {
    const m = milestones(since, "2029-01-01");
    expect(m.reached.map((r) => r.key)).toEqual(["days30", "days90", "months6", "years1", "years2", "years3"]);
    expect(m.reached.at(-1)).toEqual({ key: "years3", date: "2029-01-01" });
    expect(m.next).toEqual({ key: "years5", date: "2031-01-01" });
    expect(milestones(since, "2028-12-31").next).toEqual({ key: "years3", date: "2029-01-01" });
  });

  it("has nothing next after five years", () => {
    const m = milestones(since, "2031-01-01");
    expect(m.reached).toHaveLength(7);
    expect(m.next).toBeNull();
  });

  it("six months from 31 August falls on the last day of February", () => {
    expect(milestones("2025-08-31", "2026-02-27").next).toEqual({ key: "months6", date: "2026-02-28" });
    expect(milestones("2025-08-31", "2026-02-28").reached.map((r) => r.key)).toContain("months6");
  });

  it("three years from 29 February falls on 28 February, the day recognition becomes possible", () => {
    const m = milestones("2020-02-29", "2023-02-28");
    expect(m.reached.find((r) => r.key === "years3")).toEqual({ key: "years3", date: "2023-02-28" });
    expect(m.reached.find((r) => r.key === "years1")).toEqual({ key: "years1", date: "2021-02-28" });
  });
});

describe("isOverdue", () => {
  it("a client never contacted is overdue", () => {
    expect(isOverdue({}, "2026-11-28", 30, SH)).toEqual({
      overdue: true,
      daysOverdue: null,
      reason: "never_contacted",
      daysSinceLastContact: null,
    });
  });

  it("a contact 8 days ago is not overdue", () => {
    expect(isOverdue({ lastContactAt: "2026-11-20T02:00:00.000Z" }, "2026-11-28", 30, SH)).toEqual({
      overdue: false,
      daysOverdue: 0,
      reason: null,
      daysSinceLastContact: 8,
    });
  });

  it("a contact exactly the threshold ago is not overdue; one day more is 1 day overdue", () => {
    const last = { lastContactAt: "2026-10-29T02:00:00.000Z" };
    expect(isOverdue(last, "2026-11-28", 30, SH).overdue).toBe(false);
    expect(isOverdue(last, "2026-11-29", 30, SH)).toMatchObject({ overdue: true, daysOverdue: 1, reason: "threshold" });
  });

  it("a last contact on 17 October is 12 days overdue on 28 November", () => {
    expect(isOverdue({ lastContactAt: "2026-10-17T01:00:00.000Z" }, "2026-11-28", 30, SH)).toEqual({
      overdue: true,
      daysOverdue: 12,
      reason: "threshold",
      daysSinceLastContact: 42,
    });
  });

  it("a next-contact date in the past makes a recently contacted client overdue", () => {
    const cadence = { lastContactAt: "2026-11-23T03:00:00.000Z", nextContactDue: "2026-11-26" };
    expect(isOverdue(cadence, "2026-11-28", 30, SH)).toEqual({
      overdue: true,
      daysOverdue: 2,
      reason: "next_due_passed",
      daysSinceLastContact: 5,
    });
  });

  it("a next-contact date of today is not yet overdue", () => {
    expect(isOverdue({ lastContactAt: "2026-11-23T03:00:00.000Z", nextContactDue: "2026-11-28" }, "2026-11-28", 30, SH).overdue).toBe(false);
  });

  it("shows the larger count when both rules apply", () => {
    // last contact 42 days ago (12 over the threshold), next contact was due 20 days ago
    const cadence = { lastContactAt: "2026-10-17T01:00:00.000Z", nextContactDue: "2026-11-08" };
    expect(isOverdue(cadence, "2026-11-28", 30, SH)).toMatchObject({ overdue: true, daysOverdue: 20, reason: "next_due_passed" });
  });

  it("compares dates in the program time zone: 2026-11-27T17:00Z is 28 November in Shanghai", () => {
    const cadence = { lastContactAt: "2026-11-27T17:00:00.000Z" };
    expect(isOverdue(cadence, "2026-12-28", 30, SH)).toMatchObject({ overdue: false, daysSinceLastContact: 30 });
    expect(isOverdue(cadence, "2026-12-28", 30, "UTC")).toMatchObject({ overdue: true, daysOverdue: 1, daysSinceLastContact: 31 });
  });

  it("uses the threshold it is given", () => {
    expect(isOverdue({ lastContactAt: "2026-11-20T02:00:00.000Z" }, "2026-11-28", 7, SH)).toMatchObject({ overdue: true, daysOverdue: 1 });
  });
});

describe("BARC-10", () => {
  it("totals ten answers from 1 to 6", () => {
    expect(scoreBarc10([6, 5, 4, 3, 2, 1, 6, 5, 4, 3])).toEqual({ ok: true, total: 39 });
    expect(scoreBarc10(Array(10).fill(1))).toEqual({ ok: true, total: 10 });
    expect(scoreBarc10(Array(10).fill(6))).toEqual({ ok: true, total: 60 });
  });

  it("rejects 0", () => {
    expect(scoreBarc10([0, 5, 4, 3, 2, 1, 6, 5, 4, 3])).toEqual({
      ok: false,
      key: "clients.barc10.itemRange?item=1&min=1&max=6",
      field: "item1",
    });
  });

  it("rejects 7", () => {
    expect(scoreBarc10([1, 1, 1, 1, 7, 1, 1, 1, 1, 1])).toMatchObject({ ok: false, field: "item5" });
  });

  it("rejects 2.5", () => {
    expect(scoreBarc10([1, 1, 1, 1, 1, 1, 1, 1, 1, 2.5])).toMatchObject({ ok: false, field: "item10" });
  });

  it("rejects a string, NaN and null", () => {
    expect(scoreBarc10(["3", 1, 1, 1, 1, 1, 1, 1, 1, 1]).ok).toBe(false);
    expect(scoreBarc10([Number.NaN, 1, 1, 1, 1, 1, 1, 1, 1, 1]).ok).toBe(false);
    expect(scoreBarc10([null, 1, 1, 1, 1, 1, 1, 1, 1, 1]).ok).toBe(false);
  });

  it("rejects nine items and eleven items", () => {
    expect(scoreBarc10(Array(9).fill(3))).toEqual({ ok: false, key: "clients.barc10.itemCount?expected=10", field: "answers" });
    expect(scoreBarc10(Array(11).fill(3)).ok).toBe(false);
  });

  it("is next due three calendar months later by default", () => {
    expect(nextBarc10Due("2026-01-15")).toBe("2026-04-15");
    expect(nextBarc10Due("2026-11-30")).toBe("2027-02-28");
    expect(nextBarc10Due("2027-11-30")).toBe("2028-02-29");
    expect(nextBarc10Due("2026-01-15", 6)).toBe("2026-07-15");
    expect(() => nextBarc10Due("2026-01-15", 0)).toThrow(RangeError);
  });
});

describe("retainedInSupport", () => {
  it("looks at the three complete calendar months before D's month", () => {
    expect(retentionMonths("2026-12-15")).toEqual(["2026-09", "2026-10", "2026-11"]);
    expect(retentionMonths("2026-12-01")).toEqual(["2026-09", "2026-10", "2026-11"]);
    expect(retentionMonths("2026-01-31")).toEqual(["2025-10", "2025-11", "2025-12"]);
  });

  it("a contact in each of the three months retains the client", () => {
    const contacts = ["2026-09-10T02:00:00.000Z", "2026-10-05T02:00:00.000Z", "2026-11-20T02:00:00.000Z"];
    expect(retainedInSupport(contacts, "2026-12-15", SH)).toBe(true);
  });

  it("a month without contact loses the client", () => {
    const contacts = ["2026-09-10T02:00:00.000Z", "2026-09-25T02:00:00.000Z", "2026-11-20T02:00:00.000Z"];
    expect(retainedInSupport(contacts, "2026-12-15", SH)).toBe(false);
  });

  it("contacts in D's own month do not stand in for an earlier month", () => {
    const contacts = ["2026-10-05T02:00:00.000Z", "2026-11-20T02:00:00.000Z", "2026-12-02T02:00:00.000Z"];
    expect(retainedInSupport(contacts, "2026-12-15", SH)).toBe(false);
  });

  it("places a contact in its month by the program's time zone", () => {
    // 2026-08-31T17:00Z is 1 September 01:00 in Shanghai
    const contacts = ["2026-08-31T17:00:00.000Z", "2026-10-05T02:00:00.000Z", "2026-11-20T02:00:00.000Z"];
    expect(retainedInSupport(contacts, "2026-12-15", SH)).toBe(true);
    expect(retainedInSupport(contacts, "2026-12-15", "UTC")).toBe(false);
  });

  it("no contacts at all is not retained", () => {
    expect(retainedInSupport([], "2026-12-15", SH)).toBe(false);
  });
});
