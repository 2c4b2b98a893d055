// The workload programs, one module each (src/sim/workloads/<id>.ts: its step function,
// default ops, eligibility, variants and option fields). To add a workload: its id in
// model.ts (WORKLOAD_IDS, WORKLOADS), its kind in codes.ts (KIND), its module here in
// PROGRAMS and in the switches below; the compiler asks for each (see docs/contributing.md).
//
// The engine's hot path calls stepProgram() and eligibleFor(): static switches on the
// integer kind, exhaustive for the compiler (`Kind` is a union of literals) and throwing at
// run time on a kind without a program, so a missing case is never a silent no-op. Every
// call in them is a direct call to one module function: nothing polymorphic.
import type { SiteId, WorkloadId } from '../model.js';
import type { WorkloadSpec } from '../types.js';
import * as codesModule from '../codes.js';
import type { Kind } from '../codes.js';
import type { Engine } from '../engine.js';
import type { Machine, WorkloadPath, WorkloadProgram } from './program.js';
import * as hostRefs from './host_refs.js';
import * as kvmFault from './kvm_fault.js';
import * as maliciousQemu from './malicious_qemu.js';
import * as mmapSync from './mmap_sync.js';
import * as processVmReadv from './process_vm_readv.js';
import * as sendfile from './sendfile.js';
import * as swap from './swap.js';
import * as teardown from './teardown.js';
import * as zswap from './zswap.js';

export type { Machine, PathStep, Sink, WorkloadOption, WorkloadPath, WorkloadProgram } from './program.js';
export { guestTouch } from './kvm_fault.js';
export { teardownPage } from './teardown.js';

// local copies of the imports the hot switches call (see engine.ts: an imported name is a
// getter call under vitest's module runner)
const { KIND } = codesModule;
const { step: swapStep, eligible: swapEligible } = swap;
const { step: zswapStep, eligible: zswapEligible } = zswap;
const { step: maliciousQemuStep } = maliciousQemu;
const { step: mmapSyncStep, eligible: mmapSyncEligible } = mmapSync;
const { step: sendfileStep, eligible: sendfileEligible } = sendfile;
const { step: hostRefsStep } = hostRefs;
const { step: processVmReadvStep } = processVmReadv;

/** Every workload's program descriptor. */
export const PROGRAMS: Readonly<Record<WorkloadId, WorkloadProgram>> = {
  kvm_fault: kvmFault.program,
  host_refs: hostRefs.program,
  swap: swap.program,
  malicious_qemu: maliciousQemu.program,
  mmap_sync: mmapSync.program,
  sendfile: sendfile.program,
  process_vm_readv: processVmReadv.program,
  zswap: zswap.program,
  teardown: teardown.program,
};

/** The kernel path of a workload's operations on a machine (its board lane). */
export function workloadPath(m: Machine, spec: WorkloadSpec): WorkloadPath {
  return PROGRAMS[spec.kind].path(m, spec);
}

/** The hook sites on a path, in order. */
export function pathSites(p: WorkloadPath): SiteId[] {
  return p.steps.flatMap((st) => ('site' in st ? [st.site] : []));
}

function noProgram(kind: never): never {
  throw new Error(`engine: workload kind ${String(kind)} has no host program`);
}

/** One step of a host operation in `slot` of workload `w`: RUN or DONE. */
export function stepProgram(e: Engine, kind: Kind, slot: number, w: number): number {
  switch (kind) {
    case KIND.swap: return swapStep(e, slot, w);
    case KIND.zswap: return zswapStep(e, slot, w);
    case KIND.malicious_qemu: return maliciousQemuStep(e, slot, w);
    case KIND.mmap_sync: return mmapSyncStep(e, slot, w);
    case KIND.sendfile: return sendfileStep(e, slot, w);
    case KIND.host_refs: return hostRefsStep(e, slot, w);
    case KIND.process_vm_readv: return processVmReadvStep(e, slot, w);
    // the guest and the VM exit are not started as host operations (their budget is 0)
    case KIND.kvm_fault: case KIND.teardown:
      throw new Error(`engine: ${kind === KIND.kvm_fault ? 'kvm_fault' : 'teardown'} is not a host operation`);
    default: return noProgram(kind);
  }
}

/** May a host operation of this kind start on a page with flags `f` (not freed)? */
export function eligibleFor(e: Engine, kind: Kind, f: number): boolean {
  switch (kind) {
    case KIND.swap: return swapEligible(e, f);
    case KIND.zswap: return zswapEligible(e, f);
    case KIND.mmap_sync: return mmapSyncEligible(e, f);
    case KIND.sendfile: return sendfileEligible(e, f);
    case KIND.malicious_qemu: case KIND.host_refs: case KIND.process_vm_readv:
    case KIND.kvm_fault: case KIND.teardown:
      return true;
    default: return noProgram(kind);
  }
}
