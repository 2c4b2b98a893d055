// The board's call graph: one lane per workload of the level, from its entry point through
// the kernel functions (and hook slots) to where the page is used: a device, a CPU, or
// nowhere (freed, or only referenced). Derived from the engine's paths (engine.ts).
import { SITE_IDS, type SiteId, type WorkloadId } from '../sim/model.js';
import { laneSites, type Lane } from '../sim/lanes.js';

export { ENTRY, lanesFor, laneSites, type Lane, type PathStep, type Sink } from '../sim/lanes.js';

/** Column order of hook slots on the board: roughly where they sit on the paths. */
export const SLOT_ORDER: readonly SiteId[] = [
  'reclaim_scan', 'ptep_clear', 'gup_fast', 'vm_normal_page', 'gup_slow', 'splice',
  'writeback', 'kmap', 'bio_submit', 'dma_map',
];

/** Four-letter column headings. */
export const SLOT_ABBR: Record<SiteId, string> = {
  reclaim_scan: 'recl', ptep_clear: 'ptep', gup_fast: 'gupF', vm_normal_page: 'vmnp',
  gup_slow: 'gupS', splice: 'splc', writeback: 'wrbk', kmap: 'kmap', bio_submit: 'bio',
  dma_map: 'dma', fault: 'flt',
};

/** The board's columns: the offered sites, in path order. */
export function slotColumns(offered: readonly SiteId[]): SiteId[] {
  const set = new Set(offered);
  const known = SLOT_ORDER.filter((x) => set.has(x));
  const rest = SITE_IDS.filter((x) => set.has(x) && !known.includes(x));
  return [...known, ...rest];
}

/** Workloads of the level whose paths pass the site. */
export function workloadsThrough(lanes: readonly Lane[], site: SiteId): WorkloadId[] {
  return lanes.filter((l) => laneSites(l).includes(site)).map((l) => l.workload);
}
