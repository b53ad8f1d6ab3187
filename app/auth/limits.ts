/** Wrong passwords or second-factor codes in a row before an account locks, and for how long. */
export const MAX_FAILED_ATTEMPTS = 6;
export const LOCK_MINUTES = 15;
