// The one ranking rule, the stars' rule: how two judged solutions of one level compare, and
// which of them are Pareto-optimal. Every ranking in pvlab goes through here: `pvlab board`
// in every format, the game's board and projector (src/workshop/rank.ts builds on it) and
// `pvlab analyze`'s Pareto front. Pure: no I/O.
//
// Order (docs/workshop.md):
//   1. the level's own verdict: passing before failing, then more stars, then fewer failing seeds;
//   2. the level's par metrics in the order the level states them (lower first), two values
//      within RANK_TOLERANCE of each other (relative) counting as equal;
//   3. submission time, earlier first (the caller's clock: git commit time or file time).
// A level without a par ranks by DEFAULT_RANK_METRICS. The Pareto front is taken over the
// same metrics with the same tolerance.

/** Two metric values closer than this (relative to the larger) are equal: 0.1%. */
export const RANK_TOLERANCE = 1e-3;

/** The ranking metrics of a level that states no par. */
export const DEFAULT_RANK_METRICS = ['cost', 'hooks', 'wastedExports', 'guestStall'] as const;

/** What the rule needs of a judged solution. `metrics` may lack a metric: it is then not compared. */
export interface Judged {
  passed: boolean;
  stars: number;
  failedSeeds: number;
  metrics: Readonly<Record<string, number | undefined>>;
}

/** The metrics a level is ranked by: the par's metrics in their stated order, else the default. */
export function rankMetrics(par: Readonly<Record<string, number | undefined>> | undefined): string[] {
  const keys = Object.keys(par ?? {}).filter((k) => typeof par![k] === 'number');
  return keys.length ? keys : [...DEFAULT_RANK_METRICS];
}

/** a and b are equal under the tolerance (relative to the larger magnitude; absolute below 1). */
export function sameWithin(a: number, b: number, tol = RANK_TOLERANCE): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** -1, 0, 1: lower is better; equal under the tolerance is 0. */
export function compareMetric(a: number | undefined, b: number | undefined, tol = RANK_TOLERANCE): number {
  if (a === undefined || b === undefined) return 0;
  return sameWithin(a, b, tol) ? 0 : a < b ? -1 : 1;
}

/** Merit order (verdict, then metrics): negative when a ranks before b, 0 when they tie on merit. */
export function compareMerit(a: Judged, b: Judged, metrics: readonly string[], tol = RANK_TOLERANCE): number {
  if (a.passed !== b.passed) return a.passed ? -1 : 1;
  if (a.stars !== b.stars) return b.stars - a.stars;
  if (a.failedSeeds !== b.failedSeeds) return a.failedSeeds - b.failedSeeds;
  for (const k of metrics) {
    const c = compareMetric(a.metrics[k], b.metrics[k], tol);
    if (c) return c;
  }
  return 0;
}

/** The full rule: merit, then submission time (earlier first; an unknown time after a known one). */
export function compareRanked(a: Judged & { submitted?: number | undefined }, b: Judged & { submitted?: number | undefined }, metrics: readonly string[], tol = RANK_TOLERANCE): number {
  return compareMerit(a, b, metrics, tol) || compareTime(a.submitted, b.submitted);
}

export function compareTime(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a - b;
}

/** `a` dominates `b`: no worse on every metric and better on one (under the tolerance). */
export function dominates(a: Judged['metrics'], b: Judged['metrics'], metrics: readonly string[], tol = RANK_TOLERANCE): boolean {
  let better = false;
  for (const k of metrics) {
    const c = compareMetric(a[k], b[k], tol);
    if (c > 0) return false;
    if (c < 0) better = true;
  }
  return better;
}

/**
 * Indexes (ascending) of the points no other point dominates on `metrics`; equal points are
 * all kept. Points with exactly the same values are compared once (a workshop has many
 * copies of few approaches). Only pass passing solutions.
 */
export function paretoIndexes(points: readonly Judged['metrics'][], metrics: readonly string[], tol = RANK_TOLERANCE): number[] {
  const distinct = new Map<string, { m: Judged['metrics']; idx: number[] }>();
  points.forEach((m, i) => {
    const key = metrics.map((k) => m[k]).join(',');
    const p = distinct.get(key);
    if (p) p.idx.push(i);
    else distinct.set(key, { m, idx: [i] });
  });
  const list = [...distinct.values()];
  const out: number[] = [];
  for (const p of list) {
    if (list.some((q) => q !== p && dominates(q.m, p.m, metrics, tol))) continue;
    out.push(...p.idx);
  }
  return out.sort((a, b) => a - b);
}

/** The rule in words, for a level ranked by `metrics` (labels: how to name a metric). */
export function rankRuleText(metrics: readonly string[], label: (k: string) => string = (k) => k): string {
  return `passing first, then more stars, fewer failing seeds, then ${metrics.map(label).join(', ')} ` +
    `(lower is better; values within ${RANK_TOLERANCE * 100}% are equal), then the earlier submission`;
}
