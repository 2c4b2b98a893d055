// The whole TUI as a pure state machine: `reduce(state, action)` decides every
// transition. I/O and engine work are described as `effects` that the app runs (see
// effects.ts) and whose outcomes come back as actions. No file access, no clocks here.
import type { Level, Solution } from '../io/schema.js';
import { sanitize } from '../io/sanitize.js';
import { hooksOf, levelConfig } from '../sim/score.js';
import { PAR_METRICS } from '../sim/verify.js';
import {
  ARCHES, ARCH_IDS, SITES, SITE_IDS, WORKLOAD_IDS, whensOn,
  type ArchId, type DeviceId, type KernelId, type SiteId, type When, type WorkloadId,
} from '../sim/model.js';
import type { Counterexample, Hook, Metrics } from '../sim/types.js';
import type { VerifyResult } from '../sim/verify.js';
import { lanesFor, laneSites, slotColumns } from './graph.js';
import { bodySize, briefingLines, machineName, maxScroll, parOpen, type Size } from './layout.js';
import { epilogueWindow } from './results-layout.js';
import { burstKeys, resolveKey, type Context, type Action as KeyAction } from './keymap.js';
import { back, clamp, cycle, go, withEffect } from './nav.js';
import { settingsKey } from './settings-screen.js';
import { creditedTo } from '../io/credit.js';
import { PRACTICE_ROWS, anotherOne, fogKey, practiceKey, seedTyped, requestFor, requestLevel, type GenerateRequest, type Generating } from './practice-screen.js';
import { builderBuilt, builderKey, builderText, openBuilder, type Builder } from './builder-screen.js';
import { clockTick, openProjector, projectorKey, revealKey } from './projector-screen.js';
import { openStandings, standingsKey } from './standings-screen.js';
import type { BuildOutcome, LevelDraft, LoadedSolution, Progress, SavedEntry, Settings, SolutionDraft } from './ports.js';
import type { PatchDoc } from './patch-doc.js';
import type { RunSnap } from './session.js';
import type { WorkshopBoard, WorkshopUpdate } from './workshop.js';

/** Every screen's id: the registry (registry.tsx) and the key handlers (SCREEN_KEYS) are records over it. */
export const SCREEN_IDS = [
  'menu', 'levels', 'briefing', 'board', 'run', 'results', 'sandbox',
  'solutions', 'import', 'settings', 'workshop', 'patch', 'practice', 'builder',
  'projector', 'standings',
] as const;
export type Screen = (typeof SCREEN_IDS)[number];

export const MENU_ITEMS = [
  { id: 'continue', label: 'Continue' },
  { id: 'campaign', label: 'Campaign' },
  { id: 'practice', label: 'Practice' },
  { id: 'daily', label: 'Daily level' },
  { id: 'sandbox', label: 'Sandbox' },
  { id: 'solutions', label: 'My solutions' },
  { id: 'import', label: 'Import a share code' },
  { id: 'workshop', label: 'Workshop board' },
  { id: 'settings', label: 'Settings' },
  { id: 'help', label: 'Help' },
  { id: 'quit', label: 'Quit' },
] as const;

export { SETTINGS_ITEMS } from './settings-screen.js';

export { ANIMATION_MODES, COLOR_MODES } from '../io/setting-modes.js';

export const SANDBOX_FIELDS = ['arch', 'kernel', 'device', 'workloads', 'pages'] as const;
export const SANDBOX_PAGES = [16, 64, 128, 256, 512, 1024] as const;

/** Scheduler choices per frame, slow to fast; the last runs to the end at once. */
export const SPEEDS = [1, 4, 16, 64, 256, 4096] as const;
export const DEFAULT_SPEED = 2;
export const LOG_KEEP = 200;

export interface Sandbox {
  arch: ArchId;
  kernel: KernelId;
  device: DeviceId;
  workloads: WorkloadId[];
  pages: number;
  field: number;
  /** workload under the cursor on the workloads field */
  wcursor: number;
}

export interface Board {
  hooks: Hook[];
  past: Hook[][];
  future: Hook[][];
  /** selected slot (index into the level's slot columns) */
  col: number;
  /** selected lane (path) */
  lane: number;
  /** set when coming back from a failure: the path and site to look at */
  guilty: { workload: WorkloadId; site?: SiteId } | null;
  /**
   * the placement came from a share code or a save: the author and via it had. A save or a
   * share code of it credits them as `pvlab import` does (creditedTo, src/io/credit.ts),
   * with the player's name when it is saved (the game asks for one before the first save)
   */
  from?: { author: string; via?: string };
}

export interface RunState {
  id: number;
  seed: number;
  paused: boolean;
  speed: number;
  snap: RunSnap | null;
  log: string[];
  phase: 'running' | 'scoring';
  /** enter was pressed before the run ended: it runs to the end, then the results open */
  toResults?: boolean;
}

export interface Results {
  verify: VerifyResult;
  hooks: Hook[];
  others: SavedEntry[];
  /** counterexample step shown (failures) */
  cx: number;
  scroll: number;
  shareCode: string | null;
  /** a save of this name exists: 'o' overwrites */
  exists: string | null;
  savedAs: string | null;
}

/** The workshop board screen: the folder's ranking as the background scoring reports it. */
export interface WorkshopView {
  dir: string;
  board: WorkshopBoard | null;
  /** a refresh under way (files read so far of the folder's entries) */
  progress: { done: number; total: number } | null;
  error: string | null;
  /** index into board.levels */
  level: number;
  /** first ranking row shown (the board and the projector) */
  scroll: number;
  /** first row of the standings shown */
  standScroll: number;
  /** the clock's last tick (ms since the epoch; the app's timer sends it): the countdown, the projector's cycle */
  now: number | null;
  /** the projector moves to the next level on a timer */
  cycle: boolean;
  /** when the projector moves on next (set by the first tick on it) */
  cycleAt: number | null;
  /** the trainer asked to show the hook sets and names of a sealed workshop */
  reveal: boolean;
  /** boards received (the view says when it refreshed by itself) */
  updates: number;
  ms: number | null;
  /** solutions scored by the last refresh (the rest came from the cache) */
  scored: number;
}

/** The patch screen: the player's placement or mainline's, as a patch with its review. */
export interface PatchScreen {
  which: 'player' | 'mainline';
  scroll: number;
  player: PatchDoc | null;
  mainline: PatchDoc | null;
  savedFile: string | null;
}

export interface TextInput {
  /** firstName: the player's name, asked once before the first save (then the save's name) */
  purpose: 'saveName' | 'firstName' | 'importCode' | 'playerName' | 'savesDir' | 'workshopDir' | 'builder' | 'seed';
  value: string;
}

