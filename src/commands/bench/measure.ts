// The in-process measurements of `pvlab bench`: simulation throughput on a fixed mix of
// every workload at three guest sizes (against a bare loop over the same page arrays), the
// time to verify the campaign's reference solutions on all their seeds, and the speed of
// the exhaustive search. Wall-clock figures live here and in game.ts only; printing is
// bench.ts's.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCampaign, loadSolutionFile } from '../../io/files.js';
import { solutionHooks } from '../../io/schema.js';
import { levelConfig, scoreLevel } from '../../sim/score.js';
import { Engine } from '../../sim/engine.js';
import { exhaustiveCheck, type SmallConfig } from '../../sim/exhaustive.js';
import { WORKLOAD_IDS } from '../../sim/model.js';
import type { Hook, SimConfig } from '../../sim/types.js';

export const round1 = (x: number) => Math.round(x * 10) / 10;

const HOOKS: Hook[] = [
  { site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' },
  { site: 'ptep_clear', when: 'live' }, { site: 'splice' },
];

export const BENCH_PAGES = [1024, 65536, 1 << 20] as const;
export const BENCH_EVENTS = 4_000_000;

/** The fixed mix: every workload, ~`events` page events in all (plus one a page at teardown). */
export function benchConfig(pages: number, events: number): SimConfig {
  const perHostWorkload = Math.round(events / 14 / 4);
  return {
    arch: 's390-pv', kernel: '6.5', device: 'pci', pages, shared: 0.1,
    workloads: WORKLOAD_IDS.map((kind) =>
      kind === 'kvm_fault' ? { kind, touches: Math.round(events / 2) } : kind === 'teardown' ? { kind } : { kind, ops: perHostWorkload }),
  };
}

export interface BenchSize {
  pages: number;
  events: number;
  /** best wall time of the repeats */
  ms: number;
  eventsPerSecond: number;
  /** best CPU time of the process over the repeats (less noisy on a shared machine) */
  cpuMs: number;
  /** bytes of per-page engine state (page arrays), for the memory bar */
  stateBytes: number;
}


/** Simulate the mix `repeats` times on a fresh engine; the best run counts. */
export function benchSize(pages: number, events: number, repeats = 3): BenchSize {
  const cfg = benchConfig(pages, events);
  new Engine(benchConfig(1024, 20000), HOOKS, 7).run(); // warm up the JIT
  let best = Infinity, bestCpu = Infinity, n = 0, stateBytes = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const e = new Engine(cfg, HOOKS, 1);
    e.run();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
    n = e.totals().events;
    stateBytes = e.state.byteLength + e.flags.byteLength + e.refs.byteLength + e.pins.byteLength + e.exporter.byteLength;
    best = Math.min(best, ms);
  }
  return { pages, events: n, ms: round1(best), eventsPerSecond: Math.round(n / (best / 1000)), cpuMs: round1(bestCpu), stateBytes };
}

export interface CampaignBench {
  /** levels that have a reference solution (the others are listed in `missing`) */
  levels: number;
  seeds: number;
  /** best of the repeats */
  ms: number;
  /** the first pass, before the JIT has seen these configurations */
  firstMs: number;
  /** reference solutions that fail their level (should be none) */
  failing: string[];
  missing: string[];
  /** every level's exhaustive search (its declared small configuration, or the default) */
  exhaustiveMs: number;
  exhaustiveStates: number;
  exhaustiveFailing: string[];
}

/** The default folder of reference solutions: `<package>/test/solutions`. */
export function defaultSolutionsDir(): string {
  return fileURLToPath(new URL('../../../test/solutions/', import.meta.url));
}

