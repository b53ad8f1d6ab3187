/** Field limits of the organisation forms: plain constants, safe in the browser bundle. */
export const NAME_MAX = 80;
export const ADDRESS_MAX = 200;
export const CODE_MAX = 40;
export const CAPACITY_MIN = 1;
export const CAPACITY_MAX = 500;
export const REASON_MAX = 200;
