// The simulation engine: a seeded interleaving of guest activity and host mm paths over
// struct-of-arrays page state. Pure: no I/O, no clocks, no allocation per event unless a
// trace is requested.
import * as modelModule from './model.js';
import type { ArchInfo, Costs, WorkloadId } from './model.js';
import * as typesModule from './types.js';
import type { Choice, Failure, FailureKind, Hook, Metrics, PageStateName, SimConfig, TraceEvent, WorkloadSpec } from './types.js';
import * as pagestateModule from './pagestate.js';
import * as codesModule from './codes.js';
import type { Kind } from './codes.js';
import { ChoiceLog } from './choicelog.js';
import * as workloadsModule from './workloads/index.js';

export * from './pagestate.js';

// Local copies of the imported names used on the hot path: vitest's module runner (and tsx)
// turn every use of an imported binding into a getter call, a large share of a test's
// engine time; plain node (dist) is unchanged by this.
const { ARCHES, DEFAULT_COSTS, SITE_IDS } = modelModule;
const { METRIC_KEYS } = typesModule;
const { F_BACKING, F_DIRTY, F_FREED, F_LOCKED, F_ONSWAP, F_OUT, F_PRESENT, F_PRIVATE, F_SPTE, F_SWAPPED, F_UNUSED_EXPORT, F_WRITABLE, F_ZSWAPPED, ST_EXPORTED, ST_SECURE, ST_SHARED, flagStringOf, stateNameOf } = pagestateModule;
const { DONE, FOLL_GET, FOLL_PIN, GUP_BACKING, GUP_EFAULT, GUP_HOOK_FAIL, GUP_OK, GUP_RETRY, KIND, M_CHECKS, M_CIPHER, M_CLEAN, M_CPU, M_CRASH, M_DESTROY, M_DEV, M_EVENTS, M_EXC, M_EXP, M_FATAL, M_FREED, M_IO, M_WASTE, NMETRICS: MN, NSITES, S_BIO, S_DMA, S_FAULT, S_GUP_FAST, S_GUP_SLOW, S_PTEP, S_VMNP, SITE_INDEX: S, T_GUEST_WRITE, T_HOT, T_WL, W_ANY, W_GET, W_LIVE, W_PIN, W_PLACED } = codesModule;
const { PROGRAMS, eligibleFor, guestTouch, stepProgram, teardownPage } = workloadsModule;

export interface EngineOptions {
  /**
   * record scheduler choices (for counterexamples): `true` every one, a number `n` the
   * last `n` only (a ring: memory bounded whatever the run's length)
   */
  recordChoices?: boolean | number;
  /** record trace events in `events` */
  trace?: boolean;
  /** hand each trace event to this function instead of keeping it (counts over a whole run, memory bounded) */
  onEvent?: (e: TraceEvent) => void;
  /** trace only the scheduler choices after the first `traceFrom` (the end of a long replay) */
  traceFrom?: number;
  /** stop at the first failure */
  stopAtFirstFailure?: boolean;
}

/** A workload of the run, resolved from its spec (index `w` of Engine.workloads). */
export interface WorkloadRt {
  kind: Kind;
  id: WorkloadId;
  spec: WorkloadSpec;
  budget: number;
  writeRatio: number; // scaled to 2^32
  munlockRatio: number;
  fastGup: boolean;
  toFile: boolean;
  zeroCopy: boolean;
  /** the variant ratio (scaled to 2^32) a start draws against, or -1: one variant, no draw */
  variantRatio: number;
  /** its index in Engine.thresholds, or -1 */
  variantThreshold: number;
}

export function resolveCosts(c?: Partial<Costs>): Costs {
  return { ...DEFAULT_COSTS, ...(c ?? {}) };
}

/** Number of shared pages: the last ones, like a contiguous swiotlb pool. */
export function sharedCount(cfg: SimConfig): number {
  return Math.min(cfg.pages, Math.round(cfg.pages * cfg.shared));
}

