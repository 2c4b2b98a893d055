// Where each hook site lives in the kernel, by era (5.7 or 6.5) and architecture, and the
// lines a patch would add there. The context lines are short sketches written for pvlab
// (the function's signature and a comment marking the spot), not kernel code.
// Checked against mainline sources (see docs/patch.md for what was looked up).
import type { ArchId, KernelId, SiteId, When } from '../sim/model.js';

/** One insertion into one kernel function. */
export interface KernelHunk {
  file: string;
  /** the function's name with "()" */
  function: string;
  /** signature lines of the sketch (context) */
  signature: string[];
  /** context lines between "{" and the insertion (sketch comments, indented) */
  before: string[];
  /** the inserted lines (without the leading "+") */
  added: string[];
  /** context lines after the insertion */
  after: string[];
  /** a nominal line number of the signature in that era (sketches have no real numbers) */
  line: number;
  /** extra lines added right after "{" (declarations) */
  declare?: string[];
}

export interface SiteRender {
  hunks: KernelHunk[];
  /** kernel subsystem prefix for the subject, e.g. "mm/gup", "s390/mm" */
  prefix: string;
  /** true for arch/ code; false for core code that needs the generic default */
  arch: boolean;
  /** what the hook makes accessible: page or folio (decides the default stub) */
  helper: 'page' | 'folio' | 'none';
  /** one sentence for the commit message: why this place */
  why: string;
}

const T = '\t';

/** `when` as the flag test it means (null: unconditional). */
export function flagTest(when: When | undefined): string | null {
  switch (when ?? 'pin') {
    case 'pin': return 'flags & FOLL_PIN';
    case 'get': return 'flags & FOLL_GET';
    default: return 'flags & (FOLL_GET | FOLL_PIN)';
  }
}

function archDir(arch: ArchId): string {
  switch (arch) {
    case 's390-pv': return 's390';
    case 'cca': return 'arm64';
    default: return 'x86';
  }
}

/** Where a failure cannot be returned: call, then a VM_BUG_ON with the reason. */
function cannotFail(call: string, bug: string, why: string[], indent = T): string[] {
  return [
    `${indent}access_ret = ${call};`,
    `${indent}/*`,
    ...why.map((l) => `${indent} * ${l}`),
    `${indent} */`,
    `${indent}${bug}(access_ret != 0${bug === 'VM_BUG_ON' ? '' : bug.endsWith('FOLIO') ? ', folio' : ', page'});`,
  ];
}

function gupFast(kernel: KernelId, when: When | undefined): KernelHunk {
  const k57 = kernel === '5.7';
  const test = flagTest(when);
  const release = k57 ? 'put_compound_head(head, 1, flags);' : 'gup_put_folio(folio, 1, flags);';
  return {
    file: 'mm/gup.c', function: 'gup_pte_range()', line: k57 ? 2128 : 2540,
    signature: k57
      ? ['static int gup_pte_range(pmd_t pmd, unsigned long addr, unsigned long end,', '\t\t\t unsigned int flags, struct page **pages, int *nr)']
      : ['static int gup_pte_range(pmd_t pmd, pmd_t *pmdp, unsigned long addr,', '\t\t\t unsigned long end, unsigned int flags,', '\t\t\t struct page **pages, int *nr)'],
    before: [`${T}${T}/* ... pvlab sketch: ${k57 ? 'try_grab_compound_head()' : 'try_grab_folio()'} took the reference or pin, the PTE is re-checked ... */`],
    added: [
      `${T}${T}/* only callers that will access the contents (pvlab: ${when ?? 'pin'}) */`,
      `${T}${T}if ((${test}) && arch_make_page_accessible(page)) {`,
      `${T}${T}${T}${release}`,
      `${T}${T}${T}goto pte_unmap;${T}/* fast GUP stops; the slow path retries */`,
      `${T}${T}}`,
    ],
    after: [`${T}${T}/* ... pvlab sketch: the page goes into pages[] ... */`],
  };
}

