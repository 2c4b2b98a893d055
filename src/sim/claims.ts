// A level's comparative claims as data. A trap note, a hint or an epilogue sentence that
// says "more guest stall than the bio hook", "wastes exports" or "never reached" names the
// metric and the comparison it asserts in the level's `claims`, and the campaign tests run
// the engine on the level's seeds and fail when a claim is false (test/levels/claims.test.ts).
// A claim about the player's own run (`of: "run"`, trap notes only) is also checked on the
// results screen before the note is shown. Pure: runs the engine, no I/O.
import { SITE_IDS, type SiteId } from './model.js';
import { meanMetrics, resultOf } from './run.js';
import { Engine } from './engine.js';
import { DEFAULT_SMALL, exhaustiveCheck } from './exhaustive.js';
import { hiddenSeeds, levelConfig, type ScorableLevel } from './score.js';
import type { Hook, Metrics, TraceEvent } from './types.js';

export const CLAIM_OPS = ['<', '<=', '=', '>=', '>'] as const;
export type ClaimOp = (typeof CLAIM_OPS)[number];

/** Metrics a claim can name: the run's means per seed, plus counts over the level's seeds. */
export const CLAIM_METRICS = [
  'cost', 'exports', 'imports', 'wastedExports', 'destroys', 'hookChecks', 'exceptions', 'guestStall',
  'hostOverhead', 'ioErrors', 'crashes', 'freedSecure', 'cleanErrors', 'ciphertextReads',
  /** seeds (visible and hidden) on which the placement fails */
  'failedSeeds',
  /** 1 when the exhaustive search of the level's small machine (or the default one) fails: a race the seeds may miss */
  'searchFails',
  /** per site (`site` given): seeds on which a workload reached the placed hook */
  'reachedSeeds',
  /** per site: pages the placed hook exported / refused, per seed */
  'siteExports', 'siteRefusals',
] as const;
export type ClaimMetric = (typeof CLAIM_METRICS)[number];

/** A placement a claim measures: hooks, the level's reference solution, or the player's run. */
export type ClaimPlacement = readonly Hook[] | 'reference' | 'run';

export interface LevelClaim {
  /** the text the claim backs: `trap:<site>` or `trap:<site>:<when>`, `hint:<n>` (from 1), `epilogue`, `briefing` */
  about: string;
  /** words of that text the claim backs (they must appear in it, verbatim) */
  says: string;
  metric: ClaimMetric;
  /** the site of a per-site metric */
  site?: SiteId | undefined;
  /** the placement measured; `run` (trap notes only) is the player's, checked on the trap's placement in tests */
  of: ClaimPlacement;
  is: ClaimOp;
  /** a number, `par` (the level's par of that metric), or another placement */
  than: number | 'par' | readonly Hook[] | 'reference';
}

/** What the engine shows of one placement on all the level's seeds. */
export interface ClaimFacts {
  metrics: Metrics;
  failedSeeds: number;
  /** NaN unless the search was asked for */
  searchFails: number;
  reachedSeeds: Partial<Record<SiteId, number>>;
  siteExports: Partial<Record<SiteId, number>>;
  siteRefusals: Partial<Record<SiteId, number>>;
}

/**
 * Run a placement on every seed of the level (visible and hidden) and collect what claims
 * name; `perSite` also traces the runs to count each placed hook's exports and refusals.
 */
export function claimFacts(lv: ScorableLevel, hooks: readonly Hook[], perSite = false, search = false): ClaimFacts {
  const cfg = levelConfig(lv);
  const seeds = [...lv.seeds.visible, ...hiddenSeeds(lv)];
  const reachedSeeds: Partial<Record<SiteId, number>> = {};
  const siteExports: Partial<Record<SiteId, number>> = {};
  const siteRefusals: Partial<Record<SiteId, number>> = {};
  for (const h of hooks) { reachedSeeds[h.site] = 0; siteExports[h.site] = 0; siteRefusals[h.site] = 0; }
  const n = SITE_IDS.length;
  const runs = seeds.map((seed) => {
    // per-site counts as the events happen (none is kept: memory does not grow with the run)
    const onEvent = (ev: TraceEvent) => {
      if (!ev.site || reachedSeeds[ev.site] === undefined) return;
      if (ev.action === 'export') siteExports[ev.site]!++;
      else if (ev.action === 'hook-fails') siteRefusals[ev.site]!++;
    };
    const e = new Engine(cfg, hooks, seed, perSite ? { onEvent } : {});
    e.run();
    for (const h of hooks) {
      const i = SITE_IDS.indexOf(h.site);
      if (e.workloads.some((_, w) => e.reached[w * n + i] === 1)) reachedSeeds[h.site]!++;
    }
    return resultOf(e, seed);
  });
  for (const h of hooks) { siteExports[h.site]! /= seeds.length; siteRefusals[h.site]! /= seeds.length; }
  const searchFails = search ? (exhaustiveCheck(cfg, hooks, lv.exhaustive ?? DEFAULT_SMALL).passed ? 0 : 1) : NaN;
  return { metrics: meanMetrics(runs.map((r) => r.metrics)), failedSeeds: runs.filter((r) => !r.passed).length, searchFails, reachedSeeds, siteExports, siteRefusals };
}

/** The value of a claim's metric in some facts (NaN for a per-site metric of a site not placed). */
export function factValue(f: ClaimFacts, metric: ClaimMetric, site?: SiteId): number {
  switch (metric) {
    case 'failedSeeds': return f.failedSeeds;
    case 'searchFails': return f.searchFails;
    case 'reachedSeeds': return site ? f.reachedSeeds[site] ?? NaN : NaN;
    case 'siteExports': return site ? f.siteExports[site] ?? NaN : NaN;
    case 'siteRefusals': return site ? f.siteRefusals[site] ?? NaN : NaN;
    default: return f.metrics[metric];
  }
}

/** a op b, with a small tolerance for means */
export function compare(a: number, op: ClaimOp, b: number): boolean {
  const eps = 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  switch (op) {
    case '<': return a < b - eps;
    case '<=': return a <= b + eps;
    case '=': return Math.abs(a - b) <= eps;
    case '>=': return a >= b - eps;
    case '>': return a > b + eps;
  }
}

/** The claims of a level about one trap note (`trap:<site>` matches a trap without `when`). */
export function trapClaims(claims: readonly LevelClaim[] | undefined, trap: { site: SiteId; when?: string | undefined }): LevelClaim[] {
  const key = `trap:${trap.site}${trap.when ? `:${trap.when}` : ''}`;
  return (claims ?? []).filter((c) => c.about === key);
}

/**
 * Does a claim about the player's run hold for these mean metrics? Only claims with
 * `of: "run"` and a number or `par` to compare with can be checked without another run;
 * other claims are static facts of the level, checked by the tests (true here).
 */
export function runClaimHolds(c: LevelClaim, metrics: Metrics, par: Partial<Record<string, number>>): boolean {
  if (c.of !== 'run' || (typeof c.than !== 'number' && c.than !== 'par')) return true;
  if (c.metric === 'failedSeeds' || c.metric === 'searchFails' || c.metric === 'reachedSeeds' || c.metric === 'siteExports' || c.metric === 'siteRefusals') return true;
  const than = c.than === 'par' ? par[c.metric] : c.than;
  if (than === undefined) return true;
  return compare(metrics[c.metric], c.is, than);
}
