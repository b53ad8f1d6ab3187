/**
 * Clients of the scaled demo (`demo --scale N`): round(35,740 × N) fictional clients served over
 * fifteen years (intake from 2011 to a month before "today"), written as a stream with raw
 * prepared statements so scale 10 (357,400 clients, about five million contacts) fits in
 * minutes and in memory.
 *
 * Each client's history comes from its own seeded generator (the fixed seed and the client's
 * place in intake order), so it can be simulated twice: a first pass simulates every history
 * (substance events, facility stays, closure) and finds who reached three abstinent years; from
 * those, exactly round(29.60% × served) are recognised (the source program's rate), chosen at
 * random; the second pass writes every record. The three-year rate therefore comes out of the
 * records (recognitions ÷ clients served, DESIGN.md §5), never typed in; the clients who reached
 * three years but were not recognised are the social workers' recognition worklist.
 *
 * The app's rules hold for every row: contacts, events and recognitions lie between intake and
 * the closing date (or today); each client has a consent from the intake date (withdrawn only
 * when a closed client withdrew it, after the last contact); one current social worker per open
 * client (a closed client's last assignment ends on the closing date); peer tutors only while
 * certified. The demo logins get caseloads: `socialworker` about 25 Huangpu clients (some
 * overdue, some eligible for recognition), `tutor` 7 mentees in Huangpu and `tutor2` 7 in Xuhui,
 * three of each overdue.
 */
import type { ClientStatus, LegalStatus, RiskLevel } from "../schema";
import { addDays, addMonths, addYears, daysBetween } from "../../app/domain/clients/dates";
import { isEligibleForRecognition } from "../../app/domain/clients/outcomes";
import { DURATION, FACILITY_TYPES, instant, MOODS, NORMAL_TYPES, simulateHistory, type ClientsSummary } from "./clients";
import { rawInsert, withIndexesBuiltAfter, type Sqlite } from "./bulk";
import type { DemoContext, DemoPeerTutor, DemoSocialWorker, FormerClientTrainee } from "./context";
import { DEMO_DISTRICTS } from "./places";
import { createRandom, randomDate, weighted, type Random } from "./random";
import { apportion, scaledCounts, SOURCE_FIGURES } from "./scale";
import {
  ALIAS_MARK,
  ALIAS_STEMS,
  CLOSED_REASONS,
  CLOSED_WITHDRAWN_REASON,
  CONTACT_SUMMARIES,
  FLAG_REASONS,
  FLAG_RESOLUTIONS,
  INTAKE_SUMMARY,
  LIFT_NOTES,
  PLAN_GOALS,
  PLAN_NOTES,
  RECOGNITION_EVIDENCE,
  RISK_OBSERVATIONS,
  TUTOR_SUMMARIES,
} from "./texts";

const FIRST_INTAKE = "2011-01-01";
/** Each client's chance that an abstinence stretch ends in a relapse within three years: drawn from [MIN, MAX). */
const RELAPSE_PROPENSITY_MIN = 0.62;
const RELAPSE_PROPENSITY_MAX = 1;
/** Tests after a restart of the clock: every 150–360 days over the first three years. */
const TEST_EVERY_DAYS = [150, 360] as const;
const CLOSED_SHARE = 0.16;
const SOCIALWORKER_CASELOAD = 25;
const TUTOR_MENTEES = 7;
/**
 * Contact cadence, stepping back from the latest contact to the intake interview (about 14
 * contacts a client on average): every 35–75 days in the last year of the case, 60–120 days in
 * a facility, 280–620 days before that.
 */
const STEP_RECENT: readonly [number, number] = [35, 75];
const STEP_FACILITY: readonly [number, number] = [60, 120];
const STEP_OLDER: readonly [number, number] = [280, 620];

type Profile = "recent" | "overdue" | "dueMissed" | "closed";
type Role = { socialworker: boolean; tutor: "tutor" | "tutor2" | null; profile: Profile | null };

const STATUS_ACTIVE = 1;
const STATUS_FACILITY = 2;
const STATUS_CLOSED = 3;

export type ScaledClientsOptions = { scale: number; onProgress: (line: string) => void };

