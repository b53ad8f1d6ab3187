/**
 * Demo clients with multi-year histories: about 2,000 cases across the 16 districts (more in
 * Huangpu and Xuhui, the coordinator's districts), intake from 2011 to a month before "today",
 * consents, social workers and peer tutors with assignment history, substance events simulated
 * year by year (so the three-year abstinence rate comes out of the records, never typed in),
 * recognitions, contacts, flags, BARC-10 scores, service plans and a few identities.
 *
 * Everything is placed relative to `ctx.today` and drawn from the seeded generator passed in:
 * two generations with the same `today` write the same rows. The demo logins get engineered
 * caseloads (see `pickDemoCaseloads`): `socialworker` ~25 clients with overdue ones, two eligible
 * for recognition and one with an approved plan; `tutor` and `tutor2` 7 mentees each, 3 overdue.
 *
 * Contacts need an author with a login. The demo's 794 social workers have no logins (only the
 * six demo accounts exist), so what they wrote is recorded under the `admin` login, as records
 * carried over from the program's spreadsheets would be; `socialworker`, `tutor` and `tutor2`
 * author the contacts of their own caseloads from the day they took them on.
 */
import type { ClientStatus, GoalStatus, LegalStatus, PlanStatus, RiskLevel, SubstanceEventKind } from "../schema";
import {
  barc10Assessments,
  clientAssignments,
  clientFlags,
  clientIdentities,
  clients,
  consents,
  contacts,
  monitoringLiftRequests,
  persons,
  planGoals,
  recognitions,
  servicePlans,
  substanceEvents,
} from "../schema";
import { addDays, addMonths, addYears, daysBetween } from "../../app/domain/clients/dates";
import { preparedInsert, type Tx } from "./bulk";
import type { DemoContext, DemoPeerTutor, DemoSocialWorker, FormerClientTrainee } from "./context";
import { randomDate, weighted, type Random } from "./random";
import {
  ALIAS_MARK,
  ALIAS_STEMS,
  CLOSED_REASONS,
  CLOSED_WITHDRAWN_REASON,
  CONTACT_SUMMARIES,
  FACILITY_RELEASE_NOTE,
  FLAG_REASONS,
  FLAG_RESOLUTIONS,
  INTAKE_SUMMARY,
  LIFT_NOTES,
  PLAN_GOALS,
  PLAN_NOTES,
  PLAN_RETURN_NOTE,
  RECOGNITION_EVIDENCE,
  RELAPSE_NOTES,
  RISK_OBSERVATIONS,
  TEST_NEGATIVE_NOTE,
  TUTOR_SUMMARIES,
} from "./texts";

export const DEMO_CLIENTS = 2000;
/** Clients of each coordinator district (Huangpu, Xuhui); the rest share the others by their points. */
const COORDINATOR_DISTRICT_CLIENTS = 250;
const FIRST_INTAKE = "2011-01-01";
/**
 * Each client's chance that an abstinence stretch ends in a relapse within three years is drawn
 * from [MIN, MAX): tuned so that about 30% of served clients are recognised (the source program
 * reported 29.60%), with some clients who never get there.
 */
const RELAPSE_PROPENSITY_MIN = 0.7;
const RELAPSE_PROPENSITY_MAX = 1;
/** Chance that a client who reaches three years is recognised (the rest stay on the social workers' worklist). */
const RECOGNISED_WHEN_REACHED = 0.93;
/** Chance of a relapse after three abstinent years (after the recognition when there is one). */
const LATE_RELAPSE = 0.07;
/** Chance that a relapse leads to a compulsory facility stay (about two years). */
const TO_FACILITY = 0.2;
const SOCIALWORKER_CASELOAD = 25;
const TUTOR_MENTEES = 7;
/** Local hour offset of Asia/Shanghai (no daylight saving): 09:00 there is 01:00 UTC. */
const SHANGHAI_OFFSET_HOURS = 8;

type Event = { date: string; kind: SubstanceEventKind; note: string };
type Assignment = { personId: number; from: string; to: string | null };
type Profile = "recent" | "overdue" | "dueMissed" | "closed";
type Pathway = "release" | "order" | "voluntary";

type ClientPlan = {
  districtId: number;
  districtCode: string;
  subdistrictId: number;
  pointId: number;
  intake: string;
  pathway: Pathway;
  legal: LegalStatus;
  risk: RiskLevel;
  status: ClientStatus;
  closedOn: string | null;
  closedReason: string;
  events: Event[];
  recognisedOn: string | null;
  /** compulsory-facility stays [from, to) */
  facility: [string, string][];
  inFacility: boolean;
  sw: Assignment[];
  pt: Assignment[];
  profile: Profile;
  caseNumber: string;
  alias: string;
  /** demo login whose caseload this client is in */
  socialworker: boolean;
  tutorLogin: "tutor" | "tutor2" | null;
  role: "" | "eligible" | "formerClient" | "approvedPlan" | "submittedPlan" | "draftPlan" | "openRisk" | "openCrisis";
  personId: number | null;
};

export type ClientsSummary = {
  clients: number;
  contacts: number;
  events: number;
  recognised: number;
  served: number;
  relapsedAfterRecognition: number;
  eligibleToday: number;
  formerClientTrainees: FormerClientTrainee[];
};

const min = (a: string, b: string) => (a < b ? a : b);
const max = (a: string, b: string) => (a > b ? a : b);

