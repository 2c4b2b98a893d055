// Workshop leaderboards, the pure part: verdicts of found solutions (through the one
// scoring rule, scoreLevel), ranking with a stated tie rule, the Pareto front grouped by
// distinct hook set, histograms, per-level summaries, and the trust marks a shared
// folder needs (whose folder a file is in, an author that claims another name, names
// that look alike). No I/O: `pvlab board` (src/commands/leaderboard.ts) and the game's
// leaderboard screen both build on buildBoard(); the folder walk is src/io/leaderboard.ts and
// the verdict cache on disk src/io/verdict-cache.ts, behind the VerdictCache port.
//
// Ranking rule: the one rule of src/sim/ranking.ts (docs/workshop.md): verdict (pass,
// stars, failing seeds), the level's par metrics in stated order within a 0.1% tolerance,
// then submission time. Entries equal on all of it share a rank ("1, 2, 2, 4").
import uc from 'unicode-confusables';
import { hooksOf, scoreLevel, type ScorableLevel } from '../sim/score.js';
import type { Hook, Metrics } from '../sim/types.js';
import type { Par } from '../sim/verify.js';
import { CONTROL_SEQUENCES } from '../sim/text.js';
import { DEFAULT_RANK_METRICS, compareMerit, compareMetric, compareRanked, compareTime, dominates, paretoIndexes, rankMetrics } from '../sim/ranking.js';

export {
  BOARD_COLUMNS, BOARD_METRICS, FAILURE_METRICS, HISTOGRAM_METRICS, METRIC_LABELS, RANK_RULE,
  type BoardMetric,
} from './columns.js';
import { BOARD_METRICS, HISTOGRAM_METRICS, type BoardMetric } from './columns.js';

/** What a solution file holds that the board uses (the solution schema is a superset). */
export interface BoardSolution {
  level: string;
  name: string;
  author?: string | undefined;
  /** who shared it with the author (an imported share code) */
  via?: string | undefined;
  hooks: readonly { site: string; when?: string | undefined }[];
}

/** A solution file found in a workshop folder (src/io/leaderboard.ts collects them). */
export interface FoundSolution {
  file: string;
  solution: BoardSolution;
  /** the first folder below the given root, when the file is in one: the player's folder */
  folder?: string;
  /** submission time (ms since the epoch): the file's last git commit, else its modification time */
  submitted?: number;
  /** where `submitted` came from */
  submittedFrom?: 'git' | 'file';
  /** opened from a sealed entry (its hooks and name stay hidden until the trainer reveals them) */
  sealed?: boolean;
}

/** A level as the board needs it: scorable, plus what it prints. */
export interface BoardLevel extends ScorableLevel {
  title?: string;
  sites: readonly string[];
}

/** The verdict of one hook set on one level: what the cache stores. */
export interface Verdict {
  passed: boolean;
  failedSeeds: number;
  seeds: number;
  stars: 0 | 1 | 2 | 3;
  metrics: Record<BoardMetric, number>;
}

/**
 * Verdicts kept across runs (the io side keys them by pvlab version + level content +
 * hooks, so a model or level change never reuses an old verdict).
 */
export interface VerdictCache {
  key(level: BoardLevel, hooks: readonly Hook[]): string;
  get(key: string): Verdict | undefined;
  set(key: string, v: Verdict): void;
}

/** One verified solution: the input of the ranking. */
export interface BoardEntry extends Verdict {
  file: string;
  /** who is shown: the player's folder, else the author, else '(anonymous)' (raw text: sanitize to print) */
  player: string;
  name: string;
  level: string;
  hooks: Hook[];
  /** the player's folder, when the file is in one */
  folder?: string;
  /** the author field of the file, when set */
  author?: string;
  /** who shared it with the author (credited as "via <name>"; raw text) */
  via?: string;
  /** the author names someone else than the folder it is in */
  authorDiffers?: boolean;
  /** the player (or author) looks like another one on this board but is not the same text */
  lookalike?: boolean;
  /** the hook set, canonical: entries with the same key on a level have the same verdict */
  hookKey?: string;
  /** submission time (ms since the epoch), the last key of the ranking rule */
  submitted?: number;
  submittedFrom?: 'git' | 'file';
  sealed?: boolean;
}

