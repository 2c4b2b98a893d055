// Static domain data: hook sites, workloads, architectures, costs.
// IDs here are part of the file formats (levels, solutions): never rename one.

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
}

export const SITES: Readonly<Record<SiteId, SiteInfo>> = {
  gup_fast: {
    id: 'gup_fast', fn: 'gup_pte_range()', file: 'mm/gup.c', mayFail: 'yes',
    when: ['pin', 'get', 'any'], placeable: true,
    reachedBy: 'get/pin_user_pages_fast on present PTEs (O_DIRECT, KVM fault-in on x86)',
    summary: 'Lockless fast GUP. Runs after the reference/pin is taken, so the page is already busy.',
    mainline: 'v5.7, FOLL_PIN only (f28d43636d6f); error handling fixed 2025',
  },
  gup_slow: {
    id: 'gup_slow', fn: 'follow_page_pte()', file: 'mm/gup.c', mayFail: 'yes',
    when: ['pin', 'get', 'any'], placeable: true,
    reachedBy: 'GUP fallback, remote GUP (process_vm_readv), NUMA queries, munlock, x86 KVM fault-in',
    summary: 'Slow GUP under the PTE lock, after try_grab_page(): the page is busy when the hook runs.',
    mainline: 'v5.7, FOLL_PIN only (f28d43636d6f)',
  },
  writeback: {
    id: 'writeback', fn: '__test_set_page_writeback()', file: 'mm/page-writeback.c', mayFail: 'no',
    when: [], placeable: true,
    reachedBy: 'swap-out, msync/fsync, zswap store',
    summary: 'Runs after PG_writeback is set. "Too late to recover": a failure is VM_BUG_ON.',
    mainline: 'v5.7 (f28d43636d6f); folio version since v5.16',
  },
  ptep_clear: {
    id: 'ptep_clear', fn: 'ptep_get_and_clear()/ptep_clear_flush()', file: 'arch/s390/include/asm/pgtable.h',
    mayFail: 'no', when: ['any', 'live'], placeable: true,
    reachedBy: 'unmap for reclaim, page_mkclean (msync), teardown',
    summary: 's390 exports a secure page when its PTE is cleared. `live`: on VM teardown destroy instead of export.',
    mainline: 's390 pgtable.h since v5.7; destroy-on-teardown since 6.0 (2022)',
  },
  reclaim_scan: {
    id: 'reclaim_scan', fn: 'shrink_active_list() -> page_referenced()', file: 'mm/vmscan.c',
    mayFail: 'n/a', when: [], placeable: true,
    reachedBy: 'every LRU aging pass (far more pages than are written)',
    summary: 'Before the page is isolated, locked or unmapped: nothing keeps the guest from importing it back.',
    mainline: 'no hook here in mainline or in the 2020 proposals',
  },
  splice: {
    id: 'splice', fn: 'page_cache_pipe_buf_confirm()', file: 'fs/splice.c', mayFail: 'yes',
    when: [], placeable: true,
    reachedBy: 'sendfile/splice of page-cache pages',
    summary: 'Confirms a page-cache page in a pipe before it is sent. Returns -EIO on failure.',
    mainline: 'proposed Apr 2020 (Imbrenda, v1/v2), never merged',
  },
  dma_map: {
    id: 'dma_map', fn: 'dma_map_page()/dma_map_sg()', file: 'kernel/dma/mapping.c', mayFail: 'yes',
    when: [], placeable: true,
    reachedBy: 'devices using the DMA API (PCI). s390 channel I/O (CCW) bypasses it',
    summary: "Hansen's proposal: stop DMA at the mapping layer. CCW devices never call it.",
    mainline: 'proposed in review (2020), not done',
  },
  bio_submit: {
    id: 'bio_submit', fn: 'submit_bio()', file: 'block/blk-core.c', mayFail: 'yes',
    when: [], placeable: true,
    reachedBy: 'all block I/O (swap, O_DIRECT, msync, splice to a file); not network',
    summary: 'A block-layer hook: covers every bio, misses network sends.',
    mainline: 'a design alternative, not in mainline',
  },
  kmap: {
    id: 'kmap', fn: 'kmap()/kmap_atomic()', file: 'include/linux/highmem.h', mayFail: 'no',
    when: [], placeable: true,
    reachedBy: 'CPU access through a temporary mapping (copies, compression)',
    summary: 'Only CPU copies go through kmap; s390 device I/O never does.',
    mainline: 'proposed in review (2020), not done',
  },
  vm_normal_page: {
    id: 'vm_normal_page', fn: 'vm_normal_page()', file: 'mm/memory.c', mayFail: 'yes',
    when: [], placeable: true,
    reachedBy: 'PTE-to-page lookups: slow GUP, zap, NUMA scan, KSM (not fast GUP)',
    summary: 'A hot path that fast GUP never calls, and that also runs for code needing no page contents.',
    mainline: 'no hook here in mainline or in the 2020 proposals',
  },
  fault: {
    id: 'fault', fn: 'do_secure_storage_access()', file: 'arch/s390/mm/fault.c', mayFail: 'fixed',
    when: [], placeable: false,
    reachedBy: 'host CPU touching a secure page (program interrupt 0x3d)',
    summary: 'Always present on s390: exports the page and retries the instruction.',
    mainline: 'v5.7 (084ea4d611a3)',
  },
};