/** A UTC instant for a local (Asia/Shanghai) date and time. */
export function instant(date: string, hour: number, minute = 0): string {
  const t = Date.parse(`${date}T00:00:00Z`) + ((hour - SHANGHAI_OFFSET_HOURS) * 60 + minute) * 60_000;
  return new Date(t).toISOString();
}

/** How many clients each district gets: the coordinator's two districts more, the others by their number of points. */
function clientsPerDistrict(ctx: DemoContext, pointsOf: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  const big = ctx.districts.filter((d) => d.code === "huangpu" || d.code === "xuhui");
  const rest = ctx.districts.filter((d) => !big.includes(d));
  for (const d of big) out.set(d.id, COORDINATOR_DISTRICT_CLIENTS);
  const left = DEMO_CLIENTS - COORDINATOR_DISTRICT_CLIENTS * big.length;
  const restPoints = rest.reduce((s, d) => s + (pointsOf.get(d.id) ?? 0), 0);
  let given = 0;
  for (const d of rest) {
    const n = Math.round((left * (pointsOf.get(d.id) ?? 0)) / restPoints);
    out.set(d.id, n);
    given += n;
  }
  // rounding: the largest district takes the difference
  const largest = rest.reduce((a, b) => ((pointsOf.get(a.id) ?? 0) >= (pointsOf.get(b.id) ?? 0) ? a : b));
  out.set(largest.id, out.get(largest.id)! + left - given);
  return out;
}

/**
 * A client's substance history from intake to `end` (the closing date, or today): each
 * abstinence stretch either ends in a relapse within three years or reaches three years (and is
 * usually recognised); a relapse may lead to a two-year facility stay, whose release restarts
 * the clock. Test results are spread over the first three years of each stretch.
 */
export function simulateHistory(
  r: Random,
  intake: string,
  end: string,
  relapseWithinThreeYears: number,
  toFacility = TO_FACILITY,
  options: { recogniseWhenReached?: number; testEveryDays?: readonly [number, number] } = {},
) {
  const recogniseWhenReached = options.recogniseWhenReached ?? RECOGNISED_WHEN_REACHED;
  const [testMin, testMax] = options.testEveryDays ?? [90, 200];
  const events = new Map<string, Event>();
  const add = (date: string, kind: SubstanceEventKind, note: string) => events.set(`${date}|${kind}`, { date, kind, note });
  const p = r.next();
  const pathway: Pathway = p < 0.45 ? "release" : p < 0.85 ? "order" : "voluntary";
  let clock: string;
  if (pathway === "release") {
    clock = intake;
    add(clock, "facility_release", FACILITY_RELEASE_NOTE);
  } else if (pathway === "order") {
    clock = addDays(intake, -r.int(3, 25));
    add(clock, "test_positive", r.pick(RELAPSE_NOTES.test_positive));
  } else {
    clock = addDays(intake, -r.int(1, 40));
    add(clock, "use", RELAPSE_NOTES.use[1]!);
  }
  let recognisedOn: string | null = null;
  const facility: [string, string][] = [];
  let inFacility = false;
  for (;;) {
    const three = addYears(clock, 3);
    let relapseOn: string | null = null;
    if (r.chance(relapseWithinThreeYears)) {
      // most relapses come early
      relapseOn = addDays(clock, 20 + Math.floor(1000 * r.next() ** 1.2));
    } else {
      let after = three;
      if (three <= end && recognisedOn === null && r.chance(recogniseWhenReached)) {
        const on = addDays(three, r.int(7, 200));
        if (on <= end) {
          recognisedOn = on;
          after = on;
        }
      }
      if (r.chance(LATE_RELAPSE)) relapseOn = addDays(after, r.int(30, 1500));
    }
    const testsUntil = min(min(relapseOn ?? end, end), three);
    for (let t = addDays(clock, r.int(60, 150)); t < testsUntil; t = addDays(t, r.int(testMin, testMax))) add(t, "test_negative", TEST_NEGATIVE_NOTE);
    if (relapseOn === null || relapseOn > end) break;
    const kind = r.pick(["relapse", "relapse", "test_positive", "test_positive", "use"] as const);
    add(relapseOn, kind, r.pick(RELAPSE_NOTES[kind]));
    if (r.chance(toFacility)) {
      const release = addDays(relapseOn, r.int(600, 740));
      facility.push([relapseOn, release]);
      if (release > end) {
        inFacility = true;
        break;
      }
      add(release, "facility_release", FACILITY_RELEASE_NOTE);
      clock = release;
    } else {
      clock = relapseOn;
    }
  }
  const sorted = [...events.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind < b.kind ? -1 : 1));
  return { pathway, events: sorted, recognisedOn, facility, inFacility };
}

function lastRestart(plan: ClientPlan, asOf: string): string {
  let last = plan.intake;
  for (const e of plan.events) if (e.kind !== "test_negative" && e.date <= asOf && e.date > last) last = e.date;
  return last;
}

function riskOf(r: Random, plan: ClientPlan, today: string): RiskLevel {
  if (plan.status === "in_facility") return "high";
  const days = daysBetween(lastRestart(plan, plan.closedOn ?? today), plan.closedOn ?? today);
  if (days < 365) return weighted(r, [["high", 50], ["medium", 50]] as const);
  if (days < 3 * 365) return weighted(r, [["medium", 60], ["low", 30], ["high", 10]] as const);
  return weighted(r, [["low", 85], ["medium", 15]] as const);
}

