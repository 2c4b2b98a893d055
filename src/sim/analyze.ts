// Difficulty you can measure: every placement of a level's offered sites, scored with the
// one rule (scoreLevel), and what that says about the level: how many placements pass,
// how many meet every par, the best value of each par metric among the passing ones,
// and the Pareto-optimal placements. Pure: no I/O, no clocks.
//
// A placement gives each offered site one of: no hook, or a hook with one of the site's
// `when` values (a site that takes none: just "hooked"). Placements are distinct hook
// sets, so no two are equivalent by construction; none is skipped (a hook that a level's
// workloads never reach still costs nothing only if the engine says so, and the engine
// is what is being measured). The engine does say so, run by run: a seed's run of a
// placement whose extra hook would have run nowhere (Engine.consulted, hookInert) is the
// run of the placement without it, with one hook more counted; analyze reuses that run
// instead of simulating it again (the results are the same, only cheaper).
import { Engine, hookInert, placedHookCount } from './engine.js';
import { whensOn, type KernelId, type SiteId } from './model.js';
import { resultOf } from './run.js';
import { levelConfig, scoreLevel, type ScorableLevel } from './score.js';
import type { Hook, Metrics, RunResult } from './types.js';
import { PAR_METRICS, type ParMetric } from './verify.js';
import { dominates as dominatesBy, paretoIndexes, rankMetrics } from './ranking.js';

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

/**
 * The placement at `index` of the order `placements` yields (mixed radix, the last site
 * turning fastest), without walking the ones before it.
 */
export function placementAt(sites: readonly SiteId[], index: number, kernel?: KernelId): Hook[] {
  const options = sites.map((s) => [null, ...choicesOf(s, kernel)]);
  const picks: (Hook | null)[] = new Array<Hook | null>(sites.length).fill(null);
  let rest = index;
  for (let i = sites.length - 1; i >= 0; i--) {
    const n = options[i].length;
    picks[i] = options[i][rest % n];
    rest = Math.floor(rest / n);
  }
  return picks.filter((h): h is Hook => h !== null);
}

// ---------------------------------------------------------------------------------------
// Bounds: analyze's work is the number of placements times a verification each, which a
// valid level can make hours long (10 sites: 6,144 placements; at the level limits a
// verification is ~2e8 page events). Like verify's (LIMITS.eventsPerVerify), it is
// estimated before any run and refused past a limit, with the way out: a sample.

/** Page events one `analyze` may spend (a minute or two at the engine's speed) unless raised. */
export const ANALYZE_MAX_EVENTS = 2e9;
/** Page events per second the time estimate assumes (one core; `pvlab bench` measures it). */
export const ESTIMATED_EVENTS_PER_SECOND = 3e7;

export interface AnalyzeWork {
  placements: number;
  /** placements that would be scored (all, or the sample) */
  scored: number;
  /** page events of one placement at most (every seed; a failing one stops earlier) */
  perPlacement: number;
  total: number;
  /** the estimate in seconds at ESTIMATED_EVENTS_PER_SECOND */
  seconds: number;
}

/**
 * The work of analysing `placements` placements whose verification costs at most
 * `perPlacement` page events each (all seeds run), `sample` of them when given. The
 * small machine's exhaustive search is bounded separately (maxStates) and not counted.
 */
export function analyzeWork(placements: number, perPlacement: number, sample?: number): AnalyzeWork {
  const scored = sample === undefined ? placements : Math.min(sample, placements);
  const total = scored * perPlacement;
  return { placements, scored, perPlacement, total, seconds: total / ESTIMATED_EVENTS_PER_SECOND };
}

/** A duration estimate in words: "40 s", "12 min", "11 h". */
export function aboutDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * `n` distinct placement indices of `total`, drawn with a fixed seed (the same sample
 * every time), in ascending order; all of them when n >= total.
 */
