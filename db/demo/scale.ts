/**
 * The demo at a scale: `demo --scale N` writes a data set N times the source program's figures
 * (35,740 clients served over 15 years, 794 social workers, 47 certified peer tutors in four
 * cohorts, 10 studios, 154 social-work points) inside the same city (Shanghai's 16 districts and
 * their subdistricts, which never scale). What scales, and the floors that keep a tiny data set
 * usable, is written down in docs/demo-data.md. Without a scale the normal demo is written
 * exactly as before (about 2,000 clients with engineered cases for the demo logins).
 */
import type { Random } from "./random";
import type { DemoDistrict } from "./places";
import type { DemoPointRef } from "./context";

/** The source program's figures, which scale 1 reproduces. */
export const SOURCE_FIGURES = {
  clients: 35_740,
  socialWorkers: 794,
  peerTutors: 47,
  studios: 10,
  points: 154,
  /** recognised ÷ served, in percent (DESIGN.md §5) */
  threeYearRate: 29.6,
} as const;

export const MIN_SCALE = 0.01;
/** Above this the data set would not fit the machine's memory and disk comfortably (scale 10 ≈ 3 GB). */
export const MAX_SCALE = 100;

/**
 * Reads a `--scale` value: a plain positive decimal ("1", "10", "0.02"), at least 0.01 and at
 * most 100. Anything else throws an Error whose message is a one-line reason for the operator.
 */
export function parseScale(text: string): number {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) {
    throw new Error(`--scale must be a positive decimal number such as 1, 10 or 0.02 (got "${text}")`);
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < MIN_SCALE) throw new Error(`--scale must be at least ${MIN_SCALE} (got "${text}")`);
  if (value > MAX_SCALE) throw new Error(`--scale must be at most ${MAX_SCALE} (got "${text}")`);
  return value;
}

export type ScaledCounts = {
  clients: number;
  socialWorkers: number;
  peerTutors: number;
  studios: number;
};

/**
 * What a scale N gives: each source figure times N, rounded; with floors so the smallest data
 * sets still work: a social worker in each of the 16 districts, the two peer tutors behind the
 * `tutor` and `tutor2` logins, one studio.
 */
export function scaledCounts(scale: number): ScaledCounts {
  return {
    clients: Math.round(SOURCE_FIGURES.clients * scale),
    socialWorkers: Math.max(16, Math.round(SOURCE_FIGURES.socialWorkers * scale)),
    peerTutors: Math.max(2, Math.round(SOURCE_FIGURES.peerTutors * scale)),
    studios: Math.max(1, Math.round(SOURCE_FIGURES.studios * scale)),
  };
}

/** Splits `total` over `weights` in proportion, by largest remainder (ties to the earlier one); every share is an integer. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (sum === 0 ? 0 : (total * w) / sum));
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((s, n) => s + n, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) shares[order[k]![1]]! += 1;
  return shares;
}

/** A certified cohort of the demo: how many tutors, and the statuses other than active placed on some of them. */
export type CohortLayout<Other> = { number: number; startsOn: string; endsOn: string; tutors: number; others: Other[] };

/**
 * How the organisation stage lays things out: social-work points per district, studios, the
 * social workers' points, the certified cohorts. The normal demo's layout reproduces the source
 * figures with exactly the draws it always made; a scaled layout multiplies them.
 */
export type DemoLayout<Other> = {
  scale: number | null;
  pointsIn(d: DemoDistrict): number;
  /** one entry per studio, in insertion order: the district and its ordinal within the district (0 = first) */
  studios: { district: DemoDistrict; ordinal: number }[];
  /** social workers placed at points (the cohort-1 alumnus who became a social worker comes on top) */
  socialWorkersAtPoints: number;
  cohorts: CohortLayout<Other>[];
};

