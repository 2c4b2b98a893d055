// What the engine says about one placement on one level: the verdict (scoreLevel), and,
// per hook site, how often it ran, what it did and for which workloads, plus every
// failure of every seed with the story of its page. The review rules (review.ts) only
// read this. Pure: no I/O; deterministic (seeds come from the level).
import { Engine } from '../sim/engine.js';
import { SITE_IDS, type SiteId, type WorkloadId } from '../sim/model.js';
import { meanMetrics, simulate } from '../sim/run.js';
import { hiddenSeeds, levelConfig, scoreLevel, type LevelScore, type ScorableLevel } from '../sim/score.js';
import type { FailureKind, Hook, Metrics, RunResult, SimConfig, TraceEvent } from '../sim/types.js';

/** Per-site facts of the placement, means per seed unless said otherwise. */
export interface SiteEvidence {
  site: SiteId;
  /** hook checks per seed with this hook placed alone (the engine's hookChecks) */
  callsAlone: number;
  /** the same, per workload */
  callsAloneBy: Partial<Record<WorkloadId, number>>;
  /** host operations per seed of the level (the denominator for "how hot") */
  hostOps: number;
  /** workloads that reached the placed hook on some seed (the engine's reached flags) */
  reachedBy: WorkloadId[];
  /** pages this hook exported / refused / destroyed, per seed, in the whole placement */
  exports: number;
  refusals: number;
  destroys: number;
  /** exports of this hook that nothing read before the guest imported the page back or it was freed */
  wasted: number;
  /** the same, per workload (sums over all seeds) */
  exportsBy: Partial<Record<WorkloadId, number>>;
  refusalsBy: Partial<Record<WorkloadId, number>>;
  /** kernel functions (as the engine names them) where this hook acted, with counts */
  fns: Record<string, number>;
}

/** One failure seen on a seed, with the events of its page up to it. */
export interface FailureEvidence {
  seed: number;
  hidden: boolean;
  kind: FailureKind;
  workload: WorkloadId;
  page: number;
  /** the hook site the engine charged the failure to, if any */
  site?: SiteId;
  fn: string;
  /** the page's events (this run) up to and including the failure, at most STORY_MAX */
  story: TraceEvent[];
}

export interface LeaveOneOut {
  hook: Hook;
  /** the placement without this hook, seeds only */
  passed: boolean;
  metrics: Metrics;
  failingWorkloads: WorkloadId[];
}

/** Pages one placed hook refused and another placed hook then checked and refused again
 * in the same operation (a fast walk's refusal retried by the slow walk), per seed. */
export interface RefusedAgain {
  first: SiteId;
  second: SiteId;
  /** per seed, all workloads */
  pages: number;
  byWorkload: Partial<Record<WorkloadId, number>>;
}

export interface Evidence {
  config: SimConfig;
  seeds: number;
  score: LevelScore;
  /** mean metrics per workload, all seeds (from scoreLevel) */
  workloads: Partial<Record<WorkloadId, Metrics>>;
  sites: Partial<Record<SiteId, SiteEvidence>>;
  /** every failure of every seed (capped per workload and kind), in seed order */
  failures: FailureEvidence[];
  /** workloads with a failure on some seed (or in the exhaustive counterexample) */
  failingWorkloads: WorkloadId[];
  leaveOneOut: LeaveOneOut[];
  refusedAgain: RefusedAgain[];
  /** mean metrics of the placement on the evidence seeds (score.metrics unless sampled) */
  baseline: Metrics;
  /** set when the level is too large for per-hook evidence on every seed at full size:
   * the per-hook facts come from `seeds` of `of` seeds, on a copy whose ops, touches and
   * pages are scaled by `scale` (1 = full size); the verdict is always the full one */
  sample?: { seeds: number; of: number; scale: number };
}

/**
 * Page events the per-hook evidence may take (traced runs, each hook alone, each hook left
 * out): about a second or two on one core. A level at verify's limit would otherwise take
 * (2 + 2 x hooks) times verify's work; such a level gets its evidence from fewer seeds, and
 * past one seed from a scaled copy, and the review says so.
 */
export const EVIDENCE_EVENTS = 4_000_000;
/** a traced run costs about this many untraced ones */
const TRACE_FACTOR = 5;

/** Page events of one run of a config (the engine's work, as verify's bound counts it). */
export function runEvents(cfg: SimConfig): number {
  let n = 0;
  for (const w of cfg.workloads) {
    if (w.kind === 'kvm_fault') n += w.touches ?? 2000;
    else if (w.kind === 'teardown') n += cfg.pages;
    else n += (w.ops ?? 300) * 6;
  }
  return Math.max(1, n);
}

