// The level generator: from a seed and a difficulty, a level worth playing. Pure and
// deterministic (its own PRNG, integer seeds, fixed key order): the same seed gives a
// byte-identical level file on every machine.
//
// Each attempt draws a machine (machine.ts), writes its text from the machine alone
// (text.ts), scores every placement of the offered sites with the one rule (par.ts ->
// analyze.ts -> scoreLevel) and keeps the level when it is worth playing (accept()):
// solvable; the campaign's rules hold (par.ts campaignRules); mainline's answer (the
// naive one) fails or loses a star; few *considered* placements meet par (considered.ts);
// several distinct passing answers with different stars. Otherwise the next attempt draws
// again from the same stream.
import { SITES, type SiteId } from '../model.js';
import { campaignRules, enumerateLevel, hookKey, parFromEnumeration, starsUnder, type Enumeration, type ParWithChanges } from '../par.js';
import { PAR_METRICS } from '../verify.js';
import type { Hook, WorkloadSpec } from '../types.js';
import type { Costs } from '../model.js';
import { isConsidered } from './considered.js';
import { DIFFICULTIES, RULES, drawMachine, type Difficulty, type Machine } from './machine.js';
import { Rng, hashString } from './prng.js';
import { levelText } from './text.js';

export { DIFFICULTIES, RULES, type Difficulty, type Machine } from './machine.js';
export { levelText, type LevelText, type TextInput } from './text.js';
export { consideredChoices, isConsidered } from './considered.js';

/** Bumped whenever the same seed would give another level (a change here, or in the engine's verdicts). */
export const GENERATOR_VERSION = 1;

