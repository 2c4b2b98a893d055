// The whole TUI as a pure state machine: `reduce(state, action)` decides every
// transition. I/O and engine work are described as `effects` that the app runs (see
// effects.ts) and whose outcomes come back as actions. No file access, no clocks here.
import type { Level, Solution } from '../io/schema.js';
import { sanitize } from '../io/sanitize.js';
import { SOLUTION_FORMAT } from '../io/schema.js';
import { hooksOf, levelConfig } from '../sim/score.js';
import {
  ARCH_IDS, DEVICE_IDS, KERNEL_IDS, SITES, SITE_IDS, WORKLOAD_IDS,
  type ArchId, type DeviceId, type KernelId, type SiteId, type When, type WorkloadId,
} from '../sim/model.js';
import type { Hook } from '../sim/types.js';
import type { VerifyResult } from '../sim/verify.js';
import { lanesFor, laneSites, slotColumns } from './graph.js';
import { resolveKey, type Context, type Action as KeyAction } from './keymap.js';
import type { LoadedSolution, Progress, SavedEntry, Settings } from './ports.js';
import type { RunSnap } from './session.js';

export type Screen =
  | 'menu' | 'levels' | 'briefing' | 'board' | 'run' | 'results' | 'sandbox'
  | 'solutions' | 'import' | 'settings';

export const MENU_ITEMS = [
  { id: 'continue', label: 'Continue' },
  { id: 'campaign', label: 'Campaign' },
  { id: 'sandbox', label: 'Sandbox' },
  { id: 'solutions', label: 'My solutions' },
  { id: 'import', label: 'Import a share code' },
  { id: 'settings', label: 'Settings' },
  { id: 'help', label: 'Help' },
  { id: 'quit', label: 'Quit' },
] as const;

export const SETTINGS_ITEMS = ['color', 'animation', 'playerName', 'savesDir', 'workshopDir'] as const;
export type SettingsItem = (typeof SETTINGS_ITEMS)[number];

export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export const ANIMATION_MODES = ['full', 'reduced', 'off'] as const;

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
}

