// Static domain data: hook sites, workloads, architectures, costs.
// IDs here are part of the file formats (levels, solutions): never rename one.
import type { SiteFacts } from './sitefacts.js';

export const SITE_IDS = [
  'gup_fast',
  'gup_slow',
  'writeback',
  'ptep_clear',
  'reclaim_scan',
  'splice',
  'dma_map',
  'bio_submit',
  'kmap',
  'vm_normal_page',
  'fault',
] as const;
export type SiteId = (typeof SITE_IDS)[number];

export const WORKLOAD_IDS = [
  'kvm_fault',
  'host_refs',
  'swap',
  'malicious_qemu',
  'mmap_sync',
  'sendfile',
  'process_vm_readv',
  'zswap',
  'teardown',
] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export const ARCH_IDS = ['s390-pv', 'sev-snp', 'tdx', 'cca', 'guest-memfd'] as const;
export type ArchId = (typeof ARCH_IDS)[number];

export const KERNEL_IDS = ['5.7', '6.5'] as const;
export type KernelId = (typeof KERNEL_IDS)[number];

export const DEVICE_IDS = ['ccw', 'pci'] as const;
export type DeviceId = (typeof DEVICE_IDS)[number];

/** `when` conditions. GUP sites: pin | get | any. ptep_clear: any | live. */
export type When = 'pin' | 'get' | 'any' | 'live';

export interface SiteInfo {
  id: SiteId;
  /** the kernel function(s) the hook would live in */
  fn: string;
  file: string;
  /** may the caller fail cleanly when the hook fails? */
  mayFail: 'yes' | 'no' | 'n/a' | 'fixed';
  /** allowed `when` values; the first is the default; empty = takes none */
  when: readonly When[];
  /** true for the fixed fault handler: shown, never placed */
  placeable: boolean;
  reachedBy: string;
  /** one-line explanation for side panels */
  summary: string;
  /** true when the site is not (or never was) in mainline */
  mainline: string;
  /** the site's column on the game's board (`abbr`: its four-letter heading); null: not a column */
  board: { abbr: string; column: number | null };
  /**
   * What the site *is*, in neutral words (the board's side panel before a level is solved):
   * what reaches it, what is held when a hook there would run, what a failure there can do.
   * Nothing about which site a level wants, what mainline did, or who proposed what (that
   * history is in `mainline` and the levels' epilogues, shown once a level is solved).
   */
  facts: SiteFacts;
}

const GUP_CONDITIONS = 'pin: only FOLL_PIN callers (they will access the contents); get: only FOLL_GET callers (they hold a reference); any: both';