export type Effect =
  | { kind: 'startRun'; runId: number; level: Level; hooks: Hook[]; seed: number; animate: boolean }
  | { kind: 'runStep'; runId: number; n: number }
  | { kind: 'verify'; runId: number; level: Level; hooks: Hook[] }
  | { kind: 'recordResult'; level: Level; hooks: Hook[]; result: VerifyResult }
  | { kind: 'recordHint'; levelId: string; step: number }
  | { kind: 'lastLevel'; levelId: string }
  | { kind: 'listSolutions'; levelIds: string[]; purpose: 'results' | 'browse'; level?: Level }
  | { kind: 'save'; solution: SolutionDraft; overwrite: boolean }
  | { kind: 'share'; solution: SolutionDraft }
  | { kind: 'decode'; code: string }
  | { kind: 'fit'; solution: SolutionDraft; level: Level | null }
  | { kind: 'settings'; patch: Partial<Settings> }
  | { kind: 'workshopOpen'; dir: string; levels: Level[] }
  | { kind: 'workshopRescan' }
  | { kind: 'workshopClose' }
  | { kind: 'workshopReveal'; reveal: boolean }
  /** the player's patch of `hooks`, or mainline's placement (src/patch/mainline.ts, loaded with the patch view) */
  | { kind: 'patch'; which: 'player'; level: Level; hooks: Hook[]; author: string; name: string }
  | { kind: 'patch'; which: 'mainline'; level: Level; author: string; name: string }
  | { kind: 'savePatch'; solution: SolutionDraft; text: string }
  /** a level outside the campaign (generated, daily, a file), off the render path; then `solution` goes on its board */
  | { kind: 'generate'; token: number; req: GenerateRequest; solution?: SolutionDraft }
  | { kind: 'buildLevel'; draft: LevelDraft; takenIds: string[] }
  | { kind: 'exit' };

export interface State {
  screen: Screen;
  /** screens to return to with back */
  stack: Screen[];
  campaign: Level[];
  progress: Progress;
  settings: Settings;
  /** NO_COLOR is set (colour setting 'auto' follows it) */
  forceNoColor: boolean;
  /** --no-color was given: no colour whatever the settings say */
  noColorFlag: boolean;
  cursor: Record<'menu' | 'levels' | 'solutions' | 'settings' | 'practice', number>;
  /** a level being generated (or read) for the player, when one is */
  generating: Generating | null;
  /** fog mode: the `workload:site` pairs the runs of `level` (fogKey) passed */
  seen: { level: string; pairs: string[] } | null;
  /** the level builder's form (kept while the session lasts) */
  builder: Builder | null;
  level: Level | null;
  briefingScroll: number;
  hintsShown: number;
  board: Board;
  sandbox: Sandbox;
  run: RunState | null;
  nextRunId: number;
  results: Results | null;
  patch: PatchScreen | null;
  solutions: SavedEntry[];
  workshop: WorkshopView | null;
  text: TextInput | null;
  help: boolean;
  /** page of the help overlay (the view wraps it around) */
  helpPage: number;
  /** the key context under the help overlay (its keys are listed first) */
  helpFor: Context;
  message: string | null;
  effects: Effect[];
  quitting: boolean;
  /** the terminal's size (scrolling is bounded by what the screen shows) */
  size: Size;
  /** levels beside the campaign (a level file, the workshop's levels): open from the start (custom-levels.ts) */
  customIds: string[];
}

export interface Init {
  campaign: Level[];
  progress: Progress;
  settings: Settings;
  forceNoColor?: boolean;
  noColorFlag?: boolean;
  /** open this level's briefing at start (`pvlab play <level>`) */
  startLevel?: string;
  /**
   * `pvlab play <generated or daily id>`: generate it (off the render path), then open its
   * briefing. A level file never comes this way: `pvlab play <file>` reads and checks it
   * before the game starts (src/commands/play.ts) and opens it by id (`startLevel`).
   */
  startRef?: { id: string };
  /** shown in the message line at start (e.g. the settings file was reset) */
  message?: string;
  /** the terminal's size at start (default 100x30) */
  size?: Size;
  /** ids of the campaign's custom levels (custom-levels.ts) */
  customIds?: string[];
}

const emptyBoard = (): Board => ({ hooks: [], past: [], future: [], col: 0, lane: 0, guilty: null });
/** A level's board when it opens: a review level's proposal, else empty. */
const startBoard = (lv: Level): Board => ({ ...emptyBoard(), hooks: hooksOf(lv.start ?? []) });

export function initialState(init: Init): State {
  const s: State = {
    screen: 'menu', stack: [], campaign: init.campaign, progress: init.progress, settings: init.settings,
    forceNoColor: init.forceNoColor ?? false, noColorFlag: init.noColorFlag ?? false,
    cursor: { menu: 0, levels: 0, solutions: 0, settings: 0, practice: 0 }, generating: null, seen: null, builder: null,
    level: null, briefingScroll: 0, hintsShown: 0, board: emptyBoard(),
    sandbox: { arch: 's390-pv', kernel: '6.5', device: 'ccw', workloads: ['kvm_fault', 'swap'], pages: 128, field: 0, wcursor: 0 },
    run: null, nextRunId: 1, results: null, solutions: [], workshop: null, patch: null, text: null, help: false, helpPage: 0, helpFor: 'menu', message: init.message ?? null,
    effects: [], quitting: false, size: init.size ?? { columns: 100, rows: 30 }, customIds: init.customIds ?? [],
  };
  if (init.startLevel) {
    const lv = init.campaign.find((l) => l.id === init.startLevel);
    if (lv) return { ...openBriefing({ ...s, screen: 'levels', stack: ['menu'], cursor: { ...s.cursor, levels: init.campaign.indexOf(lv) } }, lv), message: s.message };
  }
  if (init.startRef) {
    const r = requestFor(init.startRef.id);
    if (r) return requestLevel(s, r.req, r.label);
  }
  return s;
}

// ---- queries (pure; also used by the views) --------------------------------------------

export function colorOn(s: State): boolean {
  if (s.noColorFlag || s.settings.color === 'never') return false;
  return s.settings.color === 'always' || !s.forceNoColor;
}

export function isSolved(s: State, id: string): boolean {
  return !!s.progress.levels[id]?.solved;
}

/**
 * Level i is unlocked when the level before it is solved (optional levels, a chapter's
 * challenges, are skipped: they never lock what follows); the first always is. Solved
 * ones stay open.
 */
export function isUnlocked(s: State, index: number): boolean {
  if (index <= 0) return true;
  const lv = s.campaign[index];
  if (isSolved(s, lv.id) || s.customIds.includes(lv.id)) return true;
  let prev = index - 1;
  while (prev > 0 && s.campaign[prev].optional) prev--;
  return isSolved(s, s.campaign[prev].id);
}

/** Where "continue" goes: the last level played if still unsolved, else the first open unsolved one. */
export function continueTarget(s: State): number {
  const last = s.progress.lastLevel ? s.campaign.findIndex((l) => l.id === s.progress.lastLevel) : -1;
  if (last >= 0 && !isSolved(s, s.campaign[last].id)) return last;
  // optional challenges are offered in the level list, never by "continue"
  const i = s.campaign.findIndex((l, idx) => isUnlocked(s, idx) && !isSolved(s, l.id) && !l.optional);
  return i >= 0 ? i : Math.max(0, last);
}

export function slotsOf(level: Level): SiteId[] {
  return slotColumns(level.sites as SiteId[]);
}

export function lanesOf(level: Level) {
  return lanesFor(levelConfig(level));
}

export function hookAt(hooks: readonly Hook[], site: SiteId): Hook | undefined {
  return hooks.find((h) => h.site === site);
}

