// What each hook site *is*, in neutral words: what reaches it, what is held when a hook
// there would run, and what a failure there can do. This is what the board shows before a
// level is solved; it says nothing about which site a level wants, what mainline did, or
// who proposed what (that history is in SITES[].mainline and the levels' epilogues, shown
// once a level is solved). Pure data.
import type { SiteId } from './model.js';

export interface SiteFacts {
  /** the kernel paths that call the function */
  reachedBy: string;
  /** what the caller holds on the page when a hook here runs (locks, references, flags, mappings) */
  held: string;
  /** what the caller can do with an error from a hook here */
  failure: string;
  /** what each `when` condition of the site means (sites that take one) */
  conditions?: string;
  /** where the function lives when that depends on the architecture */
  file?: string;
}

const GUP_CONDITIONS = 'pin: only FOLL_PIN callers (they will access the contents); get: only FOLL_GET callers (they hold a reference); any: both';

export const SITE_FACTS: Readonly<Record<SiteId, SiteFacts>> = {
  gup_fast: {
    reachedBy: 'get_user_pages_fast() and pin_user_pages_fast() walking present PTEs without locks (O_DIRECT, KVM fault-in on x86 and arm64)',
    held: 'interrupts off, no page-table lock; the reference or pin (FOLL_GET / FOLL_PIN) has just been taken',
    failure: 'can be returned: the page is released and the fast walk stops; the caller falls back to slow GUP',
    conditions: GUP_CONDITIONS,
  },
  gup_slow: {
    reachedBy: 'slow GUP: the fast-path fallback, remote GUP (process_vm_readv), get_mempolicy(MPOL_F_ADDR), munlock, KVM fault-in',
    held: 'the PTE lock; try_grab_page() has just taken the reference or pin',
    failure: 'can be returned: the page is released and the GUP caller gets the error (ERR_PTR)',
    conditions: GUP_CONDITIONS,
  },
  writeback: {
    reachedBy: 'every write of a page to storage: swap-out, msync/fsync of file pages, zswap store',
    held: 'the page lock; PG_writeback has just been set',
    failure: 'cannot be returned: the caller has committed to the write (only a VM_BUG_ON is possible)',
  },
  ptep_clear: {
    reachedBy: 'every clear of a present PTE: try_to_unmap() in reclaim, page_mkclean() before writeback of a dirty file page, zap_pte_range() at teardown',
    held: 'the page-table lock; the page lock too in reclaim and page_mkclean(), not at teardown',
    failure: 'cannot be returned: clearing a PTE always succeeds and returns the old entry',
    file: "the architecture's asm/pgtable.h (include/linux/pgtable.h has the generic ones)",
    conditions: 'any: the hook runs at every clear; live: only while the VM runs (at teardown the page is destroyed instead: cleared and given back as a plain host page)',
  },
  reclaim_scan: {
    reachedBy: 'LRU aging: shrink_active_list() asks folio_referenced() about every page it scans',
    held: 'no page lock; the page is still mapped, so the guest can touch it',
    failure: 'nothing to return: aging only decides whether the page stays active',
  },
  splice: {
    reachedBy: 'splice and sendfile of page-cache pages, when a pipe buffer is confirmed before its page is used',
    held: 'the pipe buffer\'s page-cache reference; the page lock, briefly, inside the confirm',
    failure: 'can be returned: the splice or sendfile gets the error (-EIO)',
  },
  dma_map: {
    reachedBy: 'devices that map pages through the DMA API (dma_map_page(), dma_map_sg()); channel I/O programs do not',
    held: 'whatever the I/O path holds (a pin, a reference, PG_writeback); nothing of its own',
    failure: 'can be returned: the driver sees a mapping error and fails the request',
  },
  bio_submit: {
    reachedBy: 'all block I/O: swap, O_DIRECT, msync writeback, splice to a file; network sends do not',
    held: 'whatever the submitter holds: PG_writeback (swap, msync) or a GUP pin (O_DIRECT)',
    failure: 'can be returned: the bio completes with an error status and the writer sees an I/O error',
  },
  kmap: {
    reachedBy: 'the kernel mapping a page for the CPU: copies to and from user memory, compression, checksums',
    held: 'whatever the caller holds (a reference or pin); kmap() itself takes nothing',
    failure: 'cannot be returned: kmap() always hands back an address',
  },
  vm_normal_page: {
    reachedBy: 'PTE-to-page lookups: slow GUP, zap at unmap and teardown, NUMA scanning, KSM (not fast GUP)',
    held: 'the page-table lock; no reference yet',
    failure: 'slow GUP can pass an error on to its caller; zap at unmap and teardown has no way to fail',
  },
  fault: {
    reachedBy: 'the host CPU touching a page it may not access (on s390: program interrupt 0x3d)',
    held: 'nothing: a fault in the middle of whatever the host was doing',
    failure: 'not a hook you place: the architecture\'s handler runs here',
  },
};
