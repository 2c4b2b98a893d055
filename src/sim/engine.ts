// The simulation engine: a seeded interleaving of guest activity and host mm paths over
// struct-of-arrays page state. Pure: no I/O, no clocks, no allocation per event unless a
// trace is requested.
import {
  ARCHES, DEFAULT_COSTS, SITE_IDS, WORKLOAD_IDS,
  type ArchInfo, type Costs, type SiteId, type WorkloadId,
} from './model.js';
import {
  METRIC_KEYS, type Choice, type Failure, type FailureKind, type Hook, type Metrics,
  type PageStateName, type SimConfig, type TraceEvent, type WorkloadSpec,
} from './types.js';
import {
  F_DIRTY, F_FREED, F_ISOLATED, F_LOCKED, F_ONSWAP, F_OUT, F_PGREF, F_PRESENT, F_PRIVATE, F_REFERENCED,
  F_SPTE, F_SWAPPED, F_UNUSED_EXPORT, F_WB, F_WRITABLE, F_ZSWAPPED, ST_EXPORTED, ST_SECURE, ST_SHARED,
  flagStringOf, stateNameOf,
} from './pagestate.js';
import { EX_GUEST, EX_START, EX_STEP, EX_TEARDOWN, movePage } from './moves.js';

export * from './pagestate.js';

// ---- site indexes -------------------------------------------------------------------
const S = Object.fromEntries(SITE_IDS.map((s, i) => [s, i])) as Record<SiteId, number>;
const S_GUP_FAST = S.gup_fast, S_GUP_SLOW = S.gup_slow, S_WRITEBACK = S.writeback,
  S_PTEP = S.ptep_clear, S_RECLAIM = S.reclaim_scan, S_SPLICE = S.splice, S_DMA = S.dma_map,
  S_BIO = S.bio_submit, S_KMAP = S.kmap, S_VMNP = S.vm_normal_page, S_FAULT = S.fault;

// hook condition codes per site (0 = not placed)
const W_PLACED = 1; // placed, no condition
const W_PIN = 2, W_GET = 3, W_ANY = 4, W_LIVE = 5;
// GUP flavours of a call
const FOLL_PIN = 1, FOLL_GET = 2;

// ---- workload kinds -----------------------------------------------------------------
const K = Object.fromEntries(WORKLOAD_IDS.map((w, i) => [w, i])) as Record<WorkloadId, number>;
const K_KVM = K.kvm_fault, K_REFS = K.host_refs, K_SWAP = K.swap, K_QEMU = K.malicious_qemu,
  K_MSYNC = K.mmap_sync, K_SENDFILE = K.sendfile, K_PVR = K.process_vm_readv,
  K_ZSWAP = K.zswap, K_TEARDOWN = K.teardown;

const DEFAULT_OPS: Record<WorkloadId, number> = {
  kvm_fault: 0, host_refs: 150, swap: 300, malicious_qemu: 150, mmap_sync: 200,
  sendfile: 150, process_vm_readv: 150, zswap: 300, teardown: 0,
};

// gup() results
const GUP_OK = 0, GUP_HOOK_FAIL = 1, GUP_EFAULT = 2, GUP_RETRY = 3;
// step() results
const RUN = 0, DONE = 1;

const MN = METRIC_KEYS.length;
const MI = Object.fromEntries(METRIC_KEYS.map((k, i) => [k, i])) as Record<(typeof METRIC_KEYS)[number], number>;
const M_IO = MI.ioErrors, M_FATAL = MI.fatalIoErrors, M_CRASH = MI.crashes, M_EXP = MI.exports,
  M_IMP = MI.imports, M_WASTE = MI.wastedExports, M_DESTROY = MI.destroys,
  M_CHECKS = MI.hookChecks, M_EXC = MI.exceptions, M_STALL = MI.stallRetries, M_CLEAN = MI.cleanErrors,
  M_DEV = MI.deviceIos, M_CPU = MI.cpuAccesses, M_EVENTS = MI.events, M_FREED = MI.freedSecure,
  M_CIPHER = MI.ciphertextReads;

export interface EngineOptions {
  /** record every scheduler choice (for counterexamples) */
  recordChoices?: boolean;
  /** record trace events */
  trace?: boolean;
  /** stop at the first failure */
  stopAtFirstFailure?: boolean;
}

interface WorkloadRt {
  kind: number;
  id: WorkloadId;
  spec: WorkloadSpec;
  budget: number;
  writeRatio: number; // scaled to 2^32
  munlockRatio: number;
  fastGup: boolean;
  toFile: boolean;
  zeroCopy: boolean;
}

export function resolveCosts(c?: Partial<Costs>): Costs {
  return { ...DEFAULT_COSTS, ...(c ?? {}) };
}

/** Number of shared pages: the last ones, like a contiguous swiotlb pool. */
export function sharedCount(cfg: SimConfig): number {
  return Math.min(cfg.pages, Math.round(cfg.pages * cfg.shared));
}

export class Engine {
  readonly cfg: SimConfig;
  readonly arch: ArchInfo;
  readonly n: number;
  readonly costs: Costs;
  // page arrays
  readonly st: Uint8Array;
  readonly fl: Uint16Array;
  readonly refs: Uint8Array;
  readonly pins: Uint8Array;
  readonly exporter: Int8Array;
  // hooks
  readonly hookCode = new Uint8Array(SITE_IDS.length);
  readonly hookCount: number;
  // instances
  readonly cap: number;
  private readonly iw: Int8Array;
  private readonly ik: Uint8Array; // workload kind of the instance (saves two loads a step)
  private readonly ip: Int32Array;
  private readonly ipc: Uint8Array;
  private readonly iv: Uint8Array;
  private readonly iid: Int32Array;
  private readonly active: Int32Array;
  private nActive = 0;
  private readonly freeSlots: Int32Array;
  private nFree: number;
  private nextId = 0;
  // workloads
  readonly wl: WorkloadRt[];
  private readonly wIndexOfKind = new Int8Array(WORKLOAD_IDS.length).fill(-1);
  private hostBudget = 0;
  private guestBudget = 0;
  private readonly vcpuStall: Int32Array;
  private readonly hotSize: number;
  private readonly hotProb: number; // scaled
  private readonly guestWrite: number; // scaled
  // the same thresholds for chance(): [guest write, hot set, then per workload write, munlock]
  // (a double passed to a call that is not inlined is boxed: an allocation per draw)
  private readonly thr: Float64Array;
  private readonly gup57: boolean;
  private readonly pci: boolean;
  private readonly teardown: boolean;
  private teardownNext = 0;
  // metrics: [workload][metric]
  readonly m: Float64Array;
  readonly reached: Uint8Array; // [workload][site] hook reached
  // prng (sfc32). The state lives in an Int32Array: as four fields, int32 values outside
  // V8's small-integer range made each field a boxed heap number (~20% of a run's time).
  private readonly rs = new Int32Array(4);
  // failures, recording
  firstFailure: Failure | null = null;
  stopped = false;
  private readonly opts: EngineOptions;
  readonly choices: Choice[] | null;
  readonly events: TraceEvent[] | null;
  private curStep = 0;
  private idToSlot: Map<number, number> | null = null;

