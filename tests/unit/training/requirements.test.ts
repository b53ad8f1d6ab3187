import { describe, expect, it } from "vitest";
import {
  attendanceShare,
  certificateNumber,
  certificateSerial,
  checkRequirements,
  isValidSupervisor,
  meetsAllRequirements,
  requirementMessage,
  canTransition,
  type RequirementFacts,
  type SessionFact,
} from "~/domain/training/requirements";

const session = (id: number, start: string, hours = 2): SessionFact => ({
  id,
  startsAt: new Date(start).toISOString(),
  endsAt: new Date(Date.parse(start) + hours * 3_600_000).toISOString(),
});

function facts(overrides: Partial<RequirementFacts> = {}): RequirementFacts {
  return {
    programme: { minAttendancePercent: 80, practicumHoursRequired: 24 },
    cohortStatus: "running",
    asOf: "2025-06-01T00:00:00.000Z",
    modules: [
      { id: 1, code: "A", nameZh: "模块甲", nameEn: "Module A", passMark: 60 },
      { id: 2, code: "B", nameZh: "模块乙", nameEn: "Module B", passMark: 70 },
    ],
    sessions: [session(1, "2025-03-01T01:00:00Z")],
    attendance: [{ sessionId: 1, status: "present" }],
    assessments: [
      { moduleId: 1, attempt: 1, score: 80 },
      { moduleId: 2, attempt: 1, score: 75 },
    ],
    practicum: [{ hours: 24, signedOff: true }],
    ...overrides,
  };
}

describe("attendance share", () => {
  it("counts present and late as attended, absent and excused as not, by hours", () => {
    const sessions = [session(1, "2025-03-01T01:00:00Z", 4), session(2, "2025-03-02T01:00:00Z", 2), session(3, "2025-03-03T01:00:00Z", 2), session(4, "2025-03-04T01:00:00Z", 2)];
    const share = attendanceShare(
      sessions,
      [
        { sessionId: 1, status: "present" },
        { sessionId: 2, status: "late" },
        { sessionId: 3, status: "excused" },
        { sessionId: 4, status: "absent" },
      ],
      "running",
      "2025-06-01T00:00:00Z",
    );
    expect(share).toEqual({ attendedMinutes: 360, heldMinutes: 600, percent: 60 });
  });

  it("leaves sessions that have not begun out while running, and counts them all once assessing", () => {
    const sessions = [session(1, "2025-03-01T01:00:00Z"), session(2, "2025-07-01T01:00:00Z")];
    const marks = [{ sessionId: 1, status: "present" as const }];
    expect(attendanceShare(sessions, marks, "running", "2025-06-01T00:00:00Z").percent).toBe(100);
    expect(attendanceShare(sessions, marks, "assessing", "2025-06-01T00:00:00Z").percent).toBe(50);
  });

  it("rounds the shown percent down, so 79.9% is never shown as a met 80%", () => {
    // 799 of 1000 minutes
    const report = checkRequirements(
      facts({
        sessions: [session(1, "2025-03-01T00:00:00Z", 799 / 60), session(2, "2025-03-02T00:00:00Z", 201 / 60)],
        attendance: [{ sessionId: 1, status: "present" }],
      }),
    );
    const item = report.items.find((i) => i.kind === "attendance")!;
    expect(item).toMatchObject({ percent: 79, requiredPercent: 80, met: false });
  });

  it("is not met while no session has been held", () => {
    const report = checkRequirements(facts({ sessions: [session(1, "2025-09-01T01:00:00Z")], attendance: [] }));
    expect(report.items[0]).toMatchObject({ kind: "attendance", percent: null, met: false });
    expect(requirementMessage(report.items[0]!)).toBe("training.req.attendanceNone?required=80");
  });
});