// The fields and helpers below that are not `private` are used by the workload programs
// (workloads/*.ts) and the exhaustive search (exmoves.ts): they are internal to src/sim,
// not an API for its callers (which use run.ts, verify.ts, analyze.ts, ...).
export class Engine {
  readonly cfg: SimConfig;
  readonly arch: ArchInfo;
  /** pages */
  readonly n: number;
  readonly costs: Costs;
  // ---- page state, one entry per page (pagestate.ts) ----
  /** ST_SECURE / ST_SHARED / ST_EXPORTED */
  readonly state: Uint8Array;
  /** F_* flags */
  readonly flags: Uint16Array;
  /** references (FOLL_GET, page cache) and pins (FOLL_PIN) held */
  readonly refs: Uint8Array;
  readonly pins: Uint8Array;
  /** the workload whose hook exported the page while nothing used the export yet, or -1 */
  readonly exporter: Int8Array;
  // ---- hooks ----
  /** per site: 0 not placed, else a W_* condition code (codes.ts) */
  readonly hookCode = new Uint8Array(NSITES);
  readonly hookCount: number;
  /**
   * per site without a hook: the calls a hook there would have seen, as bits `1 << foll`
   * (ptep_clear: 1 for any call). A hook that would have run on none of them leaves the
   * run unchanged (hookInert): analyze reuses the run of the placement without it.
   */
  readonly consulted = new Uint8Array(NSITES);
  // ---- host operations in flight, one entry per slot ----
  /** operations in flight at once */
  readonly cap: number;
  readonly slotWorkload: Int8Array;
  /** the workload kind of the slot's operation (saves two loads a step) */
  readonly slotKind: Uint8Array;
  readonly slotPage: Int32Array;
  /** the program counter: the operation's step (its meaning is the program's) */
  readonly slotPc: Uint8Array;
  readonly slotVariant: Uint8Array;
  /** the operation's id (as in Choice scripts) */
  readonly slotId: Int32Array;
  /** the slots in flight, [0, nActive) */
  readonly active: Int32Array;
  nActive = 0;
  /** a stack of free slots, [0, nFree) */
  readonly freeSlots: Int32Array;
  nFree: number;
  nextId = 0;
  // ---- workloads ----
  readonly workloads: WorkloadRt[];
  /** per workload kind: its index in `workloads`, or -1 */
  readonly wIndexOfKind = new Int8Array(Object.keys(PROGRAMS).length).fill(-1);
  hostBudget = 0;
  guestBudget = 0;
  private readonly vcpuStall: Int32Array;
  readonly hotSize: number;
  readonly hotProb: number; // scaled
  readonly guestWrite: number; // scaled
  // the same thresholds for chance(): [guest write, hot set, then per workload write, munlock]
  // (a double passed to a call that is not inlined is boxed: an allocation per draw)
  private readonly thresholds: Float64Array;
  /** the 5.7 mm (FOLL_GET O_DIRECT, follow_page munlock, ...) */
  readonly gup57: boolean;
  readonly pci: boolean;
  /** the level has a teardown workload */
  readonly teardown: boolean;
  private teardownNext = 0;
  /** set by the exhaustive search once it tore down a page: only teardown moves remain */
  tornDown = false;
  // ---- results ----
  /** metrics: [workload][metric] */
  readonly metrics: Float64Array;
  /** [workload][site]: a placed hook ran */
  readonly reached: Uint8Array;
  // prng (sfc32). The state lives in an Int32Array: as four fields, int32 values outside
  // V8's small-integer range made each field a boxed heap number (~20% of a run's time).
  private readonly rngState = new Int32Array(4);
  // failures, recording
  firstFailure: Failure | null = null;
  stopped = false;
  private readonly opts: EngineOptions;
  /** the recorded scheduler choices (opts.recordChoices) */
  readonly log: ChoiceLog | null;
  readonly events: TraceEvent[] | null;
  /** events are made (kept in `events` or handed to onEvent) */
  private readonly tracing: boolean;
  private readonly traceFrom: number;
  private readonly onEvent: ((e: TraceEvent) => void) | null;
  /** the last event made: fail() marks it */
  private lastEvent: TraceEvent | null = null;
  curStep = 0;
  private idToSlot: Map<number, number> | null = null;

