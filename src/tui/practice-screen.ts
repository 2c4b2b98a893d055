// The practice screen: generated levels by difficulty, the daily level, "another one", and
// the fog that hides the paths of generated expert levels. Its logic only: the view is
// practice-view.tsx, generation runs behind the port (effects.ts: a worker thread), and
// the level it sends back opens in state.ts ('generated'). Progress and best scores are
// the progress record of each level id, and a generated id names its seed
// (gen-<difficulty>-<seed>), so nothing new is stored.
import {
  DAILY_DIFFICULTY, DIFFICULTIES, generatedId, parseGeneratedId, type Difficulty,
} from '../sim/generate/index.js';
import type { Level } from '../io/schema.js';
import type { Action as KeyAction } from './keymap.js';
import { clamp, withEffect } from './nav.js';
import type { Progress, SolutionDraft } from './ports.js';
import type { State } from './state.js';

/** The rows of the practice screen: one per difficulty, then the daily level. */
export const PRACTICE_ROWS = [...DIFFICULTIES, 'daily'] as const;
export type PracticeRow = (typeof PRACTICE_ROWS)[number];

/** What the player asked to be generated: a level by id, or the level of today (UTC: the clock is the runner's). */
export type GenerateRequest = { id: string } | { daily: true };

/** A generation under way (its token tells a stale answer from the one awaited). */
export interface Generating {
  token: number;
  label: string;
}

/** The generated levels of a difficulty the player has a record of, by seed, ascending. */
export function playedSeeds(p: Progress, d: Difficulty): number[] {
  const out: number[] = [];
  for (const id of Object.keys(p.levels)) {
    const ref = parseGeneratedId(id);
    if (ref?.kind === 'generated' && ref.difficulty === d) out.push(ref.seed);
  }
  return out.sort((a, b) => a - b);
}

/** The seed after `seed` (wrapping at 2^32). */
export const seedAfter = (seed: number): number => (seed >= 0xffffffff ? 0 : seed + 1);

/** The seed Practice offers next at a difficulty: after the highest one played, else 1. */
export function nextSeed(p: Progress, d: Difficulty): number {
  const seeds = playedSeeds(p, d);
  return seeds.length ? seedAfter(seeds[seeds.length - 1]!) : 1;
}

/** The fog is on for this level (settings: on, off, or auto = generated expert levels). */
export function fogOn(s: Pick<State, 'settings'>, lv: Pick<Level, 'id'> | null): boolean {
  if (!lv) return false;
  const mode = s.settings.fog ?? 'auto';
  if (mode !== 'auto') return mode === 'on';
  const ref = parseGeneratedId(lv.id);
  return ref?.kind === 'generated' && ref.difficulty === 'expert';
}

/** What the fog remembers runs by: the level's id; the sandbox's machine (its id is always 'sandbox'). */
export function fogKey(lv: Pick<Level, 'id' | 'arch' | 'kernel' | 'device' | 'workloads'>): string {
  return lv.id === 'sandbox' ? `sandbox ${lv.arch} ${lv.kernel} ${lv.device} ${lv.workloads.map((w) => w.kind).join(',')}` : lv.id;
}

/** Ask for a level to be generated (off the render path); the screen says so meanwhile. */
export function requestLevel(s: State, req: GenerateRequest, label: string, solution?: SolutionDraft): State {
  const token = s.nextRunId;
  return withEffect(
    { ...s, nextRunId: token + 1, generating: { token, label }, message: `generating ${label}…` },
    { kind: 'generate', token, req, ...(solution ? { solution } : {}) },
  );
}

/** The request for a generated or daily level id (null for any other id). */
export function requestFor(id: string): { req: GenerateRequest; label: string } | null {
  const ref = parseGeneratedId(id);
  if (!ref) return null;
  return { req: { id }, label: ref.kind === 'daily' ? `the daily level of ${ref.date}` : `${ref.difficulty} level, seed ${ref.seed}` };
}

function openRow(s: State, row: PracticeRow): State {
  if (row === 'daily') return requestLevel(s, { daily: true }, `today's level (${DAILY_DIFFICULTY})`);
  const seed = nextSeed(s.progress, row);
  return requestLevel(s, { id: generatedId(seed, row) }, `${row === 'hard' ? 'a' : 'an'} ${row} level (seed ${seed})`);
}

export function practiceKey(s: State, a: KeyAction): State {
  const n = PRACTICE_ROWS.length;
  const c = s.cursor.practice;
  switch (a) {
    case 'up': return { ...s, cursor: { ...s.cursor, practice: clamp(c - 1, 0, n - 1) } };
    case 'down': return { ...s, cursor: { ...s.cursor, practice: clamp(c + 1, 0, n - 1) } };
    case 'select':
      if (s.generating) return s;
      return openRow(s, PRACTICE_ROWS[c]!);
    case 'seed':
      if (PRACTICE_ROWS[c] === 'daily') return { ...s, message: "the daily level's seed is the date's: pick a difficulty to type a seed" };
      return { ...s, text: { purpose: 'seed', value: '' }, message: null };
    default: return s;
  }
}

/** A seed typed on the practice screen: that level of the difficulty under the cursor. */
export function seedTyped(s: State, value: string): State {
  const row = PRACTICE_ROWS[s.cursor.practice];
  const seed = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(seed) || seed > 0xffffffff) return { ...s, message: `'${value.slice(0, 20)}' is not a seed: a whole number from 0 to 4294967295` };
  if (!row || row === 'daily') return { ...s, text: null };
  return requestLevel({ ...s, text: null }, { id: generatedId(seed, row) }, `${row === 'hard' ? 'a' : 'an'} ${row} level (seed ${seed})`);
}

/**
 * "Another one" (n on the results of a generated level): the next seed of its difficulty,
 * generated from the practice screen. A level from a file has no next one; null for the
 * campaign's levels and the sandbox (the campaign's next level, state.ts).
 */
export function anotherOne(s: State): State | null {
  const lv = s.level;
  const ref = lv ? parseGeneratedId(lv.id) : null;
  if (!ref) {
    // a level file (pvlab play my-level.json) has no campaign level after it
    const outside = !!lv && lv.id !== 'sandbox' && !s.campaign.some((l) => l.id === lv.id);
    return outside ? { ...s, message: 'this level is not in the campaign: no next level (Practice has generated ones)' } : null;
  }
  if (ref.kind === 'daily') return { ...s, message: 'one daily level a day: Practice (menu) has more' };
  const seed = seedAfter(ref.seed);
  const at = { ...s, screen: 'practice' as const, stack: ['menu' as const], cursor: { ...s.cursor, practice: PRACTICE_ROWS.indexOf(ref.difficulty) } };
  return requestLevel(at, { id: generatedId(seed, ref.difficulty) }, `another ${ref.difficulty} level (seed ${seed})`);
}
