// Golden determinism test: a fixed set of configurations (every arch, both kernels, both
// devices, every workload, several hook sets) run for a few seeds each; the SHA-256 of the
// JSON of each `simulate()` result (metrics, per-workload metrics, first failure and the
// shrunk counterexample with its trace) must equal the checked-in value. Performance work
// on the engine must keep every hash identical. When the simulation's semantics change on
// purpose, regenerate with:  PVLAB_UPDATE_GOLDEN=1 npx vitest run test/sim/golden.test.ts
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ARCH_IDS, DEVICE_IDS, KERNEL_IDS, WORKLOAD_IDS, type WorkloadId } from '../../src/sim/model.js';
import { simulate } from '../../src/sim/run.js';
import { type Hook, type SimConfig } from '../../src/sim/types.js';

const HASH_FILE = fileURLToPath(new URL('./golden.hashes.json', import.meta.url));

const HOOK_SETS: Record<string, Hook[]> = {
  none: [],
  mainline: [{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' }, { site: 'ptep_clear' }],
  everything: [
    { site: 'gup_fast', when: 'any' }, { site: 'gup_slow', when: 'any' }, { site: 'writeback' },
    { site: 'ptep_clear', when: 'live' }, { site: 'reclaim_scan' }, { site: 'splice' }, { site: 'dma_map' },
    { site: 'bio_submit' }, { site: 'kmap' }, { site: 'vm_normal_page' },
  ],
  racy: [{ site: 'reclaim_scan' }, { site: 'gup_fast', when: 'get' }, { site: 'kmap' }],
};

interface Case { name: string; cfg: SimConfig; hooks: Hook[]; seeds: number[] }

function mix(): SimConfig['workloads'] {
  return WORKLOAD_IDS.map((kind) => {
    if (kind === 'kvm_fault') return { kind, touches: 300, hot: 0.25, hotProb: 0.7, writeRatio: 0.5, vcpus: 2 };
    if (kind === 'teardown') return { kind };
    if (kind === 'sendfile') return { kind, ops: 25, target: 'file' as const };
    if (kind === 'malicious_qemu') return { kind, ops: 25, fastGup: false, writeRatio: 0.3 };
    return { kind, ops: 25 };
  });
}

function single(kind: WorkloadId): SimConfig['workloads'] {
  const w: SimConfig['workloads'] = [{ kind: 'kvm_fault', touches: 200 }];
  if (kind !== 'kvm_fault') w.push(kind === 'teardown' ? { kind } : { kind, ops: 40 });
  return w;
}

function cases(): Case[] {
  const out: Case[] = [];
  // every machine (arch x kernel x device) with every workload in one mix
  for (const arch of ARCH_IDS) for (const kernel of KERNEL_IDS) for (const device of DEVICE_IDS) {
    for (const [hs, hooks] of Object.entries(HOOK_SETS)) {
      out.push({
        name: `mix/${arch}/${kernel}/${device}/${hs}`,
        cfg: { arch, kernel, device, pages: 48, shared: 0.125, workloads: mix(), maxInFlight: 4 },
        hooks, seeds: [1, 2, 3],
      });
    }
  }
  // every workload on its own with the guest, on two machines, with and without hooks
  for (const kind of WORKLOAD_IDS) {
    for (const arch of ['s390-pv', 'sev-snp'] as const) {
      for (const hs of ['none', 'mainline'] as const) {
        out.push({
          name: `single/${kind}/${arch}/${hs}`,
          cfg: { arch, kernel: '6.5', device: 'ccw', pages: 16, shared: 0, workloads: single(kind) },
          hooks: HOOK_SETS[hs], seeds: [5, 6],
        });
      }
    }
  }
  // costs and a bigger guest, one seed
  out.push({
    name: 'costs/s390-pv/5.7/pci',
    cfg: { arch: 's390-pv', kernel: '5.7', device: 'pci', pages: 1024, shared: 0.1, workloads: mix(), costs: { export: 7, import: 3, stallRetry: 1.5 } },
    hooks: HOOK_SETS.mainline, seeds: [42],
  });
  return out;
}

function digest(cfg: SimConfig, hooks: Hook[], seed: number): string {
  const r = simulate(cfg, hooks, seed);
  return createHash('sha256').update(JSON.stringify(r)).digest('hex');
}

describe('golden determinism', () => {
  const all = cases();
  const actual: Record<string, string> = {};
  for (const c of all) for (const s of c.seeds) actual[`${c.name}#${s}`] = digest(c.cfg, c.hooks, s);

  if (process.env.PVLAB_UPDATE_GOLDEN) {
    writeFileSync(HASH_FILE, JSON.stringify(actual, null, 1) + '\n');
  }
  const expected = JSON.parse(readFileSync(HASH_FILE, 'utf8')) as Record<string, string>;

  it('covers every arch, kernel, device and workload, with failing and passing runs', () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(actual).sort());
    const names = all.map((c) => c.name).join(' ');
    for (const a of ARCH_IDS) expect(names).toContain(`/${a}/`);
    for (const w of WORKLOAD_IDS) expect(names).toContain(`single/${w}/`);
    const outcomes = all.flatMap((c) => c.seeds.map((s) => simulate(c.cfg, c.hooks, s, { counterexample: false }).passed));
    expect(outcomes).toContain(true);
    expect(outcomes).toContain(false);
  });

  it('every result hashes to its checked-in value', () => {
    const diff = Object.keys(actual).filter((k) => actual[k] !== expected[k]);
    expect(diff).toEqual([]);
  });

  it('is deterministic within a process', () => {
    const c = all[0];
    expect(digest(c.cfg, c.hooks, 1)).toBe(actual[`${c.name}#1`]);
  });
});