/** The text-input or overlay context that owns the keys now. */
export function keyContext(s: State): Context {
  if (s.help) return 'help';
  if (s.text) return 'text';
  if (s.screen === 'results' && s.results && !s.results.verify.passed && s.results.verify.counterexample) return 'timeline';
  return s.screen === 'menu' ? 'menu' : s.screen;
}

// ---- actions -------------------------------------------------------------------------

export type Msg =
  /** a key press, by its keymap name (see keymap.ts) and the text it typed */
  | { type: 'input'; name: string; text: string }
  | { type: 'key'; action: KeyAction }
  | { type: 'text'; text: string }
  | { type: 'effectsTaken'; count: number }
  | { type: 'runFrame'; runId: number; snap: RunSnap }
  | { type: 'verified'; runId: number; result: VerifyResult; hooks: Hook[] }
  | { type: 'progress'; progress: Progress }
  | { type: 'solutionsListed'; purpose: 'results' | 'browse'; entries: SavedEntry[] }
  | { type: 'saved'; name: string; file: string }
  | { type: 'saveExists'; name: string }
  | { type: 'shared'; code: string }
  | { type: 'decoded'; solution: Solution }
  | { type: 'fitted'; loaded: LoadedSolution; level: Level | null }
  | { type: 'settingsChanged'; settings: Settings }
  | { type: 'resize'; size: Size }
  | { type: 'workshop'; update: WorkshopUpdate }
  /** the clock (the app's timer while a workshop screen is open; projector-screen.ts) */
  | { type: 'tick'; now: number }
  | { type: 'patched'; which: PatchScreen['which']; doc: PatchDoc }
  | { type: 'patchSaved'; file: string }
  /** the answer to a 'generate' effect: the level, or why there is none */
  | { type: 'generated'; token: number; level: Level | null; message?: string; solution?: SolutionDraft }
  | { type: 'built'; outcome: BuildOutcome }
  | { type: 'error'; message: string };




function openBriefing(s: State, lv: Level): State {
  const keep = s.level?.id === lv.id;
  const used = s.progress.levels[lv.id]?.hints ?? 0;
  return {
    ...go(s, 'briefing'), level: lv, briefingScroll: 0,
    hintsShown: Math.min(lv.hints.length, used),
    board: keep ? { ...s.board, guilty: null } : startBoard(lv), results: null,
  };
}

export function sandboxLevel(sb: Sandbox): Level {
  return {
    // the title names the machine in the header of every sandbox screen (board, run, results)
    id: 'sandbox', title: `Sandbox · ${machineName(sb)}`, chapter: 1,
    briefing: 'Your own machine (the line above), with every hook site offered. A placement is scored on 5 seeds, with no par.',
    arch: sb.arch, kernel: sb.kernel, device: sb.device,
    guest: { pages: sb.pages, shared: 0.1 },
    workloads: sb.workloads.map((kind) => ({ kind })),
    sites: SITE_IDS.filter((x) => SITES[x].placeable) as Level['sites'],
    seeds: { visible: [1], hidden: 4 }, par: {}, hints: [],
  };
}

// ---- board -------------------------------------------------------------------------------

function setHooks(b: Board, hooks: Hook[]): Board {
  return { ...b, hooks, past: [...b.past, b.hooks].slice(-100), future: [], guilty: null };
}

/** space/enter: place with the default `when`, then cycle the `when`s, then remove. */
export function toggleHook(hooks: readonly Hook[], site: SiteId, kernel?: KernelId): Hook[] {
  const whens = whensOn(site, kernel);
  const cur = hookAt(hooks, site);
  const others = hooks.filter((h) => h.site !== site);
  if (!cur) return [...hooks, whens.length ? { site, when: whens[0] } : { site }];
  if (!whens.length) return others;
  const i = whens.indexOf((cur.when ?? whens[0]) as When);
  if (i < whens.length - 1) return hooks.map((h) => (h.site === site ? { site, when: whens[i + 1] } : h));
  return others;
}

function boardKey(s: State, a: KeyAction): State {
  const lv = s.level!;
  const slots = slotsOf(lv);
  const lanes = lanesOf(lv);
  const b = s.board;
  const site = slots[b.col];
  switch (a) {
    case 'left': return { ...s, board: { ...b, col: clamp(b.col - 1, 0, slots.length - 1) } };
    case 'right': return { ...s, board: { ...b, col: clamp(b.col + 1, 0, slots.length - 1) } };
    case 'up': return { ...s, board: { ...b, lane: clamp(b.lane - 1, 0, lanes.length - 1) } };
    case 'down': return { ...s, board: { ...b, lane: clamp(b.lane + 1, 0, lanes.length - 1) } };
    case 'toggle': return site ? { ...s, board: setHooks(b, toggleHook(b.hooks, site, lv.kernel)), message: null } : s;
    case 'remove':
      return site && hookAt(b.hooks, site) ? { ...s, board: setHooks(b, b.hooks.filter((h) => h.site !== site)) } : s;
    case 'undo':
      if (!b.past.length) return { ...s, message: 'nothing to undo' };
      return { ...s, message: null, board: { ...b, hooks: b.past[b.past.length - 1], past: b.past.slice(0, -1), future: [b.hooks, ...b.future] } };
    case 'redo':
      if (!b.future.length) return { ...s, message: 'nothing to redo' };
      return { ...s, message: null, board: { ...b, hooks: b.future[0], past: [...b.past, b.hooks], future: b.future.slice(1) } };
    case 'reset': return b.hooks.length ? { ...s, board: setHooks(b, []), message: 'every hook removed (u undoes)' } : s;
    case 'run': return startRun(s);
    case 'toBriefing': return { ...go(s, 'briefing'), briefingScroll: 0 };
    default: return s;
  }
}

function startRun(s: State): State {
  const lv = s.level!;
  const id = s.nextRunId;
  const seed = lv.seeds.visible[0];
  const sandbox = lv.id === 'sandbox';
  const progress = sandbox ? s.progress : { ...s.progress, lastLevel: lv.id };
  return withEffect(
    {
      ...go(s, 'run'), progress, nextRunId: id + 1, results: null,
      run: { id, seed, paused: false, speed: DEFAULT_SPEED, snap: null, log: [], phase: 'running' },
    },
    { kind: 'startRun', runId: id, level: lv, hooks: s.board.hooks, seed, animate: s.settings.animation !== 'off' },
    ...(sandbox ? [] : [{ kind: 'lastLevel', levelId: lv.id } as Effect]),
  );
}

// ---- run ---------------------------------------------------------------------------------

function runKey(s: State, a: KeyAction): State {
  const r = s.run;
  if (!r) return s;
  const done = !!r.snap?.done;
  switch (a) {
    case 'pause': return done ? s : { ...s, run: { ...r, paused: !r.paused } };
    case 'step': return done ? s : withEffect({ ...s, run: { ...r, paused: true } }, { kind: 'runStep', runId: r.id, n: 1 });
    case 'faster': return { ...s, run: { ...r, speed: clamp(r.speed + 1, 0, SPEEDS.length - 1) } }; // a paused run stays paused
    case 'slower': return { ...s, run: { ...r, speed: clamp(r.speed - 1, 0, SPEEDS.length - 1) } };
    case 'finish': return done ? s : withEffect({ ...s, run: { ...r, paused: true } }, { kind: 'runStep', runId: r.id, n: Infinity });
    // enter means results, running or paused: an unfinished run is run to its end first
    case 'select':
      if (r.phase !== 'running') return s;
      return done ? scoring(s) : withEffect({ ...s, run: { ...r, paused: true, toResults: true } }, { kind: 'runStep', runId: r.id, n: Infinity });
    default: return s;
  }
}