/** A 32-bit seed for client i, mixed from the base seed (murmur3's finaliser). */
function clientSeed(base: number, i: number): number {
  let h = (base ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const max = (a: string, b: string) => (a > b ? a : b);
const min = (a: string, b: string) => (a < b ? a : b);
const thousands = (n: number) => n.toLocaleString("en-US");

/** The first draws of a client's own generator: closure, relapse propensity and the simulated history. */
function basics(seed: number, intake: string, today: string) {
  const r = createRandom(seed);
  let closedOn: string | null = null;
  if (intake <= addYears(today, -1) && r.chance(CLOSED_SHARE)) closedOn = randomDate(r, addYears(intake, 1), addDays(today, -14));
  const propensity = RELAPSE_PROPENSITY_MIN + (RELAPSE_PROPENSITY_MAX - RELAPSE_PROPENSITY_MIN) * r.next();
  const sim = simulateHistory(r, intake, closedOn ?? today, propensity, undefined, { recogniseWhenReached: 1, testEveryDays: TEST_EVERY_DAYS });
  const status = closedOn ? STATUS_CLOSED : sim.inFacility ? STATUS_FACILITY : STATUS_ACTIVE;
  // a recognition the records allow: dated before any closing
  const candidate = sim.recognisedOn !== null && sim.recognisedOn <= today && (closedOn === null || sim.recognisedOn < closedOn);
  // on the worklist today unless recognised: the app's own rule
  const eligible = isEligibleForRecognition(
    { intakeDate: intake, status: status === STATUS_CLOSED ? "closed" : "active", closedOn, events: sim.events, recognitions: [] },
    today,
  );
  return { r, closedOn, sim, status, candidate, eligible };
}

/** The tables the clients stage fills: their secondary indexes are built once, after the rows are in. */
const BULK_TABLES = ["clients", "client_identities", "consents", "client_assignments", "contacts", "substance_events", "recognitions"];

export function generateScaledClients(sqlite: Sqlite, r: Random, ctx: DemoContext, options: ScaledClientsOptions): ClientsSummary {
  return withIndexesBuiltAfter(sqlite, BULK_TABLES, () => {
    const summary = writeScaledClients(sqlite, r, ctx, options);
    options.onProgress(`clients: building the indexes of ${BULK_TABLES.join(", ")}`);
    return summary;
  });
}

function writeScaledClients(sqlite: Sqlite, r: Random, ctx: DemoContext, options: ScaledClientsOptions): ClientsSummary {
  const started = Date.now();
  const { today, logins } = ctx;
  const progress = options.onProgress;
  const total = scaledCounts(options.scale).clients;
  const lastIntake = addMonths(today, -1);
  const seedBase = r.int(0, 2 ** 31);

  // ---- where and when: districts by their share of the source's points, chronological ids ----
  const sourcePoints = new Map(DEMO_DISTRICTS.map((d) => [d.code, d.points]));
  const shares = apportion(total, ctx.districts.map((d) => sourcePoints.get(d.code) ?? 1));
  const pointsIn = ctx.districts.map((d) => ctx.points.filter((p) => p.districtId === d.id));
  const intakes: string[] = new Array<string>(total);
  const districtOf = new Uint8Array(total);
  const pointOf = new Int32Array(total);
  let k = 0;
  ctx.districts.forEach((_, di) => {
    for (let n = 0; n < shares[di]!; n++, k++) {
      districtOf[k] = di;
      pointOf[k] = r.pick(pointsIn[di]!).id;
      intakes[k] = randomDate(r, FIRST_INTAKE, lastIntake);
    }
  });
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) =>
    intakes[a]! < intakes[b]! ? -1 : intakes[a]! > intakes[b]! ? 1 : districtOf[a]! - districtOf[b]! || a - b,
  );

  // ---- pass 1: every history, to know who reached three years and who is open ----
  const status = new Uint8Array(total);
  const eligibleIfUnrecognised = new Uint8Array(total);
  const candidates: number[] = [];
  for (let i = 0; i < total; i++) {
    const c = order[i]!;
    const b = basics(clientSeed(seedBase, i), intakes[c]!, today);
    status[i] = b.status;
    if (b.candidate) candidates.push(i);
    if (b.eligible) eligibleIfUnrecognised[i] = 1;
  }
  const served = total; // every intake lies before today
  const wanted = Math.round((SOURCE_FIGURES.threeYearRate / 100) * served);
  const recognise = new Uint8Array(total);
  for (const i of r.shuffle(candidates).slice(0, wanted)) recognise[i] = 1;
  progress(
    `clients: ${thousands(total)} histories simulated; ${thousands(candidates.length)} reached three abstinent years, ` +
      `${thousands(Math.min(wanted, candidates.length))} of them recognised (${(Date.now() - started) / 1000} s)`,
  );

  // ---- the demo logins' caseloads ----
  const code = (i: number) => ctx.districts[districtOf[order[i]!]!]!.code;
  const openIn = (districtCode: string) =>
    Array.from({ length: total }, (_, i) => i).filter(
      (i) => code(i) === districtCode && status[i] === STATUS_ACTIVE && intakes[order[i]!]! <= addDays(today, -60),
    );
  const roles = new Map<number, Role>();
  const huangpu = r.shuffle(openIn("huangpu"));
  const eligibleFirst = [...huangpu.filter((i) => eligibleIfUnrecognised[i] && !recognise[i]).slice(0, 2), ...huangpu];
  const caseload = [...new Set(eligibleFirst)].slice(0, SOCIALWORKER_CASELOAD);
  caseload.forEach((i, n) => roles.set(i, { socialworker: true, tutor: null, profile: n >= 2 && n < 6 ? "overdue" : n === 6 ? "dueMissed" : "recent" }));
  const tutorMentees = [...caseload.slice(4, 6), ...huangpu.filter((i) => !roles.has(i)).slice(0, TUTOR_MENTEES - 2)];
  tutorMentees.forEach((i, n) => {
    const role = roles.get(i) ?? { socialworker: false, tutor: null, profile: n < 3 ? "overdue" : "recent" };
    roles.set(i, { ...role, tutor: "tutor" });
  });
  r.shuffle(openIn("xuhui"))
    .slice(0, TUTOR_MENTEES)
    .forEach((i, n) => roles.set(i, { socialworker: false, tutor: "tutor2", profile: n < 3 ? "overdue" : "recent" }));

  // ---- who can be assigned ----
  const swPerson = logins.socialworker.personId;
  const socialworkerStaff = ctx.socialWorkers.find((s) => s.personId === swPerson)!;
  const swAtPoint = new Map<number, DemoSocialWorker[]>();
  const swInDistrict = new Map<number, DemoSocialWorker[]>();
  for (const sw of ctx.socialWorkers) {
    if (sw.personId === swPerson) continue;
    swAtPoint.set(sw.pointId, [...(swAtPoint.get(sw.pointId) ?? []), sw]);
    swInDistrict.set(sw.districtId, [...(swInDistrict.get(sw.districtId) ?? []), sw]);
  }
  // in a tiny data set socialworker may be her district's only social worker: then she serves the others too
  const swAll = new Map<number, DemoSocialWorker[]>();
  for (const sw of ctx.socialWorkers) swAll.set(sw.districtId, [...(swAll.get(sw.districtId) ?? []), sw]);
  const loginTutorPersons = new Set([logins.tutor.personId, logins.tutor2.personId]);
  const practising = ctx.peerTutors.filter((t) => t.status === "active" && t.expiresOn > today && !loginTutorPersons.has(t.personId));
  const notPractising = ctx.peerTutors.filter((t) => t.status !== "active");
  const tutorsIn = new Map<number, DemoPeerTutor[]>();
  for (const t of practising) tutorsIn.set(t.districtId, [...(tutorsIn.get(t.districtId) ?? []), t]);
  const loginTutor = (login: "tutor" | "tutor2") => ctx.peerTutors.find((t) => t.personId === logins[login].personId)!;
  const studioCodes = new Set(ctx.districts.filter((d) => d.studio).map((d) => d.code));

  // ---- pass 2: write ----
  const w = {
    person: rawInsert(sqlite, "persons", ["display_name"]),
    client: rawInsert(sqlite, "clients", [
      "case_number",
      "alias",
      "district_id",
      "subdistrict_id",
      "point_id",
      "legal_status",
      "intake_date",
      "risk_level",
      "status",
      "closed_reason",
      "closed_on",
      "person_id",
    ]),
    identity: rawInsert(sqlite, "client_identities", ["client_id", "real_name", "id_number", "phone", "address"]),
    consent: rawInsert(sqlite, "consents", ["client_id", "purposes", "sensitive_info", "agreed_on", "recorded_by", "withdrawn_at"]),
    assignment: rawInsert(sqlite, "client_assignments", ["client_id", "kind", "person_id", "from_date", "to_date", "assigned_by"]),
    contact: rawInsert(sqlite, "contacts", [
      "client_id",
      "author_user_id",
      "type",
      "happened_at",
      "duration_minutes",
      "participants",
      "summary",
      "mood",
      "risk_observation",
      "private",
      "next_contact_due",
    ]),
    event: rawInsert(sqlite, "substance_events", ["client_id", "date", "kind", "note", "recorded_by"]),
    recognition: rawInsert(sqlite, "recognitions", ["client_id", "recognised_on", "recognised_by_user_id", "evidence"]),
    lift: rawInsert(sqlite, "monitoring_lift_requests", ["client_id", "status", "sent_on", "decided_on", "note"]),
    plan: rawInsert(sqlite, "service_plans", ["client_id", "status", "review_due", "note", "author_user_id", "submitted_at", "decided_by_user_id", "decided_at"]),
    goal: rawInsert(sqlite, "plan_goals", ["plan_id", "area", "goal", "action", "owner", "due_date", "status"]),
    barc10: rawInsert(sqlite, "barc10_assessments", ["client_id", "taken_on", "answers", "total", "recorded_by"]),
    flag: rawInsert(sqlite, "client_flags", ["client_id", "kind", "reason", "raised_by_user_id", "raised_at", "resolved_by_user_id", "resolved_at", "resolution_note"]),
  };
  const pointSubdistrict = new Map(ctx.points.map((p) => [p.id, p.subdistrictId]));
  const adminId = logins.admin.userId;
  const swUserId = logins.socialworker.userId;
  const coordinatorId = logins.coordinator.userId;
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
  const formerDistricts = new Set<string>();
  const perYear = new Map<string, number>();
  const step = Math.max(1000, Math.round(total / 20));
  const recentFrom = addMonths(today, -12);

  for (let i = 0; i < total; i++) {
    const c = order[i]!;
    const intake = intakes[c]!;
    const district = ctx.districts[districtOf[c]!]!;
    const pointId = pointOf[c]!;
    const role = roles.get(i) ?? { socialworker: false, tutor: null, profile: null };
    const { r: cr, closedOn, sim, status: st } = basics(clientSeed(seedBase, i), intake, today);
    const clientStatus: ClientStatus = st === STATUS_CLOSED ? "closed" : st === STATUS_FACILITY ? "in_facility" : "active";
    const recognisedOn = recognise[i] ? sim.recognisedOn : null;
    const withdrawn = closedOn !== null && !sim.inFacility && cr.chance(0.15);
    const closedReason = closedOn
      ? sim.inFacility
        ? "进入强制隔离戒毒场所，本案结案（虚构记录）"
        : withdrawn
          ? CLOSED_WITHDRAWN_REASON
          : cr.pick(CLOSED_REASONS)
      : "";

    // social workers: the current one (history kept), and socialworker's caseload
    const sw: { personId: number; from: string; to: string | null }[] = [];
    const endOrToday = closedOn ?? addDays(today, -7);
    const current = role.socialworker
      ? socialworkerStaff
      : cr.pick(swAtPoint.get(pointId) ?? swInDistrict.get(district.id) ?? swAll.get(district.id)!);
    let from = role.socialworker ? max(intake, addDays(today, -cr.int(200, 1500))) : max(intake, addDays(current.hiredOn, cr.int(0, 60)));
    if (!role.socialworker && daysBetween(intake, endOrToday) > 400 && cr.chance(0.2)) {
      from = max(from, randomDate(cr, addDays(intake, 180), addDays(endOrToday, -60)));
    }
    if (from > endOrToday) from = intake;
    const others = swAll.get(district.id)!.filter((s) => s.personId !== current.personId);
    if (others.length === 0) from = intake;
    if (from > intake) sw.push({ personId: cr.pick(others).personId, from: intake, to: from });
    sw.push({ personId: current.personId, from, to: closedOn });
    const socialworkerFrom = role.socialworker ? from : null;

    // a peer tutor for some active clients (the logins' mentees are theirs)
    const pt: { personId: number; from: string; to: string | null; login: boolean }[] = [];
    if (clientStatus === "active") {
      let tutor: DemoPeerTutor | null = null;
      if (role.tutor) tutor = loginTutor(role.tutor);
      else {
        const local = tutorsIn.get(district.id);
        if (local && cr.chance(0.33)) tutor = cr.pick(local);
        else if (!local && practising.length > 0 && cr.chance(0.12)) tutor = cr.pick(practising);
      }
      if (tutor) {
        const earliest = max(intake, addDays(tutor.certifiedOn, 14));
        const latest = role.tutor ? addDays(today, -45) : addDays(today, -7);
        if (earliest <= latest) {
          const tutorFrom = randomDate(cr, earliest, latest);
          const before = notPractising.length > 0 && cr.chance(0.15) ? cr.pick(notPractising) : null;
          if (before) {
            const start = max(intake, addDays(before.certifiedOn, 14));
            if (start < addDays(tutorFrom, -90)) pt.push({ personId: before.personId, from: start, to: tutorFrom, login: false });
          }
          pt.push({ personId: tutor.personId, from: tutorFrom, to: null, login: role.tutor !== null });
        }
      }
    }
    const tutorFrom = role.tutor && pt.length > 0 ? pt[pt.length - 1]!.from : null;

    // a former client now training as a peer tutor (up to three, in distinct studio districts)
    let personId: number | null = null;
    if (
      recognisedOn !== null &&
      recognisedOn <= addYears(today, -2) &&
      clientStatus === "active" &&
      !role.socialworker &&
      !role.tutor &&
      summary.formerClientTrainees.length < 3 &&
      studioCodes.has(district.code) &&
      district.code !== "huangpu" &&
      !formerDistricts.has(district.code)
    ) {
      personId = w.person(ctx.newName());
      formerDistricts.add(district.code);
    }

    const year = intake.slice(0, 4);
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    const risk = riskOf(cr, clientStatus, daysBetween(lastRestart(sim.events, intake, closedOn ?? today), closedOn ?? today));
    const clientId = w.client(
      `SH-${year}-${String(n).padStart(n > 99_999 ? 6 : 5, "0")}`,
      cr.pick(ALIAS_STEMS) + ALIAS_MARK,
      district.id,
      pointSubdistrict.get(pointId)!,
      pointId,
      legalOf(cr, clientStatus, sim.pathway, intake, today),
      intake,
      risk,
      clientStatus,
      closedReason,
      closedOn,
      personId,
    );
    summary.clients++;
    summary.served++;
    if (personId !== null) summary.formerClientTrainees.push({ personId, clientId, districtId: district.id } satisfies FormerClientTrainee);

    if (role.socialworker || cr.chance(0.1)) w.identity(clientId, "测试姓名（虚构）", "000000********0000", "000-0000-0000", "虚构地址");
    const purposes = JSON.stringify(["case_management", "peer_support", ...(cr.chance(0.6) ? ["group_sessions"] : []), "reporting"]);
    w.consent(clientId, purposes, cr.chance(0.9) ? 1 : 0, intake, adminId, withdrawn && closedOn ? instant(closedOn, 0) : null);
    for (const a of sw) w.assignment(clientId, "social_worker", a.personId, a.from, a.to, null);
    for (const a of pt) w.assignment(clientId, "peer_tutor", a.personId, a.from, a.to, a.login && a.to === null ? coordinatorId : null);

    const recorder = (date: string) => (socialworkerFrom !== null && date >= socialworkerFrom ? swUserId : adminId);
    for (const e of sim.events) {
      w.event(clientId, e.date, e.kind, e.note, recorder(e.date) === swUserId ? swUserId : null);
      summary.events++;
    }
    if (recognisedOn !== null) {
      w.recognition(clientId, recognisedOn, recorder(recognisedOn), cr.pick(RECOGNITION_EVIDENCE));
      summary.recognised++;
      if (sim.events.some((e) => e.date > recognisedOn && (e.kind === "relapse" || e.kind === "use" || e.kind === "test_positive"))) {
        summary.relapsedAfterRecognition++;
      }
      if (clientStatus === "active" && cr.chance(0.12)) {
        const sent = addDays(recognisedOn, cr.int(20, 90));
        const decided = addDays(sent, cr.int(14, 60));
        if (sent > today) w.lift(clientId, "draft", null, null, LIFT_NOTES.draft);
        else if (decided > today) w.lift(clientId, "sent", sent, null, LIFT_NOTES.sent);
        else w.lift(clientId, "granted", sent, decided, LIFT_NOTES.granted);
      }
    } else if (eligibleIfUnrecognised[i]) {
      summary.eligibleToday++;
    }

    const profile: Profile =
      clientStatus === "closed"
        ? "closed"
        : (role.profile ??
          (clientStatus === "in_facility"
            ? weighted(cr, [["recent", 70], ["overdue", 30]] as const)
            : weighted(cr, [["recent", 80], ["overdue", 14], ["dueMissed", 6]] as const)));
    summary.contacts += writeContacts(cr, w.contact, {
      clientId,
      intake,
      closedOn,
      facility: sim.facility,
      risk,
      profile: profile === "overdue" && daysBetween(intake, today) < 40 ? "recent" : profile,
      today,
      recentFrom: closedOn ? addMonths(closedOn, -12) : recentFrom,
      authors: { admin: adminId, socialworker: swUserId, tutor: role.tutor ? logins[role.tutor].userId : null },
      socialworkerFrom,
      tutorFrom,
    });

    const recordedBy = role.socialworker ? swUserId : adminId;
    if (clientStatus === "active" && cr.chance(role.socialworker ? 0.5 : 0.12)) {
      const count = cr.int(1, 4);
      const base = cr.int(2, 5);
      const dates: string[] = [];
      for (let taken = addDays(today, -cr.int(5, 100)), m = 0; m < count && taken > intake; m++, taken = addMonths(taken, -3)) dates.unshift(taken);
      dates.forEach((takenOn, m) => {
        const answers = Array.from({ length: 10 }, () => Math.max(1, Math.min(6, base + cr.int(-1, 1) + (m >= 2 ? 1 : 0))));
        w.barc10(clientId, takenOn, JSON.stringify(answers), answers.reduce((s, a) => s + a, 0), recordedBy);
      });
    }
    if (clientStatus !== "closed") {
      // open flags for some high-risk clients, a crisis now and then, resolved ones from the past
      if (risk === "high" && cr.chance(0.06)) {
        const kind = cr.chance(0.08) ? "crisis" : "risk";
        const day = addDays(today, -cr.int(1, kind === "crisis" ? 4 : 40));
        w.flag(clientId, kind, cr.pick(FLAG_REASONS[kind]), recordedBy, instant(day, cr.int(9, 17), cr.int(0, 59)), null, null, "");
      } else if (cr.chance(0.03) && intake < addDays(today, -60)) {
        const kind = cr.chance(0.85) ? "risk" : "crisis";
        const raised = randomDate(cr, max(intake, addYears(today, -5)), addDays(today, -30));
        const resolved = min(addDays(raised, cr.int(3, 25)), addDays(today, -1));
        w.flag(clientId, kind, cr.pick(FLAG_REASONS[kind]), recordedBy, instant(raised, cr.int(9, 17), cr.int(0, 59)), recordedBy, instant(resolved, cr.int(9, 17), cr.int(0, 59)), cr.pick(FLAG_RESOLUTIONS));
      }
      if (clientStatus === "active" && cr.chance(role.socialworker ? 0.2 : 0.02)) {
        const planStatus = weighted(cr, [["approved", 60], ["submitted", 25], ["draft", 15]] as const);
        const submitted = addDays(today, -cr.int(10, 60));
        const decided = min(addDays(submitted, cr.int(1, 7)), addDays(today, -1));
        const planId = w.plan(
          clientId,
          planStatus,
          addDays(today, cr.int(30, 120)),
          cr.pick(PLAN_NOTES),
          recordedBy,
          planStatus === "draft" ? null : instant(submitted, cr.int(9, 17)),
          planStatus === "approved" ? coordinatorId : null,
          planStatus === "approved" ? instant(decided, cr.int(9, 17)) : null,
        );
        for (const g of cr.shuffle(PLAN_GOALS).slice(0, cr.int(2, 4))) {
          w.goal(planId, g.area, g.goal, g.action, g.owner, addDays(today, cr.int(20, 180)), "open");
        }
      }
    }

    if ((i + 1) % step === 0 || i + 1 === total) {
      progress(
        `clients: ${thousands(i + 1)} of ${thousands(total)} written, ${thousands(summary.contacts)} contacts, ` +
          `${thousands(summary.events)} substance events (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
  }
  return summary;
}

function lastRestart(events: readonly { date: string; kind: string }[], intake: string, asOf: string): string {
  let last = intake;
  for (const e of events) if (e.kind !== "test_negative" && e.date <= asOf && e.date > last) last = e.date;
  return last;
}

function riskOf(r: Random, status: ClientStatus, daysAbstinent: number): RiskLevel {
  if (status === "in_facility") return "high";
  if (daysAbstinent < 365) return weighted(r, [["high", 50], ["medium", 50]] as const);
  if (daysAbstinent < 3 * 365) return weighted(r, [["medium", 60], ["low", 30], ["high", 10]] as const);
  return weighted(r, [["low", 85], ["medium", 15]] as const);
}

function legalOf(r: Random, status: ClientStatus, pathway: "release" | "order" | "voluntary", intake: string, today: string): LegalStatus {
  if (status === "in_facility") return "compulsory_rehab";
  if (intake < addYears(today, -6) && r.chance(0.35)) return "none";
  switch (pathway) {
    case "release":
      return r.chance(0.85) ? "community_rehab" : "none";
    case "order":
      return r.chance(0.85) ? "community_treatment" : "community_rehab";
    case "voluntary":
      return r.chance(0.7) ? "voluntary" : "none";
  }
}

type ContactPlan = {
  clientId: number;
  intake: string;
  closedOn: string | null;
  facility: [string, string][];
  risk: RiskLevel;
  profile: Profile;
  today: string;
  /** the last year of the case: contacts are frequent from here on */
  recentFrom: string;
  authors: { admin: number; socialworker: number; tutor: number | null };
  socialworkerFrom: string | null;
  tutorFrom: string | null;
};

/**
 * The contact log, oldest first: the latest contact placed by the cadence profile (recent,
 * overdue by the 30-day threshold, a missed next-contact date, or before the closing date), the
 * earlier ones stepping back to the intake interview on the intake date.
 */
function writeContacts(r: Random, insert: (...values: unknown[]) => number, p: ContactPlan): number {
  const { today, intake } = p;
  let last: string;
  let lastDue: string | null = null;
  switch (p.profile) {
    case "closed":
      // before the closing date (and before a withdrawal of consent, recorded at its midnight)
      last = addDays(p.closedOn!, -r.int(1, 25));
      break;
    case "overdue":
      last = addDays(today, -r.int(32, Math.min(110, daysBetween(intake, today))));
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
  if (last < intake) last = intake;
  const inFacility = (d: string) => p.facility.some(([from, to]) => d >= from && d < to);
  const dates: string[] = [];
  for (let t = last; t > intake; ) {
    dates.push(t);
    const [lo, hi] = inFacility(t) ? STEP_FACILITY : t >= p.recentFrom ? STEP_RECENT : STEP_OLDER;
    t = addDays(t, -r.int(lo, hi));
  }
  dates.push(intake);
  dates.reverse();

  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    const facility = inFacility(d);
    const byTutor = p.authors.tutor !== null && p.tutorFrom !== null && d >= p.tutorFrom && !facility && i > 0 && r.chance(0.35);
    const author = byTutor ? p.authors.tutor! : p.socialworkerFrom !== null && d >= p.socialworkerFrom ? p.authors.socialworker : p.authors.admin;
    let type: string;
    let summary: string;
    if (i === 0) {
      type = "office";
      summary = INTAKE_SUMMARY;
    } else if (byTutor) {
      type = weighted(r, [["phone", 50], ["groupSession", 25], ["homeVisit", 15], ["other", 10]] as const);
      summary = r.pick(TUTOR_SUMMARIES);
    } else {
      type = weighted(r, facility ? FACILITY_TYPES : NORMAL_TYPES);
      summary = r.pick(CONTACT_SUMMARIES[type]!);
    }
    const [lo, hi] = DURATION[type]!;
    let participants = "[]";
    if (type === "homeVisit") {
      const who: string[] = [];
      if (r.chance(0.6)) who.push("family");
      if (r.chance(0.15)) who.push("residentsCommittee");
      if (r.chance(0.1)) who.push("communityPolice");
      participants = JSON.stringify(who);
    } else if (type === "familyCall") participants = '["family"]';
    const isLast = i === dates.length - 1;
    insert(
      p.clientId,
      author,
      type,
      instant(d, r.int(9, 17), r.pick([0, 15, 30, 45])),
      r.int(lo, hi),
      participants,
      summary,
      r.chance(0.65) ? weighted(r, MOODS) : null,
      p.risk === "high" && r.chance(0.15) ? r.pick(RISK_OBSERVATIONS) : null,
      author === p.authors.socialworker ? (r.chance(0.08) ? 1 : 0) : author === p.authors.admin ? (r.chance(0.02) ? 1 : 0) : 0,
      isLast ? lastDue : r.chance(0.2) ? addDays(d, r.int(14, 30)) : null,
    );
  }
  return dates.length;
}
