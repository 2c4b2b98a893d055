// Verification of a solution over many seeds and comparison with par. Pure.
import type { WorkloadId } from './model.js';
import { meanMetrics, simulate } from './run.js';
import type { Counterexample, Hook, Metrics, RunResult, SimConfig } from './types.js';

export const PAR_METRICS = ['cost', 'exports', 'imports', 'wastedExports', 'hooks', 'guestStall', 'hostOverhead'] as const;
export type ParMetric = (typeof PAR_METRICS)[number];
export type Par = Partial<Record<ParMetric, number>>;

export interface SeedOutcome {
  seed: number;
  hidden: boolean;
  passed: boolean;
  ioErrors: number;
  crashes: number;
  freedSecure: number;
}

export interface VerifyResult {
  passed: boolean;
  seeds: SeedOutcome[];
  /** mean over all seeds */
  metrics: Metrics;
  workloads: Partial<Record<WorkloadId, Metrics>>;
  par: Par;
  /** per par metric: met (value <= par) */
  meetsPar: Partial<Record<ParMetric, boolean>>;
  allPar: boolean;
  stars: 0 | 1 | 2 | 3;
  counterexample?: Counterexample;
  /** set when every seed passed but the exhaustive search of the level's small machine failed */
  exhaustiveFailed?: boolean;
}

export interface VerifyInput {
  config: SimConfig;
  hooks: readonly Hook[];
  visibleSeeds: readonly number[];
  hiddenSeeds: readonly number[];
  par?: Par;
  /**
   * Stop at the first failing seed, without a counterexample: the verdict is the same,
   * `seeds` and `metrics` then cover only the seeds run (for searches over many placements).
   */
  quick?: boolean;
  /**
   * How one seed runs: a run equal to simulate(config, hooks, seed, { counterexample:
   * false, stopAtFirstFailure }) (the default). analyze passes one that reuses the run of
   * a placement it proved equivalent (src/sim/analyze.ts).
   */
  runSeed?: (seed: number, stopAtFirstFailure: boolean) => RunResult;
}

export function compareToPar(m: Metrics, par: Par): { meetsPar: Partial<Record<ParMetric, boolean>>; allPar: boolean } {
  const meetsPar: Partial<Record<ParMetric, boolean>> = {};
  let allPar = true;
  for (const k of PAR_METRICS) {
    const p = par[k];
    if (p === undefined) continue;
    meetsPar[k] = m[k] <= p + 1e-9;
    if (!meetsPar[k]) allPar = false;
  }
  return { meetsPar, allPar };
}

/** 0: failed; 1: passed; 2: passed and within par on cost; 3: passed and within every par. */
export function starsFor(passed: boolean, meetsPar: Partial<Record<ParMetric, boolean>>, allPar: boolean): 0 | 1 | 2 | 3 {
  if (!passed) return 0;
  if (allPar) return 3;
  return meetsPar.cost === false ? 1 : 2;
}

export function verify(input: VerifyInput): VerifyResult {
  const runs: RunResult[] = [];
  const seeds: SeedOutcome[] = [];
  let firstFail: { seed: number } | null = null;
  const all = [
    ...input.visibleSeeds.map((s) => ({ seed: s, hidden: false })),
    ...input.hiddenSeeds.map((s) => ({ seed: s, hidden: true })),
  ];
  for (const { seed, hidden } of all) {
    const r = input.runSeed ? input.runSeed(seed, input.quick === true)
      : simulate(input.config, input.hooks, seed, { counterexample: false, ...(input.quick ? { stopAtFirstFailure: true } : {}) });
    runs.push(r);
    seeds.push({ seed, hidden, passed: r.passed, ioErrors: r.metrics.ioErrors, crashes: r.metrics.crashes, freedSecure: r.metrics.freedSecure });
    if (!r.passed && !firstFail) firstFail = { seed };
    if (firstFail && input.quick) break;
  }
  const metrics = meanMetrics(runs.map((r) => r.metrics));
  const workloads: Partial<Record<WorkloadId, Metrics>> = {};
  for (const id of Object.keys(runs[0]?.workloads ?? {}) as WorkloadId[]) {
    workloads[id] = meanMetrics(runs.map((r) => r.workloads[id]!));
  }
  const passed = firstFail === null;
  const par = input.par ?? {};
  const { meetsPar, allPar } = compareToPar(metrics, par);
  const res: VerifyResult = {
    passed, seeds, metrics, workloads, par, meetsPar, allPar,
    stars: starsFor(passed, meetsPar, allPar),
  };
  if (firstFail && !input.quick) {
    const r = simulate(input.config, input.hooks, firstFail.seed);
    if (r.counterexample) res.counterexample = r.counterexample;
  }
  return res;
}