function legalOf(r: Random, plan: ClientPlan, today: string): LegalStatus {
  if (plan.status === "in_facility") return "compulsory_rehab";
  // community orders run three years: long after intake many have none left
  if (plan.intake < addYears(today, -6) && r.chance(0.35)) return "none";
  switch (plan.pathway) {
    case "release":
      return r.chance(0.85) ? "community_rehab" : "none";
    case "order":
      return r.chance(0.85) ? "community_treatment" : "community_rehab";
    case "voluntary":
      return r.chance(0.7) ? "voluntary" : "none";
  }
}

/**
 * Rewrites a client's history so that the abstinence clock last restarted on `since` (a relapse
 * then, or the intake pathway when `since` is the intake), with tests since, and with a
 * recognition three years on when `recognise`. Used for the demo logins' engineered cases.
 */
function rewriteAbstinence(r: Random, plan: ClientPlan, since: string, recognise: boolean, today: string): void {
  const kept = plan.events.filter((e) => e.date < since || (e.date === since && e.kind !== "test_negative"));
  if (since > plan.intake) kept.push({ date: since, kind: "relapse", note: RELAPSE_NOTES.relapse[0]! });
  const three = addYears(since, 3);
  for (let t = addDays(since, r.int(60, 120)); t < min(three, today); t = addDays(t, r.int(100, 180))) {
    kept.push({ date: t, kind: "test_negative", note: TEST_NEGATIVE_NOTE });
  }
  plan.events = kept.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  plan.facility = plan.facility.filter(([, to]) => to <= since);
  plan.inFacility = false;
  plan.status = "active";
  plan.closedOn = null;
  plan.closedReason = "";
  plan.recognisedOn = recognise ? min(addDays(three, r.int(20, 150)), addDays(today, -30)) : null;
}

type Writers = ReturnType<typeof prepareWriters>;

function prepareWriters(tx: Tx) {
  return {
    client: preparedInsert(tx, clients, [
      "caseNumber",
      "alias",
      "districtId",
      "subdistrictId",
      "pointId",
      "legalStatus",
      "intakeDate",
      "riskLevel",
      "status",
      "closedReason",
      "closedOn",
      "personId",
    ]),
    identity: preparedInsert(tx, clientIdentities, ["clientId", "realName", "idNumber", "phone", "address"]),
    consent: preparedInsert(tx, consents, ["clientId", "purposes", "sensitiveInfo", "agreedOn", "recordedBy", "withdrawnAt"]),
    assignment: preparedInsert(tx, clientAssignments, ["clientId", "kind", "personId", "fromDate", "toDate", "assignedBy"]),
    contact: preparedInsert(tx, contacts, [
      "clientId",
      "authorUserId",
      "type",
      "happenedAt",
      "durationMinutes",
      "participants",
      "summary",
      "mood",
      "riskObservation",
      "private",
      "nextContactDue",
    ]),
    event: preparedInsert(tx, substanceEvents, ["clientId", "date", "kind", "note", "recordedBy"]),
    recognition: preparedInsert(tx, recognitions, ["clientId", "recognisedOn", "recognisedByUserId", "evidence"]),
    lift: preparedInsert(tx, monitoringLiftRequests, ["clientId", "status", "sentOn", "decidedOn", "note"]),
    plan: preparedInsert(tx, servicePlans, [
      "clientId",
      "status",
      "reviewDue",
      "note",
      "authorUserId",
      "submittedAt",
      "decidedByUserId",
      "decidedAt",
      "decisionNote",
    ]),
    goal: preparedInsert(tx, planGoals, ["planId", "area", "goal", "action", "owner", "dueDate", "status", "reviewedByUserId", "reviewedAt"]),
    barc10: preparedInsert(tx, barc10Assessments, ["clientId", "takenOn", "answers", "total", "recordedBy"]),
    flag: preparedInsert(tx, clientFlags, [
      "clientId",
      "kind",
      "reason",
      "raisedByUserId",
      "raisedAt",
      "resolvedByUserId",
      "resolvedAt",
      "resolutionNote",
    ]),
    person: preparedInsert(tx, persons, ["displayName"]),
  };
}

