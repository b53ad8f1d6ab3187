/**
 * What each kind of import checks and writes, row by row (DESIGN.md §7). Field rules are the
 * forms' Zod builders (app/domain/shared/fields.ts and the clients and training schemas); the
 * domain rules are the areas' own functions (active social worker, may practise, current
 * consent, recognition eligibility). Every kind follows the same steps:
 *
 * 1. resolve the row's references (case number, district, logins, cohort);
 * 2. look for the natural key; found with the same values → "unchanged" (whatever today's rules
 *    say: a re-import never fails on a row it already holds); found with other values → an error
 *    on each differing column (imports add, they never change what is recorded: corrections go
 *    through the pages, which audit each change); found among the rows this import added → the
 *    key appears twice in the file;
 * 3. check the rules a new record must keep, then insert it.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import {
  certificates,
  cohorts,
  LEGAL_STATUSES,
  peerTutors,
  recognitions,
  SUBSTANCE_EVENT_KINDS,
  trainingProgrammes,
} from "#db/schema";
import type { Actor } from "~/domain/audit";
import { ALIAS_MAX, CASE_NUMBER_MAX } from "~/domain/clients/clients.server";
import { requireCurrentConsent } from "~/domain/clients/assignments.server";
import { CONTACT_DURATION_MAX, CONTACT_DURATION_MIN, CONTACT_SUMMARY_MAX, utcFromLocalInput } from "~/domain/clients/contact-fields";
import { addMonths, localDate } from "~/domain/clients/dates";
import { restartingEvents } from "~/domain/clients/events.server";
import { ineligibilityReason } from "~/domain/clients/recognition.server";
import { grantRoleToPerson } from "~/domain/people";
import { getContactTypes } from "~/domain/settings";
import { isDomainError } from "~/domain/shared/errors";
import { isoDate, loginName, msg, optionalText, text } from "~/domain/shared/fields";
import { CERTIFICATE_NUMBER_MAX, normaliseCertificateNumber } from "~/domain/training/certificates.server";
import type { DataKind } from "./formats";
import { isProblem, needLogin, type LoginRow, type Lookups, type Problem } from "./lookups.server";

export type ImportContext = {
  tx: Db;
  /** the same connection, for the statements run on every row (prepared once per import: building
   * each query through the ORM costs more than running it) */
  raw: Db["$client"];
  actor: Actor;
  /** today in the program's time zone */
  today: string;
  now: Date;
  timeZone: string;
  l: Lookups;
};

export type Verdict = "inserted" | "unchanged" | Problem[];

export type KindImporter = {
  schema: z.ZodType<Record<string, unknown>, Record<string, string>>;
  apply(row: Record<string, unknown>): Verdict;
  /** the ids this import added, per table, for the audit row */
  added(): Record<string, { first: number; last: number; count: number }>;
};

/** Imported clients have no risk column: they start at this level, which their social worker revisits. */
export const IMPORTED_RISK_LEVEL = "medium" as const;
const NAME_MAX = 80;
const PLACE_MAX = 80;

/** One of a fixed list: the error names the values a cell may hold. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: msg("data.oneOf", { values: values.join(", ") }) });
}

const optionalLogin = z
  .string()
  .trim()
  .refine((s) => s === "" || loginName.safeParse(s).success, { error: "admin.users.loginFormat" })
  .transform((s) => s.toLowerCase());

function maxId(tx: Db, table: string): number {
  return tx.get<{ m: number | null }>(sql.raw(`select max(id) as m from ${table}`))?.m ?? 0;
}

/** Ids added to a table during this import. */
function tracker() {
  const ranges: Record<string, { first: number; last: number; count: number }> = {};
  return {
    add(table: string, id: number) {
      const r = (ranges[table] ??= { first: id, last: id, count: 0 });
      r.last = id;
      r.count++;
    },
    ranges,
  };
}

const differs = (column: string, recorded: string): Problem => ({ column, key: msg("data.differs", { recorded: recorded === "" ? "—" : recorded }) });
const dup = (column: string): Problem => ({ column, key: "data.duplicateInFile" });

type CaseRow = { id: number; intakeDate: string; status: string; closedOn: string | null };

