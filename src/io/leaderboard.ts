// The workshop folder walk: every solution file under the given folders (recursively,
// skipping .git and other dot-folders), each parsed or listed with a one-line reason.
// Files reached twice (a folder given twice, relative and absolute, or through a
// symbolic link) count once: paths are deduplicated by their real path. Ranking is
// pure and lives in src/workshop/rank.ts; loadBoard() puts the two together.
import { isUtf8 } from 'node:buffer';
import { lstatSync, readdirSync, realpathSync, statSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Level } from './schema.js';
import { InputError, fsReason, isInputError } from './errors.js';
import { LIMITS } from './schema.js';
import { readJsonFile, withGeneratedLevels } from './files.js';
import { gitTimes, type GitTimes } from './submitted.js';
import { isSealed } from './sealed.js';
import { ROUND_FILE, WORKSHOP_FILE } from './workshop.js';
import { parseSolution } from './schema.js';
import type { Solution } from './schema.js';
import { buildBoard, type Board, type BuildOptions, type FoundSolution as RankFound, type InvalidFile } from '../workshop/rank.js';

export type { Board, InvalidFile } from '../workshop/rank.js';

export interface FoundSolution extends RankFound {
  solution: Solution;
}

/** Most files a board reads (a safety bound for huge shared folders). */
export const MAX_BOARD_FILES = 20_000;
/** Most folder entries a board looks at (every kind of file, a bound on the walk itself). */
export const MAX_BOARD_ENTRIES = 500_000;
const MAX_DEPTH = 32;

function looksLikeLevel(v: unknown): boolean {
  return !!v && typeof v === 'object' && !('format' in v) && 'arch' in v && 'workloads' in v;
}

/**
 * Every solution file under `paths` (folders recursively; dot-folders such as .git and
 * saves/.backup and symbolic links inside folders are skipped). A path that does not
 * exist is an InputError; a file that is not a valid solution is listed in `invalid`.
 */
export interface CollectOptions {
  maxEntries?: number;
  maxFiles?: number;
  /** opens a sealed entry (the trainer's key); without it a sealed file is listed as invalid */
  open?: (value: unknown, file: string) => { solution: Solution; player: string };
  /**
   * the submission times of the repositories the paths are in, when the caller has them
   * (one `gitTimes` for a whole workshop read folder by folder); else asked per folder given
   */
  git?: readonly GitTimes[];
}