function gupSlow(kernel: KernelId, when: When | undefined): KernelHunk {
  const k57 = kernel === '5.7';
  const test = flagTest(when);
  const release = k57
    ? (when === 'get' ? ['put_page(page);'] : when === 'any' ? ['if (flags & FOLL_PIN)', '\tunpin_user_page(page);', 'else', '\tput_page(page);'] : ['unpin_user_page(page);'])
    : ['gup_put_folio(folio, 1, flags);'];
  return {
    file: 'mm/gup.c', function: 'follow_page_pte()', line: k57 ? 405 : 583,
    signature: ['static struct page *follow_page_pte(struct vm_area_struct *vma,', '\t\tunsigned long address, pmd_t *pmd, unsigned int flags,', '\t\tstruct dev_pagemap **pgmap)'],
    before: [`${T}/* ... pvlab sketch: under the PTE lock, ${k57 ? 'try_grab_page()' : 'try_grab_page() on the folio'} took the reference or pin ... */`],
    added: [
      `${T}/* only callers that will access the contents (pvlab: ${when ?? 'pin'}) */`,
      `${T}if (${test}) {`,
      `${T}${T}int ret = arch_make_page_accessible(page);`,
      '',
      `${T}${T}if (ret) {`,
      ...release.map((l) => `${T}${T}${T}${l}`),
      `${T}${T}${T}page = ERR_PTR(ret);${T}/* GUP returns the error */`,
      `${T}${T}${T}goto out;`,
      `${T}${T}}`,
      `${T}}`,
    ],
    after: [`${T}/* ... pvlab sketch: FOLL_TOUCH marks the page dirty/accessed ... */`],
  };
}

function writeback(kernel: KernelId): KernelHunk {
  const k57 = kernel === '5.7';
  return {
    file: 'mm/page-writeback.c', function: k57 ? '__test_set_page_writeback()' : '__folio_start_writeback()',
    line: k57 ? 2764 : 2996,
    signature: [k57 ? 'int __test_set_page_writeback(struct page *page, bool keep_write)' : 'bool __folio_start_writeback(struct folio *folio, bool keep_write)'],
    declare: [`${T}int access_ret;`, ''],
    before: [`${T}/* ... pvlab sketch: PG_writeback is set and counted, the memcg lock dropped ... */`],
    added: cannotFail(k57 ? 'arch_make_page_accessible(page)' : 'arch_make_folio_accessible(folio)',
      k57 ? 'VM_BUG_ON_PAGE' : 'VM_BUG_ON_FOLIO',
      ['Writeback has started: too late to recover, the callers', 'cannot take an error back.']),
    after: [`${T}/* ... pvlab sketch: return whether writeback was already set ... */`],
  };
}

function ptepClear(kernel: KernelId, arch: ArchId, when: When | undefined): KernelHunk[] {
  const dir = archDir(arch);
  const file = `arch/${dir}/include/asm/pgtable.h`;
  if (arch === 's390-pv') {
    const exp = kernel === '5.7' ? 'uv_convert_from_secure' : 'uv_convert_owned_from_secure';
    const flush: KernelHunk = {
      file, function: 'ptep_clear_flush()', line: 1086,
      signature: ['static inline pte_t ptep_clear_flush(struct vm_area_struct *vma,', '\t\t\t\t     unsigned long addr, pte_t *ptep)'],
      before: [`${T}/* ... pvlab sketch: res is the old PTE, now invalid and flushed ... */`],
      added: [
        `${T}/* the page is locked or under writeback: export it before any I/O */`,
        `${T}if (mm_is_protected(vma->vm_mm) && pte_present(res))`,
        `${T}${T}${exp}(pte_val(res) & PAGE_MASK);`,
      ],
      after: [`${T}/* ... pvlab sketch: return res ... */`],
    };
    const full: KernelHunk = {
      file, function: 'ptep_get_and_clear_full()', line: 1120,
      signature: ['static inline pte_t ptep_get_and_clear_full(struct mm_struct *mm,', '\t\t\t\t\t    unsigned long addr,', '\t\t\t\t\t    pte_t *ptep, int full)'],
      before: [`${T}/* ... pvlab sketch: res is the old PTE; full means the whole mm goes away ... */`],
      // destroy at teardown came in 6.0 (2022): 5.7 exported here, so `live` is an export there
      added: when === 'live' && kernel !== '5.7'
        ? [
          `${T}if (!mm_is_protected(mm) || !pte_present(res))`,
          `${T}${T}return res;`,
          `${T}/* the mm goes away: destroy the page instead of encrypting it */`,
          `${T}if (full && !uv_destroy_owned_page(pte_val(res) & PAGE_MASK))`,
          `${T}${T}return res;`,
          `${T}/* not a teardown, or the destroy failed: the slower export */`,
          `${T}${exp}(pte_val(res) & PAGE_MASK);`,
        ]
        : [
          `${T}if (mm_is_protected(mm) && pte_present(res))`,
          `${T}${T}${exp}(pte_val(res) & PAGE_MASK);`,
        ],
      after: [`${T}/* ... pvlab sketch: return res ... */`],
    };
    return [flush, full];
  }
  // another architecture: nothing can export; the hook can only refuse, and a PTE clear cannot fail
  const mk = (fn: string, sig: string[], line: number): KernelHunk => ({
    file, function: fn, line, signature: sig,
    declare: [`${T}int access_ret;`, ''],
    before: [`${T}/* ... pvlab sketch: res is the old PTE, now clear ... */`],
    added: [
      `${T}if (pte_present(res)) {`,
      ...cannotFail('arch_make_page_accessible(pte_page(res))', 'VM_BUG_ON',
        ['Clearing a PTE cannot fail: nobody up the stack can take an', 'error back, so a refusal here is fatal.'], `${T}${T}`),
      `${T}}`,
    ],
    after: [`${T}/* ... pvlab sketch: return res ... */`],
  });
  return [
    mk('ptep_get_and_clear()', ['static inline pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr,', '\t\t\t\t       pte_t *ptep)'], 1260),
    mk('ptep_get_and_clear_full()', ['static inline pte_t ptep_get_and_clear_full(struct mm_struct *mm,', '\t\t\t\t\t    unsigned long addr, pte_t *ptep,', '\t\t\t\t\t    int full)'], 1280),
  ];
}

