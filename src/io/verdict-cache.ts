// The board's verdicts kept across runs, in the user cache folder ($XDG_CACHE_HOME/pvlab,
// else ~/.cache/pvlab; PVLAB_CACHE_DIR overrides, '' or 'off' disables). A verdict is
// keyed by the hash of the pvlab version, the level's full content and the hook set: a
// new pvlab (another model) or a changed level never reuses an old verdict. The file is
// validated on read (anything odd: start empty), bounded in entries, written atomically
// under a lock; concurrent boards merge their new verdicts instead of losing them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makeDirs, withFileLock, writeFileAtomic } from './atomic.js';
import { BOARD_METRICS, hookKey, type BoardLevel, type Verdict, type VerdictCache } from '../workshop/rank.js';
import type { Hook } from '../sim/types.js';

/** Most verdicts kept; the oldest go first. */
export const MAX_CACHED_VERDICTS = 100_000;
const MAX_CACHE_BYTES = 32 * 1024 * 1024;
const FORMAT = 'pvlab-verdicts@1';

/** The cache folder, or null when caching is off. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const own = env.PVLAB_CACHE_DIR;
  if (own !== undefined) return own === '' || own === 'off' ? null : own;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'pvlab');
}

function isVerdict(v: unknown): v is Verdict {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  const m = o.metrics as Record<string, unknown> | undefined;
  return typeof o.passed === 'boolean' && Number.isInteger(o.failedSeeds) && Number.isInteger(o.seeds) &&
    (o.stars === 0 || o.stars === 1 || o.stars === 2 || o.stars === 3) && !!m && typeof m === 'object' &&
    BOARD_METRICS.every((k) => typeof m[k] === 'number' && Number.isFinite(m[k]));
}

function readEntries(file: string): Map<string, Verdict> {
  const out = new Map<string, Verdict>();
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_CACHE_BYTES) return out;
    const data = JSON.parse(buf.toString('utf8')) as { format?: unknown; verdicts?: unknown };
    if (data?.format !== FORMAT || !data.verdicts || typeof data.verdicts !== 'object') return out;
    for (const [k, v] of Object.entries(data.verdicts as Record<string, unknown>)) {
      if (/^[0-9a-f]{64}$/.test(k) && isVerdict(v)) out.set(k, v);
    }
  } catch { /* missing or unreadable: an empty cache */ }
  return out;
}

export interface FileVerdictCache extends VerdictCache {
  /** write the new verdicts (merged with what other processes wrote meanwhile); never throws */
  save(): void;
  readonly file: string;
}

/** The verdict cache of this pvlab version, or null when caching is off. */
export function openVerdictCache(version: string, dir: string | null = cacheDir()): FileVerdictCache | null {
  if (!dir) return null;
  const file = join(dir, 'verdicts.json');
  const entries = readEntries(file);
  const fresh = new Map<string, Verdict>();
  const levelHash = new WeakMap<object, string>();
  return {
    file,
    key(level: BoardLevel, hooks: readonly Hook[]): string {
      let lh = levelHash.get(level);
      if (lh === undefined) {
        lh = createHash('sha256').update(JSON.stringify(level)).digest('hex');
        levelHash.set(level, lh);
      }
      return createHash('sha256').update(`${version}\u0000${lh}\u0000${hookKey(hooks)}`).digest('hex');
    },
    get: (k) => entries.get(k),
    set(k, v) {
      entries.set(k, v);
      fresh.set(k, v);
    },
    save() {
      if (!fresh.size) return;
      try {
        makeDirs(dir);
        withFileLock(file, () => {
          const all = readEntries(file);
          for (const [k, v] of fresh) {
            all.delete(k);
            all.set(k, v); // newest last
          }
          const keep = [...all].slice(-MAX_CACHED_VERDICTS);
          writeFileAtomic(file, JSON.stringify({ format: FORMAT, verdicts: Object.fromEntries(keep) }));
        }, { waitMs: 2000 });
        fresh.clear();
      } catch { /* a cache that cannot be written only costs time */ }
    },
  };
}
