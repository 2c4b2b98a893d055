// Running the engine: one seed, many seeds, counterexamples (shrunk schedules).
import { Engine } from './engine.js';
import type { WorkloadId } from './model.js';
import {
  METRIC_KEYS, type Choice, type Counterexample, type Failure, type Hook, type Metrics,
  type RunResult, type SimConfig,
} from './types.js';

export interface SimulateOptions {
  /** build a shrunk counterexample when the run fails (default true) */
  counterexample?: boolean;
  /** stop the run at its first failure (metrics then cover only the run up to it; a passing run is unchanged) */
  stopAtFirstFailure?: boolean;
}

/** Run one seed to completion. Deterministic: same inputs, same result. */
export function simulate(cfg: SimConfig, hooks: readonly Hook[], seed: number, opts: SimulateOptions = {}): RunResult {
  const e = new Engine(cfg, hooks, seed, opts.stopAtFirstFailure ? { stopAtFirstFailure: true } : {});
  e.run();
  const res = resultOf(e, seed);
  if (!res.passed && opts.counterexample !== false) {
    res.counterexample = counterexample(cfg, hooks, seed) ?? undefined;
  }
  return res;
}

/** The pass rule of one run: no I/O error, no crash, no secure page freed to the host ([R10]). */
export function broke(m: Pick<Metrics, 'ioErrors' | 'crashes' | 'freedSecure'>): boolean {
  return m.ioErrors > 0 || m.crashes > 0 || m.freedSecure > 0;
}

export function resultOf(e: Engine, seed: number): RunResult {
  const metrics = e.totals();
  const workloads: Partial<Record<WorkloadId, Metrics>> = {};
  for (let w = 0; w < e.workloads.length; w++) workloads[e.workloads[w].id] = e.metricsOf(w);
  const res: RunResult = {
    seed,
    passed: !broke(metrics),
    metrics,
    workloads,
  };
  if (e.firstFailure) res.firstFailure = e.firstFailure;
  return res;
}

function sameFailure(a: Failure | null, b: Failure): boolean {
  return a !== null && a.kind === b.kind && a.page === b.page && a.workload === b.workload;
}

/** Does this script reproduce the failure? */
export function reproduces(cfg: SimConfig, hooks: readonly Hook[], script: readonly Choice[], f: Failure): boolean {
  const e = new Engine(cfg, hooks, 0, { stopAtFirstFailure: true });
  e.replay(script);
  return sameFailure(e.firstFailure, f);
}

/** Replay a script with tracing on. */
export function traceScript(cfg: SimConfig, hooks: readonly Hook[], script: readonly Choice[]): Engine {
  const e = new Engine(cfg, hooks, 0, { stopAtFirstFailure: true, trace: true });
  e.replay(script);
  return e;
}

function touches(c: Choice, page: number, ids: Set<number>): boolean {
  switch (c.t) {
    case 'start': if (c.page === page) { ids.add(c.id); return true; } return false;
    case 'step': return ids.has(c.id);
    case 'guest': return c.page === page;
    case 'teardown': return c.page === page;
  }
}

/**
 * The script without choices [from, to); removing a start removes every step of that
 * instance too (a step of a removed instance would be ignored anyway).
 */
function withoutRange(script: readonly Choice[], from: number, to: number): Choice[] {
  const gone = new Set<number>();
  for (let i = from; i < to; i++) {
    const c = script[i];
    if (c.t === 'start') gone.add(c.id);
  }
  const out: Choice[] = [];
  for (let i = 0; i < script.length; i++) {
    if (i >= from && i < to) continue;
    const c = script[i];
    if (c.t === 'step' && gone.has(c.id)) continue;
    out.push(c);
  }
  return out;
}

/**
 * Shrinking replays at most this many choices per choice of the recorded run (plus
 * SHRINK_BASE_WORK): the work of a counterexample is linear in the run's length, never
 * quadratic. Level cost estimates count it (src/io/schema.ts).
 */
export const SHRINK_WORK_FACTOR = 24;
export const SHRINK_BASE_WORK = 200_000;

/**
 * Delta debugging (ddmin, complement-only): try deleting chunks of the script, halving
 * the chunk size when no chunk can go, from half the script down to single choices;
 * every replay stops at the first failure. Bounded by `budget` choices replayed in all:
 * when the budget runs out the script found so far is kept (it still reproduces, it
 * may just not be the shortest).
 */
