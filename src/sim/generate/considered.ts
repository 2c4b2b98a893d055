// The placements a player would consider. The board draws each workload as a lane that
// passes some hook sites, and says for each lane which GUP flavour it calls with
// (FOLL_PIN or FOLL_GET). A hook choice is *considered* when
//   - its site is on at least one lane's path, and
//   - for a GUP site (gup_fast, gup_slow), its `when` acts on a call some lane through
//     that site makes: `pin` needs a FOLL_PIN lane there, `get` a FOLL_GET lane; `any` acts
//     on both (the side panel shows that the other conditions act on nothing).
// A placement is considered when every hook in it is. Sites off every path, and GUP
// conditions no lane calls with, are exactly what the screen already rules out; the share
// of considered placements meeting par is the difficulty measure that matters.
import { laneGupFlavours, lanesFor, laneSites } from '../lanes.js';
import { SITES, type SiteId } from '../model.js';
import type { Hook, SimConfig, WorkloadSpec } from '../types.js';

type Cfg = Pick<SimConfig, 'arch' | 'kernel' | 'device' | 'pages' | 'shared'> & { workloads: readonly WorkloadSpec[] };

/** The considered choices of one site (no hook aside): [] when the site is on no lane's path. */
export function consideredChoices(cfg: Cfg, site: SiteId): Hook[] {
  const c = { ...cfg, workloads: [...cfg.workloads] };
  const through = cfg.workloads.filter((w, i) => laneSites(lanesFor(c)[i]!).includes(site));
  if (!through.length) return [];
  const when = SITES[site].when;
  if (!when.length) return [{ site }];
  if (site !== 'gup_fast' && site !== 'gup_slow') return when.map((w) => ({ site, when: w }));
  const flavours = new Set(through.flatMap((w) => laneGupFlavours(c, w)));
  return when.filter((w) => w === 'any' || flavours.has(w as 'pin' | 'get')).map((w) => ({ site, when: w }));
}

/** Is every hook of the placement a considered choice? */
export function isConsidered(cfg: Cfg, hooks: readonly Hook[]): boolean {
  return hooks.every((h) => {
    const w = h.when ?? SITES[h.site].when[0];
    return consideredChoices(cfg, h.site).some((c) => (c.when ?? undefined) === w);
  });
}
