// The one level lookup of the command line: a level file, a campaign id, or a custom level
// of a workshop (its `levels/` folder), which loads beside the campaign, not instead of it.
// Other sources of levels (generated, daily) register a resolver: `lookupLevel` asks them
// in turn before giving up.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from './errors.js';
import { loadCampaign, loadLevelFile, resolveLevel, type CampaignEntry } from './files.js';
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

/** Most files looked at beside a solution for its level (a bound on a folder of anything). */
const NEAR_FILES = 200;

/**
 * A level file with id `id` beside the files `paths` (a solution's level kept next to it, as
 * `pvlab play my-level.json` and a workshop's `levels/` suggest): in the file's folder, its
 * `levels/`, and the folder above and its `levels/`. Files that are not levels are skipped.
 */
export function levelNear(id: string, paths: readonly string[]): CampaignEntry | null {
  const dirs = [...new Set(paths.flatMap((p) => {
    const d = dirname(resolve(p));
    return [d, join(d, 'levels'), dirname(d), join(dirname(d), 'levels')];
  }))];
  let looked = 0;
  for (const d of dirs) {
    let names: string[];
    try { names = readdirSync(d).filter((n) => n.endsWith('.json')).sort(); } catch { continue; }
    for (const n of names) {
      if (++looked > NEAR_FILES) return null;
      const file = join(d, n);
      try {
        const level = loadLevelFile(file);
        if (level.id === id) return { file, level };
      } catch {
        // a solution, or anything else: not the level
      }
    }
  }
  return null;
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
    const near = levelNear(ref, paths);
    if (near) return { ...near, custom: true };
    throw err;
  }
}
