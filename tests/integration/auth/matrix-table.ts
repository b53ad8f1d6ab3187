/**
 * The authorisation matrix: for every route module, what each viewer may get from its loader (GET)
 * and its action (POST), on the viewer's own record and on another's. Written from DESIGN.md §4 and
 * app/auth/permissions.ts, not recorded from what the code answers; docs/authorisation.md explains
 * how to read and extend it. The test is authorisation-matrix.test.ts.
 *
 * Outcomes: "ok" 2xx or a redirect elsewhere than /login; "allowed" anything but 401/403/404, a
 * redirect to /login or 5xx (an authorised POST with an empty form may answer 400); "refused" any
 * 4xx but 401, writing nothing (a domain refusal, 400, counts: used for intents); "forbidden"
 * 403; "notFound" 404; "denied" 403 or 404; "login" a redirect to /login (page) or 401 (resource
 * route); "gone" 410; "postOnly" 405 (an export's GET, after its guard: exports are POSTs);
 * "answers" anything but 5xx (public routes whose answer does not depend on
 * who asks, like sign-out).
 *
 * A cell is one outcome (the same for own and other, or the route has no record in its URL) or a
 * pair [own, other]. "anonymous" defaults to "login" and "noRole" to "forbidden".
 */
import type { AuthzWorld, Scope, Viewer } from "../../authz-world";

export type Outcome = "ok" | "allowed" | "refused" | "forbidden" | "notFound" | "denied" | "login" | "gone" | "postOnly" | "answers";
export type Cell = Outcome | readonly [own: Outcome, other: Outcome];
export type Row = Record<"admin" | "coordinator" | "socialWorker" | "peerTutor" | "trainer", Cell> & Partial<Record<"anonymous" | "noRole", Cell>>;

type EntityKey = keyof AuthzWorld["entity"];
export type ParamSpec = EntityKey | ((world: AuthzWorld, viewer: Viewer, scope: Scope) => string | number);

export type MatrixEntry = {
  /** the entity each dynamic segment names */
  params?: Record<string, ParamSpec>;
  /** a search string, for routes whose record is chosen in the query ("own" vs "other" then applies) */
  query?: (world: AuthzWorld, viewer: Viewer, scope: Scope) => string;
  get?: Row;
  post?: Row;
  /** where the code is stricter than DESIGN §4 (kept, noted) */
  note?: string;
};

const OK = "ok" as const;
const A = "allowed" as const;
const F = "forbidden" as const;
const NF = "notFound" as const;

/** The five roles as given, the rest forbidden. */
function only(cells: Partial<Row>, rest: Cell = F): Row {
  return { admin: rest, coordinator: rest, socialWorker: rest, peerTutor: rest, trainer: rest, ...cells };
}
/** The same cell for all five roles. */
const every = (cell: Cell, extra: Partial<Row> = {}): Row => only(extra, cell);
/** Open to anyone signed in, even without a role. */
const anySignedIn = (cell: Cell): Row => every(cell, { noRole: cell });
/** Public: the same for everyone, anonymous included. */
const publicRow = (cell: Cell): Row => every(cell, { noRole: cell, anonymous: cell });

const adminOnly = (cell: Cell) => only({ admin: cell });
/** Client records: own = on the viewer's caseload / mentees / district; other = out of scope, 404 (existence is sensitive). */
const own = (cell: Outcome) => [cell, NF] as const;
/** Sessions, groups, studios: own = district A (coordinator's) / facilitated by the viewer. */
const ownElse403 = (cell: Outcome) => [cell, F] as const;

// shared rows
const orgRead = every(OK);
const sessionRead = every(OK);
const sessionEdit = (cell: Outcome) => only({ admin: cell, coordinator: cell });
const sessionEditAt = (cell: Outcome) => only({ admin: cell, coordinator: ownElse403(cell) });
const clientReaders = only({ admin: OK, coordinator: OK, socialWorker: OK, peerTutor: OK }); // trainers: none
const clientRecord = only({ admin: OK, coordinator: own(OK), socialWorker: own(OK), peerTutor: own(OK) }, F);
const identityRecord = only({ admin: OK, coordinator: [F, NF], socialWorker: own(OK), peerTutor: [F, NF] }, F);
const caseWrite = only({ admin: F, coordinator: [F, NF], socialWorker: own(A), peerTutor: [F, NF] }, F);
const assigners = (cell: Outcome) => only({ admin: cell, coordinator: cell });
const planApprovers = (cell: Outcome) => only({ admin: cell, coordinator: cell });
const trainingRead = only({ admin: OK, coordinator: OK, socialWorker: OK, trainer: OK }); // peer tutors: own certificate only
const trainingEdit = (cell: Outcome) => only({ admin: cell, trainer: cell });
const cohortEdit = only({ admin: A, trainer: ownElse403(A) });
const registryReaders = only({ admin: OK, coordinator: OK, socialWorker: OK, trainer: OK });
const hoursLog = (cell: Outcome) => every(cell);
const hoursApprovers = (cell: Outcome) => only({ admin: cell, coordinator: cell });
const projectReaders = only({ admin: OK, coordinator: OK });
const projectRecord = only({ admin: OK, coordinator: own(OK) });

