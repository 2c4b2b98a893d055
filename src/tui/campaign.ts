// The campaign for the game, without validating every level file on every start: the
// build validates the shipped levels once (scripts/bundle-tui.mjs) and stores them with
// the bytes of each file. At start-up the files are read and compared (under a ms: no
// hash, so node:crypto is not loaded) and, when every name and byte matches, the stored
// levels are used; any difference (an edited, added or removed file, another
// PVLAB_LEVELS_DIR) means the full check of loadCampaign (boot.ts). No zod here: this
// runs before the game's first frame.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Level } from '../io/schema.js';

/** Next to dist/cli.js. */
export const CACHE_FILE = 'campaign-cache.json';
export const cachePath = (): string => fileURLToPath(new URL(`../${CACHE_FILE}`, import.meta.url));

export interface CampaignCache {
  /** file name -> its bytes (fileBytes) */
  files: Record<string, string>;
  /** in campaign order */
  levels: { name: string; level: Level }[];
}

/** A file's bytes, one character per byte (latin1), so that equal strings mean equal bytes. */
export const fileBytes = (path: string): string => readFileSync(path, 'latin1');

/** The level files of `dir` (`*.json`), sorted. */
const levelFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.json')).sort();

/** What the build stores: the bytes of every level file of `dir`, and the levels validated from them. */
export function campaignCache(dir: string, levels: { name: string; level: Level }[]): CampaignCache {
  return { files: Object.fromEntries(levelFiles(dir).map((n) => [n, fileBytes(join(dir, n))])), levels };
}

/**
 * The cache file's text: JSON with every character past ASCII escaped, so the game reads it
 * as one byte per character (no UTF-8 decoding of ~180 KB before the first frame).
 */
export function cacheText(cache: CampaignCache): string {
  return JSON.stringify(cache).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The stored levels if `dir` holds exactly the files they were validated from, else null. */
export function cachedCampaign(dir: string, file = cachePath()): Level[] | null {
  let cache: CampaignCache;
  try {
    cache = JSON.parse(readFileSync(file, 'latin1')) as CampaignCache; // ASCII: see cacheText
    const names = levelFiles(dir);
    const known = Object.keys(cache.files).sort();
    if (names.length !== known.length || names.some((n, i) => n !== known[i])) return null;
    for (const n of names) if (fileBytes(join(dir, n)) !== cache.files[n]) return null;
  } catch {
    return null; // no cache, or a file that cannot be read: the full check reports it
  }
  return cache.levels.map((e) => e.level);
}