function scoring(s: State): State {
  const r = s.run!;
  return withEffect({ ...s, run: { ...r, phase: 'scoring' } },
    { kind: 'verify', runId: r.id, level: s.level!, hooks: s.board.hooks });
}

function runFrame(s: State, runId: number, snap: RunSnap): State {
  const r = s.run;
  if (!r || r.id !== runId) return s;
  const log = snap.newLines.length ? [...r.log, ...snap.newLines].slice(-LOG_KEEP) : r.log;
  return { ...s, run: { ...r, snap: { ...snap, newLines: [], passed: [] }, log }, seen: seenAfter(s, snap.passed ?? []) };
}

/** Fog mode: what the runs of this level passed, with the pairs of this frame. */
function seenAfter(s: State, passed: readonly string[]): State['seen'] {
  const id = s.level ? fogKey(s.level) : '';
  const had = s.seen?.level === id ? s.seen.pairs : [];
  if (!passed.length && s.seen?.level === id) return s.seen;
  return { level: id, pairs: [...new Set([...had, ...passed])] };
}

/** The generated and daily levels the player has a record of (their saves are listed too). */
function generatedPlayed(s: State): string[] {
  return Object.keys(s.progress.levels).filter((id) => requestFor(id) !== null);
}

// ---- results -----------------------------------------------------------------------------

function solutionOf(s: State, name: string): SolutionDraft {
  const from = s.board.from ?? { author: s.settings.playerName };
  // the one rule of who a solution is from (src/io/credit.ts): the player's, crediting the
  // sharer; without a name of the player's own it stays as it was shared
  return creditedTo({
    level: s.level!.id, name, author: from.author, ...(from.via ? { via: from.via } : {}),
    hooks: s.results?.hooks ?? s.board.hooks,
  }, s.settings.playerName);
}

/** The campaign level after the one on screen (none after the last, none for the sandbox). */
export function nextLevel(s: State): Level | null {
  const i = s.campaign.findIndex((l) => l.id === s.level?.id);
  return i >= 0 && i + 1 < s.campaign.length ? s.campaign[i + 1] : null;
}

/** The last scroll position of a passing result's epilogue on this terminal (its end fills the view). */
export function epilogueMax(s: State): number {
  const { width, height } = bodySize(s.size, keyContext(s));
  return epilogueWindow(s.level!, s.results!, width, height, s.text?.purpose === 'saveName' || s.text?.purpose === 'firstName', s.progress.levels[s.level!.id]?.stars).max;
}

function resultsKey(s: State, a: KeyAction): State {
  const res = s.results!;
  const v = res.verify;
  const cx = v.counterexample;
  const steps = cx?.trace.length ?? 0;
  switch (a) {
    case 'left': return { ...s, results: { ...res, cx: clamp(res.cx - 1, 0, Math.max(0, steps - 1)) } };
    case 'right': return { ...s, results: { ...res, cx: clamp(res.cx + 1, 0, Math.max(0, steps - 1)) } };
    case 'first': return { ...s, results: { ...res, cx: 0 } };
    case 'last': return { ...s, results: { ...res, cx: Math.max(0, steps - 1) } };
    case 'up': return { ...s, results: { ...res, scroll: Math.max(0, Math.min(res.scroll, epilogueMax(s)) - 1) } };
    case 'down': return { ...s, results: { ...res, scroll: Math.min(res.scroll + 1, epilogueMax(s)) } };
    case 'toBoard': return toBoardFromResults(s);
    case 'retry': return startRun({ ...s, screen: 'board', stack: boardStack(s) });
    case 'save':
      if (!v.passed) return { ...s, message: 'only a passing solution can be saved' };
      // who is saving, once (kept in the settings; \`pvlab workshop join\` sets it too)
      if (!s.settings.playerName.trim()) return { ...s, text: { purpose: 'firstName', value: '' }, message: 'your player name first: saves and workshop boards show it' };
      // the box starts empty: what is typed is the name, never appended to a suggestion
      return { ...s, text: { purpose: 'saveName', value: '' }, message: null };
    case 'overwrite':
      if (!res.exists) return s;
      return withEffect({ ...s, message: `overwriting '${res.exists}'…` },
        { kind: 'save', solution: solutionOf(s, res.exists), overwrite: true });
    case 'share':
      if (!v.passed) return { ...s, message: 'only a passing solution can be shared' };
      return withEffect(s, { kind: 'share', solution: solutionOf(s, res.savedAs ?? defaultName(s)) });
    case 'patch': return openPatch(s);
    case 'next': {
      if (!v.passed) return { ...s, message: 'pass this level first' };
      const more = anotherOne(s);
      if (more) return more;
      const nx = nextLevel(s);
      if (!nx) return { ...s, message: s.level?.id === 'sandbox' ? 'the sandbox has no next level' : 'that was the last level of the campaign' };
      // back from the next briefing retraces the campaign list (these results belong to the level before)
      return openBriefing({ ...s, screen: 'levels', stack: ['menu'], cursor: { ...s.cursor, levels: s.campaign.indexOf(nx) } }, nx);
    }
    default: return s;
  }
}

/** The par metrics of a result (what the saved column compares). */
export function parMetrics(m: Metrics): SavedEntry['metrics'] {
  return Object.fromEntries(PAR_METRICS.map((k) => [k, m[k]]));
}

// ---- patch -------------------------------------------------------------------------------

function patchEffect(s: State, which: PatchScreen['which']): Effect {
  const lv = s.level!;
  return which === 'player'
    ? { kind: 'patch', which, level: lv, hooks: s.results!.hooks, author: s.settings.playerName, name: s.results!.savedAs ?? '' }
    : { kind: 'patch', which, level: lv, author: 'Claudio Imbrenda <imbrenda@linux.ibm.com>', name: 'mainline' };
}

function openPatch(s: State): State {
  const patch: PatchScreen = { which: 'player', scroll: 0, player: null, mainline: null, savedFile: null };
  return withEffect({ ...go(s, 'patch'), patch }, patchEffect(s, 'player'));
}

