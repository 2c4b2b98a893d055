// The reclaim program swap and zswap share (they differ in step 3: write out or compress).
import * as codesModule from '../codes.js';
import type { Engine } from '../engine.js';
import * as pagestateModule from '../pagestate.js';

// local copies of the imports (the hot path's constants): see engine.ts
const { S_WRITEBACK, S_RECLAIM, S_KMAP, RUN, DONE } = codesModule;
const { F_DIRTY, F_FREED, F_ISOLATED, F_LOCKED, F_ONSWAP, F_OUT, F_PGREF, F_PRESENT, F_PRIVATE, F_REFERENCED, F_SPTE, F_SWAPPED, F_WB, F_WRITABLE, F_ZSWAPPED, ST_EXPORTED, ST_SECURE } = pagestateModule;

/** swap and zswap: LRU aging -> isolate+lock -> unmap -> (write out | compress) -> free */
export function stepReclaim(e: Engine, slot: number, w: number, z: boolean): number {
  const p = e.slotPage[slot];
  const fl = e.flags;
  switch (e.slotPc[slot]) {
    case 0: { // shrink_active_list -> page_referenced: aging of the active list
      const f = fl[p];
      if ((f & (F_OUT | F_FREED | F_ISOLATED)) || ((f & F_PRIVATE) && !e.arch.privateEvictable)) return DONE;
      e.hook(S_RECLAIM, p, w, slot, 0, 'shrink_active_list -> page_referenced');
      // [R11] folio_referenced() clears the young bits (s390: the PTE is made invalid); a
      // referenced anonymous page is deactivated all the same (only VM_EXEC file pages
      // stay active): folio_check_references() decides later
      fl[p] = (f & ~F_REFERENCED) | F_ISOLATED;
      e.ev(w, slot, p, 'shrink_active_list -> page_referenced', -1, 'age',
        f & F_REFERENCED ? 'young: bits cleared, moved to the inactive list all the same' : 'old: moved to the inactive list');
      e.slotPc[slot] = 1;
      return RUN;
    }
    case 1: { // shrink_folio_list: folio_trylock, folio_check_references, add_to_swap
      const f = fl[p];
      if ((f & (F_LOCKED | F_WB | F_OUT)) || e.refs[p] || e.pins[p]) {
        fl[p] = f & ~(F_ISOLATED | F_PGREF);
        e.ev(w, slot, p, 'shrink_folio_list: folio_trylock', -1, 'keep', 'busy: put back');
        return DONE;
      }
      if (f & F_REFERENCED) { // referenced since aging
        if ((f & F_PGREF) || e.gup57) { // twice (5.7: once, for a swap-backed page): activate
          fl[p] = f & ~(F_ISOLATED | F_PGREF | F_REFERENCED);
          e.ev(w, slot, p, 'shrink_folio_list -> folio_check_references', -1, 'activate', 'referenced again: back to the active list');
          return DONE;
        }
        fl[p] = (f | F_PGREF) & ~F_REFERENCED; // FOLIOREF_KEEP: stays inactive, reclaimed on a later pass
        e.ev(w, slot, p, 'shrink_folio_list -> folio_check_references', -1, 'keep', 'referenced once: kept on the inactive list for the next pass');
        return RUN;
      }
      fl[p] = (f | F_LOCKED) & ~F_PGREF;
      e.ev(w, slot, p, z ? 'shrink_folio_list: folio_trylock' : 'shrink_folio_list: folio_trylock, add_to_swap', -1, 'lock');
      e.slotPc[slot] = 2;
      return RUN;
    }
    case 2: { // try_to_unmap_one -> ptep_clear_flush
      const f = fl[p];
      if (f & F_PRESENT) {
        if (!e.ptepClear(p, w, slot, 'try_to_unmap_one -> ptep_clear_flush', true)) {
          fl[p] &= ~(F_LOCKED | F_ISOLATED);
          return DONE;
        }
      }
      e.slotPc[slot] = 3;
      return RUN;
    }
    case 3: {
      const f = fl[p];
      if (z) { // zswap_store: compress with the CPU through kmap
        if (!e.hook(S_KMAP, p, w, slot, 0, 'zswap_store -> kmap_local_page')) {
          e.fail(w, 'crash', p, S_KMAP, 'kmap cannot fail: the hook failed in zswap_store');
          fl[p] &= ~(F_LOCKED | F_ISOLATED);
          return DONE;
        }
        if (!e.cpu(p, w, slot, 'zswap_store (compress)')) { fl[p] &= ~(F_LOCKED | F_ISOLATED); return DONE; }
        // set_page_writeback + end_page_writeback around a store that already happened
        fl[p] |= F_WB;
        if (!e.hook(S_WRITEBACK, p, w, slot, 0, 'swap_writepage -> __test_set_page_writeback')) {
          e.fail(w, 'crash', p, S_WRITEBACK, 'VM_BUG_ON: the hook failed in __test_set_page_writeback');
        }
        fl[p] &= ~F_WB;
        e.slotPc[slot] = 6;
        return stepReclaim(e, slot, w, z);
      }
      if ((f & F_ONSWAP) && !(f & F_DIRTY)) { // clean, the swap copy is valid: no I/O
        e.slotPc[slot] = 6;
        return stepReclaim(e, slot, w, z);
      }
      // pageout: folio_clear_dirty_for_io (the PTE is gone, its dirty bit already moved to
      // the folio), swap_writepage: writeback set, page unlocked. A write fault from here
      // on maps the page dirty again ([R3]): the copy being written is stale then.
      fl[p] = (f | F_WB) & ~(F_LOCKED | F_DIRTY);
      e.ev(w, slot, p, 'swap_writepage -> __test_set_page_writeback', -1, 'set-writeback');
      if (!e.hook(S_WRITEBACK, p, w, slot, 0, 'swap_writepage -> __test_set_page_writeback')) {
        e.fail(w, 'crash', p, S_WRITEBACK, 'VM_BUG_ON: the hook failed in __test_set_page_writeback, "too late to recover"');
        fl[p] = (fl[p] & ~(F_WB | F_ISOLATED)) | F_DIRTY;
        return DONE;
      }
      // [R4] swap_writepage -> __swap_writepage submits the bio in the same call
      // (swap_writepage_bdev_{sync,async}): no other step runs in between
      e.slotPc[slot] = 4;
      return stepReclaim(e, slot, w, z);
    }
    case 4: // submit_bio (+ dma_map_sg on PCI) -> device reads the page
      // the swap slot now holds the contents as of pageout: valid while the page stays clean
      if (e.submitBio(p, w, slot, true, 'device-read')) fl[p] |= F_ONSWAP;
      else fl[p] |= F_DIRTY; // the write failed: the folio is redirtied
      e.slotPc[slot] = 5;
      return RUN;
    case 5: { // end_page_writeback; the next reclaim pass frees the page
      const f = fl[p] & ~F_WB;
      fl[p] = f;
      e.ev(w, slot, p, 'end_page_writeback', -1, 'end-writeback');
      if ((f & F_PRESENT) || (f & F_DIRTY) || !(f & F_ONSWAP)) { // remapped, or the write failed
        fl[p] = f & ~F_ISOLATED;
        return DONE;
      }
      fl[p] = f | F_LOCKED;
      e.slotPc[slot] = 6;
      return stepReclaim(e, slot, w, z);
    }
    case 6: { // __remove_mapping: the physical page goes back to the allocator
      e.freePhys(p, w, slot, z ? 'zswap: folio freed after store' : '__remove_mapping: page freed');
      const f = fl[p];
      fl[p] = (f & ~(F_LOCKED | F_ISOLATED | F_PRESENT | F_WRITABLE | F_DIRTY | F_SPTE | F_REFERENCED)) | (z ? F_ZSWAPPED : F_SWAPPED);
      if (e.state[p] === ST_SECURE) e.state[p] = ST_EXPORTED; // what comes back is the swap copy
      if (z) fl[p] &= ~F_ONSWAP;
      return DONE;
    }
  }
  return DONE;
}

/** A page reclaim can start on: evictable, on the LRU, not busy, not already out. */
export function eligible(e: Engine, f: number): boolean {
  if ((f & F_PRIVATE) && !e.arch.privateEvictable) return false;
  return (f & (F_OUT | F_ISOLATED | F_LOCKED | F_WB)) === 0;
}
