/**
 * Substance events (use, relapse, test results, facility release) and what follows from them:
 * the abstinence clock and its milestones (DESIGN.md §5). Recording is refused for a date before
 * intake or in the future, for a duplicate (the unique index substance_events_client_date_uq),
 * and without a current consent (DESIGN.md §3). The clock and milestones are computed only by the
 * pure rules in outcomes.ts; this module fetches the facts they need, scoped in SQL.
 */
import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import Database from "better-sqlite3";
import type { Db } from "#db/client";
import { z } from "zod";
import { clients, districts, persons, SUBSTANCE_EVENT_KINDS, substanceEvents, users, type SubstanceEventKind } from "#db/schema";
import { rowScope, type PermissionRequest } from "~/auth/permissions";
import { windowTotal } from "~/domain/shared/paging";
import { worklistClientColumns } from "./worklist-rows.server";
import { recordAudit, type Actor } from "~/domain/audit";
import { getSettings } from "~/domain/settings";
import { DomainError } from "~/domain/shared/errors";
import { choice, isoDate, msg, optionalText } from "~/domain/shared/fields";
import { clientScope, type Viewer } from "./access.server";
import { requireCurrentConsent } from "./assignments.server";
import { addDays, addMonths, daysBetween, localDate, parseDate } from "./dates";
import { abstinentSinceSql, openAtSql } from "./outcomes-sql.server";
import { abstinentSince, CLOCK_RESTARTING_KINDS, milestones, MILESTONES, type Milestone, type SubstanceEventFact } from "./outcomes";

type Reader = Pick<Db, "select">;

export { SUBSTANCE_EVENT_KINDS };
export const EVENT_NOTE_MAX = 500;

/** The substance-event form. */
export const SubstanceEventSchema = z.object({
  date: isoDate,
  kind: choice(SUBSTANCE_EVENT_KINDS),
  note: optionalText({ max: EVENT_NOTE_MAX, multiline: true }),
});

/** Today's date in the program's time zone (settings), the "as of" of every page. */
export function programToday(db: Db, now: Date = new Date()): string {
  return localDate(now, getSettings(db).timeZone);
}

export function isUniqueViolation(e: unknown): boolean {
  return e instanceof Database.SqliteError && e.code === "SQLITE_CONSTRAINT_UNIQUE";
}

export type SubstanceEventInput = {
  clientId: number;
  /** YYYY-MM-DD */
  date: string;
  kind: SubstanceEventKind;
  note: string;
  /** today in the program's time zone */
  today: string;
};

/**
 * Records a dated substance event for a client, audited, in one transaction. Refused
 * (DomainError) for an unknown client, a date after today ("casework.events.future"), a date
 * before the client's intake ("casework.events.beforeIntake?date=…"), a second event of the same
 * kind on the same day ("casework.events.duplicate"), or without a current consent today
 * ("clients.noConsent"). Returns the event id.
 */
export function recordSubstanceEvent(db: Db, actor: Actor, input: SubstanceEventInput): number {
  parseDate(input.today);
  try {
    parseDate(input.date);
  } catch {
    throw new DomainError("form.invalidDate", "date");
  }
  return db.transaction((tx) => {
    const client = tx.select({ id: clients.id, intakeDate: clients.intakeDate }).from(clients).where(eq(clients.id, input.clientId)).get();
    if (!client) throw new DomainError("form.unknownId", "clientId");
    if (input.date > input.today) throw new DomainError("casework.events.future", "date");
    if (input.date < client.intakeDate) throw new DomainError(msg("casework.events.beforeIntake", { date: client.intakeDate }), "date");
    requireCurrentConsent(tx, client.id, input.today);
    const same = tx
      .select({ id: substanceEvents.id })
      .from(substanceEvents)
      .where(and(eq(substanceEvents.clientId, client.id), eq(substanceEvents.date, input.date), eq(substanceEvents.kind, input.kind)))
      .get();
    if (same) throw new DomainError("casework.events.duplicate", "date");
    let id: number;
    try {
      id = tx
        .insert(substanceEvents)
        .values({ clientId: client.id, date: input.date, kind: input.kind, note: input.note, recordedBy: actor.userId })
        .returning({ id: substanceEvents.id })
        .get().id;
    } catch (e) {
      // the unique index is the last word, should a second request race the check above
      if (isUniqueViolation(e)) throw new DomainError("casework.events.duplicate", "date");
      throw e;
    }
    recordAudit(tx, actor, {
      action: "record_substance_event",
      entity: "client",
      entityId: client.id,
      details: { eventId: id, date: input.date, kind: input.kind },
    });
    return id;
  });
}

