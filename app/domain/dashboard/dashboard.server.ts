/**
 * Role dashboards (the home page): for each role the person holds, a few cards with a count and
 * the top items, each item one tap from where the work is done (UI.md "the next piece of work
 * first"). Composition only: every figure comes from the area's own function (worklists, tasks,
 * flags, the coordinator's week, the registry, cohorts and requirement facts, users, audit), so no
 * rule is defined twice here. No card runs a query per row: each card is one or a few aggregate
 * queries (tests/integration/dashboard/statements.test.ts counts them).
 */
import type { Db } from "#db/client";
import type { Role } from "~/auth/roles";
import { hasRole, roleDistricts } from "~/auth/permissions";
import type { SessionUser } from "~/auth/roles";
import { latestAudit } from "~/domain/audit/audit.server";
import { flaggedClients, listTasks, overdueByWorker, ownWorklist } from "~/domain/clients";
import { countLockedUsers, listUsers } from "~/domain/people";
import { getSettings } from "~/domain/settings";
import { memoised } from "~/domain/shared/memo.server";
import { coordinatorWeek, personWeek } from "~/domain/sessions/week.server";
import { addDays, mondayOf, utcToLocal } from "~/domain/sessions/time";
import { listCohorts, listEnrollments, listExpiring, listRegistry, requirementReports } from "~/domain/training";
import { todayIn } from "~/i18n/format";
import { adminFacts, hoursFacts } from "./sources.server";

export type Viewer = Pick<SessionUser, "id" | "personId" | "roles">;

/** A badge or note under an item: a dashboard.* message key with its parameters. */
export type Note = {
  key: string;
  params?: Record<string, string | number>;
  /** parameters that are instants or dates, formatted in the reader's language when shown */
  dates?: Record<string, "date" | "dateTime">;
  tone?: "neutral" | "ok" | "warn" | "danger" | "brand";
};

const KNOWN_TASKS = new Set(["barc10Due", "planReview", "milestone", "recognitionDue"]);

export type DashboardItem = {
  /** what the item is called (an alias, a topic, a name); shown as the link text */
  label: string;
  to: string;
  /** an instant (UTC ISO) or a date (YYYY-MM-DD) shown beside the label */
  when?: { kind: "dateTime" | "date"; value: string };
  notes?: Note[];
};

export const CARD_IDS = [
  "weekSessions",
  "unfilled",
  "noAttendance",
  "overdueByWorker",
  "pendingHours",
  "expiring",
  "flags",
  "caseload",
  "tasks",
  "mentees",
  "nextSessions",
  "myHours",
  "cohortsRunning",
  "traineesMissing",
  "locked",
  "audit",
  "database",
] as const;
export type CardId = (typeof CARD_IDS)[number];

export type DashboardCard = {
  id: CardId;
  /** the headline number; null when the card shows facts instead of a count */
  count: number | null;
  /** where the whole list is */
  to: string | null;
  items: DashboardItem[];
  /** a card-level fact line or two: dashboard.* keys */
  facts?: Note[];
  /** the source is not available yet (another area not built): the card says so */
  unavailable?: boolean;
};

export type DashboardSection = { role: Role; cards: DashboardCard[] };

/** How many top items a card shows. */
export const TOP = 5;

type Context = { db: Db; viewer: Viewer; today: string; timeZone: string; thresholdDays: number; now: Date };