function patchKey(s: State, a: KeyAction): State {
  const p = s.patch;
  if (!p) return s;
  const doc = p.which === 'player' ? p.player : p.mainline;
  const last = Math.max(0, (doc?.lines.length ?? 1) - 1);
  const scroll = (d: number) => ({ ...s, patch: { ...p, scroll: clamp(p.scroll + d, 0, last) } });
  switch (a) {
    case 'up': return scroll(-1);
    case 'down': return scroll(1);
    case 'pageUp': return scroll(-10);
    case 'pageDown': return scroll(10);
    case 'first': return { ...s, patch: { ...p, scroll: 0 } };
    case 'mainline': {
      if (!s.results?.verify.passed) return { ...s, message: "solve the level to compare with mainline's placement" };
      if (s.level?.arch !== 's390-pv') return { ...s, message: `mainline's calls are empty stubs on ${s.level?.arch}: nothing to compare` };
      const which = p.which === 'player' ? 'mainline' : 'player';
      const next: State = { ...s, patch: { ...p, which, scroll: 0 }, message: null };
      return next.patch![which] ? next : withEffect(next, patchEffect(s, which));
    }
    case 'savePatch': {
      if (p.which !== 'player') return { ...s, message: 'only your own patch is written next to your solution (m switches back)' };
      if (!p.player) return { ...s, message: 'the patch is still being rendered' };
      if (s.level?.id === 'sandbox') return { ...s, message: 'a sandbox placement has no solution file to sit next to' };
      return withEffect({ ...s, message: 'writing the patch…' }, { kind: 'savePatch', solution: solutionOf(s, s.results!.savedAs ?? defaultName(s)), text: p.player.text });
    }
    default: return s;
  }
}

function defaultName(s: State): string {
  const n = s.results?.others.length ?? 0;
  return `${s.settings.playerName || 'my'} solution ${n + 1}`.trim();
}

function toBoardFromResults(s: State): State {
  const cx = s.results?.verify.counterexample;
  const lv = s.level!;
  let board = { ...s.board };
  if (cx && !s.results!.verify.passed) {
    const g = guiltyOf(lv, cx);
    const lanes = lanesOf(lv);
    const lane = Math.max(0, lanes.findIndex((l) => l.workload === g.workload));
    const slots = slotsOf(lv);
    let col = g.site ? slots.indexOf(g.site) : -1;
    let guilty = g;
    if (col < 0) { // no site to blame: the last slot on the guilty path, marked X as the legend says
      const on = laneSites(lanes[lane] ?? lanes[0]).filter((x) => slots.includes(x));
      col = on.length ? slots.indexOf(on[on.length - 1]) : board.col;
      if (on.length) guilty = { ...g, site: on[on.length - 1] };
    }
    board = { ...board, lane, col: Math.max(0, col), guilty };
  }
  return { ...s, screen: 'board', stack: boardStack(s), board, message: null };
}

/**
 * Where a failure is to be blamed on the board: the hook that failed (the last
 * `hook-fails` event of the counterexample), else the failure's own site, else the last
 * hooked slot the failing page passed on the failing path, else the last slot of that path
 * it passed without a hook (where a hook was missing).
 */
export function guiltyOf(lv: Level, cx: Counterexample): { workload: WorkloadId; site?: SiteId } {
  const f = cx.failure;
  const slots = slotsOf(lv);
  const last = <X>(xs: readonly X[], ok: (x: X) => boolean): X | undefined => {
    for (let i = xs.length - 1; i >= 0; i--) if (ok(xs[i])) return xs[i];
    return undefined;
  };
  const failed = last(cx.trace, (e) => e.action === 'hook-fails' && !!e.site && slots.includes(e.site));
  if (failed) return { workload: failed.workload, site: failed.site };
  if (f.site && slots.includes(f.site)) return { workload: f.workload, site: f.site };
  const mine = (e: Counterexample['trace'][number]) => e.workload === f.workload && e.page === f.page;
  const passed = last(cx.trace, (e) => mine(e) && !!e.site && slots.includes(e.site));
  if (passed) return { workload: f.workload, site: passed.site };
  // no hooked slot on the way: the last slot of its path the page passed unhooked (an event
  // there carries no site, only the kernel function it ran in: fast GUP's pin in gup_pte_range)
  const lane = lanesOf(lv).find((l) => l.workload === f.workload);
  const onPath = slots.filter((x) => !lane || laneSites(lane).includes(x));
  const siteOf = (e: Counterexample['trace'][number]) => onPath.find((x) => siteFunctions(x).includes(eventFunction(e.fn)));
  const unhooked = last(cx.trace, (e) => mine(e) && !!siteOf(e));
  return unhooked ? { workload: f.workload, site: siteOf(unhooked) } : { workload: f.workload };
}

/** The kernel function an event ran in: the last call of its `a -> b (note)` chain. */
function eventFunction(fn: string): string {
  return /^[\w.]+/.exec(fn.split('->').pop()!.trim())?.[0] ?? '';
}

/** The kernel functions a site stands for (SITES[].fn: `ptep_get_and_clear()/ptep_clear_flush()`). */
function siteFunctions(site: SiteId): string[] {
  return SITES[site].fn.match(/[A-Za-z_]\w*(?=\(\))/g) ?? [];
}

/** The stack as it was on the board (before the run and the results). */
function boardStack(s: State): Screen[] {
  const i = s.stack.lastIndexOf('board');
  return i >= 0 ? s.stack.slice(0, i) : s.stack.filter((x) => x !== 'run' && x !== 'results');
}

// ---- sandbox -----------------------------------------------------------------------------


/**
 * The sandbox's machine after a change of arch: a kernel or device the arch never ran with
 * (machineProblem) becomes the nearest one it did (the newest kernel, the first device).
 */
function machineFor(sb: Sandbox): Sandbox {
  const a = ARCHES[sb.arch];
  return {
    ...sb,
    kernel: a.kernels.includes(sb.kernel) ? sb.kernel : a.kernels[a.kernels.length - 1]!,
    device: a.devices.includes(sb.device) ? sb.device : a.devices[0]!,
  };
}

/**
 * The sandbox screen with the machine `sb`: the level is the sandbox's own once its board
 * was opened (the header then names the machine as it is chosen, and the board keeps its
 * hooks), never a campaign level's (whose title would head the screen).
 */
function sandboxScreen(s: State, sb: Sandbox): State {
  return { ...s, sandbox: sb, level: s.level?.id === 'sandbox' ? sandboxLevel(sb) : null };
}

function sandboxKey(s: State, a: KeyAction): State {
  const sb = s.sandbox;
  const field = SANDBOX_FIELDS[sb.field];
  const d = a === 'left' ? -1 : a === 'right' ? 1 : 0;
  switch (a) {
    case 'up': return { ...s, sandbox: { ...sb, field: clamp(sb.field - 1, 0, SANDBOX_FIELDS.length - 1) } };
    case 'down': return { ...s, sandbox: { ...sb, field: clamp(sb.field + 1, 0, SANDBOX_FIELDS.length - 1) } };
    case 'left': case 'right':
      switch (field) {
        case 'arch': return sandboxScreen(s, machineFor({ ...sb, arch: cycle(ARCH_IDS, sb.arch, d) }));
        case 'kernel': return sandboxScreen(s, { ...sb, kernel: cycle(ARCHES[sb.arch].kernels, sb.kernel, d) });
        case 'device': return sandboxScreen(s, { ...sb, device: cycle(ARCHES[sb.arch].devices, sb.device, d) });
        case 'pages': return sandboxScreen(s, { ...sb, pages: cycle(SANDBOX_PAGES, sb.pages as (typeof SANDBOX_PAGES)[number], d) });
        case 'workloads': return { ...s, sandbox: { ...sb, wcursor: (sb.wcursor + d + WORKLOAD_IDS.length) % WORKLOAD_IDS.length } };
      }
      return s;
    case 'toggle': case 'select': {
      if (field !== 'workloads') return s;
      const w = WORKLOAD_IDS[sb.wcursor];
      const has = sb.workloads.includes(w);
      const workloads = has ? sb.workloads.filter((x) => x !== w) : WORKLOAD_IDS.filter((x) => x === w || sb.workloads.includes(x));
      return sandboxScreen(s, { ...sb, workloads });
    }
    case 'save': return openBuilder(s);
    case 'toBoard': {
      if (!sb.workloads.length) return { ...s, message: 'choose at least one workload (space)' };
      const lv = sandboxLevel(sb);
      const keep = s.level?.id === 'sandbox' ? s.board.hooks : [];
      return { ...go(s, 'board'), level: lv, results: null, board: { ...emptyBoard(), hooks: keep } };
    }
    default: return s;
  }
}

