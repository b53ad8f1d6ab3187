import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { clientAssignments, clientFlags, districts, persons } from "#db/schema";
import type { ClientAccess } from "./access.server";

export type ClientHeader = {
  id: number;
  alias: string;
  caseNumber: string;
  status: "active" | "in_facility" | "closed";
  riskLevel: "low" | "medium" | "high";
  legalStatus: string;
  district: { zh: string; en: string };
  openFlags: { risk: number; crisis: number };
  socialWorker: string | null;
  peerTutor: string | null;
};

/** What every client page shows at the top: alias, status badges, the case team, open flags. */
export function clientHeader(db: Db, access: ClientAccess): ClientHeader {
  const c = access.client;
  const district = db.select({ zh: districts.nameZh, en: districts.nameEn }).from(districts).where(eq(districts.id, c.districtId)).get();
  const team = db
    .select({ kind: clientAssignments.kind, name: persons.displayName })
    .from(clientAssignments)
    .innerJoin(persons, eq(persons.id, clientAssignments.personId))
    .where(and(eq(clientAssignments.clientId, c.id), isNull(clientAssignments.toDate)))
    .all();
  const flags = db
    .select({ kind: clientFlags.kind, n: sql<number>`count(*)` })
    .from(clientFlags)
    .where(and(eq(clientFlags.clientId, c.id), isNull(clientFlags.resolvedAt)))
    .groupBy(clientFlags.kind)
    .all();
  return {
    id: c.id,
    alias: c.alias,
    caseNumber: c.caseNumber,
    status: c.status,
    riskLevel: c.riskLevel,
    legalStatus: c.legalStatus,
    district: district ?? { zh: "", en: "" },
    openFlags: { risk: flags.find((f) => f.kind === "risk")?.n ?? 0, crisis: flags.find((f) => f.kind === "crisis")?.n ?? 0 },
    socialWorker: team.find((t) => t.kind === "social_worker")?.name ?? null,
    peerTutor: team.find((t) => t.kind === "peer_tutor")?.name ?? null,
  };
}
