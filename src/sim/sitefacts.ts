// What each hook site *is*, in neutral words: the shape of SITES[site].facts (model.ts, the
// one descriptor per site), and the facts of every site by id for the board's side panel.
import { SITE_IDS, SITES, type ArchId, type SiteId } from './model.js';

export interface SiteFacts {
  /** the kernel paths that call the function */
  reachedBy: string;
  /** what the caller holds on the page when a hook here runs (locks, references, flags, mappings) */
  held: string;
  /** what the caller can do with an error from a hook here */
  failure: string;
  /** what each `when` condition of the site means (sites that take one) */
  conditions?: string;
  /**
   * `conditions` on an architecture where they mean something else (the engine acts per
   * architecture: ptep_clear's `live` destroys only on s390); the others read `conditions`
   */
  conditionsByArch?: Partial<Record<ArchId, string>>;
  /** where the function lives when that depends on the architecture */
  file?: string;
}

/** Every site's facts (SITES[site].facts). */
export const SITE_FACTS: Readonly<Record<SiteId, SiteFacts>> =
  Object.fromEntries(SITE_IDS.map((s) => [s, SITES[s].facts])) as Record<SiteId, SiteFacts>;

/** A site's facts as they hold on `arch` (the conditions the engine applies there). */
export function siteFactsFor(site: SiteId, arch: ArchId): SiteFacts {
  const f = SITE_FACTS[site];
  const c = f.conditionsByArch?.[arch];
  return c ? { ...f, conditions: c } : f;
}
