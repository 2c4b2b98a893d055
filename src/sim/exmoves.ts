// The engine as the exhaustive search (exhaustive.ts) drives it: explicit moves instead
// of the seeded scheduler. The search asks which moves are enabled, takes one, and
// saves/restores the behavioural state between moves. Every move runs the same step
// functions as a seeded run (Engine.start/stepSlot, the kvm_fault and teardown programs),
// so there is one copy of the semantics. The budgets (`ops` per host workload, guest
// `touches`) bound the moves; the PRNG, the vCPU retry slots, metrics and the trace play
// no part.
//
// A move is a small int:
//   bits 0-1 kind (EX_GUEST, EX_START, EX_STEP, EX_TEARDOWN), bits 2-21 page,
//   guest: bit 22 = write; start: bits 22-25 workload, bit 26 variant;
//   step: bits 22-31 instance id (ids, not slots: slots are an allocation detail).
// The limits of these fields and of the packed budgets are below, and checked here (for
// the workload list) and in exhaustive.ts (for its SMALL_LIMITS): never silently exceeded.
import * as codesModule from './codes.js';
import type { Engine } from './engine.js';
import * as modelModule from './model.js';
import * as pagestateModule from './pagestate.js';
import * as workloadsModule from './workloads/index.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { KIND } = codesModule;
const { WORKLOAD_IDS } = modelModule;
const { F_FREED, F_UNUSED_EXPORT } = pagestateModule;
const { guestTouch, teardownPage } = workloadsModule;

export const EX_GUEST = 0, EX_START = 1, EX_STEP = 2, EX_TEARDOWN = 3;

/** Bits of a move's fields. */
const PAGE_BITS = 20, WORKLOAD_BITS = 4, ID_BITS = 10;
/** Bits of one budget field of packBudgets(): the value, then a guard bit. */
export const BUDGET_VALUE_BITS = 4;
const BUDGET_FIELD_BITS = BUDGET_VALUE_BITS + 1, FIELDS_PER_WORD = 6, BUDGET_WORDS = 2;

/** The encoding limits: exhaustive.ts keeps its small machines within them. */
export const MOVE_LIMITS = {
  pages: 1 << PAGE_BITS,
  /** workloads of a level: a 4-bit field in a start move, one budget field each besides the guest's */
  workloads: Math.min(1 << WORKLOAD_BITS, FIELDS_PER_WORD * BUDGET_WORDS - 1),
  /** operations started in one search path (instance ids) */
  instanceIds: 1 << ID_BITS,
  /** a budget (ops of one workload, guest touches) */
  budget: (1 << BUDGET_VALUE_BITS) - 1,
  /** host operations in flight (loadState keeps the used slots in a 31-bit mask) */
  inFlight: 31,
} as const;

/** The guard bits of a packed budget word (see packBudgets). */
export const BUDGET_GUARD = (() => {
  let g = 0;
  for (let f = 0; f < FIELDS_PER_WORD; f++) g |= 1 << (BUDGET_FIELD_BITS * f + BUDGET_VALUE_BITS);
  return g;
})();

if (WORKLOAD_IDS.length > MOVE_LIMITS.workloads) {
  throw new Error(`exmoves.ts: ${WORKLOAD_IDS.length} workloads do not fit the search's encoding (at most ${MOVE_LIMITS.workloads}): widen the start move's workload field and the packed budgets`);
}

/** The page a move acts on. */
export function movePage(code: number): number {
  return (code >>> 2) & ((1 << PAGE_BITS) - 1);
}

/** Pages a guest touch can hit (the seeded scheduler may pick any of them). */
export function guestCanTouch(e: Engine, p: number): boolean {
  if (e.wIndexOfKind[KIND.kvm_fault] < 0) return false;
  return e.hotProb < 4294967296 || p < e.hotSize; // hotProb 1: only the hot set
}

/**
 * The enabled moves of the current state, written to `out`; returns their number.
 * `page >= 0` keeps only moves on that page (the per-page reduction of exhaustive.ts).
 * Order is fixed: steps (in `active` order), starts (workload, page, variant), guest
 * touches (page, read before write), teardowns (page).
 */