export interface RankedEntry extends BoardEntry {
  /** 1 = best; tied entries share a rank ("1, 2, 2, 4") */
  rank: number;
  tied: boolean;
  /** on the Pareto frontier of the passing solutions */
  pareto: boolean;
  /** submitted outside the round's window: listed after the ranked entries, not ranked (rank 0) */
  outside?: 'early' | 'late';
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

/** One point of the Pareto front: a distinct hook set, and everyone who submitted it. */
export interface ParetoGroup {
  hooks: Hook[];
  metrics: Record<BoardMetric, number>;
  /** files with this hook set, in board order */
  files: string[];
  /** distinct players with this hook set, in board order */
  players: string[];
}

export interface LevelSummary {
  solutions: number;
  passing: number;
  /** distinct players (folders, else authors) */
  players: number;
  /** players with at least one passing solution */
  solvedBy: number;
  /** distinct hook sets */
  approaches: number;
  /** distinct hook sets that pass */
  passingApproaches: number;
}

export interface LevelBoard {
  level: string;
  /** the level's title and par, when the level is known */
  title?: string;
  par?: Par;
  /** the metrics the level is ranked by, in order (its par's; src/sim/ranking.ts) */
  metrics: BoardMetric[];
  entries: RankedEntry[];
  /**
   * groups of two or more consecutive entries equal on merit; `rank` is the first one's;
   * `byTime`: their order (and distinct ranks) came from their submission times
   */
  ties: { rank: number; files: string[]; byTime: boolean }[];
  /** files on the Pareto frontier, in board order */
  pareto: string[];
  /** the frontier by distinct hook set (copies listed once, with their players) */
  paretoGroups: ParetoGroup[];
  /** per metric, over the passing solutions (none when nothing passed) */
  histograms: Histogram[];
  summary: LevelSummary;
}

export interface InvalidFile {
  file: string;
  reason: string;
}

export interface Board {
  levels: LevelBoard[];
  invalid: InvalidFile[];
  /** solution files ranked */
  solutions: number;
  /** distinct (level, hooks) verdicts needed */
  verified: number;
  /** of those, taken from the cache */
  cached: number;
  /** hook sets and solution names are hidden (a sealed workshop before the trainer reveals it) */
  hidden?: boolean;
}

// ---------------------------------------------------------------------------------------
// Comparing: the one ranking rule (src/sim/ranking.ts), on board entries.

/** Means over seeds are floats: equal up to rounding (histogram bins; not the ranking's tolerance). */
export function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Rankable = Pick<BoardEntry, 'passed' | 'stars' | 'failedSeeds' | 'metrics'> & { submitted?: number | undefined };

/** The metrics a level's board is ranked by (its par's, in stated order; see rankMetrics). */
export function boardMetricsOf(par: Par | undefined): BoardMetric[] {
  const board = new Set<string>(BOARD_METRICS);
  const m = rankMetrics(par as Record<string, number | undefined> | undefined).filter((k) => board.has(k)) as BoardMetric[];
  return m.length ? m : [...DEFAULT_RANK_METRICS];
}

/** Merit order by the one rule (verdict, stars, failing seeds, the level's metrics). 0 = equal on merit. */
export function compareEntries(a: Rankable, b: Rankable, metrics: readonly string[] = DEFAULT_RANK_METRICS): number {
  return compareMerit(a, b, metrics);
}

/** The full listing order: the rule (merit, then submission time), then the file path (same time: the only stable key left). */
export function listingOrder(metrics: readonly string[]): (a: BoardEntry, b: BoardEntry) => number {
  return (a, b) => compareRanked(a, b, metrics) || cmpText(a.file, b.file);
}

/** Indexes of the passing entries no other passing entry dominates on `metrics` (the rule's tolerance). */
export function paretoFrontier(entries: readonly Rankable[], metrics: readonly string[] = DEFAULT_RANK_METRICS): number[] {
  const passing = entries.map((e, i) => ({ e, i })).filter((x) => x.e.passed);
  return paretoIndexes(passing.map((x) => x.e.metrics), metrics).map((k) => passing[k]!.i);
}

/**
 * A histogram of values: one bin per distinct value when there are at most `bins` of
 * them, else `bins` equal-width bins from the minimum to the maximum (the last one
 * includes the maximum).
 */
export function histogram(values: readonly number[], bins = 6): HistogramBin[] {
  if (!values.length) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const distinct: { v: number; count: number }[] = [];
  for (const v of sorted) {
    const last = distinct[distinct.length - 1];
    if (last && sameValue(last.v, v)) last.count++;
    else distinct.push({ v, count: 1 });
  }
  if (distinct.length <= bins) return distinct.map((d) => ({ lo: d.v, hi: d.v, count: d.count }));
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  const width = (hi - lo) / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({
    lo: lo + i * width, hi: i === bins - 1 ? hi : lo + (i + 1) * width, count: 0,
  }));
  for (const v of sorted) out[Math.min(bins - 1, Math.floor((v - lo) / width))]!.count++;
  return out;
}