export function generateClients(tx: Tx, r: Random, ctx: DemoContext): ClientsSummary {
  const { today, logins } = ctx;
  const lastIntake = addMonths(today, -1);
  const pointsOf = new Map<number, number>();
  for (const p of ctx.points) pointsOf.set(p.districtId, (pointsOf.get(p.districtId) ?? 0) + 1);
  const perDistrict = clientsPerDistrict(ctx, pointsOf);

  // ---- 1. who, where, when, and what happened (in memory) ----
  const plans: ClientPlan[] = [];
  for (const d of ctx.districts) {
    const points = ctx.points.filter((p) => p.districtId === d.id);
    for (let i = 0; i < perDistrict.get(d.id)!; i++) {
      const point = r.pick(points);
      const intake = randomDate(r, FIRST_INTAKE, lastIntake);
      let closedOn: string | null = null;
      if (intake <= addYears(today, -1) && r.chance(0.16)) closedOn = randomDate(r, addYears(intake, 1), addDays(today, -14));
      const propensity = RELAPSE_PROPENSITY_MIN + (RELAPSE_PROPENSITY_MAX - RELAPSE_PROPENSITY_MIN) * r.next();
      const sim = simulateHistory(r, intake, closedOn ?? today, propensity);
      const status: ClientStatus = closedOn ? "closed" : sim.inFacility ? "in_facility" : "active";
      const closedReason = closedOn
        ? sim.inFacility
          ? "进入强制隔离戒毒场所，本案结案（虚构记录）"
          : r.chance(0.15)
            ? CLOSED_WITHDRAWN_REASON
            : r.pick(CLOSED_REASONS)
        : "";
      const plan: ClientPlan = {
        districtId: d.id,
        districtCode: d.code,
        subdistrictId: point.subdistrictId,
        pointId: point.id,
        intake,
        pathway: sim.pathway,
        legal: "none",
        risk: "low",
        status,
        closedOn,
        closedReason,
        events: sim.events,
        recognisedOn: sim.recognisedOn,
        facility: sim.facility,
        inFacility: sim.inFacility,
        sw: [],
        pt: [],
        profile: "recent",
        caseNumber: "",
        alias: "",
        socialworker: false,
        tutorLogin: null,
        role: "",
        personId: null,
      };
      plans.push(plan);
    }
  }

  // chronological ids and case numbers "SH-2019-00123"; aliases unique within a district where possible
  plans.sort((a, b) => (a.intake < b.intake ? -1 : a.intake > b.intake ? 1 : a.districtId - b.districtId));
  const perYear = new Map<string, number>();
  const aliasesUsed = new Map<number, Set<string>>();
  for (const plan of plans) {
    const year = plan.intake.slice(0, 4);
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    plan.caseNumber = `SH-${year}-${String(n).padStart(5, "0")}`;
    const used = aliasesUsed.get(plan.districtId) ?? new Set<string>();
    aliasesUsed.set(plan.districtId, used);
    let stem = r.pick(ALIAS_STEMS);
    for (let tries = 0; used.has(stem) && tries < 20; tries++) stem = r.pick(ALIAS_STEMS);
    used.add(stem);
    plan.alias = stem + ALIAS_MARK;
  }

  // ---- 2. the demo logins' caseloads ----
  const swPerson = logins.socialworker.personId;
  const byCode = (code: string) => plans.filter((p) => p.districtCode === code);
  const huangpuOpen = r.shuffle(byCode("huangpu").filter((p) => p.status !== "closed" && p.intake <= addDays(today, -60)));
  const activeFirst = [...huangpuOpen.filter((p) => p.status === "active"), ...huangpuOpen.filter((p) => p.status !== "active")];
  // the engineered cases want long histories
  const longest = (list: ClientPlan[], years: number) => list.find((p) => p.intake <= addYears(today, -years) && !p.role);
  const caseload: ClientPlan[] = [];
  const take = (p: ClientPlan | undefined, role: ClientPlan["role"]) => {
    if (!p) throw new Error(`demo: no client for the socialworker's ${role} case`);
    p.role = role;
    p.socialworker = true;
    caseload.push(p);
    return p;
  };
  const eligible1 = take(longest(activeFirst, 5), "eligible");
  rewriteAbstinence(r, eligible1, addDays(today, -(3 * 365 + r.int(40, 200))), false, today);
  const eligible2 = take(longest(activeFirst, 4), "eligible");
  rewriteAbstinence(r, eligible2, max(eligible2.intake, addDays(today, -(3 * 365 + r.int(5, 30)))), false, today);
  const former = take(longest(activeFirst, 6), "formerClient");
  rewriteAbstinence(r, former, max(former.intake, addYears(today, -5)), true, today);
  for (const role of ["approvedPlan", "submittedPlan", "draftPlan", "openRisk", "openCrisis"] as const) {
    take(activeFirst.find((p) => !p.role && p.status === "active"), role);
  }
  for (const p of activeFirst) {
    if (caseload.length >= SOCIALWORKER_CASELOAD) break;
    if (!p.role && !p.socialworker) {
      p.socialworker = true;
      caseload.push(p);
    }
  }
  // cadence: four overdue by the threshold, one by a missed next-contact date, the rest recent
  const plain = caseload.filter((p) => p.role === "" || p.role === "draftPlan");
  plain.slice(0, 4).forEach((p) => (p.profile = "overdue"));
  if (plain[4]) plain[4].profile = "dueMissed";

  // tutor: two of socialworker's clients (one overdue) and five more in Huangpu; tutor2: seven in Xuhui
  const tutorMentees: ClientPlan[] = [
    caseload.find((p) => p.role === "approvedPlan")!,
    caseload.find((p) => p.profile === "overdue" && p.status === "active")!,
  ].filter(Boolean);
  for (const p of activeFirst) {
    if (tutorMentees.length >= TUTOR_MENTEES) break;
    if (!p.socialworker && p.status === "active" && p.intake <= addDays(today, -60)) tutorMentees.push(p);
  }
  const tutor2Mentees = r
    .shuffle(byCode("xuhui").filter((p) => p.status === "active" && p.intake <= addDays(today, -60)))
    .slice(0, TUTOR_MENTEES);
  const setMentees = (list: ClientPlan[], login: "tutor" | "tutor2") => {
    let overdue = list.filter((p) => p.profile === "overdue").length;
    for (const p of list) {
      p.tutorLogin = login;
      if (p.socialworker) continue;
      p.profile = overdue < 3 ? "overdue" : "recent";
      if (p.profile === "overdue") overdue++;
    }
  };
  setMentees(tutorMentees, "tutor");
  setMentees(tutor2Mentees, "tutor2");

  // two more former clients now in training: recognised long ago, in districts with a studio
  const studioCodes = new Set(ctx.districts.filter((d) => d.studio).map((d) => d.code));
  const formerClients: ClientPlan[] = [former];
  for (const p of r.shuffle(plans)) {
    if (formerClients.length >= 3) break;
    if (!p.socialworker && !p.tutorLogin && studioCodes.has(p.districtCode) && p.districtCode !== "huangpu" && p.recognisedOn && p.recognisedOn <= addYears(today, -2) && p.status === "active" && !formerClients.some((f) => f.districtCode === p.districtCode)) {
      formerClients.push(p);
    }
  }
  formerClients.forEach((p) => (p.personId = -1));

  // ---- 3. everyone else's cadence, legal status and risk ----
  for (const p of plans) {
    if (p.status === "closed") p.profile = "closed";
    else if (!p.socialworker && !p.tutorLogin) {
      p.profile =
        p.status === "in_facility"
          ? weighted(r, [["recent", 70], ["overdue", 30]] as const)
          : weighted(r, [["recent", 80], ["overdue", 14], ["dueMissed", 6]] as const);
    }
    if (p.profile === "overdue" && daysBetween(p.intake, today) < 40) p.profile = "recent";
    p.legal = legalOf(r, p, today);
    p.risk = riskOf(r, p, today);
    if (p.role === "openRisk" || p.role === "openCrisis") p.risk = "high";
  }

  // ---- 4. social workers (history kept) and peer tutors ----
  const swAtPoint = new Map<number, DemoSocialWorker[]>();
  const swInDistrict = new Map<number, DemoSocialWorker[]>();
  for (const sw of ctx.socialWorkers) {
    if (sw.personId === swPerson) continue;
    swAtPoint.set(sw.pointId, [...(swAtPoint.get(sw.pointId) ?? []), sw]);
    swInDistrict.set(sw.districtId, [...(swInDistrict.get(sw.districtId) ?? []), sw]);
  }
  const socialworkerStaff = ctx.socialWorkers.find((s) => s.personId === swPerson)!;
  for (const p of plans) {
    const endOrToday = p.closedOn ?? addDays(today, -7);
    const current: DemoSocialWorker = p.socialworker
      ? socialworkerStaff
      : r.pick(swAtPoint.get(p.pointId) ?? swInDistrict.get(p.districtId)!);
    let from = max(p.intake, addDays(current.hiredOn, r.int(0, 60)));
    if (daysBetween(p.intake, endOrToday) > 400 && r.chance(p.socialworker ? 0.5 : 0.2)) {
      from = max(from, randomDate(r, addDays(p.intake, 180), addDays(endOrToday, -60)));
    }
    if (from > endOrToday) from = p.intake;
    if (from > p.intake) {
      const others = swInDistrict.get(p.districtId)!.filter((s) => s.personId !== current.personId);
      p.sw.push({ personId: r.pick(others).personId, from: p.intake, to: from });
    }
    p.sw.push({ personId: current.personId, from, to: p.closedOn });
  }

  const tutorPersons = new Set([logins.tutor.personId, logins.tutor2.personId]);
  const practising = ctx.peerTutors.filter((t) => t.status === "active" && t.expiresOn > today && !tutorPersons.has(t.personId));
  const notPractising = ctx.peerTutors.filter((t) => t.status !== "active");
  const tutorsIn = new Map<number, DemoPeerTutor[]>();
  for (const t of practising) tutorsIn.set(t.districtId, [...(tutorsIn.get(t.districtId) ?? []), t]);
  const loginTutor = (login: "tutor" | "tutor2") => ctx.peerTutors.find((t) => t.personId === logins[login].personId)!;
  for (const p of plans) {
    if (p.status !== "active") continue;
    let tutor: DemoPeerTutor | null = null;
    if (p.tutorLogin) tutor = loginTutor(p.tutorLogin);
    else if (!p.socialworker || r.chance(0.5)) {
      const local = tutorsIn.get(p.districtId);
      if (local && r.chance(0.33)) tutor = r.pick(local);
      else if (!local && r.chance(0.12)) tutor = r.pick(practising);
    }
    if (!tutor) continue;
    const earliest = max(p.intake, addDays(tutor.certifiedOn, 14));
    const latest = p.tutorLogin ? addDays(today, -45) : addDays(today, -7);
    if (earliest > latest) continue;
    const from = randomDate(r, earliest, latest);
    // an earlier tutor who has since stopped (paused, alumni, revoked)
    const before = r.chance(0.15) ? r.pick(notPractising) : null;
    if (before) {
      const start = max(p.intake, addDays(before.certifiedOn, 14));
      if (start < addDays(from, -90)) p.pt.push({ personId: before.personId, from: start, to: from });
    }
    p.pt.push({ personId: tutor.personId, from, to: null });
  }

  // ---- 5. write ----
  const w = prepareWriters(tx);
  const adminId = logins.admin.userId;
  const swUserId = logins.socialworker.userId;
  const coordinatorId = logins.coordinator.userId;
  const socialworkerFrom = (p: ClientPlan) => (p.socialworker ? p.sw[p.sw.length - 1]!.from : null);
  const tutorFrom = (p: ClientPlan) => (p.tutorLogin ? p.pt[p.pt.length - 1]!.from : null);
  /** who records something on a date: socialworker for her own clients once she has them, else admin */
  const recorder = (p: ClientPlan, date: string) => {
    const from = socialworkerFrom(p);
    return from !== null && date >= from ? swUserId : adminId;
  };

  const summary: ClientsSummary = {
    clients: 0,
    contacts: 0,
    events: 0,
    recognised: 0,
    served: 0,
    relapsedAfterRecognition: 0,
    eligibleToday: 0,
    formerClientTrainees: [],
  };
  const liftCandidates: { id: number; plan: ClientPlan }[] = [];
  const flagCandidates: { id: number; plan: ClientPlan }[] = [];
  const planCandidates: { id: number; plan: ClientPlan }[] = [];

  for (const p of plans) {
    const personId = p.personId === -1 ? w.person({ displayName: ctx.newName() }) : null;
    const clientId = w.client({
      caseNumber: p.caseNumber,
      alias: p.alias,
      districtId: p.districtId,
      subdistrictId: p.subdistrictId,
      pointId: p.pointId,
      legalStatus: p.legal,
      intakeDate: p.intake,
      riskLevel: p.risk,
      status: p.status,
      closedReason: p.closedReason,
      closedOn: p.closedOn,
      personId,
    });
    summary.clients++;
    if (p.intake <= today) summary.served++;
    if (personId !== null) {
      // socialworker's client first: the training stage makes that trainee ready to certify
      const trainee = { personId, clientId, districtId: p.districtId };
      if (p.socialworker) summary.formerClientTrainees.unshift(trainee);
      else summary.formerClientTrainees.push(trainee);
    }

    if (p.socialworker || r.chance(0.1)) {
      w.identity({ clientId, realName: "测试姓名（虚构）", idNumber: "000000********0000", phone: "000-0000-0000", address: "虚构地址" });
    }
    const purposes = ["case_management", "peer_support", ...(r.chance(0.6) ? ["group_sessions"] : []), "reporting"];
    const withdrawn = p.closedReason === CLOSED_WITHDRAWN_REASON && p.closedOn ? instant(p.closedOn, 0) : null;
    w.consent({ clientId, purposes, sensitiveInfo: r.chance(0.9), agreedOn: p.intake, recordedBy: adminId, withdrawnAt: withdrawn });

    for (const a of p.sw) {
      w.assignment({ clientId, kind: "social_worker", personId: a.personId, fromDate: a.from, toDate: a.to, assignedBy: null });
    }
    for (const a of p.pt) {
      const by = p.tutorLogin && a.to === null ? coordinatorId : null;
      w.assignment({ clientId, kind: "peer_tutor", personId: a.personId, fromDate: a.from, toDate: a.to, assignedBy: by });
    }

    for (const e of p.events) {
      w.event({ clientId, date: e.date, kind: e.kind, note: e.note, recordedBy: recorder(p, e.date) === swUserId ? swUserId : null });
      summary.events++;
    }
    if (p.recognisedOn && p.recognisedOn <= today) {
      w.recognition({ clientId, recognisedOn: p.recognisedOn, recognisedByUserId: recorder(p, p.recognisedOn), evidence: r.pick(RECOGNITION_EVIDENCE) });
      summary.recognised++;
      if (p.events.some((e) => e.date > p.recognisedOn! && (e.kind === "relapse" || e.kind === "use" || e.kind === "test_positive"))) {
        summary.relapsedAfterRecognition++;
      }
      if (p.status === "active") liftCandidates.push({ id: clientId, plan: p });
    }

    summary.contacts += writeContacts(r, w, p, clientId, ctx, socialworkerFrom(p), tutorFrom(p));

    if (p.status !== "closed" && (p.socialworker ? r.chance(0.5) : r.chance(0.12)) && p.status === "active") {
      writeBarc10(r, w, p, clientId, today, recorder(p, today));
    }
    if (p.status !== "closed") {
      flagCandidates.push({ id: clientId, plan: p });
      if (p.status === "active") planCandidates.push({ id: clientId, plan: p });
    }
  }

  writeFlags(r, w, flagCandidates, ctx);
  writePlans(r, w, planCandidates, ctx);
  writeLiftRequests(r, w, liftCandidates, today);

  summary.eligibleToday = plans.filter(
    (p) => p.status !== "closed" && !(p.recognisedOn && p.recognisedOn <= today) && lastRestart(p, today) <= addYears(today, -3),
  ).length;
  return summary;
}

