export * from "./organisation";
export * from "./people";
export * from "./auth";
export * from "./settings";
export * from "./audit";
export * from "./training";
export * from "./clients";
export * from "./sessions";