// ---- lists -------------------------------------------------------------------------------

function menuSelect(s: State): State {
  const item = MENU_ITEMS[s.cursor.menu].id;
  switch (item) {
    case 'continue': {
      if (!s.campaign.length) return { ...s, message: 'no levels found' };
      const i = continueTarget(s);
      return openBriefing({ ...go(s, 'levels'), cursor: { ...s.cursor, levels: i } }, s.campaign[i]);
    }
    case 'campaign': return { ...go(s, 'levels'), cursor: { ...s.cursor, levels: continueTarget(s) } };
    case 'practice': return go(s, 'practice');
    case 'daily': {
      // the practice screen shows the generation under way; back from the level returns there
      const at = { ...go(s, 'practice'), cursor: { ...s.cursor, practice: PRACTICE_ROWS.indexOf('daily') } };
      return s.generating ? at : requestLevel(at, { daily: true }, "today's level");
    }
    case 'sandbox': return sandboxScreen(go(s, 'sandbox'), s.sandbox);
    case 'solutions':
      return withEffect({ ...go(s, 'solutions'), solutions: [], cursor: { ...s.cursor, solutions: 0 } },
        { kind: 'listSolutions', levelIds: [...s.campaign.map((l) => l.id), 'sandbox', ...generatedPlayed(s)], purpose: 'browse' });
    case 'import': return { ...go(s, 'import'), text: { purpose: 'importCode', value: '' } };
    case 'workshop': return openWorkshop(s);
    case 'settings': return go(s, 'settings');
    case 'help': return { ...s, help: true, helpPage: 0, helpFor: 'menu' };
    case 'quit': return withEffect({ ...s, quitting: true }, { kind: 'exit' });
  }
}

function levelsKey(s: State, a: KeyAction): State {
  const n = s.campaign.length;
  const c = s.cursor.levels;
  const chapterStart = (dir: number) => {
    const ch = s.campaign[c]?.chapter;
    let i = c;
    while (i + dir >= 0 && i + dir < n && s.campaign[i].chapter === ch) i += dir;
    if (dir < 0) { const pc = s.campaign[i].chapter; while (i > 0 && s.campaign[i - 1].chapter === pc) i--; }
    return i;
  };
  switch (a) {
    case 'up': return { ...s, cursor: { ...s.cursor, levels: clamp(c - 1, 0, n - 1) } };
    case 'down': return { ...s, cursor: { ...s.cursor, levels: clamp(c + 1, 0, n - 1) } };
    case 'pageUp': return { ...s, cursor: { ...s.cursor, levels: chapterStart(-1) } };
    case 'pageDown': return { ...s, cursor: { ...s.cursor, levels: chapterStart(1) } };
    case 'select':
      if (!n) return s;
      if (!isUnlocked(s, c)) return { ...s, message: 'locked: solve the level before it first' };
      return openBriefing(s, s.campaign[c]);
    default: return s;
  }
}

/** The last scroll position of the briefing on this terminal (its end fills the view). */
export function briefingMax(s: State): number {
  const { width, height } = bodySize(s.size, 'briefing');
  return maxScroll(briefingLines(s.level!, s.hintsShown, width, parOpen(s.level!, s.progress.levels[s.level!.id])).length, height);
}

function briefingKey(s: State, a: KeyAction): State {
  const lv = s.level!;
  switch (a) {
    case 'hint': {
      if (s.hintsShown >= lv.hints.length) return { ...s, message: lv.hints.length ? 'no more hints' : 'this level has no hints' };
      const step = s.hintsShown + 1;
      // the hint just asked for comes into view (hints are the briefing's last lines)
      const next = { ...s, hintsShown: step, message: null };
      return withEffect({ ...next, briefingScroll: briefingMax(next) }, { kind: 'recordHint', levelId: lv.id, step });
    }
    case 'toBoard': return s.stack[s.stack.length - 1] === 'board' ? back(s) : { ...go(s, 'board') };
    case 'up': return { ...s, briefingScroll: Math.max(0, Math.min(s.briefingScroll, briefingMax(s)) - 1) };
    case 'down': return { ...s, briefingScroll: Math.min(s.briefingScroll + 1, briefingMax(s)) };
    default: return s;
  }
}


function solutionsKey(s: State, a: KeyAction): State {
  const n = s.solutions.length;
  const c = s.cursor.solutions;
  switch (a) {
    case 'up': return { ...s, cursor: { ...s.cursor, solutions: clamp(c - 1, 0, Math.max(0, n - 1)) } };
    case 'down': return { ...s, cursor: { ...s.cursor, solutions: clamp(c + 1, 0, Math.max(0, n - 1)) } };
    case 'select': {
      const e = s.solutions[c];
      if (!e) return s;
      const lv = e.level === 'sandbox' ? sandboxLevel(s.sandbox) : s.campaign.find((l) => l.id === e.level) ?? null;
      const sol: SolutionDraft = { level: e.level, name: e.name, author: '', hooks: e.hooks };
      const gen = lv ? null : requestFor(e.level);
      if (gen) return requestLevel(s, gen.req, gen.label, sol);
      if (!lv) return { ...s, message: `level '${e.level}' is not in the campaign` };
      const idx = s.campaign.indexOf(lv);
      if (idx >= 0 && !isUnlocked(s, idx)) return { ...s, message: 'that level is still locked' };
      return withEffect(s, { kind: 'fit', solution: sol, level: lv });
    }
    default: return s;
  }
}

/** A loaded solution (saved or imported) goes on its level's board. */
function fitted(s: State, loaded: LoadedSolution, lv: Level | null): State {
  const level = lv ?? (loaded.solution.level === 'sandbox' ? sandboxLevel(s.sandbox) : null);
  if (!level) return { ...s, message: `level '${loaded.solution.level}' is not in the campaign` };
  const note = loaded.dropped.length ? `loaded '${loaded.solution.name}'; dropped: ${loaded.dropped.join('; ')}` : `loaded '${loaded.solution.name}'`;
  const base = openBriefing(s, level); // (its go() pushes the screen the player is on)
  // a colleague's placement (their name on it): saved as the player's, crediting them (solutionOf)
  const { author = '', via } = loaded.solution;
  const from = { author, ...(via ? { via } : {}) };
  const credit = creditedTo(from, s.settings.playerName).via;
  return { ...base, screen: 'board', board: { ...emptyBoard(), hooks: loaded.hooks, from }, message: credit ? `${note} (via ${credit})` : note };
}

