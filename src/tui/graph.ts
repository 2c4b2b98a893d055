// The board's call graph: one lane per workload of the level, from its entry point through
// the kernel functions (and hook slots) to where the page is used: a device, a CPU, or
// nowhere (freed, or only referenced). The paths are the workload programs' own
// (workloadPath, src/sim/workloads/<id>.ts), checked against what the engine reaches.
import { SITE_IDS, SITES, type SiteId, type WorkloadId } from '../sim/model.js';
import { laneSites, type Lane } from '../sim/lanes.js';

export { ENTRY, lanesFor, laneSites, type Lane, type PathStep, type Sink } from '../sim/lanes.js';



/** Column order of hook slots on the board (SITES[].board.column): roughly where they sit on the paths. */
export const SLOT_ORDER: readonly SiteId[] = SITE_IDS.filter((x) => SITES[x].board.column !== null)
  .sort((x, y) => (SITES[x].board.column ?? 0) - (SITES[y].board.column ?? 0));

/** Four-letter column headings (SITES[].board.abbr). */
export const SLOT_ABBR: Readonly<Record<SiteId, string>> =
  Object.fromEntries(SITE_IDS.map((x) => [x, SITES[x].board.abbr])) as Record<SiteId, string>;


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
