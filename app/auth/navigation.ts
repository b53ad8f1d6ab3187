import type { MessageKey } from "~/i18n/messages";
import { can, hasRole, rowScope } from "./permissions";
import type { SessionUser } from "./roles";

export type NavItem = { to: string; label: MessageKey };

type Holder = Pick<SessionUser, "roles">;

/** The same person without one of their roles (a peer tutor reads clients through "My mentees"). */
function without(user: Holder, role: SessionUser["roles"][number]["role"]): Holder {
  return { roles: user.roles.filter((r) => r.role !== role) };
}

/**
 * The areas a person's roles open, in the order they appear: the person's own work first
 * (worklists), then the records, the schedule, training, and the organisation and its
 * administration. Derived from the permission module, so a menu never offers a page that would
 * answer 403.
 */
export function navigationFor(user: Holder): NavItem[] {
  const items: NavItem[] = [{ to: "/", label: "nav.home" }];
  const add = (when: boolean, to: string, label: MessageKey) => {
    if (when) items.push({ to, label });
  };
  // worklists
  add(hasRole(user, "peer_tutor"), "/mentees", "nav.myMentees");
  add(hasRole(user, "social_worker"), "/caseload", "contacts.nav.caseload");
  add(can(user, "read:client"), "/tasks", "wellbeing.nav.tasks");
  add(can(user, "read:client"), "/crisis", "wellbeing.nav.crisis");
  add(can(user, "assign:caseload"), "/caseloads/overdue", "contacts.nav.fallingBehind");
  add(can(user, "assign:caseload"), "/caseloads/reassign", "clients.nav.reassign");
  add(can(user, "approve:plan") && hasRole(user, "coordinator"), "/plans/pending", "casework.nav.pendingPlans");
  add(can(user, "create:caseRecord") || can(user, "approve:plan"), "/recognition", "casework.nav.recognition");
  add(can(without(user, "admin"), "read:client"), "/milestones", "casework.nav.milestones");
  add(can(user, "approve:hours"), "/hours/approvals", "volunteering.approvals.title");
  // records
  add(can(without(user, "peer_tutor"), "read:client"), "/clients", "nav.clients");
  // schedule
  add(can(user, "read:session"), "/calendar", "sessions.nav.mySessions");
  add(can(user, "edit:session"), "/sessions/week", "sessions.nav.thisWeek");
  add(can(user, "read:session"), "/studios", "nav.studios");
  add(can(user, "read:project"), "/projects", "projects.title");
  // volunteer hours: one's own
  add(can(user, "log:hours"), "/hours", "volunteering.mine.title");
  // training and certificates
  if (can(user, "read:training")) add(true, "/training", "nav.training");
  else add(hasRole(user, "peer_tutor"), "/training/mine", "training.mine.title");
  if (can(user, "read:certificate")) {
    if (rowScope(user, "read:certificate").kind === "all") add(true, "/registry", "nav.registry");
    else add(true, "/my-certificate", "registry.my.title");
  }
  // reports
  add(can(user, "read:report"), "/reports", "reports.title");
  // organisation and administration
  add(can(user, "read:org"), "/organisation", "nav.organisation");
  add(can(user, "read:user"), "/admin/users", "nav.users");
  add(can(user, "edit:settings"), "/admin/settings", "nav.settings");
  add(can(user, "read:audit"), "/admin/audit", "nav.audit");
  add(can(user, "edit:data"), "/admin/import", "data.import.title");
  add(can(user, "read:data"), "/admin/export", "data.export.title");
  add(can(user, "read:data"), "/admin/backups", "operations.nav");
  add(can(user, "edit:settings"), "/admin/security", "privacy.security.title");
  add(can(user, "edit:settings"), "/admin/processing", "privacy.processing.title");
  return items;
}
