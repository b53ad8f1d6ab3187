export { listDistricts } from "./organisation.server";
export type { District } from "./organisation.server";