function reclaimScan(kernel: KernelId): KernelHunk {
  const k57 = kernel === '5.7';
  return {
    file: 'mm/vmscan.c', function: 'shrink_active_list()', line: k57 ? 2021 : 2596,
    signature: ['static void shrink_active_list(unsigned long nr_to_scan,', '\t\t\t       struct lruvec *lruvec,', '\t\t\t       struct scan_control *sc,', '\t\t\t       enum lru_list lru)'],
    before: [`${T}${T}/* ... pvlab sketch: for each ${k57 ? 'page' : 'folio'} taken off the active list, before ${k57 ? 'page_referenced()' : 'folio_referenced()'} ... */`],
    added: [
      `${T}${T}/* nothing here can take an error: the scan only ages the ${k57 ? 'page' : 'folio'} */`,
      `${T}${T}${k57 ? 'arch_make_page_accessible(page);' : 'arch_make_folio_accessible(folio);'}`,
    ],
    after: [`${T}${T}/* ... pvlab sketch: young pages stay active, old ones move to the inactive list ... */`],
  };
}

function splice(kernel: KernelId): KernelHunk {
  const k57 = kernel === '5.7';
  return {
    file: 'fs/splice.c', function: 'page_cache_pipe_buf_confirm()', line: k57 ? 101 : 116,
    signature: ['static int page_cache_pipe_buf_confirm(struct pipe_inode_info *pipe,', '\t\t\t\t       struct pipe_buffer *buf)'],
    before: [`${T}/* ... pvlab sketch: the page-cache ${k57 ? 'page' : 'folio'} is uptodate; the pipe holds a reference ... */`],
    added: [
      `${T}/* a device may read this page next (sendfile, splice) */`,
      `${T}if (${k57 ? 'arch_make_page_accessible(buf->page)' : 'arch_make_folio_accessible(folio)'})`,
      `${T}${T}return -EIO;`,
    ],
    after: [`${T}/* ... pvlab sketch: return 0: the contents may be used ... */`],
  };
}