export const SITES: Readonly<Record<SiteId, SiteInfo>> = {
  gup_fast: {
    id: 'gup_fast', fn: 'gup_pte_range()', file: 'mm/gup.c', mayFail: 'yes',
    when: ['pin', 'get', 'any'], placeable: true,
    reachedBy: 'get/pin_user_pages_fast on present PTEs (O_DIRECT, KVM fault-in on x86, 6.x NUMA queries)',
    summary: 'Lockless fast GUP. Runs after the reference/pin is taken, so the page is already busy.',
    mainline: 'v5.7, FOLL_PIN only (f28d43636d6f); error handling fixed 2025',
    board: { abbr: 'gupF', column: 2 },
    facts: {
      reachedBy: 'get_user_pages_fast() and pin_user_pages_fast() walking present PTEs without locks (O_DIRECT, KVM fault-in on x86 and arm64, get_mempolicy(MPOL_F_ADDR) on 6.x)',
      held: 'interrupts off, no page-table lock; the reference or pin (FOLL_GET / FOLL_PIN) has just been taken',
      failure: 'can be returned: the page is released and the fast walk stops; the caller falls back to slow GUP',
      conditions: GUP_CONDITIONS,
    },
  },
  gup_slow: {
    id: 'gup_slow', fn: 'follow_page_pte()', file: 'mm/gup.c', mayFail: 'yes',
    when: ['pin', 'get', 'any'], placeable: true,
    reachedBy: 'GUP fallback, remote GUP (process_vm_readv), 5.7 NUMA queries and munlock, x86 KVM fault-in',
    summary: 'Slow GUP under the PTE lock, after try_grab_page(): the page is busy when the hook runs.',
    mainline: 'v5.7, FOLL_PIN only (f28d43636d6f)',
    board: { abbr: 'gupS', column: 4 },
    facts: {
      reachedBy: 'slow GUP: the fast-path fallback, remote GUP (process_vm_readv), get_mempolicy(MPOL_F_ADDR) and munlock on 5.7 (on 6.x a NUMA query comes here only when fast GUP misses), KVM fault-in',
      held: 'the PTE lock; try_grab_page() has just taken the reference or pin',
      failure: 'can be returned: the page is released and the GUP caller gets the error (ERR_PTR)',
      conditions: GUP_CONDITIONS,
    },
  },
  writeback: {
    id: 'writeback', fn: '__test_set_page_writeback()', file: 'mm/page-writeback.c', mayFail: 'no',
    when: [], placeable: true,
    reachedBy: 'swap-out, msync/fsync, zswap store',
    summary: 'Runs after PG_writeback is set. "Too late to recover": a failure is VM_BUG_ON.',
    mainline: 'v5.7 (f28d43636d6f); folio version since v5.16',
    board: { abbr: 'wrbk', column: 6 },
    facts: {
      reachedBy: 'every write of a page to storage: swap-out, msync/fsync of file pages, zswap store',
      held: 'the page lock; PG_writeback has just been set',
      failure: 'cannot be returned: the caller has committed to the write (only a VM_BUG_ON is possible)',
    },
  },
  ptep_clear: {
    id: 'ptep_clear', fn: 'ptep_get_and_clear()/ptep_clear_flush()', file: 'arch/s390/include/asm/pgtable.h',
    mayFail: 'no', when: ['any', 'live'], placeable: true,
    reachedBy: 'unmap for reclaim, page_mkclean (msync), teardown',
    summary: 's390 exports a secure page when its PTE is cleared. `live`: on VM teardown destroy instead of export.',
    mainline: 's390 pgtable.h since v5.7; destroy-on-teardown since 6.0 (2022)',
    board: { abbr: 'ptep', column: 1 },
    facts: {
      reachedBy: 'every clear of a present PTE: try_to_unmap() in reclaim, page_mkclean() before writeback of a dirty file page, zap_pte_range() at teardown',
      held: 'the page-table lock; the page lock too in reclaim and page_mkclean(), not at teardown',
      failure: 'cannot be returned: clearing a PTE always succeeds and returns the old entry',
      file: "the architecture's asm/pgtable.h (include/linux/pgtable.h has the generic ones)",
      conditions: 'any: the hook runs at every clear; live: only while the VM runs (at teardown the page is destroyed instead: cleared and given back as a plain host page)',
      // [R9] only s390 has a destroy (uv_destroy_owned_page()); elsewhere a `live` hook
      // stays out of teardown and the PTE is only cleared: KVM's own VM teardown gives
      // the private page back, not the PTE clear
      conditionsByArch: {
        'sev-snp': "any: the hook runs at every clear (it cannot make a private page accessible: a clear of one fails); live: only while the VM runs. At teardown the PTE is only cleared: KVM's SNP teardown gives the page back (RMPUPDATE to hypervisor-owned)",
        tdx: "any: the hook runs at every clear (it cannot make a private page accessible: a clear of one fails); live: only while the VM runs. At teardown the PTE is only cleared: KVM's TD teardown gives the page back (TDH.PHYMEM.PAGE.RECLAIM, then a clear)",
        cca: 'any: the hook runs at every clear; live: only while the Realm runs. Private granules are not mapped in the host: no PTE clear finds one, both act alike (KVM gives them back through the RMM)',
        'guest-memfd': 'any: the hook runs at every clear; live: only while the VM runs. Private pages live in guest_memfd, not mapped in the host: no PTE clear finds one, both act alike',
      },
    },
  },
  reclaim_scan: {
    id: 'reclaim_scan', fn: 'shrink_active_list() -> page_referenced()', file: 'mm/vmscan.c',
    mayFail: 'n/a', when: [], placeable: true,
    reachedBy: 'every LRU aging pass (far more pages than are written)',
    summary: 'Before the page is isolated, locked or unmapped: nothing keeps the guest from importing it back.',
    mainline: 'no hook here in mainline or in the 2020 proposals',
    board: { abbr: 'recl', column: 0 },
    facts: {
      reachedBy: 'LRU aging: shrink_active_list() asks folio_referenced() about every page it scans',
      held: 'no page lock; the page is still mapped, so the guest can touch it',
      failure: 'nothing to return: aging only decides whether the page stays active',
    },
  },
  splice: {
    id: 'splice', fn: 'page_cache_pipe_buf_confirm()', file: 'fs/splice.c', mayFail: 'yes',
    when: [], placeable: true,
    reachedBy: 'sendfile/splice of page-cache pages',
    summary: 'Confirms a page-cache page in a pipe before it is sent. Returns -EIO on failure.',
    mainline: 'proposed Apr 2020 (Imbrenda, v1/v2), never merged',
    board: { abbr: 'splc', column: 5 },
    facts: {
      reachedBy: 'splice and sendfile of page-cache pages, when a pipe buffer is confirmed before its page is used',
      held: 'the pipe buffer\'s page-cache reference; the page lock, briefly, inside the confirm',
      failure: 'can be returned: the splice or sendfile gets the error (-EIO)',
    },
  },
  dma_map: {
    id: 'dma_map', fn: 'dma_map_page()/dma_map_sg()', file: 'kernel/dma/mapping.c', mayFail: 'yes',
    when: [], placeable: true,
    reachedBy: 'devices using the DMA API (PCI). s390 channel I/O (CCW) bypasses it',
    summary: "Hansen's proposal: stop DMA at the mapping layer. CCW devices never call it.",
    mainline: 'proposed in review (2020), not done',
    board: { abbr: 'dma', column: 9 },
    facts: {
      reachedBy: 'devices that map pages through the DMA API (dma_map_page(), dma_map_sg()); channel I/O programs do not',
      held: 'whatever the I/O path holds (a pin, a reference, PG_writeback); nothing of its own',
      failure: 'can be returned: the driver sees a mapping error and fails the request',
    },
  },
  bio_submit: {
    id: 'bio_submit', fn: 'submit_bio()', file: 'block/blk-core.c', mayFail: 'yes',
    when: [], placeable: true,
    reachedBy: 'all block I/O (swap, O_DIRECT, msync, splice to a file); not network',
    summary: 'A block-layer hook: covers every bio, misses network sends.',
    mainline: 'a design alternative, not in mainline',
    board: { abbr: 'bio', column: 8 },
    facts: {
      reachedBy: 'all block I/O: swap, O_DIRECT, msync writeback, splice to a file; network sends do not',
      held: 'whatever the submitter holds: PG_writeback (swap, msync) or a GUP pin (O_DIRECT)',
      failure: 'can be returned: the bio completes with an error status and the writer sees an I/O error',
    },
  },
  kmap: {
    id: 'kmap', fn: 'kmap()/kmap_atomic()', file: 'include/linux/highmem.h', mayFail: 'no',
    when: [], placeable: true,
    reachedBy: 'CPU access through a temporary mapping (copies, compression)',
    summary: 'Only CPU copies go through kmap; s390 device I/O never does.',
    mainline: 'proposed in review (2020), not done',
    board: { abbr: 'kmap', column: 7 },
    facts: {
      reachedBy: 'the kernel mapping a page for the CPU: copies to and from user memory, compression, checksums',
      held: 'whatever the caller holds (a reference or pin); kmap() itself takes nothing',
      failure: 'cannot be returned: kmap() always hands back an address',
    },
  },
  vm_normal_page: {
    id: 'vm_normal_page', fn: 'vm_normal_page()', file: 'mm/memory.c', mayFail: 'yes',
    when: [], placeable: true,
    reachedBy: 'PTE-to-page lookups: slow GUP, zap, NUMA scan, KSM (not fast GUP)',
    summary: 'A hot path that fast GUP never calls, and that also runs for code needing no page contents.',
    mainline: 'no hook here in mainline or in the 2020 proposals',
    board: { abbr: 'vmnp', column: 3 },
    facts: {
      reachedBy: 'PTE-to-page lookups: slow GUP, zap at unmap and teardown, NUMA scanning, KSM (not fast GUP)',
      held: 'the page-table lock; no reference yet',
      failure: 'slow GUP can pass an error on to its caller; zap at unmap and teardown has no way to fail',
    },
  },
  fault: {
    id: 'fault', fn: 'do_secure_storage_access()', file: 'arch/s390/mm/fault.c', mayFail: 'fixed',
    when: [], placeable: false,
    reachedBy: 'host CPU touching a secure page (program interrupt 0x3d)',
    summary: 'Always present on s390: exports the page and retries the instruction.',
    mainline: 'v5.7 (084ea4d611a3)',
    board: { abbr: 'flt', column: null },
    facts: {
      reachedBy: 'the host CPU touching a page it may not access (on s390: program interrupt 0x3d)',
      held: 'nothing: a fault in the middle of whatever the host was doing',
      failure: 'not a hook you place: the architecture\'s handler runs here',
    },
  },
};