  constructor(cfg: SimConfig, hooks: readonly Hook[], seed: number, opts: EngineOptions = {}) {
    this.cfg = cfg;
    this.opts = opts;
    this.arch = ARCHES[cfg.arch];
    this.n = cfg.pages;
    this.costs = resolveCosts(cfg.costs);
    const n = this.n;
    this.state = new Uint8Array(n);
    this.flags = new Uint16Array(n);
    this.refs = new Uint8Array(n);
    this.pins = new Uint8Array(n);
    this.exporter = new Int8Array(n).fill(-1);
    const nShared = sharedCount(cfg);
    const firstShared = n - nShared;
    const base = F_PRESENT | F_WRITABLE | F_DIRTY;
    for (let p = 0; p < n; p++) {
      if (p < firstShared) { this.state[p] = ST_SECURE; this.flags[p] = base | F_PRIVATE; }
      else { this.state[p] = ST_SHARED; this.flags[p] = base; }
    }
    if (!this.arch.privateMapped) {
      for (let p = 0; p < firstShared; p++) this.flags[p] = F_PRIVATE; // no PTE, no page cache
    }
    for (const h of hooks) {
      const code = hookCodeOf(h);
      if (code !== 0) this.hookCode[S[h.site]] = code;
    }
    this.hookCount = placedHookCount(hooks);

    this.workloads = [];
    let vcpus = 0, hot = 0.125, hotProb = 0.8, gw = 0.5;
    for (const spec of cfg.workloads) {
      const kind = KIND[spec.kind];
      if (this.wIndexOfKind[kind] >= 0) continue; // one entry per kind (schema enforces)
      const program = PROGRAMS[spec.kind];
      const w = this.workloads.length;
      const writeRatio = Math.floor((spec.writeRatio ?? 0.5) * 4294967296);
      const munlockRatio = Math.floor((spec.munlockRatio ?? 0.5) * 4294967296);
      const rt: WorkloadRt = {
        kind, id: spec.kind, spec,
        budget: program.runs === 'host' ? (spec.ops ?? program.defaultOps) : 0,
        writeRatio, munlockRatio,
        fastGup: spec.fastGup ?? true,
        toFile: spec.target === 'file',
        zeroCopy: spec.zeroCopy ?? true,
        variantRatio: program.variant === 'writeRatio' ? writeRatio : program.variant === 'munlockRatio' ? munlockRatio : -1,
        variantThreshold: program.variant === 'writeRatio' ? T_WL + 2 * w : program.variant === 'munlockRatio' ? T_WL + 2 * w + 1 : -1,
      };
      this.wIndexOfKind[kind] = this.workloads.length;
      this.workloads.push(rt);
      this.hostBudget += rt.budget;
      if (spec.kind === 'kvm_fault') {
        this.guestBudget = spec.touches ?? 2000;
        vcpus = Math.max(1, spec.vcpus ?? 1);
        hot = spec.hot ?? hot; hotProb = spec.hotProb ?? hotProb; gw = spec.writeRatio ?? gw;
      }
    }
    this.teardown = this.wIndexOfKind[KIND.teardown] >= 0;
    this.vcpuStall = new Int32Array(Math.max(1, vcpus)).fill(-1);
    this.hotSize = Math.max(1, Math.min(firstShared > 0 ? firstShared : n, Math.round(n * hot)));
    this.hotProb = Math.floor(hotProb * 4294967296);
    this.guestWrite = Math.floor(gw * 4294967296);
    this.thresholds = new Float64Array(T_WL + 2 * this.workloads.length);
    this.thresholds[T_GUEST_WRITE] = this.guestWrite;
    this.thresholds[T_HOT] = this.hotProb;
    this.workloads.forEach((rt, w) => { this.thresholds[T_WL + 2 * w] = rt.writeRatio; this.thresholds[T_WL + 2 * w + 1] = rt.munlockRatio; });
    this.gup57 = cfg.kernel === '5.7';
    this.pci = cfg.device === 'pci';

    this.cap = Math.max(1, cfg.maxInFlight ?? 8);
    const slots = Math.max(this.cap, 256);
    this.slotWorkload = new Int8Array(slots);
    this.slotKind = new Uint8Array(slots);
    this.slotPage = new Int32Array(slots);
    this.slotPc = new Uint8Array(slots);
    this.slotVariant = new Uint8Array(slots);
    this.slotId = new Int32Array(slots);
    this.active = new Int32Array(slots);
    this.freeSlots = new Int32Array(slots);
    this.nFree = slots;
    for (let i = 0; i < slots; i++) this.freeSlots[i] = slots - 1 - i;

    this.metrics = new Float64Array(Math.max(1, this.workloads.length) * MN);
    this.reached = new Uint8Array(Math.max(1, this.workloads.length) * NSITES);
    this.seed(seed);
    this.log = opts.recordChoices ? new ChoiceLog(typeof opts.recordChoices === 'number' ? opts.recordChoices : Infinity) : null;
    this.onEvent = opts.onEvent ?? null;
    this.events = opts.trace && this.onEvent === null ? [] : null;
    this.tracing = this.events !== null || this.onEvent !== null;
    this.traceFrom = opts.traceFrom ?? 0;
  }

  // ---- prng -------------------------------------------------------------------------
  private seed(s: number): void {
    const r = this.rngState;
    r[0] = 0x9e3779b9; r[1] = 0x243f6a88; r[2] = 0xb7e15162; r[3] = s >>> 0;
    for (let i = 0; i < 15; i++) this.rand();
  }
  // rand(), chance() and below() each take one sfc32 step themselves (the same four lines
  // three times): a uint32 returned from a call V8 does not inline is boxed, an allocation
  // per draw; a boolean or a small int is not.
  /** One step of sfc32, as an int32. */
  private rand(): number {
    const r = this.rngState;
    const a = r[0], b = r[1], c = r[2], d = r[3];
    const t = (((a + b) | 0) + d) | 0;
    r[3] = (d + 1) | 0;
    r[0] = b ^ (b >>> 9);
    r[1] = (c + (c << 3)) | 0;
    r[2] = ((c << 21) | (c >>> 11)) + t | 0;
    return t;
  }
  /** One step: true with probability thr[i] / 2^32. */
  private chance(i: number): boolean {
    const r = this.rngState;
    const a = r[0], b = r[1], c = r[2], d = r[3];
    const t = (((a + b) | 0) + d) | 0;
    r[3] = (d + 1) | 0;
    r[0] = b ^ (b >>> 9);
    r[1] = (c + (c << 3)) | 0;
    r[2] = ((c << 21) | (c >>> 11)) + t | 0;
    return (t >>> 0) < this.thresholds[i];
  }
  /** One step: a uniform int in [0, n), n < 2^31 (`| 0` is Math.floor here, and stays an int). */
  private below(n: number): number {
    const r = this.rngState;
    const a = r[0], b = r[1], c = r[2], d = r[3];
    const t = (((a + b) | 0) + d) | 0;
    r[3] = (d + 1) | 0;
    r[0] = b ^ (b >>> 9);
    r[1] = (c + (c << 3)) | 0;
    r[2] = ((c << 21) | (c >>> 11)) + t | 0;
    return (((t >>> 0) / 4294967296) * n) | 0;
  }

  // ---- metrics ------------------------------------------------------------------------
  add(w: number, k: number, v = 1): void {
    this.metrics[w * MN + k] += v;
  }