/** The level the evidence runs on: all of it when it fits EVIDENCE_EVENTS, else fewer seeds, then a scaled copy. */
function evidenceLevel(lv: ScorableLevel, hooks: number): { lv: ScorableLevel; sample?: Evidence['sample'] } {
  const all = allSeeds(lv).map((s) => s.seed);
  const perSeed = runEvents(levelConfig(lv)) * (TRACE_FACTOR + 2 * hooks + 1);
  const fit = Math.floor(EVIDENCE_EVENTS / perSeed);
  if (fit >= all.length) return { lv };
  const seeds = all.slice(0, Math.max(1, fit));
  const scale = fit >= 1 ? 1 : EVIDENCE_EVENTS / perSeed;
  const sc = (x: number | undefined, d: number) => Math.max(1, Math.floor((x ?? d) * scale));
  const workloads = scale === 1 ? lv.workloads : lv.workloads.map((w) =>
    w.kind === 'kvm_fault' ? { ...w, touches: sc(w.touches, 2000) } : w.kind === 'teardown' ? w : { ...w, ops: sc(w.ops, 300) });
  const pages = scale === 1 ? lv.guest.pages : Math.max(8, Math.floor(lv.guest.pages * scale));
  const { exhaustive: _searched, ...seedsOnly } = lv; // the verdict searched it already
  return {
    lv: { ...seedsOnly, guest: { ...lv.guest, pages }, workloads, seeds: { visible: seeds, hidden: 0 } },
    sample: { seeds: seeds.length, of: all.length, scale: Math.round(scale * 1e4) / 1e4 },
  };
}

/** A device or the CPU reads or writes the page (the trace's device-* and cpu-access* actions). */
const reads = (action: string) => action.startsWith('device-') || action.startsWith('cpu-access');

const STORY_MAX = 12;
const PER_KIND_MAX = 3;

function allSeeds(lv: ScorableLevel): { seed: number; hidden: boolean }[] {
  return [
    ...lv.seeds.visible.map((seed) => ({ seed, hidden: false })),
    ...hiddenSeeds(lv).map((seed) => ({ seed, hidden: true })),
  ];
}

function emptySite(site: SiteId, hostOps: number): SiteEvidence {
  return { site, callsAlone: 0, callsAloneBy: {}, hostOps, reachedBy: [], exports: 0, refusals: 0, destroys: 0, wasted: 0, exportsBy: {}, refusalsBy: {}, fns: {} };
}

/** Host operations per seed the level asks for (ops of every host workload). */
function hostOpsOf(cfg: SimConfig): number {
  let n = 0;
  for (const w of cfg.workloads) {
    if (w.kind === 'kvm_fault' || w.kind === 'teardown') continue;
    n += w.ops ?? 0;
  }
  return n;
}

function failingOf(m: Partial<Record<WorkloadId, Metrics>>): WorkloadId[] {
  return (Object.keys(m) as WorkloadId[]).filter((w) => (m[w]!.ioErrors > 0 || m[w]!.crashes > 0));
}