export interface WorkloadInfo {
  id: WorkloadId;
  /** the entry point of its lane on the board, short: guest, QEMU, reclaim, msync, ... */
  entry: string;
  title: string;
  path: string;
  busy: string;
  io: 'device' | 'CPU (host)' | 'CPU (guest)' | 'none';
}

export const WORKLOADS: Readonly<Record<WorkloadId, WorkloadInfo>> = {
  kvm_fault: {
    id: 'kvm_fault', entry: 'guest', title: 'the guest runs',
    path: 'guest touches its pages; exported pages are imported (s390 gmap fault, no GUP; x86/arm KVM fault-in uses GUP FOLL_GET)',
    busy: '-', io: 'CPU (guest)',
  },
  host_refs: {
    id: 'host_refs', entry: 'host refs', title: 'host references (NUMA query, munlock)',
    path: 'get_mempolicy(MPOL_F_ADDR): 5.7 get_user_pages_locked, 6.x get_user_pages_fast (fast GUP, slow on a miss); munlock: 5.7 follow_page(FOLL_GET), 6.x vm_normal_folio (no GUP) -> put_page',
    busy: 'reference', io: 'none',
  },
  swap: {
    id: 'swap', entry: 'reclaim', title: 'swap under memory pressure',
    path: 'shrink_active_list -> shrink_folio_list (lock) -> try_to_unmap (ptep_clear) -> swap_writepage -> writeback -> submit_bio',
    busy: 'lock + swap cache, then PG_writeback', io: 'device',
  },
  malicious_qemu: {
    id: 'malicious_qemu', entry: 'QEMU', title: 'malicious QEMU doing O_DIRECT on guest RAM',
    path: 'read/write(O_DIRECT) -> GUP fast, fallback slow (FOLL_GET < 6.5, FOLL_PIN >= 6.5) -> submit_bio',
    busy: 'GUP reference/pin', io: 'device',
  },
  mmap_sync: {
    id: 'mmap_sync', entry: 'msync', title: 'msync of file-backed guest RAM',
    path: 'msync -> write_cache_pages (lock) -> page_mkclean (ptep_clear if dirty) -> writeback -> submit_bio',
    busy: 'lock + read-only PTE, then PG_writeback', io: 'device',
  },
  sendfile: {
    id: 'sendfile', entry: 'sendfile', title: 'sendfile from the guest RAM file',
    path: 'sendfile -> filemap_get_pages (ref) -> pipe -> pipe_buf_confirm (splice) -> NIC/disk; no GUP, no writeback',
    busy: 'page-cache reference', io: 'device',
  },
  process_vm_readv: {
    id: 'process_vm_readv', entry: 'pvm_readv', title: 'process_vm_readv on guest RAM',
    path: 'pin_user_pages_remote (FOLL_PIN) -> follow_page_pte -> copy_page_to_iter (kmap, CPU) -> unpin',
    busy: 'pin', io: 'CPU (host)',
  },
  zswap: {
    id: 'zswap', entry: 'zswap', title: 'zswap compresses evicted pages',
    path: 'shrink_active_list -> lock -> try_to_unmap (ptep_clear) -> zswap_store (kmap, CPU compress) -> set/end writeback -> free',
    busy: 'lock, then PG_writeback', io: 'CPU (host)',
  },
  teardown: {
    id: 'teardown', entry: 'teardown', title: 'VM teardown',
    path: 'VM exit -> zap_pte_range (vm_normal_page, ptep_get_and_clear_full) -> pages freed and reused by the host',
    busy: '-', io: 'none',
  },
};