function coordinatorSection(c: Context): DashboardSection {
  const { db, viewer, today, timeZone, now } = c;
  const monday = mondayOf(today);
  const week = coordinatorWeek(db, viewer, monday, today.slice(0, 7), timeZone, now);
  const nowIso = now.toISOString();
  const sessionItem = (s: { id: number; topic: string; startsAt: string }, to = `/sessions/${s.id}`): DashboardItem => ({
    label: s.topic,
    to,
    when: { kind: "dateTime", value: s.startsAt },
  });
  const upcoming = week.sessions.filter((s) => s.status !== "cancelled" && s.startsAt >= nowIso);
  const cards: DashboardCard[] = [
    {
      id: "weekSessions",
      count: week.sessions.filter((s) => s.status !== "cancelled").length,
      to: "/sessions/week",
      items: upcoming.slice(0, TOP).map((s) => ({
        ...sessionItem(s),
        notes: [{ key: "dashboard.note.registered", params: { registered: s.registered, capacity: s.capacity } }],
      })),
    },
    {
      id: "unfilled",
      count: week.unfilled.length,
      to: "/sessions/week",
      items: week.unfilled.slice(0, TOP).map((s) => ({ ...sessionItem(s), notes: [{ key: "dashboard.note.noFacilitator", tone: "warn" }] })),
    },
    {
      id: "noAttendance",
      count: week.noAttendance.length,
      to: "/sessions/week",
      items: week.noAttendance.slice(0, TOP).map((s) => sessionItem(s, `/sessions/${s.id}/attendance`)),
    },
  ];

  // workers with overdue clients: one grouped query, the workers ordered most overdue first
  // memoised: it reads every open client of the viewer's districts (shared/memo.server.ts)
  const load = memoised(db, JSON.stringify(["dashboard.overdueByWorker", viewer.id, viewer.personId, viewer.roles, today, c.thresholdDays, timeZone]), () =>
    overdueByWorker(db, viewer, { asOf: today, thresholdDays: c.thresholdDays, timeZone }, {}, { limit: 200, offset: 0 }),
  );
  const behind = load.rows.filter((r) => r.overdue > 0);
  cards.push({
    id: "overdueByWorker",
    count: behind.length,
    to: "/caseloads/overdue",
    items: behind.slice(0, TOP).map((r) => ({
      label: r.name,
      to: `/caseloads/overdue?district=${r.districtId}`,
      notes: [
        { key: r.kind === "social_worker" ? "dashboard.note.socialWorker" : "dashboard.note.peerTutor" },
        { key: "dashboard.note.overdueOf", params: { overdue: r.overdue, caseload: r.caseload }, tone: "warn" },
      ],
    })),
  });

  const hours = hoursFacts(db, viewer, today);
  cards.push({ id: "pendingHours", count: hours.pending, to: hours.pendingTo, items: [] });

  // certificates expiring soon of the peer tutors of the viewer's districts (the registry's rule)
  const districtIds = roleDistricts(viewer, "coordinator");
  const scope = districtIds === null ? ({ kind: "all" } as const) : ({ kind: "districts", districtIds, alsoOwn: false } as const);
  const expiring = listRegistry(db, { filter: { certificate: "expiring", sort: "expires" }, scope, viewerPersonId: viewer.personId, today }, { page: 1, limit: TOP, offset: 0 });
  cards.push({
    id: "expiring",
    count: expiring.total,
    to: "/registry?certificate=expiring&sort=expires",
    items: expiring.rows.map((r) => ({ label: r.name, to: `/registry/${r.tutorId}`, when: { kind: "date", value: r.expiresOn }, notes: [{ key: "dashboard.note.expires", tone: "warn" }] })),
  });
  cards.push(flagsCard(c));
  return { role: "coordinator", cards };
}

function flagsCard({ db, viewer }: Context): DashboardCard {
  const flagged = memoised(db, JSON.stringify(["dashboard.flags", viewer.id, viewer.personId, viewer.roles]), () => flaggedClients(db, viewer, { limit: TOP, offset: 0 }));
  return {
    id: "flags",
    count: flagged.total,
    to: "/crisis",
    items: flagged.rows.map((r) => ({
      label: r.alias,
      to: `/clients/${r.id}/flags`,
      when: { kind: "dateTime", value: r.latestRaisedAt },
      notes: [r.crisis ? { key: "dashboard.note.crisis", tone: "danger" } : { key: "dashboard.note.risk", tone: "warn" }],
    })),
  };
}

function worklistCard(c: Context, id: "caseload" | "mentees", kind: "social_worker" | "peer_tutor", to: string): DashboardCard {
  const rules = { asOf: c.today, thresholdDays: c.thresholdDays, timeZone: c.timeZone };
  const list = ownWorklist(c.db, c.viewer, kind, rules, { limit: TOP, offset: 0 });
  return {
    id,
    count: list.total,
    to,
    items: list.rows.map((r) => {
      const notes: Note[] = [];
      if (r.crisis) notes.push({ key: "dashboard.note.crisis", tone: "danger" });
      const o = r.overdue;
      if (!o.overdue) notes.push({ key: "dashboard.note.onTrack", tone: "ok" });
      else if (o.daysOverdue === null) notes.push({ key: "dashboard.note.neverContacted", tone: "warn" });
      else notes.push({ key: "dashboard.note.overdueDays", params: { days: o.daysOverdue }, tone: "warn" });
      return { label: r.alias, to: `/clients/${r.id}`, notes };
    }),
  };
}

