// The player's settings and progress: the store the TUI and the headless commands share
// (no React here). Formats: settings-schema.ts; the rules of a progress record:
// progress.ts; the settings file and its hygiene (locks, atomic writes, bad files):
// config-file.ts.
//
// A corrupted, unreadable or schema-violating settings file is reported in one line,
// moved aside (`config.json.corrupt`) and replaced by defaults; if the config folder
// cannot be written at all, the game keeps its settings in memory for the session (said
// once), and a headless command that was asked to change them fails instead of saying
// it did. Nothing here ever touches the saves folder.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { VerifyResult } from '../sim/verify.js';
import { LockBusyError, lockAdvice, writeFileAtomic } from './atomic.js';
import { FileBackend, MemoryBackend, configDir, defaultConfigPath, openFailure, replaceBadFile, type Backend, type ConfigData } from './config-file.js';
import { InputError, fsReason } from './errors.js';
import { mergeProgress, recordInto, roomFor, type RecordOutcome } from './progress.js';
import { sanitizeLine } from './sanitize.js';
import { describeIssue } from './schema.js';
import {
  LevelId, PROGRESS_FORMAT, ProgressFileSchema, SettingsSchema, emptyLevel, emptyProgress, levelOf,
  type LevelProgress, type Progress, type ProgressFile, type Settings,
} from './settings-schema.js';

export {
  ANIMATION_MODES, COLOR_MODES, DEFAULT_SETTINGS, LevelProgressSchema, MAX_LEVELS_STORED, MAX_UNKNOWN_LEVELS,
  PROGRESS_FILE_BYTES, PROGRESS_FORMAT, ProgressFileSchema, ProgressSchema, SettingsSchema,
  type Best, type LevelProgress, type Progress, type ProgressFile, type Settings,
} from './settings-schema.js';
export { MAX_CORRUPT_COPIES, configDir, corruptCopyPath, defaultConfigPath } from './config-file.js';
export { mergeLevel, type RecordOutcome } from './progress.js';

export interface ImportSummary {
  levels: number;
  solved: number;
  settings: boolean;
  /** the file named other folders (savesDir, workshopDir); the current ones were kept */
  foldersKept?: boolean;
  /** levels unknown to this pvlab not stored (no room) */
  dropped?: number;
}

export interface StoreOptions {
  /** folder of config.json (default: env PVLAB_CONFIG_DIR, else the per-user config folder) */
  cwd?: string;
  /** one-line warnings (corruption reset, memory-only); default: stderr */
  onWarning?: (line: string) => void;
  /** clock (tests) */
  now?: () => Date;
  /** how long to wait for another pvlab's lock on the file (default LOCK_WAIT_MS) */
  lockWaitMs?: number;
  /**
   * a change that cannot be written is kept in memory for the session (the game) instead
   * of failing with an InputError (the default: a command must not say it saved)
   */
  memoryOk?: boolean;
}

/** Settings and progress of the player. Get it with `openStore()`. */
export class Store {
  private backend: Backend;
  /** every warning issued so far (also passed to onWarning) */
  readonly warnings: string[] = [];
  private readonly cwd: string | undefined;
  private readonly warn: (line: string) => void;
  private readonly now: () => Date;
  private readonly lockWaitMs: number | undefined;
  private readonly memoryOk: boolean;
  /** why settings are in memory (the folder's or file's failure), when they are */
  private memoryReason = '';

  constructor(opts: StoreOptions = {}) {
    this.cwd = opts.cwd ?? configDir();
    const sink = opts.onWarning ?? ((l: string) => process.stderr.write(`pvlab: ${l}\n`));
    this.warn = (l) => {
      // warnings quote paths and file content (field names): keep them printable
      const line = sanitizeLine(l);
      this.warnings.push(line);
      sink(line);
    };
    this.now = opts.now ?? (() => new Date());
    this.lockWaitMs = opts.lockWaitMs;
    this.memoryOk = opts.memoryOk ?? false;
    this.backend = this.open();
  }

  /** The settings file, or null when settings are kept in memory only. */
  get path(): string | null {
    return this.backend.path;
  }

  private fileBackend(): FileBackend {
    return new FileBackend(defaultConfigPath(this.cwd), this.lockWaitMs !== undefined ? { lockWaitMs: this.lockWaitMs } : {});
  }

  private open(): Backend {
    try {
      return this.fileBackend();
    } catch (err) {
      return this.recover(err, defaultConfigPath(this.cwd));
    }
  }

  private toMemory(line: string, reason: string): Backend {
    this.warn(line);
    this.memoryReason = reason;
    return new MemoryBackend();
  }

