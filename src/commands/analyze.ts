// `pvlab analyze [level] [--json]`: every placement of a level's offered sites scored
// with the one rule (src/sim/analyze.ts), as a difficulty report. A progress bar on a
// terminal's stderr; the output itself carries no timings, so it is deterministic.
import { InputError } from '../io/errors.js';
import { loadCampaign, resolveLevel, type CampaignEntry } from '../io/files.js';
import { terminalSafeJson } from '../io/sanitize.js';
import { estimatedEvents } from '../io/schema.js';
import {
  ANALYZE_MAX_EVENTS, ESTIMATED_EVENTS_PER_SECOND, aboutDuration, analyzeLevel, analyzeWork, placementCount, sampleIndices,
  type AnalyzeWork, type LevelAnalysis,
} from '../sim/analyze.js';
import { fmtNum } from '../io/format.js';
import { hooksLine } from './format.js';

export interface AnalyzeCommandOptions {
  json?: boolean;
  /** score this many placements per level, drawn with a fixed seed, instead of all */
  sample?: number;
  /** page events the command may spend (default ANALYZE_MAX_EVENTS) */
  maxWork?: number;
}

/**
 * A one-line progress bar redrawn on stderr, at most every 100 ms, with the time left
 * (from the time so far) once a second has passed; nothing unless stderr is a terminal.
 */
function progressBar(total: number): { tick: (label: string) => void; done: () => void } {
  const tty = !!process.stderr.isTTY;
  let n = 0;
  let last = 0;
  let drawn = false;
  const t0 = Date.now();
  return {
    tick(label) {
      n++;
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && n < total) return;
      last = now;
      const w = 30;
      const fill = Math.round((n / total) * w);
      const spent = (now - t0) / 1000;
      const left = spent >= 1 && n < total ? `about ${aboutDuration((spent / n) * (total - n))} left` : '';
      process.stderr.write(`\r${'#'.repeat(fill)}${'.'.repeat(w - fill)} ${n}/${total} placements  ${label.slice(0, 28).padEnd(28)} ${left.padEnd(18)}`);
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
    id: a.id, placements: a.placements, ...(a.sampled !== undefined ? { sampled: a.sampled } : {}), passing: a.passing, meetingPar: a.meetingPar, best: a.best,
    pareto: a.pareto.map((p) => ({ hooks: p.hooks.map((h) => (h.when ? { site: h.site, when: h.when } : { site: h.site })), metrics: p.metrics })),
  };
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '-');

function analysisLines(a: LevelAnalysis): string[] {
  const of = a.sampled ?? a.placements;
  const lines = [
    `${a.id}: ${a.sampled !== undefined ? `a sample of ${a.sampled} of ${a.placements} placements (fixed seed; the counts are of the sample)` : `${a.placements} placements`}, ` +
      `${a.passing} pass (${pct(a.passing, of)}), ${a.meetingPar} meet every par (${pct(a.meetingPar, of)})` +
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

/** The work of analysing one level: its placements (or the sample) times a verification each. */
export function levelWork(level: CampaignEntry['level'], sample?: number): AnalyzeWork {
  const perPlacement = estimatedEvents(level) * (level.seeds.visible.length + level.seeds.hidden);
  return analyzeWork(placementCount(level.sites, level.kernel), perPlacement, sample);
}

/**
 * Refuse before any run when the estimated work is past the limit, with the estimate
 * and the ways out (the same bound for one level and for the campaign).
 */
function checkWork(entries: readonly CampaignEntry[], o: AnalyzeCommandOptions): void {
  const limit = o.maxWork ?? ANALYZE_MAX_EVENTS;
  const works = entries.map((e) => ({ id: e.level.id, w: levelWork(e.level, o.sample) }));
  const total = works.reduce((n, x) => n + x.w.total, 0);
  if (total <= limit) return;
  const big = works.reduce((a, b) => (b.w.total > a.w.total ? b : a));
  const fits = Math.max(1, Math.floor(limit / Math.max(1, big.w.perPlacement) / works.length));
  const what = works.length === 1
    ? `level '${big.id}': ${big.w.scored} placement${big.w.scored === 1 ? '' : 's'} x about ${big.w.perPlacement.toExponential(1)} page events`
    : `${works.length} levels (the largest '${big.id}': ${big.w.scored} placements x about ${big.w.perPlacement.toExponential(1)} page events)`;
  throw new InputError(`analyze: too much work: ${what} = about ${total.toExponential(1)} (about ${aboutDuration(total / ESTIMATED_EVENTS_PER_SECOND)}; limit ${limit.toExponential(0)}); ` +
    `add --sample ${fits} to score ${fits} placement${fits === 1 ? '' : 's'} per level drawn with a fixed seed, or --max-work ${(total * 1.01).toExponential(1)} to run ${o.sample ? 'them' : 'all'}`);
}

export function analyzeCommand(ref: string | undefined, o: AnalyzeCommandOptions): number {
  const entries: CampaignEntry[] = ref ? [resolveLevel(ref)] : loadCampaign();
  checkWork(entries, o);
  const samples = entries.map((e) => (o.sample === undefined ? undefined : sampleIndices(placementCount(e.level.sites, e.level.kernel), o.sample)));
  const bar = progressBar(entries.reduce((n, e, i) => n + (samples[i]?.length ?? placementCount(e.level.sites, e.level.kernel)), 0));
  const results: LevelAnalysis[] = [];
  try {
    entries.forEach(({ level }, i) => {
      const sample = samples[i];
      results.push(analyzeLevel(level, { onProgress: () => bar.tick(level.id), ...(sample ? { sample } : {}) }));
    });
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
