/** The rules for who must use a second factor (safe in the browser bundle). */
export const SECOND_FACTOR_POLICIES = ["required", "all", "optional"] as const;
export type SecondFactorPolicy = (typeof SECOND_FACTOR_POLICIES)[number];
