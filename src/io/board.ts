// Workshop leaderboards. Two parts:
// - pure computation (rankLevel, paretoFrontier, histogram, placeOnBoard): no I/O, so the
//   TUI's results screen can compare a player's score with a workshop folder;
// - collection (collectSolutions, buildBoard): read many players' solution files from
//   folders (recursively, skipping .git and other dot-folders), verify each against its
//   level (visible + hidden seeds). Invalid files are listed with a one-line reason.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { looksLikeLevel, parseSolution, type Level, type Solution } from './schema.js';
import { hooksOf, scoreLevel } from '../sim/score.js';
import { InputError, fsReason } from './errors.js';
import { LIMITS } from './schema.js';
import { readJsonFile } from './files.js';
import { checkFit } from './saves.js';
import { sanitizeLine } from './sanitize.js';
import type { Hook, Metrics } from '../sim/types.js';
import { PAR_METRICS, type ParMetric } from '../sim/verify.js';

/** Metrics shown on a board, in column order: the par metrics. */
export const BOARD_METRICS = PAR_METRICS;
export type BoardMetric = ParMetric;
/** The metrics of the Pareto frontier. */
export const PARETO_METRICS = ['cost', 'wastedExports', 'hooks', 'guestStall'] as const satisfies readonly BoardMetric[];
/** Ranking order among passing solutions: cost first, then these tie-breakers. */
export const RANK_METRICS = ['cost', 'hooks', 'wastedExports', 'guestStall'] as const satisfies readonly BoardMetric[];

export const METRIC_LABELS: Readonly<Record<BoardMetric, string>> = {
  cost: 'cost', exports: 'exports', imports: 'imports', wastedExports: 'wasted exports',
  hooks: 'hooks', guestStall: 'guest stall', hostOverhead: 'host overhead',
};

/** One verified solution: the input of the pure ranking. */
export interface BoardEntry {
  file: string;
  player: string;
  name: string;
  level: string;
  hooks: Hook[];
  passed: boolean;
  failedSeeds: number;
  seeds: number;
  stars: 0 | 1 | 2 | 3;
  metrics: Record<BoardMetric, number>;
}

export interface RankedEntry extends BoardEntry {
  /** 1 = best; tied entries share a rank ("1, 2, 2, 4") */
  rank: number;
  tied: boolean;
  /** on the Pareto frontier of the passing solutions */
  pareto: boolean;
}

export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

export interface Histogram {
  metric: BoardMetric;
  bins: HistogramBin[];
}

export interface LevelBoard {
  level: string;
  entries: RankedEntry[];
  /** groups of two or more entries sharing a rank */
  ties: { rank: number; files: string[] }[];
  /** files on the Pareto frontier, best rank first */
  pareto: string[];
  /** per metric, over the passing solutions (none when nothing passed) */
  histograms: Histogram[];
}

/** Means over seeds are floats: compare with a relative tolerance. */
export function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function cmpNum(a: number, b: number): number {
  return sameValue(a, b) ? 0 : a < b ? -1 : 1;
}

type Rankable = Pick<BoardEntry, 'passed' | 'failedSeeds' | 'metrics'>;

/** Board order: passing before failing; fewer failing seeds; then RANK_METRICS, lower first. 0 = tie. */
export function compareEntries(a: Rankable, b: Rankable): number {
  if (a.passed !== b.passed) return a.passed ? -1 : 1;
  if (a.failedSeeds !== b.failedSeeds) return a.failedSeeds - b.failedSeeds;
  for (const k of RANK_METRICS) {
    const c = cmpNum(a.metrics[k], b.metrics[k]);
    if (c) return c;
  }
  return 0;
}

/** `a` dominates `b`: no worse on every metric and better on at least one. */
export function dominates(a: Rankable, b: Rankable, metrics: readonly BoardMetric[] = PARETO_METRICS): boolean {
  let better = false;
  for (const k of metrics) {
    const c = cmpNum(a.metrics[k], b.metrics[k]);
    if (c > 0) return false;
    if (c < 0) better = true;
  }
  return better;
}

/** Indexes of the passing entries no other passing entry dominates. */
export function paretoFrontier(entries: readonly Rankable[], metrics: readonly BoardMetric[] = PARETO_METRICS): number[] {
  const out: number[] = [];
  entries.forEach((e, i) => {
    if (!e.passed) return;
    if (!entries.some((o, j) => j !== i && o.passed && dominates(o, e, metrics))) out.push(i);
  });
  return out;
}

/**
 * A histogram of values: one bin per distinct value when there are at most `bins` of
 * them, else `bins` equal-width bins from the minimum to the maximum (the last one
 * includes the maximum).
 */
export function histogram(values: readonly number[], bins = 6): HistogramBin[] {
  if (!values.length) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const distinct: number[] = [];
  for (const v of sorted) if (!distinct.length || !sameValue(distinct[distinct.length - 1]!, v)) distinct.push(v);
  if (distinct.length <= bins) {
    return distinct.map((d) => ({ lo: d, hi: d, count: sorted.filter((v) => sameValue(v, d)).length }));
  }
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  const width = (hi - lo) / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({
    lo: lo + i * width, hi: i === bins - 1 ? hi : lo + (i + 1) * width, count: 0,
  }));
  for (const v of sorted) out[Math.min(bins - 1, Math.floor((v - lo) / width))]!.count++;
  return out;
}