export function shrinkScript(script: readonly Choice[], still: (s: readonly Choice[]) => boolean, budget: number): Choice[] {
  let cur = [...script];
  let work = 0;
  let chunk = Math.max(1, Math.ceil(cur.length / 2));
  while (cur.length > 1) {
    let changed = false;
    // from the end: late choices are the likeliest to be irrelevant to the failure
    for (let to = cur.length; to > 0; ) {
      const from = Math.max(0, to - chunk);
      const cand = withoutRange(cur, from, to);
      work += cand.length;
      if (work > budget) return cur;
      if (cand.length > 0 && still(cand)) {
        cur = cand;
        changed = true;
        to = Math.min(from, cur.length);
      } else {
        to = from;
      }
    }
    if (chunk === 1 && !changed) break;
    if (!changed) chunk = Math.ceil(chunk / 2);
    else chunk = Math.min(chunk, Math.max(1, Math.ceil(cur.length / 2)));
  }
  return cur;
}

/**
 * Memory bounds of a counterexample, whatever the run's length: the recording keeps the
 * last RECORD_LIMIT scheduler choices before the failure (a ring), and the trace covers
 * the last TRACE_LIMIT choices of the shrunk schedule. Campaign runs make a few thousand
 * choices, far below both: their counterexamples are built from the whole run.
 */
export const RECORD_LIMIT = 1 << 18;
export const TRACE_LIMIT = 4096;

/**
 * The shortest schedule we can find that still shows the first failure of this seed:
 * record the run up to the failure, keep only choices on the failing page, then shrink
 * by delta debugging within a work budget linear in the run's length. A run longer than
 * RECORD_LIMIT choices is recorded only in its last RECORD_LIMIT, replayed from the
 * start state: the schedule is kept when it still shows the failure (it says so in
 * `truncated`), else there is no counterexample.
 */
export function counterexample(cfg: SimConfig, hooks: readonly Hook[], seed: number): Counterexample | null {
  const rec = new Engine(cfg, hooks, seed, { recordChoices: RECORD_LIMIT, stopAtFirstFailure: true });
  rec.run();
  const f = rec.firstFailure;
  if (!f || !rec.log) return null;
  const all = rec.log.toArray();
  const truncated = rec.log.made > all.length;
  const ids = new Set<number>();
  let script: Choice[] = all.filter((c) => touches(c, f.page, ids));
  if (!reproduces(cfg, hooks, script, f)) {
    // the whole recorded run shows it (a replay of the seed's choices), unless only its end is recorded
    if (truncated && !reproduces(cfg, hooks, all, f)) return null;
    script = all;
  }
  script = shrinkScript(script, (s) => reproduces(cfg, hooks, s, f), SHRINK_BASE_WORK + SHRINK_WORK_FACTOR * all.length);
  const traceFrom = script.length > TRACE_LIMIT ? Math.max(0, failingStep(cfg, hooks, script) - TRACE_LIMIT) : 0;
  const t = traceFrom > 0 ? new Engine(cfg, hooks, 0, { stopAtFirstFailure: true, trace: true, traceFrom }) : null;
  const traced = t ? (t.replay(script), t) : traceScript(cfg, hooks, script);
  const events = traced.events ?? [];
  const end = events.findIndex((e) => e.outcome !== undefined && e.outcome !== 'clean-error');
  // the failing step may go on after the failure (e.g. a zap after a failed hook): stop the story there
  const cx: Counterexample = { seed, failure: traced.firstFailure ?? f, schedule: script, trace: end >= 0 ? events.slice(0, end + 1) : events };
  if (truncated) cx.truncated = { last: all.length, of: rec.log.made };
  if (traceFrom > 0) cx.traceFrom = traceFrom;
  return cx;
}

/** The scheduler choice (1-based) of a script at which its replay stops on the first failure. */
function failingStep(cfg: SimConfig, hooks: readonly Hook[], script: readonly Choice[]): number {
  const e = new Engine(cfg, hooks, 0, { stopAtFirstFailure: true });
  e.replay(script);
  return e.steps;
}

/** Mean of metrics over several runs (verify across seeds); hooks is the same for all. */
export function meanMetrics(list: readonly Metrics[]): Metrics {
  const out = {} as Metrics;
  for (const k of METRIC_KEYS) out[k] = 0;
  for (const m of list) for (const k of METRIC_KEYS) out[k] += m[k];
  const n = Math.max(1, list.length);
  for (const k of METRIC_KEYS) out[k] = Math.round((out[k] / n) * 1000) / 1000;
  if (list.length) out.hooks = list[0].hooks;
  return out;
}