  /** The settings file is bad or cannot be used: move it aside, start from defaults, say so once. */
  private recover(err: unknown, path: string): Backend {
    if (err instanceof LockBusyError) throw new InputError(`settings not read: ${lockAdvice(err)}`);
    if (!existsSync(path)) {
      // nothing to reset: the folder itself cannot be used
      return this.toMemory(`settings cannot be stored in ${dirname(path)} (${fsReason(err)}); they are kept in memory for this session only`, fsReason(err));
    }
    let outcome: ReturnType<typeof replaceBadFile>;
    try {
      // under the lock, and only if it is bad still: never a file another pvlab is writing
      outcome = replaceBadFile(path, this.lockWaitMs);
    } catch (e) {
      if (e instanceof LockBusyError) throw new InputError(`settings not read: ${lockAdvice(e)}`);
      return this.toMemory(`settings file ${path} was ${openFailure(err)} and cannot be replaced; settings and progress are kept in memory for this session only`, fsReason(e));
    }
    try {
      const b = this.fileBackend();
      if (outcome) {
        const kept = outcome.aside ? ` (the old file is kept as ${outcome.aside})` : '';
        this.warn(`settings file ${path} was ${openFailure(outcome.err)}; reset to defaults${kept}`);
      }
      return b;
    } catch (e) {
      return this.toMemory(`settings file ${path} was ${openFailure(outcome?.err ?? err)} and cannot be replaced; settings and progress are kept in memory for this session only`, fsReason(e));
    }
  }

  /**
   * Read, modify, write. A file that went bad since it was opened is reset (reported). A
   * write that fails (read-only folder, full disk), or a store in memory, throws an
   * InputError unless `memoryOk`, where the data is kept in memory (reported once).
   */
  private tx<T>(fn: (d: ConfigData) => T, write: boolean): T {
    if (!write) return this.txNow(fn, false);
    if (!this.backend.path && !this.memoryOk) {
      throw new InputError(`not saved: settings and progress cannot be stored (${this.memoryReason}); nothing was changed`);
    }
    try {
      return this.backend.locked(() => this.txNow(fn, true));
    } catch (err) {
      if (err instanceof LockBusyError) throw new InputError(`settings not saved: ${lockAdvice(err)}`);
      throw err;
    }
  }

  private txNow<T>(fn: (d: ConfigData) => T, write: boolean): T {
    let d: ConfigData;
    try {
      d = this.backend.read();
    } catch (err) {
      this.backend = this.recover(err, this.backend.path ?? defaultConfigPath(this.cwd));
      if (write && !this.backend.path && !this.memoryOk) {
        throw new InputError(`not saved: settings and progress cannot be stored (${this.memoryReason}); nothing was changed`);
      }
      d = this.backend.read();
    }
    const out = fn(d);
    if (write) {
      try {
        this.backend.write(d);
      } catch (err) {
        if (!this.memoryOk) throw new InputError(`not saved: ${this.backend.path} could not be written (${fsReason(err)}); nothing was changed`);
        this.warn(`settings cannot be saved to ${this.backend.path} (${fsReason(err)}); they are kept in memory for this session only`);
        this.memoryReason = fsReason(err);
        const mem = new MemoryBackend();
        mem.write(d);
        this.backend = mem;
      }
    }
    return out;
  }

  settings(): Settings {
    return this.tx((d) => d.settings, false);
  }

  /** Change some settings (validated: a bad value throws InputError and changes nothing). */
  setSettings(patch: Partial<Settings>): Settings {
    return this.tx((d) => {
      const r = SettingsSchema.safeParse({ ...d.settings, ...patch });
      if (!r.success) throw new InputError(`setting ${describeIssue(r.error)}`);
      d.settings = r.data;
      return r.data;
    }, true);
  }

  progress(): Progress {
    return this.tx((d) => d.progress, false);
  }

  level(levelId: string): LevelProgress | undefined {
    return this.tx((d) => levelOf(d.progress, levelId), false);
  }

  /** The absolute saves folder (settings.savesDir, relative to the current folder). */
  savesDir(): string {
    return resolve(this.settings().savesDir);
  }

  /** The absolute workshop folder, or null when none is configured. */
  workshopDir(): string | null {
    const w = this.settings().workshopDir;
    return w ? resolve(w) : null;
  }

  setLastLevel(levelId: string): void {
    checkLevelId(levelId);
    this.tx((d) => { d.progress.lastLevel = levelId; }, true);
  }