/** Gather the engine's evidence for a placement on a level. */
export function gatherEvidence(full: ScorableLevel, hooks: readonly Hook[]): Evidence {
  const { lv, sample } = evidenceLevel(full, hooks.length);
  const config = levelConfig(lv);
  // The untraced runs of the placements below, per placement and seed, on the evidence
  // level: a placement asked for twice (a hook alone is also the placement without the
  // other of two hooks; with one hook, the placement itself) runs once. The engine is
  // deterministic: the same configuration, hooks and seed give the same run.
  const runs = new Map<string, Map<number, RunResult>>();
  const runSeed = (hs: readonly Hook[]) => {
    const key = JSON.stringify(hs);
    let byseed = runs.get(key);
    if (!byseed) runs.set(key, byseed = new Map());
    const mine = byseed;
    return (seed: number, stopAtFirstFailure = false): RunResult => {
      if (stopAtFirstFailure) return simulate(config, hs, seed, { counterexample: false, stopAtFirstFailure });
      let r = mine.get(seed);
      if (!r) mine.set(seed, r = simulate(config, hs, seed, { counterexample: false }));
      return r;
    };
  };
  // the verdict: on the full level (its runs shared only when the evidence level is the same)
  const score = scoreLevel(full, hooks, sample ? {} : { runSeed: runSeed(hooks) });
  const seeds = allSeeds(lv);
  const hostOps = hostOpsOf(config);
  const placed = [...new Set(hooks.map((h) => h.site))];
  const sites: Partial<Record<SiteId, SiteEvidence>> = {};
  for (const s of placed) sites[s] = emptySite(s, hostOps);

  // one traced run per seed: what each hook did, and every failure with its page's story
  const failures: FailureEvidence[] = [];
  const kept = new Map<string, number>();
  const reached = new Set<string>();
  const again = new Map<string, RefusedAgain>();
  for (const { seed, hidden } of seeds) {
    const e = new Engine(config, hooks, seed, { trace: true });
    e.run();
    const events = e.events ?? [];
    for (let w = 0; w < e.workloads.length; w++) {
      for (const s of placed) {
        if (e.reached[w * SITE_IDS.length + SITE_IDS.indexOf(s)]) reached.add(`${s}\u0000${e.workloads[w].id}`);
      }
    }
    const byPage = new Map<number, TraceEvent[]>();
    // an export by a placed hook stays pending until a device or the CPU reads the page;
    // an import or a free before that wastes it (the engine's own rule, per site)
    const pending = new Map<number, SiteId>();
    // a refusal by a placed hook that the operation goes on from (no outcome yet), by actor and page
    const refused = new Map<string, SiteId>();
    for (const ev of events) {
      const op = `${ev.actor}\u0000${ev.page}`;
      if (ev.action === 'hook-fails' && ev.site && sites[ev.site]) {
        const prev = refused.get(op);
        if (prev && prev !== ev.site) {
          const k = `${prev}\u0000${ev.site}`;
          let a = again.get(k);
          if (!a) again.set(k, a = { first: prev, second: ev.site, pages: 0, byWorkload: {} });
          a.pages++;
          a.byWorkload[ev.workload] = (a.byWorkload[ev.workload] ?? 0) + 1;
        }
        if (ev.outcome) refused.delete(op); else refused.set(op, ev.site);
      } else if (ev.outcome || reads(ev.action) || ev.action.startsWith('free')) {
        refused.delete(op);
      }
      if (ev.action === 'export') {
        if (ev.site && sites[ev.site]) pending.set(ev.page, ev.site); else pending.delete(ev.page);
      } else if (reads(ev.action)) {
        pending.delete(ev.page);
      } else if (ev.action === 'import' || ev.action === 'free') {
        const x = pending.get(ev.page);
        if (x) { sites[x]!.wasted++; pending.delete(ev.page); }
      }
      let list = byPage.get(ev.page);
      if (!list) byPage.set(ev.page, list = []);
      list.push(ev);
      if (list.length > 2 * STORY_MAX) list.splice(0, list.length - STORY_MAX); // only the last STORY_MAX are ever read
      if (ev.site && sites[ev.site]) {
        const se = sites[ev.site]!;
        if (ev.action === 'export' || ev.action === 'hook-fails' || ev.action === 'destroy') {
          se.fns[ev.fn] = (se.fns[ev.fn] ?? 0) + 1;
        }
        if (ev.action === 'export') { se.exports++; se.exportsBy[ev.workload] = (se.exportsBy[ev.workload] ?? 0) + 1; }
        else if (ev.action === 'hook-fails') { se.refusals++; se.refusalsBy[ev.workload] = (se.refusalsBy[ev.workload] ?? 0) + 1; }
        else if (ev.action === 'destroy') se.destroys++;
      }
      if (ev.outcome && ev.outcome !== 'clean-error') {
        const key = `${ev.workload}\u0000${ev.outcome}`;
        const n = kept.get(key) ?? 0;
        if (n < PER_KIND_MAX) {
          kept.set(key, n + 1);
          failures.push({
            seed, hidden, kind: ev.outcome, workload: ev.workload, page: ev.page, fn: ev.fn,
            ...(ev.site ? { site: ev.site } : {}),
            story: list.slice(-STORY_MAX),
          });
        }
      }
    }
  }
  const n = seeds.length;
  const refusedAgain = [...again.values()].map((a) => ({
    ...a, pages: round(a.pages / n),
    byWorkload: Object.fromEntries(Object.entries(a.byWorkload).map(([w, c]) => [w, round(c / n)])) as Partial<Record<WorkloadId, number>>,
  })).sort((a, b) => b.pages - a.pages);
  for (const s of placed) {
    const se = sites[s]!;
    se.exports = round(se.exports / n); se.refusals = round(se.refusals / n); se.destroys = round(se.destroys / n);
    se.wasted = round(se.wasted / n);
    se.reachedBy = config.workloads.map((w) => w.kind).filter((w) => reached.has(`${s}\u0000${w}`));
    // how hot the site is: the engine's hook checks with this hook alone
    const alone = hooks.filter((h) => h.site === s);
    const run = runSeed(alone);
    const aloneRuns = seeds.map(({ seed }) => run(seed));
    se.callsAlone = meanMetrics(aloneRuns.map((r) => r.metrics)).hookChecks;
    for (const w of config.workloads.map((x) => x.kind)) {
      const c = meanMetrics(aloneRuns.map((r) => r.workloads[w]!)).hookChecks;
      if (c > 0) se.callsAloneBy[w] = c;
    }
  }

  // leave one out: is each hook needed, and what does it cost? (seeds only)
  const leaveOneOut: LeaveOneOut[] = hooks.map((h) => {
    const rest = hooks.filter((x) => x !== h);
    const v = scoreLevel(lv, rest, { exhaustive: false, runSeed: runSeed(rest) });
    return { hook: h, passed: v.passed, metrics: v.metrics, failingWorkloads: failingOf(v.workloads) };
  });
  const baseline = sample ? scoreLevel(lv, hooks, { exhaustive: false, runSeed: runSeed(hooks) }).metrics : score.metrics;

  const failingWorkloads = failingOf(score.workloads);
  const cxw = score.counterexample?.failure.workload;
  if (cxw && !failingWorkloads.includes(cxw)) failingWorkloads.push(cxw);
  return { config, seeds: n, score, workloads: score.workloads, sites, failures, failingWorkloads, leaveOneOut, refusedAgain, baseline, ...(sample ? { sample } : {}) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
