// The campaign for the game, without validating every level file on every start: the
// build validates the shipped levels once (scripts/bundle-tui.mjs) and stores them with
// the bytes of each file. At start-up the files are read and compared (a few ms: no hash,
// so node:crypto is not loaded) and, when every name and byte matches, the stored
// levels are used; any difference (an edited, added or removed file, another
// PVLAB_LEVELS_DIR) means the full check of loadCampaign (boot.ts). No zod here: this
// runs before the game's first frame.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Level } from './schema.js';

/** Next to dist/cli.js: the validated levels (JSON) and the bytes they came from (beside it, `.bin`). */
export const CACHE_FILE = 'campaign-cache.json';
export const cachePath = (): string => fileURLToPath(new URL(`../${CACHE_FILE}`, import.meta.url));
const bytesPath = (cacheFile: string): string => cacheFile.replace(/\.json$/, '') + '.bin';

export interface CampaignCache {
  /** the level files, sorted by name, with their sizes: their bytes follow each other in the `.bin` file */
  files: { name: string; size: number }[];
  /** in campaign order */
  levels: { name: string; level: Level }[];
}

/** The level files of `dir` (`*.json`), sorted. */
const levelFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.json')).sort();

/**
 * What the build stores: the levels validated from the files of `dir`, as JSON with every
 * character past ASCII escaped (the game reads it as one byte per character, no UTF-8
 * decoding), and the bytes of those files, one after the other, beside it. Compared as
 * buffers, the bytes never become strings on the game's heap.
 */
export function writeCampaignCache(dir: string, levels: { name: string; level: Level }[], file = cachePath()): void {
  const bytes = levelFiles(dir).map((name) => ({ name, data: readFileSync(join(dir, name)) }));
  const cache: CampaignCache = { files: bytes.map((b) => ({ name: b.name, size: b.data.length })), levels };
  const text = JSON.stringify(cache).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(bytesPath(file), Buffer.concat(bytes.map((b) => b.data)));
  writeFileSync(file, text);
}

/** The stored levels if `dir` holds exactly the files they were validated from, else null. */
export function cachedCampaign(dir: string, file = cachePath()): Level[] | null {
  let cache: CampaignCache;
  try {
    cache = JSON.parse(readFileSync(file, 'latin1')) as CampaignCache; // ASCII: see writeCampaignCache
    const stored = readFileSync(bytesPath(file));
    const names = levelFiles(dir);
    if (names.length !== cache.files.length) return null;
    let at = 0;
    for (let i = 0; i < names.length; i++) {
      const { name, size } = cache.files[i]!;
      if (names[i] !== name) return null;
      const data = readFileSync(join(dir, name));
      if (data.length !== size || !data.equals(stored.subarray(at, at + size))) return null;
      at += size;
    }
    if (at !== stored.length) return null;
  } catch {
    return null; // no cache, or a file that cannot be read: the full check reports it
  }
  return cache.levels.map((e) => e.level);
}