/** What mainline places (s390, today): the naive answer, restricted to the offered sites. */
export const MAINLINE: readonly Hook[] = [
  { site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' }, { site: 'ptep_clear', when: 'any' },
];

/** A generated level file, keys in the order they are written (docs/levels.md fields). */
export interface GeneratedLevel {
  id: string;
  title: string;
  chapter: number;
  chapterTitle: string;
  kind: 'placement';
  briefing: string;
  objectives: string[];
  arch: Machine['arch'];
  kernel: Machine['kernel'];
  device: Machine['device'];
  guest: { pages: number; shared: number };
  workloads: WorkloadSpec[];
  sites: SiteId[];
  seeds: { visible: number[]; hidden: number };
  par: ParWithChanges;
  /** par is shown only after the player's first run (it would name the answer's hook count) */
  parAfterRun: true;
  hints: string[];
  costs?: Partial<Costs>;
}

/** How hard a generated level is, measured on its enumeration. */
export interface Measure {
  placements: number;
  passing: number;
  meetingPar: number;
  /** placements a player would consider (considered.ts) */
  considered: number;
  consideredMeetingPar: number;
  /** consideredMeetingPar / considered */
  consideredShare: number;
  /** passing placements with distinct par metrics */
  answers: number;
  /** the star counts passing placements earn, ascending */
  starLevels: number[];
}

export interface Generated {
  level: GeneratedLevel;
  /** the enumeration's reference (a placement meeting every par) */
  reference: Hook[];
  /** the natural wrong answer: mainline's hooks among the offered sites */
  naive: Hook[];
  measure: Measure;
  seed: number;
  difficulty: Difficulty;
  /** attempts drawn before this one was kept (1 = the first) */
  attempts: number;
}

export const GENERATED_CHAPTER = 90;
/** Attempts before the generator gives up on a seed (never reached by the golden seeds). */
export const MAX_ATTEMPTS = 400;

/** The level file of an attempt (text from the machine, par from the enumeration). */
function levelOf(m: Machine, par: ParWithChanges): GeneratedLevel {
  const t = levelText(m);
  return {
    id: m.id, title: t.title, chapter: GENERATED_CHAPTER, chapterTitle: 'Generated levels', kind: 'placement',
    briefing: t.briefing, objectives: t.objectives,
    arch: m.arch, kernel: m.kernel, device: m.device,
    guest: { pages: m.guest.pages, shared: m.guest.shared },
    workloads: m.workloads, sites: m.sites,
    seeds: { visible: m.seeds.visible, hidden: m.seeds.hidden },
    par, parAfterRun: true, hints: t.hints,
    ...(m.costs ? { costs: m.costs } : {}),
  };
}

/** Par rounded up to 3 decimals where that stays within the campaign's tolerance of the best. */
function roundedPar(par: ParWithChanges): ParWithChanges {
  const out: ParWithChanges = {};
  for (const k of [...PAR_METRICS, 'changes'] as const) {
    const v = par[k];
    if (v === undefined) continue;
    const r = Math.ceil(v * 1000 - 1e-6) / 1000;
    out[k] = r <= v + Math.abs(v) * 0.001 ? r : v;
  }
  return out;
}

/** Measure an enumeration under a par. */
export function measure(m: Pick<Machine, 'arch' | 'kernel' | 'device' | 'guest' | 'workloads'>, e: Enumeration, par: ParWithChanges): Measure {
  let meetingPar = 0, considered = 0, consideredMeetingPar = 0;
  const answers = new Set<string>();
  const levels = new Set<number>();
  const cfg = { arch: m.arch, kernel: m.kernel, device: m.device, pages: m.guest.pages, shared: m.guest.shared, workloads: m.workloads };
  for (const s of e.scored) {
    const stars = starsUnder(s, par);
    const c = isConsidered(cfg, s.hooks);
    if (c) considered++;
    if (stars === 3) {
      meetingPar++;
      if (c) consideredMeetingPar++;
    }
    if (s.passed && s.metrics) {
      answers.add(PAR_METRICS.map((k) => s.metrics![k].toFixed(6)).join(' '));
      levels.add(stars);
    }
  }
  return {
    placements: e.scored.length, passing: e.analysis.passing, meetingPar, considered, consideredMeetingPar,
    consideredShare: considered ? consideredMeetingPar / considered : 0,
    answers: answers.size, starLevels: [...levels].sort((a, b) => a - b),
  };
}

/** Most placements an attempt may enumerate (keeps one level under the time budget). */
export const MAX_PLACEMENTS = 768;

/** One attempt: the level, or null when it is not worth playing. */
function attempt(m: Machine): Omit<Generated, 'attempts' | 'seed' | 'difficulty'> | null {
  const r = RULES[m.difficulty];
  const count = m.sites.reduce((n, s) => n * (1 + Math.max(1, SITES[s].when.length)), 1);
  if (count > MAX_PLACEMENTS) return null;
  const lv = { id: m.id, arch: m.arch, kernel: m.kernel, device: m.device, guest: m.guest, workloads: m.workloads, seeds: m.seeds, sites: m.sites, ...(m.costs ? { costs: m.costs } : {}) };
  const e = enumerateLevel(lv);
  const found = parFromEnumeration(e);
  if (!found) return null;
  if (found.reference.length < r.minReferenceHooks) return null;
  const par = roundedPar(found.par);
  const bad = campaignRules(lv, e, par).filter((c) => !c.ok);
  if (bad.length) return null;
  const naive = MAINLINE.filter((h) => m.sites.includes(h.site));
  const naiveScore = e.scored.find((s) => hookKey(s.hooks) === hookKey(naive));
  if (!naiveScore || hookKey(naive) === hookKey(found.reference) || starsUnder(naiveScore, par) === 3) return null;
  const mm = measure(m, e, par);
  if (mm.consideredShare > r.maxConsideredShare) return null;
  if (mm.answers < r.minAnswers) return null;
  if (mm.starLevels.length < r.minStarLevels) return null;
  return { level: levelOf(m, par), reference: found.reference, naive, measure: mm };
}

export interface GenerateOptions {
  seed: number;
  difficulty: Difficulty;
  /** the level id (default generatedId(seed, difficulty)); it also derives the hidden seeds */
  id?: string;
}

/** The id of a generated level: `gen-<difficulty>-<seed>`. */
export function generatedId(seed: number, difficulty: Difficulty): string {
  return `gen-${difficulty}-${seed}`;
}

export class GenerateError extends Error {
  override readonly name = 'GenerateError';
}

/** Seeds are whole numbers 0..2^32-1. */
export function isSeed(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

/** Generate one level. Throws GenerateError for a bad seed or difficulty, or when no attempt is kept. */
export function generateLevel(o: GenerateOptions): Generated {
  if (!isSeed(o.seed)) throw new GenerateError(`seed ${String(o.seed)} is not a whole number from 0 to 4294967295`);
  if (!(DIFFICULTIES as readonly string[]).includes(o.difficulty)) throw new GenerateError(`difficulty '${String(o.difficulty)}' is not one of ${DIFFICULTIES.join(', ')}`);
  const id = o.id ?? generatedId(o.seed, o.difficulty);
  const rng = new Rng(GENERATOR_VERSION, o.seed, DIFFICULTIES.indexOf(o.difficulty));
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    const got = attempt(drawMachine(rng, id, o.seed, o.difficulty));
    if (got) return { ...got, seed: o.seed, difficulty: o.difficulty, attempts: n };
  }
  throw new GenerateError(`no level worth playing in ${MAX_ATTEMPTS} attempts for seed ${o.seed} (${o.difficulty}); try another seed`);
}

/** The level file as text: two-space JSON and a final newline (byte-identical for a seed). */
export function levelJson(level: GeneratedLevel): string {
  return JSON.stringify(level, null, 2) + '\n';
}

// ---- the daily level ----------------------------------------------------------------

/** The daily level's difficulty. */
export const DAILY_DIFFICULTY: Difficulty = 'hard';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is `s` a real calendar date YYYY-MM-DD (proleptic Gregorian, years 2000-9999)? No Date object. */
export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** The id of the daily level of a UTC date. */
export function dailyId(date: string): string {
  return `daily-${date}`;
}

/** The seed of the daily level of a date: a hash of its id. */
export function dailySeed(date: string): number {
  return hashString(dailyId(date));
}

/** The daily level of a UTC date (YYYY-MM-DD): the same level for everyone that day. */
export function dailyLevel(date: string): Generated {
  if (!isDate(date)) throw new GenerateError(`date '${date}' is not a calendar date YYYY-MM-DD`);
  return generateLevel({ seed: dailySeed(date), difficulty: DAILY_DIFFICULTY, id: dailyId(date) });
}

/** The UTC date of an instant as YYYY-MM-DD (the caller passes the clock's milliseconds). */
export function utcDate(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  // civil-from-days (H. Hinnant), integer arithmetic only
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// ---- level ids ----------------------------------------------------------------------

export type GeneratedRef = { kind: 'generated'; seed: number; difficulty: Difficulty } | { kind: 'daily'; date: string };

const GEN_ID = /^gen-(easy|hard|expert)-(0|[1-9]\d{0,9})$/;
const DAILY_ID = /^daily-(\d{4}-\d{2}-\d{2})$/;

/** What a level id says about how to regenerate it, or null for any other id. */
export function parseGeneratedId(id: string): GeneratedRef | null {
  const g = GEN_ID.exec(id);
  if (g) {
    const seed = Number(g[2]);
    return isSeed(seed) ? { kind: 'generated', seed, difficulty: g[1] as Difficulty } : null;
  }
  const d = DAILY_ID.exec(id);
  if (d && isDate(d[1]!)) return { kind: 'daily', date: d[1]! };
  return null;
}

/** The level a generated or daily id names, regenerated; null for an id that is neither. */
export function levelForId(id: string): Generated | null {
  const ref = parseGeneratedId(id);
  if (!ref) return null;
  return ref.kind === 'daily' ? dailyLevel(ref.date) : generateLevel({ seed: ref.seed, difficulty: ref.difficulty });
}

export { hashString };
