/**
 * "May practise": the one definition (CONVENTIONS.md pattern 8) of whether a peer tutor may
 * facilitate sessions and receive mentees on a date. Pure: facts in, answer out. The database
 * wrapper `mayPractiseOn` (practise.server.ts) gathers the facts; the caseload assignment
 * (clients/assignments.server.ts) and the session scheduling ask through it, so the rule lives
 * only here.
 *
 * DESIGN.md §3: "only an active, certified, unrevoked peer tutor can facilitate or hold a
 * caseload". A tutor may practise on a date when
 * - their peer-tutor status is active (not paused, alumni or revoked), and
 * - their current certificate stands on that date: issued on or before it, expiring on or after
 *   it (the expiry day is the last valid day), not suspended and not revoked. A suspension or
 *   revocation counts from the moment it is recorded, whatever date is asked about: a revoked
 *   tutor is never given work again, not even backdated work.
 */
// the clients area's pure calendar arithmetic, imported directly (not through its index, which
// reaches assignments.server.ts, which imports this module)
import { addDays } from "../clients/dates";

/** Days ahead in which a certificate counts as "expiring" for trainers' and coordinators' worklists. */
export const EXPIRING_WITHIN_DAYS = 60;

export type CertificateFacts = {
  /** YYYY-MM-DD */
  issuedOn: string;
  /** YYYY-MM-DD, the last day the certificate is valid */
  expiresOn: string;
  /** set while the certificate is suspended */
  suspendedAt: string | null;
  /** set once the certificate is revoked (for good) */
  revokedAt: string | null;
};

export type PractiseFacts = {
  /** the peer_tutors status, or null when the person is not a peer tutor at all */
  tutorStatus: string | null;
  /** the tutor's current certificate, or null when there is none */
  certificate: CertificateFacts | null;
};

/** How a certificate stands on a date. Revocation wins over suspension, suspension over expiry. */
export type CertificateStanding = "valid" | "not_yet_valid" | "expired" | "suspended" | "revoked";

export function certificateStanding(certificate: CertificateFacts, onDate: string): CertificateStanding {
  if (certificate.revokedAt) return "revoked";
  if (certificate.suspendedAt) return "suspended";
  if (certificate.expiresOn < onDate) return "expired";
  if (certificate.issuedOn > onDate) return "not_yet_valid";
  return "valid";
}

/** Why a person may or may not practise on a date; "may_practise" is the only yes. */
export type PractiseStanding =
  | "may_practise"
  | "not_a_tutor"
  | "tutor_not_active"
  | "no_certificate"
  | Exclude<CertificateStanding, "valid">;

export function practiseStanding(facts: PractiseFacts, onDate: string): PractiseStanding {
  if (facts.tutorStatus === null) return "not_a_tutor";
  if (facts.tutorStatus !== "active") return "tutor_not_active";
  if (!facts.certificate) return "no_certificate";
  const standing = certificateStanding(facts.certificate, onDate);
  return standing === "valid" ? "may_practise" : standing;
}

/** THE rule: true only for an active peer tutor whose certificate stands (valid) on the date. */
export function mayPractise(facts: PractiseFacts, onDate: string): boolean {
  return practiseStanding(facts, onDate) === "may_practise";
}

/** The last expiry date that counts as "expiring soon" on `today`. */
export function expiringUntil(today: string): string {
  return addDays(today, EXPIRING_WITHIN_DAYS);
}

/** A valid certificate that expires within EXPIRING_WITHIN_DAYS days of `today` (both days included). */
export function isExpiringSoon(certificate: CertificateFacts, today: string): boolean {
  return certificateStanding(certificate, today) === "valid" && certificate.expiresOn <= expiringUntil(today);
}
