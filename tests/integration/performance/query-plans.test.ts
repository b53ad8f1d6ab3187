/**
 * Every list and report query the pages issue uses an index on the tables that grow with the
 * program. On a migrated database with a little data (factories), it GETs every page's loader as
 * each role (plain, and with the list filters, sorts and page 2 in the URL), captures each SQL
 * statement the domain layer prepares (a wrapper on db.$client.prepare) with its parameters, runs
 * EXPLAIN QUERY PLAN on it, and fails on a SCAN of a growing table, unless the statement is in
 * ALLOWED below with the reason it is bounded.
 *
 * Plans here are the plans in production: the app never runs ANALYZE, so SQLite plans from the
 * schema alone, whatever the row counts.
 */
import type Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { notify } from "~/domain/sessions/notifications.server";
import { attendance, clientFlags, recognitions, substanceEvents, volunteerHours } from "#db/schema";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { addContact, makeClient, makeCoordinator, makePeerTutor, makeSocialWorker } from "../../clients-factories";
import { makeRawSession, makeRoom, makeScheduleStudio, registerClient } from "../../sessions-factories";
import { makeCohort, makeTrainer } from "../../training-factories";
import { ROUTES } from "../../route-modules";

/** Tables whose rows grow with clients served, years of work and use of the system. */
const GROWING = [
  "clients",
  "contacts",
  "substance_events",
  "recognitions",
  "group_sessions",
  "attendance",
  "session_registrations",
  "audit_log",
  "volunteer_hours",
  "client_assignments",
  "consents",
  "client_flags",
  "notifications",
] as const;

/**
 * Scans that are bounded or intended. Each entry: the table, a pattern the statement matches, and
 * why the scan is acceptable. Keep this list short; an index is the first answer.
 */