  fail(w: number, kind: FailureKind, p: number, site: number, msg: string): void {
    if (kind === 'crash') this.add(w, M_CRASH);
    else if (kind === 'freed-secure') this.add(w, M_FREED);
    else {
      this.add(w, M_IO);
      if (kind === 'fatal-io-error') this.add(w, M_FATAL);
    }
    if (this.firstFailure === null) {
      this.firstFailure = {
        kind, page: p, workload: this.workloads[w].id, message: msg,
        ...(site >= 0 ? { site: SITE_IDS[site] } : {}),
      };
      if (this.opts.stopAtFirstFailure) this.stopped = true;
    }
    if (this.lastEvent !== null) this.lastEvent.outcome = kind;
  }

  // ---- trace --------------------------------------------------------------------------
  /** A trace event (only when tracing: this guard is small enough to be inlined everywhere). */
  ev(w: number, slot: number, p: number, fn: string, site: number, action: string, note?: string): void {
    if (this.tracing) this.evPush(w, slot, p, fn, site, action, note);
  }

  private evPush(w: number, slot: number, p: number, fn: string, site: number, action: string, note?: string): void {
    if (this.curStep <= this.traceFrom) return;
    const e: TraceEvent = {
      step: this.curStep,
      actor: slot < 0 ? (this.workloads[w].kind === KIND.kvm_fault ? 'guest' : this.workloads[w].id) : `${this.workloads[w].id}#${this.slotId[slot]}`,
      workload: this.workloads[w].id,
      page: p, fn, action, state: this.stateName(p), flags: this.flagString(p),
    };
    if (site >= 0) e.site = SITE_IDS[site];
    if (note !== undefined) e.note = note;
    this.lastEvent = e;
    if (this.onEvent !== null) this.onEvent(e);
    else this.events?.push(e);
  }


  stateName(p: number): PageStateName {
    return stateNameOf(this.flags[p], this.state[p], this.arch.canExport);
  }

  flagString(p: number): string {
    return flagStringOf(this.flags[p], this.refs[p], this.pins[p]);
  }

  // ---- the hook: arch_make_page_accessible() -----------------------------------------
  /** Returns true when the page is accessible (or the hook is not placed / not matching). */
  hook(site: number, p: number, w: number, slot: number, foll: number, fn: string): boolean {
    const code = this.hookCode[site];
    if (code === 0) { this.consulted[site] |= 1 << foll; return true; }
    if (code === W_PIN && foll !== FOLL_PIN) return true;
    if (code === W_GET && foll !== FOLL_GET) return true;
    return this.hookHit(site, p, w, slot, fn);
  }

  /** The placed hook runs (split from hook() so that the common "not placed" case inlines). */
  private hookHit(site: number, p: number, w: number, slot: number, fn: string): boolean {
    this.add(w, M_CHECKS);
    this.reached[w * NSITES + site] = 1;
    const s = this.state[p];
    if (s !== ST_SECURE) return true;
    if (this.arch.canExport) {
      this.exportPage(p, w, true);
      this.ev(w, slot, p, fn, site, 'export');
      return true;
    }
    this.ev(w, slot, p, fn, site, 'hook-fails', 'a private page cannot be made accessible without the guest');
    return false;
  }

  exportPage(p: number, w: number, unused: boolean): void {
    this.state[p] = ST_EXPORTED;
    this.add(w, M_EXP);
    if (unused) { this.flags[p] |= F_UNUSED_EXPORT; this.exporter[p] = w; }
    else { this.flags[p] &= ~F_UNUSED_EXPORT; this.exporter[p] = -1; }
  }

  /** An export that nothing used is wasted when the guest imports or the page is freed. */
  settleExport(p: number): void {
    if (this.flags[p] & F_UNUSED_EXPORT) {
      this.add(this.exporter[p], M_WASTE);
      this.flags[p] &= ~F_UNUSED_EXPORT;
      this.exporter[p] = -1;
    }
  }

  useExport(p: number): void {
    this.flags[p] &= ~F_UNUSED_EXPORT;
    this.exporter[p] = -1;
  }

  // ---- accesses -------------------------------------------------------------------------
  /** A device reads or writes the page. Returns false on an I/O error. */
  device(p: number, w: number, slot: number, fatal: boolean, fn: string, action: string): boolean {
    this.add(w, M_DEV);
    if (this.state[p] === ST_SECURE) {
      this.ev(w, slot, p, fn, -1, action);
      // only the first failure keeps its message: do not build the others' (an allocation each)
      this.fail(w, fatal ? 'fatal-io-error' : 'io-error', p, -1, this.firstFailure !== null ? '' :
        `${action === 'device-read' ? 'the device read' : 'the device wrote'} a ${this.stateName(p)} page during ${this.workloads[w].id}${fatal ? ' (unrecoverable)' : ''}`);
      return false;
    }
    this.useExport(p);
    this.ev(w, slot, p, fn, -1, action);
    return true;
  }