function socialWorkerSection(c: Context): DashboardSection {
  const tasks = listTasks(c.db, c.viewer, c.today, { limit: TOP, offset: 0 });
  return {
    role: "social_worker",
    cards: [
      worklistCard(c, "caseload", "social_worker", "/caseload"),
      {
        id: "tasks",
        count: tasks.total,
        to: "/tasks",
        items: tasks.items.map((t) => ({
          label: t.alias,
          to: taskLink(t),
          when: { kind: "date", value: t.dueOn },
          notes: [
            { key: KNOWN_TASKS.has(t.kind) ? `dashboard.task.${t.kind}` : "dashboard.task.other" },
            ...(t.crisis ? [{ key: "dashboard.note.crisis", tone: "danger" } as Note] : []),
            ...(t.daysOverdue > 0 ? [{ key: "dashboard.note.overdueDays", params: { days: t.daysOverdue }, tone: "warn" } as Note] : []),
          ],
        })),
      },
      flagsCard(c),
    ],
  };
}

/** Where each kind of task is done (the same places /tasks links to). */
function taskLink(t: { kind: string; clientId: number }): string {
  switch (t.kind) {
    case "barc10Due":
      return `/clients/${t.clientId}/recovery`;
    case "planReview":
      return `/clients/${t.clientId}/plan`;
    case "recognitionDue":
    case "milestone":
      return `/clients/${t.clientId}/recovery`;
    default:
      return `/clients/${t.clientId}`;
  }
}

function peerTutorSection(c: Context): DashboardSection {
  const monday = mondayOf(c.today);
  const nowIso = c.now.toISOString();
  const localNow = utcToLocal(nowIso, c.timeZone);
  // this week and next: two calls of the person's week (two queries each)
  const sessions = [...personWeek(c.db, c.viewer.personId, monday, c.timeZone).sessions, ...personWeek(c.db, c.viewer.personId, addDays(monday, 7), c.timeZone).sessions].filter(
    (s) => s.status !== "cancelled" && `${s.date}T${s.endTime}` > localNow,
  );
  const hours = hoursFacts(c.db, c.viewer, c.today);
  return {
    role: "peer_tutor",
    cards: [
      worklistCard(c, "mentees", "peer_tutor", "/mentees"),
      {
        id: "nextSessions",
        count: sessions.length,
        to: "/calendar",
        items: sessions.slice(0, TOP).map((s) => ({
          label: s.topic,
          to: `/sessions/${s.id}`,
          notes: [{ key: "dashboard.note.sessionAt", params: { date: s.date, start: s.startTime, end: s.endTime }, dates: { date: "date" } }],
        })),
      },
      {
        id: "myHours",
        count: null,
        to: hours.mineTo,
        items: [],
        facts: hours.mine,
      },
    ],
  };
}