export interface ArchInfo {
  id: ArchId;
  /** the design's name, e.g. "KVM guest_memfd" (headers show it alone) */
  name: string;
  /** what of the design the profile models, shown in parentheses after the name */
  detail: string;
  /** the Linux version the design came with, when it is newer than the modelled mm eras */
  since?: string;
  /** name, then since and detail in parentheses: "KVM guest_memfd (Linux 6.8; upstream SNP and TDX)" */
  title: string;
  /** can the hook turn a private page into a host-accessible one? (s390 export; the guest imports it back) */
  canExport: boolean;
  /**
   * a host CPU read of a private page (every modelled CPU copy is a read): s390 faults and
   * exports; SEV-SNP returns ciphertext without a fault (the RMP checks writes); else a crash.
   * No modelled workload writes guest RAM with the CPU.
   */
  cpuRead: 'fault' | 'crash' | 'ciphertext';
  /** may private pages be reclaimed (swap, zswap)? */
  privateEvictable: boolean;
  /** does KVM fault guest pages in with GUP (FOLL_GET)? (shared pages; private ones too when mapped) */
  kvmFaultViaGup: boolean;
  /** are private pages mapped in host userspace (PTE, page cache)? false: guest_memfd-style */
  privateMapped: boolean;
  privateName: string;
  /**
   * the machines that existed: the mm eras (`kernel`) and I/O devices this design ran with.
   * guest_memfd and the CCA host series came after the 5.7 mm; virtio-ccw (channel I/O)
   * is s390's alone.
   */
  kernels: readonly KernelId[];
  devices: readonly DeviceId[];
}

