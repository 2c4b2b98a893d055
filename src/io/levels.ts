// The one level lookup of the command line: a level file, a campaign id, or a custom level
// of a workshop (its `levels/` folder), which loads beside the campaign, not instead of it.
// Other sources of levels (generated, daily) register a resolver: `lookupLevel` asks them
// in turn before giving up.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from './errors.js';
import { loadCampaign, resolveLevel, type CampaignEntry } from './files.js';
import { findWorkshop } from './workshop.js';

export interface CatalogEntry extends CampaignEntry {
  /** a workshop's own level (shown as a chapter of its own) */
  custom?: boolean;
}

/** A source of levels by id beyond the campaign and the workshop folders (e.g. generated levels). */
export type LevelResolver = (id: string) => CampaignEntry | null;
const resolvers: LevelResolver[] = [];

/** Add a source of levels to `lookupLevel` (ids it does not know: return null). */
export function registerLevelResolver(r: LevelResolver): void {
  resolvers.push(r);
}

/**
 * The custom levels folders: `levels/` of the workshops the paths are in, and of the
 * workshop folder of the settings (read only when `withSettings`).
 */
export async function customLevelDirs(paths: readonly string[] = [], withSettings = true): Promise<string[]> {
  const dirs = paths.map((p) => findWorkshop(p)).filter((d): d is string => d !== null);
  if (withSettings) {
    const { openStore } = await import('./settings.js');
    const w = openStore({ onWarning: () => {} }).workshopDir();
    if (w) dirs.push(w);
  }
  return [...new Set(dirs.map((d) => join(d, 'levels')))].filter((d) => existsSync(d));
}

/** The campaign and the custom levels of `dirs` (a custom level may not reuse an id). */
export function levelCatalog(dirs: readonly string[] = []): CatalogEntry[] {
  const out: CatalogEntry[] = loadCampaign();
  const ids = new Map(out.map((e) => [e.level.id, e.file]));
  for (const d of dirs) {
    for (const e of loadCampaign(d)) {
      const prev = ids.get(e.level.id);
      if (prev) throw new InputError(`${e.file}: level id '${e.level.id}' is also used by ${basename(prev)}; give the custom level another id`);
      ids.set(e.level.id, e.file);
      out.push({ ...e, custom: true });
    }
  }
  return out;
}

/** A level by file path or id: the campaign, then the custom levels, then registered resolvers. */
export async function lookupLevel(ref: string, paths: readonly string[] = []): Promise<CatalogEntry> {
  try {
    return resolveLevel(ref);
  } catch (err) {
    if (ref.endsWith('.json') || ref.includes('/') || ref.includes('\\')) throw err;
    const hit = levelCatalog(await customLevelDirs(paths)).find((e) => e.level.id === ref);
    if (hit) return hit;
    for (const r of resolvers) {
      const e = r(ref);
      if (e) return e;
    }
    throw err;
  }
}
