// The settings and progress as the game last read them through the store (conf, checked
// by its schema), kept next to the settings file with that file's bytes.
// At start-up, when the settings file still has exactly those bytes, the game uses the
// snapshot and shows its first frame without loading zod; any other byte
// (a `progress import`, an edit, another version) means the full read (boot.ts).
// No zod here.
import { readFileSync } from 'node:fs';

/** A file's bytes, one character per byte (latin1), so that equal strings mean equal bytes. */
export const fileBytes = (path: string): string => readFileSync(path, 'latin1');
import { join, resolve } from 'node:path';
import envPaths from 'env-paths';
import type { Progress, Settings } from './settings.js';

export const SNAPSHOT_FILE = 'tui-snapshot.json';

export interface Snapshot {
  /** the settings file it was read from, and its bytes then (fileBytes) */
  config: string;
  bytes: string;
  settings: Settings;
  progress: Progress;
}

/** The settings file conf uses: PVLAB_CONFIG_DIR, else the per-user folder (env-paths, as conf). */
export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.PVLAB_CONFIG_DIR || envPaths('pvlab', { suffix: 'nodejs' }).config;
  return resolve(dir, 'config.json');
}

export const snapshotFile = (config: string): string => join(config, '..', SNAPSHOT_FILE);

/** The snapshot if the settings file is unchanged since it was taken, else null. */
export function readSnapshot(config = configFile()): Snapshot | null {
  try {
    const snap = JSON.parse(readFileSync(snapshotFile(config), 'utf8')) as Snapshot;
    if (snap.config !== config || fileBytes(config) !== snap.bytes) return null;
    if (!snap.settings || !snap.progress || typeof snap.progress.levels !== 'object') return null;
    return snap;
  } catch {
    return null;
  }
}
