// The results screen's rows, as plain data: the reducer bounds the epilogue's scrolling
// with the same numbers the view draws (like the briefing, layout.ts). No React here.
import { sanitize, sanitizeLine } from '../io/sanitize.js';
import type { Level } from '../io/schema.js';
import { levelConfig, type LevelScore } from '../sim/score.js';
import { PAR_METRICS, type VerifyResult } from '../sim/verify.js';
import { missedBy, runEvidence, trueWarnings, type Trap } from '../sim/warnings.js';
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

/** A trap note as shown: on a pass, with the par metrics it explains that the run missed. */
export type ShownTrap = Trap & { over?: string[] };

const trapCache = new WeakMap<VerifyResult, ShownTrap[]>();

/**
 * The level's notes on traps the player's hooks fell into, only where this run shows what
 * the note says (src/sim/warnings.ts): the failing seed's run, or the first visible seed's.
 * One traced run per score, kept with the score (the view and the reducer both ask).
 */
export function trapsHit(lv: Level, res: Pick<ResultsRows, 'verify' | 'hooks'>): ShownTrap[] {
  const cached = trapCache.get(res.verify);
  if (cached) return cached;
  let hit: ShownTrap[] = [];
  const traps = lv.traps ?? [];
  if (traps.some((t) => res.hooks.some((h) => h.site === t.site))) {
    // an exhaustive counterexample is a run of the small machine, not of a seed
    const seed = (!res.verify.exhaustiveFailed && res.verify.counterexample?.seed) || lv.seeds.visible[0];
    hit = trueWarnings(traps, res.hooks, runEvidence(levelConfig(lv), res.hooks, seed),
      { claims: lv.claims, metrics: res.verify.metrics, par: lv.par });
    // a pass that missed par: a note is shown beside the metrics it explains that missed,
    // never beside metrics that met par only ("more guest stall" beside guestStall ok)
    if (res.verify.passed) {
      hit = hit.map((t) => ({ ...t, over: missedBy(t, lv.claims, res.verify.meetsPar) })).filter((t) => t.over.length);
    }
    hit = hit.slice(0, 2);
  }
  trapCache.set(res.verify, hit);
  return hit;
}

/** A trap note as lines of `width`: its head (`⚠ site[when]: `) starts the first line. */
export function trapLines(t: ShownTrap, width: number): { head: string; lines: string[] } {
  const head = `⚠ ${t.site}${t.when ? `[${t.when}]` : ''}${t.over?.length ? ` (over par: ${t.over.join(', ')})` : ''}: `;
  return { head, lines: wrapWords(head + sanitizeLine(t.reason), width - 1, '  ') };
}

/** The share code's lines (a code has no spaces: it is cut at the width, never elsewhere). */
export function shareLines(code: string, width: number): string[] {
  return wrapWords(`share code: ${code}`, width - 1);
}

/**
 * An epilogue tells the kernel's story of the level, and so its answer ("the kmap() hook
 * that wins here"): it shows once par is met, on this pass or an earlier one (the best
 * stars kept in the progress), or at once on a level without par.
 */
export function epilogueOpen(v: Pick<VerifyResult, 'passed' | 'par' | 'stars'>, bestStars: number): boolean {
  return v.passed && (!Object.keys(v.par).length || v.stars === 3 || bestStars === 3);
}

/** What stands in the epilogue's place until then. */
export const EPILOGUE_LATER = 'The story of this level, and how the kernel solved it, shows here once every par is met (★★★).';

/**
 * Whether the exhaustive search of the level's small machine ran, and what it found, for
 * a passing result (a failing one's heading says when the search found the failure); null
 * when no search ran (the level declares no small machine).
 */
export function searchLine(v: VerifyResult): string | null {
  const x = (v as LevelScore).exhaustive;
  if (!v.passed || !x) return null;
  const r = x.result;
  const machine = `${r.small.pages} pages, ${r.small.ops} ops a workload${r.small.touches ? `, ${r.small.touches} touches` : ''}`;
  return `✓ every interleaving of the small machine passes (${machine}; ${r.states.toLocaleString('en-US')} states)`;
}

/** searchLine wrapped at `width` (the layout counts these lines). */
export function searchLines(v: VerifyResult, width: number): string[] {
  const line = searchLine(v);
  return line ? wrapWords(line, width - 1, '  ') : [];
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
export function epilogueWindow(lv: Level, res: ResultsRows, width: number, height: number, saving: boolean, bestStars = 0): EpilogueWindow {
  const text = !res.verify.passed || !lv.epilogue ? '' : epilogueOpen(res.verify, bestStars) ? sanitize(lv.epilogue) : EPILOGUE_LATER;
  const lines = text ? wrapWords(text, width - 1) : [];
  if (!lines.length) return { lines, room: 0, max: 0 };
  const table = 1 + PAR_METRICS.length + ((res.verify as LevelScore).changes ? 1 : 0);
  const prompt = 1 + (saving || !res.exists ? 1 : 0) + (res.exists ? 1 : 0) + (res.shareCode ? shareLines(res.shareCode, width).length : 0);
  const hit = res.verify.stars < 3 ? trapsHit(lv, res) : [];
  const traps = hit.length ? 1 + hit.reduce((n, t) => n + trapLines(t, width).lines.length, 0) : 0;
  const used = 1 + searchLines(res.verify, width).length + table + prompt + traps + 2;
  const room = Math.max(2, height - used);
  return { lines, room, max: Math.max(0, lines.length - room) };
}
