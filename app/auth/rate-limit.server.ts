/**
 * A small fixed-window limiter kept in memory: Tongban runs as one process (DESIGN.md §8).
 * Each key (an address) may make `limit` attempts per window.
 */
export function createRateLimiter(options: { limit: () => number; windowMs: number }) {
  const hits = new Map<string, { count: number; resetAt: number }>();
  return {
    /** Counts an attempt; false when the key is over its limit. */
    hit(key: string, now = Date.now()): boolean {
      const entry = hits.get(key);
      if (!entry || entry.resetAt <= now) {
        if (hits.size > 10_000) for (const [k, v] of hits) if (v.resetAt <= now) hits.delete(k);
        hits.set(key, { count: 1, resetAt: now + options.windowMs });
        return true;
      }
      entry.count += 1;
      return entry.count <= options.limit();
    },
    reset(): void {
      hits.clear();
    },
  };
}