  /**
   * Record a verification of a level (visible + hidden seeds). Passing results count
   * toward solved, stars and the best value of each metric; every result counts as an
   * attempt. A level played here is the player's own: no import drops it.
   */
  recordResult(levelId: string, v: Pick<VerifyResult, 'passed' | 'stars' | 'metrics'>, opts: { solution?: string } = {}): RecordOutcome {
    checkLevelId(levelId);
    return this.tx((d) => {
      ownLevel(d, levelId);
      return recordInto(d.progress, levelId, v, this.now(), opts.solution);
    }, true);
  }

  /** Record that hint `step` (1 = the first hint) of a level was revealed. */
  recordHint(levelId: string, step: number): LevelProgress {
    checkLevelId(levelId);
    if (!Number.isInteger(step) || step < 1 || step > 10) throw new InputError(`hint step ${step} is out of range 1..10`);
    return this.tx((d) => {
      ownLevel(d, levelId);
      const lp = structuredClone(levelOf(d.progress, levelId) ?? emptyLevel());
      lp.hints = Math.max(lp.hints, step);
      if (roomFor(d.progress, levelId)) d.progress.levels[levelId] = lp;
      return structuredClone(lp);
    }, true);
  }

  /** Everything, as the `progress export` file. */
  exportData(): ProgressFile {
    return this.tx((d) => ({
      format: PROGRESS_FORMAT, exported: this.now().toISOString(), settings: d.settings, progress: d.progress,
    }), false);
  }

  /**
   * Import a `progress export` file (validated; `source` names it in errors). Progress
   * is merged, keeping the better of both per level (solved, stars, each best metric,
   * hints); settings in the file replace the current ones, except the folders: a
   * file's savesDir and workshopDir are paths of the machine (and player) that wrote it,
   * and must not redirect where this player's solutions are saved or read.
   */
  importData(value: unknown, source: string, opts: { knownLevels?: readonly string[] } = {}): ImportSummary {
    const fmt = (value as { format?: unknown } | null)?.format;
    if (value && typeof value === 'object' && fmt !== PROGRESS_FORMAT) {
      throw new InputError(`${source}: not a pvlab progress file (format should be '${PROGRESS_FORMAT}')`);
    }
    const r = ProgressFileSchema.safeParse(value);
    if (!r.success) throw new InputError(`${source}: ${describeIssue(r.error)}`);
    const file = r.data;
    const known = new Set(opts.knownLevels ?? []);
    return this.tx((d) => {
      const imported = d.imported ?? [];
      const { levels, solved, dropped } = mergeProgress(d.progress, file.progress, known, imported);
      d.imported = imported;
      let foldersKept = false;
      if (file.settings) {
        foldersKept = file.settings.savesDir !== d.settings.savesDir || file.settings.workshopDir !== d.settings.workshopDir;
        d.settings = { ...file.settings, savesDir: d.settings.savesDir, workshopDir: d.settings.workshopDir };
      }
      return { levels, solved, settings: !!file.settings, ...(foldersKept ? { foldersKept } : {}), ...(dropped ? { dropped } : {}) };
    }, true);
  }

  /**
   * Forget all progress (settings stay). The old progress is first exported next to the
   * settings file; returns that file's path (null when settings live in memory).
   */
  resetProgress(): string | null {
    // the backup and the reset in one locked step: progress another process records
    // meanwhile is either in the backup or kept, never dropped unsaved
    return this.tx((d) => {
      let backup: string | null = null;
      const path = this.backend.path;
      if (path) {
        const data: ProgressFile = { format: PROGRESS_FORMAT, exported: this.now().toISOString(), settings: d.settings, progress: d.progress };
        const file = `${path.replace(/\.json$/, '')}.progress-${this.now().toISOString().replace(/[-:.]/g, '')}.json`;
        try {
          writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n', { overwrite: false });
          backup = file;
        } catch (err) {
          throw new InputError(`progress not reset: its backup ${file} could not be written (${fsReason(err)})`);
        }
      }
      d.progress = emptyProgress();
      delete d.imported;
      return backup;
    }, true);
  }
}

/** A level played here is no longer one that an import brought (and may drop). */
function ownLevel(d: ConfigData, levelId: string): void {
  if (d.imported?.includes(levelId)) d.imported = d.imported.filter((id) => id !== levelId);
}

function checkLevelId(id: string): void {
  if (!LevelId.safeParse(id).success) throw new InputError(`'${id.slice(0, 70)}' is not a level id`);
}

/** Open the player's settings and progress (reports and resets a corrupted file). */
export function openStore(opts: StoreOptions = {}): Store {
  return new Store(opts);
}
