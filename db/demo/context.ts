/**
 * What the organisation and people stage of the demo hands to the clients and training stages:
 * the ids it wrote, the demo logins, and the generation date ("today" in Asia/Shanghai).
 */
import type { Role } from "../../app/auth/roles";

export type DemoLogin = "admin" | "coordinator" | "socialworker" | "tutor" | "tutor2" | "trainer";

export type DemoDistrictRef = { id: number; code: string; studio: boolean };
export type DemoPointRef = { id: number; districtId: number; districtCode: string; subdistrictId: number };
export type DemoSocialWorker = { personId: number; districtId: number; pointId: number; hiredOn: string };
export type DemoPeerTutor = {
  id: number;
  personId: number;
  cohortId: number;
  cohortNumber: number;
  districtId: number;
  districtCode: string;
  certificateNumber: string;
  certifiedOn: string;
  expiresOn: string;
  status: "active" | "paused" | "alumni" | "revoked";
  statusReason: string;
};
export type DemoCohortRef = { id: number; number: number; startsOn: string; endsOn: string };

export type DemoContext = {
  /** the generation date, YYYY-MM-DD in Asia/Shanghai: every history is placed relative to it */
  today: string;
  districts: DemoDistrictRef[];
  points: DemoPointRef[];
  socialWorkers: DemoSocialWorker[];
  peerTutors: DemoPeerTutor[];
  cohorts: DemoCohortRef[];
  programmeId: number;
  logins: Record<DemoLogin, { userId: number; personId: number; role: Role }>;
  /** the one source of fictional person names (never the same twice) */
  newName: () => string;
};

/** A client who later trains as a peer tutor: the same person row on the client and the enrolment. */
export type FormerClientTrainee = { personId: number; clientId: number; districtId: number };