export function enabledMoves(e: Engine, out: Int32Array, page: number): number {
  let k = 0;
  const lo = page >= 0 ? page : 0, hi = page >= 0 ? page + 1 : e.n;
  if (e.tornDown) {
    for (let p = lo; p < hi; p++) if (!(e.flags[p] & F_FREED)) out[k++] = EX_TEARDOWN | (p << 2);
    return k;
  }
  for (let r = 0; r < e.nActive; r++) {
    const s = e.active[r];
    const p = e.slotPage[s];
    if (p >= lo && p < hi) out[k++] = EX_STEP | (p << 2) | (e.slotId[s] << 22);
  }
  if (e.nActive < e.cap && e.nFree > 0) {
    for (let w = 0; w < e.workloads.length; w++) {
      const rt = e.workloads[w];
      if (rt.budget <= 0) continue;
      const ratio = rt.variantRatio;
      for (let p = lo; p < hi; p++) {
        if (!e.eligible(rt.kind, p)) continue;
        // variant() draws rand() < ratio: 0 is possible unless ratio is 1, 1 unless it is 0
        if (ratio < 4294967296) out[k++] = EX_START | (p << 2) | (w << 22);
        if (ratio > 0) out[k++] = EX_START | (p << 2) | (w << 22) | (1 << 26);
      }
    }
  }
  if (e.guestBudget > 0) {
    for (let p = lo; p < hi; p++) {
      if (!guestCanTouch(e, p)) continue;
      if (e.guestWrite < 4294967296) out[k++] = EX_GUEST | (p << 2);
      if (e.guestWrite > 0) out[k++] = EX_GUEST | (p << 2) | (1 << 22);
    }
  }
  // the VM may exit whenever no host operation is in flight (fewer touches or ops than
  // the budget is always a possible run); after that only teardowns remain
  if (e.teardown && e.nActive === 0) {
    for (let p = lo; p < hi; p++) if (!(e.flags[p] & F_FREED)) out[k++] = EX_TEARDOWN | (p << 2);
  }
  return k;
}

/** Take one move (a code from enabledMoves), spending its budget. Recorded when choices are. */
export function takeMove(e: Engine, code: number): void {
  const p = movePage(code);
  e.curStep++;
  switch (code & 3) {
    case EX_GUEST: {
      const write = ((code >>> 22) & 1) === 1;
      if (e.log !== null) e.log.guest(p, write);
      e.guestBudget--;
      guestTouch(e, p, write);
      return;
    }
    case EX_START: {
      const w = (code >>> 22) & ((1 << WORKLOAD_BITS) - 1), v = (code >>> 26) & 1;
      if (e.log !== null) e.log.start(e.nextId, w, p, v);
      e.workloads[w].budget--;
      e.hostBudget--;
      e.start(w, p, v, e.nextId++);
      return;
    }
    case EX_STEP: {
      const id = code >>> 22;
      if (e.log !== null) e.log.step(id);
      for (let r = 0; r < e.nActive; r++) {
        const s = e.active[r];
        if (e.slotId[s] === id) { e.stepSlot(s, r); return; }
      }
      throw new Error(`exhaustive: no instance #${id}`);
    }
    default:
      if (e.log !== null) e.log.teardown(p);
      e.tornDown = true;
      teardownPage(e, p);
  }
}

/** Words of an saveState record. */
export function recordSize(e: Engine): number {
  return 4 + e.workloads.length + 2 * e.n + 6 * e.cap;
}

/** Save the behavioural state (pages, instances, budgets) at buf[off..off+recordSize()). */
export function saveState(e: Engine, buf: Int32Array, off: number): void {
  let o = off;
  buf[o++] = e.guestBudget;
  buf[o++] = e.nextId;
  buf[o++] = e.tornDown ? 1 : 0;
  buf[o++] = e.nActive;
  for (let w = 0; w < e.workloads.length; w++) buf[o++] = e.workloads[w].budget;
  for (let p = 0; p < e.n; p++) {
    buf[o++] = e.state[p] | (e.refs[p] << 8) | (e.pins[p] << 16) | ((e.exporter[p] + 1) << 24);
    buf[o++] = e.flags[p];
  }
  for (let r = 0; r < e.nActive; r++) {
    const s = e.active[r];
    buf[o++] = s; buf[o++] = e.slotWorkload[s]; buf[o++] = e.slotPage[s];
    buf[o++] = e.slotPc[s]; buf[o++] = e.slotVariant[s]; buf[o++] = e.slotId[s];
  }
}

