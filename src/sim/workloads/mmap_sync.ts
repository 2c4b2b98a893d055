// mmap_sync: msync writeback of file-backed guest RAM.
import * as codesModule from '../codes.js';
import type { Engine } from '../engine.js';
import * as pagestateModule from '../pagestate.js';
import * as programModule from './program.js';
import type { WorkloadProgram } from './program.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { S_WRITEBACK, RUN, DONE } = codesModule;
const { F_DIRTY, F_LOCKED, F_OUT, F_PRESENT, F_PRIVATE, F_WB, F_WRITABLE } = pagestateModule;
const { blockPath, fnStep: f, siteStep: s } = programModule;

/** msync: lock -> page_mkclean -> writeback -> bio -> end writeback */
export function step(e: Engine, slot: number, w: number): number {
  const p = e.slotPage[slot];
  const fl = e.flags;
  switch (e.slotPc[slot]) {
    case 0: {
      const f = fl[p];
      if (f & F_OUT) return DONE;
      if (f & (F_LOCKED | F_WB)) { e.ev(w, slot, p, 'write_cache_pages: folio_lock', -1, 'wait'); return RUN; }
      if (!(f & F_DIRTY)) return DONE;
      fl[p] = f | F_LOCKED;
      e.ev(w, slot, p, 'write_cache_pages: folio_lock', -1, 'lock');
      e.slotPc[slot] = 1;
      return RUN;
    }
    case 1: { // folio_clear_dirty_for_io -> page_mkclean
      const f = fl[p];
      if ((f & F_PRESENT) && (f & (F_DIRTY | F_WRITABLE))) {
        if (!e.ptepClear(p, w, slot, 'page_mkclean -> ptep_clear_flush', true)) {
          fl[p] &= ~F_LOCKED;
          return DONE;
        }
        fl[p] |= F_PRESENT; // set_pte_at: write-protected, clean
      }
      fl[p] &= ~F_DIRTY;
      e.slotPc[slot] = 2;
      return RUN;
    }
    case 2:
      fl[p] = (fl[p] | F_WB) & ~F_LOCKED;
      e.ev(w, slot, p, 'folio_start_writeback -> __test_set_page_writeback', -1, 'set-writeback');
      if (!e.hook(S_WRITEBACK, p, w, slot, 0, '__test_set_page_writeback')) {
        e.fail(w, 'crash', p, S_WRITEBACK, 'VM_BUG_ON: the hook failed in __test_set_page_writeback');
        fl[p] &= ~F_WB;
        return DONE;
      }
      e.slotPc[slot] = 3;
      return RUN;
    case 3:
      if (!e.submitBio(p, w, slot, true, 'device-read')) fl[p] |= F_DIRTY;
      e.slotPc[slot] = 4;
      return RUN;
    default:
      fl[p] &= ~F_WB;
      e.ev(w, slot, p, 'folio_end_writeback', -1, 'end-writeback');
      return DONE;
  }
}

/** A page it can start on: mapped in the host (file-backed), not swapped out. */
export function eligible(e: Engine, f: number): boolean {
  if ((f & F_PRIVATE) && !e.arch.privateMapped) return false;
  return (f & F_OUT) === 0;
}

export const program: WorkloadProgram = {
  id: 'mmap_sync', runs: 'host', defaultOps: 200, variant: null, options: ['ops'],
  path: (m) => ({
    steps: [f('msync'), f('write_cache_pages: folio_lock'), f('page_mkclean'), s('ptep_clear'),
      f('folio_start_writeback'), s('writeback'), ...blockPath(m)],
    sink: 'device',
  }),
};
