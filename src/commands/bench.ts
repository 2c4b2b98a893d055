// `pvlab bench`: simulation throughput on a fixed mix of every workload at three guest
// sizes, the time to verify the campaign's reference solutions on all their seeds, the
// speed of the exhaustive search, and peak memory. Wall-clock figures live here only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCampaign, loadSolutionFile } from '../io/files.js';
import { solutionHooks } from '../io/schema.js';
import { levelConfig, scoreLevel } from '../sim/score.js';
import { Engine } from '../sim/engine.js';
import { exhaustiveCheck, type SmallConfig } from '../sim/exhaustive.js';
import { WORKLOAD_IDS } from '../sim/model.js';
import type { Hook, SimConfig } from '../sim/types.js';

export interface BenchOptions {
  json?: boolean;
  /** a fast smoke run: fewer events, one repeat (numbers are not comparable) */
  quick?: boolean;
  /** folder of `<level-id>.reference.json` files (default: the package's test/solutions) */
  solutions?: string;
  /** only the start-up figures: the game's first frame against an Ink hello world */
  startup?: boolean;
  /** only the keypress-to-frame latency during an animated run */
  keys?: boolean;
}

const HOOKS: Hook[] = [
  { site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' },
  { site: 'ptep_clear', when: 'live' }, { site: 'splice' },
];

export const BENCH_PAGES = [1024, 65536, 1 << 20] as const;
const BENCH_EVENTS = 4_000_000;

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

const round1 = (x: number) => Math.round(x * 10) / 10;

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
  return fileURLToPath(new URL('../../test/solutions/', import.meta.url));
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

export interface StartupBench {
  rounds: number;
  /** medians, ms since each process started (its own clock: no shell or pty counted) */
  gameFirstFrameMs: number;
  helloFirstFrameMs: number;
  /** game / hello world */
  ratio: number;
  /** medians of the wall time from spawn to exit (pty and shell included) */
  gameWallMs: number;
  helloWallMs: number;
  /** medians of the game's start-up phases (src/tui/marks.ts), ms since its process started */
  gamePhasesMs: Record<string, number>;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * Start the game (to its menu) and the bundled Ink hello world (dist/tui/hello.js, the same
 * esbuild settings) alternately in a pseudo-terminal of 100x30 (util-linux `script`), each
 * quitting after its first frame (PVLAB_PROBE_EXIT), and compare the times of those frames.
 */
export function startupBench(rounds = 7): StartupBench | { reason: string } {
  const dist = fileURLToPath(new URL('../', import.meta.url));
  const cli = join(dist, 'cli.js');
  const hello = join(dist, 'tui', 'hello.js');
  if (!existsSync(hello)) return { reason: `${hello} is missing: run 'npm run build'` };
  if (spawnSync('script', ['--version'], { encoding: 'utf8' }).status !== 0) return { reason: "util-linux 'script' (a pseudo-terminal) was not found" };
  const work = mkdtempSync(join(tmpdir(), 'pvlab-startup-'));
  const q = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;
  type One = { first: number; wall: number; marks: [string, number][] };
  const one = (file: string, args: string[]): One => {
    const probe = join(work, 'probe.json');
    rmSync(probe, { force: true });
    const cmd = `stty cols 100 rows 30; exec ${[process.execPath, file, ...args].map(q).join(' ')}`;
    const t0 = performance.now();
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      encoding: 'utf8', timeout: 30_000,
      env: { ...process.env, CI: 'false', PVLAB_PROBE: probe, PVLAB_PROBE_EXIT: 'first-frame', PVLAB_CONFIG_DIR: join(work, 'config') },
    });
    const wall = performance.now() - t0;
    if (r.status !== 0 || !existsSync(probe)) throw new Error(`${file} did not show a frame (exit ${r.status})`);
    const p = JSON.parse(readFileSync(probe, 'utf8')) as { firstFrameMs: number; marks?: [string, number][] };
    return { first: p.firstFrameMs, wall, marks: p.marks ?? [] };
  };
  try {
    const game: One[] = [];
    const hw: One[] = [];
    one(hello, []); one(cli, []); // warm the file cache
    for (let i = 0; i < rounds; i++) {
      hw.push(one(hello, []));
      game.push(one(cli, []));
    }
    const g = median(game.map((x) => x.first));
    const h = median(hw.map((x) => x.first));
    return {
      rounds, gameFirstFrameMs: round1(g), helloFirstFrameMs: round1(h), ratio: Math.round((g / h) * 100) / 100,
      gameWallMs: round1(median(game.map((x) => x.wall))), helloWallMs: round1(median(hw.map((x) => x.wall))),
      gamePhasesMs: Object.fromEntries(game[0]!.marks.map(([phase]) => [phase,
        round1(median(game.map((x) => x.marks.find(([p]) => p === phase)?.[1] ?? NaN)))])),
    };
  } catch (err) {
    return { reason: String((err as Error).message ?? err) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface KeysBench {
  /** keys pressed while the run animated, and their keypress-to-frame latencies (ms) */
  keys: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
}

/** The keys played during the run: speed down and up, pause and resume (the run keeps animating). */
const RUN_KEYS = ['-', '-', ...Array.from({ length: 20 }, (_, i) => (['f', '-', ' ', ' '] as const)[i % 4])];
const KEY_GAP_MS = 120;

/**
 * Keypress-to-frame during an animated run, as the player sees it: the built game in a
 * pseudo-terminal of 100x30 (util-linux `script`), keys written to it one at a time
 * (KEY_GAP_MS apart) while the first level's run animates; the game's probe (PVLAB_PROBE)
 * times each key from Ink's input handler to the frame that shows it. `rounds` games.
 */
export async function keysBench(rounds = 3): Promise<KeysBench | { reason: string }> {
  const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
  if (!existsSync(cli)) return { reason: `${cli} is missing: run 'npm run build'` };
  if (spawnSync('script', ['--version'], { encoding: 'utf8' }).status !== 0) return { reason: "util-linux 'script' (a pseudo-terminal) was not found" };
  const level = loadCampaign()[0]!.level.id;
  const work = mkdtempSync(join(tmpdir(), 'pvlab-keys-'));
  const q = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const one = async (round: number): Promise<number[]> => {
    const probe = join(work, `probe-${round}.json`);
    const child = spawn('script', ['-qfec', `stty cols 100 rows 30; exec ${[process.execPath, cli, 'play', level].map(q).join(' ')}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, CI: 'false', NO_COLOR: '1', PVLAB_PROBE: probe, PVLAB_CONFIG_DIR: join(work, 'config') },
    });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => { screen = (screen + d.toString('utf8')).slice(-20_000); });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const until = async (text: string) => {
      for (let t = 0; t < 15_000; t += 20) {
        if (screen.includes(text)) { screen = ''; return; }
        await sleep(20);
      }
      throw new Error(`the game did not show '${text}'`);
    };
    try {
      await until('pvlab · briefing');
      child.stdin.write('\r');
      await until('pvlab · board');
      child.stdin.write('r');
      await until('steps/frame');
      for (const k of RUN_KEYS) {
        child.stdin.write(k);
        await sleep(KEY_GAP_MS);
      }
      child.stdin.write('\u0003'); // ctrl+c: the game quits and writes its probe
      await Promise.race([exited, sleep(10_000)]);
    } finally {
      child.kill();
    }
    const p = JSON.parse(readFileSync(probe, 'utf8')) as { keys: { screen: string; ms: number }[] };
    return p.keys.filter((k) => k.screen === 'run').map((k) => k.ms);
  };
  try {
    const all: number[] = [];
    for (let i = 0; i < rounds; i++) all.push(...await one(i));
    if (!all.length) return { reason: 'no key was pressed during the run' };
    const s = all.sort((a, b) => a - b);
    return { keys: s.length, medianMs: round1(median(s)), p90Ms: round1(s[Math.floor(s.length * 0.9)]!), maxMs: round1(s[s.length - 1]!) };
  } catch (err) {
    return { reason: String((err as Error).message ?? err) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function keysLine(k: KeysBench | { reason: string }): string {
  if ('reason' in k) return `keypress-to-frame: not measured: ${k.reason}`;
  return `keypress-to-frame during an animated run (pty 100x30, ${k.keys} keys): median ${k.medianMs} ms, p90 ${k.p90Ms} ms, max ${k.maxMs} ms`;
}

function startupLine(st: StartupBench | { reason: string }): string {
  if ('reason' in st) return `start-up: not measured: ${st.reason}`;
  return `start-up (median of ${st.rounds}, pty 100x30): game menu first frame ${st.gameFirstFrameMs} ms, Ink hello world ` +
    `${st.helloFirstFrameMs} ms: ratio ${st.ratio.toFixed(2)} (wall to exit ${st.gameWallMs} vs ${st.helloWallMs} ms)\n` +
    `  game phases (median ms since its start): ${Object.entries(st.gamePhasesMs).map(([k, v]) => `${k} ${v}`).join(' · ')}`;
}

export async function benchCommand(o: BenchOptions): Promise<number> {
  if (o.startup || o.keys) {
    const st = o.startup ? startupBench() : null;
    const keys = o.keys ? await keysBench() : null;
    if (o.json) process.stdout.write(JSON.stringify({ ...(st ? { startup: st } : {}), ...(keys ? { keys } : {}), node: process.version }) + '\n');
    else process.stdout.write([st ? startupLine(st) : null, keys ? keysLine(keys) : null].filter(Boolean).join('\n') + '\n');
    return (st && 'reason' in st) || (keys && 'reason' in keys) ? 1 : 0;
  }
  const quick = o.quick === true;
  const repeats = quick ? 1 : 3;
  const dir = o.solutions ?? defaultSolutionsDir();
  // the campaign first: its first pass is what a fresh `pvlab verify` process sees
  const campaign = campaignBench(dir, repeats);
  const sizes = BENCH_PAGES.map((p) => benchSize(p, quick ? 100_000 : BENCH_EVENTS, repeats));
  const ex = exhaustiveBench(quick ? { pages: 1, ops: 1, touches: 1 } : { pages: 2, ops: 2, touches: 3 }, repeats);
  const peakRssMb = round1(process.resourceUsage().maxRSS / 1024);
  const startup = startupBench(quick ? 3 : 7);
  const keys = await keysBench(quick ? 1 : 3);
  const mid = sizes[1];
  const camp = 'reason' in campaign ? null : campaign;
  if (o.json) {
    process.stdout.write(JSON.stringify({
      eventsPerSecond: mid.eventsPerSecond,
      eventsPerSecondPages: mid.pages,
      sizes,
      campaignVerifyMs: camp ? camp.ms : null,
      campaign: camp ?? { reason: (campaign as { reason: string }).reason },
      statesPerSecond: ex.statesPerSecond,
      exhaustive: ex,
      peakRssMb,
      startup,
      keys,
      repeats,
      quick,
      node: process.version,
    }) + '\n');
    return 0;
  }
  const lines = [`page events per second, a fixed mix of every workload (best of ${repeats}${quick ? ', quick: not comparable' : ''}):`];
  for (const s of sizes) {
    lines.push(`  ${String(s.pages).padStart(8)} pages: ${s.events} events in ${s.ms} ms = ${(s.eventsPerSecond / 1e6).toFixed(2)} M events/s` +
      `  (CPU ${s.cpuMs} ms; page state ${(s.stateBytes / 1048576).toFixed(1)} MB)`);
  }
  if (camp) {
    lines.push(`campaign: ${camp.levels} levels, ${camp.seeds} seeds verified with their reference solutions in ${camp.ms} ms` +
      ` (first pass ${camp.firstMs} ms); ${camp.failing.length ? `FAILING: ${camp.failing.join(', ')}` : 'all pass'}`);
    if (camp.missing.length) lines.push(`  no reference solution for: ${camp.missing.join(', ')}`);
    lines.push(`  exhaustive checks of every level: ${camp.exhaustiveStates} states in ${camp.exhaustiveMs} ms; ` +
      `${camp.exhaustiveFailing.length ? `FAILING: ${camp.exhaustiveFailing.join(', ')}` : 'all pass'}`);
  } else {
    lines.push(`campaign: not measured: ${(campaign as { reason: string }).reason}`);
  }
  lines.push(`exhaustive search (${ex.workloads}; ${ex.small.pages} pages, ${ex.small.ops} ops, ${ex.small.touches} touches): ` +
    `${ex.states} states, ${ex.transitions} moves in ${ex.ms} ms = ${Math.round(ex.statesPerSecond / 1000)}k states/s`);
  lines.push(`peak RSS ${peakRssMb} MB`);
  lines.push(startupLine(startup));
  lines.push(keysLine(keys));
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
