/**
 * The demo data: the organisation of the source program (Shanghai's 16 districts, 13
 * workstations, 154 social-work points, 10 studios), 794 social workers, 4 training cohorts with
 * 47 certified peer tutors, six demo logins, then about 2,000 clients with multi-year histories
 * (clients.ts) and the training records of cohorts 1–5 (training.ts).
 *
 * Histories are placed relative to the generation date, `today` (a YYYY-MM-DD date in
 * Asia/Shanghai; default: today there), which tests pass in to fix it. Everything else comes from
 * one fixed seed: two generations with the same `today` write the same rows (timestamps aside).
 * Every person is fictional and named so.
 */
import { count, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import {
  cohorts,
  districts,
  peerTutors,
  persons,
  socialWorkPoints,
  staffProfiles,
  studios,
  subdistricts,
  trainingProgrammes,
  users,
  workstations,
  type OpeningPeriod,
} from "../schema";
import type { Role, RoleGrant } from "../../app/auth/roles";
import { recordAudit, type Actor } from "../../app/domain/audit";
import { createUser } from "../../app/domain/people";
import { markDemoDatabase } from "../../app/domain/settings";
import { addDays, localDate, parseDate } from "../../app/domain/clients/dates";
import { threeYearRate } from "../../app/domain/clients/outcomes";
import { generateClients } from "./clients";
import type { DemoContext, DemoCohortRef, DemoLogin, DemoPeerTutor, DemoPointRef, DemoSocialWorker } from "./context";
import { createNameMaker } from "./names";
import { DEMO_DISTRICTS, FICTIONAL_ROADS, ZH_ORDINALS } from "./places";
import { createRandom, randomDate, type Random } from "./random";
import { generateTraining } from "./training";
import { generateSessions } from "./sessions";
import { generateProjects } from "./projects";
import { generateHours } from "./hours";
import { normalLayout, scaledLayout, socialWorkerPoints, type DemoLayout } from "./scale";
import { generateScaledClients } from "./scale-clients";

export const DEMO_SEED = 20031218;
export const DEMO_PASSWORD = "tongban-demo";
export const DEMO_ACTOR: Actor = { userId: null, login: "demo", ip: "" };

export const DEMO_SOCIAL_WORKERS = 794;
/** A scaled demo's studios have this many weeks of past sessions (three years). */
const SCALED_SESSION_WEEKS_BACK = 156;
/** Renewed certificates of active and paused peer tutors run at least until this date. */
export const DEMO_CERTIFICATES_VALID_THROUGH = "2027-01-01";

export const DEMO_LOGINS: readonly { login: string; role: Role; description: string }[] = [
  { login: "admin", role: "admin", description: "administrator" },
  { login: "coordinator", role: "coordinator", description: "program coordinator for Huangpu and Xuhui" },
  { login: "socialworker", role: "social_worker", description: "social worker in Huangpu" },
  { login: "tutor", role: "peer_tutor", description: "peer tutor in Huangpu" },
  { login: "tutor2", role: "peer_tutor", description: "peer tutor in Xuhui" },
  { login: "trainer", role: "trainer", description: "trainer of the peer-tutor cohorts" },
];

type TutorStatus = "active" | "paused" | "alumni" | "revoked";

type CohortPlan = {
  number: number;
  startsOn: string;
  endsOn: string;
  tutors: number;
  /** statuses other than active, placed on random members of the cohort */
  others: { status: Exclude<TutorStatus, "active">; reason: string; becameSocialWorker?: boolean }[];
};

const COHORTS: CohortPlan[] = [
  {
    number: 1,
    startsOn: "2019-09-02",
    endsOn: "2019-12-27",
    tutors: 12,
    others: [
      { status: "alumni", reason: "已转为签约禁毒社工（虚构记录）", becameSocialWorker: true },
      { status: "alumni", reason: "已退出辅导员服务，作为校友参与活动（虚构记录）" },
      { status: "revoked", reason: "复吸，经培训师评估撤销证书（虚构记录）" },
    ],
  },
  {
    number: 2,
    startsOn: "2021-09-06",
    endsOn: "2021-12-24",
    tutors: 11,
    others: [
      { status: "alumni", reason: "迁居外地，已退出辅导员服务（虚构记录）" },
      { status: "alumni", reason: "已退出辅导员服务，作为校友参与活动（虚构记录）" },
      { status: "paused", reason: "因家庭原因暂停服务（虚构记录）" },
    ],
  },
  {
    number: 3,
    startsOn: "2023-09-04",
    endsOn: "2023-12-22",
    tutors: 12,
    others: [
      { status: "revoked", reason: "多次违反服务守则，经培训师评估撤销证书（虚构记录）" },
      { status: "paused", reason: "因工作调整暂停服务（虚构记录）" },
    ],
  },
  {
    number: 4,
    startsOn: "2025-03-03",
    endsOn: "2025-06-27",
    tutors: 12,
    others: [{ status: "paused", reason: "因健康原因暂停服务（虚构记录）" }],
  },
];

/** The peer tutors behind the `tutor` and `tutor2` logins: active, first of their cohort. */
const RESERVED_TUTORS = [
  { login: "tutor", cohort: 3, district: "huangpu" },
  { login: "tutor2", cohort: 4, district: "xuhui" },
] as const;

export type DemoSummary = {
  districts: number;
  subdistricts: number;
  workstations: number;
  points: number;
  studios: number;
  socialWorkers: number;
  cohorts: number;
  peerTutors: number;
  logins: string[];
  /** the generation date the histories are placed around */
  today: string;
  clients: number;
  contacts: number;
  recognised: number;
  /** recognised ÷ served at today, "29.60" */
  threeYearRate: string;
  certificates: number;
  cohort5Trainees: number;
  elapsedMs: number;
};

export type GenerateOptions = {
  onProgress?: (line: string) => void;
  /** the generation date, YYYY-MM-DD in Asia/Shanghai (default: today there); fix it for repeatable data */
  today?: string;
  /** `demo --scale N`: N times the source figures (db/demo/scale.ts); absent: the normal demo */
  scale?: number;
};

/** The earliest generation date the demo's fixed history allows (cohort 4 ended 2025-06-27). */
export const DEMO_EARLIEST_TODAY = "2025-10-01";

/** The program's time zone, in which the demo's "today" is a date. */
export const DEMO_TIME_ZONE = "Asia/Shanghai";

/** "2019-12-27" + 24 months → "2021-12-27" (the day is clamped to the month's length). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

function fictionalAddress(random: Random, prefix = ""): string {
  return `${prefix}${random.pick(FICTIONAL_ROADS)} ${random.int(1, 999)} 号（虚构地址）`;
}

function subdistrictKind(nameZh: string): { kind: "subdistrict" | "town"; suffixEn: string } {
  if (nameZh.endsWith("街道")) return { kind: "subdistrict", suffixEn: "Subdistrict" };
  if (nameZh.endsWith("乡")) return { kind: "town", suffixEn: "Township" };
  return { kind: "town", suffixEn: "Town" };
}

function openingHours(random: Random, index: number): OpeningPeriod[] {
  const [opens, closes] = random.pick([
    ["09:00", "17:00"],
    ["09:30", "17:30"],
    ["08:30", "16:30"],
  ] as const);
  const periods: OpeningPeriod[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens, closes }));
  // one evening a week for people who work in the day
  if (random.chance(0.4)) {
    const evening = random.int(2, 4);
    periods[evening - 1] = { weekday: evening, opens: "13:00", closes: "20:30" };
  }
  if (index % 3 === 0 || random.chance(0.3)) periods.push({ weekday: 6, opens: "09:00", closes: "12:00" });
  return periods;
}

const QUALIFICATIONS = [
  { value: "助理社会工作师", weight: 45 },
  { value: "社会工作师", weight: 35 },
  { value: "高级社会工作师", weight: 5 },
  { value: "", weight: 15 },
];

function qualification(random: Random): string {
  let n = random.int(1, 100);
  for (const q of QUALIFICATIONS) {
    n -= q.weight;
    if (n <= 0) return q.value;
  }
  return "";
}

/** Fills an empty, migrated database with the demo data. Refuses a database that has data. */
export async function generateDemo(db: Db, options: GenerateOptions = {}): Promise<DemoSummary> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const today = options.today ?? localDate(new Date(), DEMO_TIME_ZONE);
  parseDate(today);
  // cohort 5 runs after cohort 4 (ended 2025-06-27) and started two months before today
  if (today < DEMO_EARLIEST_TODAY) throw new Error(`demo: today (${today}) must be on or after ${DEMO_EARLIEST_TODAY}`);
  // active and paused tutors' certificates are renewed until they are valid beyond today
  const validThrough = DEMO_CERTIFICATES_VALID_THROUGH > today ? DEMO_CERTIFICATES_VALID_THROUGH : addDays(today, 1);
  const existing = db.select({ n: count() }).from(districts).get()?.n ?? 0;
  const existingUsers = db.select({ n: count() }).from(users).get()?.n ?? 0;
  if (existing > 0 || existingUsers > 0) {
    throw new Error(
      `the database is not empty (${existing} districts, ${existingUsers} users); demo data goes only into an empty database`,
    );
  }

  const random = createRandom(DEMO_SEED);
  const newName = createNameMaker(random);
  const layout: DemoLayout<CohortPlan["others"][number]> =
    options.scale === undefined
      ? normalLayout(DEMO_DISTRICTS, DEMO_SOCIAL_WORKERS, COHORTS)
      : scaledLayout(options.scale, DEMO_DISTRICTS, COHORTS, RESERVED_TUTORS.map((t) => t.cohort));
  const pointsIn = layout.pointsIn;

  type PointRef = DemoPointRef;
  const districtIds = new Map<string, number>();
  const studioIds = new Map<string, number>();
  const points: PointRef[] = [];
  const socialWorkers: DemoSocialWorker[] = [];
  const tutorRefs: DemoPeerTutor[] = [];
  const cohortRefs: DemoCohortRef[] = [];
  let programmeId = 0;
  let subdistrictCount = 0;
  let workstationCount = 0;
  let studioCount = 0;
  const loginPersons = new Map<string, { personId: number; displayName: string }>();
  const socialWorkerCount = { n: 0 };
  let peerTutorCount = 0;

  // ---- everything but the logins: one transaction, prepared inserts ----
  db.transaction((tx) => {
    for (const d of DEMO_DISTRICTS) {
      const districtId = tx
        .insert(districts)
        .values({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn })
        .returning({ id: districts.id })
        .get().id;
      districtIds.set(d.code, districtId);

      if (layout.scale === null && d.subdistricts.length > d.points) throw new Error(`${d.code}: more subdistricts than points`);
      const subIds = d.subdistricts.map(([nameZh, nameEn]) => {
        const { kind, suffixEn } = subdistrictKind(nameZh);
        subdistrictCount++;
        return {
          id: tx
            .insert(subdistricts)
            .values({ districtId, kind, nameZh, nameEn: `${nameEn} ${suffixEn}` })
            .returning({ id: subdistricts.id })
            .get().id,
          nameZh,
          nameEn: `${nameEn} ${suffixEn}`,
        };
      });

      let workstationId: number | null = null;
      if (d.workstation) {
        workstationCount++;
        workstationId = tx
          .insert(workstations)
          .values({
            districtId,
            nameZh: `${d.nameZh}工作站`,
            nameEn: d.nameEn.endsWith("Area") ? `${d.nameEn} Workstation` : `${d.nameEn} District Workstation`,
            address: fictionalAddress(random, d.nameZh),
          })
          .returning({ id: workstations.id })
          .get().id;
      }

      // points spread round-robin over the district's subdistricts: each has at least one
      const perSub = subIds.map((_, i) => Math.floor(pointsIn(d) / subIds.length) + (i < pointsIn(d) % subIds.length ? 1 : 0));
      for (let p = 0; p < pointsIn(d); p++) {
        const s = p % subIds.length;
        const sub = subIds[s]!;
        const ordinal = Math.floor(p / subIds.length);
        const several = perSub[s]! > 1;
        const id = tx
          .insert(socialWorkPoints)
          .values({
            districtId,
            subdistrictId: sub.id,
            workstationId,
            nameZh: several ? `${sub.nameZh}社工点（${ZH_ORDINALS[ordinal] ?? ordinal + 1}）` : `${sub.nameZh}社工点`,
            nameEn: several ? `${sub.nameEn} Social-work Point ${ordinal + 1}` : `${sub.nameEn} Social-work Point`,
            address: fictionalAddress(random, sub.nameZh),
          })
          .returning({ id: socialWorkPoints.id })
          .get().id;
        points.push({ id, districtCode: d.code, districtId, subdistrictId: sub.id });
      }
    }

    layout.studios.forEach(({ district: d, ordinal }, i) => {
      const id = tx
        .insert(studios)
        .values({
          districtId: districtIds.get(d.code)!,
          nameZh: ordinal === 0 ? `${d.nameZh}同伴教育工作室` : `${d.nameZh}同伴教育工作室（${ZH_ORDINALS[ordinal] ?? ordinal + 1}）`,
          nameEn: ordinal === 0 ? `${d.nameEn} Peer-education Studio` : `${d.nameEn} Peer-education Studio ${ordinal + 1}`,
          address: fictionalAddress(random, d.nameZh),
          capacity: random.int(12, 30),
          openingHours: openingHours(random, i),
        })
        .returning({ id: studios.id })
        .get().id;
      if (!studioIds.has(d.code)) studioIds.set(d.code, id);
      studioCount++;
    });
    progress(
      `organisation: ${districtIds.size} districts, ${subdistrictCount} subdistricts and towns, ${workstationCount} workstations, ${points.length} social-work points, ${studioCount} studios`,
    );

    // ---- social workers ----
    const insertPerson = tx
      .insert(persons)
      .values({ displayName: sql.placeholder("displayName") })
      .returning({ id: persons.id })
      .prepare();
    const insertStaff = tx
      .insert(staffProfiles)
      .values({
        personId: sql.placeholder("personId"),
        kind: sql.placeholder("kind"),
        districtId: sql.placeholder("districtId"),
        pointId: sql.placeholder("pointId"),
        qualifications: sql.placeholder("qualifications"),
        hiredOn: sql.placeholder("hiredOn"),
      })
      .prepare();
    const addPerson = (displayName: string) => insertPerson.get({ displayName })!.id;
    const addStaff = (v: { personId: number; kind: string; districtId: number; pointId: number | null; qualifications: string; hiredOn: string }) => {
      insertStaff.run(v);
      if (v.kind === "social_worker" && v.pointId !== null) {
        socialWorkers.push({ personId: v.personId, districtId: v.districtId, pointId: v.pointId, hiredOn: v.hiredOn });
      }
    };

    // five per point, the rest at randomly chosen points; one more comes from cohort 1 below
    const assignments: PointRef[] = socialWorkerPoints(random, points, layout.socialWorkersAtPoints);
    for (const point of assignments) {
      const displayName = newName();
      const personId = addPerson(displayName);
      addStaff({
        personId,
        kind: "social_worker",
        districtId: point.districtId,
        pointId: point.id,
        qualifications: qualification(random),
        hiredOn: randomDate(random, "2003-03-01", "2025-12-31"),
      });
      socialWorkerCount.n++;
      if (point.districtCode === "huangpu" && !loginPersons.has("socialworker")) {
        loginPersons.set("socialworker", { personId, displayName });
      }
    }

    // ---- training: programme, four certified cohorts, 47 peer tutors ----
    programmeId = tx
      .insert(trainingProgrammes)
      .values({
        code: "peer-tutor",
        version: 1,
        nameZh: "同伴辅导员培训计划",
        nameEn: "Peer-tutor training programme",
        certificateValidMonths: 24,
      })
      .returning({ id: trainingProgrammes.id })
      .get().id;

    const studioDistricts = random.shuffle(DEMO_DISTRICTS.filter((d) => d.studio).map((d) => d.code));
    let rotation = 0;
    for (const plan of layout.cohorts) {
      const cohortId = tx
        .insert(cohorts)
        .values({
          number: plan.number,
          programmeId,
          startsOn: plan.startsOn,
          endsOn: plan.endsOn,
          capacity: 15,
          status: "certified",
        })
        .returning({ id: cohorts.id })
        .get().id;
      cohortRefs.push({ id: cohortId, number: plan.number, startsOn: plan.startsOn, endsOn: plan.endsOn });
      const reserved = RESERVED_TUTORS.find((r) => r.cohort === plan.number);
      const free = Array.from({ length: plan.tutors }, (_, i) => i).filter((i) => !(reserved && i === 0));
      const chosen = random.shuffle(free).slice(0, plan.others.length);
      for (let i = 0; i < plan.tutors; i++) {
        const other = plan.others[chosen.indexOf(i)];
        const status: TutorStatus = other?.status ?? "active";
        const districtCode = reserved && i === 0 ? reserved.district : studioDistricts[rotation++ % studioDistricts.length]!;
        const districtId = districtIds.get(districtCode)!;
        const certifiedOn = plan.endsOn;
        let expiresOn = addMonths(certifiedOn, 24);
        if (status === "active" || status === "paused") {
          // renewed every 24 months while they serve
          for (let k = 2; expiresOn < validThrough; k++) expiresOn = addMonths(certifiedOn, 24 * k);
        }
        const displayName = newName();
        const personId = addPerson(displayName);
        const certificateNumber = `TB-C${plan.number}-${String(i + 1).padStart(3, "0")}`;
        const tutorId = tx
          .insert(peerTutors)
          .values({
            personId,
            cohortId,
            districtId,
            homeStudioId: studioIds.get(districtCode) ?? null,
            certificateNumber,
            certifiedOn,
            expiresOn,
            status,
            statusReason: other?.reason ?? "",
          })
          .returning({ id: peerTutors.id })
          .get().id;
        tutorRefs.push({
          id: tutorId,
          personId,
          cohortId,
          cohortNumber: plan.number,
          districtId,
          districtCode,
          certificateNumber,
          certifiedOn,
          expiresOn,
          status,
          statusReason: other?.reason ?? "",
        });
        peerTutorCount++;
        if (reserved && i === 0) loginPersons.set(reserved.login, { personId, displayName });
        if (other?.becameSocialWorker) {
          // the source's story: a peer tutor who later became a contracted social worker
          const point = random.pick(points.filter((p) => p.districtId === districtId));
          addStaff({
            personId,
            kind: "social_worker",
            districtId,
            pointId: point.id,
            qualifications: "助理社会工作师",
            hiredOn: "2023-07-03",
          });
          socialWorkerCount.n++;
        }
      }
    }
    progress(`people: ${socialWorkerCount.n} social workers; training: ${layout.cohorts.length} certified cohorts, ${peerTutorCount} peer tutors`);

    // ---- people behind the admin, coordinator and trainer logins ----
    const huangpu = districtIds.get("huangpu")!;
    for (const login of ["admin", "coordinator", "trainer"]) {
      const displayName = newName();
      const personId = addPerson(displayName);
      loginPersons.set(login, { personId, displayName });
      if (login !== "admin") {
        addStaff({ personId, kind: login, districtId: huangpu, pointId: null, qualifications: "社会工作师", hiredOn: randomDate(random, "2008-01-01", "2018-12-31") });
      }
    }
  });

  // ---- logins, through the one function that hashes and audits ----
  const huangpu = districtIds.get("huangpu")!;
  const xuhui = districtIds.get("xuhui")!;
  for (const { login, role } of DEMO_LOGINS) {
    const person = loginPersons.get(login);
    if (!person) throw new Error(`demo: no person for the ${login} login`);
    const roles: RoleGrant[] =
      role === "coordinator"
        ? [
            { role, districtId: huangpu },
            { role, districtId: xuhui },
          ]
        : [{ role, districtId: null }];
    await createUser(db, DEMO_ACTOR, {
      login,
      displayName: person.displayName,
      password: DEMO_PASSWORD,
      roles,
      personId: person.personId,
      mustChangePassword: false,
    });
  }
  progress(`logins: ${DEMO_LOGINS.map((l) => l.login).join(", ")} (password ${DEMO_PASSWORD})`);

  const loginIds = {} as DemoContext["logins"];
  for (const { login, role } of DEMO_LOGINS) {
    const row = db.select({ id: users.id, personId: users.personId }).from(users).where(eq(users.login, login)).get();
    if (!row) throw new Error(`demo: the ${login} login was not created`);
    loginIds[login as DemoLogin] = { userId: row.id, personId: row.personId, role };
  }
  const ctx: DemoContext = {
    today,
    districts: DEMO_DISTRICTS.map((d) => ({ id: districtIds.get(d.code)!, code: d.code, studio: d.studio })),
    points,
    socialWorkers,
    peerTutors: tutorRefs,
    cohorts: cohortRefs,
    programmeId,
    logins: loginIds,
    newName,
  };

  const summary: DemoSummary = {
    districts: districtIds.size,
    subdistricts: subdistrictCount,
    workstations: workstationCount,
    points: points.length,
    studios: studioCount,
    socialWorkers: socialWorkerCount.n,
    cohorts: layout.cohorts.length,
    peerTutors: peerTutorCount,
    logins: DEMO_LOGINS.map((l) => l.login),
    today,
    clients: 0,
    contacts: 0,
    recognised: 0,
    threeYearRate: "0.00",
    certificates: 0,
    cohort5Trainees: 0,
    elapsedMs: 0,
  };

  // ---- clients and training records: one transaction, prepared inserts, separate seeded streams ----
  db.transaction((tx) => {
    const c =
      layout.scale === null
        ? generateClients(tx, createRandom(DEMO_SEED + 1), ctx)
        : generateScaledClients(db.$client, createRandom(DEMO_SEED + 1), ctx, { scale: layout.scale, onProgress: progress });
    summary.clients = c.clients;
    summary.contacts = c.contacts;
    summary.recognised = c.recognised;
    summary.threeYearRate = threeYearRate(c.recognised, c.served);
    progress(
      `clients: ${c.clients} with ${c.contacts} contacts and ${c.events} substance events as of ${today}; ` +
        `three-year rate ${summary.threeYearRate}% (${c.recognised} recognised of ${c.served} served, ` +
        `${c.relapsedAfterRecognition} relapsed after recognition, ${c.eligibleToday} eligible today)`,
    );
    const t = generateTraining(tx, createRandom(DEMO_SEED + 2), ctx, c.formerClientTrainees);
    summary.certificates = t.certificates;
    summary.cohort5Trainees = t.cohort5Trainees;
    progress(
      `training: ${t.modules} modules, ${t.enrollments} enrolments, ${t.certificates} certificates (${t.revoked} revoked, ${t.renewals} renewals); ` +
        `cohort 5 running with ${t.cohort5Trainees} trainees, ${t.cohort5Ready} ready to certify`,
    );

    // the same connection, so this write belongs to the transaction too
    markDemoDatabase(db);
    const { elapsedMs: _omit, ...counts } = summary;
    const scaleDetail = layout.scale === null ? {} : { scale: layout.scale };
    recordAudit(tx, DEMO_ACTOR, { action: "generate", entity: "demo", details: { seed: DEMO_SEED, ...scaleDetail, ...counts } });
  });
  // ---- groups and sessions at the studios: their own transaction, prepared inserts ----
  generateSessions(db, ctx, { today, onProgress: progress, ...(layout.scale === null ? {} : { weeksBack: SCALED_SESSION_WEEKS_BACK }) });
  progress(`projects: ${generateProjects(db, ctx).projects} funded projects with targets`);
  progress(`hours: ${db.transaction((tx) => generateHours(tx, createRandom(DEMO_SEED + 7), ctx)).entries} volunteer-hours entries`);
  summary.elapsedMs = Date.now() - started;
  progress(`marked as a demo database: the sign-in page says every person is fictional (${summary.elapsedMs} ms)`);
  return summary;
}