export function normalLayout<Other>(
  districts: readonly DemoDistrict[],
  socialWorkers: number,
  cohorts: readonly CohortLayout<Other & { becameSocialWorker?: boolean }>[],
): DemoLayout<Other> {
  const alumni = cohorts.reduce((s, c) => s + c.others.filter((o) => o.becameSocialWorker).length, 0);
  return {
    scale: null,
    pointsIn: (d) => d.points,
    studios: districts.filter((d) => d.studio).map((district) => ({ district, ordinal: 0 })),
    socialWorkersAtPoints: socialWorkers - alumni,
    cohorts: [...cohorts],
  };
}

/**
 * The layout at scale N: points per district N times the source (at least one per district);
 * the first ten studios in the source's studio districts, further ones over all districts by
 * their number of points; cohorts' sizes by largest remainder (cohorts 3 and 4 keep at least
 * the tutors behind the `tutor` and `tutor2` logins), and their statuses other than active N
 * times as many, cycling through the source's list.
 */
export function scaledLayout<Other extends { becameSocialWorker?: boolean }>(
  scale: number,
  districts: readonly DemoDistrict[],
  cohorts: readonly CohortLayout<Other>[],
  reservedCohorts: readonly number[],
): DemoLayout<Other> {
  const counts = scaledCounts(scale);
  const points = new Map(districts.map((d) => [d.code, Math.max(1, Math.round(d.points * scale))]));

  const studioDistricts = districts.filter((d) => d.studio);
  const studios: DemoLayout<Other>["studios"] = studioDistricts.slice(0, counts.studios).map((district) => ({ district, ordinal: 0 }));
  const extra = counts.studios - studios.length;
  if (extra > 0) {
    const shares = apportion(extra, districts.map((d) => d.points));
    const perDistrict = new Map(studios.map((s) => [s.district.code, 1]));
    districts.forEach((district, i) => {
      for (let k = 0; k < shares[i]!; k++) {
        const ordinal = perDistrict.get(district.code) ?? 0;
        perDistrict.set(district.code, ordinal + 1);
        studios.push({ district, ordinal });
      }
    });
  }

  const sizes = apportion(counts.peerTutors, cohorts.map((c) => c.tutors));
  for (const number of reservedCohorts) {
    const i = cohorts.findIndex((c) => c.number === number);
    if (i >= 0 && sizes[i] === 0) {
      const donor = sizes.indexOf(Math.max(...sizes));
      sizes[donor]! -= 1;
      sizes[i] = 1;
    }
  }
  const scaledCohorts = cohorts.map((c, i) => {
    const tutors = sizes[i]!;
    const free = tutors - (reservedCohorts.includes(c.number) ? 1 : 0);
    const wanted = Math.min(free, Math.round(c.others.length * scale));
    const others = Array.from({ length: Math.max(0, wanted) }, (_, k) => c.others[k % c.others.length]!);
    return { ...c, tutors, others };
  });
  const alumni = scaledCohorts.reduce((s, c) => s + c.others.filter((o) => o.becameSocialWorker).length, 0);
  return {
    scale,
    pointsIn: (d) => points.get(d.code)!,
    studios,
    socialWorkersAtPoints: counts.socialWorkers - alumni,
    cohorts: scaledCohorts,
  };
}

/**
 * The points the social workers work at, one entry per social worker: five per point while there
 * are enough of them (the source's 794 at 154 points), at least one per district, the rest at
 * randomly chosen points. For the normal demo these are exactly the draws it always made.
 */
export function socialWorkerPoints<P extends DemoPointRef>(random: Random, points: readonly P[], total: number): P[] {
  const perPoint = Math.min(5, Math.floor(total / points.length));
  const out: P[] = [];
  if (perPoint === 0) {
    const seen = new Set<number>();
    for (const p of points) {
      if (out.length < total && !seen.has(p.districtId)) {
        seen.add(p.districtId);
        out.push(p);
      }
    }
  } else {
    for (const p of points) for (let k = 0; k < perPoint; k++) out.push(p);
  }
  while (out.length < total) out.push(random.pick(points));
  return out;
}