/** Text bars of a histogram: `label |####  count`, bars scaled to `width`. */
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
// Names a reader can trust.

/** Characters that change nothing visible: format controls, bidi controls, joiners, variation selectors. */
// combining and filler code points are listed one by one on purpose: each is invisible alone
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\p{Cc}\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0]|\udb40[\udd00-\uddef]/gu;

/**
 * A name's skeleton: two names with the same skeleton look alike on a screen. Terminal
 * control sequences removed whole (what the screen does not show), NFKC,
 * invisible characters removed, every character mapped through the Unicode confusables
 * table (UTS #39, via the unicode-confusables package), decomposed, accents dropped,
 * lowercased. "ada", "аda" (Cyrillic a), "ａｄａ" and "a\u200bda" all give "ada".
 */
export function nameSkeleton(name: string): string {
  // whole control sequences first: `\e[0mada` shows as `ada`, not as `[0mada`
  const visible = name.replace(CONTROL_SEQUENCES, '').normalize('NFKC').replace(INVISIBLE, '');
  return uc.rectifyConfusion(visible).normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()
    // the table maps digits and some letters to look-alike Latin capitals (0 -> O, 1 -> l)
    .replace(/0/g, 'o').replace(/[1|]/g, 'l');
}

/** The canonical key of a hook set (order-independent: hooks are a set of placements). */
export function hookKey(hooks: readonly Hook[]): string {
  return hooks.map((h) => (h.when ? `${h.site}[${h.when}]` : h.site)).sort().join(',');
}

/**
 * Who a found file belongs to and what a reader must be told: the folder is the player
 * (a workshop gives each player a folder; the author field is whatever the file says);
 * an author whose text differs from the folder is marked.
 */
export function identityOf(f: FoundSolution): Pick<BoardEntry, 'player' | 'folder' | 'author' | 'authorDiffers'> {
  const author = f.solution.author ?? '';
  const out: Pick<BoardEntry, 'player' | 'folder' | 'author' | 'authorDiffers'> = {
    player: f.folder ?? (author || '(anonymous)'),
  };
  if (f.folder !== undefined) out.folder = f.folder;
  if (author) out.author = author;
  if (f.folder !== undefined && author) out.authorDiffers = author.normalize('NFC') !== f.folder.normalize('NFC');
  return out;
}

/**
 * Mark the entries whose player or author looks like another name on the board without
 * being it (on the raw text: sanitize only to print). Marks set before are cleared, so a
 * caller that puts a board together from parts (the game's board) marks the whole once.
 */
