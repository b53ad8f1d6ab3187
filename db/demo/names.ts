import { GIVEN_NAMES, SURNAMES } from "./places";
import type { Random } from "./random";

/** Marks every demo person's display name, so nobody mistakes one for a real human being. */
export const FICTIONAL_MARK = "（虚构）";

/**
 * Draws Chinese names (a common family name and a common given name) from the seeded
 * generator, never the same name twice, each marked "（虚构）".
 */
export function createNameMaker(random: Random): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const name = random.pick(SURNAMES) + random.pick(GIVEN_NAMES);
      if (used.has(name)) continue;
      used.add(name);
      return name + FICTIONAL_MARK;
    }
  };
}