export function sampleIndices(total: number, n: number, seed = 1): number[] {
  if (n >= total) return Array.from({ length: total }, (_, i) => i);
  let x = seed >>> 0;
  const next = () => { // mulberry32
    x = (x + 0x6d2b79f5) >>> 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const picked = new Set<number>();
  while (picked.size < n) picked.add(Math.floor(next() * total));
  return [...picked].sort((a, b) => a - b);
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
  /** passing placements no other passing placement beats on every metric of the level's par (ties kept; src/sim/ranking.ts) */
  pareto: ParetoPoint[];
  /** placements whose exhaustive search ran out of states (counted as not passing) */
  incomplete: number;
  /** when only a sample was scored: its size (passing, meetingPar, best, pareto are of the sample) */
  sampled?: number;
}

export interface AnalyzeOptions {
  /** called after each placement is scored */
  onProgress?: (done: number, total: number) => void;
  /** bound of the exhaustive search per placement (scoreLevel's default otherwise) */
  maxStates?: number;
  /** called with every placement and its verdict (passed, stars; a passing placement's par metrics) */
  onScore?: (hooks: Hook[], passed: boolean, stars: number, metrics?: ParMetrics) => void;
  /** score only the placements at these indices (sampleIndices), not all */
  sample?: readonly number[];
}

function parMetrics(m: Metrics): ParMetrics {
  const out = {} as ParMetrics;
  for (const k of PAR_METRICS) out[k] = m[k];
  return out;
}

const KEYS = [...PAR_METRICS, 'changes'] as const;

/** One seed's run of a placement, with what its sites without a hook saw (Engine.consulted). */
interface SeedRun {
  result: RunResult;
  consulted: Uint8Array;
  stopAtFirstFailure: boolean;
}

/** Placements whose runs analyzeLevel keeps for reuse, the latest ones (a miss only means a run). */
const REUSE_PLACEMENTS = 1024;

const placementKey = (hooks: readonly Hook[]) => hooks.map((h) => `${h.site}:${h.when ?? ''}`).join(',');

/**
 * The runs of the placements scored so far, and a runSeed for scoreLevel that reuses them:
 * a seed's run of `hooks` is the run of `hooks` without one hook h when h would have run
 * nowhere in it (hookInert), with the hook count of `hooks`; else the engine runs it.
 */
function runReuse(config: ReturnType<typeof levelConfig>) {
  const kept = new Map<string, Map<number, SeedRun>>();
  return (hooks: readonly Hook[]) => {
    const mine = new Map<number, SeedRun>();
    const count = placedHookCount(hooks);
    const parents: { h: Hook; runs: Map<number, SeedRun> }[] = [];
    for (let i = 0; i < hooks.length; i++) {
      const runs = kept.get(placementKey(hooks.filter((_, j) => j !== i)));
      if (runs) parents.push({ h: hooks[i]!, runs });
    }
    kept.set(placementKey(hooks), mine);
    if (kept.size > REUSE_PLACEMENTS) kept.delete(kept.keys().next().value!);
    return (seed: number, stopAtFirstFailure: boolean): RunResult => {
      for (const p of parents) {
        const r = p.runs.get(seed);
        if (r && r.stopAtFirstFailure === stopAtFirstFailure && hookInert(r.consulted, p.h)) {
          const result: RunResult = { ...r.result, metrics: { ...r.result.metrics, hooks: count } };
          mine.set(seed, { result, consulted: r.consulted, stopAtFirstFailure });
          return result;
        }
      }
      const e = new Engine(config, hooks, seed, stopAtFirstFailure ? { stopAtFirstFailure: true } : {});
      e.run();
      const result = resultOf(e, seed);
      mine.set(seed, { result, consulted: e.consulted, stopAtFirstFailure });
      return result;
    };
  };
}

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
  const count = placementCount(lv.sites, lv.kernel);
  const total = opts.sample ? opts.sample.length : count;
  const passing: ParetoPoint[] = [];
  let meetingPar = 0;
  let incomplete = 0;
  let done = 0;
  const order = opts.sample ? opts.sample.map((i) => placementAt(lv.sites, i, lv.kernel)) : placements(lv.sites, lv.kernel);
  const reuse = runReuse(levelConfig(lv));
  for (const hooks of order) {
    const s = scoreLevel(lv, hooks, { quick: true, runSeed: reuse(hooks), ...(opts.maxStates === undefined ? {} : { maxStates: opts.maxStates }) });
    if (s.incomplete) incomplete++;
    const metrics = s.passed ? parMetrics(s.metrics) : undefined;
    if (metrics && s.changes) metrics.changes = s.changes.count;
    opts.onScore?.(hooks, s.passed, s.stars, metrics);
    if (metrics) {
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
  return {
    id: lv.id, placements: count, passing: passing.length, meetingPar, best, pareto: paretoFront(passing, rankMetrics(lv.par)), incomplete,
    ...(opts.sample ? { sampled: opts.sample.length } : {}),
  };
}
