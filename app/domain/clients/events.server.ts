/**
 * Substance events (use, relapse, test results, facility release) and what follows from them:
 * the abstinence clock and its milestones (DESIGN.md §5). Recording is refused for a date before
 * intake or in the future, for a duplicate (the unique index substance_events_client_date_uq),
 * and without a current consent (DESIGN.md §3). The clock and milestones are computed only by the
 * pure rules in outcomes.ts; this module fetches the facts they need, scoped in SQL.
 */
import { and, asc, desc, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import Database from "better-sqlite3";
import type { Db } from "#db/client";
import { z } from "zod";
import { clients, districts, persons, SUBSTANCE_EVENT_KINDS, substanceEvents, users, type SubstanceEventKind } from "#db/schema";
import { rowScope, type PermissionRequest } from "~/auth/permissions";
import { recordAudit, type Actor } from "~/domain/audit";
import { getSettings } from "~/domain/settings";
import { DomainError } from "~/domain/shared/errors";
import { choice, isoDate, msg, optionalText } from "~/domain/shared/fields";
import { clientScope, type Viewer } from "./access.server";
import { requireCurrentConsent } from "./assignments.server";
import { addDays, daysBetween, localDate, parseDate } from "./dates";
import { abstinentSince, CLOCK_RESTARTING_KINDS, isClosedAsOf, milestones, type Milestone, type SubstanceEventFact } from "./outcomes";

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

/** SQL: a client (alias `clients`) that is not closed as of D — the SQL side of isClosedAsOf, used only to narrow a query. */
export function openAsOf(asOf: string): SQL {
  return sql`not (${clients.status} = 'closed' and (${clients.closedOn} is null or ${clients.closedOn} <= ${asOf}))`;
}

function restartingKinds(): SQL {
  return sql.join(
    CLOCK_RESTARTING_KINDS.map((k) => sql`${k}`),
    sql`, `,
  );
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

export type ScopedClientFacts = {
  id: number;
  alias: string;
  caseNumber: string;
  intakeDate: string;
  status: "active" | "in_facility" | "closed";
  closedOn: string | null;
  districtId: number;
  districtZh: string;
  districtEn: string;
  events: SubstanceEventFact[];
};

/**
 * The clients a condition selects (with their district names) and their clock-restarting events
 * dated on or before D: two queries whatever the number of clients, never one per client.
 */
export function clientFactsWhere(db: Reader, where: SQL, asOf: string): ScopedClientFacts[] {
  const rows = db
    .select({
      id: clients.id,
      alias: clients.alias,
      caseNumber: clients.caseNumber,
      intakeDate: clients.intakeDate,
      status: clients.status,
      closedOn: clients.closedOn,
      districtId: clients.districtId,
      districtZh: districts.nameZh,
      districtEn: districts.nameEn,
    })
    .from(clients)
    .innerJoin(districts, eq(districts.id, clients.districtId))
    .where(where)
    .orderBy(asc(clients.id))
    .all();
  const byId = new Map<number, ScopedClientFacts>();
  for (const r of rows) byId.set(r.id, { ...r, events: [] });
  if (byId.size === 0) return [];
  const events = db
    .select({ clientId: substanceEvents.clientId, date: substanceEvents.date, kind: substanceEvents.kind })
    .from(substanceEvents)
    .where(
      and(
        sql`${substanceEvents.clientId} in (select ${clients.id} from ${clients} where ${where})`,
        sql`${substanceEvents.kind} in (${restartingKinds()})`,
        lte(substanceEvents.date, asOf),
      ),
    )
    .all();
  for (const e of events) byId.get(e.clientId)?.events.push({ date: e.date, kind: e.kind });
  return [...byId.values()];
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
 * The team's upcoming abstinence milestones: for each client the viewer may read (their caseload,
 * their mentees, their districts — clientScope), served and not closed as of today, the next
 * milestone falling between today and today + `withinDays`. Computed from the records with
 * abstinentSince and milestones; sorted by milestone date, then alias; paged.
 */
export function upcomingMilestones(
  db: Reader,
  viewer: Viewer,
  options: { today: string; withinDays?: number; districtId?: number | null; page: { limit: number; offset: number } },
): { rows: UpcomingMilestone[]; total: number } {
  const within = options.withinDays ?? 30;
  const until = addDays(options.today, within);
  const where = and(
    clientScope(viewer, "read:client"),
    lte(clients.intakeDate, options.today),
    openAsOf(options.today),
    options.districtId ? eq(clients.districtId, options.districtId) : undefined,
  )!;
  const all: UpcomingMilestone[] = [];
  const yesterday = addDays(options.today, -1);
  for (const c of clientFactsWhere(db, where, options.today)) {
    if (isClosedAsOf(c, options.today)) continue;
    const since = abstinentSince(c.intakeDate, c.events, options.today);
    // "next" as of yesterday: the first milestone dated today or later
    const { next } = milestones(since, yesterday);
    if (!next || next.date > until) continue;
    all.push({
      clientId: c.id,
      alias: c.alias,
      caseNumber: c.caseNumber,
      districtZh: c.districtZh,
      districtEn: c.districtEn,
      since,
      milestone: next,
      inDays: daysBetween(options.today, next.date),
    });
  }
  all.sort((a, b) => (a.milestone.date === b.milestone.date ? a.alias.localeCompare(b.alias) || a.clientId - b.clientId : a.milestone.date < b.milestone.date ? -1 : 1));
  return { rows: all.slice(options.page.offset, options.page.offset + options.page.limit), total: all.length };
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