  constructor(cfg: SimConfig, hooks: readonly Hook[], seed: number, opts: EngineOptions = {}) {
    this.cfg = cfg;
    this.opts = opts;
    this.arch = ARCHES[cfg.arch];
    this.n = cfg.pages;
    this.costs = resolveCosts(cfg.costs);
    const n = this.n;
    this.st = new Uint8Array(n);
    this.fl = new Uint16Array(n);
    this.refs = new Uint8Array(n);
    this.pins = new Uint8Array(n);
    this.exporter = new Int8Array(n).fill(-1);
    const nShared = sharedCount(cfg);
    const firstShared = n - nShared;
    const base = F_PRESENT | F_WRITABLE | F_DIRTY;
    for (let p = 0; p < n; p++) {
      if (p < firstShared) { this.st[p] = ST_SECURE; this.fl[p] = base | F_PRIVATE; }
      else { this.st[p] = ST_SHARED; this.fl[p] = base; }
    }
    if (!this.arch.privateMapped) {
      for (let p = 0; p < firstShared; p++) this.fl[p] = F_PRIVATE; // no PTE, no page cache
    }
    let placed = 0;
    for (const h of hooks) {
      const i = S[h.site];
      if (h.site === 'fault') continue;
      let code = W_PLACED;
      if (h.site === 'gup_fast' || h.site === 'gup_slow') {
        code = h.when === 'get' ? W_GET : h.when === 'any' ? W_ANY : W_PIN;
      } else if (h.site === 'ptep_clear') {
        code = h.when === 'live' ? W_LIVE : W_ANY;
      }
      if (this.hookCode[i] === 0) placed++;
      this.hookCode[i] = code;
    }
    this.hookCount = placed;

    this.wl = [];
    let vcpus = 0, hot = 0.125, hotProb = 0.8, gw = 0.5;
    for (const spec of cfg.workloads) {
      const kind = K[spec.kind];
      if (this.wIndexOfKind[kind] >= 0) continue; // one entry per kind (schema enforces)
      const rt: WorkloadRt = {
        kind, id: spec.kind, spec,
        budget: spec.kind === 'kvm_fault' || spec.kind === 'teardown' ? 0 : (spec.ops ?? DEFAULT_OPS[spec.kind]),
        writeRatio: Math.floor((spec.writeRatio ?? 0.5) * 4294967296),
        munlockRatio: Math.floor((spec.munlockRatio ?? 0.5) * 4294967296),
        fastGup: spec.fastGup ?? true,
        toFile: spec.target === 'file',
        zeroCopy: spec.zeroCopy ?? true,
      };
      this.wIndexOfKind[kind] = this.wl.length;
      this.wl.push(rt);
      this.hostBudget += rt.budget;
      if (spec.kind === 'kvm_fault') {
        this.guestBudget = spec.touches ?? 2000;
        vcpus = Math.max(1, spec.vcpus ?? 1);
        hot = spec.hot ?? hot; hotProb = spec.hotProb ?? hotProb; gw = spec.writeRatio ?? gw;
      }
    }
    this.teardown = this.wIndexOfKind[K_TEARDOWN] >= 0;
    this.vcpuStall = new Int32Array(Math.max(1, vcpus)).fill(-1);
    this.hotSize = Math.max(1, Math.min(firstShared > 0 ? firstShared : n, Math.round(n * hot)));
    this.hotProb = Math.floor(hotProb * 4294967296);
    this.guestWrite = Math.floor(gw * 4294967296);
    this.thr = new Float64Array(T_WL + 2 * this.wl.length);
    this.thr[T_GUEST_WRITE] = this.guestWrite;
    this.thr[T_HOT] = this.hotProb;
    this.wl.forEach((rt, w) => { this.thr[T_WL + 2 * w] = rt.writeRatio; this.thr[T_WL + 2 * w + 1] = rt.munlockRatio; });
    this.gup57 = cfg.kernel === '5.7';
    this.pci = cfg.device === 'pci';

    this.cap = Math.max(1, cfg.maxInFlight ?? 8);
    const slots = Math.max(this.cap, 256);
    this.iw = new Int8Array(slots);
    this.ik = new Uint8Array(slots);
    this.ip = new Int32Array(slots);
    this.ipc = new Uint8Array(slots);
    this.iv = new Uint8Array(slots);
    this.iid = new Int32Array(slots);
    this.active = new Int32Array(slots);
    this.freeSlots = new Int32Array(slots);
    this.nFree = slots;
    for (let i = 0; i < slots; i++) this.freeSlots[i] = slots - 1 - i;

    this.m = new Float64Array(Math.max(1, this.wl.length) * MN);
    this.reached = new Uint8Array(Math.max(1, this.wl.length) * SITE_IDS.length);
    this.seed(seed);
    this.choices = opts.recordChoices ? [] : null;
    this.events = opts.trace ? [] : null;
  }

  // ---- prng -------------------------------------------------------------------------
  private seed(s: number): void {
    const r = this.rs;
    r[0] = 0x9e3779b9; r[1] = 0x243f6a88; r[2] = 0xb7e15162; r[3] = s >>> 0;
    for (let i = 0; i < 15; i++) this.rand();
  }
  // rand(), chance() and below() each take one sfc32 step themselves (the same four lines
  // three times): a uint32 returned from a call V8 does not inline is boxed, an allocation
  // per draw; a boolean or a small int is not.
  /** One step of sfc32, as an int32. */
  private rand(): number {
    const r = this.rs;
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
    const r = this.rs;
    const a = r[0], b = r[1], c = r[2], d = r[3];
    const t = (((a + b) | 0) + d) | 0;
    r[3] = (d + 1) | 0;
    r[0] = b ^ (b >>> 9);
    r[1] = (c + (c << 3)) | 0;
    r[2] = ((c << 21) | (c >>> 11)) + t | 0;
    return (t >>> 0) < this.thr[i];
  }
  /** One step: a uniform int in [0, n), n < 2^31 (`| 0` is Math.floor here, and stays an int). */
  private below(n: number): number {
    const r = this.rs;
    const a = r[0], b = r[1], c = r[2], d = r[3];
    const t = (((a + b) | 0) + d) | 0;
    r[3] = (d + 1) | 0;
    r[0] = b ^ (b >>> 9);
    r[1] = (c + (c << 3)) | 0;
    r[2] = ((c << 21) | (c >>> 11)) + t | 0;
    return (((t >>> 0) / 4294967296) * n) | 0;
  }

  // ---- metrics ------------------------------------------------------------------------
  private add(w: number, k: number, v = 1): void {
    this.m[w * MN + k] += v;
  }

  private fail(w: number, kind: FailureKind, p: number, site: number, msg: string): void {
    if (kind === 'crash') this.add(w, M_CRASH);
    else if (kind === 'freed-secure') this.add(w, M_FREED);
    else {
      this.add(w, M_IO);
      if (kind === 'fatal-io-error') this.add(w, M_FATAL);
    }
    if (this.firstFailure === null) {
      this.firstFailure = {
        kind, page: p, workload: this.wl[w].id, message: msg,
        ...(site >= 0 ? { site: SITE_IDS[site] } : {}),
      };
      if (this.opts.stopAtFirstFailure) this.stopped = true;
    }
    if (this.events !== null) this.events[this.events.length - 1].outcome = kind;
  }

  // ---- trace --------------------------------------------------------------------------
  /** A trace event (only when tracing: this guard is small enough to be inlined everywhere). */
  private ev(w: number, slot: number, p: number, fn: string, site: number, action: string, note?: string): void {
    if (this.events !== null) this.evPush(w, slot, p, fn, site, action, note);
  }

  private evPush(w: number, slot: number, p: number, fn: string, site: number, action: string, note?: string): void {
    const evs = this.events;
    if (evs === null) return;
    const e: TraceEvent = {
      step: this.curStep,
      actor: slot < 0 ? (this.wl[w].kind === K_KVM ? 'guest' : this.wl[w].id) : `${this.wl[w].id}#${this.iid[slot]}`,
      workload: this.wl[w].id,
      page: p, fn, action, state: this.stateName(p), flags: this.flagString(p),
    };
    if (site >= 0) e.site = SITE_IDS[site];
    if (note !== undefined) e.note = note;
    evs.push(e);
  }