function caseFinder(raw: Db["$client"]) {
  const cache = new Map<string, CaseRow | null>();
  const find = raw.prepare<[string], CaseRow>(
    "select id, intake_date as intakeDate, status, closed_on as closedOn from clients where case_number = ?",
  );
  return (caseNumber: string): CaseRow | Problem => {
    if (!cache.has(caseNumber)) {
      const row = find.get(caseNumber);
      // a small cache: files are usually sorted by case number, so recent cases come back
      if (cache.size > 10_000) cache.clear();
      cache.set(caseNumber, row ?? null);
    }
    return cache.get(caseNumber) ?? { column: "case_number", key: msg("data.unknownCase", { value: caseNumber }) };
  };
}

function consentChecker(tx: Db) {
  const cache = new Map<string, boolean>();
  return (clientId: number, onDate: string): boolean => {
    const k = `${clientId}:${onDate}`;
    if (!cache.has(k)) {
      if (cache.size > 10_000) cache.clear();
      try {
        requireCurrentConsent(tx, clientId, onDate);
        cache.set(k, true);
      } catch (e) {
        if (!isDomainError(e)) throw e;
        cache.set(k, false);
      }
    }
    return cache.get(k)!;
  };
}

// ---------------------------------------------------------------------------------------------

function clientsImporter(ctx: ImportContext): KindImporter {
  const { tx, l, today, actor } = ctx;
  const before = maxId(tx, "clients");
  const added = tracker();
  const schema = z.object({
    case_number: text({ max: CASE_NUMBER_MAX }),
    alias: text({ max: ALIAS_MAX }),
    district: text({ max: PLACE_MAX }),
    subdistrict: optionalText({ max: PLACE_MAX }),
    intake_date: isoDate,
    legal_status: oneOf(LEGAL_STATUSES),
    social_worker: loginName,
    peer_tutor: optionalLogin,
  });
  type Row = z.infer<typeof schema>;
  const currentStmt = ctx.raw.prepare<[number, string], { personId: number; login: string | null }>(
    `select a.person_id as personId, u.login as login from client_assignments a left join users u on u.person_id = a.person_id
     where a.client_id = ? and a.kind = ? and a.to_date is null`,
  );
  const current = (clientId: number, kind: "social_worker" | "peer_tutor") => currentStmt.get(clientId, kind);
  type Existing = { id: number; alias: string; districtId: number; subdistrictId: number | null; intakeDate: string; legalStatus: string };
  const findClient = ctx.raw.prepare<[string], Existing>(
    `select id, alias, district_id as districtId, subdistrict_id as subdistrictId, intake_date as intakeDate, legal_status as legalStatus
     from clients where case_number = ?`,
  );
  const insertClient = ctx.raw.prepare(
    `insert into clients (case_number, alias, district_id, subdistrict_id, legal_status, intake_date, risk_level, status)
     values (?, ?, ?, ?, ?, ?, ?, 'active')`,
  );
  const insertAssignment = ctx.raw.prepare(
    "insert into client_assignments (client_id, kind, person_id, from_date, assigned_by) values (?, ?, ?, ?, ?)",
  );

  return {
    schema: schema as unknown as KindImporter["schema"],
    added: () => added.ranges,
    apply(raw) {
      const r = raw as Row;
      const problems: Problem[] = [];
      const district = l.district(r.district);
      if (!district) problems.push({ column: "district", key: msg("data.unknownDistrict", { value: r.district }) });
      let subdistrictId: number | null = null;
      if (district && r.subdistrict) {
        const s = l.subdistrict(district.id, r.subdistrict);
        if (s === "unknown") problems.push({ column: "subdistrict", key: msg("data.unknownSubdistrict", { value: r.subdistrict }) });
        else if (s === "elsewhere") problems.push({ column: "subdistrict", key: "clients.intake.subdistrictNotInDistrict" });
        else if (s === "ambiguous") problems.push({ column: "subdistrict", key: msg("data.ambiguousSubdistrict", { value: r.subdistrict }) });
        else subdistrictId = s.id;
      }
      const sw = needLogin(l, "social_worker", r.social_worker);
      if (isProblem(sw)) problems.push(sw);
      const pt = r.peer_tutor ? needLogin(l, "peer_tutor", r.peer_tutor) : null;
      if (isProblem(pt)) problems.push(pt);
      if (problems.length) return problems;
      const d = district!;
      const swUser = sw as LoginRow;
      const ptUser = pt as LoginRow | null;

      const existing = findClient.get(r.case_number);
      if (existing) {
        if (existing.id > before) return [dup("case_number")];
        const out: Problem[] = [];
        if (existing.alias !== r.alias) out.push(differs("alias", existing.alias));
        if (existing.districtId !== d.id) out.push(differs("district", l.districtById(existing.districtId)?.code ?? ""));
        if (existing.subdistrictId !== subdistrictId) out.push(differs("subdistrict", existing.subdistrictId ? (l.subdistrictById(existing.subdistrictId)?.nameZh ?? "") : ""));
        if (existing.intakeDate !== r.intake_date) out.push(differs("intake_date", existing.intakeDate));
        if (existing.legalStatus !== r.legal_status) out.push(differs("legal_status", existing.legalStatus));
        const curSw = current(existing.id, "social_worker");
        if (curSw?.personId !== swUser.personId) out.push(differs("social_worker", curSw?.login ?? ""));
        const curPt = current(existing.id, "peer_tutor");
        if ((curPt?.personId ?? null) !== (ptUser?.personId ?? null)) out.push(differs("peer_tutor", curPt?.login ?? ""));
        return out.length ? out : "unchanged";
      }

      if (r.intake_date > today) problems.push({ column: "intake_date", key: "clients.dateInFuture" });
      if (!d.active) problems.push({ column: "district", key: msg("data.inactiveDistrict", { value: r.district }) });
      if (!swUser.active || !l.activeSocialWorkerIn(swUser.personId, d.id)) problems.push({ column: "social_worker", key: "clients.assign.notSocialWorker" });
      if (ptUser && (!ptUser.active || !l.mayPractise(ptUser.personId, today))) problems.push({ column: "peer_tutor", key: "clients.assign.notActivePeerTutor" });
      if (problems.length) return problems;

      const id = Number(
        insertClient.run(r.case_number, r.alias, d.id, subdistrictId, r.legal_status, r.intake_date, IMPORTED_RISK_LEVEL).lastInsertRowid,
      );
      added.add("clients", id);
      added.add("client_assignments", Number(insertAssignment.run(id, "social_worker", swUser.personId, r.intake_date, actor.userId).lastInsertRowid));
      if (ptUser) {
        // the tutor takes the client on from the day of the import (they may practise today)
        const from = today > r.intake_date ? today : r.intake_date;
        added.add("client_assignments", Number(insertAssignment.run(id, "peer_tutor", ptUser.personId, from, actor.userId).lastInsertRowid));
      }
      return "inserted";
    },
  };
}

