// `pvlab board <dir|files...> [--json]`: a workshop leaderboard per level.
import { loadCampaign } from '../io/files.js';
import {
  BOARD_METRICS, METRIC_LABELS, PARETO_METRICS, RANK_METRICS, histogramLines, loadBoard,
  type Board, type LevelBoard, type RankedEntry,
} from '../io/board.js';
import { InputError } from '../io/errors.js';
import { sanitizeLine, terminalSafeJson } from '../io/sanitize.js';
import type { Level } from '../io/schema.js';
import { fmtNum } from '../io/format.js';
import { hooksLine } from './format.js';

export interface BoardOptions {
  json?: boolean;
}

const COLS: readonly { key: (typeof BOARD_METRICS)[number]; head: string; w: number }[] = [
  { key: 'cost', head: 'cost', w: 9 },
  { key: 'exports', head: 'exports', w: 8 },
  { key: 'imports', head: 'imports', w: 8 },
  { key: 'wastedExports', head: 'wasted', w: 7 },
  { key: 'hooks', head: 'hooks', w: 5 },
  { key: 'guestStall', head: 'stall', w: 8 },
  { key: 'hostOverhead', head: 'overhead', w: 8 },
];

/** Cut a one-line text to `w` columns (marking the cut). */
function fit(s: string, w: number): string {
  const t = [...s];
  return (t.length > w ? t.slice(0, w - 1).join('') + '~' : s).padEnd(w);
}

function who(e: Pick<RankedEntry, 'player' | 'name'>): string {
  return `${e.player} '${e.name}'`;
}

function rankLabel(e: RankedEntry): string {
  return `${e.tied ? '=' : ''}${e.rank}`;
}

function levelLines(b: LevelBoard, lv: Level | undefined): string[] {
  const seeds = lv ? lv.seeds.visible.length + lv.seeds.hidden : b.entries[0]?.seeds ?? 0;
  const head = lv ? `${lv.id}: ${sanitizeLine(lv.title)}  (${lv.arch}, kernel ${lv.kernel}, ${lv.device}; ${seeds} seeds)` : b.level;
  const passing = b.entries.filter((e) => e.passed).length;
  const lines = [head, `${b.entries.length} solution${b.entries.length === 1 ? '' : 's'}, ${passing} passing`];
  lines.push(`  ${'rank'.padEnd(5)}${'player'.padEnd(14)}${'solution'.padEnd(18)}${'result'.padEnd(10)}` +
    COLS.map((c) => c.head.padStart(c.w)).join(' '));
  for (const e of b.entries) {
    const result = e.passed ? `pass ${'*'.repeat(e.stars)}${'.'.repeat(3 - e.stars)}` : `FAIL ${e.failedSeeds}/${e.seeds}`;
    lines.push(`  ${rankLabel(e).padEnd(5)}${fit(e.player, 13)} ${fit(e.name, 17)} ${result.padEnd(10)}` +
      COLS.map((c) => fmtNum(e.metrics[c.key]).padStart(c.w)).join(' ') + (e.pareto ? '  P' : ''));
  }
  lines.push(`  ranked by: passing first, fewer failing seeds, then ${RANK_METRICS.map((k) => METRIC_LABELS[k]).join(', ')} (lower is better)`);
  for (const t of b.ties) {
    const group = b.entries.filter((e) => t.files.includes(e.file));
    lines.push(`  tie at rank ${t.rank}: ${group.map(who).join(', ')} (equal on every ranking metric)`);
  }
  if (b.pareto.length) {
    lines.push(`  Pareto frontier (P) over ${PARETO_METRICS.map((k) => METRIC_LABELS[k]).join(', ')}:`);
    for (const e of b.entries.filter((x) => x.pareto)) lines.push(`    ${who(e)}: ${hooksLine(e.hooks)}`);
  } else {
    lines.push('  Pareto frontier: none (no solution passes every seed)');
  }
  if (b.histograms.length) {
    lines.push('  histograms over the passing solutions:');
    for (const h of b.histograms) {
      lines.push(`    ${METRIC_LABELS[h.metric]}`);
      for (const l of histogramLines(h.bins, fmtNum, 20)) lines.push(`      ${l}`);
    }
  }
  return lines;
}

export function boardText(board: Board, levels: readonly Level[]): string {
  const out: string[] = [];
  const nLevels = board.levels.length;
  out.push(`pvlab board: ${board.solutions} solution${board.solutions === 1 ? '' : 's'} on ${nLevels} level${nLevels === 1 ? '' : 's'}` +
    (board.invalid.length ? `, ${board.invalid.length} invalid file${board.invalid.length === 1 ? '' : 's'}` : ''));
  for (const b of board.levels) {
    out.push('', ...levelLines(b, levels.find((l) => l.id === b.level)));
  }
  if (board.invalid.length) {
    out.push('', 'invalid files (not ranked):');
    for (const f of board.invalid) out.push(`  ${sanitizeLine(f.file)}: ${sanitizeLine(f.reason)}`);
  }
  return out.join('\n') + '\n';
}

export function boardJson(board: Board): object {
  return {
    solutions: board.solutions,
    levels: board.levels.map((b) => ({
      level: b.level,
      entries: b.entries.map((e) => ({
        rank: e.rank, tied: e.tied, pareto: e.pareto, player: e.player, name: e.name, file: e.file,
        passed: e.passed, failedSeeds: e.failedSeeds, seeds: e.seeds, stars: e.stars, hooks: e.hooks, metrics: e.metrics,
      })),
      ties: b.ties,
      pareto: b.pareto,
      paretoMetrics: PARETO_METRICS,
      histograms: b.histograms,
    })),
    invalid: board.invalid.map((f) => ({ file: f.file, reason: f.reason })),
  };
}

export function boardCommand(paths: readonly string[], o: BoardOptions): number {
  if (!paths.length) throw new InputError('board needs a folder or solution files');
  const levels = loadCampaign().map((e) => e.level);
  const board = loadBoard(paths, levels);
  if (board.solutions === 0 && board.invalid.length === 0) {
    throw new InputError(`no solution files (*.json) in ${paths.map((p) => sanitizeLine(p)).join(', ')}`);
  }
  // file names and titles can hold anything: the JSON escapes what a terminal would act on
  if (o.json) process.stdout.write(terminalSafeJson(boardJson(board)) + '\n');
  else process.stdout.write(boardText(board, levels));
  return 0;
}
