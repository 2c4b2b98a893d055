// Drawing a machine from the generator's random stream: architecture, era and device
// (only machines that existed: machineProblem, [A6]), a workload mix and its parameters,
// prices, the offered sites and the seeds. Nothing here looks at a run.
import { lanesFor, laneSites } from '../lanes.js';
import {
  DEFAULT_COSTS, DEVICE_IDS, KERNEL_IDS, SITE_IDS, SITES, machineProblem,
  type ArchId, type Costs, type DeviceId, type KernelId, type SiteId, type WorkloadId,
} from '../model.js';
import type { WorkloadSpec } from '../types.js';
import type { Rng } from './prng.js';

export const DIFFICULTIES = ['easy', 'hard', 'expert'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** Everything a generated level is before any placement is scored: the input of the text. */
export interface Machine {
  id: string;
  seed: number;
  difficulty: Difficulty;
  arch: ArchId;
  kernel: KernelId;
  device: DeviceId;
  guest: { pages: number; shared: number };
  workloads: WorkloadSpec[];
  sites: SiteId[];
  seeds: { visible: number[]; hidden: number };
  /** prices that differ from DEFAULT_COSTS (absent: all defaults) */
  costs?: Partial<Costs>;
}

export interface DifficultyRules {
  /** host workloads besides the guest (kvm_fault, always there) */
  others: readonly [number, number];
  /** most sites on the lanes' paths to offer */
  onPath: number;
  /** sites on no lane's path to offer as well */
  offPath: readonly [number, number];
  /** prices that differ from the defaults */
  prices: readonly [number, number];
  visibleSeeds: number;
  hiddenSeeds: number;
  /** most of the considered placements that may meet every par */
  maxConsideredShare: number;
  /** fewest distinct passing answers (metric vectors) */
  minAnswers: number;
  /** fewest star levels (of 1, 2, 3) among passing placements */
  minStarLevels: number;
  /** fewest hooks the reference places */
  minReferenceHooks: number;
  /** chance in 3 that the catch-all device sites (bio_submit, dma_map) are not offered */
  noCatchAll: number;
  /** operations per host workload, in tens (lo..hi), and guest touches in hundreds */
  ops: readonly [number, number];
  touches: readonly [number, number];
  /** architectures, weighted */
  arches: readonly (readonly [ArchId, number])[];
}

export const RULES: Readonly<Record<Difficulty, DifficultyRules>> = {
  easy: {
    others: [1, 2], onPath: 4, offPath: [0, 1], prices: [0, 1], visibleSeeds: 2, hiddenSeeds: 4,
    maxConsideredShare: 0.25, minAnswers: 2, minStarLevels: 2, minReferenceHooks: 1,
    noCatchAll: 0, ops: [3, 10], touches: [6, 12],
    arches: [['s390-pv', 6], ['sev-snp', 1], ['tdx', 1], ['cca', 1], ['guest-memfd', 1]],
  },
  hard: {
    others: [2, 3], onPath: 5, offPath: [0, 1], prices: [1, 2], visibleSeeds: 2, hiddenSeeds: 4,
    maxConsideredShare: 0.1, minAnswers: 3, minStarLevels: 2, minReferenceHooks: 1,
    noCatchAll: 1, ops: [3, 8], touches: [5, 10],
    arches: [['s390-pv', 4], ['sev-snp', 1], ['tdx', 1], ['cca', 1], ['guest-memfd', 1]],
  },
  expert: {
    others: [3, 4], onPath: 6, offPath: [0, 1], prices: [2, 3], visibleSeeds: 2, hiddenSeeds: 4,
    maxConsideredShare: 0.05, minAnswers: 3, minStarLevels: 2, minReferenceHooks: 2,
    noCatchAll: 2, ops: [2, 6], touches: [4, 8],
    arches: [['s390-pv', 5], ['sev-snp', 1], ['tdx', 1]],
  },
};

/** Sites every block or PCI path passes: one hook there answers most device paths at once. */
const CATCH_ALL: readonly SiteId[] = ['bio_submit', 'dma_map'];

const HOST_WORKLOADS: readonly WorkloadId[] = ['swap', 'zswap', 'mmap_sync', 'malicious_qemu', 'sendfile', 'process_vm_readv', 'host_refs', 'teardown'];

/** Prices a level may set, each with the values it draws from (defaults excluded). */
const PRICE_CHOICES: readonly (readonly [keyof Costs, readonly number[]])[] = [
  ['export', [5, 60, 120]],
  ['import', [5, 80, 150]],
  ['exception', [0.5, 40, 100]],
  ['hookCheck', [1, 4]],
  ['stallRetry', [1, 40, 100]],
];

function workload(rng: Rng, kind: WorkloadId, r: DifficultyRules): WorkloadSpec {
  const ops = () => rng.int(r.ops[0], r.ops[1]) * 10;
  switch (kind) {
    case 'kvm_fault':
      return { kind, touches: rng.int(r.touches[0], r.touches[1]) * 100, hot: rng.pick([0.125, 0.25]), hotProb: rng.pick([0.7, 0.8, 0.9]), writeRatio: rng.pick([0.3, 0.5, 0.7]) };
    case 'malicious_qemu':
      return { kind, ops: ops(), writeRatio: rng.pick([0.2, 0.5, 0.8]), ...(rng.chance(1, 5) ? { fastGup: false } : {}) };
    case 'sendfile': {
      const target = rng.pick(['socket', 'file'] as const);
      return { kind, ops: ops(), target, ...(target === 'socket' && rng.chance(1, 2) ? { zeroCopy: false } : {}) };
    }
    case 'host_refs':
      return { kind, ops: ops(), munlockRatio: rng.pick([0.3, 0.5, 0.7]) };
    case 'teardown':
      return { kind };
    default:
      return { kind, ops: ops() };
  }
}

/** Draw one machine. `sites` are some of the lanes' sites (at most rules.onPath) and maybe one off every path. */
export function drawMachine(rng: Rng, id: string, seed: number, difficulty: Difficulty): Machine {
  const r = RULES[difficulty];
  const arch = rng.weighted(r.arches);
  const machines = KERNEL_IDS.flatMap((kernel) => DEVICE_IDS.map((device) => ({ kernel, device })))
    .filter((m) => machineProblem(arch, m.kernel, m.device) === null);
  const { kernel, device } = rng.pick(machines);
  const others = rng.shuffle(HOST_WORKLOADS).slice(0, rng.int(r.others[0], r.others[1]));
  // the guest first, then the host workloads in their canonical order
  const kinds: WorkloadId[] = ['kvm_fault', ...HOST_WORKLOADS.filter((w) => others.includes(w))];
  const workloads = kinds.map((k) => workload(rng, k, r));
  const guest = { pages: rng.pick([64, 96, 128]), shared: rng.pick([0, 0.1, 0.25]) };
  const cfg = { arch, kernel, device, pages: guest.pages, shared: guest.shared, workloads };
  const catchAll = rng.chance(r.noCatchAll, 3) ? CATCH_ALL : [];
  const onPath = SITE_IDS.filter((s) => lanesFor(cfg).some((l) => laneSites(l).includes(s)) && !catchAll.includes(s));
  const offered = new Set(rng.shuffle(onPath).slice(0, r.onPath));
  const offPath = SITE_IDS.filter((s) => SITES[s].placeable && !onPath.includes(s) && !catchAll.includes(s));
  for (const s of rng.shuffle(offPath).slice(0, rng.int(r.offPath[0], r.offPath[1]))) offered.add(s);
  const sites = SITE_IDS.filter((s) => offered.has(s));
  const costs: Partial<Costs> = {};
  for (const [k, values] of rng.shuffle(PRICE_CHOICES).slice(0, rng.int(r.prices[0], r.prices[1]))) costs[k] = rng.pick(values);
  const priced = (Object.keys(DEFAULT_COSTS) as (keyof Costs)[]).filter((k) => costs[k] !== undefined);
  const visible = Array.from({ length: r.visibleSeeds }, () => rng.int(1, 999));
  return {
    id, seed, difficulty, arch, kernel, device, guest, workloads, sites,
    seeds: { visible: [...new Set(visible)], hidden: r.hiddenSeeds },
    ...(priced.length ? { costs: Object.fromEntries(priced.map((k) => [k, costs[k]])) as Partial<Costs> } : {}),
  };
}