function dmaMap(kernel: KernelId): KernelHunk[] {
  const k57 = kernel === '5.7';
  // 5.7: the DMA API entry points are inline in the header; out of line in kernel/dma/mapping.c since 5.10
  const file = k57 ? 'include/linux/dma-mapping.h' : 'kernel/dma/mapping.c';
  const page: KernelHunk = {
    file, function: 'dma_map_page_attrs()', line: k57 ? 272 : 155,
    signature: k57
      ? ['static inline dma_addr_t dma_map_page_attrs(struct device *dev,', '\t\tstruct page *page, size_t offset, size_t size,', '\t\tenum dma_data_direction dir, unsigned long attrs)']
      : ['dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,', '\t\tsize_t offset, size_t size, enum dma_data_direction dir,', '\t\tunsigned long attrs)'],
    before: [`${T}/* ... pvlab sketch: the direction is checked ... */`],
    added: [
      `${T}/* the device is about to read or write this page */`,
      `${T}if (arch_make_page_accessible(page))`,
      `${T}${T}return DMA_MAPPING_ERROR;`,
    ],
    after: [`${T}/* ... pvlab sketch: direct mapping or ops->map_page() ... */`],
  };
  const sg: KernelHunk = {
    file, function: k57 ? 'dma_map_sg_attrs()' : '__dma_map_sg_attrs()', line: k57 ? 310 : 183,
    signature: k57
      ? ['static inline int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg,', '\t\t\t\t   int nents, enum dma_data_direction dir,', '\t\t\t\t   unsigned long attrs)']
      : ['static int __dma_map_sg_attrs(struct device *dev, struct scatterlist *sg,', '\t int nents, enum dma_data_direction dir, unsigned long attrs)'],
    declare: [`${T}struct scatterlist *s;`, `${T}int i;`, ''],
    before: [`${T}/* ... pvlab sketch: the direction is checked ... */`],
    added: [
      `${T}for_each_sg(sg, s, nents, i) {`,
      `${T}${T}if (arch_make_page_accessible(sg_page(s)))`,
      `${T}${T}${T}return ${k57 ? '0;\t/* no entries mapped: the caller fails the I/O */' : '-EIO;'}`,
      `${T}}`,
    ],
    after: [`${T}/* ... pvlab sketch: direct mapping or ops->map_sg() ... */`],
  };
  return [page, sg];
}

function bioSubmit(kernel: KernelId): KernelHunk {
  const k57 = kernel === '5.7';
  return {
    file: 'block/blk-core.c', function: 'submit_bio()', line: k57 ? 1089 : 831,
    signature: [k57 ? 'blk_qc_t submit_bio(struct bio *bio)' : 'void submit_bio(struct bio *bio)'],
    declare: [`${T}struct bvec_iter iter;`, `${T}struct bio_vec bv;`, ''],
    before: [`${T}/* ... pvlab sketch: before accounting and submit_bio_noacct() ... */`],
    added: [
      `${T}bio_for_each_segment(bv, bio, iter) {`,
      `${T}${T}if (arch_make_page_accessible(bv.bv_page)) {`,
      `${T}${T}${T}bio_io_error(bio);${T}/* a writeback bio loses its data here */`,
      `${T}${T}${T}return${k57 ? ' BLK_QC_T_NONE' : ''};`,
      `${T}${T}}`,
      `${T}}`,
    ],
    after: [`${T}/* ... pvlab sketch: the bio goes to the driver ... */`],
  };
}

function kmap(kernel: KernelId): KernelHunk {
  const k57 = kernel === '5.7';
  // s390 (like most 64-bit hosts) has no CONFIG_HIGHMEM: the variant it compiles is the
  // inline one in the `#else /* CONFIG_HIGHMEM */` half, which only returns page_address().
  // 5.7: kmap_atomic() in highmem.h; 6.5: kmap_local_page() in highmem-internal.h.
  return {
    file: k57 ? 'include/linux/highmem.h' : 'include/linux/highmem-internal.h',
    function: k57 ? 'kmap_atomic()' : 'kmap_local_page()', line: k57 ? 180 : 170,
    signature: [k57 ? 'static inline void *kmap_atomic(struct page *page)' : 'static inline void *kmap_local_page(struct page *page)'],
    declare: [`${T}int access_ret;`, ''],
    before: [`${T}/* ... pvlab sketch: the !CONFIG_HIGHMEM variant, which s390 builds; the CPU is about to use page_address(page) ... */`],
    added: cannotFail('arch_make_page_accessible(page)', 'VM_BUG_ON_PAGE',
      ['kmap cannot fail: none of its callers checks for an error.']),
    after: [`${T}/* ... pvlab sketch: return the mapping ... */`],
  };
}

function vmNormalPage(): KernelHunk {
  return {
    file: 'mm/memory.c', function: 'vm_normal_page()', line: 581,
    signature: ['struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr,', '\t\t\t    pte_t pte)'],
    before: [`${T}/* ... pvlab sketch: pfn names a normal page (not special, not the zero page) ... */`],
    added: [
      `${T}/* callers see "no page": GUP fails with -EFAULT, zap must cope */`,
      `${T}if (arch_make_page_accessible(pfn_to_page(pfn)))`,
      `${T}${T}return NULL;`,
    ],
    after: [`${T}/* ... pvlab sketch: return pfn_to_page(pfn) ... */`],
  };
}

type Renderer = (kernel: KernelId, arch: ArchId, when: When | undefined) => SiteRender;

