// The board's lanes are the workload programs' paths (workloadPath): on every machine, the
// hook sites the engine reaches when it runs a workload, with a hook placed at every site,
// are sites on that workload's path, and a run long enough reaches every site on it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/sim/engine.js';
import { ARCH_IDS, DEVICE_IDS, KERNEL_IDS, SITE_IDS, SITES, WORKLOAD_IDS, machineProblem, type SiteId } from '../../src/sim/model.js';
import type { Hook, SimConfig, WorkloadSpec } from '../../src/sim/types.js';
import { pathSites, workloadPath, type Machine } from '../../src/sim/workloads/index.js';

const MACHINES: Machine[] = ARCH_IDS.flatMap((arch) => KERNEL_IDS.flatMap((kernel) => DEVICE_IDS.flatMap((device) =>
  machineProblem(arch, kernel, device) ? [] : [{ arch, kernel, device }])));

/** Every placeable site, with the condition that lets every call through to the hook. */
const EVERYWHERE: Hook[] = SITE_IDS.filter((s) => SITES[s].placeable)
  .map((site) => (SITES[site].when.length ? { site, when: 'any' as const } : { site }));

/** The sites a run reached for each workload: placed hooks that ran, and sites named in the trace. */
function reachedSites(cfg: SimConfig, seed: number): Map<string, Set<SiteId>> {
  const e = new Engine(cfg, EVERYWHERE, seed, { trace: true });
  e.run();
  const out = new Map<string, Set<SiteId>>(e.workloads.map((w) => [w.id, new Set<SiteId>()]));
  e.workloads.forEach((w, i) => SITE_IDS.forEach((s, j) => { if (e.reached[i * SITE_IDS.length + j]) out.get(w.id)!.add(s); }));
  for (const ev of e.events ?? []) if (ev.site) out.get(ev.workload)!.add(ev.site);
  for (const set of out.values()) set.delete('fault'); // the architecture's fault handler is on no lane
  return out;
}

const spec = fc.record({
  kind: fc.constantFrom(...WORKLOAD_IDS),
  fastGup: fc.boolean(), target: fc.constantFrom('socket' as const, 'file' as const), zeroCopy: fc.boolean(),
  munlockRatio: fc.constantFrom(0, 0.5, 1), writeRatio: fc.constantFrom(0, 0.5, 1),
});

function config(m: Machine, ws: WorkloadSpec[], ops: number): SimConfig {
  // the guest runs too, so that pages fault in, get dirty and come back after reclaim
  const guest: WorkloadSpec = { kind: 'kvm_fault', touches: 4 * ops };
  return {
    ...m, pages: 16, shared: 0.5, maxInFlight: 4,
    workloads: [...(ws.some((w) => w.kind === 'kvm_fault') ? [] : [guest]), ...ws.map((w) => (w.kind === 'kvm_fault' ? { ...w, touches: 4 * ops } : { ...w, ops }))],
  };
}

describe('lanes are the engine paths', () => {
  it.each(MACHINES.map((m) => [`${m.arch} ${m.kernel} ${m.device}`, m] as const))('%s: every site the engine reaches is on the lane', (_, m) => {
    fc.assert(fc.property(fc.uniqueArray(spec, { minLength: 1, maxLength: 3, selector: (w) => w.kind }), fc.nat(1000), (raw, seed) => {
      const ws: WorkloadSpec[] = raw.map((w) => ({ ...w }));
      const cfg = config(m, ws, 12);
      for (const [id, sites] of reachedSites(cfg, seed)) {
        const w = cfg.workloads.find((x) => x.kind === id)!;
        const lane = new Set(pathSites(workloadPath(m, w)));
        for (const s of sites) expect(lane.has(s), `${id} reached ${s}, not on its lane ${[...lane].join(' ')}`).toBe(true);
      }
    }), { numRuns: 12 });
  });

  // reclaim runs beside each workload: slow GUP is the fallback of fast GUP, taken for pages
  // that are not mapped (swapped out) or mapped read-only
  it.each(MACHINES.map((m) => [`${m.arch} ${m.kernel} ${m.device}`, m] as const))('%s: a long run beside reclaim reaches every site on every lane', (_, m) => {
    const variants: WorkloadSpec[] = [
      ...WORKLOAD_IDS.map((kind) => ({ kind })),
      { kind: 'malicious_qemu', fastGup: false }, { kind: 'sendfile', target: 'file' }, { kind: 'sendfile', zeroCopy: false },
    ];
    for (const w of variants) {
      const cfg = config(m, w.kind === 'swap' ? [w] : [w, { kind: 'swap' }], 200);
      const reached = reachedSites(cfg, 1).get(w.kind)!;
      for (const s of pathSites(workloadPath(m, w))) expect(reached.has(s), `${w.kind} ${JSON.stringify(w)} on its lane but never reached: ${s}`).toBe(true);
    }
  });
});
