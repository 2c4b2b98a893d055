// `pvlab board <dir|files...>`: a workshop leaderboard per level, as text that fits the
// terminal, CSV, Markdown or JSON; `--watch` re-renders when the folders change.
// Ranking, Pareto groups, summaries and trust marks come from src/workshop/rank.ts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { customLevelDirs, levelCatalog } from '../io/levels.js';
import { parseGeneratedId } from '../sim/generate/index.js';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { loadBoardParallel, watchFolders, type CollectOptions } from '../io/leaderboard.js';
import { readBoundedFile } from '../io/files.js';
import { keyId, openSealed, parseEnvelope, privateKeyOf } from '../io/sealed.js';
import { findWorkshop, parseDeadline, readRound, readWorkshop, trainerKey } from '../io/workshop.js';
import { InputError } from '../io/errors.js';
import { wrapWords } from '../text/wrap.js';
import { sanitizeLine, terminalSafeJson, visible } from '../io/sanitize.js';
import type { Level } from '../io/schema.js';
import { openVerdictCache } from '../io/verdict-cache.js';
import {
  BOARD_METRICS, METRIC_LABELS, RANK_RULE, histogramLines, selectEntries,
  type Board, type BoardMetric, type LevelBoard, type RankedEntry, type SelectOptions,
  BOARD_COLUMNS, hideAnswers, standings, type Standing,
} from '../workshop/rank.js';
import { fmtNum } from '../io/format.js';
import { hooksLine } from './format.js';

export const BOARD_FORMATS = ['text', 'csv', 'markdown', 'json'] as const;
export type BoardFormat = (typeof BOARD_FORMATS)[number];

export interface BoardOptions {
  json?: boolean;
  format?: string;
  level?: string[];
  top?: string;
  bestPerPlayer?: boolean;
  watch?: boolean;
  /** output width in columns (default: the terminal's, else 100) */
  width?: number;
  /** the trainer's private key file (default: the one `workshop init` kept for the workshop) */
  key?: string;
  /** show hook sets and solution names of a sealed workshop */
  reveal?: boolean;
  /** the round's window: entries submitted before `since` or after `until` are listed, not ranked */
  since?: string;
  until?: string;
  /** only the standings (per player across levels), in the chosen format */
  standingsOnly?: boolean;
  /** with --watch: `git pull --ff-only` on the folders every this many seconds (true: 30) */
  pull?: string | boolean;
}

/** What a board prints beside the levels: the round and the standings. */
export interface RoundView {
  round?: { levels: string[]; since?: number; until?: number };
  standings: Standing[];
}

/** The version of this pvlab (part of the JSON output and of the verdict cache key). */
export function pvlabVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

const COLS = BOARD_COLUMNS;

/** Cut a one-line text to `w` columns (marking the cut with '~'), padded to `w`. */
function fit(s: string, w: number): string {
  const t = [...s];
  return (t.length > w ? t.slice(0, Math.max(0, w - 1)).join('') + '~' : s).padEnd(w);
}

/** A path relative to the current folder when it is inside it (shorter on screen). */
function shortPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

/** Marks a line of levelLines/boardText as prose: wrapped, not cut. */
const PROSE = '\u0000';

/** Cut a line to the width (no padding). */
function clip(s: string, w: number): string {
  const t = [...s];
  return t.length > w ? t.slice(0, Math.max(1, w - 1)).join('') + '~' : s;
}

