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

export function resultOf(e: Engine, seed: number): RunResult {
  const metrics = e.totals();
  const workloads: Partial<Record<WorkloadId, Metrics>> = {};
  for (let w = 0; w < e.wl.length; w++) workloads[e.wl[w].id] = e.metricsOf(w);
  const res: RunResult = {
    seed,
    passed: metrics.ioErrors === 0 && metrics.crashes === 0,
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

/** Remove choice i; removing a start removes every step of that instance too. */
function without(script: readonly Choice[], i: number): Choice[] {
  const c = script[i];
  if (c.t === 'start') return script.filter((x, j) => j !== i && !(x.t === 'step' && x.id === c.id));
  return script.filter((_, j) => j !== i);
}

/**
 * The shortest schedule we can find that still shows the first failure of this seed:
 * record the run up to the failure, keep only choices on the failing page, then delete
 * choices one at a time while the failure still reproduces (a greedy ddmin).
 */
export function counterexample(cfg: SimConfig, hooks: readonly Hook[], seed: number): Counterexample | null {
  const rec = new Engine(cfg, hooks, seed, { recordChoices: true, stopAtFirstFailure: true });
  rec.run();
  const f = rec.firstFailure;
  if (!f || !rec.choices) return null;
  const all = rec.choices;
  const ids = new Set<number>();
  let script: Choice[] = all.filter((c) => touches(c, f.page, ids));
  if (!reproduces(cfg, hooks, script, f)) script = all;
  // greedy one-at-a-time deletion, from the end, until a fixpoint (bounded)
  for (let pass = 0; pass < 8; pass++) {
    let changed = false;
    for (let i = script.length - 1; i >= 0; i--) {
      if (i >= script.length) continue;
      const cand = without(script, i);
      if (reproduces(cfg, hooks, cand, f)) { script = cand; changed = true; }
    }
    if (!changed) break;
  }
  const t = traceScript(cfg, hooks, script);
  const events = t.events ?? [];
  const end = events.findIndex((e) => e.outcome !== undefined && e.outcome !== 'clean-error');
  // the failing step may go on after the failure (e.g. a zap after a failed hook): stop the story there
  return { seed, failure: t.firstFailure ?? f, schedule: script, trace: end >= 0 ? events.slice(0, end + 1) : events };
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
