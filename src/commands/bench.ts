// `pvlab bench`: the figures of src/commands/bench/ (measure.ts in this process, game.ts
// with the built game), printed as lines or as one JSON object.
import { BENCH_EVENTS, BENCH_PAGES, bareLoop, benchSize, campaignBench, defaultSolutionsDir, exhaustiveBench, round1 } from './bench/measure.js';
import { keysBench, startupBench, type KeysBench, type StartupBench } from './bench/game.js';

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
  const mid = sizes[1];
  // the yardstick: the same pages and events through a bare loop, in this process
  const bare = bareLoop(mid.pages, mid.events, repeats);
  // on CPU time: a shared machine stretches wall time, not the work done
  const engineVsBare = Math.round(((mid.events / Math.max(0.1, mid.cpuMs)) / (bare.events / Math.max(0.1, bare.cpuMs))) * 1000) / 1000;
  const ex = exhaustiveBench(quick ? { pages: 1, ops: 1, touches: 1 } : { pages: 2, ops: 2, touches: 3 }, repeats);
  const peakRssMb = round1(process.resourceUsage().maxRSS / 1024);
  const startup = startupBench(quick ? 3 : 7);
  const keys = await keysBench(quick ? 1 : 3);
  const camp = 'reason' in campaign ? null : campaign;
  if (o.json) {
    process.stdout.write(JSON.stringify({
      eventsPerSecond: mid.eventsPerSecond,
      eventsPerSecondPages: mid.pages,
      sizes,
      bareLoop: { pages: mid.pages, ...bare },
      engineVsBare,
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
  lines.push(`  bare loop over the same ${mid.pages} pages (a draw, a state read, a transition per event): ` +
    `${(bare.eventsPerSecond / 1e6).toFixed(2)} M events/s (CPU ${bare.cpuMs} ms); the engine does ${engineVsBare.toFixed(3)} of its events per CPU second`);
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
