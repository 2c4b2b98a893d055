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
import { SITES, type SiteId } from './model.js';
import { scoreLevel, type ScorableLevel } from './score.js';
import type { Hook, Metrics } from './types.js';
import { PAR_METRICS, type ParMetric } from './verify.js';
import { dominates as dominatesBy, paretoIndexes, rankMetrics } from './ranking.js';

export interface AnalyzableLevel extends ScorableLevel {
  sites: readonly SiteId[];
}

/** The choices for one site: every `when` it takes, or just "hooked". */
function choicesOf(site: SiteId): Hook[] {
  const w = SITES[site].when;
  return w.length ? w.map((when) => ({ site, when })) : [{ site }];
}

/** How many placements a level has: the product over its sites of (1 + choices). */
export function placementCount(sites: readonly SiteId[]): number {
  return sites.reduce((n, s) => n * (1 + choicesOf(s).length), 1);
}

/** Every placement, in a fixed order (the empty one first; hooks in the level's site order). */
export function* placements(sites: readonly SiteId[]): Generator<Hook[]> {
  const options = sites.map((s) => [null, ...choicesOf(s)]);
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
  /** passing placements no other passing placement beats on every metric of the level's par (ties kept; src/sim/ranking.ts) */
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

/**
 * a is no worse than b on every metric and better on one: the one ranking rule's dominance
 * (src/sim/ranking.ts: its tolerance), over `metrics` (default: every par metric and `changes`).
 */
export function dominates(a: ParMetrics, b: ParMetrics, metrics: readonly string[] = KEYS): boolean {
  return dominatesBy(a, b, metrics);
}

/**
 * The non-dominated points of a list (stable order; equal points all kept), over `metrics`:
 * analyzeLevel passes the level's par metrics (the board's front, src/sim/ranking.ts).
 */
export function paretoFront<T extends { metrics: ParMetrics }>(points: readonly T[], metrics: readonly string[] = KEYS): T[] {
  return paretoIndexes(points.map((p) => p.metrics), metrics).map((i) => points[i]!);
}

/** Score every placement of the level with scoreLevel (quick: the verdict and stars only). */
export function analyzeLevel(lv: AnalyzableLevel, opts: AnalyzeOptions = {}): LevelAnalysis {
  const total = placementCount(lv.sites);
  const passing: ParetoPoint[] = [];
  let meetingPar = 0;
  let incomplete = 0;
  let done = 0;
  for (const hooks of placements(lv.sites)) {
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
  return { id: lv.id, placements: total, passing: passing.length, meetingPar, best, pareto: paretoFront(passing, rankMetrics(lv.par)), incomplete };
}