  /** The host CPU reads the page (every modelled CPU access is a copy out). False on a crash. */
  cpu(p: number, w: number, slot: number, fn: string): boolean {
    this.add(w, M_CPU);
    if (this.state[p] === ST_SECURE) {
      if (this.arch.cpuRead === 'ciphertext') { // [A4] SEV-SNP: the RMP checks writes, a read gets ciphertext
        this.add(w, M_CIPHER);
        this.ev(w, slot, p, fn, -1, 'cpu-access', 'reads ciphertext: the RMP checks host writes only');
        return true;
      }
      if (this.arch.cpuRead === 'fault') {
        this.add(w, M_EXC);
        this.reached[w * NSITES + S_FAULT] = 1;
        this.exportPage(p, w, false);
        this.ev(w, slot, p, 'do_secure_storage_access (0x3d)', S_FAULT, 'export', 'the fault handler exports and retries');
      } else {
        this.ev(w, slot, p, fn, -1, 'cpu-access');
        this.fail(w, 'crash', p, -1, this.firstFailure !== null ? '' : `host CPU touched a private page in ${fn}`);
        return false;
      }
    }
    this.useExport(p);
    this.ev(w, slot, p, fn, -1, 'cpu-access');
    return true;
  }

  /** The host frees the physical page (swap-out done, zswap stored, teardown). */
  freePhys(p: number, w: number, slot: number, fn: string): void {
    if (this.state[p] === ST_SECURE && this.arch.canExport && (this.flags[p] & F_PRIVATE)) {
      this.ev(w, slot, p, fn, -1, 'free');
      this.fail(w, 'freed-secure', p, -1,
        'a secure page went back to the host allocator: whoever gets it next faults on a CPU touch and fails any device I/O into it');
      return;
    }
    this.settleExport(p);
    this.ev(w, slot, p, fn, -1, 'free');
  }

  // ---- GUP ----------------------------------------------------------------------------------
  grab(p: number, foll: number): void {
    if (foll === FOLL_PIN) this.pins[p]++; else this.refs[p]++;
  }
  ungrab(p: number, foll: number): void {
    if (foll === FOLL_PIN) this.pins[p]--; else this.refs[p]--;
  }

  /**
   * do_swap_page() on a swapped-out page: read it back and map it. [R3] The PTE is made
   * writable only on a write fault, and then dirty too (maybe_mkwrite(pte_mkdirty())); a
   * read fault maps it read-only and clean, and the swap copy stays valid.
   */
  swapIn(p: number, w: number, slot: number, write: boolean): void {
    const f = this.flags[p];
    const z = (f & F_ZSWAPPED) !== 0;
    const g = z ? f & ~F_ZSWAPPED : (f & ~F_SWAPPED) | F_ONSWAP;
    this.flags[p] = write ? (g | F_PRESENT | F_WRITABLE | F_DIRTY) & ~F_ONSWAP : g | F_PRESENT;
    this.ev(w, slot, p, z ? 'zswap_load (CPU decompress)' : 'swap_read_folio (device writes a fresh page)', -1, 'swap-in',
      write ? 'do_swap_page: write fault, mapped writable and dirty' : 'do_swap_page: read fault, mapped read-only and clean');
    this.add(w, M_DEV);
  }

  /** get_user_pages / pin_user_pages on one page. On GUP_OK the caller holds a ref or pin. */
  gup(p: number, w: number, slot: number, foll: number, write: boolean, allowFast: boolean, mayFault: boolean): number {
    let f = this.flags[p];
    if ((f & F_PRIVATE) && !this.arch.privateMapped) return this.gupBacking(p, w, slot, foll, allowFast, mayFault);
    if (allowFast && (f & F_PRESENT) && (!write || (f & F_WRITABLE))) {
      this.grab(p, foll);
      this.ev(w, slot, p, 'gup_pte_range (fast GUP)', -1, foll === FOLL_PIN ? 'pin' : 'get');
      if (this.hook(S_GUP_FAST, p, w, slot, foll, 'gup_pte_range (fast GUP)')) return GUP_OK;
      // [R6] fast GUP drops the page and returns fewer pages; internal_get_user_pages_fast()
      // takes the slow path for the rest: a refusal is final only where slow GUP refuses too
      this.ungrab(p, foll);
      this.ev(w, slot, p, 'internal_get_user_pages_fast', -1, 'fallback', 'fast GUP got fewer pages: the slow path takes the rest');
    }
    // slow path: fault in if needed, then follow_page_pte under the PTE lock
    if (!(f & F_PRESENT)) {
      if (!mayFault) return GUP_EFAULT;
      if (f & F_OUT) { this.swapIn(p, w, slot, write); f = this.flags[p]; }
      else if (f & F_LOCKED) { this.ev(w, slot, p, 'handle_mm_fault', -1, 'wait', 'page locked by reclaim'); return GUP_RETRY; }
      else { this.flags[p] = f = this.mapFault(f, write); }
    }
    if (write && !(f & F_WRITABLE)) {
      if (!mayFault) return GUP_EFAULT;
      // [R5] no wait for PG_writeback: folio_wait_stable() waits only for devices that need
      // stable writes, and the modelled disks do not
      if (f & F_LOCKED) { this.ev(w, slot, p, 'do_wp_page -> page_mkwrite', -1, 'wait', 'folio locked by writeback (page_mkclean)'); return GUP_RETRY; }
      this.flags[p] = f = (f | F_WRITABLE | F_DIRTY) & ~F_ONSWAP;
    }
    if (!this.hook(S_VMNP, p, w, slot, foll, 'follow_page_pte -> vm_normal_page')) return GUP_HOOK_FAIL;
    this.grab(p, foll);
    this.ev(w, slot, p, 'follow_page_pte (slow GUP)', -1, foll === FOLL_PIN ? 'pin' : 'get');
    if (!this.hook(S_GUP_SLOW, p, w, slot, foll, 'follow_page_pte (slow GUP)')) {
      this.ungrab(p, foll);
      return GUP_HOOK_FAIL;
    }
    return GUP_OK;
  }

