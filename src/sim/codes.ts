// Integer codes of the engine's hot path (src/sim internal): site and workload indexes,
// hook conditions, GUP flavours and results, step results, metric slots. Derived from the
// id lists of model.ts and types.ts, so that a new id gets a code without a second table.
import { SITE_IDS, WORKLOAD_IDS, type SiteId, type WorkloadId } from './model.js';
import { METRIC_KEYS, type MetricKey } from './types.js';

// ---- site indexes -------------------------------------------------------------------
export const SITE_INDEX = Object.fromEntries(SITE_IDS.map((s, i) => [s, i])) as Record<SiteId, number>;
export const NSITES = SITE_IDS.length;
export const S_GUP_FAST = SITE_INDEX.gup_fast, S_GUP_SLOW = SITE_INDEX.gup_slow, S_WRITEBACK = SITE_INDEX.writeback,
  S_PTEP = SITE_INDEX.ptep_clear, S_RECLAIM = SITE_INDEX.reclaim_scan, S_SPLICE = SITE_INDEX.splice,
  S_DMA = SITE_INDEX.dma_map, S_BIO = SITE_INDEX.bio_submit, S_KMAP = SITE_INDEX.kmap,
  S_VMNP = SITE_INDEX.vm_normal_page, S_FAULT = SITE_INDEX.fault;

// hook condition codes per site (0 = not placed)
export const W_PLACED = 1; // placed, no condition
export const W_PIN = 2, W_GET = 3, W_ANY = 4, W_LIVE = 5;
// GUP flavours of a call (0: not a GUP call)
export const FOLL_PIN = 1, FOLL_GET = 2;

// ---- workload kinds -----------------------------------------------------------------
/**
 * The workload kinds as literal ints (the index in WORKLOAD_IDS, checked below), so that
 * the program switch of workloads/index.ts is exhaustive for the compiler.
 */
export const KIND = {
  kvm_fault: 0, host_refs: 1, swap: 2, malicious_qemu: 3, mmap_sync: 4,
  sendfile: 5, process_vm_readv: 6, zswap: 7, teardown: 8,
} as const satisfies Record<WorkloadId, number>;
export type Kind = (typeof KIND)[WorkloadId];
WORKLOAD_IDS.forEach((w, i) => {
  if (KIND[w] !== i) throw new Error(`codes.ts: KIND.${w} must be ${i}, its index in WORKLOAD_IDS`);
});

// gup() results
// GUP_BACKING: guest_memfd, the page is private: GUP took the hva's shared backing page
// instead (a different physical page, nothing to protect); the caller holds nothing on p
export const GUP_OK = 0, GUP_HOOK_FAIL = 1, GUP_EFAULT = 2, GUP_RETRY = 3, GUP_BACKING = 4;
// a program step's result
export const RUN = 0, DONE = 1;

// ---- metric slots -------------------------------------------------------------------
export const NMETRICS = METRIC_KEYS.length;
const MI = Object.fromEntries(METRIC_KEYS.map((k, i) => [k, i])) as Record<MetricKey, number>;
export const M_IO = MI.ioErrors, M_FATAL = MI.fatalIoErrors, M_CRASH = MI.crashes, M_EXP = MI.exports,
  M_IMP = MI.imports, M_WASTE = MI.wastedExports, M_DESTROY = MI.destroys,
  M_CHECKS = MI.hookChecks, M_EXC = MI.exceptions, M_STALL = MI.stallRetries, M_CLEAN = MI.cleanErrors,
  M_DEV = MI.deviceIos, M_CPU = MI.cpuAccesses, M_EVENTS = MI.events, M_FREED = MI.freedSecure,
  M_CIPHER = MI.ciphertextReads;

/** indexes of Engine.thresholds: guest write, hot set, then per workload [write, munlock] */
export const T_GUEST_WRITE = 0, T_HOT = 1, T_WL = 2;
