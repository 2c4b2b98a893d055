// The call path of each workload of a machine: from its entry point through the kernel
// functions and hook sites to where the page is used (a device, a CPU, or nowhere). The
// board draws these lanes (src/tui/graph.ts); the level generator uses them to define the
// placements a player would consider (src/sim/generate/). Pure data from the config.
import { ARCHES, type SiteId, type WorkloadId } from './model.js';
import type { SimConfig, WorkloadSpec } from './types.js';

export type Sink = 'device' | 'CPU' | 'guest CPU' | 'freed' | 'none';

/** A step on a path: a kernel function, or a hook slot (site). */
export type PathStep = { fn: string } | { site: SiteId };

export interface Lane {
  workload: WorkloadId;
  /** entry point, short: guest, QEMU, reclaim, msync, ... */
  entry: string;
  steps: PathStep[];
  sink: Sink;
}

export const ENTRY: Record<WorkloadId, string> = {
  kvm_fault: 'guest',
  host_refs: 'host refs',
  swap: 'reclaim',
  malicious_qemu: 'QEMU',
  mmap_sync: 'msync',
  sendfile: 'sendfile',
  process_vm_readv: 'pvm_readv',
  zswap: 'zswap',
  teardown: 'teardown',
};

const f = (fn: string): PathStep => ({ fn });
const s = (site: SiteId): PathStep => ({ site });

function block(cfg: SimConfig): PathStep[] {
  return cfg.device === 'pci'
    ? [f('submit_bio'), s('bio_submit'), f('dma_map_sg'), s('dma_map'), f('PCI DMA')]
    : [f('submit_bio'), s('bio_submit'), f('CCW channel program')];
}

function lane(cfg: SimConfig, spec: WorkloadSpec): Lane {
  const arch = ARCHES[cfg.arch];
  const w = spec.kind;
  const gupSlow = [f('follow_page_pte'), s('vm_normal_page'), s('gup_slow')];
  let steps: PathStep[];
  let sink: Sink;
  switch (w) {
    case 'kvm_fault':
      steps = arch.kvmFaultViaGup
        ? [f('kvm_faultin_pfn'), f('hva_to_pfn (GUP FOLL_GET)'), s('gup_fast'), ...gupSlow]
        : [f('guest touch'), f('gmap fault (no GUP)'), f('import if exported')];
      sink = 'guest CPU';
      break;
    case 'host_refs':
      steps = [f('get_mempolicy / munlock'), f('GUP FOLL_GET'), ...gupSlow, f('put_page')];
      sink = 'none';
      break;
    case 'swap':
      steps = [f('shrink_active_list'), s('reclaim_scan'), f('folio_lock'), f('try_to_unmap'), s('ptep_clear'),
        f('swap_writepage'), s('writeback'), ...block(cfg)];
      sink = 'device';
      break;
    case 'zswap':
      steps = [f('shrink_active_list'), s('reclaim_scan'), f('folio_lock'), f('try_to_unmap'), s('ptep_clear'),
        f('zswap_store'), s('kmap'), f('compress (CPU)'), s('writeback'), f('free page')];
      sink = 'CPU';
      break;
    case 'malicious_qemu': {
      const flavour = cfg.kernel === '5.7' ? 'FOLL_GET' : 'FOLL_PIN';
      steps = [f(`O_DIRECT read/write (${flavour})`), ...(spec.fastGup === false ? [] : [s('gup_fast' as SiteId)]),
        ...gupSlow, ...block(cfg)];
      sink = 'device';
      break;
    }
    case 'mmap_sync':
      steps = [f('msync'), f('write_cache_pages: folio_lock'), f('page_mkclean'), s('ptep_clear'),
        f('folio_start_writeback'), s('writeback'), ...block(cfg)];
      sink = 'device';
      break;
    case 'sendfile':
      steps = [f('sendfile'), f('filemap_get_pages (ref)'), f('pipe_buf_confirm'), s('splice')];
      if (spec.target === 'file') { steps.push(...block(cfg)); sink = 'device'; }
      else if (spec.zeroCopy === false) { steps.push(f('skb copy'), s('kmap'), f('CPU copy')); sink = 'CPU'; }
      else {
        steps.push(...(cfg.device === 'pci' ? [f('dma_map_page'), s('dma_map' as SiteId)] : []), f('NIC zero-copy'));
        sink = 'device';
      }
      break;
    case 'process_vm_readv':
      steps = [f('pin_user_pages_remote (FOLL_PIN)'), ...gupSlow, f('copy_page_to_iter'), s('kmap'), f('CPU copy')];
      sink = 'CPU';
      break;
    case 'teardown':
      steps = [f('VM exit'), f('zap_pte_range'), s('vm_normal_page'), f('ptep_get_and_clear_full'), s('ptep_clear'),
        f('free_pages_and_swap_cache')];
      sink = 'freed';
      break;
  }
  return { workload: w, entry: ENTRY[w], steps, sink };
}

export function lanesFor(cfg: SimConfig): Lane[] {
  return cfg.workloads.map((w) => lane(cfg, w));
}

export function laneSites(l: Lane): SiteId[] {
  return l.steps.flatMap((st) => ('site' in st ? [st.site] : []));
}

/**
 * The GUP flavours a workload's lane calls with (what its entry says: FOLL_PIN or
 * FOLL_GET); empty for a lane without GUP. A GUP hook's `when` acts only on these.
 */
export function laneGupFlavours(cfg: SimConfig, spec: WorkloadSpec): ('pin' | 'get')[] {
  switch (spec.kind) {
    case 'kvm_fault': return ARCHES[cfg.arch].kvmFaultViaGup ? ['get'] : [];
    case 'host_refs': return ['get'];
    case 'malicious_qemu': return [cfg.kernel === '5.7' ? 'get' : 'pin'];
    case 'process_vm_readv': return ['pin'];
    default: return [];
  }
}