// ---------------------------------------------------------------------------------------------

function substanceEventsImporter(ctx: ImportContext): KindImporter {
  const { tx, today, actor } = ctx;
  const before = maxId(tx, "substance_events");
  const added = tracker();
  const findCase = caseFinder(ctx.raw);
  const consented = consentChecker(tx);
  const schema = z.object({
    case_number: text({ max: CASE_NUMBER_MAX }),
    date: isoDate,
    kind: oneOf(SUBSTANCE_EVENT_KINDS),
  });
  type Row = z.infer<typeof schema>;
  const findEvent = ctx.raw.prepare<[number, string, string], { id: number }>("select id from substance_events where client_id = ? and date = ? and kind = ?");
  const insertEvent = ctx.raw.prepare("insert into substance_events (client_id, date, kind, note, recorded_by) values (?, ?, ?, '', ?)");
  return {
    schema: schema as unknown as KindImporter["schema"],
    added: () => added.ranges,
    apply(raw) {
      const r = raw as Row;
      const client = findCase(r.case_number);
      if (isProblem(client)) return [client];
      const existing = findEvent.get(client.id, r.date, r.kind);
      if (existing) return existing.id > before ? [dup("date")] : "unchanged";
      const problems: Problem[] = [];
      if (r.date > today) problems.push({ column: "date", key: "casework.events.future" });
      else if (r.date < client.intakeDate) problems.push({ column: "date", key: msg("casework.events.beforeIntake", { date: client.intakeDate }) });
      if (!consented(client.id, today)) problems.push({ column: "case_number", key: "clients.noConsent" });
      if (problems.length) return problems;
      added.add("substance_events", Number(insertEvent.run(client.id, r.date, r.kind, actor.userId).lastInsertRowid));
      return "inserted";
    },
  };
}

