/** Field limits of the settings form: plain constants, safe in the browser bundle. */
export const ORGANISATION_NAME_MAX = 120;
export const TIME_ZONE_MAX = 64;
export const OVERDUE_DAYS_MIN = 1;
export const OVERDUE_DAYS_MAX = 365;
