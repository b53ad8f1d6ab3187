/**
 * Volunteer hours, the domain rules: logging (date, hours, activity, district), the 7-day edit
 * window, decisions in one's own districts only (bulk all-or-nothing, a reason to reject),
 * notifications and audit rows, hours from a facilitated session, and the figures other areas use.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, notifications, volunteerHours } from "#db/schema";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { saveVolunteerActivities, getVolunteerActivities } from "~/domain/settings/volunteer-activities.server";
import {
  DecideSchema,
  LogHoursSchema,
  approvedMinutes,
  decideHours,
  editHours,
  hoursStatement,
  logHours,
  logHoursFromSession,
  myHoursSummary,
  parseHours,
  pendingHoursCount,
  withdrawHours,
} from "~/domain/volunteering";
import { makeCoordinator, makePeerTutor, personOf } from "../../clients-factories";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { makeRawSession, makeScheduleStudio } from "../../sessions-factories";
import { actorOfUser, daysAgo, loggedDaysAgo, rawHours, viewerOf } from "./volunteering-helpers";

const db = () => getDb();
let huangpu = 0;
let xuhui = 0;
let studioId = 0;

beforeAll(() => {
  huangpu = makeDistrict({ nameZh: "测试黄浦（虚构）" }).id;
  xuhui = makeDistrict({ nameZh: "测试徐汇（虚构）" }).id;
  studioId = makeScheduleStudio({ districtId: huangpu }).id;
});

async function tutorIn(districtId: number) {
  const t = await makePeerTutor(districtId);
  return { ...t, viewer: viewerOf(t), actor: actorOfUser(t) };
}
async function coordinatorOf(districtIds: number[]) {
  const c = await makeCoordinator(districtIds);
  return { ...c, viewer: viewerOf(c), actor: actorOfUser(c) };
}
const input = (districtId: number, overrides: Partial<{ activity: string; workedOn: string; minutes: number; note: string }> = {}) => ({
  activity: "peerSupport",
  workedOn: daysAgo(2),
  minutes: 90,
  districtId,
  note: "测试备注（虚构）",
  ...overrides,
});
function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}
const entry = (id: number) => db().select().from(volunteerHours).where(eq(volunteerHours.id, id)).get();
const audits = (id: number, action: string) =>
  db().select().from(auditLog).where(and(eq(auditLog.entity, "volunteer_hours"), eq(auditLog.entityId, String(id)), eq(auditLog.action, action))).all();

describe("logging hours", () => {
  it("a peer tutor logs hours in their district: pending, audited with what was logged", async () => {
    const t = await tutorIn(huangpu);
    const id = logHours(db(), t.actor, t.viewer, input(huangpu));
    const row = entry(id)!;
    expect(row).toMatchObject({ personId: t.personId, districtId: huangpu, minutes: 90, status: "pending", createdByUserId: t.id });
    expect(audits(id, "create")).toHaveLength(1);
  });

  it("a date in the future is refused on the date field", async () => {
    const t = await tutorIn(huangpu);
    const e = refusal(() => logHours(db(), t.actor, t.viewer, input(huangpu, { workedOn: daysAgo(-1) })));
    expect(e).toMatchObject({ key: "volunteering.error.future", field: "workedOn" });
  });

  it("a day more than 90 days ago is refused; exactly 90 days ago is accepted", async () => {
    const t = await tutorIn(huangpu);
    expect(refusal(() => logHours(db(), t.actor, t.viewer, input(huangpu, { workedOn: daysAgo(91) }))).key).toBe("volunteering.error.tooOld?days=90");
    expect(logHours(db(), t.actor, t.viewer, input(huangpu, { workedOn: daysAgo(90) }))).toBeGreaterThan(0);
  });

  it("hours must be quarter hours from 0.25 to 12", () => {
    expect(parseHours("0.25")).toEqual({ minutes: 15 });
    expect(parseHours("1,5")).toEqual({ minutes: 90 });
    expect(parseHours("12")).toEqual({ minutes: 720 });
    expect(parseHours("0")).toEqual({ error: "volunteering.error.hoursRange?min=0.25&max=12" });
    expect(parseHours("12.25")).toEqual({ error: "volunteering.error.hoursRange?min=0.25&max=12" });
    expect(parseHours("1.3")).toEqual({ error: "volunteering.error.quarterHours" });
    expect(parseHours("-1")).toEqual({ error: "volunteering.error.hoursFormat" });
    expect(parseHours("two")).toEqual({ error: "volunteering.error.hoursFormat" });
    expect(parseHours("1e1")).toEqual({ error: "volunteering.error.hoursFormat" });
    const parsed = LogHoursSchema.safeParse({ activity: "peerSupport", workedOn: "2026-02-30", hours: "1", districtId: "1", note: "" });
    expect(parsed.success).toBe(false);
  });

  it("a note over 500 characters or with control characters is refused by the form schema", () => {
    const base = { activity: "peerSupport", workedOn: "2026-01-05", hours: "1", districtId: "1" };
    expect(LogHoursSchema.safeParse({ ...base, note: "字".repeat(500) }).success).toBe(true);
    expect(LogHoursSchema.safeParse({ ...base, note: "字".repeat(501) }).error?.issues[0]?.message).toBe("form.tooLong?max=500");
    expect(LogHoursSchema.safeParse({ ...base, note: "a\u0007b" }).error?.issues[0]?.message).toBe("form.controlChars");
  });

  it("a district the person does not belong to is refused; an unknown or inactive activity too", async () => {
    const t = await tutorIn(huangpu);
    expect(refusal(() => logHours(db(), t.actor, t.viewer, input(xuhui)))).toMatchObject({ key: "volunteering.error.districtNotYours", field: "districtId" });
    expect(refusal(() => logHours(db(), t.actor, t.viewer, input(huangpu, { activity: "sleeping" })))).toMatchObject({ field: "activity" });
    const list = getVolunteerActivities(db());
    saveVolunteerActivities(db(), SYSTEM_ACTOR, list.map((a) => (a.id === "outreach" ? { ...a, active: false } : a)));
    try {
      expect(refusal(() => logHours(db(), t.actor, t.viewer, input(huangpu, { activity: "outreach" })))).toMatchObject({ field: "activity" });
    } finally {
      saveVolunteerActivities(db(), SYSTEM_ACTOR, list);
    }
  });

  it("an activity cannot be removed from the list once it exists (deactivate instead)", () => {
    const list = getVolunteerActivities(db());
    expect(refusal(() => saveVolunteerActivities(db(), SYSTEM_ACTOR, list.filter((a) => a.id !== "other"))).key).toBe("volunteering.activities.keepIds");
  });
});

describe("editing and withdrawing own entries", () => {
  it("a pending entry can be edited within 7 days of logging, and the change is audited", async () => {
    const t = await tutorIn(huangpu);
    const id = logHours(db(), t.actor, t.viewer, input(huangpu));
    loggedDaysAgo(id, 6);
    editHours(db(), t.actor, t.viewer, id, input(huangpu, { minutes: 45, note: "改过（虚构）" }));
    expect(entry(id)).toMatchObject({ minutes: 45, note: "改过（虚构）" });
    expect(audits(id, "update")).toHaveLength(1);
  });

  it("after 7 days the entry can no longer be edited or withdrawn", async () => {
    const t = await tutorIn(huangpu);
    const id = logHours(db(), t.actor, t.viewer, input(huangpu));
    loggedDaysAgo(id, 8);
    expect(refusal(() => editHours(db(), t.actor, t.viewer, id, input(huangpu, { minutes: 45 }))).key).toBe("volunteering.error.editWindow?days=7");
    expect(refusal(() => withdrawHours(db(), t.actor, t.viewer, id)).key).toBe("volunteering.error.editWindow?days=7");
    expect(entry(id)?.minutes).toBe(90);
  });

  it("once approved or rejected the entry can no longer be edited or withdrawn", async () => {
    const t = await tutorIn(huangpu);
    const c = await coordinatorOf([huangpu]);
    const id = logHours(db(), t.actor, t.viewer, input(huangpu));
    decideHours(db(), c.actor, c.viewer, { decision: "approve", ids: [id], reason: "" });
    expect(refusal(() => editHours(db(), t.actor, t.viewer, id, input(huangpu, { minutes: 30 }))).key).toBe("volunteering.error.alreadyDecided");
    expect(refusal(() => withdrawHours(db(), t.actor, t.viewer, id)).key).toBe("volunteering.error.alreadyDecided");
  });

  it("withdrawing removes the pending entry and the audit log keeps what it was", async () => {
    const t = await tutorIn(huangpu);
    const id = logHours(db(), t.actor, t.viewer, input(huangpu));
    withdrawHours(db(), t.actor, t.viewer, id);
    expect(entry(id)).toBeUndefined();
    expect(audits(id, "withdraw")[0]?.details).toMatchObject({ minutes: 90, districtId: huangpu });
  });

  it("someone else's entry is unknown to edit or withdraw", async () => {
    const t = await tutorIn(huangpu);
    const other = await tutorIn(huangpu);
    const id = logHours(db(), t.actor, t.viewer, input(huangpu));
    expect(refusal(() => editHours(db(), other.actor, other.viewer, id, input(huangpu))).key).toBe("form.unknownId");
    expect(refusal(() => withdrawHours(db(), other.actor, other.viewer, id)).key).toBe("form.unknownId");
  });
});

describe("approving and rejecting", () => {
  it("a coordinator approves an entry of their district: decided, audited and the person notified", async () => {
    const t = await tutorIn(huangpu);
    const c = await coordinatorOf([huangpu]);
    const id = logHours(db(), t.actor, t.viewer, input(huangpu));
    expect(decideHours(db(), c.actor, c.viewer, { decision: "approve", ids: [id], reason: "" })).toBe(1);
    expect(entry(id)).toMatchObject({ status: "approved", decidedByUserId: c.id, rejectionReason: null });
    expect(audits(id, "approve")).toHaveLength(1);
    const note = db().select().from(notifications).where(eq(notifications.userId, t.id)).all();
    expect(note).toHaveLength(1);
    expect(note[0]).toMatchObject({ kind: "hoursApproved", messageKey: "volunteering.notify.approved", link: "/hours" });
    expect(note[0]?.params).toMatchObject({ hours: "1.5" });
  });

  it("a rejection needs a reason, which the person is notified of", async () => {
    const t = await tutorIn(huangpu);
    const c = await coordinatorOf([huangpu]);
    const id = logHours(db(), t.actor, t.viewer, input(huangpu));
    expect(DecideSchema.safeParse({ decision: "reject", ids: [String(id)], reason: "  " }).error?.issues[0]).toMatchObject({ path: ["reason"], message: "volunteering.error.reasonRequired" });
    expect(refusal(() => decideHours(db(), c.actor, c.viewer, { decision: "reject", ids: [id], reason: "" })).key).toBe("volunteering.error.reasonRequired");
    decideHours(db(), c.actor, c.viewer, { decision: "reject", ids: [id], reason: "日期有误（虚构）" });
    expect(entry(id)).toMatchObject({ status: "rejected", rejectionReason: "日期有误（虚构）" });
    expect(audits(id, "reject")[0]?.details).toMatchObject({ reason: "日期有误（虚构）" });
    const note = db().select().from(notifications).where(eq(notifications.userId, t.id)).get();
    expect(note).toMatchObject({ kind: "hoursRejected", messageKey: "volunteering.notify.rejected" });
    expect(note?.params).toMatchObject({ reason: "日期有误（虚构）" });
  });

  it("a coordinator of another district cannot approve: refused and nothing changes", async () => {
    const t = await tutorIn(huangpu);
    const c = await coordinatorOf([xuhui]);
    const id = logHours(db(), t.actor, t.viewer, input(huangpu));
    expect(refusal(() => decideHours(db(), c.actor, c.viewer, { decision: "approve", ids: [id], reason: "" })).key).toBe("volunteering.error.notYours?count=1");
    expect(entry(id)?.status).toBe("pending");
    expect(audits(id, "approve")).toHaveLength(0);
  });

  it("nobody approves their own hours, not even an admin", async () => {
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const a = { ...admin, personId: personOf(admin.id) };
    const viewer = viewerOf(a);
    const id = logHours(db(), actorOfUser(a), viewer, input(huangpu));
    expect(refusal(() => decideHours(db(), actorOfUser(a), viewer, { decision: "approve", ids: [id], reason: "" })).key).toMatch(/^volunteering\.error\.notYours/);
    expect(entry(id)?.status).toBe("pending");
  });

  it("bulk approval is all-or-nothing: one entry of another district and nothing is approved", async () => {
    const t = await tutorIn(huangpu);
    const t2 = await tutorIn(xuhui);
    const c = await coordinatorOf([huangpu]);
    const a = logHours(db(), t.actor, t.viewer, input(huangpu));
    const b = logHours(db(), t.actor, t.viewer, input(huangpu, { workedOn: daysAgo(3) }));
    const foreign = logHours(db(), t2.actor, t2.viewer, input(xuhui));
    expect(refusal(() => decideHours(db(), c.actor, c.viewer, { decision: "approve", ids: [a, b, foreign], reason: "" })).key).toBe("volunteering.error.bulkNotYours?count=1");
    expect([a, b, foreign].map((id) => entry(id)?.status)).toEqual(["pending", "pending", "pending"]);
    expect(db().select().from(notifications).where(eq(notifications.userId, t.id)).all()).toHaveLength(0);
    // an unknown id counts as not theirs
    expect(refusal(() => decideHours(db(), c.actor, c.viewer, { decision: "approve", ids: [a, 99_999_999], reason: "" })).key).toBe("volunteering.error.bulkNotYours?count=1");
  });

  it("bulk approval is all-or-nothing: one entry already decided and nothing is approved", async () => {
    const t = await tutorIn(huangpu);
    const c = await coordinatorOf([huangpu, xuhui]);
    const a = logHours(db(), t.actor, t.viewer, input(huangpu));
    const b = logHours(db(), t.actor, t.viewer, input(huangpu, { workedOn: daysAgo(4) }));
    decideHours(db(), c.actor, c.viewer, { decision: "reject", ids: [b], reason: "重复（虚构）" });
    expect(refusal(() => decideHours(db(), c.actor, c.viewer, { decision: "approve", ids: [a, b], reason: "" })).key).toBe("volunteering.error.bulkNotPending?count=1");
    expect(entry(a)?.status).toBe("pending");
    expect(entry(b)?.status).toBe("rejected");
  });

  it("bulk approval of entries in the coordinator's districts approves each, with an audit row and a notification each", async () => {
    const t = await tutorIn(huangpu);
    const t2 = await tutorIn(xuhui);
    const c = await coordinatorOf([huangpu, xuhui]);
    const ids = [logHours(db(), t.actor, t.viewer, input(huangpu)), logHours(db(), t.actor, t.viewer, input(huangpu, { workedOn: daysAgo(5) })), logHours(db(), t2.actor, t2.viewer, input(xuhui))];
    expect(decideHours(db(), c.actor, c.viewer, { decision: "approve", ids, reason: "" })).toBe(3);
    for (const id of ids) {
      expect(entry(id)?.status).toBe("approved");
      expect(audits(id, "approve")).toHaveLength(1);
    }
    expect(db().select().from(notifications).where(eq(notifications.userId, t.id)).all()).toHaveLength(2);
    expect(db().select().from(notifications).where(eq(notifications.userId, t2.id)).all()).toHaveLength(1);
  });
});

describe("hours from a facilitated session", () => {
  it("a facilitator of a held session logs its duration in one step, once", async () => {
    const t = await tutorIn(xuhui); // the studio's district decides, not the tutor's
    const startsAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + 105 * 60_000).toISOString();
    const s = makeRawSession({ studioId, startsAt, endsAt, facilitatorIds: [t.personId], status: "held" });
    const id = logHoursFromSession(db(), t.actor, t.viewer, s.id);
    expect(entry(id)).toMatchObject({ personId: t.personId, sessionId: s.id, minutes: 105, districtId: huangpu, activity: "groupFacilitation", status: "pending" });
    expect(audits(id, "create")).toHaveLength(1);
    expect(refusal(() => logHoursFromSession(db(), t.actor, t.viewer, s.id)).key).toBe("volunteering.error.alreadyLogged");
    expect(db().select().from(volunteerHours).where(eq(volunteerHours.sessionId, s.id)).all()).toHaveLength(1);
  });

  it("someone who did not facilitate the session is refused", async () => {
    const t = await tutorIn(huangpu);
    const other = await tutorIn(huangpu);
    const startsAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const s = makeRawSession({ studioId, startsAt, endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(), facilitatorIds: [t.personId], status: "held" });
    expect(refusal(() => logHoursFromSession(db(), other.actor, other.viewer, s.id)).key).toBe("volunteering.error.notFacilitator");
  });

  it("a session not yet held (scheduled or cancelled) is refused; an unknown session too", async () => {
    const t = await tutorIn(huangpu);
    const startsAt = new Date(Date.now() - 86_400_000).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + 3_600_000).toISOString();
    for (const status of ["scheduled", "cancelled"] as const) {
      const s = makeRawSession({ studioId, startsAt, endsAt, facilitatorIds: [t.personId], status });
      expect(refusal(() => logHoursFromSession(db(), t.actor, t.viewer, s.id)).key).toBe("volunteering.error.sessionNotHeld");
    }
    expect(refusal(() => logHoursFromSession(db(), t.actor, t.viewer, 99_999_999)).key).toBe("form.unknownId");
  });
});

describe("figures for dashboards, reports and statements", () => {
  it("summary, approved minutes and statement count only what they say, in the period", async () => {
    const d = makeDistrict().id;
    const t = await tutorIn(d);
    const p = t.personId;
    rawHours({ personId: p, districtId: d, workedOn: "2026-03-01", minutes: 60, status: "approved" });
    rawHours({ personId: p, districtId: d, workedOn: "2026-03-31", minutes: 30, status: "approved" });
    rawHours({ personId: p, districtId: d, workedOn: "2026-04-01", minutes: 120, status: "approved" }); // after the period
    rawHours({ personId: p, districtId: d, workedOn: "2026-02-28", minutes: 45, status: "approved" }); // before
    rawHours({ personId: p, districtId: d, workedOn: "2026-03-10", minutes: 15, status: "pending" });
    rawHours({ personId: p, districtId: d, workedOn: "2026-03-11", minutes: 600, status: "rejected" });
    const march = { from: "2026-03-01", to: "2026-03-31" };
    expect(myHoursSummary(db(), p, march)).toEqual({ approvedMinutes: 90, pendingMinutes: 15, rejectedCount: 1 });
    expect(approvedMinutes(db(), { ...march, personId: p })).toBe(90);
    expect(approvedMinutes(db(), { ...march, districtIds: [d] })).toBe(90);
    expect(approvedMinutes(db(), { ...march, districtIds: [] })).toBe(0);
    const st = hoursStatement(db(), p, march);
    expect(st.totalMinutes).toBe(90);
    expect(st.lines.map((l) => l.workedOn)).toEqual(["2026-03-01", "2026-03-31"]);
  });

  it("pendingHoursCount counts the pending entries of the viewer's districts only", async () => {
    const d1 = makeDistrict().id;
    const d2 = makeDistrict().id;
    const t = await tutorIn(d1);
    rawHours({ personId: t.personId, districtId: d1 });
    rawHours({ personId: t.personId, districtId: d1 });
    rawHours({ personId: t.personId, districtId: d2 });
    rawHours({ personId: t.personId, districtId: d1, status: "approved" });
    const c1 = await coordinatorOf([d1]);
    const c2 = await coordinatorOf([d2]);
    expect(pendingHoursCount(db(), c1.viewer)).toBe(2);
    expect(pendingHoursCount(db(), c2.viewer)).toBe(1);
    expect(pendingHoursCount(db(), t.viewer)).toBe(0);
  });
});
