// The training area's public surface (CONVENTIONS: other areas import only this file).
// The clients area imports practise.server.ts directly instead, to avoid an import cycle.

// may practise, certificates after issue, peer-tutor registry
export {
  mayPractise,
  practiseStanding,
  certificateStanding,
  isExpiringSoon,
  expiringUntil,
  EXPIRING_WITHIN_DAYS,
} from "./practise";
export type { CertificateFacts, PractiseFacts, CertificateStanding, PractiseStanding } from "./practise";
export { mayPractiseOn, practiseFacts, practiseStandingOn } from "./practise.server";