export interface WorkloadInfo {
  id: WorkloadId;
  title: string;
  path: string;
  busy: string;
  io: 'device' | 'CPU (host)' | 'CPU (guest)' | 'none';
}

export const WORKLOADS: Readonly<Record<WorkloadId, WorkloadInfo>> = {
  kvm_fault: {
    id: 'kvm_fault', title: 'the guest runs',
    path: 'guest touches its pages; exported pages are imported (s390 gmap fault, no GUP; x86/arm KVM fault-in uses GUP FOLL_GET)',
    busy: '-', io: 'CPU (guest)',
  },
  host_refs: {
    id: 'host_refs', title: 'host references (NUMA query, munlock)',
    path: 'get_mempolicy(MPOL_F_ADDR) / munlock -> follow_page_pte(FOLL_GET) -> put_page',
    busy: 'reference', io: 'none',
  },
  swap: {
    id: 'swap', title: 'swap under memory pressure',
    path: 'shrink_active_list -> shrink_folio_list (lock) -> try_to_unmap (ptep_clear) -> swap_writepage -> writeback -> submit_bio',
    busy: 'lock + swap cache, then PG_writeback', io: 'device',
  },
  malicious_qemu: {
    id: 'malicious_qemu', title: 'malicious QEMU doing O_DIRECT on guest RAM',
    path: 'read/write(O_DIRECT) -> GUP fast, fallback slow (FOLL_GET < 6.5, FOLL_PIN >= 6.5) -> submit_bio',
    busy: 'GUP reference/pin', io: 'device',
  },
  mmap_sync: {
    id: 'mmap_sync', title: 'msync of file-backed guest RAM',
    path: 'msync -> write_cache_pages (lock) -> page_mkclean (ptep_clear if dirty) -> writeback -> submit_bio',
    busy: 'lock + read-only PTE, then PG_writeback', io: 'device',
  },
  sendfile: {
    id: 'sendfile', title: 'sendfile from the guest RAM file',
    path: 'sendfile -> filemap_get_pages (ref) -> pipe -> pipe_buf_confirm (splice) -> NIC/disk; no GUP, no writeback',
    busy: 'page-cache reference', io: 'device',
  },
  process_vm_readv: {
    id: 'process_vm_readv', title: 'process_vm_readv on guest RAM',
    path: 'pin_user_pages_remote (FOLL_PIN) -> follow_page_pte -> copy_page_to_iter (kmap, CPU) -> unpin',
    busy: 'pin', io: 'CPU (host)',
  },
  zswap: {
    id: 'zswap', title: 'zswap compresses evicted pages',
    path: 'shrink_active_list -> lock -> try_to_unmap (ptep_clear) -> zswap_store (kmap, CPU compress) -> set/end writeback -> free',
    busy: 'lock, then PG_writeback', io: 'CPU (host)',
  },
  teardown: {
    id: 'teardown', title: 'VM teardown',
    path: 'VM exit -> zap_pte_range (vm_normal_page, ptep_get_and_clear_full) -> pages freed and reused by the host',
    busy: '-', io: 'none',
  },
};

