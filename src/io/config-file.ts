// Where the player's settings and progress live, and how they are kept there: the
// settings file (`config.json` in the config folder, the format conf wrote: a JSON object
// `{ settings, progress }`, tab-indented) and, when no file can be used, memory.
//
// File hygiene: every read-modify-write, the first creation of the file and the move of
// a bad file aside run under the file's lock (atomic.ts withFileLock), and every write
// is atomic (temporary file, fsync, rename): a reader sees the old file or the new one,
// never a half-written one, so a file read as bad is bad, and it is moved aside only
// after a second read under the lock finds it bad still.
import { existsSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';
import { makeDirs, withFileLock, writeFileAtomic } from './atomic.js';
import { fsReason } from './errors.js';
import { describeIssue } from './schema.js';
import { DEFAULT_SETTINGS, ProgressSchema, SettingsSchema, emptyProgress, type Progress, type Settings } from './settings-schema.js';

/** Most `config.json.corrupt*` copies kept; the oldest goes first. */
export const MAX_CORRUPT_COPIES = 20;
/** Largest settings file read (a real one is a few hundred KB at most). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** What the settings file holds. */
export interface ConfigData {
  settings: Settings;
  progress: Progress;
  /**
   * Unknown levels that came from `progress import`, oldest first (the ones an import may
   * drop to make room). Optional, top level: older pvlab versions ignore it.
   */
  imported?: string[];
}

export interface Backend {
  /** the settings file, or null when settings are kept in memory */
  readonly path: string | null;
  read(): ConfigData;
  /** write everything (call inside locked()) */
  write(d: ConfigData): void;
  /** run fn so that no other process writes the file meanwhile */
  locked<T>(fn: () => T): T;
}

/** Where the settings live: env PVLAB_CONFIG_DIR, else the per-user folder conf chose. */
export function configDir(): string | undefined {
  return process.env.PVLAB_CONFIG_DIR || undefined;
}

/** The settings file for `cwd` (or the per-user default when cwd is unset). */
export function defaultConfigPath(cwd: string | undefined = configDir()): string {
  if (cwd) return resolve(cwd, 'config.json');
  // the folder conf (which wrote these files before) derives: env-paths of the project
  // 'pvlab' with conf's default suffix, as snapshot.ts. Not conf itself: loading it (and
  // its ajv) cost every command about 0.4 s of CPU, for a path.
  return resolve(envPaths('pvlab', { suffix: 'nodejs' }).config, 'config.json');
}

/**
 * A plain readFileSync would block forever on a FIFO and fill the memory from
 * /dev/zero: refuse (as unreadable) what is not a regular file of a sane size. Returns
 * false when there is no file.
 */
function checkConfigFile(path: string): boolean {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (st.isDirectory()) throw Object.assign(new Error(`${path} is a folder`), { code: 'EISDIR' });
  const what = st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : null;
  if (what || !st.isFile()) throw new Error(`it is ${what ?? 'not a regular file'}`);
  if (st.size > MAX_CONFIG_BYTES) throw new Error(`it is ${st.size} bytes, more than ${MAX_CONFIG_BYTES}`);
  return true;
}

/**
 * The file's top level. Other keys are allowed (and dropped at the next write), as conf
 * allowed them; `imported` is dropped when it is not a list of ids (it only ranks imports).
 */
const ConfigSchema = z.object({
  settings: SettingsSchema.default(DEFAULT_SETTINGS),
  progress: ProgressSchema.default(emptyProgress),
  imported: z.array(z.string().max(64)).max(10_000).optional().catch(undefined),
});

/** The file's content, validated (throws SyntaxError, ZodError or an fs error). */
function parseConfig(text: string): ConfigData {
  const value: unknown = JSON.parse(text.replace(/^\ufeff/, '')); // a BOM, as some editors write
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigShapeError('the file must hold an object');
  const { imported, ...d } = ConfigSchema.parse(value);
  return { ...d, ...(imported ? { imported } : {}) };
}

class ConfigShapeError extends Error {}

/** The text written: the layout conf used (tabs), so files stay diffable across versions. */
export function configText(d: ConfigData): string {
  return JSON.stringify({ settings: d.settings, progress: d.progress, ...(d.imported?.length ? { imported: d.imported } : {}) }, undefined, '\t');
}

const defaults = (): ConfigData => ({ settings: { ...DEFAULT_SETTINGS }, progress: emptyProgress() });

/** How long the game waits for another process's lock on the settings file. */
export interface FileBackendOptions {
  lockWaitMs?: number;
}

/** The settings file on disk. Opening it validates it (throws when it is bad). */
export class FileBackend implements Backend {
  readonly path: string;
  constructor(path: string, private readonly opts: FileBackendOptions = {}) {
    this.path = path;
    // with a mkdir that fails instead of looping (places like /proc)
    makeDirs(dirname(path));
    if (!checkConfigFile(path)) {
      // the first creation is a write like any other: under the lock, if still missing
      this.locked(() => {
        if (!checkConfigFile(path)) writeFileAtomic(path, configText(defaults()), { overwrite: false });
      });
    }
    this.read(); // validate the whole file now, so corruption is found at open time
  }
  read(): ConfigData {
    if (!checkConfigFile(this.path)) return defaults();
    return parseConfig(readFileSync(this.path, 'utf8'));
  }
  write(d: ConfigData): void {
    writeFileAtomic(this.path, configText(d));
  }
  locked<T>(fn: () => T): T {
    return withFileLock(this.path, () => {
      sweepConfTemps(this.path);
      return fn();
    }, this.opts.lockWaitMs !== undefined ? { waitMs: this.opts.lockWaitMs } : {});
  }
}

/** conf (older pvlab versions) wrote through `config.json.tmp-<stamp>` files. */
const CONF_TEMP_STALE_MS = 60_000;

/**
 * Remove the temporary files older pvlab versions (through conf) left when killed.
 * Only old ones: one that is seconds old may belong to an older pvlab writing now.
 */
function sweepConfTemps(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    try {
      if (Date.now() - statSync(join(dir, n)).mtimeMs > CONF_TEMP_STALE_MS) unlinkSync(join(dir, n));
    } catch { /* best effort */ }
  }
}

