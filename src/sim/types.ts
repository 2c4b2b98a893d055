import type { ArchId, Costs, DeviceId, KernelId, SiteId, When, WorkloadId } from './model.js';

/** One hook placement of a solution. */
export interface Hook {
  site: SiteId;
  /** GUP sites: pin | get | any (default pin). ptep_clear: any | live (default any). */
  when?: When;
}

/** A workload in the mix. Every field but `kind` is optional (defaults per kind). */
export interface WorkloadSpec {
  kind: WorkloadId;
  /** number of host operations (aging scans, syscalls, ...); kvm_fault: see `touches` */
  ops?: number;
  /** kvm_fault: total guest page touches */
  touches?: number;
  /** kvm_fault: fraction of pages in the hot working set */
  hot?: number;
  /** kvm_fault: probability a touch goes to the hot set */
  hotProb?: number;
  /** kvm_fault / malicious_qemu: fraction of writes */
  writeRatio?: number;
  /** kvm_fault: number of vCPUs */
  vcpus?: number;
  /** malicious_qemu: use get/pin_user_pages_fast (true) or only slow GUP (false) */
  fastGup?: boolean;
  /** sendfile: send to a socket (NIC) or splice to a file (block device) */
  target?: 'socket' | 'file';
  /** sendfile: zero-copy send (device reads the page) or a CPU copy */
  zeroCopy?: boolean;
  /** host_refs: fraction of munlock (follow_page, no fault-in) vs NUMA queries */
  munlockRatio?: number;
}

/** Everything the engine needs besides hooks and seed. */
export interface SimConfig {
  arch: ArchId;
  kernel: KernelId;
  device: DeviceId;
  /** guest pages (4 KiB each) */
  pages: number;
  /** fraction of pages the guest shared (swiotlb bounce buffers) */
  shared: number;
  workloads: WorkloadSpec[];
  costs?: Partial<Costs>;
  /** host operations in flight at once (default 8) */
  maxInFlight?: number;
}

export const METRIC_KEYS = [
  'ioErrors',
  'fatalIoErrors',
  'crashes',
  /** secure pages that went back to the host allocator (s390): its own bug class, fails a run */
  'freedSecure',
  'exports',
  'imports',
  'wastedExports',
  'destroys',
  'hooks',
  'hookChecks',
  'exceptions',
  'stallRetries',
  'guestStall',
  'hostOverhead',
  'encryptionWork',
  'cost',
  'cleanErrors',
  'deviceIos',
  'cpuAccesses',
  /** host CPU reads that got ciphertext without a fault (SEV-SNP): counted, not a failure */
  'ciphertextReads',
  'events',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export type Metrics = Record<MetricKey, number>;

export type PageStateName = 'secure' | 'private' | 'shared' | 'exported' | 'swapped' | 'freed';

export type FailureKind = 'io-error' | 'fatal-io-error' | 'crash' | 'freed-secure';

/** One step of a trace: what happened to which page, where, and the page state after it. */
export interface TraceEvent {
  /** index of the scheduler choice that produced the event */
  step: number;
  /** who acted: `guest`, or `<workload>#<instance>` */
  actor: string;
  workload: WorkloadId;
  page: number;
  /** kernel function on the path */
  fn: string;
  /** hook site involved, if any (including the fixed `fault`) */
  site?: SiteId;
  /** what happened: export, import, device-read, lock, stall, ... */
  action: string;
  /** page state after the event */
  state: PageStateName;
  /** compact flags after the event, e.g. "P W D wb L ref1" */
  flags: string;
  /** set on the event that failed */
  outcome?: FailureKind | 'clean-error';
  note?: string;
}

/** A scheduler choice. Scripts of these replay a run exactly. */
export type Choice =
  | { t: 'start'; id: number; w: number; page: number; v: number }
  | { t: 'step'; id: number }
  | { t: 'guest'; page: number; write: boolean }
  | { t: 'teardown'; page: number };

export interface Failure {
  kind: FailureKind;
  page: number;
  workload: WorkloadId;
  site?: SiteId;
  message: string;
}

export interface Counterexample {
  seed: number;
  failure: Failure;
  /** the shrunk schedule that reproduces the failure */
  schedule: Choice[];
  trace: TraceEvent[];
  /** the run was longer than pvlab records: the schedule comes from its last `last` of `of` choices */
  truncated?: { last: number; of: number };
  /** the trace covers only the schedule's choices after the first `traceFrom` */
  traceFrom?: number;
}

export interface RunResult {
  seed: number;
  passed: boolean;
  metrics: Metrics;
  workloads: Partial<Record<WorkloadId, Metrics>>;
  firstFailure?: Failure;
  counterexample?: Counterexample;
}
