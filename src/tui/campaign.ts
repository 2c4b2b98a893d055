// The campaign for the game, without validating every level file on every start: the
// build validates the shipped levels once (scripts/bundle-tui.mjs) and stores them with
// the SHA-256 of each file's bytes. At start-up the files are hashed (a few ms) and, when
// every name and hash matches, the stored levels are used; any difference (an edited,
// added or removed file, another PVLAB_LEVELS_DIR) means the full check of loadCampaign
// (boot.ts). No zod here: this runs before the game's first frame.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Level } from '../io/schema.js';

/** Next to dist/cli.js. */
export const CACHE_FILE = 'campaign-cache.json';
export const cachePath = (): string => fileURLToPath(new URL(`../${CACHE_FILE}`, import.meta.url));

export interface CampaignCache {
  /** file name -> sha256 of its bytes */
  hashes: Record<string, string>;
  /** in campaign order */
  levels: { name: string; level: Level }[];
}

export function hashText(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The stored levels if `dir` holds exactly the files they were validated from, else null. */
export function cachedCampaign(dir: string, file = cachePath()): Level[] | null {
  let cache: CampaignCache;
  try {
    cache = JSON.parse(readFileSync(file, 'utf8')) as CampaignCache;
    const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    const known = Object.keys(cache.hashes).sort();
    if (names.length !== known.length || names.some((n, i) => n !== known[i])) return null;
    for (const n of names) if (hashText(readFileSync(join(dir, n))) !== cache.hashes[n]) return null;
  } catch {
    return null; // no cache, or a file that cannot be read: the full check reports it
  }
  return cache.levels.map((e) => e.level);
}
