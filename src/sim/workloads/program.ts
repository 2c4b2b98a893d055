// What a workload module declares besides its step function (see workloads/index.ts).
import type { WorkloadId } from '../model.js';
import type { WorkloadSpec } from '../types.js';

/** An option field of a workload entry in a level (every one is optional). */
export type WorkloadOption = Exclude<keyof WorkloadSpec, 'kind'>;

export interface WorkloadProgram {
  id: WorkloadId;
  /**
   * How the workload runs: 'host' programs are started on a page and stepped by the
   * scheduler (their `ops` budget); 'guest' is the vCPUs' touches (kvm_fault); 'exit' runs
   * once per page at VM teardown.
   */
  runs: 'host' | 'guest' | 'exit';
  /** host operations when the level gives no `ops` (0 for guest and exit workloads) */
  defaultOps: number;
  /**
   * The ratio option that picks an operation's variant (1 with that probability, one
   * scheduler draw per start), or null: a single variant, no draw.
   */
  variant: 'writeRatio' | 'munlockRatio' | null;
  /** the option fields a level may give this workload (src/io builds its schema from them) */
  options: readonly WorkloadOption[];
}