export const NORMAL_TYPES = [
  ["homeVisit", 30],
  ["phone", 35],
  ["office", 15],
  ["groupSession", 8],
  ["familyCall", 5],
  ["letter", 2],
  ["other", 5],
] as const;
export const FACILITY_TYPES = [
  ["facilityVisit", 35],
  ["letter", 35],
  ["familyCall", 30],
] as const;
export const DURATION: Record<string, [number, number]> = {
  homeVisit: [40, 90],
  phone: [5, 25],
  office: [30, 60],
  groupSession: [90, 120],
  familyCall: [10, 20],
  letter: [0, 30],
  facilityVisit: [60, 120],
  other: [15, 45],
};
export const MOODS = [
  ["good", 25],
  ["stable", 45],
  ["low", 15],
  ["anxious", 10],
  ["agitated", 5],
] as const;

/**
 * The client's contact log, written oldest first: the latest contact is placed by the client's
 * cadence profile (recent, overdue by the 30-day threshold, or a missed next-contact date), and
 * earlier ones step back to the intake interview: every 12–38 days in the last 18 months,
 * every 60–180 days before that, every 30–75 days while in a facility.
 */
function writeContacts(
  r: Random,
  w: Writers,
  p: ClientPlan,
  clientId: number,
  ctx: DemoContext,
  socialworkerFrom: string | null,
  tutorFrom: string | null,
): number {
  const { today, logins } = ctx;
  let last: string;
  let lastDue: string | null = null;
  switch (p.profile) {
    case "closed":
      last = addDays(p.closedOn!, -r.int(0, 25));
      break;
    case "overdue":
      last = addDays(today, -r.int(32, Math.min(110, daysBetween(p.intake, today))));
      if (r.chance(0.3)) lastDue = addDays(last, r.int(14, 28));
      break;
    case "dueMissed":
      last = addDays(today, -r.int(12, 24));
      lastDue = addDays(today, -r.int(1, 7));
      break;
    case "recent":
      last = addDays(today, -r.int(1, 25));
      if (r.chance(0.4)) lastDue = addDays(today, r.int(0, 21));
      break;
  }
  if (last < p.intake) last = p.intake;
  const recentFrom = addMonths(today, -18);
  const inFacility = (d: string) => p.facility.some(([from, to]) => d >= from && d < to);
  const dates: string[] = [];
  for (let t = last; t > p.intake; ) {
    dates.push(t);
    t = addDays(t, -(inFacility(t) ? r.int(30, 75) : t >= recentFrom ? r.int(12, 38) : r.int(60, 180)));
  }
  dates.push(p.intake);
  dates.reverse();

  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    const isLast = i === dates.length - 1;
    const byTutor = tutorFrom !== null && d >= tutorFrom && !inFacility(d) && i > 0 && r.chance(0.35);
    const author = byTutor
      ? logins[p.tutorLogin!].userId
      : socialworkerFrom !== null && d >= socialworkerFrom
        ? logins.socialworker.userId
        : logins.admin.userId;
    let type: string;
    let summary: string;
    if (i === 0) {
      type = "office";
      summary = INTAKE_SUMMARY;
    } else if (byTutor) {
      type = weighted(r, [["phone", 50], ["groupSession", 25], ["homeVisit", 15], ["other", 10]] as const);
      summary = r.pick(TUTOR_SUMMARIES);
    } else {
      type = weighted(r, inFacility(d) ? FACILITY_TYPES : NORMAL_TYPES);
      summary = r.pick(CONTACT_SUMMARIES[type]!);
    }
    const [lo, hi] = DURATION[type]!;
    const participants: string[] = [];
    if (type === "homeVisit") {
      if (r.chance(0.6)) participants.push("family");
      if (r.chance(0.15)) participants.push("residentsCommittee");
      if (r.chance(0.1)) participants.push("communityPolice");
    } else if (type === "familyCall") participants.push("family");
    const nextContactDue = isLast ? lastDue : r.chance(0.2) ? addDays(d, r.int(14, 30)) : null;
    w.contact({
      clientId,
      authorUserId: author,
      type,
      happenedAt: instant(d, r.int(9, 17), r.pick([0, 15, 30, 45])),
      durationMinutes: r.int(lo, hi),
      participants,
      summary,
      mood: r.chance(0.65) ? weighted(r, MOODS) : null,
      riskObservation: p.risk === "high" && r.chance(0.15) ? r.pick(RISK_OBSERVATIONS) : null,
      private: author === logins.socialworker.userId ? r.chance(0.08) : author === logins.admin.userId ? r.chance(0.02) : false,
      nextContactDue,
    });
  }
  return dates.length;
}