/** Verify every level of the campaign with its reference solution on all seeds. */
export function campaignBench(solutionsDir: string, repeats = 3): CampaignBench | { reason: string } {
  const campaign = loadCampaign();
  const items: { id: string; config: SimConfig; hooks: Hook[]; level: (typeof campaign)[number]['level'] }[] = [];
  const missing: string[] = [];
  for (const { level } of campaign) {
    const file = join(solutionsDir, `${level.id}.reference.json`);
    if (!existsSync(file)) { missing.push(level.id); continue; }
    items.push({
      id: level.id, level, config: levelConfig(level), hooks: solutionHooks(loadSolutionFile(file), level, file),
    });
  }
  if (!items.length) {
    return { reason: `no reference solutions in ${solutionsDir} (expected <level-id>.reference.json for the ${campaign.length} levels)` };
  }
  const pass = () => {
    const failing: string[] = [];
    let seeds = 0;
    const t0 = performance.now();
    for (const it of items) {
      const v = scoreLevel(it.level, it.hooks, { exhaustive: false }); // the seeds alone; the search is timed below
      seeds += v.seeds.length;
      if (!v.passed) failing.push(it.id);
    }
    return { ms: performance.now() - t0, seeds, failing };
  };
  const first = pass();
  let best = first.ms;
  for (let r = 1; r < repeats; r++) best = Math.min(best, pass().ms);
  const t0 = performance.now();
  let exStates = 0;
  const exFailing: string[] = [];
  for (const it of items) {
    const small: SmallConfig | undefined = it.level.exhaustive;
    const x = exhaustiveCheck(it.config, it.hooks, small);
    exStates += x.states;
    if (!x.passed) exFailing.push(it.id);
  }
  return {
    levels: items.length, seeds: first.seeds, ms: round1(best), firstMs: round1(first.ms), failing: first.failing, missing,
    exhaustiveMs: round1(performance.now() - t0), exhaustiveStates: exStates, exhaustiveFailing: exFailing,
  };
}

export interface ExhaustiveBench {
  /** what was searched */
  workloads: string;
  small: SmallConfig;
  states: number;
  transitions: number;
  ms: number;
  statesPerSecond: number;
}

/** The exhaustive search of every workload at once, with a placement that passes. */
export function exhaustiveBench(small: SmallConfig, repeats = 3): ExhaustiveBench {
  const cfg: SimConfig = { arch: 's390-pv', kernel: '6.5', device: 'pci', pages: 64, shared: 0.1, workloads: WORKLOAD_IDS.map((kind) => ({ kind })) };
  const hooks: Hook[] = [
    { site: 'ptep_clear', when: 'live' }, { site: 'writeback' }, { site: 'gup_fast', when: 'any' },
    { site: 'gup_slow', when: 'any' }, { site: 'kmap' }, { site: 'splice' },
  ];
  let best = Infinity, states = 0, transitions = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const x = exhaustiveCheck(cfg, hooks, small);
    best = Math.min(best, performance.now() - t0);
    states = x.states; transitions = x.transitions;
  }
  return { workloads: 'all 9, s390-pv, a passing placement', small, states, transitions, ms: round1(best), statesPerSecond: Math.round(states / (best / 1000)) };
}

/**
 * The yardstick of the engine's figure: a bare loop over page arrays of the engine's
 * shape (a state byte, two flag bytes, a reference and a pin count, an exporter byte per
 * page) doing the least an event of the engine does: one sfc32 draw for a page, a read of
 * its state and flags, a transition, a count. No scheduler, no workload program, no hook,
 * no metric. The engine's events per CPU second over this loop's (the same pages and
 * events, in the same process) is how much of the machine the modelling takes. It moves
 * far less with the machine and its load than events/s: on two shared cores 0.12 quiet
 * and 0.18 at a load of 15, while the engine's wall-clock events/s went from 9.6 to 1.3 M.
 */
export function bareLoop(pages: number, events: number, repeats = 3): { events: number; ms: number; eventsPerSecond: number; cpuMs: number } {
  const run = () => {
    const state = new Uint8Array(pages), flags = new Uint16Array(pages), refs = new Uint8Array(pages);
    const pins = new Uint8Array(pages), exporter = new Uint8Array(pages);
    let a = 0x9e3779b9 | 0, b = 0x243f6a88 | 0, c = 0xb7e15162 | 0, d = 1, count = 0;
    for (let i = 0; i < events; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = ((c << 21) | (c >>> 11)) + t | 0;
      const p = (((t >>> 0) / 4294967296) * pages) | 0;
      const s = state[p], f = flags[p];
      if (s === 0) { state[p] = 1; flags[p] = f | 1; count++; } // secure -> exported
      else if (s === 1 && refs[p] === 0) { state[p] = 0; flags[p] = f & ~1; } // imported back
      else { refs[p] = (refs[p] + 1) & 3; pins[p] ^= (t & 1); exporter[p] = i & 7; }
    }
    return count;
  };
  run(); // warm up the JIT
  let best = Infinity, bestCpu = Infinity, sink = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    sink += run();
    const cpu = process.cpuUsage(c0);
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the loop's work observable
  return { events, ms: round1(best), eventsPerSecond: Math.round(events / (best / 1000)), cpuMs: round1(bestCpu) };
}