// ---- workshop board ----------------------------------------------------------------------

function openWorkshop(s: State): State {
  const dir = s.settings.workshopDir.trim();
  const view: WorkshopView = {
    dir, board: null, progress: null, error: null, level: 0, scroll: 0, standScroll: 0, now: null, cycle: true, cycleAt: null, reveal: false,
    updates: 0, ms: null, scored: 0,
  };
  const next = { ...go(s, 'workshop'), workshop: view };
  if (!dir) return next; // the screen says where to set the folder
  return withEffect(next, { kind: 'workshopOpen', dir, levels: s.campaign });
}

/** Where the player's level is on the board, else the first level. */
function levelIndexOf(s: State, board: WorkshopBoard): number {
  const i = s.level ? board.levels.findIndex((b) => b.level === s.level!.id) : -1;
  return Math.max(0, i);
}

function workshopUpdate(s: State, u: WorkshopUpdate): State {
  const w = s.workshop;
  const dir = u.kind === 'board' ? u.board.dir : u.dir;
  if (!w || w.dir !== dir) return s; // from a folder no longer shown
  switch (u.kind) {
    case 'progress': return { ...s, workshop: { ...w, progress: { done: u.done, total: u.total } } };
    case 'error': return { ...s, workshop: { ...w, error: u.message, progress: null } };
    case 'board': {
      // the same level stays in view when the board refreshes (by its id)
      const was = w.board?.levels[w.level]?.level;
      const keep = was ? u.board.levels.findIndex((b) => b.level === was) : -1;
      const level = keep >= 0 ? keep : levelIndexOf(s, u.board);
      return { ...s, workshop: { ...w, board: u.board, progress: null, error: null, level, scroll: keep >= 0 ? w.scroll : 0, updates: w.updates + 1, ms: u.ms, scored: u.scored } };
    }
  }
}

function workshopKey(s: State, a: KeyAction): State {
  const w = s.workshop;
  if (!w) return s;
  const n = w.board?.levels.length ?? 0;
  const rows = w.board?.levels[w.level]?.entries.length ?? 0;
  switch (a) {
    case 'left': return n ? { ...s, workshop: { ...w, level: (w.level - 1 + n) % n, scroll: 0 } } : s;
    case 'right': return n ? { ...s, workshop: { ...w, level: (w.level + 1) % n, scroll: 0 } } : s;
    case 'up': return { ...s, workshop: { ...w, scroll: Math.max(0, w.scroll - 1) } };
    case 'down': return { ...s, workshop: { ...w, scroll: clamp(w.scroll + 1, 0, Math.max(0, rows - 1)) } };
    case 'projector': return openProjector(s);
    case 'standings': return openStandings(s);
    case 'reveal': return revealKey(s);
    case 'retry': return w.dir ? withEffect(s, { kind: 'workshopRescan' }) : s;
    default: return s;
  }
}

// ---- text input --------------------------------------------------------------------------

function textKey(s: State, a: KeyAction): State {
  const t = s.text!;
  switch (a) {
    case 'back': return t.purpose === 'importCode' ? back({ ...s, text: null }) : { ...s, text: null };
    case 'remove': return { ...s, text: { ...t, value: [...t.value].slice(0, -1).join('') } };
    case 'select': return submitText(s, t);
    default: return s;
  }
}

function submitText(s: State, t: TextInput): State {
  const v = t.value.trim();
  switch (t.purpose) {
    case 'saveName':
      if (!v) return { ...s, message: 'a name, please' };
      if (s.results?.savedAs === v) return { ...s, text: null, message: `already saved as '${v}'` };
      return withEffect({ ...s, text: null, message: `saving '${v}'…` },
        { kind: 'save', solution: solutionOf(s, v), overwrite: false });
    case 'firstName': {
      if (!v) return { ...s, message: 'a name, please' };
      const bad = playerNameProblem(v);
      if (bad) return { ...s, message: bad };
      return withEffect({ ...s, settings: { ...s.settings, playerName: v }, text: { purpose: 'saveName', value: '' }, message: `hello ${v}: now a name for this solution` },
        { kind: 'settings', patch: { playerName: v } });
    }
    case 'importCode':
      if (!v) return { ...s, message: 'paste a share code first' };
      return withEffect({ ...s, message: 'reading the code…' }, { kind: 'decode', code: v });
    case 'builder': return builderText(s, v);
    case 'seed': return seedTyped(s, v);
    case 'playerName': case 'savesDir': case 'workshopDir':
      if (t.purpose !== 'playerName' && !v) return { ...s, message: 'a folder, please' };
      return withEffect({ ...s, text: null }, { kind: 'settings', patch: { [t.purpose]: v } });
  }
}