function writeBarc10(r: Random, w: Writers, p: ClientPlan, clientId: number, today: string, recordedBy: number): void {
  const n = r.int(1, 4);
  const base = r.int(2, 5);
  let taken = addDays(today, -r.int(5, 100));
  const dates: string[] = [];
  for (let k = 0; k < n && taken > p.intake; k++, taken = addMonths(taken, -3)) dates.unshift(taken);
  dates.forEach((takenOn, k) => {
    // recovery capital tends to grow with time in support
    const answers = Array.from({ length: 10 }, () => Math.max(1, Math.min(6, base + r.int(-1, 1) + (k >= 2 ? 1 : 0))));
    w.barc10({ clientId, takenOn, answers, total: answers.reduce((s, a) => s + a, 0), recordedBy });
  });
}

function writeFlags(r: Random, w: Writers, candidates: { id: number; plan: ClientPlan }[], ctx: DemoContext): void {
  const { today, logins } = ctx;
  const by = (p: ClientPlan) => (p.socialworker ? logins.socialworker.userId : logins.admin.userId);
  const open = (c: { id: number; plan: ClientPlan }, kind: "risk" | "crisis") => {
    const day = addDays(today, -r.int(1, kind === "crisis" ? 4 : 40));
    w.flag({
      clientId: c.id,
      kind,
      reason: r.pick(FLAG_REASONS[kind]),
      raisedByUserId: by(c.plan),
      raisedAt: instant(day, r.int(9, 17), r.int(0, 59)),
      resolvedByUserId: null,
      resolvedAt: null,
      resolutionNote: "",
    });
  };
  for (const c of candidates) {
    if (c.plan.role === "openRisk") open(c, "risk");
    if (c.plan.role === "openCrisis") open(c, "crisis");
  }
  const others = r.shuffle(candidates.filter((c) => !c.plan.socialworker));
  const highRisk = others.filter((c) => c.plan.risk === "high");
  highRisk.slice(0, 22).forEach((c) => open(c, "risk"));
  // open crises: one in Xuhui (the coordinator's), one elsewhere
  const xuhui = others.find((c) => c.plan.districtCode === "xuhui" && !highRisk.slice(0, 22).includes(c));
  if (xuhui) open(xuhui, "crisis");
  const elsewhere = others.find((c) => c.plan.districtCode !== "xuhui" && c.plan.districtCode !== "huangpu" && !highRisk.slice(0, 22).includes(c));
  if (elsewhere) open(elsewhere, "crisis");
  // resolved flags from the past
  for (const c of others.slice(40, 100)) {
    const kind = r.chance(0.85) ? "risk" : "crisis";
    const raised = randomDate(r, max(c.plan.intake, addYears(today, -5)), addDays(today, -30));
    const resolved = addDays(raised, r.int(3, 25));
    w.flag({
      clientId: c.id,
      kind,
      reason: r.pick(FLAG_REASONS[kind]),
      raisedByUserId: by(c.plan),
      raisedAt: instant(raised, r.int(9, 17), r.int(0, 59)),
      resolvedByUserId: by(c.plan),
      resolvedAt: instant(min(resolved, addDays(today, -1)), r.int(9, 17), r.int(0, 59)),
      resolutionNote: r.pick(FLAG_RESOLUTIONS),
    });
  }
}

