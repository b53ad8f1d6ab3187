/**
 * Constants of the sessions area that pages need, kept apart from recurrence.ts so the browser
 * bundle does not carry the rrule library for them.
 */

/** At most this many occurrences per group; a longer series is refused with a message saying so. */
export const MAX_OCCURRENCES = 200;

export const FREQUENCIES = ["weekly", "fortnightly"] as const;
export type Frequency = (typeof FREQUENCIES)[number];
