// Solutions as files in saves/: `<level-id>--<slug-of-name>.json`, several per level.
// A save never replaces a file silently (the caller must say `overwrite`), keeps the old
// file as a timestamped backup in saves/.backup/, and is written atomically.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LockBusyError, copyFileAtomic, lockAdvice, makeDirs, withFileLock, writeFileAtomic, type FsOps } from './atomic.js';
import { InputError, fsReason, isInputError } from './errors.js';
import { loadSolutionFile } from './files.js';
import { sanitizeLine, visible } from './sanitize.js';
import { LEVEL_ID, LEVEL_ID_RULE, SOLUTION_FORMAT, SolutionSchema, describeIssue, type Level, type Solution } from './schema.js';

/** Longest slug taken from a solution's name. */
export const SLUG_MAX = 48;
/** Subfolder of saves/ holding the previous versions of overwritten files. */
export const BACKUP_DIR = '.backup';

/** Names Windows reserves for devices, in any case and with any extension. */
const DEVICE_NAMES = /^(con|prn|aux|nul|clock\$|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i;

/** Latin letters NFKD does not decompose. */
const LATIN: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l', đ: 'd', þ: 'th', ð: 'd', ı: 'i' };

/**
 * A file-name-safe slug of a solution's name: lowercase ASCII letters, digits and single
 * dashes, at most SLUG_MAX characters, never empty, never '.', '..' or a device name.
 * Accents are folded ("Grüße" -> "grusse"); a name with no usable letter at all gets a
 * short hash ("s-1a2b3c4d") so different such names do not collide.
 */
export function slugify(name: string): string {
  // terminal sequences are not part of the name a player sees: no "0-pwned-2j" in slugs
  const folded = sanitizeLine(name)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæøœłđþðı]/g, (c) => LATIN[c] ?? '');
  let slug = folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length > SLUG_MAX) slug = slug.slice(0, SLUG_MAX).replace(/-+$/, '');
  if (!slug) slug = `s-${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8)}`;
  if (DEVICE_NAMES.test(slug)) slug = `${slug}-solution`;
  return slug;
}

/** The file name of a solution: `<level-id>--<slug>.json`. */
export function solutionFileName(sol: Pick<Solution, 'level' | 'name'>): string {
  if (!LEVEL_ID.test(sol.level)) {
    throw new InputError(`level id '${visible(sol.level, 70)}' cannot name a file (${LEVEL_ID_RULE} only)`);
  }
  return `${sol.level}--${slugify(sol.name)}.json`;
}

/** `dir/name`, refusing any name that would leave `dir` (defence in depth). */
export function pathInside(dir: string, name: string): string {
  const root = resolve(dir);
  const full = resolve(root, name);
  const rel = relative(root, full);
  if (!name || name.includes('/') || name.includes('\\') || name.includes('\0') || name === '.' || name === '..' ||
      isAbsolute(name) || rel !== name || dirname(full) !== root) {
    throw new InputError(`refusing to write '${sanitizeLine(name).slice(0, 80)}': not a plain file name inside ${root}`);
  }
  return full;
}

/** The canonical text of a solution file: fixed key order, two-space indent, newline. */
export function solutionText(sol: Solution): string {
  const out: Record<string, unknown> = {
    format: SOLUTION_FORMAT,
    level: sol.level,
    name: sol.name,
    author: sol.author ?? '',
    ...(sol.via ? { via: sol.via } : {}),
    hooks: sol.hooks.map((h) => (h.when !== undefined ? { site: h.site, when: h.when } : { site: h.site })),
  };
  if (sol.created !== undefined) out.created = sol.created;
  if (sol.notes !== undefined) out.notes = sol.notes;
  return JSON.stringify(out, null, 2) + '\n';
}

/** A save would replace an existing file and the caller did not allow it. */
export class SaveExistsError extends InputError {
  constructor(readonly path: string) {
    super(`${path} already exists; use --force to replace it (the old file is kept in ${join(dirname(path), BACKUP_DIR)}${sep})`);
  }
}

export interface SaveOptions {
  /** replace a file of the same name (its old content goes to saves/.backup/) */
  overwrite?: boolean;
  /** injectable file-system calls for the atomic write (tests) */
  fs?: Partial<FsOps>;
  /** clock for backup names (tests) */
  now?: () => Date;
  /** how long to wait for another process's lock (default LOCK_WAIT_MS; the game waits less) */
  lockWaitMs?: number;
}

export interface SaveResult {
  path: string;
  /** where the replaced file was kept, when one was replaced */
  backup?: string;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '$1Z'); // 20250101T120000123Z
}

/**
 * Copy `path` to `<dir>/.backup/<name>.<timestamp>.json`, atomically (a crash leaves no
 * empty or partial backup) and never replacing a backup.
 */
