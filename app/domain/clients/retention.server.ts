/**
 * Retention (PIPL art. 19: keep no longer than the purpose needs). Closed cases are
 * de-identified a set number of years after closure: identity is deleted, the alias and case
 * number become markers, free text (contact summaries, notes, goals, reasons, evidence) is
 * replaced by a marker, and the link to the same person's other roles is cut. Dates, kinds,
 * statuses and counts stay, so every report still adds up. Audited; `--dry-run` changes nothing.
 */
import { and, eq, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { clients, settings } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import { DomainError } from "~/domain/shared/errors";
import { addYears } from "./dates";

export const RETENTION_KEY = "retentionClosedCaseYears";
export const RETENTION_DEFAULT_YEARS = 5;
/**
 * The shortest retention allowed: outcome reports look back three years (abstinence is counted
 * over three calendar years), so a case closed less than three years ago may still be read by them.
 */
export const RETENTION_MIN_YEARS = 3;
export const RETENTION_MAX_YEARS = 50;
export const DEIDENTIFIED_MARKER = "[已去标识 / de-identified]";

export function getRetentionYears(db: Pick<Db, "select">): number {
  const value = db.select().from(settings).where(eq(settings.key, RETENTION_KEY)).get()?.value;
  return typeof value === "number" && Number.isInteger(value) && value >= RETENTION_MIN_YEARS && value <= RETENTION_MAX_YEARS ? value : RETENTION_DEFAULT_YEARS;
}

export function setRetentionYears(db: Db, actor: Actor, years: number): void {
  if (!Number.isInteger(years) || years < RETENTION_MIN_YEARS) throw new DomainError(`privacy.retention.tooShort?min=${RETENTION_MIN_YEARS}`, "years");
  if (years > RETENTION_MAX_YEARS) throw new DomainError(`form.numberRange?min=${RETENTION_MIN_YEARS}&max=${RETENTION_MAX_YEARS}`, "years");
  db.transaction((tx) => {
    const before = getRetentionYears(tx);
    tx.insert(settings)
      .values({ key: RETENTION_KEY, value: years })
      .onConflictDoUpdate({ target: settings.key, set: { value: years, updatedAt: new Date().toISOString() } })
      .run();
    recordAudit(tx, actor, { action: "update", entity: "settings", entityId: RETENTION_KEY, details: { before, after: years } });
  });
}

export type RetentionCandidate = { id: number; districtId: number; closedOn: string };

/** Closed cases whose closure is at least `years` before `today` and which still hold identity. */
export function retentionCandidates(db: Pick<Db, "select">, today: string, years: number): RetentionCandidate[] {
  const cutoff = addYears(today, -years);
  return db
    .select({ id: clients.id, districtId: clients.districtId, closedOn: sql<string>`${clients.closedOn}` })
    .from(clients)
    .where(and(eq(clients.status, "closed"), lte(clients.closedOn, cutoff), isNull(clients.deidentifiedAt)))
    .orderBy(clients.closedOn, clients.id)
    .all();
}

/** Per table, the statements that strip one batch of clients (ids bound as a JSON array). */
const STRIP: readonly string[] = [
  `update clients set alias = '已去标识 #' || id, case_number = 'DEID-' || id, closed_reason = $marker, person_id = null, deidentified_at = $now, updated_at = $now
     where id in (select value from json_each($ids))`,
  `delete from client_identities where client_id in (select value from json_each($ids))`,
  `delete from contact_drafts where client_id in (select value from json_each($ids))`,
  `update contacts set summary = $marker, participants = '[]', risk_observation = null, updated_at = $now where client_id in (select value from json_each($ids))`,
  `update substance_events set note = '' , updated_at = $now where client_id in (select value from json_each($ids)) and note <> ''`,
  `update recognitions set evidence = $marker, updated_at = $now where client_id in (select value from json_each($ids)) and evidence <> ''`,
  `update monitoring_lift_requests set note = $marker, updated_at = $now where client_id in (select value from json_each($ids)) and note <> ''`,
  `update service_plans set note = $marker, decision_note = '', updated_at = $now where client_id in (select value from json_each($ids))`,
  `update plan_goals set goal = $marker, action = '', owner = '', updated_at = $now
     where plan_id in (select id from service_plans where client_id in (select value from json_each($ids)))`,
  `update client_flags set reason = $marker, resolution_note = '', updated_at = $now where client_id in (select value from json_each($ids))`,
  `update correction_requests set request = $marker, outcome_note = '', updated_at = $now where client_id in (select value from json_each($ids))`,
];

export type RetentionResult = { years: number; cutoff: string; clients: number; dryRun: boolean; ids: number[] };

/**
 * De-identifies every candidate (or, with dryRun, only lists them). One transaction; one audit
 * row per run naming the client ids (never their aliases).
 */
export function applyRetention(db: Db, actor: Actor, today: string, options: { dryRun: boolean; years?: number }): RetentionResult {
  const years = options.years ?? getRetentionYears(db);
  const candidates = retentionCandidates(db, today, years);
  const ids = candidates.map((c) => c.id);
  const result = { years, cutoff: addYears(today, -years), clients: ids.length, dryRun: options.dryRun, ids };
  if (options.dryRun || ids.length === 0) return result;
  const now = new Date().toISOString();
  db.transaction(() => {
    const statements = STRIP.map((s) => db.$client.prepare(s));
    for (let i = 0; i < ids.length; i += 500) {
      const batch = JSON.stringify(ids.slice(i, i + 500));
      for (const st of statements) {
        const params: Record<string, string> = { ids: batch };
        if (st.source.includes("$marker")) params.marker = DEIDENTIFIED_MARKER;
        if (st.source.includes("$now")) params.now = now;
        st.run(params);
      }
    }
    recordAudit(db, actor, { action: "retention_deidentify", entity: "client", details: { years, cutoff: result.cutoff, count: ids.length, clientIds: ids } });
  });
  return result;
}