function writePlan(
  r: Random,
  w: Writers,
  clientId: number,
  status: PlanStatus,
  author: number,
  decider: number,
  today: string,
): void {
  const submitted = addDays(today, -r.int(10, 60));
  const decided = addDays(submitted, r.int(1, 7));
  const hasDecision = status === "approved" || status === "returned";
  const planId = w.plan({
    clientId,
    status,
    reviewDue: status === "draft" && r.chance(0.5) ? null : addDays(today, r.int(30, 120)),
    note: r.pick(PLAN_NOTES),
    authorUserId: author,
    submittedAt: status === "draft" ? null : instant(submitted, r.int(9, 17)),
    decidedByUserId: hasDecision ? decider : null,
    decidedAt: hasDecision ? instant(min(decided, addDays(today, -1)), r.int(9, 17)) : null,
    decisionNote: status === "returned" ? PLAN_RETURN_NOTE : "",
  });
  const goals = r.shuffle(PLAN_GOALS).slice(0, r.int(2, 4));
  for (const g of goals) {
    const goalStatus: GoalStatus = status === "approved" ? weighted(r, [["open", 30], ["in_progress", 50], ["done", 20]] as const) : "open";
    const reviewed = status === "approved" && goalStatus !== "open";
    w.goal({
      planId,
      area: g.area,
      goal: g.goal,
      action: g.action,
      owner: g.owner,
      dueDate: addDays(today, r.int(20, 180)),
      status: goalStatus,
      reviewedByUserId: reviewed ? author : null,
      reviewedAt: reviewed ? instant(addDays(today, -r.int(1, 9)), r.int(9, 17)) : null,
    });
  }
}

