// What the TUI needs from the outside world. Screens and the reducer never touch files:
// the launcher passes an implementation of `Persistence` (over src/io), tests pass fakes.
import type { Level, Solution } from '../io/schema.js';
import type { Hook } from '../sim/types.js';
import type { ParMetric, VerifyResult } from '../sim/verify.js';

// These mirror the settings/progress store of src/io/settings.ts, so the adapter over it
// stays a thin pass-through.
export interface Settings {
  /** auto: colour unless NO_COLOR / --no-color; always; never */
  color: 'auto' | 'always' | 'never';
  /** full: every frame; reduced: fewer, bigger frames; off: a run jumps to its end */
  animation: 'full' | 'reduced' | 'off';
  /** speed factor of an animated run */
  animationSpeed: number;
  playerName: string;
  savesDir: string;
  workshopDir: string;
}

/** Best value reached per metric (lower is better). */
export type Best = Partial<Record<ParMetric, number>>;

export interface LevelProgress {
  solved: boolean;
  /** best stars reached (0..3) */
  stars: number;
  best: Best;
  /** hint steps revealed so far */
  hints: number;
}

export interface Progress {
  levels: Record<string, LevelProgress>;
  /** the level played last (for "continue") */
  lastLevel?: string;
}

/** One of the player's saved solutions, with the mean metrics it scored when known. */
export interface SavedEntry {
  name: string;
  file: string;
  level: string;
  hooks: Hook[];
  /** its mean metrics on the level (filled in by the results screen, which scores it) */
  metrics?: Partial<Record<ParMetric, number>>;
}

export type SaveOutcome =
  | { ok: true; file: string }
  | { ok: false; exists: boolean; message: string };

/** A solution loaded against a level: the hooks that still fit and what did not. */
export interface LoadedSolution {
  solution: Solution;
  hooks: Hook[];
  /** one line per hook that no longer fits the level */
  dropped: string[];
}

export interface Persistence {
  settings(): Settings;
  updateSettings(patch: Partial<Settings>): Settings;
  loadProgress(): Progress;
  recordResult(level: Level, hooks: readonly Hook[], result: VerifyResult): Progress;
  recordHint(levelId: string, step: number): Progress;
  setLastLevel(levelId: string): void;
  listSolutions(levelId: string): SavedEntry[];
  saveSolution(solution: Solution, opts: { overwrite: boolean }): SaveOutcome;
  encodeShare(solution: Solution): string;
  /** throws an Error with a one-line message when the code is bad */
  decodeShare(code: string): Solution;
  /** fit a solution to a level (drop hooks at sites it does not offer, or bad `when`s) */
  fitSolution(solution: Solution, level: Level | null): LoadedSolution;
  /** write a solution's kernel patch next to where the solution is (or would be) saved */
  savePatch(solution: Solution, text: string): SaveOutcome;
}