/** An architecture's descriptor with its title composed from name, since and detail. */
function arch(a: Omit<ArchInfo, 'title'>): ArchInfo {
  const paren = [a.since ? `Linux ${a.since}` : '', a.detail].filter(Boolean).join('; ');
  return { ...a, title: paren ? `${a.name} (${paren})` : a.name };
}

export const ARCHES: Readonly<Record<ArchId, ArchInfo>> = {
  // mainline since 5.7: guest memory is ordinary QEMU memory; the Ultravisor exports and imports
  's390-pv': arch({
    id: 's390-pv', name: 's390 Protected Virtualization', detail: 'Secure Execution',
    canExport: true, cpuRead: 'fault', privateEvictable: true, kvmFaultViaGup: false,
    privateMapped: true, privateName: 'secure',
    kernels: ['5.7', '6.5'], devices: ['ccw', 'pci'],
  }),
  // the SNP host series before guest_memfd (2021-2023) kept private memory in QEMU's
  // mapping; upstream SNP (about 6.11) uses guest_memfd
  'sev-snp': arch({
    id: 'sev-snp', name: 'AMD SEV-SNP', detail: '2021-2023 host series: private memory mapped in QEMU',
    canExport: false, cpuRead: 'ciphertext',
    privateEvictable: false, kvmFaultViaGup: true, privateMapped: true,
    privateName: 'private',
    kernels: ['5.7', '6.5'], devices: ['pci'],
  }),
  // the early TDX host series (2021-2022) kept TD-private memory in QEMU's mapping; upstream
  // TDX (about 6.16) uses guest_memfd
  tdx: arch({
    id: 'tdx', name: 'Intel TDX', detail: 'early host series: private memory mapped in QEMU',
    canExport: false, cpuRead: 'crash',
    privateEvictable: false, kvmFaultViaGup: true, privateMapped: true,
    privateName: 'private',
    kernels: ['5.7', '6.5'], devices: ['pci'],
  }),
  // every CCA host series delegates private granules to the RMM: never mapped in QEMU, never
  // found by GUP
  cca: arch({
    id: 'cca', name: 'Arm CCA', detail: 'Realms; private memory not mapped in the host',
    canExport: false, cpuRead: 'crash',
    privateEvictable: false, kvmFaultViaGup: true, privateMapped: false,
    privateName: 'private',
    kernels: ['6.5'], devices: ['pci'],
  }),
  // guest_memfd (6.8): private memory the host mm never maps; upstream SNP (about 6.11) and
  // TDX (about 6.16) use it
  'guest-memfd': arch({
    id: 'guest-memfd', name: 'KVM guest_memfd', since: '6.8', detail: 'upstream SNP and TDX',
    canExport: false, cpuRead: 'crash',
    privateEvictable: false, kvmFaultViaGup: true, privateMapped: false,
    privateName: 'private',
    kernels: ['6.5'], devices: ['pci'],
  }),
};