  /**
   * [A3] guest_memfd: GUP on the hva of a private page. The memslot's userspace_addr maps
   * the shared memory, and the private memory has no PTE there: GUP reaches the shared
   * backing, which QEMU discarded when the page turned private (ram_block_discard_range),
   * so the first GUP misses the fast path and faults a fresh shared page in; later fast
   * GUPs find it. Hooks on that page are flag checks ([R21]); the caller holds nothing on p.
   */
  private gupBacking(p: number, w: number, slot: number, foll: number, allowFast: boolean, mayFault: boolean): number {
    if (this.flags[p] & F_BACKING) {
      if (allowFast) {
        this.hookShared(S_GUP_FAST, w, foll);
        this.ev(w, slot, p, 'gup_pte_range (fast GUP): the shared backing', -1, 'backing',
          `${foll === FOLL_PIN ? 'pinned' : 'got'} the shared page the hva maps; the private page lives in guest_memfd`);
        return GUP_BACKING;
      }
    } else {
      if (!mayFault) return GUP_EFAULT;
      this.flags[p] |= F_BACKING;
      this.ev(w, slot, p, 'handle_mm_fault: a fresh shared backing page', -1, 'backing',
        'QEMU discarded the shared backing when the page turned private; the private page lives in guest_memfd');
    }
    this.hookShared(S_VMNP, w, foll);
    this.hookShared(S_GUP_SLOW, w, foll);
    this.ev(w, slot, p, 'follow_page_pte (slow GUP): the shared backing', -1, 'backing',
      foll === FOLL_PIN ? 'pinned the shared page, not the private one' : 'got the shared page, not the private one');
    return GUP_BACKING;
  }

  /** A placed hook on a shared page (the guest_memfd backing): a flag check ([R21]). */
  hookShared(site: number, w: number, foll: number): void {
    const code = this.hookCode[site];
    if (code === 0) { this.consulted[site] |= 1 << foll; return; }
    if ((code === W_PIN && foll !== FOLL_PIN) || (code === W_GET && foll !== FOLL_GET)) return;
    this.add(w, M_CHECKS);
    this.reached[w * NSITES + site] = 1;
  }

  /** [A3] I/O on the guest_memfd shared backing (after GUP_BACKING): the bio, the DMA mapping, the device. */
  backingIo(p: number, w: number, slot: number, action: string): void {
    this.hookShared(S_BIO, w, 0);
    if (this.pci) this.hookShared(S_DMA, w, 0);
    this.add(w, M_DEV);
    // its own action: the page's state in the trace is the private page's, which the device never touches
    this.ev(w, slot, p, `${this.pci ? 'PCI device DMA' : 'CCW channel program'}: the shared backing`, -1, 'backing-io',
      action === 'device-read' ? 'the device read the shared backing' : 'the device wrote the shared backing');
  }

  // ---- scheduler ----------------------------------------------------------------------------
  /** Run to completion with the seeded scheduler. */
  run(): void {
    // in chunks: one advance() over the whole run gets compiled on-stack (OSR) before
    // its exit path ever ran, and is deoptimized at the end of every run; chunks make it
    // an ordinary hot function (the result does not depend on the chunking)
    while (!this.advance(RUN_CHUNK));
  }

  /** True once the run has nothing left to do (or stopped at a failure). */
  get done(): boolean {
    return this.stopped || (this.guestBudget === 0 && this.hostBudget === 0 && this.nActive === 0 &&
      (!this.teardown || this.teardownNext >= this.n));
  }

  /** Number of scheduler choices made so far. */
  get steps(): number {
    return this.curStep;
  }

