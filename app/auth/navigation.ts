import type { MessageKey } from "~/i18n/messages";
import { can, rowScope } from "./permissions";
import type { SessionUser } from "./roles";

export type NavItem = { to: string; label: MessageKey };

/**
 * The areas a person's roles open, in the order they appear. Derived from the permission
 * module, so a menu never offers a page that would answer 403.
 */
export function navigationFor(user: Pick<SessionUser, "roles">): NavItem[] {
  const items: NavItem[] = [{ to: "/", label: "nav.home" }];
  // peer tutors reach their mentees through "My mentees"; /clients is for those who read clients by another role
  if (can({ roles: user.roles.filter((r) => r.role !== "peer_tutor") }, "read:client")) items.push({ to: "/clients", label: "nav.clients" });
  if (can(user, "assign:caseload")) items.push({ to: "/caseloads/reassign", label: "clients.nav.reassign" });
  if (can(user, "read:org")) items.push({ to: "/organisation", label: "nav.organisation" });
  if (can(user, "read:user")) items.push({ to: "/admin/users", label: "nav.users" });
  if (can(user, "edit:settings")) items.push({ to: "/admin/settings", label: "nav.settings" });
  if (can(user, "read:audit")) items.push({ to: "/admin/audit", label: "nav.audit" });
  if (can(user, "read:certificate")) items.push(rowScope(user, "read:certificate").kind === "all" ? { to: "/registry", label: "nav.registry" } : { to: "/my-certificate", label: "registry.my.title" });
  if (user.roles.some((r) => r.role === "peer_tutor")) items.push({ to: "/mentees", label: "nav.myMentees" });
  if (user.roles.some((r) => r.role === "social_worker")) items.push({ to: "/caseload", label: "contacts.nav.caseload" });
  if (can(user, "assign:caseload")) items.push({ to: "/caseloads/overdue", label: "contacts.nav.fallingBehind" });
  if (can(user, "read:client")) items.push({ to: "/tasks", label: "wellbeing.nav.tasks" });
  if (can(user, "read:client")) items.push({ to: "/crisis", label: "wellbeing.nav.crisis" });
  if (can(user, "read:training") || user.roles.some((r) => r.role === "peer_tutor")) items.push(can(user, "read:training") ? { to: "/training", label: "nav.training" } : { to: "/training/mine", label: "training.mine.title" });
  if (can(user, "create:caseRecord") || can(user, "approve:plan")) items.push({ to: "/recognition", label: "casework.nav.recognition" });
  if (can(user, "approve:plan") && user.roles.some((r) => r.role === "coordinator")) items.push({ to: "/plans/pending", label: "casework.nav.pendingPlans" });
  if (can({ roles: user.roles.filter((r) => r.role !== "admin") }, "read:client")) items.push({ to: "/milestones", label: "casework.nav.milestones" });
  if (can(user, "read:session")) items.push({ to: "/studios", label: "nav.studios" });
  if (can(user, "read:session")) items.push({ to: "/calendar", label: "sessions.nav.mySessions" });
  if (can(user, "edit:session")) items.push({ to: "/sessions/week", label: "sessions.nav.thisWeek" });
  return items;
}