/** Service plans: socialworker's three (approved, submitted, draft), a batch in the coordinator's districts, a few elsewhere. */
function writePlans(r: Random, w: Writers, candidates: { id: number; plan: ClientPlan }[], ctx: DemoContext): void {
  const { today, logins } = ctx;
  const sw = logins.socialworker.userId;
  for (const c of candidates) {
    if (c.plan.role === "approvedPlan") writePlan(r, w, c.id, "approved", sw, logins.coordinator.userId, today);
    if (c.plan.role === "submittedPlan") writePlan(r, w, c.id, "submitted", sw, logins.coordinator.userId, today);
    if (c.plan.role === "draftPlan") writePlan(r, w, c.id, "draft", sw, logins.coordinator.userId, today);
  }
  const others = r.shuffle(candidates.filter((c) => !c.plan.socialworker));
  const coordinated = others.filter((c) => c.plan.districtCode === "huangpu" || c.plan.districtCode === "xuhui").slice(0, 20);
  const statuses: PlanStatus[] = ["approved", "approved", "approved", "approved", "approved", "submitted", "submitted", "submitted", "returned", "draft"];
  coordinated.forEach((c, i) => writePlan(r, w, c.id, statuses[i % statuses.length]!, logins.admin.userId, logins.coordinator.userId, today));
  others
    .filter((c) => c.plan.districtCode !== "huangpu" && c.plan.districtCode !== "xuhui")
    .slice(0, 15)
    .forEach((c) => writePlan(r, w, c.id, "approved", logins.admin.userId, logins.admin.userId, today));
}

/** Requests to lift dynamic monitoring for some recognised clients: most granted, a few sent or drafted. */
function writeLiftRequests(r: Random, w: Writers, candidates: { id: number; plan: ClientPlan }[], today: string): void {
  for (const c of candidates) {
    if (!r.chance(0.12)) continue;
    const sent = addDays(c.plan.recognisedOn!, r.int(20, 90));
    const decided = addDays(sent, r.int(14, 60));
    if (sent > today) w.lift({ clientId: c.id, status: "draft", sentOn: null, decidedOn: null, note: LIFT_NOTES.draft });
    else if (decided > today) w.lift({ clientId: c.id, status: "sent", sentOn: sent, decidedOn: null, note: LIFT_NOTES.sent });
    else w.lift({ clientId: c.id, status: "granted", sentOn: sent, decidedOn: decided, note: LIFT_NOTES.granted });
  }
}