function trainerSection(c: Context): DashboardSection {
  const running = listCohorts(c.db, c.viewer, { status: "running" }, { page: 1, limit: TOP, offset: 0 });
  // trainees missing requirements in the trainer's own running cohorts (at most TOP cohorts, a
  // fixed number of queries each: the requirement facts are loaded per cohort, never per trainee)
  const missing: DashboardItem[] = [];
  let missingCount = 0;
  for (const cohort of running.rows.filter((r) => r.mine)) {
    const enrolled = listEnrollments(c.db, cohort.id).filter((e) => e.status === "enrolled");
    const reports = requirementReports(c.db, cohort.id, enrolled.map((e) => e.id));
    for (const e of enrolled) {
      const report = reports.get(e.id);
      if (!report || report.meetsAll) continue;
      missingCount++;
      missing.push({
        label: e.displayName,
        to: `/training/cohorts/${cohort.id}/trainees/${e.id}`,
        notes: [
          { key: "dashboard.note.cohortN", params: { number: cohort.number } },
          { key: "dashboard.note.missing", params: { count: report.missing.length }, tone: "warn" },
        ],
      });
    }
  }
  const expiring = listExpiring(c.db, { today: c.today, page: { page: 1, limit: TOP, offset: 0 } });
  return {
    role: "trainer",
    cards: [
      {
        id: "cohortsRunning",
        count: running.total,
        to: "/training",
        items: running.rows.map((r) => ({
          label: String(r.number),
          to: `/training/cohorts/${r.id}`,
          notes: [
            { key: "dashboard.note.cohortN", params: { number: r.number } },
            { key: "dashboard.note.trainees", params: { count: r.trainees } },
            ...(r.mine ? [{ key: "dashboard.note.mine", tone: "brand" } as Note] : []),
          ],
        })),
      },
      { id: "traineesMissing", count: missingCount, to: "/training", items: missing.slice(0, TOP) },
      {
        id: "expiring",
        count: expiring.total,
        to: "/registry/expiring",
        items: expiring.rows.map((r) => ({
          label: r.holderName,
          to: r.tutorId ? `/registry/${r.tutorId}` : "/registry/expiring",
          when: { kind: "date", value: r.expiresOn },
          notes: [{ key: "dashboard.note.expires", tone: "warn" }],
        })),
      },
    ],
  };
}

function adminSection(c: Context): DashboardSection {
  const locked = listUsers(c.db, { locked: true, now: c.now }, { limit: TOP, offset: 0 });
  // the newest few, not counted: a count would read the whole log on every visit of the home page
  const audit = latestAudit(c.db, {}, TOP);
  const facts = adminFacts(c.db);
  return {
    role: "admin",
    cards: [
      {
        id: "locked",
        count: countLockedUsers(c.db, c.now),
        to: "/admin/users?status=locked",
        items: locked.rows.map((u) => ({
          label: u.displayName,
          to: `/admin/users/${u.id}`,
          when: u.lockedUntil ? { kind: "dateTime", value: u.lockedUntil } : undefined,
          notes: [{ key: "dashboard.note.lockedUntil", tone: "warn" }],
        })),
      },
      {
        id: "audit",
        // no headline number: the log's size is on /admin/audit, one tap away
        count: null,
        to: "/admin/audit",
        items: audit.map((a) => ({
          label: `${a.actorLogin} · ${a.action} · ${a.entity}${a.entityId ? ` ${a.entityId}` : ""}`,
          to: `/admin/audit?entity=${encodeURIComponent(a.entity)}`,
          when: { kind: "dateTime", value: a.at },
        })),
      },
      {
        id: "database",
        count: null,
        to: "/admin/backups",
        items: [],
        facts: [
          { key: "dashboard.fact.dbSize", params: { mb: facts.sizeMb } },
          facts.lastBackupAt
            ? { key: facts.lastBackupOk ? "dashboard.fact.lastBackup" : "dashboard.fact.lastBackupFailed", params: { at: facts.lastBackupAt }, dates: { at: "dateTime" }, tone: facts.lastBackupOk ? "ok" : "danger" }
            : { key: "dashboard.fact.noBackup", tone: "warn" },
        ],
      },
    ],
  };
}

const SECTIONS: { role: Role; build: (c: Context) => DashboardSection }[] = [
  { role: "coordinator", build: coordinatorSection },
  { role: "social_worker", build: socialWorkerSection },
  { role: "peer_tutor", build: peerTutorSection },
  { role: "trainer", build: trainerSection },
  { role: "admin", build: adminSection },
];

/** The person's dashboard: one section per role they hold, in a fixed order (the day's work first, administration last). */
export function dashboardFor(db: Db, viewer: Viewer, now: Date = new Date()): DashboardSection[] {
  const { timeZone, overdueThresholdDays } = getSettings(db);
  const c: Context = { db, viewer, today: todayIn(timeZone, now), timeZone, thresholdDays: overdueThresholdDays, now };
  return SECTIONS.filter((s) => hasRole(viewer, s.role)).map((s) => s.build(c));
}