/**
 * Where to move a bad settings file: the first free of `config.json.corrupt`,
 * `.corrupt-2` .. `.corrupt-MAX_CORRUPT_COPIES`; when all are taken the oldest is removed
 * and its name reused, so the newest copies are kept and none is overwritten.
 */
export function corruptCopyPath(path: string): string {
  const names = Array.from({ length: MAX_CORRUPT_COPIES }, (_, i) => (i === 0 ? `${path}.corrupt` : `${path}.corrupt-${i + 1}`));
  const free = names.find((n) => !existsSync(n));
  if (free) return free;
  let oldest = names[0]!;
  let oldestMs = Infinity;
  for (const n of names) {
    try {
      const ms = statSync(n).mtimeMs;
      if (ms < oldestMs) { oldest = n; oldestMs = ms; }
    } catch { /* gone meanwhile: free now */ return n; }
  }
  try { unlinkSync(oldest); } catch { /* renamed over below */ }
  return oldest;
}

/**
 * Under the file's lock: read the file again, and if it is bad still, move it aside
 * (returns where) and write defaults. Returns null when the file is good now (another
 * process replaced it meanwhile) or gone. Throws when the lock or the move fails.
 */
export function replaceBadFile(path: string, lockWaitMs?: number): { aside: string | null; err: unknown } | null {
  return withFileLock(path, () => {
    try {
      if (!checkConfigFile(path)) return null;
      parseConfig(readFileSync(path, 'utf8'));
      return null;
    } catch (err) {
      const aside = corruptCopyPath(path);
      let moved: string | null = aside;
      try { renameSync(path, aside); } catch { moved = null; }
      if (moved) writeFileAtomic(path, configText(defaults()), { overwrite: false });
      return { aside: moved, err };
    }
  }, lockWaitMs !== undefined ? { waitMs: lockWaitMs } : {});
}

/** Settings kept for this session only. */
export class MemoryBackend implements Backend {
  readonly path = null;
  private data: ConfigData = defaults();
  locked<T>(fn: () => T): T {
    return fn();
  }
  read(): ConfigData {
    return copy(this.data);
  }
  write(d: ConfigData): void {
    this.data = copy(d);
  }
}

/** A deep copy that keeps `levels` without a prototype (structuredClone would add one). */
function copy(d: ConfigData): ConfigData {
  const c = structuredClone(d);
  c.progress.levels = Object.assign(Object.create(null) as Progress['levels'], c.progress.levels);
  return c;
}

/** Why a settings file could not be used, in a few words. */
export function openFailure(err: unknown): string {
  const e = err as Error & { code?: string };
  if (e?.name === 'SyntaxError') return 'not valid JSON';
  if (e instanceof z.ZodError) return `not valid (${describeIssue(e)})`;
  if (e instanceof ConfigShapeError) return `not valid (${e.message})`;
  return e?.code ? `unreadable (${fsReason(e)})` : `unreadable (${String(e?.message ?? e).split('\n')[0]})`;
}