export function collectSolutions(paths: readonly string[], limits: CollectOptions = {}): { found: FoundSolution[]; invalid: InvalidFile[] } {
  const maxEntries = limits.maxEntries ?? MAX_BOARD_ENTRIES;
  const maxFiles = limits.maxFiles ?? MAX_BOARD_FILES;
  const found: FoundSolution[] = [];
  const invalid: InvalidFile[] = [];
  const files: { file: string; folder?: string; explicit: boolean; mtime?: number; real?: string }[] = [];
  let entries = 0;
  // the walk follows no symbolic link below a root: a file's real path is the root's real path
  // and the rest of its path (one realpath per root, not one per file)
  let rootReal: string | undefined;
  const walk = (dir: string, root: string, depth: number) => {
    let raw: Buffer[];
    try {
      raw = readdirSync(dir, { encoding: 'buffer' });
    } catch (err) {
      invalid.push({ file: dir, reason: `folder not readable (${fsReason(err)})` });
      return;
    }
    entries += raw.length;
    if (entries > maxEntries) throw new InputError(`more than ${maxEntries} files and folders under ${root}; point the board at a smaller folder`);
    const names: string[] = [];
    for (const b of raw) {
      // a name that is not UTF-8 cannot be opened by its decoded text: list it, do not lose it
      if (!isUtf8(b)) invalid.push({ file: join(dir, escapeBytes(b)), reason: 'the name is not UTF-8 text, not read (rename it)' });
      else names.push(b.toString('utf8'));
    }
    names.sort();
    // a workshop folder's own files are not entries: workshop.json, round.json, levels/
    const workshopRoot = depth === 0 && names.includes(WORKSHOP_FILE);
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      if (workshopRoot && (n === WORKSHOP_FILE || n === ROUND_FILE || n === 'levels')) continue;
      const p = join(dir, n);
      let st;
      try {
        st = lstatSync(p);
      } catch (err) {
        // gone meanwhile (a busy folder, /proc): only a would-be solution is worth a line
        if (n.endsWith('.json')) invalid.push({ file: p, reason: fsReason(err) });
        continue;
      }
      if (st.isSymbolicLink()) {
        if (n.endsWith('.json')) invalid.push({ file: p, reason: 'symbolic link, not followed' });
      } else if (st.isDirectory()) {
        if (depth >= MAX_DEPTH) invalid.push({ file: p, reason: `more than ${MAX_DEPTH} folders deep, not read` });
        else walk(p, root, depth + 1);
      } else if (st.isFile() && n.endsWith('.json')) {
        if (files.length >= maxFiles) {
          // rank what fits; the rest is listed, not dropped and not a reason to refuse the board
          invalid.push({ file: p, reason: `over the limit of ${maxFiles} files a board reads, not ranked` });
          continue;
        }
        const folder = playerFolder(relative(root, p).split(sep));
        files.push({ file: p, explicit: false, mtime: st.mtimeMs, ...(folder !== undefined ? { folder } : {}), ...(rootReal !== undefined ? { real: join(rootReal, relative(root, p)) } : {}) });
      }
    }
  };
  const git: GitTimes[] = [...(limits.git ?? [])];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      throw new InputError(`${p}: ${fsReason(err)}`);
    }
    if (st.isDirectory()) {
      try { rootReal = realpathSync(p); } catch { rootReal = undefined; }
      walk(p, p, 0);
      const g = limits.git ? null : gitTimes(p);
      if (g) git.push(g);
    } else files.push({ file: p, explicit: true, mtime: st.mtimeMs });
  }
  const seen = new Set<string>();
  for (const f of files) {
    let real = f.real ?? f.file;
    if (f.real === undefined) {
      try { real = realpathSync(f.file); } catch { /* gone: reading it says why */ }
    }
    if (seen.has(real)) continue;
    seen.add(real);
    try {
      const value = readJsonFile(f.file, LIMITS.solutionFileBytes);
      if (looksLikeLevel(value)) {
        invalid.push({ file: f.file, reason: 'a level file, not a solution' });
        continue;
      }
      let solution: Solution;
      let sealed = false;
      if (isSealed(value)) {
        if (!limits.open) {
          invalid.push({ file: f.file, reason: "a sealed entry: only the trainer's board opens it (--key)" });
          continue;
        }
        const o = limits.open(value, f.file);
        // the name it was sealed under is its author (the folder is still the player)
        solution = { ...o.solution, author: o.player };
        sealed = true;
      } else {
        solution = parseSolution(value, f.file);
      }
      const committed = git.map((g) => g.times.get(real)).find((t) => t !== undefined);
      const time = committed !== undefined ? { submitted: committed, submittedFrom: 'git' as const }
        : f.mtime !== undefined ? { submitted: Math.floor(f.mtime / 1000) * 1000, submittedFrom: 'file' as const } : {};
      found.push({ file: f.file, solution, ...(f.folder ? { folder: f.folder } : {}), ...time, ...(sealed ? { sealed } : {}) });
    } catch (err) {
      if (!(isInputError(err))) throw err;
      invalid.push({ file: f.file, reason: err.message.startsWith(`${f.file}: `) ? err.message.slice(f.file.length + 2) : err.message });
    }
  }
  return { found, invalid };
}

/**
 * The player a file belongs to, from its path below the folder given: `players/<name>/...`
 * (a workshop folder given whole) is `<name>`; otherwise the first folder.
 */
export function playerFolder(rel: readonly string[]): string | undefined {
  if (rel.length > 2 && rel[0] === 'players') return rel[1];
  return rel.length > 1 ? rel[0] : undefined;
}