export interface ArchInfo {
  id: ArchId;
  title: string;
  /** which host design the profile models (era, series), one line */
  era: string;
  /** can the hook turn a private page into a host-accessible one? (s390 export) */
  canExport: boolean;
  /**
   * a host CPU write to a private page: s390 takes the 0x3d fault and exports; elsewhere a
   * crash (RMP #PF, GPF, machine check). No modelled workload writes guest RAM with the CPU.
   */
  cpuTouch: 'fault' | 'crash';
  /**
   * a host CPU read of a private page (every modelled CPU copy is a read): s390 faults and
   * exports; SEV-SNP returns ciphertext without a fault (the RMP checks writes); else a crash
   */
  cpuRead: 'fault' | 'crash' | 'ciphertext';
  /** may private pages be reclaimed (swap, zswap)? */
  privateEvictable: boolean;
  /** does KVM fault guest pages in with GUP (FOLL_GET)? (shared pages; private ones too when mapped) */
  kvmFaultViaGup: boolean;
  /** are private pages mapped in host userspace (PTE, page cache)? false: guest_memfd-style */
  privateMapped: boolean;
  /** does the guest import (decrypt) pages the host exported? */
  guestImports: boolean;
  privateName: string;
  /**
   * the machines that existed: the mm eras (`kernel`) and I/O devices this design ran with.
   * guest_memfd and the CCA host series came after the 5.7 mm; virtio-ccw (channel I/O)
   * is s390's alone.
   */
  kernels: readonly KernelId[];
  devices: readonly DeviceId[];
}

export const ARCHES: Readonly<Record<ArchId, ArchInfo>> = {
  's390-pv': {
    id: 's390-pv', title: 's390 Protected Virtualization (Secure Execution)',
    era: 'mainline since 5.7: guest memory is ordinary QEMU memory; the Ultravisor exports and imports',
    canExport: true, cpuTouch: 'fault', cpuRead: 'fault', privateEvictable: true, kvmFaultViaGup: false,
    privateMapped: true, guestImports: true, privateName: 'secure',
    kernels: ['5.7', '6.5'], devices: ['ccw', 'pci'],
  },
  'sev-snp': {
    id: 'sev-snp', title: 'AMD SEV-SNP (2021-2023 host series: private memory mapped in QEMU)',
    era: 'the SNP host series before guest_memfd (2021-2023) kept private memory in QEMU\'s mapping; upstream SNP (about 6.11) uses guest_memfd',
    canExport: false, cpuTouch: 'crash', cpuRead: 'ciphertext',
    privateEvictable: false, kvmFaultViaGup: true, privateMapped: true, guestImports: false,
    privateName: 'private',
    kernels: ['5.7', '6.5'], devices: ['pci'],
  },
  tdx: {
    id: 'tdx', title: 'Intel TDX (early host series: private memory mapped in QEMU)',
    era: 'the early TDX host series (2021-2022) kept TD-private memory in QEMU\'s mapping; upstream TDX (about 6.16) uses guest_memfd',
    canExport: false, cpuTouch: 'crash', cpuRead: 'crash',
    privateEvictable: false, kvmFaultViaGup: true, privateMapped: true, guestImports: false,
    privateName: 'private',
    kernels: ['5.7', '6.5'], devices: ['pci'],
  },
  cca: {
    id: 'cca', title: 'Arm CCA (Realms; private memory not mapped in the host)',
    era: 'every CCA host series delegates private granules to the RMM: never mapped in QEMU, never found by GUP',
    canExport: false, cpuTouch: 'crash', cpuRead: 'crash',
    privateEvictable: false, kvmFaultViaGup: true, privateMapped: false, guestImports: false,
    privateName: 'private',
    kernels: ['6.5'], devices: ['pci'],
  },
  'guest-memfd': {
    id: 'guest-memfd', title: 'KVM guest_memfd (Linux 6.8; upstream SNP and TDX)',
    era: 'guest_memfd (6.8): private memory the host mm never maps; upstream SNP (about 6.11) and TDX (about 6.16) use it',
    canExport: false, cpuTouch: 'crash', cpuRead: 'crash',
    privateEvictable: false, kvmFaultViaGup: true, privateMapped: false, guestImports: false,
    privateName: 'private',
    kernels: ['6.5'], devices: ['pci'],
  },
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