  /**
   * Make at most `maxChoices` scheduler choices (for animated runs: call once a frame).
   * Returns true when the run is complete. The result does not depend on how the run
   * is cut into calls.
   */
  advance(maxChoices: number): boolean {
    const wl = this.workloads;
    const nw = wl.length;
    const limit = this.curStep + maxChoices;
    while (!this.stopped && this.curStep < limit) {
      const g = this.guestBudget;
      const h = this.hostBudget * 4 + this.nActive;
      if (g + h === 0) break;
      if (g > 0 && this.below(g + h) < g) {
        // guest step
        const v = this.below(this.vcpuStall.length);
        let p = this.vcpuStall[v];
        if (p < 0) p = this.pickGuestPage();
        const write = this.chance(T_GUEST_WRITE);
        if (this.log !== null) this.log.guest(p, write);
        this.curStep++;
        this.guestBudget--;
        this.vcpuStall[v] = guestTouch(this, p, write) ? -1 : p;
        continue;
      }
      const canStart = this.hostBudget > 0 && this.nActive < this.cap;
      const r = this.below(this.nActive + (canStart ? 1 : 0));
      if (r < this.nActive) {
        const slot = this.active[r];
        if (this.log !== null) this.log.step(this.slotId[slot]);
        this.curStep++;
        this.stepSlot(slot, r);
      } else {
        // start a host operation: pick a workload in proportion to its remaining budget
        let x = this.below(this.hostBudget);
        let w = 0;
        for (; w < nw; w++) { if (x < wl[w].budget) break; x -= wl[w].budget; }
        wl[w].budget--;
        this.hostBudget--;
        const p = this.pickHostPage(w);
        if (p < 0) { this.add(w, M_EVENTS); this.curStep++; continue; }
        const v = this.variant(w);
        if (this.log !== null) this.log.start(this.nextId, w, p, v);
        this.curStep++;
        this.start(w, p, v, this.nextId++);
      }
    }
    while (this.teardown && !this.stopped && this.teardownNext < this.n && this.curStep < limit &&
      this.guestBudget === 0 && this.hostBudget === 0 && this.nActive === 0) {
      const p = this.teardownNext++;
      if (this.log !== null) this.log.teardown(p);
      this.curStep++;
      teardownPage(this, p);
    }
    return this.done;
  }

  /** Replay a script of choices (counterexamples, exhaustive search). */
  replay(script: readonly Choice[]): void {
    this.idToSlot ??= new Map();
    for (let i = 0; i < script.length && !this.stopped; i++) this.apply(script[i]);
  }

  /** Apply one choice. Unknown instance ids (removed by shrinking) are ignored. */
  apply(c: Choice): void {
    this.idToSlot ??= new Map();
    if (this.log !== null) this.log.push(c);
    this.curStep++;
    switch (c.t) {
      case 'guest': guestTouch(this, c.page, c.write); break;
      case 'teardown': if (this.teardown) teardownPage(this, c.page); break;
      case 'start': {
        if (c.w < 0 || c.w >= this.workloads.length || c.page < 0 || c.page >= this.n || this.nFree === 0) break;
        const slot = this.start(c.w, c.page, c.v, c.id);
        if (slot >= 0) this.idToSlot.set(c.id, slot);
        break;
      }
      case 'step': {
        const slot = this.idToSlot.get(c.id);
        if (slot === undefined) break;
        for (let r = 0; r < this.nActive; r++) {
          if (this.active[r] === slot) { this.stepSlot(slot, r); break; }
        }
        break;
      }
    }
  }

  /** The variant of a new operation: one draw when the workload has two (workloads/<id>.ts). */
  private variant(w: number): number {
    const i = this.workloads[w].variantThreshold;
    return i < 0 ? 0 : this.chance(i) ? 1 : 0;
  }

  private pickGuestPage(): number {
    if (this.chance(T_HOT)) return this.below(this.hotSize);
    return this.below(this.n);
  }

  /** May a host operation of this kind start on page p? */
  eligible(kind: Kind, p: number): boolean {
    const f = this.flags[p];
    if (f & F_FREED) return false;
    return eligibleFor(this, kind, f);
  }

  private pickHostPage(w: number): number {
    const kind = this.workloads[w].kind;
    for (let i = 0; i < 8; i++) {
      const p = this.below(this.n);
      if (this.eligible(kind, p)) return p;
    }
    return -1;
  }

  start(w: number, p: number, v: number, id: number): number {
    if (this.nFree === 0) return -1;
    const slot = this.freeSlots[--this.nFree];
    this.slotWorkload[slot] = w; this.slotKind[slot] = this.workloads[w].kind; this.slotPage[slot] = p; this.slotPc[slot] = 0; this.slotVariant[slot] = v;
    this.slotId[slot] = id;
    this.active[this.nActive++] = slot;
    this.stepSlot(slot, this.nActive - 1);
    return slot;
  }

  stepSlot(slot: number, r: number): void {
    const w = this.slotWorkload[slot];
    this.add(w, M_EVENTS);
    const res = stepProgram(this, this.slotKind[slot] as Kind, slot, w);
    if (res === DONE) {
      this.active[r] = this.active[--this.nActive];
      this.freeSlots[this.nFree++] = slot;
    }
  }

  /** Clear a present PTE: the s390 pgtable.h export site. Returns false on a crash. */
  ptepClear(p: number, w: number, slot: number, fn: string, live: boolean): boolean {
    const f = this.flags[p];
    this.flags[p] = (f & ~(F_PRESENT | F_WRITABLE | F_SPTE));
    const code = this.hookCode[S_PTEP];
    if (code !== 0 && this.state[p] === ST_SECURE && (f & F_PRIVATE)) {
      this.add(w, M_CHECKS);
      this.reached[w * NSITES + S_PTEP] = 1;
      if (!live && code === W_LIVE) {
        if (this.arch.canExport) {
          this.add(w, M_DESTROY);
          this.state[p] = ST_SHARED; // destroyed: a plain, cleared host page now
          this.ev(w, slot, p, fn, S_PTEP, 'destroy', 'uv_destroy_owned_page: the VM is gone');
        } else {
          this.ev(w, slot, p, fn, S_PTEP, 'unmap');
        }
        return true;
      }
      if (!this.arch.canExport) {
        this.ev(w, slot, p, fn, S_PTEP, 'hook-fails');
        this.fail(w, 'crash', p, S_PTEP, this.firstFailure !== null ? '' : `VM_BUG_ON: a PTE clear cannot fail (${fn})`);
        return false;
      }
      this.exportPage(p, w, true);
      this.ev(w, slot, p, fn, S_PTEP, 'export');
      return true;
    }
    if (code !== 0) { this.add(w, M_CHECKS); this.reached[w * NSITES + S_PTEP] = 1; } else this.consulted[S_PTEP] = 1;
    this.ev(w, slot, p, fn, -1, 'unmap');
    return true;
  }