/** A file name's bytes as text that names them: printable ASCII kept, every other byte as \xNN. */
function escapeBytes(b: Buffer): string {
  return [...b].map((c) => (c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`)).join('');
}

/** Read and rank a workshop: `collectSolutions` then the pure `buildBoard`. */
export function loadBoard(paths: readonly string[], levels: readonly Level[], opts: Omit<BuildOptions, 'invalid'> & Pick<CollectOptions, 'open'> = {}): Board {
  const { found, invalid } = collectSolutions(paths, opts.open ? { open: opts.open } : {});
  // solutions of generated and daily levels rank like any: their level is regenerated from its id
  return buildBoard(found, withGeneratedLevels(levels, found.map((f) => f.solution.level)), { ...opts, invalid });
}

/**
 * `loadBoard` with the scoring spread over every core (score-pool.ts): the same board, the
 * cache filled with what was scored.
 */
export async function loadBoardParallel(paths: readonly string[], levels: readonly Level[], opts: Omit<BuildOptions, 'invalid'> & Pick<CollectOptions, 'open'> = {}): Promise<Board> {
  const { found, invalid } = collectSolutions(paths, opts.open ? { open: opts.open } : {});
  const all = withGeneratedLevels(levels, found.map((f) => f.solution.level));
  const { prescore } = await import('./score-pool.js');
  const cache = await prescore(found, all, opts.cache);
  const board = buildBoard(found, all, { ...opts, cache, invalid });
  // verdicts scored by the workers count as computed by this run, not as cached
  return opts.cache ? board : { ...board, cached: 0 };
}

/** Every folder under `paths` the walk would enter (for watching). */
function foldersUnder(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    out.push(dir);
    if (depth >= MAX_DEPTH || out.length > 10_000) return;
    let names: string[];
    try { names = readdirSync(dir); } catch { return; }
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      const p = join(dir, n);
      try { if (lstatSync(p).isDirectory()) walk(p, depth + 1); } catch { /* gone */ }
    }
  };
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) walk(p, 0);
      else out.push(dirname(p));
    } catch { /* missing: nothing to watch there yet */ }
  }
  return [...new Set(out)];
}

/** A cheap fingerprint of the folders: each folder's and each JSON file's mtime and size. */
function fingerprint(dirs: readonly string[]): string {
  const parts: string[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      parts.push(`${d}:${statSync(d).mtimeMs}`);
      names = readdirSync(d);
    } catch { parts.push(`${d}:gone`); continue; }
    for (const n of names) {
      if (!n.endsWith('.json') || n.startsWith('.')) continue;
      try {
        const st = statSync(join(d, n));
        parts.push(`${n}:${st.mtimeMs}:${st.size}`);
      } catch { /* gone */ }
    }
  }
  return parts.join('|');
}

export interface WatchOptions {
  /** wait this long after the last change before calling back (default 300 ms) */
  debounceMs?: number;
  /** how often to compare fingerprints, for file systems where watching is silent (default 2000 ms) */
  pollMs?: number;
}

/**
 * Call `onChange` (debounced) when solution files under `paths` change: a file added,
 * removed, replaced by a rename (as `git pull` does) or edited, a folder added. Watches
 * each folder on its own (fs.watch recursive is not reliable on Linux with Node 20) and
 * compares a fingerprint of the folders every `pollMs` as a fallback. The baseline is taken
 * now: start watching before reading the folders, so a change made meanwhile is seen.
 * Returns a stop function.
 */
export function watchFolders(paths: readonly string[], onChange: () => void, opts: WatchOptions = {}): () => void {
  const debounceMs = opts.debounceMs ?? 300;
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let dirs = foldersUnder(paths);
  let last = fingerprint(dirs);
  const fire = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (stopped) return;
      arm();
      const now = fingerprint(dirs);
      if (now === last) return;
      last = now;
      onChange();
    }, debounceMs);
  };
  const arm = () => {
    dirs = foldersUnder(paths);
    const want = new Set(dirs);
    for (const [d, w] of watchers) if (!want.has(d)) { w.close(); watchers.delete(d); }
    for (const d of dirs) {
      if (watchers.has(d)) continue;
      try {
        const w = watch(d, { persistent: true }, fire);
        w.on('error', () => { w.close(); watchers.delete(d); });
        watchers.set(d, w);
      } catch { /* not watchable: the poll covers it */ }
    }
  };
  arm();
  const poll = setInterval(fire, opts.pollMs ?? 2000);
  return () => {
    stopped = true;
    clearInterval(poll);
    if (timer) clearTimeout(timer);
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}
