// host_refs: NUMA queries and munlock: references the contents never need.
import { S_VMNP, FOLL_GET, GUP_OK, GUP_HOOK_FAIL, GUP_RETRY, RUN, DONE, M_CLEAN } from '../codes.js';
import type { Engine } from '../engine.js';
import { F_PRESENT } from '../pagestate.js';
import { GUP_SLOW_PATH, fnStep as f, type WorkloadProgram } from './program.js';

/**
 * host_refs: NUMA query (get_user_pages_locked, FOLL_GET, faults in) or munlock. [R12]
 * munlock: 5.7 follow_page(FOLL_GET) -> follow_page_pte; since 5.18 mlock_pte_range() looks
 * the page up with vm_normal_folio() under the PTE lock: no GUP, no reference.
 */
export function step(e: Engine, slot: number, w: number): number {
  const p = e.slotPage[slot];
  const munlock = e.slotVariant[slot] === 1;
  switch (e.slotPc[slot]) {
    case 0: {
      if (munlock && !e.gup57) {
        if (e.flags[p] & F_PRESENT) {
          // a refused lookup skips the page: nothing to report, nobody sees an error
          if (e.hook(S_VMNP, p, w, slot, 0, 'mlock_pte_range -> vm_normal_folio')) {
            e.ev(w, slot, p, 'mlock_pte_range -> munlock_folio', -1, 'munlock', 'no reference taken, contents never needed');
          }
        }
        return DONE;
      }
      const r = e.gup(p, w, slot, FOLL_GET, false, false, !munlock);
      if (r === GUP_RETRY) return RUN;
      if (r === GUP_HOOK_FAIL) { e.add(w, M_CLEAN); return DONE; }
      if (r !== GUP_OK) return DONE;
      e.slotPc[slot] = 1;
      return RUN;
    }
    default:
      e.refs[p]--;
      e.ev(w, slot, p, munlock ? 'munlock_vma_pages -> put_page' : 'lookup_node -> put_page', -1, 'release',
        'the page contents were never needed');
      return DONE;
  }
}

export const program: WorkloadProgram = {
  id: 'host_refs', runs: 'host', defaultOps: 150, variant: 'munlockRatio', options: ['ops', 'munlockRatio'],
  path: () => ({ steps: [f('get_mempolicy / munlock'), f('GUP FOLL_GET'), ...GUP_SLOW_PATH, f('put_page')], sink: 'none' }),
};