  /** submit_bio -> (dma_map on PCI) -> device access. `wbPath`: a failure loses data. */
  submitBio(p: number, w: number, slot: number, wbPath: boolean, action: string): boolean {
    if (!this.hook(S_BIO, p, w, slot, 0, 'submit_bio')) {
      if (wbPath) { this.fail(w, 'fatal-io-error', p, S_BIO, 'a failed bio on a writeback path loses data'); return false; }
      this.add(w, M_CLEAN);
      return false;
    }
    return this.dmaAndDevice(p, w, slot, wbPath, action);
  }

  dmaAndDevice(p: number, w: number, slot: number, fatal: boolean, action: string): boolean {
    if (this.pci && !this.hook(S_DMA, p, w, slot, 0, 'dma_map_sg')) {
      if (fatal) { this.fail(w, 'fatal-io-error', p, S_DMA, 'a failed DMA mapping on a writeback path loses data'); return false; }
      this.add(w, M_CLEAN);
      return false;
    }
    return this.device(p, w, slot, fatal, this.pci ? 'PCI device DMA' : 'CCW channel program', action);
  }

  /** [R3] A fault maps a page: writable and dirty on a write fault, read-only and clean on a read. */
  mapFault(f: number, write: boolean): number {
    return write ? (f | F_PRESENT | F_WRITABLE | F_DIRTY) & ~F_ONSWAP : f | F_PRESENT;
  }

  // ---- results --------------------------------------------------------------------------
  metricsOf(w: number): Metrics {
    const out = {} as Metrics;
    for (let k = 0; k < MN; k++) out[METRIC_KEYS[k]] = this.metrics[w * MN + k];
    let hooks = 0;
    for (let s = 0; s < NSITES; s++) {
      if (s !== S_FAULT && this.reached[w * NSITES + s] && this.hookCode[s] !== 0) hooks++;
    }
    out.hooks = hooks;
    return finish(out, this.costs);
  }

  totals(): Metrics {
    const out = {} as Metrics;
    for (let k = 0; k < MN; k++) {
      let s = 0;
      for (let w = 0; w < this.workloads.length; w++) s += this.metrics[w * MN + k];
      out[METRIC_KEYS[k]] = s;
    }
    out.hooks = this.hookCount;
    return finish(out, this.costs);
  }

  /** Host operations and guest touches still to run (for progress bars). */
  remaining(): { host: number; guest: number; active: number } {
    return { host: this.hostBudget, guest: this.guestBudget, active: this.nActive };
  }
}

/** A hook's condition code in Engine.hookCode (codes.ts W_*), or 0: not placed ('fault' is the handler, not a hook). */
export function hookCodeOf(h: Hook): number {
  if (h.site === 'fault') return 0;
  if (h.site === 'gup_fast' || h.site === 'gup_slow') return h.when === 'get' ? W_GET : h.when === 'any' ? W_ANY : W_PIN;
  if (h.site === 'ptep_clear') return h.when === 'live' ? W_LIVE : W_ANY;
  return W_PLACED;
}

/** Engine.hookCount of a placement: its distinct sites with a hook. */
export function placedHookCount(hooks: readonly Hook[]): number {
  const seen = new Set<string>();
  for (const h of hooks) if (hookCodeOf(h) !== 0) seen.add(h.site);
  return seen.size;
}

/**
 * Would hook `h` have run nowhere in a run whose Engine.consulted is `consulted` (a run
 * without a hook at h's site)? Then the run with h added makes the same choices to the
 * same state and metrics, but for the placement's hook count: a hook acts only when it
 * runs (hook(), hookShared(), ptepClear() read hookCode nowhere else).
 */
export function hookInert(consulted: Uint8Array, h: Hook): boolean {
  const code = hookCodeOf(h);
  if (code === 0) return true;
  const seen = consulted[S[h.site]];
  if (code === W_PIN) return (seen & (1 << FOLL_PIN)) === 0;
  if (code === W_GET) return (seen & (1 << FOLL_GET)) === 0;
  return seen === 0;
}

/** scheduler choices per advance() call of run() */
const RUN_CHUNK = 1 << 14;

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Derived metrics (cost units). */
function finish(m: Metrics, c: Costs): Metrics {
  m.encryptionWork = round(m.exports * c.export + m.imports * c.import + m.destroys * c.destroy);
  m.guestStall = round(m.stallRetries * c.stallRetry);
  m.hostOverhead = round(m.exceptions * c.exception + m.hookChecks * c.hookCheck);
  m.cost = round(m.encryptionWork + m.guestStall + m.hostOverhead);
  return m;
}