export function markLookalikes(entries: BoardEntry[]): void {
  const bySkeleton = new Map<string, Set<string>>();
  const skeletons = new Map<string, string>();
  const note = (name: string | undefined) => {
    if (!name) return;
    let sk = skeletons.get(name);
    if (sk === undefined) {
      sk = nameSkeleton(name);
      skeletons.set(name, sk);
    }
    let set = bySkeleton.get(sk);
    if (!set) bySkeleton.set(sk, (set = new Set()));
    set.add(name.normalize('NFC'));
  };
  for (const e of entries) {
    note(e.player);
    note(e.author);
  }
  const confusable = (name: string | undefined) => !!name && bySkeleton.get(skeletons.get(name)!)!.size > 1;
  for (const e of entries) {
    if (confusable(e.player) || confusable(e.author)) e.lookalike = true;
    else delete e.lookalike;
  }
}

// ---------------------------------------------------------------------------------------
// Ranking.

/**
 * Rank the entries of one level (any input order) by the one rule (src/sim/ranking.ts):
 * merit (verdict, stars, failing seeds, the level's par metrics within the tolerance), then
 * submission time. Entries equal on merit AND time share a rank (listed by file path);
 * entries equal on merit whose order came from their submission times are `ties` with
 * `byTime` set.
 */
export function rankLevel(level: string, all: readonly BoardEntry[], bins = 6, info: { title?: string; par?: Par } = {}, window: RoundWindow = {}): LevelBoard {
  const metrics = boardMetricsOf(info.par);
  const input = all.filter((e) => !outsideWindow(e, window));
  const sorted = [...input].sort(listingOrder(metrics));
  const front = new Set(paretoFrontier(sorted, metrics));
  const entries: RankedEntry[] = new Array(sorted.length);
  const ties: LevelBoard['ties'] = [];
  let group: LevelBoard['ties'][number] | undefined;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const prev = i > 0 ? entries[i - 1]! : undefined;
    const merit = prev !== undefined && compareMerit(prev, e, metrics) === 0;
    const same = merit && compareTime(prev.submitted, e.submitted) === 0;
    const r: RankedEntry = { ...e, rank: same ? prev.rank : i + 1, tied: same, pareto: front.has(i) };
    if (same) prev.tied = true;
    if (merit) {
      if (!group) ties.push((group = { rank: prev.rank, files: [prev.file], byTime: false }));
      group.files.push(e.file);
      if (!same) group.byTime = true;
    } else {
      group = undefined;
    }
    entries[i] = r;
  }
  const late = all.filter((e) => outsideWindow(e, window)).sort(listingOrder(metrics))
    .map((e): RankedEntry => ({ ...e, rank: 0, tied: false, pareto: false, outside: outsideWindow(e, window)! }));
  const passing = entries.filter((e) => e.passed);
  const histograms = passing.length
    ? HISTOGRAM_METRICS.map((metric) => ({ metric, bins: histogram(passing.map((e) => e.metrics[metric]), bins) }))
    : [];
  const groups = new Map<string, ParetoGroup>();
  for (const e of entries) {
    if (!e.pareto) continue;
    const k = e.hookKey ?? hookKey(e.hooks);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { hooks: e.hooks, metrics: e.metrics, files: [], players: [] }));
    g.files.push(e.file);
    if (!g.players.includes(e.player)) g.players.push(e.player);
  }
  const players = new Set(entries.map((e) => e.player));
  const solvedBy = new Set(passing.map((e) => e.player));
  const approaches = new Set(entries.map((e) => e.hookKey ?? hookKey(e.hooks)));
  const passingApproaches = new Set(passing.map((e) => e.hookKey ?? hookKey(e.hooks)));
  return {
    level,
    ...(info.title !== undefined ? { title: info.title } : {}),
    ...(info.par !== undefined ? { par: info.par } : {}),
    metrics,
    entries: [...entries, ...late],
    ties,
    pareto: entries.filter((e) => e.pareto).map((e) => e.file),
    paretoGroups: [...groups.values()],
    histograms,
    summary: {
      solutions: entries.length, passing: passing.length, players: players.size, solvedBy: solvedBy.size,
      approaches: approaches.size, passingApproaches: passingApproaches.size,
    },
  };
}

