// The lanes of a machine: one per workload, from its entry point through the kernel
// functions (and hook sites) to where the page is used. The paths are the workload programs'
// own (workloadPath, src/sim/workloads/<id>.ts), checked against what the engine reaches
// (test/sim/paths.test.ts); the board (src/tui/graph.ts) and the generator read them here.
import { ARCHES, WORKLOAD_IDS, WORKLOADS, type SiteId, type WorkloadId } from './model.js';
import type { SimConfig, WorkloadSpec } from './types.js';
import { pathSites, workloadPath, type PathStep, type Sink } from './workloads/index.js';

export type { PathStep, Sink };

export interface Lane {
  workload: WorkloadId;
  /** entry point, short: guest, QEMU, reclaim, msync, ... */
  entry: string;
  steps: PathStep[];
  sink: Sink;
}

/** Each workload's lane entry (WORKLOADS[].entry). */
export const ENTRY: Readonly<Record<WorkloadId, string>> =
  Object.fromEntries(WORKLOAD_IDS.map((w) => [w, WORKLOADS[w].entry])) as Record<WorkloadId, string>;

function lane(cfg: SimConfig, spec: WorkloadSpec): Lane {
  return { workload: spec.kind, entry: ENTRY[spec.kind], ...workloadPath(cfg, spec) };
}

export function lanesFor(cfg: SimConfig): Lane[] {
  return cfg.workloads.map((w) => lane(cfg, w));
}

export function laneSites(l: Lane): SiteId[] {
  return pathSites(l);
}

/**
 * The GUP flavours a workload's lane calls with (what its entry says: FOLL_PIN or
 * FOLL_GET); empty for a lane without GUP. A GUP hook's `when` acts only on these.
 */
export function laneGupFlavours(cfg: SimConfig, spec: WorkloadSpec): ('pin' | 'get')[] {
  switch (spec.kind) {
    case 'kvm_fault': return ARCHES[cfg.arch].kvmFaultViaGup ? ['get'] : [];
    case 'host_refs': return ['get'];
    case 'malicious_qemu': return [cfg.kernel === '5.7' ? 'get' : 'pin'];
    case 'process_vm_readv': return ['pin'];
    default: return [];
  }
}
