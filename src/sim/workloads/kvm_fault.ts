// kvm_fault: the guest's vCPUs touch their pages (imports on s390, GUP fault-in elsewhere).
import * as codesModule from '../codes.js';
import type { Engine } from '../engine.js';
import * as modelModule from '../model.js';
import * as pagestateModule from '../pagestate.js';
import * as programModule from './program.js';
import type { WorkloadProgram } from './program.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { FOLL_GET, GUP_OK, GUP_HOOK_FAIL, GUP_RETRY, M_IMP, M_STALL, M_EVENTS, KIND } = codesModule;
const { ARCHES } = modelModule;
const { F_DIRTY, F_FREED, F_LOCKED, F_ONSWAP, F_OUT, F_PRESENT, F_PRIVATE, F_REFERENCED, F_SPTE, F_WB, F_WRITABLE, ST_EXPORTED, ST_SECURE } = pagestateModule;
const { GUP_SLOW_PATH, fnStep: f, siteStep: s } = programModule;

/** One guest touch. Returns false when the vCPU stalls and must retry this page. */
export function guestTouch(e: Engine, p: number, write: boolean): boolean {
  const w = e.wIndexOfKind[KIND.kvm_fault];
  if (w < 0) return true;
  e.add(w, M_EVENTS);
  const fl = e.flags;
  let f = fl[p];
  if (f & F_FREED) return true;
  if (e.arch.kvmFaultViaGup) return guestTouchGup(e, p, w, write);
  // [R1] an import needs a present, valid, writable PTE; without one gmap_make_secure()
  // returns -ENXIO and gmap_fault(FAULT_FLAG_WRITE) faults the page in for writing
  const faultWrite = write || e.state[p] === ST_EXPORTED;
  if (f & F_OUT) { e.swapIn(p, w, -1, faultWrite); f = fl[p]; }
  if (!(f & F_PRESENT)) { // unmapped by reclaim; the page is still in the swap cache
    if (f & F_LOCKED) return stall(e, p, w, 'do_swap_page: folio locked by reclaim');
    f = fl[p] = e.mapFault(f, faultWrite);
    e.ev(w, -1, p, 'do_swap_page (swap cache hit)', -1, 'map');
  }
  if (e.state[p] === ST_EXPORTED) {
    if (!(f & F_WRITABLE)) { // import needs a writable PTE: -ENXIO -> gmap_fault(write)
      if (f & F_LOCKED) return stall(e, p, w, 'do_wp_page -> page_mkwrite: folio locked by writeback');
      f = fl[p] = (f | F_WRITABLE | F_DIRTY) & ~F_ONSWAP;
    }
    if ((f & (F_LOCKED | F_WB)) || e.refs[p] || e.pins[p]) {
      return stall(e, p, w, f & F_WB ? 'make_folio_secure: under writeback (-EAGAIN)'
        : f & F_LOCKED ? 'make_folio_secure: folio locked (-EAGAIN)' : 'make_folio_secure: extra references (-EBUSY)');
    }
    e.settleExport(p);
    e.state[p] = ST_SECURE;
    e.add(w, M_IMP);
    e.ev(w, -1, p, 'gmap_make_secure -> UVC import', -1, 'import', 'decrypt + integrity check');
  }
  if (write) {
    if (!(f & F_WRITABLE)) {
      if (f & F_LOCKED) return stall(e, p, w, 'do_wp_page -> page_mkwrite: folio locked by writeback');
    }
    fl[p] = (fl[p] | F_WRITABLE | F_DIRTY | F_REFERENCED) & ~F_ONSWAP;
  } else {
    fl[p] |= F_REFERENCED;
  }
  return true;
}

function stall(e: Engine, p: number, w: number, why: string): boolean {
  e.add(w, M_STALL);
  e.ev(w, -1, p, 'vcpu_post_run -> retry', -1, 'stall', why);
  return false;
}

/** x86 / arm KVM: a missing secondary mapping is faulted in with GUP (FOLL_GET). */
function guestTouchGup(e: Engine, p: number, w: number, write: boolean): boolean {
  const fl = e.flags;
  const f = fl[p];
  if (!(f & F_SPTE)) {
    const viaMemfd = (f & F_PRIVATE) !== 0 && !e.arch.privateMapped;
    if (!viaMemfd) {
      const r = e.gup(p, w, -1, FOLL_GET, write, true, true);
      if (r === GUP_RETRY) return stall(e, p, w, 'hva_to_pfn: page busy');
      if (r === GUP_HOOK_FAIL) {
        e.fail(w, 'crash', p, -1, 'KVM fault-in (GUP FOLL_GET) failed: the VM is killed');
        fl[p] |= F_SPTE; // the vCPU is gone; do not retry forever
        return true;
      }
      if (r === GUP_OK) e.refs[p]--;
      e.ev(w, -1, p, 'kvm_faultin_pfn -> hva_to_pfn (GUP FOLL_GET)', -1, 'map');
    } else {
      e.ev(w, -1, p, 'kvm_gmem_get_pfn (guest_memfd)', -1, 'map');
    }
  }
  fl[p] = fl[p] | F_SPTE | F_REFERENCED | (write ? F_DIRTY : 0);
  if (write) fl[p] &= ~F_ONSWAP;
  return true;
}

export const program: WorkloadProgram = {
  id: 'kvm_fault', runs: 'guest', defaultOps: 0, variant: null,
  options: ['touches', 'hot', 'hotProb', 'writeRatio', 'vcpus'],
  path: (m) => ({
    steps: ARCHES[m.arch].kvmFaultViaGup
      // hva_to_pfn(): hva_to_pfn_fast() (fast GUP only), on a miss hva_to_pfn_slow()
      // (get_user_pages_unlocked(): slow GUP); both FOLL_GET
      ? [f('kvm_faultin_pfn'), f('hva_to_pfn_fast (FOLL_GET)'), s('gup_fast'), f('on a miss hva_to_pfn_slow'),
        ...GUP_SLOW_PATH]
      : [f('guest touch'), f('gmap fault (no GUP)'), f('import if exported')],
    sink: 'guest CPU',
  }),
};
