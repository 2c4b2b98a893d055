// Difficulty you can measure: every placement of a level's offered sites, scored with the
// one rule (scoreLevel), and what that says about the level: how many placements pass,
// how many meet every par, the best value of each par metric among the passing ones,
// and the Pareto-optimal placements. Pure: no I/O, no clocks.
//
// A placement gives each offered site one of: no hook, or a hook with one of the site's
// `when` values (a site that takes none: just "hooked"). Placements are distinct hook
// sets, so no two are equivalent by construction; none is skipped (a hook that a level's
// workloads never reach still costs nothing only if the engine says so, and the engine
// is what is being measured).
import { whensOn, type KernelId, type SiteId } from './model.js';
import { scoreLevel, type ScorableLevel } from './score.js';
import type { Hook, Metrics } from './types.js';
import { PAR_METRICS, type ParMetric } from './verify.js';

export interface AnalyzableLevel extends ScorableLevel {
  sites: readonly SiteId[];
}

/** The choices for one site: every `when` it takes, or just "hooked". */
function choicesOf(site: SiteId, kernel?: KernelId): Hook[] {
  const w = whensOn(site, kernel);
  return w.length ? w.map((when) => ({ site, when })) : [{ site }];
}

/** How many placements a level has: the product over its sites of (1 + choices). */
export function placementCount(sites: readonly SiteId[], kernel?: KernelId): number {
  return sites.reduce((n, s) => n * (1 + choicesOf(s, kernel).length), 1);
}

/** Every placement, in a fixed order (the empty one first; hooks in the level's site order). */
export function* placements(sites: readonly SiteId[], kernel?: KernelId): Generator<Hook[]> {
  const options = sites.map((s) => [null, ...choicesOf(s, kernel)]);
  const idx = sites.map(() => 0);
  for (;;) {
    const hooks: Hook[] = [];
    for (let i = 0; i < sites.length; i++) {
      const h = options[i][idx[i]];
      if (h) hooks.push(h);
    }
    yield hooks;
    // odometer: the last site turns fastest
    let i = sites.length - 1;
    while (i >= 0 && ++idx[i] === options[i].length) idx[i--] = 0;
    if (i < 0) return;
  }
}

/** The par metrics of a placement; `changes` (from the start placement) on review levels. */
export type ParMetrics = Record<ParMetric, number> & { changes?: number };

export interface ParetoPoint {
  hooks: Hook[];
  metrics: ParMetrics;
}

export interface LevelAnalysis {
  id: string;
  placements: number;
  passing: number;
  /** passing and within every par of the level (three stars) */
  meetingPar: number;
  /** per par metric, the lowest mean among passing placements (absent when none passes) */
  best: Partial<ParMetrics>;
  /** passing placements no other passing placement beats on every par metric (ties kept) */
  pareto: ParetoPoint[];
  /** placements whose exhaustive search ran out of states (counted as not passing) */
  incomplete: number;
}

export interface AnalyzeOptions {
  /** called after each placement is scored */
  onProgress?: (done: number, total: number) => void;
  /** bound of the exhaustive search per placement (scoreLevel's default otherwise) */
  maxStates?: number;
  /** called with every placement and its verdict (passed, stars) */
  onScore?: (hooks: Hook[], passed: boolean, stars: number) => void;
}

function parMetrics(m: Metrics): ParMetrics {
  const out = {} as ParMetrics;
  for (const k of PAR_METRICS) out[k] = m[k];
  return out;
}

const KEYS = [...PAR_METRICS, 'changes'] as const;

/** a is no worse than b on every metric and better on one. */
export function dominates(a: ParMetrics, b: ParMetrics): boolean {
  let better = false;
  for (const k of KEYS) {
    const x = a[k], y = b[k];
    if (x === undefined || y === undefined) continue;
    if (x > y + 1e-9) return false;
    if (x < y - 1e-9) better = true;
  }
  return better;
}

/** The non-dominated points of a list (stable order; equal points all kept). */
export function paretoFront<T extends { metrics: ParMetrics }>(points: readonly T[]): T[] {
  return points.filter((p) => !points.some((q) => q !== p && dominates(q.metrics, p.metrics)));
}

/** Score every placement of the level with scoreLevel (quick: the verdict and stars only). */
export function analyzeLevel(lv: AnalyzableLevel, opts: AnalyzeOptions = {}): LevelAnalysis {
  const total = placementCount(lv.sites, lv.kernel);
  const passing: ParetoPoint[] = [];
  let meetingPar = 0;
  let incomplete = 0;
  let done = 0;
  for (const hooks of placements(lv.sites, lv.kernel)) {
    const s = scoreLevel(lv, hooks, { quick: true, ...(opts.maxStates === undefined ? {} : { maxStates: opts.maxStates }) });
    if (s.incomplete) incomplete++;
    opts.onScore?.(hooks, s.passed, s.stars);
    if (s.passed) {
      const metrics = parMetrics(s.metrics);
      if (s.changes) metrics.changes = s.changes.count;
      passing.push({ hooks, metrics });
      if (s.allPar) meetingPar++;
    }
    opts.onProgress?.(++done, total);
  }
  const best: Partial<ParMetrics> = {};
  for (const p of passing) {
    for (const k of KEYS) {
      const v = p.metrics[k];
      if (v !== undefined && (best[k] === undefined || v < best[k]!)) best[k] = v;
    }
  }
  return { id: lv.id, placements: total, passing: passing.length, meetingPar, best, pareto: paretoFront(passing), incomplete };
}
