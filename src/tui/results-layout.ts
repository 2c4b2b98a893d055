// The results screen's rows, as plain data: the reducer bounds the epilogue's scrolling
// with the same numbers the view draws (like the briefing, layout.ts). No React here.
import { sanitize, sanitizeLine } from '../io/sanitize.js';
import type { Level } from '../io/schema.js';
import { levelConfig, type LevelScore } from '../sim/score.js';
import { PAR_METRICS, type VerifyResult } from '../sim/verify.js';
import { runEvidence, trueWarnings, type Trap } from '../sim/warnings.js';
import type { Hook } from '../sim/types.js';
import { wrapWords } from './layout.js';

/** What of the results state the layout reads. */
export interface ResultsRows {
  verify: VerifyResult;
  hooks: readonly Hook[];
  shareCode: string | null;
  exists: string | null;
  savedAs: string | null;
}

const trapCache = new WeakMap<VerifyResult, Trap[]>();

/**
 * The level's notes on traps the player's hooks fell into, only where this run shows what
 * the note says (src/sim/warnings.ts): the failing seed's run, or the first visible seed's.
 * One traced run per score, kept with the score (the view and the reducer both ask).
 */
export function trapsHit(lv: Level, res: Pick<ResultsRows, 'verify' | 'hooks'>): Trap[] {
  const cached = trapCache.get(res.verify);
  if (cached) return cached;
  let hit: Trap[] = [];
  const traps = lv.traps ?? [];
  if (traps.some((t) => res.hooks.some((h) => h.site === t.site))) {
    // an exhaustive counterexample is a run of the small machine, not of a seed
    const seed = (!res.verify.exhaustiveFailed && res.verify.counterexample?.seed) || lv.seeds.visible[0];
    hit = trueWarnings(traps, res.hooks, runEvidence(levelConfig(lv), res.hooks, seed),
      { claims: lv.claims, metrics: res.verify.metrics, par: lv.par }).slice(0, 2);
  }
  trapCache.set(res.verify, hit);
  return hit;
}

/** A trap note as lines of `width`: its head (`⚠ site[when]: `) starts the first line. */
export function trapLines(t: Trap, width: number): { head: string; lines: string[] } {
  const head = `⚠ ${t.site}${t.when ? `[${t.when}]` : ''}: `;
  return { head, lines: wrapWords(head + sanitizeLine(t.reason), width - 1, '  ') };
}

/** The share code's lines (a code has no spaces: it is cut at the width, never elsewhere). */
export function shareLines(code: string, width: number): string[] {
  return wrapWords(`share code: ${code}`, width - 1);
}

export interface EpilogueWindow {
  /** the epilogue, wrapped */
  lines: string[];
  /** lines shown at once */
  room: number;
  /** the last scroll position: the epilogue's end fills the room */
  max: number;
}

/**
 * The epilogue of a passing result on a body of `width` x `height`: the rows above it are
 * the verdict, the metrics table, the save prompt (and its extras), the trap notes, the
 * epilogue's heading; what is left shows the epilogue (`saving`: a name is being typed).
 */
export function epilogueWindow(lv: Level, res: ResultsRows, width: number, height: number, saving: boolean): EpilogueWindow {
  const lines = res.verify.passed && lv.epilogue ? wrapWords(sanitize(lv.epilogue), width - 1) : [];
  if (!lines.length) return { lines, room: 0, max: 0 };
  const table = 1 + PAR_METRICS.length + ((res.verify as LevelScore).changes ? 1 : 0);
  const prompt = 1 + (saving || !res.exists ? 1 : 0) + (res.exists ? 1 : 0) + (res.shareCode ? shareLines(res.shareCode, width).length : 0);
  const hit = res.verify.stars < 3 ? trapsHit(lv, res) : [];
  const traps = hit.length ? 1 + hit.reduce((n, t) => n + trapLines(t, width).lines.length, 0) : 0;
  const used = 1 + table + prompt + traps + 2;
  const room = Math.max(2, height - used);
  return { lines, room, max: Math.max(0, lines.length - room) };
}
