// `pvlab board <dir|files...>`: a workshop leaderboard per level, as text that fits the
// terminal, CSV, Markdown or JSON; `--watch` re-renders when the folders change.
// Ranking, Pareto groups, summaries and trust marks come from src/workshop/rank.ts.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { loadCampaign } from '../io/files.js';
import { parseGeneratedId } from '../sim/generate/index.js';
import { loadBoard, watchFolders } from '../io/board.js';
import { InputError } from '../io/errors.js';
import { sanitizeLine, terminalSafeJson, visible } from '../io/sanitize.js';
import type { Level } from '../io/schema.js';
import { openVerdictCache } from '../io/verdict-cache.js';
import {
  BOARD_METRICS, METRIC_LABELS, PARETO_METRICS, RANK_RULE, histogramLines, selectEntries,
  type Board, type BoardMetric, type LevelBoard, type RankedEntry, type SelectOptions,
  BOARD_COLUMNS,
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

/** Wrap prose to the width; continuation lines indented 4 more (never a stray leading space). */
function wrap(s: string, w: number): string[] {
  const lead = /^ */.exec(s)![0];
  const len = (t: string) => [...t].length;
  const out: string[] = [];
  let pad = lead;
  let cur = '';
  for (const word of s.slice(lead.length).split(/ +/).filter(Boolean)) {
    if (cur && len(pad) + len(cur) + 1 + len(word) > w) {
      out.push(pad + cur);
      pad = `${lead}    `;
      cur = word;
    } else {
      cur = cur ? `${cur} ${word}` : word;
    }
  }
  out.push(pad + cur);
  return out.map((l) => clip(l, w));
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

function levelHead(b: LevelBoard, lv: Level | undefined): string {
  const seeds = lv ? lv.seeds.visible.length + lv.seeds.hidden : b.entries[0]?.seeds ?? 0;
  const par = b.par?.cost !== undefined ? `; par cost ${fmtNum(b.par.cost)}` : '';
  return lv ? `${lv.id}: ${sanitizeLine(lv.title)} (${lv.arch}, kernel ${lv.kernel}, ${lv.device}; ${seeds} seeds${par})` : b.level;
}

function summaryLine(b: LevelBoard): string {
  const s = b.summary;
  return `${s.solutions} solution${s.solutions === 1 ? '' : 's'} by ${s.players} player${s.players === 1 ? '' : 's'}; ` +
    `${s.passing} passing, solved by ${s.solvedBy}; ${s.approaches} distinct approach${s.approaches === 1 ? '' : 'es'} (${s.passingApproaches} passing)`;
}

function levelLines(b: LevelBoard, lv: Level | undefined, sel: SelectOptions, width: number): string[] {
  const rows = selectEntries(b, sel);
  const lines = [PROSE + levelHead(b, lv), PROSE + summaryLine(b)];
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
    const rank = `${e.tied ? '=' : ''}${e.rank}`;
    lines.push(`  ${rank.padEnd(5)}${marks(e)} ${fit(sanitizeLine(e.player), pw)} ${fit(sanitizeLine(e.name), nw)} ${resultText(e).padEnd(10)}` +
      cols.map((c) => fmtNum(e.metrics[c.key]).padStart(c.w)).join(' ') + (e.pareto ? ' P' : ''));
  }
  if (rows.length < b.entries.length) lines.push(`  … ${b.entries.length - rows.length} more row${b.entries.length - rows.length === 1 ? '' : 's'} (--top, --best-per-player)`);
  const shown = new Set(rows.map((e) => e.file));
  for (const t of b.ties) {
    if (!t.files.some((f) => shown.has(f))) continue;
    const group = b.entries.filter((e) => e.rank === t.rank);
    const names = group.slice(0, 6).map(who).join(', ') + (group.length > 6 ? ` and ${group.length - 6} more` : '');
    lines.push(`${PROSE}  tie at rank ${t.rank}: ${names} (equal on every ranking metric)`);
  }
  if (b.paretoGroups.length) {
    lines.push(`${PROSE}  Pareto frontier (P) over ${PARETO_METRICS.map((k) => METRIC_LABELS[k]).join(', ')}, by distinct hook set:`);
    for (const g of b.paretoGroups) {
      const players = g.players.slice(0, 4).map((p) => sanitizeLine(p)).join(', ') + (g.players.length > 4 ? ` +${g.players.length - 4}` : '');
      lines.push(`${PROSE}    ${hooksLine(g.hooks)} cost ${fmtNum(g.metrics.cost)}: ${g.files.length} file${g.files.length === 1 ? '' : 's'} (${players})`);
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

export function boardText(board: Board, levels: readonly Level[], sel: SelectOptions = {}, width = 100, folders: readonly string[] = []): string {
  const out: string[] = [];
  const nLevels = board.levels.length;
  out.push(`${PROSE}pvlab board: ${board.solutions} solution${board.solutions === 1 ? '' : 's'} on ${nLevels} level${nLevels === 1 ? '' : 's'}` +
    (board.invalid.length ? `, ${board.invalid.length} invalid file${board.invalid.length === 1 ? '' : 's'}` : '') +
    (folders.length ? ` in ${folders.map((f) => sanitizeLine(f)).join(', ')}` : ''));
  out.push(`${PROSE}ranked by: ${RANK_RULE}`);
  out.push(PROSE + 'player = the folder the file is in; A = its author field names someone else; L = looks like another name (Unicode confusables); P = Pareto front');
  const byId = new Map(levels.map((l) => [l.id, l]));
  for (const b of board.levels) out.push('', ...levelLines(b, byId.get(b.level), sel, width));
  if (board.invalid.length) {
    out.push('', 'invalid files (not ranked):');
    for (const f of board.invalid) out.push(`${PROSE}  ${sanitizeLine(shortPath(f.file))}: ${sanitizeLine(f.reason)}`);
  }
  // table rows are cut (columns stay aligned); prose is wrapped
  return out.flatMap((l) => (l.startsWith(PROSE) ? wrap(l.slice(PROSE.length), width) : [clip(l, width)])).join('\n') + '\n';
}

/** The JSON document: raw text (escaped, never removed), player folders, level title and par, the version. */
export function boardJson(board: Board, sel: SelectOptions = {}, version = pvlabVersion()): object {
  return {
    pvlab: version,
    rankRule: RANK_RULE,
    solutions: board.solutions,
    levels: board.levels.map((b) => ({
      level: b.level,
      title: b.title ?? null,
      par: b.par ?? {},
      summary: b.summary,
      entries: selectEntries(b, sel).map((e) => ({
        rank: e.rank, tied: e.tied, pareto: e.pareto, player: e.player, folder: e.folder ?? null, author: e.author ?? null,
        authorDiffers: !!e.authorDiffers, lookalike: !!e.lookalike, name: e.name, file: e.file,
        passed: e.passed, failedSeeds: e.failedSeeds, seeds: e.seeds, stars: e.stars, hooks: e.hooks, metrics: e.metrics,
      })),
      ties: b.ties,
      pareto: b.pareto,
      paretoGroups: b.paretoGroups,
      paretoMetrics: PARETO_METRICS,
      histograms: b.histograms,
    })),
    invalid: board.invalid.map((f) => ({ file: f.file, reason: f.reason })),
  };
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
  const head = ['level', 'rank', 'tied', 'player', 'author', 'author_differs', 'lookalike', 'solution', 'file', 'passed', 'failed_seeds', 'seeds', 'stars', ...CSV_METRICS, 'pareto', 'hooks'];
  const lines = [head.map(csvCell).join(',')];
  for (const b of board.levels) {
    for (const e of selectEntries(b, sel)) {
      lines.push([b.level, e.rank, e.tied, e.player, e.author ?? '', !!e.authorDiffers, !!e.lookalike, e.name, e.file, e.passed,
        e.failedSeeds, e.seeds, e.stars, ...CSV_METRICS.map((k) => e.metrics[k]), e.pareto, hooksLine(e.hooks)].map(csvCell).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/** Markdown-safe one-line text: printable, table pipes and markup escaped. */
function md(s: string): string {
  return sanitizeLine(s).replace(/([\\`*_[\]|<>#])/g, '\\$1');
}

export function boardMarkdown(board: Board, levels: readonly Level[], sel: SelectOptions = {}): string {
  const byId = new Map(levels.map((l) => [l.id, l]));
  const out: string[] = [`# Workshop board`, '', `${board.solutions} solutions; ranked by: ${md(RANK_RULE)}.`, '',
    'Player = the folder the file is in; **A** = its author field names someone else; **L** = looks like another name; **P** = Pareto front.'];
  for (const b of board.levels) {
    out.push('', `## ${md(levelHead(b, byId.get(b.level)))}`, '', md(summaryLine(b)), '',
      '| rank | player | marks | solution | result | cost | hooks | wasted | stall | P |', '|---:|---|---|---|---|---:|---:|---:|---:|---|');
    for (const e of selectEntries(b, sel)) {
      out.push(`| ${e.tied ? '=' : ''}${e.rank} | ${md(e.player)} | ${marks(e).trim()} | ${md(e.name)} | ${resultText(e).replace(/\*/g, '\\*')} | ` +
        `${fmtNum(e.metrics.cost)} | ${fmtNum(e.metrics.hooks)} | ${fmtNum(e.metrics.wastedExports)} | ${fmtNum(e.metrics.guestStall)} | ${e.pareto ? 'P' : ''} |`);
    }
    if (b.paretoGroups.length) {
      out.push('', 'Pareto front by distinct hook set:', '');
      for (const g of b.paretoGroups) out.push(`- \`${hooksLine(g.hooks)}\`: cost ${fmtNum(g.metrics.cost)}, ${g.files.length} file(s) by ${g.players.map(md).join(', ')}`);
    }
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

function render(paths: readonly string[], o: BoardOptions): string {
  const { format, sel, levelIds } = parseOptions(o);
  const all = loadCampaign().map((e) => e.level);
  for (const id of levelIds) {
    if (!all.some((l) => l.id === id) && !parseGeneratedId(id)) throw new InputError(`--level: unknown level '${sanitizeLine(id).slice(0, 70)}'; see 'pvlab levels'`);
  }
  const version = pvlabVersion();
  const cache = openVerdictCache(version);
  const full = loadBoard(paths, all, cache ? { cache } : {});
  cache?.save();
  if (full.solutions === 0 && full.invalid.length === 0) {
    throw new InputError(`no solution files (*.json) in ${paths.map((p) => sanitizeLine(p)).join(', ')}`);
  }
  const board: Board = levelIds.length ? { ...full, levels: full.levels.filter((b) => levelIds.includes(b.level)) } : full;
  const width = Math.max(60, o.width ?? (process.stdout.columns || Number(process.env.COLUMNS) || 100));
  switch (format) {
    // file names and titles can hold anything: the JSON escapes what a terminal would act on
    case 'json': return terminalSafeJson(boardJson(board, sel, version)) + '\n';
    case 'csv': return boardCsv(board, sel);
    case 'markdown': return boardMarkdown(board, all, sel);
    default: return boardText(board, all, sel, width, paths);
  }
}

export async function boardCommand(paths: readonly string[], o: BoardOptions): Promise<number> {
  if (!paths.length) throw new InputError('board needs a folder or solution files');
  if (!o.watch) {
    process.stdout.write(render(paths, o));
    return 0;
  }
  const tty = !!process.stdout.isTTY;
  const show = (text: string) => {
    // a terminal: redraw in place; a pipe or file: one board after the other
    process.stdout.write(tty ? `\x1b[H\x1b[2J${text}` : `${text}\n`);
    process.stderr.write(`pvlab: watching ${paths.map((p) => sanitizeLine(p)).join(', ')} (ctrl+c to stop); updated ${new Date().toISOString().slice(11, 19)}\n`);
  };
  // watch first: a change made while the first board is computed is not missed
  const changed: (() => void)[] = [];
  const stop = watchFolders(paths, () => { for (const f of changed) f(); });
  try {
    show(render(paths, o));
  } catch (err) {
    stop();
    throw err;
  }
  return await new Promise<number>((done) => {
    changed.push(() => {
      try {
        show(render(paths, o));
      } catch (err) {
        // a folder gone or broken meanwhile: say so and keep watching
        process.stderr.write(`pvlab: ${sanitizeLine(err instanceof Error ? err.message : String(err))}\n`);
      }
    });
    const quit = () => {
      stop();
      process.off('SIGINT', quit);
      process.off('SIGTERM', quit);
      done(0);
    };
    process.on('SIGINT', quit);
    process.on('SIGTERM', quit);
  });
}
