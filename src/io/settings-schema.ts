// The formats of the player's settings and progress: the settings file's two parts and
// the `progress export` file, as zod schemas (validated on every read and import), with
// the bounds that keep them small. No I/O here.
import { z } from 'zod';
import { PAR_METRICS, type ParMetric } from '../sim/verify.js';
import { PRINTABLE_LINE } from './sanitize.js';
import { LEVEL_ID } from './schema.js';
import { ANIMATION_MODES, COLOR_MODES, FOG_MODES } from './setting-modes.js';

export { ANIMATION_MODES, COLOR_MODES, FOG_MODES } from './setting-modes.js';

export const PROGRESS_FORMAT = 'pvlab-progress@1';
/** Largest progress file `progress import` reads. */
export const PROGRESS_FILE_BYTES = 1024 * 1024;
/**
 * Most levels kept in the progress that came from `progress import` and that the running
 * pvlab does not know (a newer campaign's, someone's custom level). Levels played here
 * and known levels are always kept; an import that finds these slots full makes room by
 * dropping the levels imported longest ago, never a level played here. With this bound
 * the settings file stays a few hundred KB, far below what a start reads and what
 * `progress import` reads (PROGRESS_FILE_BYTES), so an export always imports.
 */
export const MAX_UNKNOWN_LEVELS = 200;
/**
 * Most level records stored in all (campaign, unknown and custom levels together): a
 * bound on the settings file's size whatever is played or imported.
 */
export const MAX_LEVELS_STORED = 1000;

export const LevelId = z.string().regex(LEVEL_ID, 'must be a level id');
/**
 * Text settings are shown on screen and used as paths: no control characters, no bidi
 * controls (a `progress import` of someone else's file must not smuggle any in).
 */
const PRINTABLE = PRINTABLE_LINE;
const NO_CONTROLS = 'must not contain control characters';
const stamp = z.string().max(40);

export const SettingsSchema = z.strictObject({
  /** colour output: follow the terminal/NO_COLOR (auto), or force it on/off */
  color: z.enum(COLOR_MODES).default('auto'),
  /** run animation: every step, a reduced frame rate, or results only */
  animation: z.enum(ANIMATION_MODES).default('full'),
  /** animation speed factor */
  animationSpeed: z.number().min(0.25).max(16).default(1),
  /** where solutions are saved; relative paths are taken from the current folder */
  savesDir: z.string().min(1).max(4096).regex(PRINTABLE, NO_CONTROLS).default('saves'),
  /** a workshop folder to compare results against ('' = none) */
  workshopDir: z.string().max(4096).regex(PRINTABLE, NO_CONTROLS).default(''),
  /** the default author of new solutions */
  playerName: z.string().max(80).regex(PRINTABLE, NO_CONTROLS).default(''),
  /** fog on the board (sites appear once a run passed them): auto = generated expert levels only */
  fog: z.enum(FOG_MODES).default('auto'),
});
export type Settings = z.infer<typeof SettingsSchema>;

const BestSchema = z.strictObject(
  Object.fromEntries(PAR_METRICS.map((k) => [k, z.number().min(0).optional()])) as Record<ParMetric, z.ZodOptional<z.ZodNumber>>,
);
export type Best = z.infer<typeof BestSchema>;

export const LevelProgressSchema = z.strictObject({
  solved: z.boolean().default(false),
  /** best stars reached (0..3) */
  stars: z.number().int().min(0).max(3).default(0),
  /** best value of each metric over passing verifications (independently per metric) */
  best: BestSchema.default({}),
  /** the solution name that reached the best cost */
  bestSolution: z.string().max(200).optional(),
  /** hint steps revealed (the ladder is revealed in order) */
  hints: z.number().int().min(0).max(10).default(0),
  attempts: z.number().int().min(0).max(1e9).default(0),
  /** when the level was first solved (ISO time) */
  solvedAt: stamp.optional(),
});
export type LevelProgress = z.infer<typeof LevelProgressSchema>;

/**
 * Level ids are object keys: `levels` is a null-prototype object after parsing, so ids
 * like `constructor` or `prototype` are plain entries (read them with `levelOf`).
 */
export const ProgressSchema = z.strictObject({
  levels: z.preprocess((v, ctx) => {
    // zod's record skips an own `__proto__` key without a word: it is not a level id either
    if (v !== null && typeof v === 'object' && Object.hasOwn(v, '__proto__')) {
      ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'Invalid key in record' });
    }
    return v;
  }, z.record(LevelId, LevelProgressSchema)).default({}).transform((l) => Object.assign(Object.create(null) as Record<string, LevelProgress>, l)),
  lastLevel: LevelId.optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

/** The file `progress export` writes and `progress import` reads. */
export const ProgressFileSchema = z.strictObject({
  format: z.literal(PROGRESS_FORMAT),
  exported: stamp.optional(),
  settings: SettingsSchema.optional(),
  progress: ProgressSchema,
});
export type ProgressFile = z.infer<typeof ProgressFileSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
export const emptyProgress = (): Progress => ({ levels: Object.create(null) as Record<string, LevelProgress> });
export const emptyLevel = (): LevelProgress => LevelProgressSchema.parse({});

/** The record of one level, or undefined: own entries only, whatever the id. */
export function levelOf(p: Progress, id: string): LevelProgress | undefined {
  return Object.hasOwn(p.levels, id) ? p.levels[id] : undefined;
}
