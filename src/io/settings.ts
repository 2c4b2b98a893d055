// Settings and progress, kept with `conf` (a JSON file in the user's config folder,
// validated by a schema on every read and write). No React here: the TUI and the
// headless commands share this API.
//
// A corrupted, unreadable or schema-violating settings file is reported in one line,
// moved aside (`config.json.corrupt`) and replaced by defaults; if the config folder
// cannot be written at all, the session keeps its settings in memory. Nothing here
// ever touches the saves folder.
import { existsSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { PAR_METRICS, type ParMetric, type VerifyResult } from '../sim/verify.js';
import { makeDirs, withFileLock, writeFileAtomic } from './atomic.js';
import { InputError, fsReason } from './errors.js';
import { PRINTABLE_LINE, sanitizeLine } from './sanitize.js';
import { LEVEL_ID, describeIssue } from './schema.js';
import { ANIMATION_MODES, COLOR_MODES } from './setting-modes.js';

export const PROGRESS_FORMAT = 'pvlab-progress@1';
/** Largest progress file `progress import` reads. */
export const PROGRESS_FILE_BYTES = 1024 * 1024;
/**
 * Most levels kept in the progress that the running pvlab does not know (a newer
 * campaign's, a custom level's). Known levels are always kept; with this bound the
 * settings file stays a few hundred KB, far below what a start reads (MAX_CONFIG_BYTES)
 * and what `progress import` reads (PROGRESS_FILE_BYTES), so an export always imports.
 */
export const MAX_UNKNOWN_LEVELS = 200;
/** Most `config.json.corrupt*` copies kept; the oldest goes first. */
export const MAX_CORRUPT_COPIES = 20;

const LevelId = z.string().regex(LEVEL_ID, 'must be a level id');
/**
 * Text settings are shown on screen and used as paths: no control characters, no bidi
 * controls (a `progress import` of someone else's file must not smuggle any in).
 */
const PRINTABLE = PRINTABLE_LINE;
const NO_CONTROLS = 'must not contain control characters';
const stamp = z.string().max(40);

export { ANIMATION_MODES, COLOR_MODES } from './setting-modes.js';

export const SettingsSchema = z.strictObject({
  /** colour output: follow the terminal/NO_COLOR (auto), or force it on/off */
  color: z.enum(COLOR_MODES).default('auto'),
  /** run animation: every step, a reduced frame rate, or results only */
  animation: z.enum(ANIMATION_MODES).default('full'),
  /** animation speed factor */
  animationSpeed: z.number().min(0.25).max(16).default(1),
  /** where solutions are saved; relative paths are taken from the current folder */
  savesDir: z.string().min(1).max(4096).regex(PRINTABLE, NO_CONTROLS).default('saves'),
  /** a workshop folder to compare results against ('' = none) */
  workshopDir: z.string().max(4096).regex(PRINTABLE, NO_CONTROLS).default(''),
  /** the default author of new solutions */
  playerName: z.string().max(80).regex(PRINTABLE, NO_CONTROLS).default(''),
});
export type Settings = z.infer<typeof SettingsSchema>;

const BestSchema = z.strictObject(
  Object.fromEntries(PAR_METRICS.map((k) => [k, z.number().min(0).optional()])) as Record<ParMetric, z.ZodOptional<z.ZodNumber>>,
);
export type Best = z.infer<typeof BestSchema>;

export const LevelProgressSchema = z.strictObject({
  solved: z.boolean().default(false),
  /** best stars reached (0..3) */
  stars: z.number().int().min(0).max(3).default(0),
  /** best value of each metric over passing verifications (independently per metric) */
  best: BestSchema.default({}),
  /** the solution name that reached the best cost */
  bestSolution: z.string().max(200).optional(),
  /** hint steps revealed (the ladder is revealed in order) */
  hints: z.number().int().min(0).max(10).default(0),
  attempts: z.number().int().min(0).max(1e9).default(0),
  /** when the level was first solved (ISO time) */
  solvedAt: stamp.optional(),
});
export type LevelProgress = z.infer<typeof LevelProgressSchema>;

export const ProgressSchema = z.strictObject({
  levels: z.record(LevelId, LevelProgressSchema).default({}),
  lastLevel: LevelId.optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

/** The file `progress export` writes and `progress import` reads. */
export const ProgressFileSchema = z.strictObject({
  format: z.literal(PROGRESS_FORMAT),
  exported: stamp.optional(),
  settings: SettingsSchema.optional(),
  progress: ProgressSchema,
});
export type ProgressFile = z.infer<typeof ProgressFileSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
const emptyProgress = (): Progress => ({ levels: {} });
const emptyLevel = (): LevelProgress => LevelProgressSchema.parse({});

interface Data {
  settings: Settings;
  progress: Progress;
}

/** JSON Schema of a zod schema for conf's ajv (one source of truth for both). */
function jsonSchema(s: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

let confSchema: Record<string, unknown> | null = null;
function schemaForConf(): Record<string, unknown> {
  confSchema ??= {
    settings: { ...jsonSchema(SettingsSchema), default: DEFAULT_SETTINGS },
    progress: { ...jsonSchema(ProgressSchema), default: emptyProgress() },
  };
  return confSchema;
}

/** Where the settings live: env PVLAB_CONFIG_DIR, else conf's per-user folder. */
export function configDir(): string | undefined {
  return process.env.PVLAB_CONFIG_DIR || undefined;
}

let probedDir: string | null = null;
/** The settings file conf uses for `cwd` (or the per-user default when cwd is unset). */
export function defaultConfigPath(cwd: string | undefined = configDir()): string {
  if (cwd) return resolve(cwd, 'config.json');
  // conf derives the per-user folder from env-paths: ask it about a file that never
  // exists, so the (possibly bad) config.json is not read
  probedDir ??= dirname(new Conf({ projectName: 'pvlab', configName: '.pvlab-path-probe' }).path);
  return resolve(probedDir, 'config.json');
}

interface Backend {
  readonly path: string | null;
  read(): Data;
  write(d: Data): void;
  /** run fn so that no other process writes the file meanwhile */
  locked<T>(fn: () => T): T;
}

/** Largest settings file read (a real one is a few KB). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * conf reads the settings file with a plain readFileSync: a FIFO would block it forever
 * and /dev/zero would fill the memory. Refuse (as unreadable) what is not a regular file
 * of a sane size; a missing file is fine (conf creates it).
 */
function checkConfigFile(path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (st.isDirectory()) return; // conf reports EISDIR itself
  const what = st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : null;
  if (what || !st.isFile()) throw new Error(`it is ${what ?? 'not a regular file'}`);
  if (st.size > MAX_CONFIG_BYTES) throw new Error(`it is ${st.size} bytes, more than ${MAX_CONFIG_BYTES}`);
}

class ConfBackend implements Backend {
  readonly conf: Conf<Record<string, unknown>>;
  readonly path: string;
  constructor(cwd: string | undefined) {
    const path = defaultConfigPath(cwd);
    checkConfigFile(path);
    // conf creates the folder with a recursive mkdirSync, which never returns in places
    // like /proc: create it first, with a mkdir that fails instead
    makeDirs(dirname(path));
    this.conf = new Conf<Record<string, unknown>>({
      projectName: 'pvlab',
      ...(cwd ? { cwd } : {}),
      schema: schemaForConf() as never,
      // the schema comes from zod (schemaForConf), not from a user: checking it against the
      // JSON Schema meta-schema first (ajv compiles that one too) doubled the open time
      ajvOptions: { validateSchema: false },
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      // a BOM (some editors write one) is accepted, as in solution and level files
      deserialize: (text: string) => JSON.parse(text.replace(/^\ufeff/, '')) as Record<string, unknown>,
    });
    this.path = this.conf.path;
    this.read(); // validate the whole file now, so corruption is found at open time
  }
  read(): Data {
    checkConfigFile(this.path);
    const s = this.conf.store as Record<string, unknown>;
    return { settings: SettingsSchema.parse(s.settings ?? {}), progress: ProgressSchema.parse(s.progress ?? {}) };
  }
  write(d: Data): void {
    this.conf.store = { settings: d.settings, progress: d.progress };
  }
  /** Run a read-modify-write holding the settings file's lock (other pvlab processes wait). */
  locked<T>(fn: () => T): T {
    return withFileLock(this.path, () => {
      sweepConfTemps(this.path);
      return fn();
    }, { unlockedIfUnwritable: true });
  }
}

/**
 * conf writes through `config.json.tmp-<stamp>` files that a killed process leaves
 * behind. Called under the lock, where no other pvlab is writing: every one is stale.
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
    try { unlinkSync(join(dir, n)); } catch { /* best effort */ }
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

class MemoryBackend implements Backend {
  readonly path = null;
  locked<T>(fn: () => T): T {
    return fn();
  }
  private data: Data = { settings: { ...DEFAULT_SETTINGS }, progress: emptyProgress() };
  read(): Data {
    return structuredClone(this.data);
  }
  write(d: Data): void {
    this.data = structuredClone(d);
  }
}

/** Why a settings file could not be used, in a few words. */
function openFailure(err: unknown): string {
  const e = err as Error & { code?: string };
  if (e?.name === 'SyntaxError') return 'not valid JSON';
  if (e instanceof z.ZodError) return `not valid (${describeIssue(e)})`;
  if (typeof e?.message === 'string' && e.message.startsWith('Config schema violation:')) {
    return `not valid (${e.message.replace(/^Config schema violation: /, '').split(';')[0]!.replace(/`/g, "'")})`;
  }
  return e?.code ? `unreadable (${fsReason(e)})` : `unreadable (${String(e?.message ?? e).split('\n')[0]})`;
}

export interface RecordOutcome {
  /** this result solved the level for the first time */
  firstSolve: boolean;
  /** the metrics whose best value this result improved */
  newBest: ParMetric[];
  level: LevelProgress;
}

export interface ImportSummary {
  levels: number;
  solved: number;
  settings: boolean;
  /** the file named other folders (savesDir, workshopDir); the current ones were kept */
  foldersKept?: boolean;
  /** levels unknown to this pvlab not stored, past MAX_UNKNOWN_LEVELS */
  dropped?: number;
}

export interface StoreOptions {
  /** folder of config.json (default: env PVLAB_CONFIG_DIR, else the per-user config folder) */
  cwd?: string;
  /** one-line warnings (corruption reset, memory-only); default: stderr */
  onWarning?: (line: string) => void;
  /** clock (tests) */
  now?: () => Date;
}

/** Settings and progress of the player. Get it with `openStore()`. */
export class Store {
  private backend: Backend;
  /** every warning issued so far (also passed to onWarning) */
  readonly warnings: string[] = [];
  private readonly cwd: string | undefined;
  private readonly warn: (line: string) => void;
  private readonly now: () => Date;

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
    this.backend = this.open();
  }

  /** The settings file, or null when settings are kept in memory only. */
  get path(): string | null {
    return this.backend.path;
  }

  private open(): Backend {
    try {
      return new ConfBackend(this.cwd);
    } catch (err) {
      return this.recover(err, defaultConfigPath(this.cwd));
    }
  }

  /** The settings file is bad: move it aside, start from defaults, say so once. */
  private recover(err: unknown, path: string): Backend {
    if (!existsSync(path)) {
      // nothing to reset: the folder itself cannot be used
      this.warn(`settings cannot be stored in ${dirname(path)} (${fsReason(err)}); they are kept in memory for this session only`);
      return new MemoryBackend();
    }
    const reason = openFailure(err);
    let kept = '';
    // keep earlier copies: config.json.corrupt, config.json.corrupt-2, ...
    const aside = corruptCopyPath(path);
    try {
      renameSync(path, aside);
      kept = ` (the old file is kept as ${aside})`;
    } catch { /* not movable: the new ConfBackend below fails too and we use memory */ }
    try {
      const b = new ConfBackend(this.cwd);
      this.warn(`settings file ${path} was ${reason}; reset to defaults${kept}`);
      return b;
    } catch {
      this.warn(`settings file ${path} was ${reason} and cannot be replaced; settings and progress are kept in memory for this session only`);
      return new MemoryBackend();
    }
  }

  /**
   * Read, modify, write. A file that went bad since it was opened is reset (reported);
   * a write that fails (read-only folder, full disk) keeps the data in memory (reported).
   */
  private tx<T>(fn: (d: Data) => T, write: boolean): T {
    if (!write) return this.txNow(fn, false);
    try {
      return this.backend.locked(() => this.txNow(fn, true));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EBUSY') throw err;
      throw new InputError(`settings not saved: ${this.backend.path} is locked by another pvlab process; try again`);
    }
  }

  private txNow<T>(fn: (d: Data) => T, write: boolean): T {
    let d: Data;
    try {
      d = this.backend.read();
    } catch (err) {
      this.backend = this.recover(err, this.backend.path ?? defaultConfigPath(this.cwd));
      d = this.backend.read();
    }
    const out = fn(d);
    if (write) {
      try {
        this.backend.write(d);
      } catch (err) {
        this.warn(`settings cannot be saved to ${this.backend.path} (${fsReason(err)}); they are kept in memory for this session only`);
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
    return this.tx((d) => d.progress.levels[levelId], false);
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
   * attempt.
   */
  recordResult(levelId: string, v: Pick<VerifyResult, 'passed' | 'stars' | 'metrics'>, opts: { solution?: string } = {}): RecordOutcome {
    checkLevelId(levelId);
    return this.tx((d) => {
      const lp = d.progress.levels[levelId] ?? emptyLevel();
      const firstSolve = v.passed && !lp.solved;
      const newBest: ParMetric[] = [];
      lp.attempts = Math.min(lp.attempts + 1, 1e9);
      if (v.passed) {
        lp.solved = true;
        lp.solvedAt ??= this.now().toISOString();
        lp.stars = Math.max(lp.stars, v.stars) as 0 | 1 | 2 | 3;
        for (const k of PAR_METRICS) {
          const x = v.metrics[k];
          if (!Number.isFinite(x) || x < 0) continue;
          const old = lp.best[k];
          if (old === undefined || x < old - 1e-9) {
            lp.best[k] = x;
            newBest.push(k);
            if (k === 'cost' && opts.solution) lp.bestSolution = opts.solution.slice(0, 200);
          }
        }
      }
      if (roomFor(d.progress, levelId)) {
        d.progress.levels[levelId] = lp;
        d.progress.lastLevel = levelId;
      }
      return { firstSolve, newBest, level: structuredClone(lp) };
    }, true);
  }

  /** Record that hint `step` (1 = the first hint) of a level was revealed. */
  recordHint(levelId: string, step: number): LevelProgress {
    checkLevelId(levelId);
    if (!Number.isInteger(step) || step < 1 || step > 10) throw new InputError(`hint step ${step} is out of range 1..10`);
    return this.tx((d) => {
      const lp = d.progress.levels[levelId] ?? emptyLevel();
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
      let unknown = Object.keys(d.progress.levels).filter((id) => !known.has(id)).length;
      let levels = 0;
      let solved = 0;
      let dropped = 0;
      for (const [id, lp] of Object.entries(file.progress.levels)) {
        if (isEmptyLevel(lp)) continue; // nothing to merge: storing it would only grow the file
        const isNew = !(id in d.progress.levels);
        if (isNew && (!known.has(id) ? unknown >= MAX_UNKNOWN_LEVELS : !roomFor(d.progress, id))) { dropped++; continue; }
        if (isNew && !known.has(id)) unknown++;
        d.progress.levels[id] = mergeLevel(d.progress.levels[id], lp);
        levels++;
        if (lp.solved) solved++;
      }
      if (file.progress.lastLevel && !d.progress.lastLevel && file.progress.lastLevel in d.progress.levels) {
        d.progress.lastLevel = file.progress.lastLevel;
      }
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
      return backup;
    }, true);
  }
}

function checkLevelId(id: string): void {
  if (!LevelId.safeParse(id).success) throw new InputError(`'${id.slice(0, 70)}' is not a level id`);
}

/**
 * Most level records stored in all (campaign, unknown and custom levels together): a
 * bound on the settings file's size whatever is played or imported.
 */
export const MAX_LEVELS_STORED = 1000;

function roomFor(p: Progress, levelId: string): boolean {
  return levelId in p.levels || Object.keys(p.levels).length < MAX_LEVELS_STORED;
}

/** A level record with nothing in it (every field at its default). */
function isEmptyLevel(lp: LevelProgress): boolean {
  return !lp.solved && lp.stars === 0 && lp.hints === 0 && lp.attempts === 0 && Object.keys(lp.best).length === 0 &&
    lp.bestSolution === undefined && lp.solvedAt === undefined;
}

/** The better of two progress records of one level. */
export function mergeLevel(a: LevelProgress | undefined, b: LevelProgress): LevelProgress {
  if (!a) return structuredClone(b);
  const best: Best = { ...a.best };
  for (const k of PAR_METRICS) {
    const x = b.best[k];
    if (x !== undefined && (best[k] === undefined || x < best[k]!)) best[k] = x;
  }
  const bCheaper = b.best.cost !== undefined && (a.best.cost === undefined || b.best.cost < a.best.cost);
  const solvedAt = [a.solvedAt, b.solvedAt].filter((s): s is string => !!s).sort()[0];
  const bestSolution = bCheaper ? b.bestSolution ?? a.bestSolution : a.bestSolution ?? b.bestSolution;
  return {
    solved: a.solved || b.solved,
    stars: Math.max(a.stars, b.stars),
    best,
    ...(bestSolution !== undefined ? { bestSolution } : {}),
    hints: Math.max(a.hints, b.hints),
    attempts: Math.max(a.attempts, b.attempts),
    ...(solvedAt ? { solvedAt } : {}),
  };
}

/** Open the player's settings and progress (reports and resets a corrupted file). */
export function openStore(opts: StoreOptions = {}): Store {
  return new Store(opts);
}
