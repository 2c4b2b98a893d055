// Starting the game quickly (docs/startup.md). The CLI calls startBoot() before it
// imports the game's bundle: a worker thread then reads the campaign, the settings and
// the progress (zod, conf: about a third of the start-up) on the other core while the
// main thread loads ink and react. The game's first frame needs both. The store the game
// writes through is opened again on the main thread after the first frame.
import { join } from 'node:path';
import { folderEntries } from '../io/folder.js';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { InputError } from '../io/errors.js';
import { pathExists } from '../io/folder.js';
import type { Level } from '../io/schema.js';
import { cachedCampaign } from '../io/campaign-cache.js';
import type { Progress, Settings } from './ports.js';
import { readSnapshot } from '../io/snapshot.js';

export interface BootData {
  campaign: Level[];
  settings: Settings;
  progress: Progress;
  /** one-line warnings of the store (a reset settings file, memory-only mode) */
  warnings: string[];
  /** the levels of the settings' workshop folder (its levels/), beside the campaign */
  custom?: Level[];
}

export type BootReply = { ok: true; data: BootData } | { ok: false; input: boolean; message: string };

/** The levels/ folder of a workshop folder when it holds level files, else null. */
export function workshopLevelsDir(workshopDir: string): string | null {
  if (!workshopDir) return null;
  const dir = join(workshopDir, 'levels');
  try {
    return folderEntries(dir).some((n) => n.endsWith('.json')) ? dir : null;
  } catch {
    return null;
  }
}

/** The shipped campaign's folder (as io/files.ts campaignDir, without loading zod). */
function levelsDir(): string {
  return process.env.PVLAB_LEVELS_DIR || fileURLToPath(new URL('../../levels/', import.meta.url));
}

/**
 * Without zod or conf, when nothing changed since the last start: the build's validated
 * campaign (hashes match) and the snapshot of the settings file (its bytes match).
 */
export function fastBoot(): BootData | null {
  const snap = readSnapshot();
  if (!snap) return null;
  // a workshop with levels of its own: they are read (and checked) by the worker
  if (workshopLevelsDir(snap.settings.workshopDir)) return null;
  const campaign = cachedCampaign(levelsDir());
  return campaign ? { campaign, settings: snap.settings, progress: snap.progress, warnings: [] } : null;
}

/** The boot data: at once when unchanged, else from the worker; null without a built worker (sources). */
export function startBoot(): Promise<BootData> | null {
  const fast = fastBoot();
  if (fast) return Promise.resolve(fast);
  const file = fileURLToPath(new URL('./boot.js', import.meta.url));
  if (!pathExists(file)) return null;
  // node:worker_threads is loaded only here (synchronously: the worker starts before the
  // game's bundle loads): the fast path above does not need it
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const p = new Promise<BootData>((resolve, reject) => {
    const w = new Worker(file);
    w.once('message', (m: BootReply) => {
      if (m.ok) resolve(m.data);
      else reject(m.input ? new InputError(m.message) : new Error(m.message));
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`the start-up worker stopped (exit ${code})`))); // no-op once settled
  });
  p.catch(() => {}); // awaited by launch(), maybe after it failed: not an unhandled rejection
  return p;
}