/** Rank the entries of one level. Entries keep no particular input order. */
export function rankLevel(level: string, input: readonly BoardEntry[], bins = 6): LevelBoard {
  const sorted = [...input].sort((a, b) =>
    compareEntries(a, b) || a.player.localeCompare(b.player) || a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
  const front = new Set(paretoFrontier(sorted));
  const entries: RankedEntry[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const prev = entries[i - 1];
    const rank = prev && compareEntries(prev, e) === 0 ? prev.rank : i + 1;
    entries.push({ ...e, rank, tied: false, pareto: front.has(i) });
  }
  const byRank = new Map<number, RankedEntry[]>();
  for (const e of entries) byRank.set(e.rank, [...(byRank.get(e.rank) ?? []), e]);
  const ties: LevelBoard['ties'] = [];
  for (const [rank, group] of byRank) {
    if (group.length < 2) continue;
    for (const e of group) e.tied = true;
    ties.push({ rank, files: group.map((e) => e.file) });
  }
  const passing = entries.filter((e) => e.passed);
  const histograms = passing.length
    ? BOARD_METRICS.map((metric) => ({ metric, bins: histogram(passing.map((e) => e.metrics[metric]), bins) }))
    : [];
  return { level, entries, ties, pareto: entries.filter((e) => e.pareto).map((e) => e.file), histograms };
}

/** Group entries by level and rank each; levels in `order` first, then by id. */
export function rankBoard(entries: readonly BoardEntry[], order: readonly string[] = [], bins = 6): LevelBoard[] {
  const groups = new Map<string, BoardEntry[]>();
  for (const e of entries) groups.set(e.level, [...(groups.get(e.level) ?? []), e]);
  const pos = (id: string) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  return [...groups.keys()]
    .sort((a, b) => pos(a) - pos(b) || a.localeCompare(b))
    .map((id) => rankLevel(id, groups.get(id)!, bins));
}

export interface Placement {
  /** the rank the candidate would take among the board's entries */
  rank: number;
  /** entries on the board (without the candidate) */
  of: number;
  /** files the candidate would tie with */
  tiedWith: string[];
  /** would be on the Pareto frontier */
  pareto: boolean;
  /** per metric: passing entries strictly better, equal, worse than the candidate */
  metrics: Record<BoardMetric, { better: number; equal: number; worse: number }>;
}

/** Where a (not yet listed) result would stand on a level's board: for the TUI. */
export function placeOnBoard(board: Pick<LevelBoard, 'entries'>, candidate: Rankable): Placement {
  const others = board.entries;
  const rank = 1 + others.filter((e) => compareEntries(e, candidate) < 0).length;
  const tiedWith = others.filter((e) => compareEntries(e, candidate) === 0).map((e) => e.file);
  const pareto = candidate.passed && !others.some((e) => e.passed && dominates(e, candidate));
  const passing = others.filter((e) => e.passed);
  const metrics = Object.fromEntries(BOARD_METRICS.map((k) => {
    let better = 0, equal = 0, worse = 0;
    for (const e of passing) {
      const c = cmpNum(e.metrics[k], candidate.metrics[k]);
      if (c < 0) better++; else if (c === 0) equal++; else worse++;
    }
    return [k, { better, equal, worse }];
  })) as Placement['metrics'];
  return { rank, of: others.length, tiedWith, pareto, metrics };
}

/** Text bars of a histogram: `label  ####  count`, bars scaled to `width`. */
export function histogramLines(bins: readonly HistogramBin[], fmt: (x: number) => string, width = 24): string[] {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const labels = bins.map((b) => (sameValue(b.lo, b.hi) ? fmt(b.lo) : `${fmt(b.lo)}..${fmt(b.hi)}`));
  const w = Math.max(...labels.map((l) => l.length));
  return bins.map((b, i) => {
    const n = b.count ? Math.max(1, Math.round((b.count / max) * width)) : 0;
    return `${labels[i]!.padStart(w)} |${'#'.repeat(n).padEnd(width)} ${b.count}`;
  });
}

// ---------------------------------------------------------------------------------------
// Collecting and verifying solution files.

export interface InvalidFile {
  file: string;
  reason: string;
}

export interface FoundSolution {
  file: string;
  solution: Solution;
  /** the first folder below the given root, when the file is in one (a player's folder) */
  folder?: string;
}

/** Most files a board reads (a safety bound for huge shared folders). */
export const MAX_BOARD_FILES = 20_000;
/** Most folder entries a board looks at (every kind of file, a bound on the walk itself). */
export const MAX_BOARD_ENTRIES = 500_000;
const MAX_DEPTH = 32;

/**
 * Every solution file under `paths` (folders recursively; dot-folders such as .git and
 * saves/.backup and symbolic links inside folders are skipped). A path that does not
 * exist is an InputError; a file that is not a valid solution is listed in `invalid`.
 */
export function collectSolutions(paths: readonly string[], limits: { maxEntries?: number } = {}): { found: FoundSolution[]; invalid: InvalidFile[] } {
  const maxEntries = limits.maxEntries ?? MAX_BOARD_ENTRIES;
  const found: FoundSolution[] = [];
  const invalid: InvalidFile[] = [];
  const files: { file: string; folder?: string; explicit: boolean }[] = [];
  let entries = 0;
  const walk = (dir: string, root: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (err) {
      invalid.push({ file: dir, reason: `folder not readable (${fsReason(err)})` });
      return;
    }
    entries += names.length;
    if (entries > maxEntries) throw new InputError(`more than ${maxEntries} files and folders under ${root}; point the board at a smaller folder`);
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
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
        const rel = relative(root, p).split(sep);
        files.push({ file: p, explicit: false, ...(rel.length > 1 ? { folder: rel[0]! } : {}) });
      }
      if (files.length > MAX_BOARD_FILES) throw new InputError(`more than ${MAX_BOARD_FILES} JSON files under ${root}; point the board at a smaller folder`);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      throw new InputError(`${p}: ${fsReason(err)}`);
    }
    if (st.isDirectory()) walk(p, p, 0);
    else files.push({ file: p, explicit: true });
  }
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.file)) continue;
    seen.add(f.file);
    try {
      const value = readJsonFile(f.file, LIMITS.solutionFileBytes);
      if (looksLikeLevel(value)) {
        invalid.push({ file: f.file, reason: 'a level file, not a solution' });
        continue;
      }
      const solution = parseSolution(value, f.file);
      found.push({ file: f.file, solution, ...(f.folder ? { folder: f.folder } : {}) });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      invalid.push({ file: f.file, reason: err.message.startsWith(`${f.file}: `) ? err.message.slice(f.file.length + 2) : err.message });
    }
  }
  return { found, invalid };
}

