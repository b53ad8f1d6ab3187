/**
 * The records of processing activities (PIPL art. 54–55; GDPR art. 30 in spirit): what personal
 * information Tongban processes, for which purpose, who may see it and how long it is kept. Who
 * may see each kind is DERIVED from the permission module, so the register cannot drift from what
 * the code enforces.
 */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { settings } from "#db/schema";
import { ROLE_PERMISSIONS, type Entity } from "~/auth/permissions";
import { ROLES, type Role } from "~/auth/roles";
import { recordAudit, type Actor } from "~/domain/audit";
import { getRetentionYears } from "~/domain/clients/retention.server";
import { DomainError } from "~/domain/shared/errors";

export const IMPACT_ASSESSMENT_KEY = "impactAssessmentOn";

/** One kind of data the program processes. Labels are message keys `privacy.processing.<key>.*`. */
export type ProcessingKind = {
  key: string;
  /** the permission entities that guard this kind of data */
  entities: readonly Entity[];
  sensitive: boolean;
  /** how long it is kept: a message key; `{years}` is the retention setting */
  retention: "closedCases" | "accountLife" | "forever" | "certificateLife" | "sessionLife";
};

export const PROCESSING_KINDS: readonly ProcessingKind[] = [
  { key: "clientCase", entities: ["client", "caseRecord", "flag", "recoveryAssessment", "plan"], sensitive: true, retention: "closedCases" },
  { key: "clientIdentity", entities: ["clientIdentity"], sensitive: true, retention: "closedCases" },
  { key: "contacts", entities: ["contact"], sensitive: true, retention: "closedCases" },
  { key: "caseTeam", entities: ["caseload"], sensitive: false, retention: "closedCases" },
  { key: "sessions", entities: ["session"], sensitive: true, retention: "closedCases" },
  { key: "training", entities: ["training", "certificate"], sensitive: false, retention: "certificateLife" },
  { key: "hours", entities: ["hours"], sensitive: false, retention: "accountLife" },
  { key: "accounts", entities: ["user"], sensitive: false, retention: "accountLife" },
  { key: "audit", entities: ["audit"], sensitive: true, retention: "forever" },
  { key: "reports", entities: ["report", "project"], sensitive: false, retention: "forever" },
];

const SEE = new Set(["read", "reveal", "edit"]);
const SCOPE_ORDER = { any: 0, district: 1, own: 2 } as const;

export type Access = { role: Role; scope: "any" | "district" | "own"; actions: string[] };

/** Who may see a kind of data: every role holding read/reveal/edit on one of its entities, with the widest scope. */
export function whoMaySee(kind: ProcessingKind): Access[] {
  const out: Access[] = [];
  for (const role of ROLES) {
    const held = ROLE_PERMISSIONS[role]
      .map((p) => p.split(":") as [string, Entity, Access["scope"]])
      .filter(([action, entity]) => SEE.has(action) && kind.entities.includes(entity));
    if (held.length === 0) continue;
    const scope = held.map(([, , s]) => s).sort((a, b) => SCOPE_ORDER[a] - SCOPE_ORDER[b])[0]!;
    out.push({ role, scope, actions: [...new Set(held.map(([a]) => a))] });
  }
  return out;
}

export function getImpactAssessmentDate(db: Pick<Db, "select">): string | null {
  const v = db.select().from(settings).where(eq(settings.key, IMPACT_ASSESSMENT_KEY)).get()?.value;
  return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
}

export function setImpactAssessmentDate(db: Db, actor: Actor, date: string, today: string): void {
  if (date > today) throw new DomainError("clients.dateInFuture", "assessedOn");
  db.transaction((tx) => {
    tx.insert(settings)
      .values({ key: IMPACT_ASSESSMENT_KEY, value: date })
      .onConflictDoUpdate({ target: settings.key, set: { value: date, updatedAt: new Date().toISOString() } })
      .run();
    recordAudit(tx, actor, { action: "update", entity: "settings", entityId: IMPACT_ASSESSMENT_KEY, details: { date } });
  });
}

export type ProcessingRecord = { key: string; sensitive: boolean; retention: ProcessingKind["retention"]; access: Access[] };

export function processingRegister(db: Pick<Db, "select">): { records: ProcessingRecord[]; retentionYears: number; assessedOn: string | null } {
  return {
    records: PROCESSING_KINDS.map((k) => ({ key: k.key, sensitive: k.sensitive, retention: k.retention, access: whoMaySee(k) })),
    retentionYears: getRetentionYears(db),
    assessedOn: getImpactAssessmentDate(db),
  };
}
