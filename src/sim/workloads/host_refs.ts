// host_refs: NUMA queries and munlock: references the contents never need.
import * as codesModule from '../codes.js';
import type { Engine } from '../engine.js';
import * as pagestateModule from '../pagestate.js';
import * as programModule from './program.js';
import type { WorkloadProgram } from './program.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { S_VMNP, FOLL_GET, GUP_BACKING, GUP_OK, GUP_HOOK_FAIL, GUP_RETRY, RUN, DONE, M_CLEAN } = codesModule;
const { F_PRESENT } = pagestateModule;
const { fnStep: f, siteStep: s } = programModule;

/**
 * host_refs: NUMA query (lookup_node(), FOLL_GET, faults in) or munlock. [R12]
 * NUMA query: 5.7 get_user_pages_locked() (slow GUP only); since "mm: change lookup_node()
 * to use get_user_pages_fast()" (2022, so in 6.5) get_user_pages_fast(): fast GUP takes a
 * present page, only a miss reaches the slow path (follow_page_pte, vm_normal_page).
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
      // 5.7: both slow only (get_user_pages_locked, follow_page); 6.5 NUMA: fast GUP first
      const r = e.gup(p, w, slot, FOLL_GET, false, !munlock && !e.gup57, !munlock);
      if (r === GUP_RETRY) return RUN;
      if (r === GUP_BACKING) { // [A3] guest_memfd: the lookup took the hva's shared backing
        e.ev(w, slot, p, 'lookup_node -> put_page: the shared backing', -1, 'release', 'the page contents were never needed');
        return DONE;
      }
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
  path: (m) => ({
    steps: m.kernel === '5.7'
      // NUMA: get_user_pages_locked -> __get_user_pages; munlock: follow_page(FOLL_GET), straight to follow_page_mask
      ? [f('get_mempolicy: get_user_pages_locked → __get_user_pages / munlock: follow_page (FOLL_GET)'), f('follow_page_mask → follow_page_pte'),
        s('vm_normal_page'), f('try_grab_page'), s('gup_slow'), f('put_page')]
      // munlock (since 5.18): mlock_pte_range -> vm_normal_folio, no GUP and no reference
      : [f('get_mempolicy: lookup_node → get_user_pages_fast (FOLL_GET)'), s('gup_fast'),
        f('on a miss __get_user_pages → follow_page_mask → follow_page_pte / munlock: mlock_pte_range'), s('vm_normal_page'),
        f('try_grab_page'), s('gup_slow'), f('put_page')],
    sink: 'none',
  }),
};
