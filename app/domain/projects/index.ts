// The projects area's public surface (CONVENTIONS: other areas import only this file).
// Components must not import this file (it re-exports server modules).
export {
  createProject,
  updateProject,
  listProjects,
  getProject,
  projectFormValues,
  projectFormShape,
  targetFieldErrors,
  ProjectSchema,
  PROJECT_KINDS,
  PROJECT_METRICS,
  PROJECT_STATUSES,
  PROJECT_LIST_STATUSES,
  PROJECT_NAME_MAX,
  PROJECT_FUNDER_MAX,
  PROJECT_NOTES_MAX,
} from "./projects.server";
export type { ProjectDetail, ProjectInput, ProjectListRow, ProjectKind, ProjectMetric } from "./projects.server";
export { projectFigures, projectProgress } from "./progress.server";
export type { MetricProgress, ProjectScope } from "./progress.server";