export interface Board {
  levels: LevelBoard[];
  invalid: InvalidFile[];
  /** solution files ranked */
  solutions: number;
  /** distinct (level, hooks) verifications run */
  verified: number;
}

/** Who a solution belongs to: its author, else its player folder, else '(anonymous)'. */
export function playerOf(f: FoundSolution): string {
  return sanitizeLine(f.solution.author ?? '') || (f.folder ? sanitizeLine(f.folder) : '') || '(anonymous)';
}

/**
 * Verify every solution found against its level and rank them. Identical hook sets on
 * the same level are verified once (the engine is deterministic).
 */
export function buildBoard(found: readonly FoundSolution[], levels: readonly Level[], invalid: InvalidFile[] = [], bins = 6): Board {
  const memo = new Map<string, Omit<BoardEntry, 'file' | 'player' | 'name' | 'level' | 'hooks'>>();
  const entries: BoardEntry[] = [];
  const bad = [...invalid];
  for (const f of found) {
    const sol = f.solution;
    if (sol.level === 'sandbox') {
      bad.push({ file: f.file, reason: 'a sandbox solution: no level to rank it on' });
      continue;
    }
    const fit = checkFit(sol, levels);
    if (!fit.ok || !fit.level) {
      bad.push({ file: f.file, reason: fit.problems[0] ?? 'does not fit its level' });
      continue;
    }
    const lv = fit.level;
    const hooks: Hook[] = hooksOf(sol.hooks);
    const key = `${lv.id}\u0000${JSON.stringify(hooks)}`;
    let r = memo.get(key);
    if (!r) {
      // the one scoring rule (seeds and, where the level declares one, the small machine)
      const v = scoreLevel(lv, hooks);
      r = {
        passed: v.passed,
        failedSeeds: v.seeds.filter((s) => !s.passed).length,
        seeds: v.seeds.length,
        stars: v.stars,
        metrics: pickMetrics(v.metrics),
      };
      memo.set(key, r);
    }
    entries.push({ file: f.file, player: playerOf(f), name: sanitizeLine(sol.name), level: lv.id, hooks, ...r });
  }
  return {
    levels: rankBoard(entries, levels.map((l) => l.id), bins),
    // reasons may quote file content (unknown field names): keep them printable in --json too
    invalid: bad.map((b) => ({ file: b.file, reason: sanitizeLine(b.reason) })).sort((a, b) => a.file.localeCompare(b.file)),
    solutions: entries.length,
    verified: memo.size,
  };
}

export function pickMetrics(m: Metrics): Record<BoardMetric, number> {
  return Object.fromEntries(BOARD_METRICS.map((k) => [k, m[k]])) as Record<BoardMetric, number>;
}

/** Read and rank a workshop: `collectSolutions` then `buildBoard`. */
export function loadBoard(paths: readonly string[], levels: readonly Level[], bins = 6): Board {
  const { found, invalid } = collectSolutions(paths);
  return buildBoard(found, levels, invalid, bins);
}
