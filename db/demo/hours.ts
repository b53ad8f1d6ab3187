/**
 * Demo volunteer hours (志愿服务时长): about four months of entries for the active peer tutors and
 * some social workers of the studio districts, plus the `tutor`, `tutor2` and `socialworker`
 * logins. Entries older than two weeks are mostly approved by the `coordinator` login (a few
 * rejected, with a reason); the last two weeks are pending, so the coordinator has hours to
 * approve in Huangpu and Xuhui and `tutor` has a recent entry still open to edit. Every person is
 * fictional; the demo records one "generate" audit row for everything.
 */
import { volunteerHours } from "../schema";
import { addDays } from "../../app/domain/clients/dates";
import { preparedInsert, type Tx } from "./bulk";
import type { DemoContext } from "./context";
import type { Random } from "./random";

export type HoursSummary = { entries: number; approved: number; pending: number; rejected: number; people: number };

const ACTIVITIES = [
  ["groupFacilitation", 4],
  ["peerSupport", 5],
  ["outreach", 3],
  ["training", 2],
  ["other", 1],
] as const;

const NOTES: Record<(typeof ACTIVITIES)[number][0], readonly string[]> = {
  groupFacilitation: ["带领同伴分享小组（虚构记录）", "协助带领家庭小组活动（虚构记录）", "带领技能工作坊（虚构记录）"],
  peerSupport: ["一对一电话陪伴（虚构记录）", "陪同服务对象复诊（虚构记录）", "面谈支持，交流戒断经验（虚构记录）"],
  outreach: ["社区禁毒宣传摆摊（虚构记录）", "进校园禁毒宣讲（虚构记录）", "6·26 国际禁毒日宣传活动（虚构记录）"],
  training: ["参加继续教育课程（虚构记录）", "参加督导培训（虚构记录）"],
  other: ["协助整理活动资料（虚构记录）", ""],
};

const REJECTION_REASONS = ["与活动签到记录不符，请核对日期（虚构记录）", "同一活动已登记过，请勿重复登记（虚构记录）", "时长超过活动实际时长（虚构记录）"];

/** Pending for the last PENDING_DAYS days; decided before that. */
const PENDING_DAYS = 14;
const HISTORY_DAYS = 120;

function pickWeighted(r: Random): (typeof ACTIVITIES)[number][0] {
  const total = ACTIVITIES.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [id, w] of ACTIVITIES) {
    x -= w;
    if (x < 0) return id;
  }
  return "other";
}

/** The instant of a local date at a given hour in Shanghai (UTC+8, no daylight saving). */
function instantOn(date: string, hourLocal: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + (hourLocal - 8) * 3_600_000).toISOString();
}

export function generateHours(tx: Tx, r: Random, ctx: DemoContext): HoursSummary {
  const { today, logins } = ctx;
  const huangpuXuhui = new Set(ctx.districts.filter((d) => d.code === "huangpu" || d.code === "xuhui").map((d) => d.id));

  // who volunteers: every active peer tutor, a few social workers of Huangpu and Xuhui, the demo logins
  const people = new Map<number, { districtId: number; perWeek: number }>();
  for (const t of ctx.peerTutors) if (t.status === "active") people.set(t.personId, { districtId: t.districtId, perWeek: 1.5 });
  const workers = r.shuffle(ctx.socialWorkers.filter((w) => huangpuXuhui.has(w.districtId))).slice(0, 10);
  for (const w of workers) people.set(w.personId, { districtId: w.districtId, perWeek: 0.5 });
  const swLogin = ctx.socialWorkers.find((w) => w.personId === logins.socialworker.personId);
  if (swLogin) people.set(swLogin.personId, { districtId: swLogin.districtId, perWeek: 0.5 });

  const coordinator = logins.coordinator.userId;
  const insert = preparedInsert(tx, volunteerHours, [
    "personId",
    "districtId",
    "activity",
    "workedOn",
    "minutes",
    "note",
    "status",
    "decidedByUserId",
    "decidedAt",
    "rejectionReason",
    "createdByUserId",
    "createdAt",
    "updatedAt",
  ]);
  const userOf = new Map(Object.values(logins).map((l) => [l.personId, l.userId]));
  const summary: HoursSummary = { entries: 0, approved: 0, pending: 0, rejected: 0, people: people.size };

  for (const [personId, p] of people) {
    // each logs under their own district; the demo coordinator decides Huangpu and Xuhui, the admin the rest
    const districtId = p.districtId;
    const decidable = huangpuXuhui.has(districtId);
    let day = addDays(today, -HISTORY_DAYS);
    while (day <= today) {
      const gap = Math.max(1, Math.round((7 / p.perWeek) * (0.5 + r.next())));
      day = addDays(day, gap);
      if (day > today) break;
      const activity = pickWeighted(r);
      const minutes = activity === "training" ? r.pick([120, 180, 240]) : activity === "groupFacilitation" ? r.pick([90, 105, 120]) : r.int(2, 12) * 15;
      const daysAgo = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
      const loggedOn = addDays(day, r.int(0, 2) > 1 ? 2 : r.int(0, 1));
      const createdAt = instantOn(loggedOn > today ? today : loggedOn, 20);
      const recent = daysAgo < PENDING_DAYS;
      let status: "pending" | "approved" | "rejected" = "pending";
      if (!recent) status = r.chance(0.06) ? "rejected" : "approved";
      // outside Huangpu and Xuhui an admin decided (the demo has no coordinator there)
      const decidedBy = status === "pending" ? null : decidable ? coordinator : logins.admin.userId;
      const decidedOn = addDays(loggedOn, r.int(1, 6));
      const decidedAt = status === "pending" ? null : instantOn(decidedOn > today ? today : decidedOn, 10);
      insert({
        personId,
        districtId,
        activity,
        workedOn: day,
        minutes,
        note: r.pick(NOTES[activity]),
        status,
        decidedByUserId: decidedBy,
        decidedAt,
        rejectionReason: status === "rejected" ? r.pick(REJECTION_REASONS) : null,
        createdByUserId: userOf.get(personId) ?? null,
        createdAt,
        updatedAt: decidedAt ?? createdAt,
      });
      summary.entries++;
      summary[status]++;
    }
    if (personId === logins.tutor.personId) {
      // a fresh pending entry of `tutor`, logged today: still open to edit or withdraw
      const createdAt = new Date().toISOString();
      insert({
        personId,
        districtId,
        activity: "peerSupport",
        workedOn: today,
        minutes: 60,
        note: "电话陪伴一位同伴（虚构记录）",
        status: "pending",
        decidedByUserId: null,
        decidedAt: null,
        rejectionReason: null,
        createdByUserId: userOf.get(personId) ?? null,
        createdAt,
        updatedAt: createdAt,
      });
      summary.entries++;
      summary.pending++;
    }
  }
  return summary;
}
