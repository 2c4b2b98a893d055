// process_vm_readv: a remote pin and a CPU copy.
import * as codesModule from '../codes.js';
import type { Engine } from '../engine.js';
import * as programModule from './program.js';
import type { WorkloadProgram } from './program.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { S_KMAP, FOLL_PIN, GUP_BACKING, GUP_OK, GUP_RETRY, RUN, DONE, M_CLEAN, M_CPU } = codesModule;
const { GUP_SLOW_PATH, fnStep: f, siteStep: s } = programModule;

/**
 * process_vm_readv: pin remote -> CPU copy through kmap -> unpin. On guest_memfd a private
 * page's hva reaches the shared backing (GUP_BACKING, [A3]): the copy reads that page (pc 3, 4).
 */
export function step(e: Engine, slot: number, w: number): number {
  const p = e.slotPage[slot];
  switch (e.slotPc[slot]) {
    case 0: {
      const r = e.gup(p, w, slot, FOLL_PIN, false, false, true);
      if (r === GUP_RETRY) return RUN;
      if (r === GUP_BACKING) { e.slotPc[slot] = 3; return RUN; }
      if (r !== GUP_OK) { e.add(w, M_CLEAN); return DONE; }
      e.slotPc[slot] = 1;
      return RUN;
    }
    case 1:
      if (!e.hook(S_KMAP, p, w, slot, 0, 'copy_page_to_iter -> kmap_local_page')) {
        e.fail(w, 'crash', p, S_KMAP, 'kmap cannot fail: the hook failed in process_vm_readv');
      } else {
        e.cpu(p, w, slot, 'copy_page_to_iter (CPU copy)');
      }
      e.slotPc[slot] = 2;
      return RUN;
    case 3:
      e.hookShared(S_KMAP, w, 0);
      e.add(w, M_CPU);
      e.ev(w, slot, p, 'copy_page_to_iter (CPU copy): the shared backing', -1, 'backing-copy', 'the CPU copied the shared backing');
      e.slotPc[slot] = 4;
      return RUN;
    case 4:
      e.ev(w, slot, p, 'unpin_user_pages: the shared backing', -1, 'release');
      return DONE;
    default:
      e.pins[p]--;
      e.ev(w, slot, p, 'unpin_user_pages', -1, 'release');
      return DONE;
  }
}

export const program: WorkloadProgram = {
  id: 'process_vm_readv', runs: 'host', defaultOps: 150, variant: null, options: ['ops'],
  path: () => ({
    steps: [f('pin_user_pages_remote (FOLL_PIN)'), ...GUP_SLOW_PATH, f('copy_page_to_iter'), s('kmap'), f('CPU copy')],
    sink: 'CPU',
  }),
};