/** Restore a state saved by saveState. A saved state never holds a failure. */
export function loadState(e: Engine, buf: Int32Array, off: number): void {
  let o = off;
  e.guestBudget = buf[o++];
  e.nextId = buf[o++];
  e.tornDown = buf[o++] === 1;
  const na = buf[o++];
  let hb = 0;
  for (let w = 0; w < e.workloads.length; w++) { e.workloads[w].budget = buf[o++]; hb += e.workloads[w].budget; }
  e.hostBudget = hb;
  for (let p = 0; p < e.n; p++) {
    const x = buf[o++];
    e.state[p] = x & 255; e.refs[p] = (x >>> 8) & 255; e.pins[p] = (x >>> 16) & 255;
    e.exporter[p] = ((x >>> 24) & 255) - 1;
    e.flags[p] = buf[o++];
  }
  // Slots come off a stack that starts as [slots-1 .. 1, 0] (0 on top) and freed slots
  // go back on top, so with at most `cap` in flight only slots below `cap` are ever
  // used and the stack below them is never touched: rebuild just its top.
  const slots = e.freeSlots.length, cap = e.cap;
  let used = 0;
  e.nActive = na;
  for (let r = 0; r < na; r++) {
    const s = buf[o++];
    if (s >= cap || s >= 31) throw new Error('exhaustive: instance slot out of range');
    e.active[r] = s; used |= 1 << s;
    e.slotWorkload[s] = buf[o++]; e.slotKind[s] = e.workloads[e.slotWorkload[s]].kind; e.slotPage[s] = buf[o++]; e.slotPc[s] = buf[o++]; e.slotVariant[s] = buf[o++]; e.slotId[s] = buf[o++];
  }
  let nf = slots - cap;
  for (let s = cap - 1; s >= 0; s--) if (!(used & (1 << s))) e.freeSlots[nf++] = s;
  e.nFree = nf;
  e.firstFailure = null;
  e.stopped = false;
}

/**
 * A canonical key of the behavioural state apart from the budgets, for the visited set:
 * page state (without the bookkeeping of who exported it), the multiset of in-flight
 * instances (workload, variant, program counter, page; not slot or id) and the
 * teardown phase. `page >= 0`: the other pages are left out (a per-page search never
 * changes them). The budgets come from packBudgets.
 */
export function stateKey(e: Engine, page: number): string {
  const ks = new Uint16Array(keyWords(e));
  const k = keyInto(e, ks, page);
  return String.fromCharCode.apply(null, ks.subarray(0, k) as unknown as number[]);
}

/** Upper bound of keyInto's length. */
export function keyWords(e: Engine): number {
  return 1 + 3 * e.n + 2 * e.cap;
}

/** stateKey as 16-bit words written to `ks`; returns the length. */
export function keyInto(e: Engine, ks: Uint16Array, page: number): number {
  let k = 0;
  ks[k++] = e.tornDown ? 1 : 0;
  const lo = page >= 0 ? page : 0, hi = page >= 0 ? page + 1 : e.n;
  for (let p = lo; p < hi; p++) {
    ks[k++] = e.flags[p] & ~F_UNUSED_EXPORT;
    ks[k++] = e.state[p] | (e.refs[p] << 8);
    ks[k++] = e.pins[p];
  }
  // instances as sorted 16-bit pairs: (workload, variant, pc), page
  const base = k;
  for (let r = 0; r < e.nActive; r++) {
    const s = e.active[r];
    const a = (e.slotWorkload[s] << 9) | (e.slotVariant[s] << 8) | e.slotPc[s], b = e.slotPage[s];
    let i = k;
    while (i > base && (ks[i - 2] > a || (ks[i - 2] === a && ks[i - 1] > b))) { ks[i] = ks[i - 2]; ks[i + 1] = ks[i - 1]; i -= 2; }
    ks[i] = a; ks[i + 1] = b;
    k += 2;
  }
  return k;
}

/**
 * The budgets left, packed in BUDGET_WORDS words of FIELDS_PER_WORD fields of
 * BUDGET_FIELD_BITS bits (the value in the low BUDGET_VALUE_BITS, the bit above free as a
 * guard for exhaustive.ts's componentwise comparison): the guest's touches, then each
 * workload's ops. Needs budgets <= MOVE_LIMITS.budget and at most MOVE_LIMITS.workloads
 * workloads (both checked where the limits are set).
 */
export function packBudgets(e: Engine, out: Int32Array): void {
  let lo = e.guestBudget, hi = 0;
  for (let w = 0; w < e.workloads.length; w++) {
    const f = w + 1;
    if (f < FIELDS_PER_WORD) lo |= e.workloads[w].budget << (BUDGET_FIELD_BITS * f);
    else hi |= e.workloads[w].budget << (BUDGET_FIELD_BITS * (f - FIELDS_PER_WORD));
  }
  out[0] = lo; out[1] = hi;
}