describe("checkRequirements", () => {
  it("meets all when attendance, every module and the practicum hours are met", () => {
    const report = checkRequirements(facts());
    expect(report.meetsAll).toBe(true);
    expect(report.missing).toEqual([]);
    expect(meetsAllRequirements(facts())).toBe(true);
  });

  it("judges a module by the latest attempt: a passing re-sit replaces a failed attempt", () => {
    const f = facts({
      assessments: [
        { moduleId: 1, attempt: 1, score: 40 },
        { moduleId: 1, attempt: 2, score: 65 },
        { moduleId: 2, attempt: 1, score: 75 },
      ],
    });
    const mod = checkRequirements(f).items.find((i) => i.kind === "module" && i.moduleId === 1);
    expect(mod).toMatchObject({ met: true, score: 65, attempts: 2 });
  });

  it("judges a module by the latest attempt: a failed re-sit after a pass is a fail", () => {
    const f = facts({
      assessments: [
        { moduleId: 1, attempt: 2, score: 50 },
        { moduleId: 1, attempt: 1, score: 90 },
        { moduleId: 2, attempt: 1, score: 75 },
      ],
    });
    expect(meetsAllRequirements(f)).toBe(false);
  });

  it("counts only signed-off practicum hours and reports the unsigned ones apart", () => {
    const report = checkRequirements(facts({ practicum: [{ hours: 18, signedOff: true }, { hours: 6, signedOff: false }] }));
    const item = report.items.find((i) => i.kind === "practicum");
    expect(item).toEqual({ kind: "practicum", met: false, hours: 18, requiredHours: 24, unsignedHours: 6 });
    expect(requirementMessage(item!)).toBe("training.req.practicum?hours=18&required=24");
  });

  it("lists each missing item with its numbers", () => {
    const report = checkRequirements(
      facts({
        sessions: [session(1, "2025-03-01T01:00:00Z", 7.8), session(2, "2025-03-02T01:00:00Z", 2.2)],
        attendance: [{ sessionId: 1, status: "present" }],
        assessments: [{ moduleId: 1, attempt: 1, score: 80 }],
        practicum: [{ hours: 18, signedOff: true }],
      }),
    );
    expect(report.missing.map((m) => requirementMessage(m))).toEqual([
      "training.req.attendance?percent=78&required=80&attended=7.8&held=10",
      "training.req.moduleNone?name=Module+B&passMark=70",
      "training.req.practicum?hours=18&required=24",
    ]);
  });
});

describe("isValidSupervisor", () => {
  const none = { isTrainer: false, isSocialWorker: false, peerTutor: null };
  it("accepts trainers and social workers", () => {
    expect(isValidSupervisor({ ...none, isTrainer: true }, "2025-05-01")).toBe(true);
    expect(isValidSupervisor({ ...none, isSocialWorker: true }, "2025-05-01")).toBe(true);
  });
  it("accepts a peer tutor certified at least a year before the date, not one certified less than a year before", () => {
    const pt = (certifiedOn: string) => ({ ...none, peerTutor: { status: "active", certifiedOn, expiresOn: "2030-01-01" } });
    expect(isValidSupervisor(pt("2024-05-01"), "2025-05-01")).toBe(true);
    expect(isValidSupervisor(pt("2024-05-02"), "2025-05-01")).toBe(false);
  });
  it("refuses a revoked or expired peer tutor and someone with no role", () => {
    expect(isValidSupervisor({ ...none, peerTutor: { status: "revoked", certifiedOn: "2020-01-01", expiresOn: "2030-01-01" } }, "2025-05-01")).toBe(false);
    expect(isValidSupervisor({ ...none, peerTutor: { status: "active", certifiedOn: "2020-01-01", expiresOn: "2025-04-30" } }, "2025-05-01")).toBe(false);
    expect(isValidSupervisor(none, "2025-05-01")).toBe(false);
  });
});

describe("certificate numbers and cohort transitions", () => {
  it("formats TB-C{cohort}-{NNN} and reads the serial back", () => {
    expect(certificateNumber(4, 7)).toBe("TB-C4-007");
    expect(certificateSerial("TB-C4-007", 4)).toBe(7);
    expect(certificateSerial("TB-C41-007", 4)).toBeNull();
  });
  it("allows planning → running → assessing → certified → closed and not skipping ahead", () => {
    expect(canTransition("planning", "running")).toBe(true);
    expect(canTransition("running", "assessing")).toBe(true);
    expect(canTransition("assessing", "certified")).toBe(true);
    expect(canTransition("certified", "closed")).toBe(true);
    expect(canTransition("planning", "certified")).toBe(false);
    expect(canTransition("closed", "running")).toBe(false);
  });
});