/** A name as printable text that shows what it is made of: controls and non-ASCII as \u escapes. */
function spelled(s: string): string {
  return [...visible(s, 80)].map((c) => (/^[\x20-\x7e]$/.test(c) ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`)).join('');
}

/** Wrap prose to the width; continuation lines indented 4 more (never a stray leading space); a word too long is clipped. */
function wrap(s: string, w: number): string[] {
  const lead = /^ */.exec(s)![0];
  const words = s.slice(lead.length).split(/ +/).filter(Boolean).join(' ');
  return wrapWords(lead + words, w, `${lead}    `, { long: 'keep' }).map((l) => clip(l, w));
}

/** `1`, `=2`, or `late`/`early` for an entry outside the round's window (listed, not ranked). */
function rankText(e: RankedEntry): string {
  return e.outside ?? `${e.tied ? '=' : ''}${e.rank}`;
}

function when(t: number): string {
  return new Date(t).toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace('T', ' ');
}

/** The round in one line: its levels and window. */
export function roundLine(r: NonNullable<RoundView['round']>): string {
  return `round: ${r.levels.length ? r.levels.join(', ') : 'every level'}` + (r.since !== undefined ? `; from ${when(r.since)}` : '') +
    (r.until !== undefined ? `; until ${when(r.until)} (entries after it are listed, not ranked)` : '');
}

/** The standings as aligned text lines (place, player, solved, stars, rank sum). */
export function standingsLines(st: readonly Standing[], width: number): string[] {
  const pw = Math.max(6, Math.min(24, width - 40, Math.max(...st.map((s) => [...sanitizeLine(s.player)].length))));
  const lines = [`  ${'place'.padEnd(6)}${fit('player', pw)} ${'solved'.padStart(6)} ${'stars'.padStart(6)} ${'rank sum'.padStart(9)}`];
  st.forEach((s, i) => {
    const same = i > 0 && st[i - 1]!.place === s.place;
    lines.push(`  ${`${same ? '=' : ''}${s.place}`.padEnd(6)}${fit(sanitizeLine(s.player), pw)} ${String(s.solved).padStart(6)} ${String(s.stars).padStart(6)} ${String(s.rankSum).padStart(9)}`);
  });
  return lines;
}

function marks(e: RankedEntry): string {
  return `${e.authorDiffers ? 'A' : ' '}${e.lookalike ? 'L' : ' '}`;
}

function resultText(e: RankedEntry): string {
  return e.passed ? `pass ${'*'.repeat(e.stars)}${'.'.repeat(3 - e.stars)}` : `FAIL ${e.failedSeeds}/${e.seeds}`;
}

function who(e: Pick<RankedEntry, 'player' | 'name'>): string {
  return `${sanitizeLine(e.player)} '${sanitizeLine(e.name)}'`;
}

/** The level's par in its stated order: "cost 11763.2, hooks 1". */
export function parText(par: LevelBoard['par']): string {
  return Object.entries(par ?? {}).filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${METRIC_LABELS[k as BoardMetric] ?? k} ${fmtNum(v!)}`).join(', ');
}

/** A hook set as shown: the hooks, or on a hidden board only which approach it is. */
function setLabel(hooks: RankedEntry['hooks'], i: number, hidden: boolean | undefined): string {
  return hidden ? `approach ${i + 1}` : hooksLine(hooks);
}

/** A metric cell: a failing row's figures are not comparable (the run broke), so they show as '-'. */
function cell(e: RankedEntry, k: BoardMetric): string {
  return e.passed ? fmtNum(e.metrics[k]) : '-';
}

function levelHead(b: LevelBoard, lv: Level | undefined): string {
  const seeds = lv ? lv.seeds.visible.length + lv.seeds.hidden : b.entries[0]?.seeds ?? 0;
  const p = parText(b.par);
  const par = p ? `; par ${p}` : '';
  return lv ? `${lv.id}: ${sanitizeLine(lv.title)} (${lv.arch}, kernel ${lv.kernel}, ${lv.device}; ${seeds} seeds${par})` : b.level;
}

function summaryLine(b: LevelBoard): string {
  const s = b.summary;
  return `${s.solutions} solution${s.solutions === 1 ? '' : 's'} by ${s.players} player${s.players === 1 ? '' : 's'}; ` +
    `${s.passing} passing, solved by ${s.solvedBy}; ${s.approaches} distinct approach${s.approaches === 1 ? '' : 'es'} (${s.passingApproaches} passing)`;
}

function levelLines(b: LevelBoard, lv: Level | undefined, sel: SelectOptions, width: number, hidden = false): string[] {
  const rows = selectEntries(b, sel);
  const lines = [PROSE + levelHead(b, lv), PROSE + summaryLine(b), `${PROSE}ranked by: stars, then ${b.metrics.map((k) => METRIC_LABELS[k]).join(', ')}, then submission time`];
  // columns: rank, marks, player, solution, result, then as many metrics as fit
  const fixed = 2 + 5 + 3 + 11;
  let metricCols = COLS.length;
  const room = (n: number) => width - fixed - COLS.slice(0, n).reduce((a, c) => a + c.w + 1, 0) - 3;
  while (metricCols > 1 && room(metricCols) < 34) metricCols--;
  const cols = COLS.slice(0, metricCols);
  const left = Math.max(16, room(metricCols));
  const pw = Math.max(8, Math.min(20, Math.floor(left * 0.45)));
  const nw = Math.max(8, left - pw - 1);
  lines.push(`  ${'rank'.padEnd(5)}   ${fit('player', pw)} ${fit('solution', nw)} ${'result'.padEnd(10)}` + cols.map((c) => c.head.padStart(c.w)).join(' '));
  for (const e of rows) {
    const rank = rankText(e);
    lines.push(`  ${rank.padEnd(5)}${marks(e)} ${fit(sanitizeLine(e.player), pw)} ${fit(sanitizeLine(e.name) + (e.via ? ` (via ${sanitizeLine(e.via)})` : ''), nw)} ${resultText(e).padEnd(10)}` +
      cols.map((c) => cell(e, c.key).padStart(c.w)).join(' ') + (e.pareto ? ' P' : ''));
  }
  if (rows.length < b.entries.length) lines.push(`  … ${b.entries.length - rows.length} more row${b.entries.length - rows.length === 1 ? '' : 's'} (--top, --best-per-player)`);
  const shown = new Set(rows.map((e) => e.file));
  for (const t of b.ties) {
    if (!t.files.some((f) => shown.has(f))) continue;
    const inGroup = new Set(t.files);
    const group = b.entries.filter((e) => inGroup.has(e.file));
    const names = group.slice(0, 6).map(who).join(', ') + (group.length > 6 ? ` and ${group.length - 6} more` : '');
    lines.push(t.byTime
      ? `${PROSE}  equal on merit from rank ${t.rank}: ${names} (ordered by submission time, earlier first)`
      : `${PROSE}  tie at rank ${t.rank}: ${names} (equal on every ranking key)`);
  }
  if (b.paretoGroups.length) {
    lines.push(`${PROSE}  Pareto frontier (P) over ${b.metrics.map((k) => METRIC_LABELS[k]).join(', ')}, by distinct hook set:`);
    for (const [i, g] of b.paretoGroups.entries()) {
      const players = g.players.slice(0, 4).map((p) => sanitizeLine(p)).join(', ') + (g.players.length > 4 ? ` +${g.players.length - 4}` : '');
      const figures = b.metrics.slice(0, 3).map((k) => `${METRIC_LABELS[k]} ${fmtNum(g.metrics[k])}`).join(', ');
      lines.push(`${PROSE}    ${setLabel(g.hooks, i, hidden)} ${figures}: ${g.files.length} file${g.files.length === 1 ? '' : 's'} (${players})`);
    }
  } else {
    lines.push('  Pareto frontier: none (no solution passes every seed)');
  }
  const trust = rows.filter((e) => e.authorDiffers || e.lookalike);
  for (const e of trust.slice(0, 20)) {
    const why = [
      e.authorDiffers ? `author field says '${spelled(e.author ?? '')}', not the folder` : '',
      e.lookalike ? `name '${spelled(e.author && e.authorDiffers ? e.author : e.player)}' looks like another player's` : '',
    ].filter(Boolean).join('; ');
    lines.push(`${PROSE}  ${marks(e).trim()} ${sanitizeLine(e.player)}/${sanitizeLine(e.file.split(/[\\/]/).pop() ?? '')}: ${why}`);
  }
  if (trust.length > 20) lines.push(`  … ${trust.length - 20} more marked rows`);
  if (b.histograms.length) {
    lines.push('  histograms over the passing solutions:');
    for (const h of b.histograms) {
      lines.push(`    ${METRIC_LABELS[h.metric]}`);
      for (const l of histogramLines(h.bins, fmtNum, Math.max(8, Math.min(20, width - 40)))) lines.push(`      ${l}`);
    }
  }
  return lines;
}

export function boardText(board: Board, levels: readonly Level[], sel: SelectOptions = {}, width = 100, folders: readonly string[] = [], view?: RoundView): string {
  const out: string[] = [];
  const nLevels = board.levels.length;
  // the solutions on the levels shown (--level, a round), not every file read
  const n = board.levels.reduce((a, b) => a + b.entries.length, 0);
  out.push(`${PROSE}pvlab board: ${n} solution${n === 1 ? '' : 's'} on ${nLevels} level${nLevels === 1 ? '' : 's'}` +
    (board.invalid.length ? `, ${board.invalid.length} invalid file${board.invalid.length === 1 ? '' : 's'}` : '') +
    (folders.length ? ` in ${folders.map((f) => sanitizeLine(f)).join(', ')}` : ''));
  out.push(`${PROSE}ranked by: ${RANK_RULE}`);
  out.push(PROSE + 'player = the folder the file is in; A = its author field names someone else; L = looks like another name (Unicode confusables); P = Pareto front');
  const byId = new Map(levels.map((l) => [l.id, l]));
  if (board.hidden) out.push(`${PROSE}sealed: hook sets and solution names stay hidden until the trainer reveals them (pvlab workshop reveal)`);
  if (view?.round) out.push(PROSE + roundLine(view.round));
  for (const b of board.levels) out.push('', ...levelLines(b, byId.get(b.level), sel, width, board.hidden));
  if (view && view.standings.length) out.push('', `${PROSE}standings (levels solved, stars, rank sum over ${board.levels.length} level${board.levels.length === 1 ? '' : 's'}):`, ...standingsLines(view.standings, width));
  if (board.invalid.length) {
    out.push('', 'invalid files (not ranked):');
    for (const f of board.invalid) out.push(`${PROSE}  ${sanitizeLine(shortPath(f.file))}: ${sanitizeLine(f.reason)}`);
  }
  // table rows are cut (columns stay aligned); prose is wrapped
  return out.flatMap((l) => (l.startsWith(PROSE) ? wrap(l.slice(PROSE.length), width) : [clip(l, width)])).join('\n') + '\n';
}

/** The JSON document: raw text (escaped, never removed), player folders, level title and par, the version. */
export function boardJson(board: Board, sel: SelectOptions = {}, version = pvlabVersion(), view?: RoundView): object {
  return {
    ...(view ? roundJson(view) : {}),
    pvlab: version,
    rankRule: RANK_RULE,
    hidden: !!board.hidden,
    solutions: board.solutions,
    levels: board.levels.map((b) => ({
      level: b.level,
      title: b.title ?? null,
      par: b.par ?? {},
      summary: b.summary,
      entries: selectEntries(b, sel).map((e) => ({
        rank: e.rank, tied: e.tied, pareto: e.pareto, outside: e.outside ?? null, player: e.player, folder: e.folder ?? null, author: e.author ?? null,
        authorDiffers: !!e.authorDiffers, lookalike: !!e.lookalike, name: e.name, via: e.via ?? null, file: e.file,
        passed: e.passed, failedSeeds: e.failedSeeds, seeds: e.seeds, stars: e.stars, hooks: board.hidden ? null : e.hooks, metrics: e.metrics,
        submitted: e.submitted !== undefined ? new Date(e.submitted).toISOString() : null, submittedFrom: e.submittedFrom ?? null,
      })),
      ties: b.ties,
      pareto: b.pareto,
      paretoGroups: b.paretoGroups.map((g) => (board.hidden ? { ...g, hooks: null } : g)),
      rankMetrics: b.metrics,
      paretoMetrics: b.metrics,
      histograms: b.histograms,
    })),
    invalid: board.invalid.map((f) => ({ file: f.file, reason: f.reason })),
  };
}

/** The round and standings as JSON fields. */
function roundJson(view: RoundView): { round: object | null; standings: Standing[] } {
  const r = view.round;
  return { round: r ? { levels: r.levels, since: isoOrNull(r.since), until: isoOrNull(r.until) } : null, standings: view.standings };
}

function isoOrNull(t: number | undefined): string | null {
  return t === undefined ? null : new Date(t).toISOString();
}

/** The standings as CSV: place, player, solved, stars, rank_sum, then the player's place per level. */
export function standingsCsv(st: readonly Standing[], levelIds: readonly string[]): string {
  const head = ['place', 'player', 'solved', 'stars', 'rank_sum', ...levelIds.map((id) => `place:${id}`)];
  return [head, ...st.map((s) => [s.place, s.player, s.solved, s.stars, s.rankSum, ...levelIds.map((id) => s.levels[id] ?? '')])]
    .map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A CSV cell: quoted, printable, and never read as a formula by a spreadsheet. */
function csvCell(v: unknown): string {
  let s = typeof v === 'string' ? sanitizeLine(v) : v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Every board metric, the failure metrics included (why a failing run fails). */
const CSV_METRICS: readonly BoardMetric[] = BOARD_METRICS;

export function boardCsv(board: Board, sel: SelectOptions = {}): string {
  // the metric `hooks` (how many) is a column of its own; the hook set is `hook_set`
  const head = ['level', 'rank', 'tied', 'player', 'author', 'author_differs', 'lookalike', 'solution', 'file', 'submitted', 'passed', 'failed_seeds', 'seeds', 'stars', ...CSV_METRICS, 'pareto', 'hook_set'];
  const lines = [head.map(csvCell).join(',')];
  for (const b of board.levels) {
    for (const e of selectEntries(b, sel)) {
      lines.push([b.level, e.rank, e.tied, e.player, e.author ?? '', !!e.authorDiffers, !!e.lookalike, e.name, e.file,
        e.submitted !== undefined ? new Date(e.submitted).toISOString() : '', e.passed,
        e.failedSeeds, e.seeds, e.stars, ...CSV_METRICS.map((k) => e.metrics[k]), e.pareto, board.hidden ? '' : hooksLine(e.hooks)].map(csvCell).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/** Markdown-safe one-line text: printable, table pipes and markup escaped. */
function md(s: string): string {
  return sanitizeLine(s).replace(/([\\`*_[\]|<>#])/g, '\\$1');
}

export function boardMarkdown(board: Board, levels: readonly Level[], sel: SelectOptions = {}, view?: RoundView): string {
  const byId = new Map(levels.map((l) => [l.id, l]));
  const out: string[] = [`# Workshop board`, '', `${board.solutions} solutions; ranked by: ${md(RANK_RULE)}.`, '',
    'Player = the folder the file is in; **A** = its author field names someone else; **L** = looks like another name; **P** = Pareto front.'];
  for (const b of board.levels) {
    out.push('', `## ${md(levelHead(b, byId.get(b.level)))}`, '', md(summaryLine(b)), '',
      '| rank | player | marks | solution | result | cost | hooks | wasted | stall | P |', '|---:|---|---|---|---|---:|---:|---:|---:|---|');
    for (const e of selectEntries(b, sel)) {
      out.push(`| ${rankText(e)} | ${md(e.player)} | ${marks(e).trim()} | ${md(e.name)} | ${resultText(e).replace(/\*/g, '\\*')} | ` +
        `${cell(e, 'cost')} | ${cell(e, 'hooks')} | ${cell(e, 'wastedExports')} | ${cell(e, 'guestStall')} | ${e.pareto ? 'P' : ''} |`);
    }
    if (b.paretoGroups.length) {
      out.push('', 'Pareto front by distinct hook set:', '');
      for (const [i, g] of b.paretoGroups.entries()) out.push(`- \`${setLabel(g.hooks, i, board.hidden)}\`: ${b.metrics.slice(0, 3).map((k) => `${METRIC_LABELS[k]} ${fmtNum(g.metrics[k])}`).join(', ')}, ${g.files.length} file(s) by ${g.players.map(md).join(', ')}`);
    }
  }
  if (view && view.standings.length) {
    out.push('', '## Standings', '', ...(view.round ? [md(roundLine(view.round)), ''] : []), '| place | player | solved | stars | rank sum |', '|---:|---|---:|---:|---:|');
    for (const st of view.standings) out.push(`| ${st.place} | ${md(st.player)} | ${st.solved} | ${st.stars} | ${st.rankSum} |`);
  }
  if (board.invalid.length) {
    out.push('', '## Invalid files', '');
    for (const f of board.invalid) out.push(`- ${md(f.file)}: ${md(f.reason)}`);
  }
  return out.join('\n') + '\n';
}

function parseOptions(o: BoardOptions): { format: BoardFormat; sel: SelectOptions; levelIds: string[] } {
  const format = (o.json ? 'json' : o.format ?? 'text') as BoardFormat;
  if (!BOARD_FORMATS.includes(format)) throw new InputError(`--format: '${sanitizeLine(String(o.format)).slice(0, 20)}' is not one of ${BOARD_FORMATS.join(', ')}`);
  const sel: SelectOptions = {};
  if (o.top !== undefined) {
    if (!/^\d{1,6}$/.test(o.top) || Number(o.top) < 1) throw new InputError('--top: give a whole number of rows, 1 or more');
    sel.top = Number(o.top);
  }
  if (o.bestPerPlayer) sel.bestPerPlayer = true;
  const levelIds = (o.level ?? []).flatMap((l) => l.split(',')).map((l) => l.trim()).filter(Boolean);
  return { format, sel, levelIds };
}

/**
 * How the board opens sealed entries: the workshop folders the paths are in, and the
 * trainer's key for each (`--key`, else the key `workshop init` kept). A key that is not
 * the workshop's is an InputError (exit 2).
 */
export function sealedAccess(paths: readonly string[], keyFile?: string): { open?: CollectOptions['open']; sealedWorkshop: boolean } {
  const workshops = [...new Set(paths.map((p) => findWorkshop(p)).filter((d): d is string => d !== null))].map(readWorkshop);
  if (keyFile && workshops.length > 1) throw new InputError('--key: the paths are in more than one workshop; give one workshop at a time');
  const keys = new Map<string, KeyObject>();
  for (const w of workshops) {
    const k = trainerKey(w, keyFile);
    if (k) keys.set(w.id, k);
  }
  if (keyFile && !workshops.length) {
    const k = privateKeyOf(readBoundedFile(keyFile, 16 * 1024).toString('utf8'), keyFile);
    keys.set(keyId(createPublicKey(k)), k);
  }
  if (!keys.size) return { sealedWorkshop: workshops.length > 0 };
  const open: CollectOptions['open'] = (value, file) => {
    const id = parseEnvelope(value, file).workshop;
    const key = keys.get(id) ?? [...keys.values()][0]!;
    return openSealed(value, key, file);
  };
  return { open, sealedWorkshop: workshops.length > 0 };
}

/** `pvlab board .` or `board players/*` ranks everyone as one player: say so. */
function warnOnePlayer(board: Board): void {
  const players = new Set(board.levels.flatMap((b) => b.entries.map((e) => e.player)));
  if (board.solutions > 1 && players.size === 1) {
    const [p] = players;
    process.stderr.write(`pvlab: warning: all ${board.solutions} entries belong to one player ('${sanitizeLine(p!)}'): ` +
      "give the folder that holds the players' folders (pvlab board players), or the workshop folder\n");
  }
}

/** The round: --since/--until and the levels given, over the workshop's round.json. */
function roundOf(paths: readonly string[], o: BoardOptions, levelIds: string[]): RoundView['round'] {
  const ws = paths.map((p) => findWorkshop(p)).find((d): d is string => d !== null);
  const file = ws ? readRound(ws) : null;
  const since = o.since !== undefined ? parseDeadline(o.since, '--since') : file?.since;
  const until = o.until !== undefined ? parseDeadline(o.until, '--until') : file?.until;
  const levels = levelIds.length ? levelIds : file?.levels ?? [];
  if (since !== undefined && until !== undefined && since > until) throw new InputError('--since is after --until: the round would be empty');
  if (!file && since === undefined && until === undefined) return undefined;
  return { levels, ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
}

async function render(paths: readonly string[], o: BoardOptions, custom: readonly string[]): Promise<string> {
  const { format, sel, levelIds: given } = parseOptions(o);
  const round = roundOf(paths, o, given);
  const levelIds = round?.levels ?? given;
  // the campaign and the workshop's own levels beside it
  const all = levelCatalog(custom).map((e) => e.level);
  for (const id of levelIds) {
    if (!all.some((l) => l.id === id) && !parseGeneratedId(id)) throw new InputError(`--level: unknown level '${sanitizeLine(id).slice(0, 70)}'; see 'pvlab levels'`);
  }
  const version = pvlabVersion();
  const cache = openVerdictCache(version);
  const { open, sealedWorkshop } = sealedAccess(paths, o.key);
  const window = { ...(round?.since !== undefined ? { since: round.since } : {}), ...(round?.until !== undefined ? { until: round.until } : {}) };
  const full = await loadBoardParallel(paths, all, { ...(cache ? { cache } : {}), ...(open ? { open } : {}), window });
  cache?.save();
  if (full.solutions === 0 && full.invalid.length === 0) {
    throw new InputError(`no solution files (*.json) in ${paths.map((p) => sanitizeLine(p)).join(', ')}`);
  }
  warnOnePlayer(full);
  const hide = !o.reveal && (sealedWorkshop || full.levels.some((b) => b.entries.some((e) => e.sealed)));
  const shown: Board = levelIds.length ? { ...full, levels: full.levels.filter((b) => levelIds.includes(b.level)) } : full;
  const board = hide ? hideAnswers(shown) : shown;
  const view: RoundView = { ...(round ? { round } : {}), standings: standings(board.levels) };
  const width = Math.max(60, o.width ?? (process.stdout.columns || Number(process.env.COLUMNS) || 100));
  if (o.standingsOnly) {
    switch (format) {
      case 'json': return terminalSafeJson({ pvlab: version, ...roundJson(view) }) + '\n';
      case 'csv': return standingsCsv(view.standings, board.levels.map((b) => b.level));
      case 'markdown': return boardMarkdown({ ...board, levels: [] }, all, sel, view);
      default: return [...(view.round ? [roundLine(view.round)] : []), ...standingsLines(view.standings, width)].join('\n') + '\n';
    }
  }
  switch (format) {
    // file names and titles can hold anything: the JSON escapes what a terminal would act on
    case 'json': return terminalSafeJson(boardJson(board, sel, version, view)) + '\n';
    case 'csv': return boardCsv(board, sel);
    case 'markdown': return boardMarkdown(board, all, sel, view);
    default: return boardText(board, all, sel, width, paths, view);
  }
}

/**
 * A board redrawn on a terminal of `rows` lines: the first `rows - 1` lines, and one that
 * says how many more there are (the status line goes to stderr below it).
 */
export function fitRows(text: string, rows: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const room = Math.max(3, rows - 2);
  if (lines.length <= room + 1) return text;
  return [...lines.slice(0, room), `… ${lines.length - room} more lines: a taller terminal, --level, --top or --best-per-player`].join('\n') + '\n';
}

/** Parse --pull's interval (seconds; default 30). */
function pullSeconds(v: string | boolean | undefined): number | null {
  if (v === undefined || v === false) return null;
  if (v === true) return 30;
  if (!/^\d{1,5}$/.test(v) || Number(v) < 5) throw new InputError('--pull: give the interval in whole seconds, 5 or more');
  return Number(v);
}

/** `git pull --ff-only` in each folder's repository; a failure is one line on stderr. */
function pullNow(paths: readonly string[]): void {
  for (const p of new Set(paths.map((x) => findWorkshop(x) ?? x))) {
    const r = spawnSync('git', ['pull', '--ff-only', '-q'], { cwd: p, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    if (r.status !== 0) {
      const why = sanitizeLine((r.stderr || (r.error ? r.error.message : '')).split('\n').find(Boolean) ?? `exit ${r.status}`);
      process.stderr.write(`pvlab: git pull in ${sanitizeLine(p)} failed: ${why.slice(0, 160)}\n`);
    }
  }
}

export async function boardCommand(paths: readonly string[], o: BoardOptions): Promise<number> {
  if (!paths.length) throw new InputError('board needs a folder or solution files');
  const pull = pullSeconds(o.pull);
  if (pull !== null && !o.watch) throw new InputError('--pull needs --watch');
  const custom = await customLevelDirs(paths, false);
  if (!o.watch) {
    process.stdout.write(await render(paths, o, custom));
    return 0;
  }
  const tty = !!process.stdout.isTTY;
  // a terminal: the alternate screen, redrawn in place and cut to its height (no scrollback
  // of old boards); a pipe or file: one board after the other
  if (tty) process.stdout.write('\x1b[?1049h');
  const show = (text: string) => {
    process.stdout.write(tty ? `\x1b[H\x1b[2J${fitRows(text, process.stdout.rows || 24)}` : `${text}\n`);
    process.stderr.write(`pvlab: watching ${paths.map((p) => sanitizeLine(p)).join(', ')}${pull ? `, pulling every ${pull} s` : ''} (ctrl+c to stop); updated ${new Date().toISOString().slice(11, 19)}\n`);
  };
  // watch first: a change made while the first board is computed is not missed
  const changed: (() => void)[] = [];
  const stop = watchFolders(paths, () => { for (const f of changed) f(); });
  const leave = () => { if (tty) process.stdout.write('\x1b[?1049l'); };
  try {
    show(await render(paths, o, custom));
  } catch (err) {
    stop();
    leave();
    throw err;
  }
  return await new Promise<number>((done) => {
    // one board at a time (scoring is asynchronous): a change meanwhile draws once more after it
    let busy = false;
    let again = false;
    const redraw = () => {
      if (busy) { again = true; return; }
      busy = true;
      render(paths, o, custom).then(show, (err: unknown) => {
        // a folder gone or broken meanwhile: say so and keep watching
        process.stderr.write(`pvlab: ${sanitizeLine(err instanceof Error ? err.message : String(err))}\n`);
      }).finally(() => {
        busy = false;
        if (again) { again = false; redraw(); }
      });
    };
    changed.push(redraw);
    const timer = pull ? setInterval(() => pullNow(paths), pull * 1000) : null;
    const onResize = () => redraw();
    if (tty) process.stdout.on('resize', onResize);
    const quit = () => {
      stop();
      if (timer) clearInterval(timer);
      if (tty) process.stdout.off('resize', onResize);
      leave();
      process.off('SIGINT', quit);
      process.off('SIGTERM', quit);
      done(0);
    };
    process.on('SIGINT', quit);
    process.on('SIGTERM', quit);
  });
}
