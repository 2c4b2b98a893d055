// `pvlab bench`: simulation throughput on a fixed mix of every workload.
import { Engine } from '../sim/engine.js';
import { WORKLOAD_IDS } from '../sim/model.js';
import type { Hook, SimConfig } from '../sim/types.js';

export interface BenchOptions { json?: boolean }

const HOOKS: Hook[] = [
  { site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' },
  { site: 'ptep_clear', when: 'live' }, { site: 'splice' },
];

/** The fixed mix: every workload, ~`events` page events in all. */
export function benchConfig(pages: number, events: number): SimConfig {
  const perHostWorkload = Math.round(events / 14 / 4);
  return {
    arch: 's390-pv', kernel: '6.5', device: 'pci', pages, shared: 0.1,
    workloads: WORKLOAD_IDS.map((kind) =>
      kind === 'kvm_fault' ? { kind, touches: Math.round(events / 2) } : kind === 'teardown' ? { kind } : { kind, ops: perHostWorkload }),
  };
}

export interface BenchSize { pages: number; events: number; ms: number; eventsPerSecond: number }

export function benchSize(pages: number, events: number): BenchSize {
  const cfg = benchConfig(pages, events);
  // warm up the JIT on a small run first
  new Engine(benchConfig(1024, 20000), HOOKS, 7).run();
  const t0 = performance.now();
  const e = new Engine(cfg, HOOKS, 1);
  e.run();
  const ms = performance.now() - t0;
  const n = e.totals().events;
  return { pages, events: n, ms: Math.round(ms * 10) / 10, eventsPerSecond: Math.round(n / (ms / 1000)) };
}

export function benchCommand(o: BenchOptions): number {
  const sizes = [1024, 65536, 1 << 20].map((p) => benchSize(p, 4_000_000));
  const peakRssMb = Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
  if (o.json) {
    process.stdout.write(JSON.stringify({ eventsPerSecond: sizes[1].eventsPerSecond, sizes, peakRssMb }) + '\n');
  } else {
    for (const s of sizes) {
      process.stdout.write(`${String(s.pages).padStart(8)} pages: ${s.events} events in ${s.ms} ms = ${(s.eventsPerSecond / 1e6).toFixed(2)} M events/s\n`);
    }
    process.stdout.write(`peak RSS ${peakRssMb} MB\n`);
  }
  return 0;
}