export interface RunState {
  id: number;
  seed: number;
  paused: boolean;
  speed: number;
  snap: RunSnap | null;
  log: string[];
  phase: 'running' | 'scoring';
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

export interface TextInput {
  purpose: 'saveName' | 'importCode' | 'playerName' | 'savesDir' | 'workshopDir';
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
  | { kind: 'save'; solution: Solution; overwrite: boolean }
  | { kind: 'share'; solution: Solution }
  | { kind: 'decode'; code: string }
  | { kind: 'fit'; solution: Solution; level: Level | null }
  | { kind: 'settings'; patch: Partial<Settings> }
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
  cursor: Record<'menu' | 'levels' | 'solutions' | 'settings', number>;
  level: Level | null;
  briefingScroll: number;
  hintsShown: number;
  board: Board;
  sandbox: Sandbox;
  run: RunState | null;
  nextRunId: number;
  results: Results | null;
  solutions: SavedEntry[];
  text: TextInput | null;
  help: boolean;
  /** page of the help overlay (the view wraps it around) */
  helpPage: number;
  /** the key context under the help overlay (its keys are listed first) */
  helpFor: Context;
  message: string | null;
  effects: Effect[];
  quitting: boolean;
}

export interface Init {
  campaign: Level[];
  progress: Progress;
  settings: Settings;
  forceNoColor?: boolean;
  noColorFlag?: boolean;
  /** open this level's briefing at start (`pvlab play <level>`) */
  startLevel?: string;
  /** shown in the message line at start (e.g. the settings file was reset) */
  message?: string;
}

const emptyBoard = (): Board => ({ hooks: [], past: [], future: [], col: 0, lane: 0, guilty: null });
/** A level's board when it opens: a review level's proposal, else empty. */
const startBoard = (lv: Level): Board => ({ ...emptyBoard(), hooks: hooksOf(lv.start ?? []) });

export function initialState(init: Init): State {
  const s: State = {
    screen: 'menu', stack: [], campaign: init.campaign, progress: init.progress, settings: init.settings,
    forceNoColor: init.forceNoColor ?? false, noColorFlag: init.noColorFlag ?? false,
    cursor: { menu: 0, levels: 0, solutions: 0, settings: 0 },
    level: null, briefingScroll: 0, hintsShown: 0, board: emptyBoard(),
    sandbox: { arch: 's390-pv', kernel: '6.5', device: 'ccw', workloads: ['kvm_fault', 'swap'], pages: 128, field: 0, wcursor: 0 },
    run: null, nextRunId: 1, results: null, solutions: [], text: null, help: false, helpPage: 0, helpFor: 'menu', message: init.message ?? null,
    effects: [], quitting: false,
  };
  if (init.startLevel) {
    const lv = init.campaign.find((l) => l.id === init.startLevel);
    if (lv) return { ...openBriefing({ ...s, screen: 'levels', stack: ['menu'], cursor: { ...s.cursor, levels: init.campaign.indexOf(lv) } }, lv), message: s.message };
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
  if (isSolved(s, lv.id)) return true;
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
  | { type: 'error'; message: string };

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
const withEffect = (s: State, ...e: Effect[]): State => ({ ...s, effects: [...s.effects, ...e] });

function go(s: State, screen: Screen): State {
  return { ...s, stack: [...s.stack, s.screen], screen, message: null };
}

function back(s: State): State {
  if (s.screen === 'menu') return withEffect({ ...s, quitting: true }, { kind: 'exit' });
  const stack = s.stack.slice();
  let screen: Screen = stack.pop() ?? 'menu';
  while (screen === 'run') screen = stack.pop() ?? 'board'; // never back into a run
  // leaving a run abandons it (its frame loop stops)
  return { ...s, stack, screen, message: null, run: s.screen === 'run' ? null : s.run };
}

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
    id: 'sandbox', title: 'Sandbox', chapter: 1,
    briefing: `Your own machine: ${sb.arch}, kernel ${sb.kernel}, ${sb.device} devices, ${sb.pages} pages, workloads ${sb.workloads.join(', ')}. Every site is offered; nothing is scored against par.`,
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
export function toggleHook(hooks: readonly Hook[], site: SiteId): Hook[] {
  const whens = SITES[site].when;
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
    case 'toggle': return site ? { ...s, board: setHooks(b, toggleHook(b.hooks, site)), message: null } : s;
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
    case 'faster': return { ...s, run: { ...r, speed: clamp(r.speed + 1, 0, SPEEDS.length - 1), paused: false } };
    case 'slower': return { ...s, run: { ...r, speed: clamp(r.speed - 1, 0, SPEEDS.length - 1) } };
    case 'finish': return done ? s : withEffect({ ...s, run: { ...r, paused: true } }, { kind: 'runStep', runId: r.id, n: Infinity });
    case 'select': return done && r.phase === 'running' ? scoring(s) : s;
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
  return { ...s, run: { ...r, snap: { ...snap, newLines: [] }, log } };
}

// ---- results -----------------------------------------------------------------------------

function solutionOf(s: State, name: string): Solution {
  return {
    format: SOLUTION_FORMAT, level: s.level!.id, name, author: s.settings.playerName,
    hooks: s.results?.hooks ?? s.board.hooks,
  };
}

function nextLevel(s: State): Level | null {
  const i = s.campaign.findIndex((l) => l.id === s.level?.id);
  return i >= 0 && i + 1 < s.campaign.length ? s.campaign[i + 1] : null;
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
    case 'up': return { ...s, results: { ...res, scroll: Math.max(0, res.scroll - 1) } };
    case 'down': return { ...s, results: { ...res, scroll: res.scroll + 1 } };
    case 'toBoard': return toBoardFromResults(s);
    case 'retry': return startRun({ ...s, screen: 'board', stack: boardStack(s) });
    case 'save':
      if (!v.passed) return { ...s, message: 'only a passing solution can be saved' };
      return { ...s, text: { purpose: 'saveName', value: res.savedAs ?? defaultName(s) }, message: null };
    case 'overwrite':
      if (!res.exists) return s;
      return withEffect({ ...s, message: `overwriting '${res.exists}'…` },
        { kind: 'save', solution: solutionOf(s, res.exists), overwrite: true });
    case 'share':
      if (!v.passed) return { ...s, message: 'only a passing solution can be shared' };
      return withEffect(s, { kind: 'share', solution: solutionOf(s, res.savedAs ?? defaultName(s)) });
    case 'next': {
      if (!v.passed) return { ...s, message: 'pass this level first' };
      const nx = nextLevel(s);
      if (!nx) return { ...s, message: s.level?.id === 'sandbox' ? 'the sandbox has no next level' : 'that was the last level of the campaign' };
      return openBriefing({ ...s, stack: ['menu', 'levels'], cursor: { ...s.cursor, levels: s.campaign.indexOf(nx) } }, nx);
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
    const f = cx.failure;
    const lanes = lanesOf(lv);
    const lane = Math.max(0, lanes.findIndex((l) => l.workload === f.workload));
    const slots = slotsOf(lv);
    // the failing site if it is a slot; else the last slot on the guilty path
    let col = f.site ? slots.indexOf(f.site) : -1;
    if (col < 0) {
      const on = laneSites(lanes[lane] ?? lanes[0]).filter((x) => slots.includes(x));
      col = on.length ? slots.indexOf(on[on.length - 1]) : board.col;
    }
    board = { ...board, lane, col: Math.max(0, col), guilty: { workload: f.workload, ...(f.site ? { site: f.site } : {}) } };
  }
  return { ...s, screen: 'board', stack: boardStack(s), board, message: null };
}

/** The stack as it was on the board (before the run and the results). */
function boardStack(s: State): Screen[] {
  const i = s.stack.lastIndexOf('board');
  return i >= 0 ? s.stack.slice(0, i) : s.stack.filter((x) => x !== 'run' && x !== 'results');
}

// ---- sandbox -----------------------------------------------------------------------------

function cycle<T>(list: readonly T[], cur: T, d: number): T {
  const i = list.indexOf(cur);
  return list[(i + d + list.length) % list.length];
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
        case 'arch': return { ...s, sandbox: { ...sb, arch: cycle(ARCH_IDS, sb.arch, d) } };
        case 'kernel': return { ...s, sandbox: { ...sb, kernel: cycle(KERNEL_IDS, sb.kernel, d) } };
        case 'device': return { ...s, sandbox: { ...sb, device: cycle(DEVICE_IDS, sb.device, d) } };
        case 'pages': return { ...s, sandbox: { ...sb, pages: cycle(SANDBOX_PAGES, sb.pages as (typeof SANDBOX_PAGES)[number], d) } };
        case 'workloads': return { ...s, sandbox: { ...sb, wcursor: (sb.wcursor + d + WORKLOAD_IDS.length) % WORKLOAD_IDS.length } };
      }
      return s;
    case 'toggle': case 'select': {
      if (field !== 'workloads') return s;
      const w = WORKLOAD_IDS[sb.wcursor];
      const has = sb.workloads.includes(w);
      const workloads = has ? sb.workloads.filter((x) => x !== w) : WORKLOAD_IDS.filter((x) => x === w || sb.workloads.includes(x));
      return { ...s, sandbox: { ...sb, workloads } };
    }
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
    case 'sandbox': return go(s, 'sandbox');
    case 'solutions':
      return withEffect({ ...go(s, 'solutions'), solutions: [], cursor: { ...s.cursor, solutions: 0 } },
        { kind: 'listSolutions', levelIds: [...s.campaign.map((l) => l.id), 'sandbox'], purpose: 'browse' });
    case 'import': return { ...go(s, 'import'), text: { purpose: 'importCode', value: '' } };
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

function briefingKey(s: State, a: KeyAction): State {
  const lv = s.level!;
  switch (a) {
    case 'hint': {
      if (s.hintsShown >= lv.hints.length) return { ...s, message: lv.hints.length ? 'no more hints' : 'this level has no hints' };
      const step = s.hintsShown + 1;
      return withEffect({ ...s, hintsShown: step, message: null }, { kind: 'recordHint', levelId: lv.id, step });
    }
    case 'toBoard': return s.stack[s.stack.length - 1] === 'board' ? back(s) : { ...go(s, 'board') };
    case 'up': return { ...s, briefingScroll: Math.max(0, s.briefingScroll - 1) };
    case 'down': return { ...s, briefingScroll: s.briefingScroll + 1 };
    default: return s;
  }
}

function settingsKey(s: State, a: KeyAction): State {
  const n = SETTINGS_ITEMS.length;
  const c = s.cursor.settings;
  switch (a) {
    case 'up': return { ...s, cursor: { ...s.cursor, settings: clamp(c - 1, 0, n - 1) } };
    case 'down': return { ...s, cursor: { ...s.cursor, settings: clamp(c + 1, 0, n - 1) } };
    case 'toggle': case 'select': {
      const item = SETTINGS_ITEMS[c];
      if (item === 'color') return withEffect(s, { kind: 'settings', patch: { color: cycle(COLOR_MODES, s.settings.color, 1) } });
      if (item === 'animation') return withEffect(s, { kind: 'settings', patch: { animation: cycle(ANIMATION_MODES, s.settings.animation, 1) } });
      return { ...s, text: { purpose: item, value: s.settings[item] } };
    }
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
      if (!lv) return { ...s, message: `level '${e.level}' is not in the campaign` };
      const idx = s.campaign.indexOf(lv);
      if (idx >= 0 && !isUnlocked(s, idx)) return { ...s, message: 'that level is still locked' };
      const sol: Solution = { format: SOLUTION_FORMAT, level: e.level, name: e.name, author: '', hooks: e.hooks };
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
  const base = openBriefing(s, level);
  return { ...base, screen: 'board', stack: [...base.stack, 'briefing'], board: { ...emptyBoard(), hooks: loaded.hooks }, message: note };
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
      return withEffect({ ...s, text: null, message: `saving '${v}'…` },
        { kind: 'save', solution: solutionOf(s, v), overwrite: false });
    case 'importCode':
      if (!v) return { ...s, message: 'paste a share code first' };
      return withEffect({ ...s, message: 'reading the code…' }, { kind: 'decode', code: v });
    case 'playerName': case 'savesDir': case 'workshopDir':
      if (t.purpose !== 'playerName' && !v) return { ...s, message: 'a folder, please' };
      return withEffect({ ...s, text: null }, { kind: 'settings', patch: { [t.purpose]: v } });
  }
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
      if (ctx === 'text' && m.text && !m.name.startsWith('ctrl+')) return reduce(s, { type: 'text', text: m.text });
      return s;
    }
    case 'key': return key(s, m.action);
    case 'text': {
      if (!s.text) return s;
      // one line of printable text (pastes arrive whole); control characters are dropped
      const clean = sanitize(m.text).replace(/[\r\n]+/g, '');
      const max = s.text.purpose === 'importCode' ? 8192 : 80;
      return { ...s, text: { ...s.text, value: (s.text.value + clean).slice(0, max) } };
    }
    case 'effectsTaken': return { ...s, effects: s.effects.slice(m.count) };
    case 'runFrame': {
      const next = runFrame(s, m.runId, m.snap);
      // the run ends by itself: score at once when animation is off
      if (m.snap.done && next.run?.phase === 'running' && s.settings.animation === 'off') return scoring(next);
      return next;
    }
    case 'verified': {
      if (!s.run || s.run.id !== m.runId) return s;
      const lv = s.level!;
      const sandbox = lv.id === 'sandbox';
      const results: Results = { verify: m.result, hooks: m.hooks, others: [], cx: 0, scroll: 0, shareCode: null, exists: null, savedAs: null };
      const next: State = { ...s, screen: 'results', results, run: { ...s.run, phase: 'running' } };
      return withEffect(next,
        ...(sandbox ? [] : [{ kind: 'recordResult', level: lv, hooks: m.hooks, result: m.result } as Effect]),
        { kind: 'listSolutions', levelIds: [lv.id], purpose: 'results', level: lv });
    }
    case 'progress': return { ...s, progress: m.progress };
    case 'solutionsListed':
      if (m.purpose === 'browse') return { ...s, solutions: m.entries };
      return s.results ? { ...s, results: { ...s.results, others: m.entries } } : s;
    case 'saved':
      return s.results
        ? { ...s, results: { ...s.results, savedAs: m.name, exists: null }, message: `saved '${m.name}' to ${m.file}` }
        : { ...s, message: `saved to ${m.file}` };
    case 'saveExists':
      return s.results ? { ...s, results: { ...s.results, exists: m.name }, message: `'${m.name}' exists: o overwrites it (a backup is kept), s picks another name` } : s;
    case 'shared': return s.results ? { ...s, results: { ...s.results, shareCode: m.code }, message: 'share code below: copy it whole' } : s;
    case 'decoded': {
      const lv = m.solution.level === 'sandbox' ? sandboxLevel(s.sandbox) : s.campaign.find((l) => l.id === m.solution.level) ?? null;
      if (!lv) return { ...s, message: `the code is for level '${m.solution.level}', which this campaign does not have` };
      const idx = s.campaign.indexOf(lv);
      if (idx >= 0 && !isUnlocked(s, idx)) return { ...s, message: `the code is for '${lv.title}', which is still locked` };
      return withEffect({ ...s, text: null }, { kind: 'fit', solution: m.solution, level: lv });
    }
    case 'fitted': return fitted({ ...s, text: null }, m.loaded, m.level);
    case 'settingsChanged': return { ...s, settings: m.settings, message: 'settings saved' };
    case 'error': return { ...s, message: m.message };
  }
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
  if (a === 'back') return back(s);
  switch (s.screen) {
    case 'menu': {
      const n = MENU_ITEMS.length;
      if (a === 'up') return { ...s, cursor: { ...s.cursor, menu: (s.cursor.menu - 1 + n) % n } };
      if (a === 'down') return { ...s, cursor: { ...s.cursor, menu: (s.cursor.menu + 1) % n } };
      if (a === 'select') return menuSelect(s);
      return s;
    }
    case 'levels': return levelsKey(s, a);
    case 'briefing': return briefingKey(s, a);
    case 'board': return boardKey(s, a);
    case 'run': return runKey(s, a);
    case 'results': return s.results ? resultsKey(s, a) : s;
    case 'sandbox': return sandboxKey(s, a);
    case 'solutions': return solutionsKey(s, a);
    case 'settings': return settingsKey(s, a);
    case 'import': return a === 'select' ? { ...s, text: { purpose: 'importCode', value: '' } } : s;
  }
}