/** Group entries by level and rank each; levels in `order` first, then by id. */
export function rankBoard(entries: readonly BoardEntry[], order: readonly string[] = [], bins = 6, info: ReadonlyMap<string, { title?: string; par?: Par }> = new Map(), window: RoundWindow = {}): LevelBoard[] {
  const groups = new Map<string, BoardEntry[]>();
  for (const e of entries) {
    let g = groups.get(e.level);
    if (!g) groups.set(e.level, (g = []));
    g.push(e);
  }
  const pos = new Map(order.map((id, i) => [id, i]));
  return [...groups.keys()]
    .sort((a, b) => (pos.get(a) ?? order.length) - (pos.get(b) ?? order.length) || cmpText(a, b))
    .map((id) => rankLevel(id, groups.get(id)!, bins, info.get(id) ?? {}, window));
}

export interface SelectOptions {
  /** keep each player's best entry only (the first in board order) */
  bestPerPlayer?: boolean;
  /** at most this many rows (after bestPerPlayer); ties at the cut are kept */
  top?: number;
}

/** The rows to show of a ranked level: best per player and/or the top N (ties at the cut kept). */
export function selectEntries(b: Pick<LevelBoard, 'entries'>, o: SelectOptions = {}): RankedEntry[] {
  let rows = b.entries;
  if (o.bestPerPlayer) {
    const seen = new Set<string>();
    rows = rows.filter((e) => (seen.has(e.player) ? false : (seen.add(e.player), true)));
  }
  if (o.top !== undefined && rows.length > o.top) {
    const last = rows[o.top - 1];
    let n = o.top;
    while (last && n < rows.length && rows[n]!.rank === last.rank) n++;
    rows = rows.slice(0, Math.max(0, n));
  }
  return rows;
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

/** Where a (not yet listed) result would stand on a level's board (it would be the latest submission): for the game's results screen. */
export function placeOnBoard(board: Pick<LevelBoard, 'entries'> & { metrics?: readonly string[] }, candidate: Rankable): Placement {
  const metrics = board.metrics ?? DEFAULT_RANK_METRICS;
  const others = board.entries;
  // equal on merit: the candidate comes after (it is submitted last)
  const rank = 1 + others.filter((e) => compareEntries(e, candidate, metrics) <= 0).length;
  const tiedWith = others.filter((e) => compareEntries(e, candidate, metrics) === 0).map((e) => e.file);
  const pareto = candidate.passed && !others.some((e) => e.passed && dominates(e.metrics, candidate.metrics, metrics));
  const passing = others.filter((e) => e.passed);
  const counts = Object.fromEntries(BOARD_METRICS.map((k) => {
    let better = 0, equal = 0, worse = 0;
    for (const e of passing) {
      const c = compareMetric(e.metrics[k], candidate.metrics[k]);
      if (c < 0) better++; else if (c === 0) equal++; else worse++;
    }
    return [k, { better, equal, worse }];
  })) as Placement['metrics'];
  return { rank, of: others.length, tiedWith, pareto, metrics: counts };
}

// ---------------------------------------------------------------------------------------
// From found files to a board.

export function pickMetrics(m: Metrics): Record<BoardMetric, number> {
  return Object.fromEntries(BOARD_METRICS.map((k) => [k, m[k]])) as Record<BoardMetric, number>;
}

/** The verdict of a hook set on a level, by the one scoring rule. */
export function verdictOf(lv: BoardLevel, hooks: readonly Hook[]): Verdict {
  const v = scoreLevel(lv, hooks);
  return {
    passed: v.passed,
    failedSeeds: v.seeds.filter((s) => !s.passed).length,
    seeds: v.seeds.length,
    stars: v.stars,
    metrics: pickMetrics(v.metrics),
  };
}

/** Why a solution cannot be ranked on these levels, or null when it can. */
export function unfit(sol: BoardSolution, levels: ReadonlyMap<string, BoardLevel>): string | null {
  if (sol.level === 'sandbox') return 'a sandbox solution: no level to rank it on';
  const lv = levels.get(sol.level);
  if (!lv) return `level '${sol.level.slice(0, 70)}' is not in the campaign (renamed or removed?)`;
  const offered = new Set(lv.sites);
  const bad = sol.hooks.find((h) => !offered.has(h.site));
  return bad ? `level '${lv.id}' does not offer site '${bad.site}' (it offers ${lv.sites.join(', ')})` : null;
}

export interface BuildOptions {
  /** files already found invalid (listed with the board's own) */
  invalid?: readonly InvalidFile[];
  /** histogram bins (default 6) */
  bins?: number;
  /** verdicts kept across runs */
  cache?: VerdictCache;
  /** the round's window: entries submitted outside it are listed, not ranked */
  window?: RoundWindow;
}

/**
 * Verify every found solution against its level and rank them. Identical hook sets on
 * a level are scored once per run, and not at all when the cache has their verdict.
 * Text stays raw here (file content is untrusted: the printer sanitizes or escapes).
 */
export function buildBoard(found: readonly FoundSolution[], levels: readonly BoardLevel[], opts: BuildOptions = {}): Board {
  const byId = new Map(levels.map((l) => [l.id, l]));
  const memo = new Map<string, Verdict>();
  let cached = 0;
  const entries: BoardEntry[] = [];
  const bad: InvalidFile[] = [...(opts.invalid ?? [])];
  for (const f of found) {
    const sol = f.solution;
    const why = unfit(sol, byId);
    if (why) {
      bad.push({ file: f.file, reason: why });
      continue;
    }
    const lv = byId.get(sol.level)!;
    const hooks = hooksOf(sol.hooks);
    const hk = hookKey(hooks);
    const memoKey = `${lv.id}\u0000${hk}`;
    let v = memo.get(memoKey);
    if (!v) {
      const ck = opts.cache?.key(lv, hooks);
      v = ck !== undefined ? opts.cache!.get(ck) : undefined;
      if (v) cached++;
      else {
        v = verdictOf(lv, hooks);
        if (ck !== undefined) opts.cache!.set(ck, v);
      }
      memo.set(memoKey, v);
    }
    entries.push({
      file: f.file, ...identityOf(f), name: sol.name, ...(sol.via ? { via: sol.via } : {}), level: lv.id, hooks, hookKey: hk, ...v,
      ...(f.submitted !== undefined ? { submitted: f.submitted } : {}), ...(f.submittedFrom ? { submittedFrom: f.submittedFrom } : {}),
      ...(f.sealed ? { sealed: true } : {}),
    });
  }
  markLookalikes(entries);
  const info = new Map(levels.map((l) => [l.id, { ...(l.title !== undefined ? { title: l.title } : {}), ...(l.par ? { par: l.par } : {}) }]));
  return {
    levels: rankBoard(entries, levels.map((l) => l.id), opts.bins ?? 6, info, opts.window ?? {}),
    invalid: bad.sort((a, b) => cmpText(a.file, b.file)),
    solutions: entries.length,
    verified: memo.size,
    cached,
  };
}

/** What a hidden board shows instead of a solution name. */
export const HIDDEN_NAME = '(sealed)';

/**
 * The board without its answers: no hook set and no solution name anywhere (entries,
 * Pareto groups), and no file path that could carry a solution name (a file outside a
 * `sealed/` folder becomes `<player>/entry-<n>`). Ranks, verdicts and figures stay.
 */
export function hideAnswers(board: Board): Board {
  const files = new Map<string, string>();
  let n = 0;
  const fileOf = (f: string, e?: BoardEntry) => {
    let out = files.get(f);
    if (out === undefined) {
      out = e?.sealed && /[\\/]sealed[\\/][^\\/]+$/.test(f) ? f : `${e?.player ?? 'entry'}/entry-${++n}`;
      files.set(f, out);
    }
    return out;
  };
  const levels = board.levels.map((b) => {
    const entries = b.entries.map((e) => ({ ...e, name: HIDDEN_NAME, hooks: [], file: fileOf(e.file, e) }));
    return {
      ...b,
      entries,
      ties: b.ties.map((t) => ({ ...t, files: t.files.map((f) => fileOf(f)) })),
      pareto: b.pareto.map((f) => fileOf(f)),
      paretoGroups: b.paretoGroups.map((g) => ({ ...g, hooks: [], files: g.files.map((f) => fileOf(f)) })),
    };
  });
  return { ...board, levels, hidden: true };
}

// ---------------------------------------------------------------------------------------
// Rounds and standings.

/** A round's time window (ms since the epoch): entries submitted outside it are listed, not ranked. */
export interface RoundWindow {
  since?: number;
  until?: number;
}

/** Where an entry's submission time falls against a window: undefined inside it. */
export function outsideWindow(e: Pick<BoardEntry, 'submitted'>, w: RoundWindow): 'early' | 'late' | undefined {
  if (e.submitted === undefined) return undefined;
  if (w.since !== undefined && e.submitted < w.since) return 'early';
  if (w.until !== undefined && e.submitted > w.until) return 'late';
  return undefined;
}

/** One player's standing across the levels of a board. */
export interface Standing {
  player: string;
  /** 1 = first; players equal on solved, stars and rank sum share a place */
  place: number;
  /** levels with a passing, ranked entry */
  solved: number;
  /** the sum over levels of the player's best stars */
  stars: number;
  /** the sum over solved levels of the player's place on that level (lower is better) */
  rankSum: number;
  /** per level id: the player's place among players there, when solved */
  levels: Record<string, number>;
}

/**
 * Standings per player across levels: more levels solved, then more stars, then a lower
 * rank sum (the player's place among players on each solved level), then who reached their
 * result first (the latest of their best entries' submission times, earlier first).
 */
export function standings(levels: readonly LevelBoard[]): Standing[] {
  const by = new Map<string, Standing & { last: number }>();
  const get = (p: string) => {
    let s = by.get(p);
    if (!s) by.set(p, (s = { player: p, place: 0, solved: 0, stars: 0, rankSum: 0, levels: {}, last: 0 }));
    return s;
  };
  for (const b of levels) {
    // everyone with an entry is listed, also with late entries only
    for (const e of b.entries) get(e.player);
    const best = selectEntries({ entries: b.entries.filter((e) => !e.outside) }, { bestPerPlayer: true });
    let place = 0;
    best.forEach((e, i) => {
      if (i === 0 || e.rank !== best[i - 1]!.rank) place = i + 1;
      const s = get(e.player);
      s.stars += e.stars;
      if (!e.passed) return;
      s.solved++;
      s.rankSum += place;
      s.levels[b.level] = place;
      s.last = Math.max(s.last, e.submitted ?? 0);
    });
  }
  const cmp = (a: Standing & { last: number }, b: Standing & { last: number }) =>
    b.solved - a.solved || b.stars - a.stars || a.rankSum - b.rankSum;
  const list = [...by.values()].sort((a, b) => cmp(a, b) || a.last - b.last || cmpText(a.player, b.player));
  const out: Standing[] = [];
  list.forEach((s, i) => {
    const prev = list[i - 1];
    const { last, ...rest } = s;
    const same = prev !== undefined && cmp(prev, s) === 0 && prev.last === last;
    out.push({ ...rest, place: same ? out[i - 1]!.place : i + 1 });
  });
  return out;
}