function backupOf(path: string, now: Date): string {
  const dir = join(dirname(path), BACKUP_DIR);
  makeDirs(dir);
  const base = basename(path, '.json');
  for (let i = 0; i < 100; i++) {
    const target = join(dir, `${base}.${stamp(now)}${i ? `-${i}` : ''}.json`);
    try {
      copyFileAtomic(path, target);
      return target;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw Object.assign(new Error('too many backups'), { code: 'EEXIST' });
}

/**
 * Whether `path` exists as a regular file. Anything else of that name (a symbolic link,
 * a FIFO, a device, a folder: none of which pvlab writes) is refused, so a planted
 * `saves/x.json -> /dev/zero` can neither hang the backup copy nor be replaced.
 */
function existingRegularFile(path: string): boolean {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new InputError(`${path} cannot be checked: ${fsReason(err)}`);
  }
  if (st.isFile()) return true;
  const kind = st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO'
    : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
  throw new InputError(`${path} is ${kind}, not a saved solution; not replaced (move it away, or save under another name)`);
}

/**
 * Write a solution into `dir` (created when missing). Throws SaveExistsError when the
 * file exists and `overwrite` is not set; with `overwrite`, the old file is first copied
 * to `dir/.backup/`, and if that copy fails nothing is replaced. The check, the backup
 * and the write happen under the file's lock, so of several processes saving the same
 * name at once each version ends up either as the file or in the backups.
 */
export function saveSolution(sol: Solution, dir: string, opts: SaveOptions = {}): SaveResult {
  const parsed = SolutionSchema.safeParse(sol);
  if (!parsed.success) throw new InputError(`not saved: ${describeIssue(parsed.error)}`);
  if (!sanitizeLine(parsed.data.name).trim()) throw new InputError('not saved: the name is empty or only spaces; give it a name');
  const path = pathInside(dir, solutionFileName(parsed.data));
  const text = solutionText(parsed.data);
  try {
    makeDirs(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file of that name is in the way' : fsReason(err);
    throw new InputError(`cannot create the saves folder ${resolve(dir)}: ${why}`);
  }
  let locked: SaveResult;
  try {
    locked = withFileLock(path, () => replaceLocked(path, text, opts), opts.lockWaitMs !== undefined ? { waitMs: opts.lockWaitMs } : {});
  } catch (err) {
    if (isInputError(err)) throw err;
    if (err instanceof LockBusyError) throw new InputError(`${path} not saved: ${lockAdvice(err)}`);
    throw new InputError(`${path} not saved: ${fsReason(err)}`);
  }
  return locked;
}

function replaceLocked(path: string, text: string, opts: SaveOptions): SaveResult {
  const exists = existingRegularFile(path);
  if (exists && !opts.overwrite) throw new SaveExistsError(path);
  let backup: string | undefined;
  if (exists) {
    try {
      backup = backupOf(path, (opts.now ?? (() => new Date()))());
    } catch (err) {
      throw new InputError(`${path} not replaced: its backup could not be written (${fsReason(err)})`);
    }
  }
  try {
    writeFileAtomic(path, text, { overwrite: exists, ...(opts.fs ? { fs: opts.fs } : {}) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new SaveExistsError(path);
    throw new InputError(`${path} not saved: ${fsReason(err)}${exists ? ' (the old file is unchanged)' : ''}`);
  }
  return backup ? { path, backup } : { path };
}

// ---------------------------------------------------------------------------------------
// Reading saves back, and checking them against the current levels.

export interface SaveEntry {
  file: string;
  solution?: Solution;
  /** one-line reason the file could not be read as a solution */
  error?: string;
}

/**
 * Every solution file directly in `dir` (not in subfolders, not dot-files, not backups),
 * sorted by file name, each parsed or with its one-line error. A missing folder is empty.
 */
export function listSaves(dir: string): SaveEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new InputError(`cannot read the saves folder ${dir}: ${fsReason(err)}`);
  }
  const out: SaveEntry[] = [];
  for (const n of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const file = join(dir, n);
    try {
      if (!statSync(file).isFile()) continue;
    } catch {
      continue;
    }
    try {
      out.push({ file, solution: loadSolutionFile(file) });
    } catch (err) {
      out.push({ file, error: isInputError(err) ? err.message : String(err) });
    }
  }
  return out;
}

/** The solutions of one level, from `listSaves`. */
export function savesForLevel(dir: string, levelId: string): { file: string; solution: Solution }[] {
  return listSaves(dir)
    .filter((e): e is { file: string; solution: Solution } => !!e.solution && e.solution.level === levelId);
}

export interface FitReport {
  /** true when the solution can be run on its level as it is */
  ok: boolean;
  /** the level it names, when that level exists */
  level?: Level;
  /** one line per thing that no longer fits */
  problems: string[];
}

/**
 * Does a solution still fit the levels? Reports an unknown level, and each hook on a
 * site the level no longer offers. `sandbox` solutions fit any sandbox run.
 */
export function checkFit(sol: Solution, levels: readonly Level[]): FitReport {
  if (sol.level === 'sandbox') return { ok: true, problems: [] };
  const level = levels.find((l) => l.id === sol.level);
  if (!level) {
    return {
      ok: false,
      problems: [`level '${visible(sol.level, 70)}' is not in the campaign (renamed or removed?)`],
    };
  }
  const offered = new Set<string>(level.sites);
  const problems = sol.hooks
    .filter((h) => !offered.has(h.site))
    .map((h) => `level '${level.id}' does not offer site '${h.site}' (it offers ${level.sites.join(', ')})`);
  return { ok: problems.length === 0, level, problems };
}
