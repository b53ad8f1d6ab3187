/**
 * The database side of "may practise" (practise.ts holds the rule). Every caller that gives a
 * peer tutor work — caseload assignment now, session scheduling later — asks `mayPractiseOn`.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { certificates, peerTutors } from "#db/schema";
import { mayPractise, practiseStanding, type PractiseFacts, type PractiseStanding } from "./practise";

type Reader = Pick<Db, "select">;

/**
 * The facts about a person the rule needs: their peer-tutor status and their current
 * certificate, the one whose number the peer_tutors row carries (and whose holder they are).
 * A peer_tutors row without a certificates row (tutors recorded before certificates were kept in
 * Tongban, such as the demo's historic cohorts) stands on the certificate dates it mirrors; such
 * a certificate cannot be suspended, and revoking a tutor always sets their status to revoked.
 * Accepts a transaction, so a write can check inside its own transaction.
 */
export function practiseFacts(db: Reader, personId: number): PractiseFacts {
  const row = db
    .select({
      status: peerTutors.status,
      certifiedOn: peerTutors.certifiedOn,
      mirrorExpiresOn: peerTutors.expiresOn,
      certificateId: certificates.id,
      issuedOn: certificates.issuedOn,
      expiresOn: certificates.expiresOn,
      suspendedAt: certificates.suspendedAt,
      revokedAt: certificates.revokedAt,
    })
    .from(peerTutors)
    .leftJoin(
      certificates,
      and(eq(certificates.number, peerTutors.certificateNumber), eq(certificates.holderPersonId, peerTutors.personId)),
    )
    .where(eq(peerTutors.personId, personId))
    .get();
  if (!row) return { tutorStatus: null, certificate: null };
  const certificate =
    row.certificateId !== null
      ? { issuedOn: row.issuedOn!, expiresOn: row.expiresOn!, suspendedAt: row.suspendedAt, revokedAt: row.revokedAt }
      : { issuedOn: row.certifiedOn, expiresOn: row.mirrorExpiresOn, suspendedAt: null, revokedAt: null };
  return { tutorStatus: row.status, certificate };
}

/** Whether the person may facilitate sessions and receive mentees on `date` (YYYY-MM-DD). */
export function mayPractiseOn(db: Reader, personId: number, date: string): boolean {
  return mayPractise(practiseFacts(db, personId), date);
}

/** The reason behind mayPractiseOn, for pages that explain it. */
export function practiseStandingOn(db: Reader, personId: number, date: string): PractiseStanding {
  return practiseStanding(practiseFacts(db, personId), date);
}