  stateName(p: number): PageStateName {
    return stateNameOf(this.fl[p], this.st[p], this.arch.canExport);
  }

  flagString(p: number): string {
    return flagStringOf(this.fl[p], this.refs[p], this.pins[p]);
  }

  // ---- the hook: arch_make_page_accessible() -----------------------------------------
  /** Returns true when the page is accessible (or the hook is not placed / not matching). */
  private hook(site: number, p: number, w: number, slot: number, foll: number, fn: string): boolean {
    const code = this.hookCode[site];
    if (code === 0) return true;
    if (code === W_PIN && foll !== FOLL_PIN) return true;
    if (code === W_GET && foll !== FOLL_GET) return true;
    return this.hookHit(site, p, w, slot, fn);
  }

  /** The placed hook runs (split from hook() so that the common "not placed" case inlines). */
  private hookHit(site: number, p: number, w: number, slot: number, fn: string): boolean {
    this.add(w, M_CHECKS);
    this.reached[w * SITE_IDS.length + site] = 1;
    const s = this.st[p];
    if (s !== ST_SECURE) return true;
    if (this.arch.canExport) {
      this.exportPage(p, w, true);
      this.ev(w, slot, p, fn, site, 'export');
      return true;
    }
    this.ev(w, slot, p, fn, site, 'hook-fails', 'a private page cannot be made accessible without the guest');
    return false;
  }

  private exportPage(p: number, w: number, unused: boolean): void {
    this.st[p] = ST_EXPORTED;
    this.add(w, M_EXP);
    if (unused) { this.fl[p] |= F_UNUSED_EXPORT; this.exporter[p] = w; }
    else { this.fl[p] &= ~F_UNUSED_EXPORT; this.exporter[p] = -1; }
  }

  /** An export that nothing used is wasted when the guest imports or the page is freed. */
  private settleExport(p: number): void {
    if (this.fl[p] & F_UNUSED_EXPORT) {
      this.add(this.exporter[p], M_WASTE);
      this.fl[p] &= ~F_UNUSED_EXPORT;
      this.exporter[p] = -1;
    }
  }

  private useExport(p: number): void {
    this.fl[p] &= ~F_UNUSED_EXPORT;
    this.exporter[p] = -1;
  }

  // ---- accesses -------------------------------------------------------------------------
  /** A device reads or writes the page. Returns false on an I/O error. */
  private device(p: number, w: number, slot: number, fatal: boolean, fn: string, action: string): boolean {
    this.add(w, M_DEV);
    if (this.st[p] === ST_SECURE) {
      this.ev(w, slot, p, fn, -1, action);
      // only the first failure keeps its message: do not build the others' (an allocation each)
      this.fail(w, fatal ? 'fatal-io-error' : 'io-error', p, -1, this.firstFailure !== null ? '' :
        `${action === 'device-read' ? 'the device read' : 'the device wrote'} a ${this.stateName(p)} page during ${this.wl[w].id}${fatal ? ' (unrecoverable)' : ''}`);
      return false;
    }
    this.useExport(p);
    this.ev(w, slot, p, fn, -1, action);
    return true;
  }

