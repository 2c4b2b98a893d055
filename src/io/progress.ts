// The rules of the progress record, pure: what a verification adds to a level's record,
// the better of two records (import), and the bounds on how many levels are stored.
// The store (settings.ts) applies them inside one locked read-modify-write.
import { PAR_METRICS, type ParMetric, type VerifyResult } from '../sim/verify.js';
import {
  MAX_LEVELS_STORED, MAX_UNKNOWN_LEVELS, emptyLevel, levelOf,
  type Best, type LevelProgress, type Progress, type ProgressFile,
} from './settings-schema.js';

export interface RecordOutcome {
  /** this result solved the level for the first time */
  firstSolve: boolean;
  /** the metrics whose best value this result improved */
  newBest: ParMetric[];
  level: LevelProgress;
}

/** Whether a level's record fits: it is stored already, or the store is below MAX_LEVELS_STORED. */
export function roomFor(p: Progress, levelId: string): boolean {
  return levelOf(p, levelId) !== undefined || Object.keys(p.levels).length < MAX_LEVELS_STORED;
}

/** A level record with nothing in it (every field at its default). */
export function isEmptyLevel(lp: LevelProgress): boolean {
  return !lp.solved && lp.stars === 0 && lp.hints === 0 && lp.attempts === 0 && Object.keys(lp.best).length === 0 &&
    lp.bestSolution === undefined && lp.solvedAt === undefined;
}

/**
 * Add one verification to the record of `levelId` (in place). Passing results count
 * toward solved, stars and the best value of each metric; every result is an attempt.
 */
export function recordInto(
  p: Progress, levelId: string, v: Pick<VerifyResult, 'passed' | 'stars' | 'metrics'>, now: Date, solution?: string,
): RecordOutcome {
  const lp = structuredClone(levelOf(p, levelId) ?? emptyLevel());
  const firstSolve = v.passed && !lp.solved;
  const newBest: ParMetric[] = [];
  lp.attempts = Math.min(lp.attempts + 1, 1e9);
  if (v.passed) {
    lp.solved = true;
    lp.solvedAt ??= now.toISOString();
    lp.stars = Math.max(lp.stars, v.stars) as 0 | 1 | 2 | 3;
    for (const k of PAR_METRICS) {
      const x = v.metrics[k];
      if (!Number.isFinite(x) || x < 0) continue;
      const old = lp.best[k];
      if (old === undefined || x < old - 1e-9) {
        lp.best[k] = x;
        newBest.push(k);
        if (k === 'cost' && solution) lp.bestSolution = solution.slice(0, 200);
      }
    }
  }
  if (roomFor(p, levelId)) {
    p.levels[levelId] = lp;
    p.lastLevel = levelId;
  }
  return { firstSolve, newBest, level: structuredClone(lp) };
}

/** The better of two progress records of one level. */
export function mergeLevel(a: LevelProgress | undefined, b: LevelProgress): LevelProgress {
  if (!a) return structuredClone(b);
  const best: Best = { ...a.best };
  for (const k of PAR_METRICS) {
    const x = b.best[k];
    if (x !== undefined && (best[k] === undefined || x < best[k]!)) best[k] = x;
  }
  const bCheaper = b.best.cost !== undefined && (a.best.cost === undefined || b.best.cost < a.best.cost);
  const solvedAt = [a.solvedAt, b.solvedAt].filter((s): s is string => !!s).sort()[0];
  const bestSolution = bCheaper ? b.bestSolution ?? a.bestSolution : a.bestSolution ?? b.bestSolution;
  return {
    solved: a.solved || b.solved,
    stars: Math.max(a.stars, b.stars),
    best,
    ...(bestSolution !== undefined ? { bestSolution } : {}),
    hints: Math.max(a.hints, b.hints),
    attempts: Math.max(a.attempts, b.attempts),
    ...(solvedAt ? { solvedAt } : {}),
  };
}

export interface MergeSummary {
  levels: number;
  solved: number;
  /** levels unknown to this pvlab not stored (no room: MAX_UNKNOWN_LEVELS, MAX_LEVELS_STORED) */
  dropped: number;
}

/**
 * Merge the progress of an export file into `p` (in place), keeping the better record
 * per level. `imported` lists the unknown levels that came from earlier imports, oldest
 * first (updated in place): an unknown level of the file takes a free unknown slot, or
 * the slot of the level imported longest ago; a level played here (not in `imported`)
 * is never dropped to make room.
 */
export function mergeProgress(p: Progress, file: ProgressFile['progress'], known: ReadonlySet<string>, imported: string[]): MergeSummary {
  const order = [...new Set(imported)].filter((id) => levelOf(p, id) !== undefined && !known.has(id));
  const fromFile = new Set<string>();
  let unknown = Object.keys(p.levels).filter((id) => !known.has(id)).length;
  let levels = 0;
  let solved = 0;
  let dropped = 0;
  for (const [id, lp] of Object.entries(file.levels)) {
    if (isEmptyLevel(lp)) continue; // nothing to merge: storing it would only grow the file
    const isNew = levelOf(p, id) === undefined;
    const isUnknown = !known.has(id);
    if (isNew && isUnknown && unknown >= MAX_UNKNOWN_LEVELS) {
      // make room: the level imported longest ago, never one played here or of this file
      const old = order[0];
      if (old === undefined || fromFile.has(old)) { dropped++; continue; }
      order.shift();
      delete p.levels[old];
      if (p.lastLevel === old) delete p.lastLevel;
      unknown--;
    }
    if (isNew && !roomFor(p, id)) { dropped++; continue; }
    if (isNew && isUnknown) unknown++;
    if (isUnknown && (isNew || order.includes(id))) {
      // now the newest import
      const at = order.indexOf(id);
      if (at >= 0) order.splice(at, 1);
      order.push(id);
      fromFile.add(id);
    }
    p.levels[id] = mergeLevel(levelOf(p, id), lp);
    levels++;
    if (lp.solved) solved++;
  }
  imported.splice(0, imported.length, ...order);
  if (file.lastLevel && !p.lastLevel && levelOf(p, file.lastLevel) !== undefined) p.lastLevel = file.lastLevel;
  return { levels, solved, dropped };
}
