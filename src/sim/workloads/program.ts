// What a workload module declares besides its step function (see workloads/index.ts).
import type { SiteId, WorkloadId } from '../model.js';
import type { SimConfig, WorkloadSpec } from '../types.js';

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
  /**
   * The kernel path its operations take on a machine, entry to sink: the functions and the
   * hook sites in the order the program meets them (the board's lane; a property test runs
   * the engine and checks that the sites it reaches are the sites on the path).
   */
  path: (m: Machine, spec: WorkloadSpec) => WorkloadPath;
}

/** What decides a path: the architecture, the mm era and the I/O device. */
export type Machine = Pick<SimConfig, 'arch' | 'kernel' | 'device'>;

/** Where the page ends up: a device, a CPU, or nowhere (freed, or only referenced). */
export type Sink = 'device' | 'CPU' | 'guest CPU' | 'freed' | 'none';

/** A step on a path: a kernel function, or a hook site. */
export type PathStep = { fn: string } | { site: SiteId };

export interface WorkloadPath {
  steps: PathStep[];
  sink: Sink;
}

export const fnStep = (fn: string): PathStep => ({ fn });
export const siteStep = (site: SiteId): PathStep => ({ site });

/** submit_bio and what follows it on the machine's device. */
export function blockPath(m: Machine): PathStep[] {
  return m.device === 'pci'
    ? [fnStep('submit_bio'), siteStep('bio_submit'), fnStep('dma_map_sg'), siteStep('dma_map'), fnStep('PCI DMA')]
    : [fnStep('submit_bio'), siteStep('bio_submit'), fnStep('CCW channel program')];
}

/**
 * Slow GUP as mm/gup.c runs it: __get_user_pages() walks with follow_page_mask() down to
 * follow_page_pte(), which looks the page up (vm_normal_page()), takes the reference or pin
 * (try_grab_page()) and only then runs the hook (`if (flags & FOLL_PIN) { ret =
 * arch_make_page_accessible(page); ...`): both sites sit inside follow_page_pte().
 */
export const GUP_SLOW_PATH: readonly PathStep[] = [
  fnStep('__get_user_pages → follow_page_mask → follow_page_pte'), siteStep('vm_normal_page'),
  fnStep('try_grab_page'), siteStep('gup_slow'),
];