/** Why a player name cannot be one (the rule of \`pvlab workshop join --name\`: a folder name every machine can make), or null. */
export function playerNameProblem(name: string): string | null {
  if (sanitize(name) !== name || /[\p{Cf}\p{Zl}\p{Zp}]/u.test(name)) return 'a player name without control or invisible characters, please';
  if ([...name].length > 40) return 'a player name of at most 40 characters, please';
  if (/[/\\:*?"<>|]/.test(name) || name.startsWith('.')) return 'a player name that can be a folder name (no / \\ : * ? " < > |, no leading dot), please';
  return null;
}

// ---- the reducer -------------------------------------------------------------------------

export function reduce(s: State, m: Msg): State {
  switch (m.type) {
    case 'input': {
      // resolved here, against the current state, so a burst of keys in one chunk
      // (paste, key repeat, tmux send-keys) is read in order, never against a stale screen
      const ctx = keyContext(s);
      const action = resolveKey(ctx, m.name);
      if (action) return key(s, action);
      // a paste or key repeat delivers keys in one chunk ('jjjj', 'jj\r'): each is a press
      // of its own, read against the state the one before left; in a text field a run of
      // printable characters is typed at once (a pasted share code), its Enter submits
      const burst = m.name === m.text && [...m.text].length > 1;
      if (burst && (ctx !== 'text' || /[\x00-\x1f\x7f]/.test(m.text))) {
        return burstKeys(m.text, ctx === 'text').reduce((acc, k) => reduce(acc, { type: 'input', ...k }), s);
      }
      if (ctx === 'text' && m.text && !m.name.startsWith('ctrl+')) return reduce(s, { type: 'text', text: m.text });
      return s;
    }
    case 'key': return key(s, m.action);
    case 'text': {
      if (!s.text) return s;
      // one line of printable text (pastes arrive whole); control characters are dropped
      const clean = sanitize(m.text).replace(/[\r\n]+/g, '');
      const max = s.text.purpose === 'importCode' ? 8192 : s.text.purpose === 'builder' ? 1000 : 80;
      return { ...s, text: { ...s.text, value: (s.text.value + clean).slice(0, max) } };
    }
    case 'effectsTaken': return { ...s, effects: s.effects.slice(m.count) };
    case 'runFrame': {
      const next = runFrame(s, m.runId, m.snap);
      // the run ends by itself: score at once when animation is off
      if (m.snap.done && next.run?.phase === 'running' && (s.settings.animation === 'off' || next.run.toResults)) return scoring(next);
      return next;
    }
    case 'verified': {
      if (!s.run || s.run.id !== m.runId) return s;
      const lv = s.level!;
      const sandbox = lv.id === 'sandbox';
      const results: Results = { verify: m.result, hooks: m.hooks, others: [], cx: 0, scroll: 0, shareCode: null, exists: null, savedAs: null };
      // fog: the counterexample is a run's trace too (its seed may be a hidden one)
      const cxPairs = (m.result.counterexample?.trace ?? []).filter((e) => e.site).map((e) => `${e.workload}:${e.site}`);
      const next: State = { ...s, screen: 'results', results, run: { ...s.run, phase: 'running' }, seen: seenAfter(s, cxPairs) };
      return withEffect(next,
        ...(sandbox ? [] : [{ kind: 'recordResult', level: lv, hooks: m.hooks, result: m.result } as Effect]),
        { kind: 'listSolutions', levelIds: [lv.id], purpose: 'results', level: lv });
    }
    case 'progress': return { ...s, progress: m.progress };
    case 'solutionsListed':
      if (m.purpose === 'browse') return { ...s, solutions: m.entries };
      return s.results ? { ...s, results: { ...s.results, others: m.entries } } : s;
    case 'saved': {
      const res = s.results;
      // an imported code (no results): the "loaded" line of the board stays, the file joins it
      if (!res) return { ...s, message: `${s.message?.startsWith('loaded ') ? `${s.message} · ` : ''}saved to ${m.file}` };
      // the saved column counts this solution at once (its metrics are the ones shown)
      const entry: SavedEntry = { name: m.name, file: m.file, level: s.level?.id ?? '', hooks: res.hooks, metrics: parMetrics(res.verify.metrics) };
      const others = [...res.others.filter((o) => o.file !== m.file && o.name !== m.name), entry];
      return { ...s, results: { ...res, savedAs: m.name, exists: null, others }, message: `saved '${m.name}' to ${m.file}` };
    }
    case 'saveExists':
      // one place says it: the line under the prompt (the message line stays free)
      return s.results
        ? { ...s, results: { ...s.results, exists: m.name }, message: null }
        : { ...s, message: `${s.message?.startsWith('loaded ') ? `${s.message} · ` : ''}a save named '${m.name}' exists: kept (pvlab import --force replaces it)` };
    case 'shared': return s.results ? { ...s, results: { ...s.results, shareCode: m.code }, message: 'share code below: copy it whole' } : s;
    case 'decoded': {
      const lv = m.solution.level === 'sandbox' ? sandboxLevel(s.sandbox) : s.campaign.find((l) => l.id === m.solution.level) ?? null;
      const gen = lv ? null : requestFor(m.solution.level);
      if (gen) return requestLevel({ ...s, text: null }, gen.req, gen.label, m.solution); // the code carries the seed
      if (!lv) return { ...s, message: `the code is for level '${m.solution.level}', which this campaign does not have` };
      const idx = s.campaign.indexOf(lv);
      if (idx >= 0 && !isUnlocked(s, idx)) return { ...s, message: `the code is for '${lv.title}', which is still locked` };
      // loaded on the board, and saved as `pvlab import` saves it (the code's solution whole,
      // never replacing a save): after the fit, so its message follows the "loaded" one
      return withEffect({ ...s, text: null }, { kind: 'fit', solution: m.solution, level: lv },
        { kind: 'save', solution: creditedTo(m.solution, s.settings.playerName), overwrite: false });
    }
    case 'fitted': return fitted({ ...s, text: null }, m.loaded, m.level);
    case 'settingsChanged': return { ...s, settings: m.settings, message: 'settings saved' };
    case 'workshop': return workshopUpdate(s, m.update);
    case 'tick': return clockTick(s, m.now);
    case 'resize': {
      const next = { ...s, size: m.size };
      if (s.screen === 'briefing' && s.level) return { ...next, briefingScroll: Math.min(s.briefingScroll, briefingMax(next)) };
      if (s.screen === 'results' && s.level && s.results) return { ...next, results: { ...s.results, scroll: Math.min(s.results.scroll, epilogueMax(next)) } };
      return next;
    }
    case 'patched': return s.patch ? { ...s, patch: { ...s.patch, [m.which]: m.doc } } : s;
    case 'patchSaved': return s.patch ? { ...s, patch: { ...s.patch, savedFile: m.file }, message: `patch written to ${m.file}` } : s;
    case 'generated': return generated(s, m);
    case 'built': return builderBuilt(s, m.outcome);
    case 'error': return { ...s, message: m.message };
  }
}

/** A generated (or read) level arrives: its briefing opens, or the solution that asked for it goes on its board. */
function generated(s: State, m: Extract<Msg, { type: 'generated' }>): State {
  if (!s.generating || s.generating.token !== m.token) return s; // cancelled, or another was asked for since
  const next: State = { ...s, generating: null, message: null };
  if (!m.level) return { ...next, message: m.message ?? 'no level' };
  if (m.solution) return withEffect(next, { kind: 'fit', solution: m.solution, level: m.level });
  return openBriefing(next, m.level);
}

function key(s: State, a: KeyAction): State {
  if (a === 'quit') return withEffect({ ...s, quitting: true }, { kind: 'exit' });
  if (s.help) {
    if (a === 'down') return { ...s, helpPage: s.helpPage + 1 };
    if (a === 'up') return { ...s, helpPage: Math.max(0, s.helpPage - 1) };
    return a === 'back' || a === 'help' ? { ...s, help: false, helpPage: 0 } : s;
  }
  if (s.text) return textKey(s, a);
  if (a === 'help') return { ...s, help: true, helpPage: 0, helpFor: keyContext(s) };
  if (a === 'back') return back(s.generating ? { ...s, generating: null } : s); // leaving cancels a generation
  return SCREEN_KEYS[s.screen](s, a);
}

function menuKey(s: State, a: KeyAction): State {
  const n = MENU_ITEMS.length;
  if (a === 'up') return { ...s, cursor: { ...s.cursor, menu: (s.cursor.menu - 1 + n) % n } };
  if (a === 'down') return { ...s, cursor: { ...s.cursor, menu: (s.cursor.menu + 1) % n } };
  if (a === 'select') return menuSelect(s);
  return s;
}

/** What a key means on each screen (after help, text fields and back, which the shell handles). */
const SCREEN_KEYS: Record<Screen, (s: State, a: KeyAction) => State> = {
  menu: menuKey,
  levels: levelsKey,
  briefing: briefingKey,
  board: boardKey,
  run: runKey,
  results: (s, a) => (s.results ? resultsKey(s, a) : s),
  sandbox: sandboxKey,
  solutions: solutionsKey,
  settings: settingsKey,
  import: (s, a) => (a === 'select' ? { ...s, text: { purpose: 'importCode', value: '' } } : s),
  workshop: workshopKey,
  patch: patchKey,
  practice: practiceKey,
  builder: builderKey,
  projector: projectorKey,
  standings: standingsKey,
};
