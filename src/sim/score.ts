// The one rule that decides whether a solution passes a level, and with how many stars.
// Every caller (verify, board, the game's results screen, analyze, bench, patch) scores
// through scoreLevel(), so they can never disagree. Pure: no I/O.
import { DEFAULT_SMALL, exhaustiveCheck, type ExhaustiveResult, type SmallConfig } from './exhaustive.js';
import { SITES, type ArchId, type Costs, type DeviceId, type KernelId, type SiteId, type When } from './model.js';
import type { Hook, SimConfig, WorkloadSpec } from './types.js';
import { compareToPar, starsFor, type Par, type VerifyInput, type VerifyResult, verify } from './verify.js';

/** What scoring needs of a level (the level file's schema is a superset). */
export interface ScorableLevel {
  id: string;
  arch: ArchId;
  kernel: KernelId;
  device: DeviceId;
  guest: { pages: number; shared: number };
  workloads: readonly WorkloadSpec[];
  seeds: { visible: readonly number[]; hidden: number };
  /** par; `changes` (review levels): at most this many changes to the start placement */
  par?: Par & { changes?: number };
  /** review levels: the placement the player starts from */
  start?: readonly { site: SiteId | string; when?: string | undefined }[];
  costs?: Partial<Costs>;
  maxInFlight?: number;
  /** the small machine searched exhaustively on top of the seeds */
  exhaustive?: SmallConfig;
}

/** The engine configuration a level describes. */
export function levelConfig(lv: ScorableLevel): SimConfig {
  return {
    arch: lv.arch,
    kernel: lv.kernel,
    device: lv.device,
    pages: lv.guest.pages,
    shared: lv.guest.shared,
    workloads: lv.workloads as WorkloadSpec[],
    ...(lv.costs ? { costs: lv.costs } : {}),
    ...(lv.maxInFlight ? { maxInFlight: lv.maxInFlight } : {}),
  };
}

/**
 * Hidden seeds: derived from the level id, so they are the same on every machine
 * but are not written in the level file.
 */
export function hiddenSeeds(lv: { id: string; seeds: { hidden: number } }): number[] {
  const out: number[] = [];
  let h = 0x811c9dc5;
  for (let i = 0; i < lv.id.length; i++) h = Math.imul(h ^ lv.id.charCodeAt(i), 0x01000193);
  for (let i = 0; i < lv.seeds.hidden; i++) {
    h = Math.imul(h ^ (i + 0x9e37), 0x01000193) >>> 0;
    let x = h;
    x ^= x >>> 16; x = Math.imul(x, 0x7feb352d); x ^= x >>> 15; x = Math.imul(x, 0x846ca68b); x ^= x >>> 16;
    out.push(x >>> 0);
  }
  return out;
}

/** A solution file's hooks as engine hooks (`when` kept only where given). */
export function hooksOf(list: readonly { site: SiteId | string; when?: string | undefined }[]): Hook[] {
  return list.map((h) => (h.when ? { site: h.site as SiteId, when: h.when as When } : { site: h.site as SiteId }));
}

export interface ScoreOptions {
  /** search the small machine exhaustively: default, when the level declares one */
  exhaustive?: boolean;
  /** bound of the exhaustive search (default: exhaustiveCheck's) */
  maxStates?: number;
  /**
   * The verdict and stars only, as fast as possible (analyze): stop at the first failing
   * seed, build no counterexample, and search the small machine only when every seed
   * passed. `passed` and `stars` are the same as without it; a failing placement's
   * `seeds` and `metrics` then cover only the seeds that ran.
   */
  quick?: boolean;
  /** how one seed runs (verify's runSeed: analyze's reuse of equivalent runs) */
  runSeed?: VerifyInput['runSeed'];
}

export interface LevelExhaustive {
  /** the small configuration: the level's own `exhaustive` block, or the default */
  small: SmallConfig;
  declared: boolean;
  result: ExhaustiveResult;
}

/**
 * Changes from one placement to another: hooks added, removed, or given another `when`
 * (a hook without `when` has its site's default).
 */
export function changesBetween(from: readonly Hook[], to: readonly Hook[]): number {
  const key = (h: Hook) => h.when ?? SITES[h.site].when[0] ?? '';
  let n = 0;
  for (const h of to) {
    const o = from.find((x) => x.site === h.site);
    if (!o || key(o) !== key(h)) n++;
  }
  for (const o of from) if (!to.some((h) => h.site === o.site)) n++;
  return n;
}

export interface LevelScore extends VerifyResult {
  /** the verdict: every seed passed AND (when searched) the exhaustive search finished and passed */
  passed: boolean;
  /** every seed passed (the exhaustive search aside) */
  seedsPassed: boolean;
  /** the exhaustive search, when one ran */
  exhaustive?: LevelExhaustive;
  /** the exhaustive search ran out of states before it finished: no verdict can be given */
  incomplete?: boolean;
  /** review levels: changes from the start placement, and whether they are within par */
  changes?: { count: number; par?: number; met: boolean };
}

/**
 * Score a placement on a level: every visible and hidden seed, then (when the level
 * declares a small machine, or `exhaustive` asks) every interleaving of that machine.
 * Passing means both pass; stars are 0 unless it passes. When the seeds pass but the
 * exhaustive search fails, the counterexample is the search's (a shortest schedule).
 */
export function scoreLevel(lv: ScorableLevel, hooks: readonly Hook[], opts: ScoreOptions = {}): LevelScore {
  const config = levelConfig(lv);
  const quick = opts.quick === true;
  const v = verify({ config, hooks, visibleSeeds: lv.seeds.visible, hiddenSeeds: hiddenSeeds(lv), par: lv.par ?? {}, ...(quick ? { quick } : {}), ...(opts.runSeed ? { runSeed: opts.runSeed } : {}) });
  const res: LevelScore = { ...v, seedsPassed: v.passed };
  if (lv.start) {
    const count = changesBetween(hooksOf(lv.start), hooks);
    const par = lv.par?.changes;
    const met = par === undefined || count <= par;
    res.changes = { count, ...(par === undefined ? {} : { par }), met };
    if (!met) {
      res.allPar = false;
      res.stars = starsFor(res.passed, res.meetsPar, false);
    }
  }
  const search = (opts.exhaustive ?? lv.exhaustive !== undefined) && !(quick && !v.passed);
  if (!search) return res;
  const declared = lv.exhaustive !== undefined;
  const small: SmallConfig = lv.exhaustive ?? { ...DEFAULT_SMALL };
  const result = exhaustiveCheck(config, hooks, small, opts.maxStates === undefined ? {} : { maxStates: opts.maxStates });
  res.exhaustive = { small, declared, result };
  if (!result.complete) res.incomplete = true;
  if (!result.passed) {
    res.passed = false;
    res.stars = 0;
    if (v.passed) {
      res.exhaustiveFailed = true;
      if (result.counterexample) res.counterexample = result.counterexample;
    }
  }
  return res;
}

/** Stars and par for metrics that were measured elsewhere (one seed of `run`). */
export { compareToPar };