// ---------------------------------------------------------------------------------------------

function recognitionsImporter(ctx: ImportContext): KindImporter {
  const { tx, l, today } = ctx;
  const before = maxId(tx, "recognitions");
  const added = tracker();
  const findCase = caseFinder(ctx.raw);
  const consented = consentChecker(tx);
  const schema = z.object({
    case_number: text({ max: CASE_NUMBER_MAX }),
    recognised_on: isoDate,
    recognised_by: loginName,
  });
  type Row = z.infer<typeof schema>;
  return {
    schema: schema as unknown as KindImporter["schema"],
    added: () => added.ranges,
    apply(raw) {
      const r = raw as Row;
      const client = findCase(r.case_number);
      const by = needLogin(l, "recognised_by", r.recognised_by);
      const problems = [client, by].filter(isProblem);
      if (problems.length) return problems;
      const c = client as CaseRow;
      const user = by as LoginRow;
      const existing = tx
        .select({ id: recognitions.id, by: recognitions.recognisedByUserId })
        .from(recognitions)
        .where(and(eq(recognitions.clientId, c.id), eq(recognitions.recognisedOn, r.recognised_on)))
        .get();
      if (existing) {
        if (existing.id > before) return [dup("recognised_on")];
        if (existing.by !== user.userId) {
          const login = tx.get<{ login: string }>(sql`select login from users where id = ${existing.by}`)?.login ?? "";
          return [differs("recognised_by", login)];
        }
        return "unchanged";
      }
      if (r.recognised_on > today) problems.push({ column: "recognised_on", key: "casework.recognition.future" });
      if (!l.holdsRole(user, ["social_worker"])) problems.push({ column: "recognised_by", key: "data.notSocialWorker" });
      if (!consented(c.id, today)) problems.push({ column: "case_number", key: "clients.noConsent" });
      if (problems.length) return problems;
      const candidate = {
        intakeDate: c.intakeDate,
        status: c.status as "active" | "in_facility" | "closed",
        closedOn: c.closedOn,
        events: restartingEvents(tx, c.id, r.recognised_on),
        recognitions: tx.select({ recognisedOn: recognitions.recognisedOn }).from(recognitions).where(eq(recognitions.clientId, c.id)).all(),
      };
      const reason = ineligibilityReason(candidate, r.recognised_on);
      if (reason) return [{ column: "recognised_on", key: reason }];
      const id = tx
        .insert(recognitions)
        .values({ clientId: c.id, recognisedOn: r.recognised_on, recognisedByUserId: user.userId, evidence: "" })
        .returning({ id: recognitions.id })
        .get().id;
      added.add("recognitions", id);
      return "inserted";
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** "2026-11-28 14:30" (or with a T, or with seconds) on the program's wall clock → UTC ISO instant. */
export function contactInstant(value: string, timeZone: string): string | null {
  const v = value.trim().replace(" ", "T");
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return null;
  return utcFromLocalInput(v, timeZone);
}

function contactsImporter(ctx: ImportContext): KindImporter {
  const { tx, l, now, timeZone } = ctx;
  const before = maxId(tx, "contacts");
  const added = tracker();
  const findCase = caseFinder(ctx.raw);
  const consented = consentChecker(tx);
  const typeIds = new Set(getContactTypes(tx).map((t) => t.id));
  const schema = z.object({
    case_number: text({ max: CASE_NUMBER_MAX }),
    happened_at: z
      .string()
      .trim()
      .min(1, { error: "form.required" })
      .transform((v, c) => {
        const at = contactInstant(v, timeZone);
        if (!at) {
          c.addIssue({ code: "custom", message: "data.dateTimeFormat" });
          return z.NEVER;
        }
        return at;
      }),
    type: z
      .string()
      .trim()
      .refine((v) => typeIds.has(v), { error: msg("data.oneOf", { values: [...typeIds].join(", ") }) }),
    author: loginName,
    duration_minutes: z
      .string()
      .trim()
      .min(1, { error: "form.required" })
      .regex(/^\d{1,6}$/, { error: "form.notANumber" })
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(CONTACT_DURATION_MIN, { error: msg("form.numberRange", { min: CONTACT_DURATION_MIN, max: CONTACT_DURATION_MAX }) })
          .max(CONTACT_DURATION_MAX, { error: msg("form.numberRange", { min: CONTACT_DURATION_MIN, max: CONTACT_DURATION_MAX }) }),
      ),
    summary: text({ max: CONTACT_SUMMARY_MAX, multiline: true }),
  });
  type Row = z.infer<typeof schema>;
  const findSame = ctx.raw.prepare<[number, string, string, number, string], { id: number; durationMinutes: number; summary: string }>(
    `select id, duration_minutes as durationMinutes, summary from contacts
     where client_id = ? and happened_at >= ? and happened_at < ? and author_user_id = ? and type = ?`,
  );
  const insertContact = ctx.raw.prepare(
    `insert into contacts (client_id, author_user_id, type, happened_at, duration_minutes, participants, summary, private)
     values (?, ?, ?, ?, ?, '[]', ?, 0)`,
  );
  return {
    schema: schema as unknown as KindImporter["schema"],
    added: () => added.ranges,
    apply(raw) {
      const r = raw as Row;
      const client = findCase(r.case_number);
      const author = needLogin(l, "author", r.author);
      const problems = [client, author].filter(isProblem);
      if (problems.length) return problems;
      const c = client as CaseRow;
      const user = author as LoginRow;
      // the key is the minute: exports write minutes, so an instant with seconds still matches
      const minute = r.happened_at.slice(0, 16);
      const next = new Date(new Date(`${minute}:00.000Z`).getTime() + 60_000).toISOString();
      const same = findSame.all(c.id, `${minute}:00.000Z`, next, user.userId, r.type);
      if (same.length) {
        if (same.some((s) => s.id > before)) return [dup("happened_at")];
        if (same.some((s) => s.durationMinutes === r.duration_minutes && s.summary === r.summary)) return "unchanged";
        const s = same[0]!;
        const out: Problem[] = [];
        if (s.durationMinutes !== r.duration_minutes) out.push(differs("duration_minutes", String(s.durationMinutes)));
        if (s.summary !== r.summary) out.push(differs("summary", s.summary.length > 40 ? `${s.summary.slice(0, 40)}…` : s.summary));
        return out;
      }
      if (r.happened_at > now.toISOString()) problems.push({ column: "happened_at", key: "contacts.inFuture" });
      if (!l.holdsRole(user, ["social_worker", "peer_tutor"])) problems.push({ column: "author", key: "data.notCaseWorker" });
      if (c.status === "closed") problems.push({ column: "case_number", key: "contacts.clientClosed" });
      else if (!consented(c.id, localDate(r.happened_at, timeZone))) problems.push({ column: "case_number", key: "clients.noConsent" });
      if (problems.length) return problems;
      added.add("contacts", Number(insertContact.run(c.id, user.userId, r.type, r.happened_at, r.duration_minutes, r.summary).lastInsertRowid));
      return "inserted";
    },
  };
}

// ---------------------------------------------------------------------------------------------

function peerTutorsImporter(ctx: ImportContext): KindImporter {
  const { tx, l, today, actor } = ctx;
  const before = maxId(tx, "peer_tutors");
  const added = tracker();
  const schema = z.object({
    login: loginName,
    display_name: text({ max: NAME_MAX }),
    district: text({ max: PLACE_MAX }),
    cohort_number: z
      .string()
      .trim()
      .min(1, { error: "form.required" })
      .regex(/^\d{1,6}$/, { error: "form.notANumber" })
      .transform(Number),
    certified_on: isoDate,
    certificate_number: text({ max: CERTIFICATE_NUMBER_MAX }).transform(normaliseCertificateNumber),
  });
  type Row = z.infer<typeof schema>;
  const cohortCache = new Map<number, { id: number; months: number } | null>();
  const cohortOf = (n: number) => {
    if (!cohortCache.has(n)) {
      const row = tx
        .select({ id: cohorts.id, months: trainingProgrammes.certificateValidMonths })
        .from(cohorts)
        .innerJoin(trainingProgrammes, eq(trainingProgrammes.id, cohorts.programmeId))
        .where(eq(cohorts.number, n))
        .get();
      cohortCache.set(n, row ?? null);
    }
    return cohortCache.get(n)!;
  };
  return {
    schema: schema as unknown as KindImporter["schema"],
    added: () => added.ranges,
    apply(raw) {
      const r = raw as Row;
      const problems: Problem[] = [];
      const user = needLogin(l, "login", r.login);
      if (isProblem(user)) problems.push(user);
      const district = l.district(r.district);
      if (!district) problems.push({ column: "district", key: msg("data.unknownDistrict", { value: r.district }) });
      const cohort = cohortOf(r.cohort_number);
      if (!cohort) problems.push({ column: "cohort_number", key: msg("data.unknownCohort", { number: r.cohort_number }) });
      if (problems.length) return problems;
      const u = user as LoginRow;
      const existing = tx.select().from(peerTutors).where(eq(peerTutors.personId, u.personId)).get();
      if (existing) {
        if (existing.id > before) return [dup("login")];
        const out: Problem[] = [];
        if (u.displayName !== r.display_name) out.push(differs("display_name", u.displayName));
        if (existing.districtId !== district!.id) out.push(differs("district", l.districtById(existing.districtId)?.code ?? ""));
        if (existing.cohortId !== cohort!.id) {
          const n = tx.select({ n: cohorts.number }).from(cohorts).where(eq(cohorts.id, existing.cohortId)).get()?.n;
          out.push(differs("cohort_number", String(n ?? "")));
        }
        if (existing.certifiedOn !== r.certified_on) out.push(differs("certified_on", existing.certifiedOn));
        if (existing.certificateNumber !== r.certificate_number) out.push(differs("certificate_number", existing.certificateNumber));
        return out.length ? out : "unchanged";
      }
      if (u.displayName !== r.display_name) problems.push({ column: "display_name", key: msg("data.nameDiffers", { recorded: u.displayName }) });
      if (r.certified_on > today) problems.push({ column: "certified_on", key: "clients.dateInFuture" });
      if (!district!.active) problems.push({ column: "district", key: msg("data.inactiveDistrict", { value: r.district }) });
      const taken =
        tx.select({ id: peerTutors.id }).from(peerTutors).where(eq(peerTutors.certificateNumber, r.certificate_number)).get() ??
        tx
          .select({ id: certificates.id })
          .from(certificates)
          .where(and(eq(certificates.number, r.certificate_number), sql`${certificates.holderPersonId} <> ${u.personId}`))
          .get();
      if (taken) problems.push({ column: "certificate_number", key: "data.certificateTaken" });
      if (problems.length) return problems;
      const id = tx
        .insert(peerTutors)
        .values({
          personId: u.personId,
          cohortId: cohort!.id,
          districtId: district!.id,
          certificateNumber: r.certificate_number,
          certifiedOn: r.certified_on,
          expiresOn: addMonths(r.certified_on, cohort!.months),
          status: "active",
        })
        .returning({ id: peerTutors.id })
        .get().id;
      added.add("peer_tutors", id);
      // as at certification: a tutor with a login can use the peer-tutor pages at once (audited there)
      grantRoleToPerson(tx, actor, u.personId, "peer_tutor");
      return "inserted";
    },
  };
}

export function makeImporter(kind: DataKind, ctx: ImportContext): KindImporter {
  switch (kind) {
    case "clients":
      return clientsImporter(ctx);
    case "substance_events":
      return substanceEventsImporter(ctx);
    case "recognitions":
      return recognitionsImporter(ctx);
    case "contacts":
      return contactsImporter(ctx);
    case "peer_tutors":
      return peerTutorsImporter(ctx);
  }
}

