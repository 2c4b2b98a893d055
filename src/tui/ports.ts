// What the TUI needs from the outside world. Screens and the reducer never touch files:
// the launcher passes an implementation of `Persistence` (over src/io), tests pass fakes.
import type { BuildOutcome, LevelDraft } from '../io/level-builder.js';
import type { Level, Solution } from '../io/schema.js';
import type { Hook } from '../sim/types.js';
import type { ParMetric, VerifyResult } from '../sim/verify.js';

// Settings and progress are the types of the store's schemas (src/io/settings.ts), so
// the adapter over the store stays a thin pass-through and cannot drift from it.
export type { Best, LevelProgress, Progress, Settings } from '../io/settings.js';
import type { Progress, Settings } from '../io/settings.js';

/** A solution as the game builds it; the store adds the file format when it writes one. */
export type SolutionDraft = Omit<Solution, 'format'>;

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
  solution: SolutionDraft;
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
  saveSolution(solution: SolutionDraft, opts: { overwrite: boolean }): SaveOutcome;
  encodeShare(solution: SolutionDraft): string;
  /** throws an Error with a one-line message when the code is bad */
  decodeShare(code: string): Solution;
  /** fit a solution to a level (drop hooks at sites it does not offer, or bad `when`s) */
  fitSolution(solution: SolutionDraft, level: Level | null): LoadedSolution;
  /** write a solution's kernel patch next to where the solution is (or would be) saved */
  savePatch(solution: SolutionDraft, text: string): SaveOutcome;
  /**
   * A level that is not in the campaign, off the render path: a generated or daily id
   * regenerated, or a level file read. Rejects with a one-line Error on bad input.
   */
  loadLevel(ref: { id: string }): Promise<Level>;
  /** The level builder: check the draft (schema, par from enumeration, the campaign's rules) and write it. */
  buildLevel(draft: LevelDraft, takenIds: string[]): Promise<BuildOutcome>;
}

export type { BuildOutcome, LevelDraft } from '../io/level-builder.js';