export type SubstanceEventRow = { id: number; date: string; kind: SubstanceEventKind; note: string; recordedBy: string | null; createdAt: string };

/** One page of a client's events, newest first. */
export function listSubstanceEvents(db: Reader, clientId: number, page: { limit: number; offset: number }): { rows: SubstanceEventRow[]; total: number } {
  const rows = db
    .select({
      id: substanceEvents.id,
      date: substanceEvents.date,
      kind: substanceEvents.kind,
      note: substanceEvents.note,
      recordedBy: persons.displayName,
      createdAt: substanceEvents.createdAt,
    })
    .from(substanceEvents)
    .leftJoin(users, eq(users.id, substanceEvents.recordedBy))
    .leftJoin(persons, eq(persons.id, users.personId))
    .where(eq(substanceEvents.clientId, clientId))
    .orderBy(desc(substanceEvents.date), desc(substanceEvents.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(substanceEvents).where(eq(substanceEvents.clientId, clientId)).get()?.n ?? 0;
  return { rows, total };
}

/** The client's events that can restart the clock, dated on or before D (the facts abstinentSince needs). */
export function restartingEvents(db: Reader, clientId: number, asOf: string): SubstanceEventFact[] {
  return db
    .select({ date: substanceEvents.date, kind: substanceEvents.kind })
    .from(substanceEvents)
    .where(and(eq(substanceEvents.clientId, clientId), inArray(substanceEvents.kind, [...CLOCK_RESTARTING_KINDS]), lte(substanceEvents.date, asOf)))
    .all();
}

export type AbstinenceClock = { since: string; days: number; reached: Milestone[]; next: Milestone | null };

/** The abstinence clock of one client as of D: abstinent since, days, milestones reached and the next one. */
export function abstinenceOf(db: Reader, client: { id: number; intakeDate: string }, asOf: string): AbstinenceClock {
  const since = abstinentSince(client.intakeDate, restartingEvents(db, client.id, asOf), asOf);
  // a client whose intake is after D has no clock yet: report zero days, nothing reached
  if (since > asOf) return { since, days: 0, reached: [], next: milestones(since, since).next };
  return { since, ...milestones(since, asOf) };
}

export type UpcomingMilestone = {
  clientId: number;
  alias: string;
  caseNumber: string;
  districtZh: string;
  districtEn: string;
  since: string;
  milestone: Milestone;
  inDays: number;
};

/**
 * The abstinent-since dates whose next milestone as of today (the first dated today or later)
 * falls on or before `until`, each with that milestone: the JS rule (milestones), tabulated over
 * the only dates that can qualify, so that SQL can join on it. For each milestone the candidates
 * are the since dates that put it in [today, until] — bounded by calendar arithmetic with a margin
 * of three days for month ends — and each candidate is checked with milestones() itself.
 */
export function milestoneSinceTable(today: string, until: string): readonly { since: string; milestone: Milestone }[] {
  const key = `${today}/${until}`;
  let table = sinceTables.get(key);
  if (!table) {
    table = Object.freeze(tabulate(today, until));
    // a pure function of two dates, asked with the same pair all day long: keep the last few
    if (sinceTables.size >= 8) sinceTables.delete(sinceTables.keys().next().value!);
    sinceTables.set(key, table);
  }
  return table;
}

const sinceTables = new Map<string, readonly { since: string; milestone: Milestone }[]>();

function tabulate(today: string, until: string): { since: string; milestone: Milestone }[] {
  if (until < today) return [];
  const yesterday = addDays(today, -1);
  const candidates = new Set<string>();
  for (const m of MILESTONES) {
    const from = "days" in m ? addDays(today, -m.days) : addDays(addMonths(today, -m.months), -3);
    const to = "days" in m ? addDays(until, -m.days) : addDays(addMonths(until, -m.months), 3);
    for (let s = from; s <= to && s <= today; s = addDays(s, 1)) candidates.add(s);
  }
  const out: { since: string; milestone: Milestone }[] = [];
  for (const since of [...candidates].sort()) {
    const { next } = milestones(since, yesterday);
    if (next && next.date >= today && next.date <= until) out.push({ since, milestone: next });
  }
  return out;
}

/**
 * The team's upcoming abstinence milestones: for each client the viewer may read (their caseload,
 * their mentees, their districts — clientScope), served and not closed as of today, the next
 * milestone falling between today and today + `withinDays`. Decided in SQL: each client's
 * abstinent-since date is abstinentSinceSql (the SQL twin of abstinentSince) joined to
 * milestoneSinceTable (the milestones rule tabulated for the window), so the filter, the total
 * (a window count) and the page (LIMIT/OFFSET) never load the clients. Sorted by milestone date,
 * then alias (SQLite's code-point order) and id.
 */
export function upcomingMilestones(
  db: Reader,
  viewer: Viewer,
  options: { today: string; withinDays?: number; districtId?: number | null; page: { limit: number; offset: number } },
): { rows: UpcomingMilestone[]; total: number } {
  const today = options.today;
  const until = addDays(today, options.withinDays ?? 30);
  const table = milestoneSinceTable(today, until);
  if (table.length === 0) return { rows: [], total: 0 };
  const keyOf = new Map(table.map((t) => [t.since, t.milestone]));
  // one row per since date: (since, milestone date), joined on each client's since
  const values = sql.join(
    table.map((t) => sql`(${t.since}, ${t.milestone.date})`),
    sql`, `,
  );
  const where = and(
    clientScope(viewer, "read:client"),
    openAtSql(today),
    options.districtId ? eq(clients.districtId, options.districtId) : undefined,
  );
  const found = db
    .select({ ...worklistClientColumns, since: sql<string>`"m"."column1"` })
    .from(clients)
    .innerJoin(districts, eq(districts.id, clients.districtId))
    .innerJoin(sql`(values ${values}) as "m"`, sql`"m"."column1" = ${abstinentSinceSql(today)}`)
    .where(where)
    .orderBy(sql`"m"."column2"`, asc(clients.alias), asc(clients.id))
    .limit(options.page.limit)
    .offset(options.page.offset)
    .all();
  const total = windowTotal(
    found,
    options.page,
    () =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(clients)
        .innerJoin(sql`(values ${values}) as "m"`, sql`"m"."column1" = ${abstinentSinceSql(today)}`)
        .where(where)
        .get()?.n ?? 0,
  );
  const rows = found.map(({ total: _total, ...r }) => {
    const milestone = { ...keyOf.get(r.since)! };
    return { ...r, milestone, inDays: daysBetween(today, milestone.date) };
  });
  return { rows, total };
}

export type DistrictOption = { id: number; nameZh: string; nameEn: string };

/**
 * The districts a viewer can filter a client list by: every district for a city-wide scope, the
 * granted ones for a district scope, none for an own-caseload scope (nothing to choose).
 */
export function scopedDistrictOptions(db: Reader, viewer: Viewer, permission: PermissionRequest = "read:client"): DistrictOption[] {
  const scope = rowScope(viewer, permission);
  if (scope.kind === "none" || scope.kind === "own") return [];
  const q = db.select({ id: districts.id, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts);
  return (scope.kind === "all" ? q : q.where(inArray(districts.id, scope.districtIds))).orderBy(asc(districts.id)).all();
}

/** Whether the viewer's scope for a permission is the whole city (lists then ask for a district first). */
export function isCityWide(viewer: Viewer, permission: PermissionRequest = "read:client"): boolean {
  return rowScope(viewer, permission).kind === "all";
}