/** An export: the GET only says "use POST" (405) to those the guard lets through; the POST answers the CSV. */
function exportRoute(readers: Row): MatrixEntry {
  const map = (cell: Cell, to: Outcome): Cell => (cell === OK ? to : cell);
  const swap = (to: Outcome): Row =>
    Object.fromEntries(Object.entries(readers).map(([k, v]) => [k, map(v as Cell, to)])) as Row;
  return { get: swap("postOnly"), post: swap(A) };
}

const cohortParams = { id: "cohort" } as const;

export const MATRIX: Record<string, MatrixEntry> = {
  // --- home, account, sign-in --------------------------------------------------------------
  "routes/_index": { get: anySignedIn(OK) },
  "routes/account.email": { get: every(OK), post: every(A), note: "closed to people without a role (no e-mail to send them)" },
  "routes/account.password": { get: anySignedIn(OK), post: anySignedIn(A) },
  "routes/account.sessions": { get: anySignedIn(OK), post: anySignedIn(A) },
  "routes/account.two-factor": { get: anySignedIn(OK), post: anySignedIn(A) },
  "routes/session.keepalive": { get: anySignedIn("postOnly"), post: anySignedIn(OK) },
  "routes/login": { get: publicRow(OK), post: publicRow(A) },
  "routes/login_.two-factor": { get: anySignedIn(OK), post: anySignedIn(OK) },
  "routes/logout": { get: publicRow("answers"), post: publicRow("answers") },
  "routes/locale": { get: publicRow("answers"), post: publicRow("answers") },
  "routes/healthz": { get: publicRow(OK) },
  "routes/notifications": { get: sessionRead, post: every(A) },

  // --- administration: admin only ------------------------------------------------------------
  "routes/admin.audit._index": { get: adminOnly(OK) },
  "routes/admin.audit.export": exportRoute(adminOnly(OK)),
  "routes/admin.backups": { get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.export": { get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.import": { get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.import_.jobs.$id": { params: { id: "importJob" }, get: adminOnly(OK) },
  "routes/admin.processing": { get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.security": { get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.settings": { get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.users._index": { get: adminOnly(OK) },
  "routes/admin.users.$id": { params: { id: "user" }, get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.users.new": { get: adminOnly(OK), post: adminOnly(A) },
  "routes/hours.activities": { get: adminOnly(OK), post: adminOnly(A) },

  // --- organisation: everyone reads, admin edits -----------------------------------------------
  "routes/organisation._index": { get: orgRead },
  "routes/organisation.$districtId": { params: { districtId: "district" }, get: orgRead },
  "routes/admin.organisation._index": { get: adminOnly(OK) },
  "routes/admin.organisation.$kind.$id.status": {
    params: { kind: () => "districts", id: "district" },
    get: adminOnly(OK),
    post: adminOnly(A),
  },
  "routes/admin.organisation.districts.$districtId": { params: { districtId: "district" }, get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.organisation.subdistricts.$subdistrictId": { params: { subdistrictId: "subdistrict" }, get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.organisation.workstations.$workstationId": { params: { workstationId: "workstation" }, get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.organisation.points.$pointId": { params: { pointId: "point" }, get: adminOnly(OK), post: adminOnly(A) },
  "routes/admin.organisation.studios.$studioId": { params: { studioId: "studio" }, get: adminOnly(OK), post: adminOnly(A) },

  // --- studios, groups, sessions: everyone reads; admin edits; coordinators edit in their districts;
  //     facilitators take attendance of their own sessions --------------------------------------------
  "routes/studios._index": { get: sessionRead },
  "routes/studios.$id": { params: { id: "studio" }, get: sessionRead, post: sessionEditAt(A) },
  "routes/groups.$id": { params: { id: "group" }, get: sessionRead, post: sessionEditAt(A) },
  "routes/groups.new": { get: sessionEdit(OK), post: sessionEdit(A) },
  "routes/sessions.new": { get: sessionEdit(OK), post: sessionEdit(A) },
  "routes/sessions.week": { get: sessionEdit(OK) },
  "routes/sessions.week.export": { get: sessionEdit(OK) },
  "routes/sessions.$id": { params: { id: "session" }, get: sessionRead, post: sessionEditAt(A) },
  "routes/sessions_.$id.attendance": {
    params: { id: "session" },
    get: only({ admin: OK, coordinator: ownElse403(OK), socialWorker: ownElse403(OK), peerTutor: ownElse403(OK) }),
    post: only({ admin: A, coordinator: ownElse403(A), socialWorker: ownElse403(A), peerTutor: ownElse403(A) }),
  },
  "routes/sessions_.$id.check-in": {
    params: { id: "session" },
    // without the session's check-in code the page answers 410 and shows no names
    get: only({ admin: "gone", coordinator: "gone", socialWorker: "gone", peerTutor: "gone" }),
    post: only({ admin: A, coordinator: A, socialWorker: A, peerTutor: A }),
  },
  "routes/sessions_.$id.hours": {
    params: { id: "session" },
    // one's own hours for a session one facilitated
    post: only({ socialWorker: ownElse403(A), peerTutor: ownElse403(A) }),
  },
  "routes/sessions_.$id.register": { params: { id: "session" }, get: sessionRead, post: every(A) },
  "routes/calendar._index": { get: sessionRead, post: every(A) },
  "routes/calendar.studio.$id": { params: { id: "studio" }, get: sessionRead },
  // the token is the credential: a live one works for whoever holds it, a revoked one for nobody
  "routes/calendar.person.$token": { params: { token: "calendarToken" }, get: publicRow(["ok", NF]) },
  "routes/districts.$id.week": { params: { id: "district" }, get: sessionRead },

  // --- clients -------------------------------------------------------------------------------------
  "routes/clients._index": { get: clientReaders },
  "routes/clients.export": exportRoute(clientReaders),
  "routes/clients.new": { get: only({ coordinator: OK, socialWorker: OK }), post: only({ coordinator: A, socialWorker: A }) },
  "routes/clients.$id": { params: { id: "client" }, get: clientRecord },
  "routes/clients.$id._index": {
    params: { id: "client" },
    get: clientRecord,
    // an empty form is refused (400) before the intent's own permission is asked
    post: only({ admin: A, coordinator: own(A), socialWorker: own(A), peerTutor: own(A) }),
  },
  "routes/clients.$id.access-log": { params: { id: "client" }, get: identityRecord },
  "routes/clients.$id.assign": {
    params: { id: "client" },
    get: only({ admin: OK, coordinator: own(OK), socialWorker: [F, NF], peerTutor: [F, NF] }),
    post: only({ admin: A, coordinator: own(A), socialWorker: [F, NF], peerTutor: [F, NF] }),
  },
  "routes/clients.$id.contacts": {
    params: { id: "client" },
    get: clientRecord,
    post: only({ admin: F, coordinator: [F, NF], socialWorker: own(A), peerTutor: own(A) }),
  },
  "routes/clients.$id.events": { params: { id: "client" }, get: clientRecord, post: caseWrite },
  "routes/clients.$id.flags": {
    params: { id: "client" },
    get: clientRecord,
    post: only({ admin: F, coordinator: own(A), socialWorker: own(A), peerTutor: own(A) }),
  },
  "routes/clients.$id.plan": {
    params: { id: "client" },
    get: clientRecord,
    post: only({ admin: A, coordinator: own(A), socialWorker: own(A), peerTutor: [F, NF] }),
  },
  "routes/clients.$id.recognition": { params: { id: "client" }, get: clientRecord, post: caseWrite },
  "routes/clients.$id.recovery": {
    params: { id: "client" },
    get: clientRecord,
    post: only({ admin: F, coordinator: [F, NF], socialWorker: own(A), peerTutor: own(A) }),
  },
  "routes/clients.$id.rights": { params: { id: "client" }, get: identityRecord, post: caseWrite },
  "routes/clients.$id.timeline": { params: { id: "client" }, get: clientRecord },
  "routes/clients_.$id.held-data": { params: { id: "client" }, get: identityRecord },
  "routes/clients_.$id.lift-letter": {
    params: { id: "client" },
    get: only({ admin: OK, coordinator: own(OK), socialWorker: own(OK), peerTutor: [F, NF] }),
    post: only({ admin: A, coordinator: [F, NF], socialWorker: own(A), peerTutor: [F, NF] }),
  },
  "routes/clients_.$id.plan.print": { params: { id: "client" }, get: clientRecord },
  "routes/caseload": { get: only({ socialWorker: OK }) },
  "routes/mentees": { get: only({ peerTutor: OK }) },
  "routes/caseloads.overdue": { get: assigners(OK) },
  "routes/caseloads.overdue.export": exportRoute(assigners(OK)),
  "routes/caseloads.reassign": { get: assigners(OK) },
  "routes/caseloads.reassign.export": exportRoute(assigners(OK)),
  "routes/crisis": { get: clientReaders },
  "routes/crisis.export": exportRoute(clientReaders),
  "routes/tasks": { get: clientReaders },
  "routes/tasks.export": exportRoute(clientReaders),
  "routes/milestones": { get: clientReaders },
  "routes/milestones.export": exportRoute(clientReaders),
  "routes/plans.pending": { get: planApprovers(OK) },
  "routes/plans.pending.export": exportRoute(planApprovers(OK)),
  "routes/recognition": { get: only({ admin: OK, coordinator: OK, socialWorker: OK }) },
  "routes/recognition.export": exportRoute(only({ admin: OK, coordinator: OK, socialWorker: OK })),

  // --- training, certificates, registry --------------------------------------------------------------
  "routes/training._index": { get: trainingRead },
  "routes/training.mine": { get: only({ peerTutor: OK }) },
  "routes/training.cohorts.new": { get: trainingEdit(OK), post: trainingEdit(A) },
  "routes/training.cohorts.$id._index": { params: cohortParams, get: trainingRead, post: cohortEdit },
  "routes/training.cohorts.$id.sessions._index": { params: cohortParams, get: trainingRead, post: cohortEdit },
  "routes/training.cohorts.$id.sessions.$sessionId": {
    params: { id: "cohort", sessionId: "trainingSession" },
    get: trainingRead,
    post: cohortEdit,
  },
  "routes/training.cohorts.$id.trainees.$enrollmentId": {
    params: { id: "cohort", enrollmentId: "enrollment" },
    get: trainingRead,
    post: cohortEdit,
  },
  "routes/training.programmes._index": { get: trainingRead },
  // a programme belongs to no one cohort: any trainer edits it
  "routes/training.programmes.$id": { params: { id: "programme" }, get: trainingRead, post: trainingEdit(A) },
  "routes/training.programmes.new": { get: trainingEdit(OK), post: trainingEdit(A) },
  "routes/certificates.$number": {
    params: { number: "certificate" },
    get: only({ admin: OK, trainer: OK, coordinator: F, socialWorker: F, peerTutor: own(OK) }),
    note: "coordinators and social workers read certificates in the registry but may not print the sheet (stricter than §4 'read')",
  },
  "routes/certificates.cohort.$cohortId": { params: { cohortId: "cohort" }, get: only({ admin: OK, trainer: OK }) },
  "routes/my-certificate": { get: every(OK) },
  "routes/registry._index": { get: registryReaders },
  "routes/registry.expiring": { get: registryReaders },
  "routes/registry.export": exportRoute(registryReaders),
  "routes/registry.$tutorId": { params: { tutorId: "peerTutor" }, get: registryReaders, post: only({ admin: A, trainer: A }) },
  "routes/verify._index": { get: publicRow(OK) },
  // own: the certificate's number and code (valid); other: another's number with a wrong code (no match, 404)
  "routes/verify.$number": {
    params: { number: "certificate" },
    query: (w, _viewer, scope) => `?code=${scope === "own" ? w.verificationCode : "CDEFGHJKLM"}`,
    get: publicRow(["ok", NF]),
  },

  // --- volunteer hours -------------------------------------------------------------------------------
  "routes/hours._index": { get: hoursLog(OK), post: hoursLog(A) },
  // one's own entry only; anyone else's is 404, whoever asks (approvers decide on the approvals page)
  "routes/hours.$id": {
    params: { id: (w, viewer, scope) => (scope === "own" && viewer !== "anonymous" ? w.ownHours[viewer] : w.otherHours) },
    get: every(own(OK)),
    post: every(own(A)),
  },
  "routes/hours.approvals": { get: hoursApprovers(OK), post: hoursApprovers(A) },
  "routes/hours.approvals.export": { get: hoursApprovers(OK) },
  // own: one's own statement; other: a peer tutor of district B
  "routes/hours.statement": {
    query: (w, _viewer, scope) => (scope === "own" ? "" : `?person=${w.pt2.personId}`),
    get: only({ admin: OK, coordinator: own(OK), socialWorker: ownElse403(OK), peerTutor: ownElse403(OK), trainer: ownElse403(OK) }),
  },

  // --- projects ------------------------------------------------------------------------------------
  "routes/projects._index": { get: projectReaders },
  "routes/projects.export": { get: projectReaders },
  "routes/projects.$id": { params: { id: "project" }, get: projectRecord },
  "routes/projects_.$id.print": { params: { id: "project" }, get: projectRecord },
  "routes/projects.new": { get: adminOnly(OK), post: adminOnly(A) },
  "routes/projects_.$id.edit": { params: { id: "project" }, get: adminOnly(OK), post: adminOnly(A) },

  // --- reports: own = a report of one's own work (volunteer hours); other = a city/district-only report (studio utilisation) ----
  "routes/reports._index": { get: every(OK) },
  "routes/reports.$name": {
    params: { name: (_w, _v, scope) => (scope === "own" ? "volunteer-hours" : "studio-utilisation") },
    get: only({ admin: OK, coordinator: OK, socialWorker: ownElse403(OK), peerTutor: ownElse403(OK), trainer: ownElse403(OK) }),
  },
  "routes/reports.$name.csv": {
    params: { name: (_w, _v, scope) => (scope === "own" ? "volunteer-hours" : "studio-utilisation") },
    get: only({ admin: OK, coordinator: OK, socialWorker: ownElse403(OK), peerTutor: ownElse403(OK), trainer: ownElse403(OK) }),
  },
};

/**
 * Actions whose permission depends on what is posted (the intent, the record named in the form):
 * posted with a real form, own and other. Run after the matrix, the admin last (what the admin
 * does may change the record for the next viewer).
 */
export type IntentCheck = {
  route: string;
  label: string;
  params?: Record<string, ParamSpec>;
  form: (world: AuthzWorld, viewer: Viewer, scope: Scope) => Record<string, string | string[]>;
  post: Row;
};

const R = "refused" as const;

export const INTENTS: IntentCheck[] = [
  {
    route: "routes/clients.$id._index",
    label: "reveal the identity",
    form: () => ({ intent: "reveal" }),
    post: only({ admin: A, coordinator: [F, NF], socialWorker: own(A), peerTutor: [F, NF] }),
  },
  {
    route: "routes/clients.$id.plan",
    label: "approve a plan",
    form: () => ({ intent: "decide", planId: "999999", decision: "approve", note: "" }),
    post: only({ admin: A, coordinator: own(A), socialWorker: [F, NF], peerTutor: [F, NF] }),
  },
  {
    route: "routes/clients.$id.flags",
    label: "raise a risk flag",
    form: () => ({ intent: "raise", kind: "risk", reason: "测试风险（虚构）" }),
    post: only({ admin: F, coordinator: own(A), socialWorker: own(A), peerTutor: own(A) }),
  },
  {
    route: "routes/clients.$id.flags",
    label: "resolve a flag",
    form: () => ({ intent: "resolve", flagId: "999999", note: "测试（虚构）" }),
    post: only({ admin: F, coordinator: own(A), socialWorker: own(A), peerTutor: [F, NF] }),
  },
  {
    // own: one's own client (A) into one's own session next week; other: someone else's client (B) into it
    route: "routes/sessions_.$id.register",
    label: "register a client",
    params: { id: (w) => w.nextSessionA.id },
    form: (w, _viewer, scope) => ({ intent: "register", clientId: String(scope === "own" ? w.clientA.id : w.clientB.id), scope: "one" }),
    post: only({ admin: A, coordinator: [A, R], socialWorker: [A, R], peerTutor: [A, R], trainer: R }),
  },
  {
    // own: a new client in district A (the viewer's) with social worker 1; other: in district B with social worker 2
    route: "routes/clients.new",
    label: "take in a client",
    form: (w, viewer, scope) => ({
      caseNumber: `TEST-MX-${viewer}-${scope}`,
      alias: `测试新对象${viewer}${scope}（化名）`,
      districtId: String(scope === "own" ? w.dA.id : w.dB.id),
      legalStatus: "community_rehab",
      intakeDate: "2025-02-01",
      riskLevel: "low",
      socialWorkerPersonId: String(scope === "own" ? w.people.socialWorker.personId : w.sw2.personId),
    }),
    post: only({ coordinator: [A, R], socialWorker: [A, R] }),
  },
  {
    // own: an entry of district A (the coordinator's); other: an entry of district B
    route: "routes/hours.approvals",
    label: "approve hours",
    form: (w, _viewer, scope) => ({ decision: "approve", ids: [String(scope === "own" ? w.otherHours : w.hoursInB)], reason: "" }),
    post: only({ admin: A, coordinator: [A, R] }),
  },
];
