import { GIVEN_NAMES, SURNAMES } from "./places";
import type { Random } from "./random";

/** Marks every demo person's display name, so nobody mistakes one for a real human being. */
export const FICTIONAL_MARK = "（虚构）";

/** After this many draws in a row hit names already used, the pool is nearly spent (large scaled demos). */
const MAX_TRIES = 50;

/**
 * Draws Chinese names (a common family name and a common given name) from the seeded
 * generator, never the same name twice, each marked "（虚构）". When the pool of combinations is
 * nearly spent (a demo at a large scale has more people than combinations), a drawn name gets a
 * number ("王伟2（虚构）") so it stays unique; the normal demo never gets there.
 */
export function createNameMaker(random: Random): () => string {
  const used = new Set<string>();
  return () => {
    for (let tries = 0; ; tries++) {
      let name = random.pick(SURNAMES) + random.pick(GIVEN_NAMES);
      if (used.has(name) && tries >= MAX_TRIES) {
        for (let k = 2; used.has(name); k++) name = name.replace(/\d*$/, String(k));
      }
      if (used.has(name)) continue;
      used.add(name);
      return name + FICTIONAL_MARK;
    }
  };
}
