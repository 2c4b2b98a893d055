// `pvlab analyze [level] [--json]`: every placement of a level's offered sites scored
// with the one rule (src/sim/analyze.ts), as a difficulty report. A progress bar on a
// terminal's stderr; the output itself carries no timings, so it is deterministic.
import { loadCampaign, resolveLevel, type CampaignEntry } from '../io/files.js';
import { terminalSafeJson } from '../io/sanitize.js';
import { analyzeLevel, placementCount, type LevelAnalysis } from '../sim/analyze.js';
import { fmtNum } from '../io/format.js';
import { hooksLine } from './format.js';

export interface AnalyzeCommandOptions {
  json?: boolean;
}

/** A one-line progress bar redrawn on stderr, at most every 100 ms; nothing unless stderr is a terminal. */
function progressBar(total: number): { tick: (label: string) => void; done: () => void } {
  const tty = !!process.stderr.isTTY;
  let n = 0;
  let last = 0;
  let drawn = false;
  return {
    tick(label) {
      n++;
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && n < total) return;
      last = now;
      const w = 30;
      const fill = Math.round((n / total) * w);
      process.stderr.write(`\r${'#'.repeat(fill)}${'.'.repeat(w - fill)} ${n}/${total} placements  ${label.slice(0, 28).padEnd(28)}`);
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}

/** The JSON form of one level's analysis (the documented shape; no extra keys). */
export function analysisJson(a: LevelAnalysis): Record<string, unknown> {
  return {
    id: a.id, placements: a.placements, passing: a.passing, meetingPar: a.meetingPar, best: a.best,
    pareto: a.pareto.map((p) => ({ hooks: p.hooks.map((h) => (h.when ? { site: h.site, when: h.when } : { site: h.site })), metrics: p.metrics })),
  };
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '-');

function analysisLines(a: LevelAnalysis): string[] {
  const lines = [
    `${a.id}: ${a.placements} placements, ${a.passing} pass (${pct(a.passing, a.placements)}), ` +
      `${a.meetingPar} meet every par (${pct(a.meetingPar, a.placements)})` +
      (a.incomplete ? `, ${a.incomplete} not decided (exhaustive search too large)` : ''),
  ];
  if (a.passing) {
    lines.push(`  best among passing: ${Object.entries(a.best).map(([k, v]) => `${k} ${fmtNum(v)}`).join(', ')}`);
    lines.push(`  Pareto-optimal (${a.pareto.length}):`);
    for (const p of a.pareto) {
      lines.push(`    ${hooksLine(p.hooks).padEnd(40)} ${Object.entries(p.metrics).map(([k, v]) => `${k} ${fmtNum(v)}`).join(' ')}`);
    }
  }
  return lines;
}

export function analyzeCommand(ref: string | undefined, o: AnalyzeCommandOptions): number {
  const entries: CampaignEntry[] = ref ? [resolveLevel(ref)] : loadCampaign();
  const bar = progressBar(entries.reduce((n, e) => n + placementCount(e.level.sites, e.level.kernel), 0));
  const results: LevelAnalysis[] = [];
  try {
    for (const { level } of entries) results.push(analyzeLevel(level, { onProgress: () => bar.tick(level.id) }));
  } finally {
    bar.done();
  }
  if (o.json) {
    process.stdout.write(terminalSafeJson({ levels: results.map(analysisJson) }) + '\n');
    return 0;
  }
  const lines = results.flatMap(analysisLines);
  if (results.length > 1) {
    const sum = (f: (a: LevelAnalysis) => number) => results.reduce((n, a) => n + f(a), 0);
    lines.push(`campaign: ${results.length} levels, ${sum((a) => a.placements)} placements, ${sum((a) => a.passing)} pass, ${sum((a) => a.meetingPar)} meet every par`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