/**
 * How a hook at each site renders: one entry per site (the compiler asks for a new one),
 * 'fixed' for a site the player never places (the fault handler).
 */
const RENDER: Readonly<Record<SiteId, Renderer | 'fixed'>> = {
  gup_fast: (kernel, _arch, when) => ({ hunks: [gupFast(kernel, when)], prefix: 'mm/gup', arch: false, helper: 'page', why: 'the fast walk has just taken the reference or pin, so the page is busy and a failure can still be returned' }),
  gup_slow: (kernel, _arch, when) => ({ hunks: [gupSlow(kernel, when)], prefix: 'mm/gup', arch: false, helper: 'page', why: 'the slow walk holds the PTE lock and has taken the reference or pin; GUP can return the error' }),
  writeback: (kernel) => ({ hunks: [writeback(kernel)], prefix: 'mm/writeback', arch: false, helper: kernel === '6.5' ? 'folio' : 'page', why: 'PG_writeback is set, so the guest cannot take the page back before the I/O; nothing can fail here any more' }),
  ptep_clear: (kernel, arch, when) => ({ hunks: ptepClear(kernel, arch, when), prefix: `${archDir(arch)}/mm`, arch: true, helper: arch === 's390-pv' ? 'none' : 'page', why: 'the page is locked (reclaim) or about to be written back (page_mkclean) when its PTE goes' }),
  reclaim_scan: (kernel) => ({ hunks: [reclaimScan(kernel)], prefix: 'mm/vmscan', arch: false, helper: kernel === '6.5' ? 'folio' : 'page', why: 'the aging scan sees every candidate page, long before reclaim decides to write one' }),
  splice: (kernel) => ({ hunks: [splice(kernel)], prefix: 'fs/splice', arch: false, helper: kernel === '6.5' ? 'folio' : 'page', why: 'the pipe holds a reference on the page-cache page; the splice can fail with -EIO' }),
  dma_map: (kernel) => ({ hunks: dmaMap(kernel), prefix: 'dma-mapping', arch: false, helper: 'page', why: 'every device that maps pages through the DMA API passes here, and a mapping may fail' }),
  bio_submit: (kernel) => ({ hunks: [bioSubmit(kernel)], prefix: 'block', arch: false, helper: 'page', why: 'every block I/O passes here; a failed bio ends with an I/O error' }),
  kmap: (kernel) => ({ hunks: [kmap(kernel)], prefix: 'highmem', arch: false, helper: 'page', why: 'the CPU maps the page here before touching it; kmap cannot fail' }),
  vm_normal_page: () => ({ hunks: [vmNormalPage()], prefix: 'mm/memory', arch: false, helper: 'page', why: 'every lookup of the page behind a PTE passes here, whatever the caller does with it' }),
  fault: 'fixed', // the fault handler is the architecture's, never placed
};

/** How a hook at this site renders in one era and architecture; null for a fixed site. */
export function siteRender(site: SiteId, kernel: KernelId, arch: ArchId, when?: When): SiteRender | null {
  const r = RENDER[site];
  return r === 'fixed' ? null : r(kernel, arch, when);
}

/** How a placed hook renders. Throws for a fixed site: a solution never places one (the schema refuses it). */
export function hookRender(site: SiteId, kernel: KernelId, arch: ArchId, when?: When): SiteRender {
  const r = RENDER[site];
  if (r === 'fixed') throw new Error(`patch: ${site} is a fixed site, never placed`);
  return r(kernel, arch, when);
}

/** The generic default core code needs: only in 5.7 (gfp.h); 6.5 has its own in mm.h. */
export function defaultsHunk(kernel: KernelId, helpers: ReadonlySet<'page' | 'folio'>): KernelHunk | null {
  // only the 5.7-era patch (f28d43636d6f) added the generic stub, to gfp.h; a 6.5 tree has
  // arch_make_page_accessible() and arch_make_folio_accessible() defaults in mm.h already
  if (!helpers.size || kernel !== '5.7') return null;
  return {
    file: 'include/linux/gfp.h', function: '', line: 485,
    signature: ['/* ... pvlab sketch: the other arch_*_page() defaults ... */'],
    before: [],
    added: ['#ifndef HAVE_ARCH_MAKE_PAGE_ACCESSIBLE', 'static inline int arch_make_page_accessible(struct page *page)', '{', `${T}return 0;`, '}', '#endif'],
    after: ['/* ... pvlab sketch: the page allocator interfaces follow ... */'],
  };
}