const ALLOWED: { table: string; sql: RegExp; why: string }[] = [
  {
    table: "audit_log",
    sql: /^select .* from "audit_log" order by "audit_log"\."at" desc, "audit_log"\."id" desc limit \?/,
    why: "the unfiltered log, newest first: reads audit_at_idx backwards and stops after one page (LIMIT)",
  },
  {
    table: "audit_log",
    sql: /^select count\(\*\) from "audit_log"$/,
    // O(log size), on /admin/audit only: the home dashboard reads its few newest rows with latestAudit, uncounted.
    why: "the pager's total of the unfiltered log (admins only): one pass over the narrowest index",
  },
  {
    table: "client_assignments",
    sql: /from "client_assignments" inner join "clients" .*where \("client_assignments"\."to_date" is null and "clients"\."status" <> \?\) group by "clients"\."district_id", "client_assignments"\."kind", "client_assignments"\."person_id"/,
    why: "the city-wide overdue-by-worker report (admins): aggregates every current assignment once, read from the partial index of current ones",
  },
  {
    table: "clients",
    sql: /'no_social_worker' as reason/,
    why: "an admin's reassignment queue is city-wide: one pass over the open clients with an index probe each (coordinators search their districts)",
  },
  {
    table: "clients",
    sql: /^select count\(\*\) from "clients" where \(?1 = 1/,
    why: "the exact total of the city-wide clients list (admins): count over the narrowest index",
  },
  {
    table: "clients",
    sql: /^select "clients"\."id", "clients"\."alias", "clients"\."case_number", "districts".* from "clients" inner join "districts" on .* where \(?1 = 1/,
    // the last contact is a column of the row since migration 0012; ordering every client by it (crisis first) still reads them all
    why: "the city-wide clients list (admins) sorted by last contact or filtered by overdue: every client in the city is read and sorted",
  },
  {
    table: "client_assignments",
    sql: /^select distinct "persons"\."id", "persons"\."display_name" from "client_assignments" .*where \("client_assignments"\."to_date" is null and 1 = 1\)/,
    why: "the worker filter of the city-wide list (admins): the workers of all current assignments, from the partial index of current ones",
  },
  {
    table: "group_sessions",
    sql: /"group_sessions"\."ends_at" >= \? and "group_sessions"\."status" = \?/,
    // An index on (status, ends_at) was tried: without ANALYZE SQLite then drove the registry's
    // per-tutor count of held sessions from every held session instead of the tutor's facilitations.
    why: "the admin's city-wide waitlists (scheduled sessions not yet ended, with a waitlist): a scan of the sessions; coordinators read their studios' sessions by index",
  },
];

/** Routes whose every statement may scan, with the reason. */
const ALLOWED_ROUTES: { route: RegExp; why: string }[] = [
  { route: /^routes\/admin\.export[. ]/, why: "the admin's export of whole tables reads every row by design (streamed to a file)" },
];

type Captured = { sql: string; params: unknown[]; where: string };

const captured: Captured[] = [];
let where = "";

/** Wraps prepare so every statement run (all/get/run/iterate) is recorded with its parameters. */
function captureStatements(client: Database.Database) {
  const prepare = client.prepare.bind(client);
  const methods = new Set(["all", "get", "run", "iterate"]);
  (client as { prepare: unknown }).prepare = (source: string) => {
    const stmt = prepare(source);
    const proxy: Database.Statement = new Proxy(stmt, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (methods.has(String(prop))) captured.push({ sql: source, params: args, where });
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  };
  return prepare;
}

/** Maps each alias in a statement to its table ("clients" "c" → c: clients). */
function aliases(sql: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of sql.matchAll(/(?:from|join)\s+"?(\w+)"?(?:\s+as)?\s+"?(\w+)"?/gi)) {
    const [, table, alias] = m;
    if (!/^(where|on|left|inner|cross|join|order|group|limit|using|set|natural|full|right|outer|union|values)$/i.test(alias!)) map.set(alias!, table!);
  }
  return map;
}

type Finding = { table: string; detail: string; sql: string; where: string };

function findScans(explain: (sql: string, params: unknown[]) => { detail: string }[], c: Captured): Finding[] {
  const flat = c.params.flatMap((p) => (Array.isArray(p) ? p : [p]));
  let plan: { detail: string }[];
  try {
    plan = explain(c.sql, flat);
  } catch {
    plan = explain(c.sql, []);
  }
  const names = aliases(c.sql);
  const out: Finding[] = [];
  for (const { detail } of plan) {
    const m = /^SCAN (\w+)/.exec(detail);
    if (!m) continue;
    const table = names.get(m[1]!) ?? m[1]!;
    if ((GROWING as readonly string[]).includes(table)) out.push({ table, detail, sql: c.sql, where: c.where });
  }
  return out;
}

describe("query plans of the pages", () => {
  const errors: string[] = [];
  let prepare: (sql: string) => Database.Statement;
  let walked = 0;

  beforeAll(async () => {
    const db = getDb();
    const district = makeDistrict();
    const other = makeDistrict();
    const sw = await makeSocialWorker(district.id);
    const pt = await makePeerTutor(district.id);
    const coordinator = await makeCoordinator([district.id]);
    const admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
    const { cohort } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const studio = makeScheduleStudio({ districtId: district.id });
    const room = makeRoom(studio.id);

    const clientIds: number[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await makeClient({ districtId: i < 5 ? district.id : other.id, socialWorkerPersonId: sw.personId, peerTutorPersonId: pt.personId, intakeDate: "2021-03-01" });
      clientIds.push(c.id);
      for (let k = 0; k < 3; k++) addContact({ clientId: c.id, authorUserId: k % 2 ? pt.id : sw.id, happenedAt: `2025-0${k + 1}-15T02:00:00.000Z`, nextContactDue: "2025-06-01" });
      db.insert(substanceEvents).values({ clientId: c.id, date: "2021-04-01", kind: "test_negative", recordedBy: sw.id }).run();
    }
    db.insert(recognitions).values({ clientId: clientIds[0]!, recognisedOn: "2024-04-01", recognisedByUserId: sw.id }).run();
    db.insert(clientFlags)
      .values({ clientId: clientIds[1]!, kind: "crisis", reason: "测试危机（虚构）", raisedByUserId: sw.id, raisedAt: "2025-05-01T00:00:00.000Z" })
      .run();
    const past = makeRawSession({ studioId: studio.id, roomId: room.id, startsAt: "2025-05-05T02:00:00.000Z", endsAt: "2025-05-05T04:00:00.000Z", facilitatorIds: [pt.personId], status: "held" });
    const next = makeRawSession({ studioId: studio.id, roomId: room.id, startsAt: "2030-05-06T02:00:00.000Z", endsAt: "2030-05-06T04:00:00.000Z", facilitatorIds: [pt.personId] });
    for (const id of clientIds.slice(0, 3)) {
      registerClient(past.id, id);
      registerClient(next.id, id);
      db.insert(attendance).values({ sessionId: past.id, clientId: id, status: "present", recordedByUserId: pt.id }).run();
    }
    try {
      db.insert(volunteerHours)
        .values({ personId: pt.personId, districtId: district.id, activity: "peerSupport", workedOn: "2025-05-05", minutes: 120, createdByUserId: pt.id })
        .run();
    } catch (e) {
      errors.push(`volunteer_hours fixture: ${(e as Error).message}`);
    }
    notify(db, [pt.id, sw.id], { kind: "sessionCancelled", messageKey: "sessions.notify.cancelled", params: { topic: "测试（虚构）" }, link: `/sessions/${next.id}` });

    const ids: Record<string, string> = {
      clients: String(clientIds[0]),
      sessions: String(past.id),
      studios: String(studio.id),
      districts: String(district.id),
      organisation: String(district.id),
      "training.cohorts": String(cohort.id),
      "certificates.cohort": String(cohort.id),
      registry: String(pt.peerTutorId),
      "admin.users": String(sw.id),
    };
    const paramsFor = (id: string, params: Record<string, string>): Record<string, string> => {
      const name = id.replace(/^routes\//, "");
      const out: Record<string, string> = {};
      for (const key of Object.keys(params)) {
        if (key === "districtId") out[key] = String(district.id);
        else if (key === "studioId") out[key] = String(studio.id);
        else if (key === "cohortId") out[key] = String(cohort.id);
        else if (key === "sessionId") out[key] = String(past.id);
        else if (key === "tutorId") out[key] = String(pt.peerTutorId);
        else {
          const prefix = Object.keys(ids).find((p) => name.startsWith(p) || name.startsWith(p.replace(/s$/, "s_")));
          out[key] = prefix ? ids[prefix]! : "1";
        }
      }
      return out;
    };
    const filters = new URLSearchParams({
      page: "2",
      q: "测试",
      district: String(district.id),
      districtId: String(district.id),
      studioId: String(studio.id),
      status: "active",
      risk: "high",
      overdue: "1",
      worker: String(sw.personId),
      sort: "alias",
      dir: "desc",
      person: "admin",
      entity: "client",
      action: "view",
      from: "2020-01-01",
      to: "2030-12-31",
      week: "2025-05-05",
      month: "2025-05",
    });
    const variants = ["", `?${filters}`, `?${new URLSearchParams({ ...Object.fromEntries(filters), sort: "intake", dir: "asc", page: "1" })}`, "?sort=lastContact&overdue=1"];

    prepare = captureStatements(db.$client);
    const viewers = { admin, coordinator, socialWorker: sw, peerTutor: pt, trainer };
    const { makeRequest, respond } = await import("../../factories");
    for (const route of ROUTES) {
      const loader = route.mod.loader;
      if (!loader || route.id.includes("$token")) continue;
      const params = paramsFor(route.id, route.params);
      let path = route.path;
      for (const [k, v] of Object.entries(params)) path = path.replace(`/${route.params[k]}`, `/${v}`);
      for (const [role, viewer] of Object.entries(viewers)) {
        for (const variant of variants) {
          where = `${route.id} as ${role}${variant ? ` ${variant.slice(0, 40)}…` : ""}`;
          try {
            await respond(() => loader({ request: makeRequest(path + variant, { cookie: viewer.cookie }), params, context: { cspNonce: "" } }));
            walked++;
          } catch (e) {
            errors.push(`${where}: ${(e as Error).message.split("\n")[0]}`);
          }
        }
      }
    }
    where = "";
  }, 120_000);

  it("walks the pages and captures their statements", () => {
    if (errors.length) console.warn(`loaders that threw (not a plan failure):\n${errors.join("\n")}`);
    expect(walked).toBeGreaterThan(100);
    expect(captured.length).toBeGreaterThan(500);
  });

  it("no statement scans a table that grows with the program, except the justified ones", () => {
    const explain = (sql: string, params: unknown[]) => prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[];
    const seen = new Set<string>();
    const findings: Finding[] = [];
    for (const c of captured) {
      if (ALLOWED_ROUTES.some((a) => a.route.test(c.where))) continue;
      if (seen.has(c.sql)) continue;
      seen.add(c.sql);
      for (const f of findScans(explain, c)) {
        if (ALLOWED.some((a) => a.table === f.table && a.sql.test(f.sql))) continue;
        findings.push(f);
      }
    }
    const report = findings.map((f) => `${f.detail}\n  in ${f.where}\n  ${f.sql.slice(0, 4000)}`).join("\n\n");
    expect(findings.length, `full scans of growing tables:\n\n${report}`).toBe(0);
  });

  it("every allow-list entry still matches a captured statement", () => {
    for (const a of ALLOWED) expect(captured.some((c) => a.sql.test(c.sql)), `unused allow-list entry ${a.sql}`).toBe(true);
  });
});