export interface Costs {
  export: number;
  import: number;
  exception: number;
  hookCheck: number;
  stallRetry: number;
  destroy: number;
}

/**
 * Default costs (docs/model.md): assumptions, not measurements, except the ratio of destroy
 * to export: "Destroying is about twice as fast as the export" (Janosch Frank, "s390x: uv:
 * Add destroy page call", 2020-09-07), so a destroy costs half an export.
 */
export const DEFAULT_COSTS: Readonly<Costs> = {
  export: 20,
  import: 25,
  exception: 5,
  hookCheck: 0.1,
  stallRetry: 10,
  destroy: 10,
};

/**
 * Why a hook condition did not exist in a kernel era, or null: destroy at teardown
 * (`ptep_clear` with `live`) came with the 6.0 KVM/s390 pull (2022, "s390/mm: KVM: pv: when
 * tearing down, try to destroy protected pages"); 5.7's ptep_get_and_clear_full() exported
 * (docs/model.md [R9]).
 */
export function whenProblem(site: SiteId, when: When | undefined, kernel: KernelId): string | null {
  if (site === 'ptep_clear' && when === 'live' && kernel === '5.7') {
    return "ptep_clear 'live' (destroy at teardown) needs Linux 6.0 or later: 5.7 exported every cleared secure page";
  }
  return null;
}

/** The `when` choices a site offers on a kernel era (SITES[site].when without the ones it did not have). */
export function whensOn(site: SiteId, kernel: KernelId | undefined): readonly When[] {
  const all = SITES[site].when;
  return kernel ? all.filter((w) => !whenProblem(site, w, kernel)) : all;
}

/**
 * Why a machine (arch, kernel, device) never existed, or null when it did: a level file, a
 * sandbox on the command line and the sandbox screen all refuse the ones that did not.
 */
export function machineProblem(arch: ArchId, kernel: KernelId, device: DeviceId): { field: 'kernel' | 'device'; message: string } | null {
  const a = ARCHES[arch];
  if (!a.kernels.includes(kernel)) {
    const why = arch === 'guest-memfd' ? 'guest_memfd came with 6.8' : 'its host series are later than the 5.7 mm';
    return { field: 'kernel', message: `${arch} needs kernel ${a.kernels.join(' or ')}: ${why}` };
  }
  if (!a.devices.includes(device)) {
    return { field: 'device', message: `${arch} has no ${device} device: channel I/O (virtio-ccw) is s390's alone; use ${a.devices.join(' or ')}` };
  }
  return null;
}