  /** The host CPU reads the page (every modelled CPU access is a copy out). False on a crash. */
  private cpu(p: number, w: number, slot: number, fn: string): boolean {
    this.add(w, M_CPU);
    if (this.st[p] === ST_SECURE) {
      if (this.arch.cpuRead === 'ciphertext') { // [A4] SEV-SNP: the RMP checks writes, a read gets ciphertext
        this.add(w, M_CIPHER);
        this.ev(w, slot, p, fn, -1, 'cpu-access', 'reads ciphertext: the RMP checks host writes only');
        return true;
      }
      if (this.arch.cpuRead === 'fault') {
        this.add(w, M_EXC);
        this.reached[w * SITE_IDS.length + S_FAULT] = 1;
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
  private freePhys(p: number, w: number, slot: number, fn: string): void {
    if (this.st[p] === ST_SECURE && this.arch.canExport && (this.fl[p] & F_PRIVATE)) {
      this.ev(w, slot, p, fn, -1, 'free');
      this.fail(w, 'freed-secure', p, -1,
        'a secure page went back to the host allocator: whoever gets it next faults on a CPU touch and fails any device I/O into it');
      return;
    }
    this.settleExport(p);
    this.ev(w, slot, p, fn, -1, 'free');
  }

  // ---- GUP ----------------------------------------------------------------------------------
  private grab(p: number, foll: number): void {
    if (foll === FOLL_PIN) this.pins[p]++; else this.refs[p]++;
  }
  private ungrab(p: number, foll: number): void {
    if (foll === FOLL_PIN) this.pins[p]--; else this.refs[p]--;
  }

  /**
   * do_swap_page() on a swapped-out page: read it back and map it. [R3] The PTE is made
   * writable only on a write fault, and then dirty too (maybe_mkwrite(pte_mkdirty())); a
   * read fault maps it read-only and clean, and the swap copy stays valid.
   */
  private swapIn(p: number, w: number, slot: number, write: boolean): void {
    const f = this.fl[p];
    const z = (f & F_ZSWAPPED) !== 0;
    const g = z ? f & ~F_ZSWAPPED : (f & ~F_SWAPPED) | F_ONSWAP;
    this.fl[p] = write ? (g | F_PRESENT | F_WRITABLE | F_DIRTY) & ~F_ONSWAP : g | F_PRESENT;
    this.ev(w, slot, p, z ? 'zswap_load (CPU decompress)' : 'swap_read_folio (device writes a fresh page)', -1, 'swap-in',
      write ? 'do_swap_page: write fault, mapped writable and dirty' : 'do_swap_page: read fault, mapped read-only and clean');
    this.add(w, M_DEV);
  }

  /** get_user_pages / pin_user_pages on one page. On GUP_OK the caller holds a ref or pin. */
  private gup(p: number, w: number, slot: number, foll: number, write: boolean, allowFast: boolean, mayFault: boolean): number {
    let f = this.fl[p];
    if (!(f & F_PRESENT) && !(f & F_OUT) && (f & F_PRIVATE) && !this.arch.privateMapped) {
      this.ev(w, slot, p, 'get_user_pages', -1, 'efault', 'private guest_memfd memory is not mapped in the host');
      return GUP_EFAULT;
    }
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
      if (f & F_OUT) { this.swapIn(p, w, slot, write); f = this.fl[p]; }
      else if (f & F_LOCKED) { this.ev(w, slot, p, 'handle_mm_fault', -1, 'wait', 'page locked by reclaim'); return GUP_RETRY; }
      else { this.fl[p] = f = this.mapFault(f, write); }
    }
    if (write && !(f & F_WRITABLE)) {
      if (!mayFault) return GUP_EFAULT;
      // [R5] no wait for PG_writeback: folio_wait_stable() waits only for devices that need
      // stable writes, and the modelled disks do not
      if (f & F_LOCKED) { this.ev(w, slot, p, 'do_wp_page -> page_mkwrite', -1, 'wait', 'folio locked by writeback (page_mkclean)'); return GUP_RETRY; }
      this.fl[p] = f = (f | F_WRITABLE | F_DIRTY) & ~F_ONSWAP;
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
    const wl = this.wl;
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
        if (this.choices !== null) this.choices.push({ t: 'guest', page: p, write });
        this.curStep++;
        this.guestBudget--;
        this.vcpuStall[v] = this.guestTouch(p, write) ? -1 : p;
        continue;
      }
      const canStart = this.hostBudget > 0 && this.nActive < this.cap;
      const r = this.below(this.nActive + (canStart ? 1 : 0));
      if (r < this.nActive) {
        const slot = this.active[r];
        if (this.choices !== null) this.choices.push({ t: 'step', id: this.iid[slot] });
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
        if (this.choices !== null) this.choices.push({ t: 'start', id: this.nextId, w, page: p, v });
        this.curStep++;
        this.start(w, p, v, this.nextId++);
      }
    }
    while (this.teardown && !this.stopped && this.teardownNext < this.n && this.curStep < limit &&
      this.guestBudget === 0 && this.hostBudget === 0 && this.nActive === 0) {
      const p = this.teardownNext++;
      if (this.choices !== null) this.choices.push({ t: 'teardown', page: p });
      this.curStep++;
      this.teardownPage(p);
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
    if (this.choices !== null) this.choices.push(c);
    this.curStep++;
    switch (c.t) {
      case 'guest': this.guestTouch(c.page, c.write); break;
      case 'teardown': if (this.teardown) this.teardownPage(c.page); break;
      case 'start': {
        if (c.w < 0 || c.w >= this.wl.length || c.page < 0 || c.page >= this.n || this.nFree === 0) break;
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

  private variant(w: number): number {
    const rt = this.wl[w];
    switch (rt.kind) {
      case K_QEMU: return this.chance(T_WL + 2 * w) ? 1 : 0;
      case K_REFS: return this.chance(T_WL + 2 * w + 1) ? 1 : 0;
      default: return 0;
    }
  }

  private pickGuestPage(): number {
    if (this.chance(T_HOT)) return this.below(this.hotSize);
    return this.below(this.n);
  }

  private eligible(kind: number, p: number): boolean {
    const f = this.fl[p];
    if (f & F_FREED) return false;
    const priv = (f & F_PRIVATE) !== 0;
    switch (kind) {
      case K_SWAP: case K_ZSWAP:
        if (priv && !this.arch.privateEvictable) return false;
        return (f & (F_OUT | F_ISOLATED | F_LOCKED | F_WB)) === 0;
      case K_MSYNC: case K_SENDFILE:
        if (priv && !this.arch.privateMapped) return false;
        return (f & F_OUT) === 0;
      default:
        return true;
    }
  }

  private pickHostPage(w: number): number {
    const kind = this.wl[w].kind;
    for (let i = 0; i < 8; i++) {
      const p = this.below(this.n);
      if (this.eligible(kind, p)) return p;
    }
    return -1;
  }

  private start(w: number, p: number, v: number, id: number): number {
    if (this.nFree === 0) return -1;
    const slot = this.freeSlots[--this.nFree];
    this.iw[slot] = w; this.ik[slot] = this.wl[w].kind; this.ip[slot] = p; this.ipc[slot] = 0; this.iv[slot] = v;
    this.iid[slot] = id;
    this.active[this.nActive++] = slot;
    this.stepSlot(slot, this.nActive - 1);
    return slot;
  }

  private stepSlot(slot: number, r: number): void {
    const w = this.iw[slot];
    this.add(w, M_EVENTS);
    let res: number;
    switch (this.ik[slot]) {
      case K_SWAP: res = this.stepReclaim(slot, w, false); break;
      case K_ZSWAP: res = this.stepReclaim(slot, w, true); break;
      case K_QEMU: res = this.stepQemu(slot, w); break;
      case K_MSYNC: res = this.stepMsync(slot, w); break;
      case K_SENDFILE: res = this.stepSendfile(slot, w); break;
      case K_REFS: res = this.stepRefs(slot, w); break;
      case K_PVR: res = this.stepPvr(slot, w); break;
      default: res = DONE;
    }
    if (res === DONE) {
      this.active[r] = this.active[--this.nActive];
      this.freeSlots[this.nFree++] = slot;
    }
  }

  // ---- workloads -------------------------------------------------------------------------

  /** swap and zswap: LRU aging -> isolate+lock -> unmap -> (write out | compress) -> free */
  private stepReclaim(slot: number, w: number, z: boolean): number {
    const p = this.ip[slot];
    const fl = this.fl;
    switch (this.ipc[slot]) {
      case 0: { // shrink_active_list -> page_referenced: aging of the active list
        const f = fl[p];
        if ((f & (F_OUT | F_FREED | F_ISOLATED)) || ((f & F_PRIVATE) && !this.arch.privateEvictable)) return DONE;
        this.hook(S_RECLAIM, p, w, slot, 0, 'shrink_active_list -> page_referenced');
        // [R11] folio_referenced() clears the young bits (s390: the PTE is made invalid); a
        // referenced anonymous page is deactivated all the same (only VM_EXEC file pages
        // stay active): folio_check_references() decides later
        fl[p] = (f & ~F_REFERENCED) | F_ISOLATED;
        this.ev(w, slot, p, 'shrink_active_list -> page_referenced', -1, 'age',
          f & F_REFERENCED ? 'young: bits cleared, moved to the inactive list all the same' : 'old: moved to the inactive list');
        this.ipc[slot] = 1;
        return RUN;
      }
      case 1: { // shrink_folio_list: folio_trylock, folio_check_references, add_to_swap
        const f = fl[p];
        if ((f & (F_LOCKED | F_WB | F_OUT)) || this.refs[p] || this.pins[p]) {
          fl[p] = f & ~(F_ISOLATED | F_PGREF);
          this.ev(w, slot, p, 'shrink_folio_list: folio_trylock', -1, 'keep', 'busy: put back');
          return DONE;
        }
        if (f & F_REFERENCED) { // referenced since aging
          if ((f & F_PGREF) || this.gup57) { // twice (5.7: once, for a swap-backed page): activate
            fl[p] = f & ~(F_ISOLATED | F_PGREF | F_REFERENCED);
            this.ev(w, slot, p, 'shrink_folio_list -> folio_check_references', -1, 'activate', 'referenced again: back to the active list');
            return DONE;
          }
          fl[p] = (f | F_PGREF) & ~F_REFERENCED; // FOLIOREF_KEEP: stays inactive, reclaimed on a later pass
          this.ev(w, slot, p, 'shrink_folio_list -> folio_check_references', -1, 'keep', 'referenced once: kept on the inactive list for the next pass');
          return RUN;
        }
        fl[p] = (f | F_LOCKED) & ~F_PGREF;
        this.ev(w, slot, p, z ? 'shrink_folio_list: folio_trylock' : 'shrink_folio_list: folio_trylock, add_to_swap', -1, 'lock');
        this.ipc[slot] = 2;
        return RUN;
      }
      case 2: { // try_to_unmap_one -> ptep_clear_flush
        const f = fl[p];
        if (f & F_PRESENT) {
          if (!this.ptepClear(p, w, slot, 'try_to_unmap_one -> ptep_clear_flush', true)) {
            fl[p] &= ~(F_LOCKED | F_ISOLATED);
            return DONE;
          }
        }
        this.ipc[slot] = 3;
        return RUN;
      }
      case 3: {
        const f = fl[p];
        if (z) { // zswap_store: compress with the CPU through kmap
          if (!this.hook(S_KMAP, p, w, slot, 0, 'zswap_store -> kmap_local_page')) {
            this.fail(w, 'crash', p, S_KMAP, 'kmap cannot fail: the hook failed in zswap_store');
            fl[p] &= ~(F_LOCKED | F_ISOLATED);
            return DONE;
          }
          if (!this.cpu(p, w, slot, 'zswap_store (compress)')) { fl[p] &= ~(F_LOCKED | F_ISOLATED); return DONE; }
          // set_page_writeback + end_page_writeback around a store that already happened
          fl[p] |= F_WB;
          if (!this.hook(S_WRITEBACK, p, w, slot, 0, 'swap_writepage -> __test_set_page_writeback')) {
            this.fail(w, 'crash', p, S_WRITEBACK, 'VM_BUG_ON: the hook failed in __test_set_page_writeback');
          }
          fl[p] &= ~F_WB;
          this.ipc[slot] = 6;
          return this.stepReclaim(slot, w, z);
        }
        if ((f & F_ONSWAP) && !(f & F_DIRTY)) { // clean, the swap copy is valid: no I/O
          this.ipc[slot] = 6;
          return this.stepReclaim(slot, w, z);
        }
        // pageout: folio_clear_dirty_for_io (the PTE is gone, its dirty bit already moved to
        // the folio), swap_writepage: writeback set, page unlocked. A write fault from here
        // on maps the page dirty again ([R3]): the copy being written is stale then.
        fl[p] = (f | F_WB) & ~(F_LOCKED | F_DIRTY);
        this.ev(w, slot, p, 'swap_writepage -> __test_set_page_writeback', -1, 'set-writeback');
        if (!this.hook(S_WRITEBACK, p, w, slot, 0, 'swap_writepage -> __test_set_page_writeback')) {
          this.fail(w, 'crash', p, S_WRITEBACK, 'VM_BUG_ON: the hook failed in __test_set_page_writeback, "too late to recover"');
          fl[p] = (fl[p] & ~(F_WB | F_ISOLATED)) | F_DIRTY;
          return DONE;
        }
        // [R4] swap_writepage -> __swap_writepage submits the bio in the same call
        // (swap_writepage_bdev_{sync,async}): no other step runs in between
        this.ipc[slot] = 4;
        return this.stepReclaim(slot, w, z);
      }
      case 4: // submit_bio (+ dma_map_sg on PCI) -> device reads the page
        // the swap slot now holds the contents as of pageout: valid while the page stays clean
        if (this.submitBio(p, w, slot, true, 'device-read')) fl[p] |= F_ONSWAP;
        else fl[p] |= F_DIRTY; // the write failed: the folio is redirtied
        this.ipc[slot] = 5;
        return RUN;
      case 5: { // end_page_writeback; the next reclaim pass frees the page
        const f = fl[p] & ~F_WB;
        fl[p] = f;
        this.ev(w, slot, p, 'end_page_writeback', -1, 'end-writeback');
        if ((f & F_PRESENT) || (f & F_DIRTY) || !(f & F_ONSWAP)) { // remapped, or the write failed
          fl[p] = f & ~F_ISOLATED;
          return DONE;
        }
        fl[p] = f | F_LOCKED;
        this.ipc[slot] = 6;
        return this.stepReclaim(slot, w, z);
      }
      case 6: { // __remove_mapping: the physical page goes back to the allocator
        this.freePhys(p, w, slot, z ? 'zswap: folio freed after store' : '__remove_mapping: page freed');
        const f = fl[p];
        fl[p] = (f & ~(F_LOCKED | F_ISOLATED | F_PRESENT | F_WRITABLE | F_DIRTY | F_SPTE | F_REFERENCED)) | (z ? F_ZSWAPPED : F_SWAPPED);
        if (this.st[p] === ST_SECURE) this.st[p] = ST_EXPORTED; // what comes back is the swap copy
        if (z) fl[p] &= ~F_ONSWAP;
        return DONE;
      }
    }
    return DONE;
  }

  /** Clear a present PTE: the s390 pgtable.h export site. Returns false on a crash. */
  private ptepClear(p: number, w: number, slot: number, fn: string, live: boolean): boolean {
    const f = this.fl[p];
    this.fl[p] = (f & ~(F_PRESENT | F_WRITABLE | F_SPTE));
    const code = this.hookCode[S_PTEP];
    if (code !== 0 && this.st[p] === ST_SECURE && (f & F_PRIVATE)) {
      this.add(w, M_CHECKS);
      this.reached[w * SITE_IDS.length + S_PTEP] = 1;
      if (!live && code === W_LIVE) {
        if (this.arch.canExport) {
          this.add(w, M_DESTROY);
          this.st[p] = ST_SHARED; // destroyed: a plain, cleared host page now
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
    if (code !== 0) { this.add(w, M_CHECKS); this.reached[w * SITE_IDS.length + S_PTEP] = 1; }
    this.ev(w, slot, p, fn, -1, 'unmap');
    return true;
  }

  /** submit_bio -> (dma_map on PCI) -> device access. `wbPath`: a failure loses data. */
  private submitBio(p: number, w: number, slot: number, wbPath: boolean, action: string): boolean {
    if (!this.hook(S_BIO, p, w, slot, 0, 'submit_bio')) {
      if (wbPath) { this.fail(w, 'fatal-io-error', p, S_BIO, 'a failed bio on a writeback path loses data'); return false; }
      this.add(w, M_CLEAN);
      return false;
    }
    return this.dmaAndDevice(p, w, slot, wbPath, action);
  }

  private dmaAndDevice(p: number, w: number, slot: number, fatal: boolean, action: string): boolean {
    if (this.pci && !this.hook(S_DMA, p, w, slot, 0, 'dma_map_sg')) {
      if (fatal) { this.fail(w, 'fatal-io-error', p, S_DMA, 'a failed DMA mapping on a writeback path loses data'); return false; }
      this.add(w, M_CLEAN);
      return false;
    }
    return this.device(p, w, slot, fatal, this.pci ? 'PCI device DMA' : 'CCW channel program', action);
  }

  /** malicious QEMU: O_DIRECT read (device writes RAM) or write (device reads RAM) */
  private stepQemu(slot: number, w: number): number {
    const p = this.ip[slot];
    const toDevice = this.iv[slot] === 1;
    const foll = this.gup57 ? FOLL_GET : FOLL_PIN;
    switch (this.ipc[slot]) {
      case 0: {
        const r = this.gup(p, w, slot, foll, !toDevice, this.wl[w].fastGup, true);
        if (r === GUP_RETRY) return RUN;
        if (r !== GUP_OK) { this.add(w, M_CLEAN); return DONE; }
        this.ipc[slot] = 1;
        return RUN;
      }
      case 1:
        this.submitBio(p, w, slot, false, toDevice ? 'device-read' : 'device-write');
        this.ipc[slot] = 2;
        return RUN;
      default:
        this.ungrab(p, foll);
        this.ev(w, slot, p, foll === FOLL_PIN ? 'unpin_user_pages' : 'put_page', -1, 'release');
        return DONE;
    }
  }

  /** msync: lock -> page_mkclean -> writeback -> bio -> end writeback */
  private stepMsync(slot: number, w: number): number {
    const p = this.ip[slot];
    const fl = this.fl;
    switch (this.ipc[slot]) {
      case 0: {
        const f = fl[p];
        if (f & F_OUT) return DONE;
        if (f & (F_LOCKED | F_WB)) { this.ev(w, slot, p, 'write_cache_pages: folio_lock', -1, 'wait'); return RUN; }
        if (!(f & F_DIRTY)) return DONE;
        fl[p] = f | F_LOCKED;
        this.ev(w, slot, p, 'write_cache_pages: folio_lock', -1, 'lock');
        this.ipc[slot] = 1;
        return RUN;
      }
      case 1: { // folio_clear_dirty_for_io -> page_mkclean
        const f = fl[p];
        if ((f & F_PRESENT) && (f & (F_DIRTY | F_WRITABLE))) {
          if (!this.ptepClear(p, w, slot, 'page_mkclean -> ptep_clear_flush', true)) {
            fl[p] &= ~F_LOCKED;
            return DONE;
          }
          fl[p] |= F_PRESENT; // set_pte_at: write-protected, clean
        }
        fl[p] &= ~F_DIRTY;
        this.ipc[slot] = 2;
        return RUN;
      }
      case 2:
        fl[p] = (fl[p] | F_WB) & ~F_LOCKED;
        this.ev(w, slot, p, 'folio_start_writeback -> __test_set_page_writeback', -1, 'set-writeback');
        if (!this.hook(S_WRITEBACK, p, w, slot, 0, '__test_set_page_writeback')) {
          this.fail(w, 'crash', p, S_WRITEBACK, 'VM_BUG_ON: the hook failed in __test_set_page_writeback');
          fl[p] &= ~F_WB;
          return DONE;
        }
        this.ipc[slot] = 3;
        return RUN;
      case 3:
        if (!this.submitBio(p, w, slot, true, 'device-read')) fl[p] |= F_DIRTY;
        this.ipc[slot] = 4;
        return RUN;
      default:
        fl[p] &= ~F_WB;
        this.ev(w, slot, p, 'folio_end_writeback', -1, 'end-writeback');
        return DONE;
    }
  }

  /** sendfile: page-cache reference -> pipe_buf_confirm -> NIC or disk */
  private stepSendfile(slot: number, w: number): number {
    const p = this.ip[slot];
    const rt = this.wl[w];
    switch (this.ipc[slot]) {
      case 0:
        if (this.fl[p] & F_OUT) return DONE;
        this.refs[p]++;
        this.ev(w, slot, p, 'filemap_splice_read -> filemap_get_pages', -1, 'get');
        this.ipc[slot] = 1;
        return RUN;
      case 1:
        if (!this.hook(S_SPLICE, p, w, slot, 0, 'page_cache_pipe_buf_confirm')) {
          this.add(w, M_CLEAN);
          this.refs[p]--;
          return DONE;
        }
        this.ipc[slot] = 2;
        return RUN;
      case 2:
        if (rt.toFile) this.submitBio(p, w, slot, false, 'device-read');
        else if (rt.zeroCopy) this.dmaAndDevice(p, w, slot, false, 'device-read');
        else if (this.hook(S_KMAP, p, w, slot, 0, 'skb_copy_datagram -> kmap_local_page')) {
          this.cpu(p, w, slot, 'copy into an skb (CPU)');
        } else {
          this.fail(w, 'crash', p, S_KMAP, 'kmap cannot fail: the hook failed in a socket copy');
        }
        this.ipc[slot] = 3;
        return RUN;
      default:
        this.refs[p]--;
        this.ev(w, slot, p, 'pipe_buf_release -> put_page', -1, 'release');
        return DONE;
    }
  }

  /**
   * host_refs: NUMA query (get_user_pages_locked, FOLL_GET, faults in) or munlock. [R12]
   * munlock: 5.7 follow_page(FOLL_GET) -> follow_page_pte; since 5.18 mlock_pte_range() looks
   * the page up with vm_normal_folio() under the PTE lock: no GUP, no reference.
   */
  private stepRefs(slot: number, w: number): number {
    const p = this.ip[slot];
    const munlock = this.iv[slot] === 1;
    switch (this.ipc[slot]) {
      case 0: {
        if (munlock && !this.gup57) {
          if (this.fl[p] & F_PRESENT) {
            // a refused lookup skips the page: nothing to report, nobody sees an error
            if (this.hook(S_VMNP, p, w, slot, 0, 'mlock_pte_range -> vm_normal_folio')) {
              this.ev(w, slot, p, 'mlock_pte_range -> munlock_folio', -1, 'munlock', 'no reference taken, contents never needed');
            }
          }
          return DONE;
        }
        const r = this.gup(p, w, slot, FOLL_GET, false, false, !munlock);
        if (r === GUP_RETRY) return RUN;
        if (r === GUP_HOOK_FAIL) { this.add(w, M_CLEAN); return DONE; }
        if (r !== GUP_OK) return DONE;
        this.ipc[slot] = 1;
        return RUN;
      }
      default:
        this.refs[p]--;
        this.ev(w, slot, p, munlock ? 'munlock_vma_pages -> put_page' : 'lookup_node -> put_page', -1, 'release',
          'the page contents were never needed');
        return DONE;
    }
  }

  /** process_vm_readv: pin remote -> CPU copy through kmap -> unpin */
  private stepPvr(slot: number, w: number): number {
    const p = this.ip[slot];
    switch (this.ipc[slot]) {
      case 0: {
        const r = this.gup(p, w, slot, FOLL_PIN, false, false, true);
        if (r === GUP_RETRY) return RUN;
        if (r !== GUP_OK) { this.add(w, M_CLEAN); return DONE; }
        this.ipc[slot] = 1;
        return RUN;
      }
      case 1:
        if (!this.hook(S_KMAP, p, w, slot, 0, 'copy_page_to_iter -> kmap_local_page')) {
          this.fail(w, 'crash', p, S_KMAP, 'kmap cannot fail: the hook failed in process_vm_readv');
        } else {
          this.cpu(p, w, slot, 'copy_page_to_iter (CPU copy)');
        }
        this.ipc[slot] = 2;
        return RUN;
      default:
        this.pins[p]--;
        this.ev(w, slot, p, 'unpin_user_pages', -1, 'release');
        return DONE;
    }
  }

  /** VM teardown: zap one page, free it, the host reuses the memory. */
  private teardownPage(p: number): void {
    const w = this.wIndexOfKind[K_TEARDOWN];
    this.add(w, M_EVENTS);
    const f = this.fl[p];
    if (f & F_FREED) return;
    if (f & F_PRESENT) {
      if (!this.hook(S_VMNP, p, w, -1, 0, 'zap_pte_range -> vm_normal_page')) {
        // vm_normal_page cannot report an error from zap: the page is leaked into a crash
        this.fail(w, 'crash', p, S_VMNP, 'zap_pte_range cannot fail: the hook failed in vm_normal_page');
      }
      this.ptepClear(p, w, -1, 'zap_pte_range -> ptep_get_and_clear_full', false);
    }
    if (!(f & F_OUT)) this.freePhys(p, w, -1, 'free_pages_and_swap_cache');
    this.fl[p] = F_FREED | (f & F_PRIVATE);
  }

  // ---- the guest ---------------------------------------------------------------------------
  /** One guest touch. Returns false when the vCPU stalls and must retry this page. */
  guestTouch(p: number, write: boolean): boolean {
    const w = this.wIndexOfKind[K_KVM];
    if (w < 0) return true;
    this.add(w, M_EVENTS);
    const fl = this.fl;
    let f = fl[p];
    if (f & F_FREED) return true;
    if (this.arch.kvmFaultViaGup) return this.guestTouchGup(p, w, write);
    // [R1] an import needs a present, valid, writable PTE; without one gmap_make_secure()
    // returns -ENXIO and gmap_fault(FAULT_FLAG_WRITE) faults the page in for writing
    const faultWrite = write || this.st[p] === ST_EXPORTED;
    if (f & F_OUT) { this.swapIn(p, w, -1, faultWrite); f = fl[p]; }
    if (!(f & F_PRESENT)) { // unmapped by reclaim; the page is still in the swap cache
      if (f & F_LOCKED) return this.stall(p, w, 'do_swap_page: folio locked by reclaim');
      f = fl[p] = this.mapFault(f, faultWrite);
      this.ev(w, -1, p, 'do_swap_page (swap cache hit)', -1, 'map');
    }
    if (this.st[p] === ST_EXPORTED) {
      if (!(f & F_WRITABLE)) { // import needs a writable PTE: -ENXIO -> gmap_fault(write)
        if (f & F_LOCKED) return this.stall(p, w, 'do_wp_page -> page_mkwrite: folio locked by writeback');
        f = fl[p] = (f | F_WRITABLE | F_DIRTY) & ~F_ONSWAP;
      }
      if ((f & (F_LOCKED | F_WB)) || this.refs[p] || this.pins[p]) {
        return this.stall(p, w, f & F_WB ? 'make_folio_secure: under writeback (-EAGAIN)'
          : f & F_LOCKED ? 'make_folio_secure: folio locked (-EAGAIN)' : 'make_folio_secure: extra references (-EBUSY)');
      }
      this.settleExport(p);
      this.st[p] = ST_SECURE;
      this.add(w, M_IMP);
      this.ev(w, -1, p, 'gmap_make_secure -> UVC import', -1, 'import', 'decrypt + integrity check');
    }
    if (write) {
      if (!(f & F_WRITABLE)) {
        if (f & F_LOCKED) return this.stall(p, w, 'do_wp_page -> page_mkwrite: folio locked by writeback');
      }
      fl[p] = (fl[p] | F_WRITABLE | F_DIRTY | F_REFERENCED) & ~F_ONSWAP;
    } else {
      fl[p] |= F_REFERENCED;
    }
    return true;
  }

  /** [R3] A fault maps a page: writable and dirty on a write fault, read-only and clean on a read. */
  private mapFault(f: number, write: boolean): number {
    return write ? (f | F_PRESENT | F_WRITABLE | F_DIRTY) & ~F_ONSWAP : f | F_PRESENT;
  }

  private stall(p: number, w: number, why: string): boolean {
    this.add(w, M_STALL);
    this.ev(w, -1, p, 'vcpu_post_run -> retry', -1, 'stall', why);
    return false;
  }

  /** x86 / arm KVM: a missing secondary mapping is faulted in with GUP (FOLL_GET). */
  private guestTouchGup(p: number, w: number, write: boolean): boolean {
    const fl = this.fl;
    const f = fl[p];
    if (!(f & F_SPTE)) {
      const viaMemfd = (f & F_PRIVATE) !== 0 && !this.arch.privateMapped;
      if (!viaMemfd) {
        const r = this.gup(p, w, -1, FOLL_GET, write, true, true);
        if (r === GUP_RETRY) return this.stall(p, w, 'hva_to_pfn: page busy');
        if (r === GUP_HOOK_FAIL) {
          this.fail(w, 'crash', p, -1, 'KVM fault-in (GUP FOLL_GET) failed: the VM is killed');
          fl[p] |= F_SPTE; // the vCPU is gone; do not retry forever
          return true;
        }
        if (r === GUP_OK) this.refs[p]--;
        this.ev(w, -1, p, 'kvm_faultin_pfn -> hva_to_pfn (GUP FOLL_GET)', -1, 'map');
      } else {
        this.ev(w, -1, p, 'kvm_gmem_get_pfn (guest_memfd)', -1, 'map');
      }
    }
    fl[p] = fl[p] | F_SPTE | F_REFERENCED | (write ? F_DIRTY : 0);
    if (write) fl[p] &= ~F_ONSWAP;
    return true;
  }

  // ---- results --------------------------------------------------------------------------
  metricsOf(w: number): Metrics {
    const out = {} as Metrics;
    for (let k = 0; k < MN; k++) out[METRIC_KEYS[k]] = this.m[w * MN + k];
    let hooks = 0;
    for (let s = 0; s < SITE_IDS.length; s++) {
      if (s !== S_FAULT && this.reached[w * SITE_IDS.length + s] && this.hookCode[s] !== 0) hooks++;
    }
    out.hooks = hooks;
    return finish(out, this.costs);
  }

  totals(): Metrics {
    const out = {} as Metrics;
    for (let k = 0; k < MN; k++) {
      let s = 0;
      for (let w = 0; w < this.wl.length; w++) s += this.m[w * MN + k];
      out[METRIC_KEYS[k]] = s;
    }
    out.hooks = this.hookCount;
    return finish(out, this.costs);
  }

  /** Host operations and guest touches still to run (for progress bars). */
  remaining(): { host: number; guest: number; active: number } {
    return { host: this.hostBudget, guest: this.guestBudget, active: this.nActive };
  }

  // ==== exhaustive-search support (used by exhaustive.ts) =================================
  // The search drives the engine with explicit moves instead of the seeded scheduler:
  // it asks which moves are enabled, takes one, and saves/restores the behavioural state
  // between moves. Every move runs the same step functions as a seeded run (start,
  // stepSlot, guestTouch, teardownPage), so there is one copy of the semantics.
  // The budgets (`ops` per host workload, guest `touches`) bound the moves; the PRNG,
  // the vCPU retry slots, metrics and the trace play no part.
  //
  // A move is a small int ("code"), encoded as moves.ts describes.

  /** True once the search tore down a page: from then on only teardown moves remain. */
  private exTorn = false;

  /** Pages a guest touch can hit (the seeded scheduler may pick any of them). */
  exGuestCanTouch(p: number): boolean {
    if (this.wIndexOfKind[K_KVM] < 0) return false;
    return this.hotProb < 4294967296 || p < this.hotSize; // hotProb 1: only the hot set
  }

  /**
   * The enabled moves of the current state, written to `out`; returns their number.
   * `page >= 0` keeps only moves on that page (the per-page reduction of exhaustive.ts).
   * Order is fixed: steps (in `active` order), starts (workload, page, variant), guest
   * touches (page, read before write), teardowns (page).
   */
  exEnabled(out: Int32Array, page: number): number {
    let k = 0;
    const lo = page >= 0 ? page : 0, hi = page >= 0 ? page + 1 : this.n;
    if (this.exTorn) {
      for (let p = lo; p < hi; p++) if (!(this.fl[p] & F_FREED)) out[k++] = EX_TEARDOWN | (p << 2);
      return k;
    }
    for (let r = 0; r < this.nActive; r++) {
      const s = this.active[r];
      const p = this.ip[s];
      if (p >= lo && p < hi) out[k++] = EX_STEP | (p << 2) | (this.iid[s] << 22);
    }
    if (this.nActive < this.cap && this.nFree > 0) {
      for (let w = 0; w < this.wl.length; w++) {
        const rt = this.wl[w];
        if (rt.budget <= 0) continue;
        const ratio = rt.kind === K_QEMU ? rt.writeRatio : rt.kind === K_REFS ? rt.munlockRatio : -1;
        for (let p = lo; p < hi; p++) {
          if (!this.eligible(rt.kind, p)) continue;
          // variant() draws rand() < ratio: 0 is possible unless ratio is 1, 1 unless it is 0
          if (ratio < 4294967296) out[k++] = EX_START | (p << 2) | (w << 22);
          if (ratio > 0) out[k++] = EX_START | (p << 2) | (w << 22) | (1 << 26);
        }
      }
    }
    if (this.guestBudget > 0) {
      for (let p = lo; p < hi; p++) {
        if (!this.exGuestCanTouch(p)) continue;
        if (this.guestWrite < 4294967296) out[k++] = EX_GUEST | (p << 2);
        if (this.guestWrite > 0) out[k++] = EX_GUEST | (p << 2) | (1 << 22);
      }
    }
    // the VM may exit whenever no host operation is in flight (fewer touches or ops than
    // the budget is always a possible run); after that only teardowns remain
    if (this.teardown && this.nActive === 0) {
      for (let p = lo; p < hi; p++) if (!(this.fl[p] & F_FREED)) out[k++] = EX_TEARDOWN | (p << 2);
    }
    return k;
  }

  /** Take one move (a code from exEnabled), spending its budget. Recorded when choices are. */
  exTake(code: number): void {
    const p = movePage(code);
    this.curStep++;
    switch (code & 3) {
      case EX_GUEST: {
        const write = ((code >>> 22) & 1) === 1;
        if (this.choices !== null) this.choices.push({ t: 'guest', page: p, write });
        this.guestBudget--;
        this.guestTouch(p, write);
        return;
      }
      case EX_START: {
        const w = (code >>> 22) & 15, v = (code >>> 26) & 1;
        if (this.choices !== null) this.choices.push({ t: 'start', id: this.nextId, w, page: p, v });
        this.wl[w].budget--;
        this.hostBudget--;
        this.start(w, p, v, this.nextId++);
        return;
      }
      case EX_STEP: {
        const id = code >>> 22;
        if (this.choices !== null) this.choices.push({ t: 'step', id });
        for (let r = 0; r < this.nActive; r++) {
          const s = this.active[r];
          if (this.iid[s] === id) { this.stepSlot(s, r); return; }
        }
        throw new Error(`exhaustive: no instance #${id}`);
      }
      default:
        if (this.choices !== null) this.choices.push({ t: 'teardown', page: p });
        this.exTorn = true;
        this.teardownPage(p);
    }
  }

  /** Words of an exSave record. */
  exRecordSize(): number {
    return 4 + this.wl.length + 2 * this.n + 6 * this.cap;
  }

  /** Save the behavioural state (pages, instances, budgets) at buf[off..off+exRecordSize()). */
  exSave(buf: Int32Array, off: number): void {
    let o = off;
    buf[o++] = this.guestBudget;
    buf[o++] = this.nextId;
    buf[o++] = this.exTorn ? 1 : 0;
    buf[o++] = this.nActive;
    for (let w = 0; w < this.wl.length; w++) buf[o++] = this.wl[w].budget;
    for (let p = 0; p < this.n; p++) {
      buf[o++] = this.st[p] | (this.refs[p] << 8) | (this.pins[p] << 16) | ((this.exporter[p] + 1) << 24);
      buf[o++] = this.fl[p];
    }
    for (let r = 0; r < this.nActive; r++) {
      const s = this.active[r];
      buf[o++] = s; buf[o++] = this.iw[s]; buf[o++] = this.ip[s];
      buf[o++] = this.ipc[s]; buf[o++] = this.iv[s]; buf[o++] = this.iid[s];
    }
  }

  /** Restore a state saved by exSave. A saved state never holds a failure. */
  exLoad(buf: Int32Array, off: number): void {
    let o = off;
    this.guestBudget = buf[o++];
    this.nextId = buf[o++];
    this.exTorn = buf[o++] === 1;
    const na = buf[o++];
    let hb = 0;
    for (let w = 0; w < this.wl.length; w++) { this.wl[w].budget = buf[o++]; hb += this.wl[w].budget; }
    this.hostBudget = hb;
    for (let p = 0; p < this.n; p++) {
      const x = buf[o++];
      this.st[p] = x & 255; this.refs[p] = (x >>> 8) & 255; this.pins[p] = (x >>> 16) & 255;
      this.exporter[p] = ((x >>> 24) & 255) - 1;
      this.fl[p] = buf[o++];
    }
    // Slots come off a stack that starts as [slots-1 .. 1, 0] (0 on top) and freed slots
    // go back on top, so with at most `cap` in flight only slots below `cap` are ever
    // used and the stack below them is never touched: rebuild just its top.
    const slots = this.freeSlots.length, cap = this.cap;
    let used = 0;
    this.nActive = na;
    for (let r = 0; r < na; r++) {
      const s = buf[o++];
      if (s >= cap || s >= 31) throw new Error('exhaustive: instance slot out of range');
      this.active[r] = s; used |= 1 << s;
      this.iw[s] = buf[o++]; this.ik[s] = this.wl[this.iw[s]].kind; this.ip[s] = buf[o++]; this.ipc[s] = buf[o++]; this.iv[s] = buf[o++]; this.iid[s] = buf[o++];
    }
    let nf = slots - cap;
    for (let s = cap - 1; s >= 0; s--) if (!(used & (1 << s))) this.freeSlots[nf++] = s;
    this.nFree = nf;
    this.firstFailure = null;
    this.stopped = false;
  }

  /**
   * A canonical key of the behavioural state apart from the budgets, for the visited set:
   * page state (without the bookkeeping of who exported it), the multiset of in-flight
   * instances (workload, variant, program counter, page; not slot or id) and the
   * teardown phase. `page >= 0`: the other pages are left out (a per-page search never
   * changes them). The budgets come from exBudgets.
   */
  exKey(page: number): string {
    const ks = this.exKeyArr ??= new Uint16Array(this.exKeyWords());
    const k = this.exKeyInto(ks, page);
    return String.fromCharCode.apply(null, ks.subarray(0, k) as unknown as number[]);
  }
  private exKeyArr: Uint16Array | null = null;

  /** Upper bound of exKeyInto's length. */
  exKeyWords(): number {
    return 1 + 3 * this.n + 2 * this.cap;
  }

  /** exKey as 16-bit words written to `ks`; returns the length. */
  exKeyInto(ks: Uint16Array, page: number): number {
    let k = 0;
    ks[k++] = this.exTorn ? 1 : 0;
    const lo = page >= 0 ? page : 0, hi = page >= 0 ? page + 1 : this.n;
    for (let p = lo; p < hi; p++) {
      ks[k++] = this.fl[p] & ~F_UNUSED_EXPORT;
      ks[k++] = this.st[p] | (this.refs[p] << 8);
      ks[k++] = this.pins[p];
    }
    // instances as sorted 16-bit pairs: (workload, variant, pc), page
    const base = k;
    for (let r = 0; r < this.nActive; r++) {
      const s = this.active[r];
      const a = (this.iw[s] << 9) | (this.iv[s] << 8) | this.ipc[s], b = this.ip[s];
      let i = k;
      while (i > base && (ks[i - 2] > a || (ks[i - 2] === a && ks[i - 1] > b))) { ks[i] = ks[i - 2]; ks[i + 1] = ks[i - 1]; i -= 2; }
      ks[i] = a; ks[i + 1] = b;
      k += 2;
    }
    return k;
  }

  /**
   * The budgets left, packed in two words of six 5-bit fields (value in the low 4 bits,
   * bit 4 free as a guard for exhaustive.ts's componentwise comparison): the guest's
   * touches, then each workload's ops. Needs budgets < 16 and at most 11 workloads.
   */
  exBudgets(out: Int32Array): void {
    let lo = this.guestBudget, hi = 0;
    for (let w = 0; w < this.wl.length; w++) {
      const f = w + 1;
      if (f < 6) lo |= this.wl[w].budget << (5 * f);
      else hi |= this.wl[w].budget << (5 * (f - 6));
    }
    out[0] = lo; out[1] = hi;
  }
}

/** indexes of Engine.thr */
const T_GUEST_WRITE = 0, T_HOT = 1, T_WL = 2;
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
