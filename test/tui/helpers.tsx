// Shared helpers for the TUI tests: an in-memory Persistence, the example campaign, and
// a render wrapper that sends keys under act() (a key written before Ink subscribes its
// input handler is lost; docs/contributing.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { act } from 'react';
import { render } from 'ink-testing-library';
import { onTestFinished } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import { SOLUTION_FORMAT, type Level, type Solution } from '../../src/io/schema.js';
import type { Hook } from '../../src/sim/types.js';
import { App, type Size } from '../../src/tui/app.js';
import { runJob } from '../../src/tui/jobs.js';
import type { BuildOutcome, LevelDraft } from '../../src/tui/ports.js';
import type { LevelProgress, Persistence, Progress, SavedEntry, Settings, SolutionDraft } from '../../src/tui/ports.js';
import { MENU_ITEMS, type Init } from '../../src/tui/state.js';

export const KEYS = {
  up: '\u001b[A', down: '\u001b[B', right: '\u001b[C', left: '\u001b[D',
  enter: '\r', escape: '\u001b', space: ' ', backspace: '\u007f', pageDown: '\u001b[6~',
} as const;

/** A fixed one-level campaign (the project's first example level), so these tests do not
 * follow every edit of the real campaign; test/e2e plays the real one. */
export const FIXTURE_LEVELS = fileURLToPath(new URL('./fixtures/levels/', import.meta.url));

export function campaign(): Level[] {
  return loadCampaign(FIXTURE_LEVELS).map((e) => e.level);
}

/** A small second level so unlock order can be tested with the one shipped level. */
export function twoLevels(): Level[] {
  const [a] = campaign();
  const b: Level = { ...a, id: 'second-level', title: 'The second level', order: (a.order ?? 0) + 1, epilogue: undefined };
  return [a, b];
}

export const defaultSettings = (): Settings => ({
  color: 'auto', animation: 'off', animationSpeed: 1, playerName: 'ada', savesDir: '/tmp/fake-saves', workshopDir: '', fog: 'auto',
});

export interface FakePersistence extends Persistence {
  saved: SolutionDraft[];
  hints: { levelId: string; step: number }[];
  results: { levelId: string; passed: boolean; hooks: readonly Hook[] }[];
  progress: Progress;
  current: Settings;
  codes: Map<string, Solution>;
  /** kernel patches written (savePatch) */
  patches: { file: string; text: string }[];
  /** levels asked for outside the campaign (loadLevel), and the builder's drafts */
  loaded: string[];
  drafts: LevelDraft[];
  /** while set, loadLevel and buildLevel wait for it (a test sees the screen meanwhile) */
  hold: Promise<void> | null;
}

export function fakePersistence(init: Partial<{ progress: Progress; settings: Settings; saved: SolutionDraft[] }> = {}): FakePersistence {
  const p: FakePersistence = {
    saved: [...(init.saved ?? [])],
    hints: [],
    results: [],
    progress: init.progress ?? { levels: {} },
    current: init.settings ?? defaultSettings(),
    codes: new Map(),
    patches: [],
    loaded: [],
    drafts: [],
    hold: null,
    // the real jobs (generation, the builder) in this thread, after a tick
    loadLevel: async (ref) => {
      p.loaded.push(ref.id);
      if (p.hold) await p.hold;
      return runJob({ kind: 'level', id: ref.id }) as Level;
    },
    buildLevel: async (draft, takenIds) => {
      p.drafts.push(draft);
      if (p.hold) await p.hold;
      return runJob({ kind: 'build', draft, takenIds }) as BuildOutcome;
    },
    settings: () => p.current,
    updateSettings: (patch) => (p.current = { ...p.current, ...patch }),
    loadProgress: () => p.progress,
    recordResult: (level, hooks, result) => {
      p.results.push({ levelId: level.id, passed: result.passed, hooks });
      const old: LevelProgress = p.progress.levels[level.id] ?? { solved: false, stars: 0, best: {}, hints: 0 };
      const lp: LevelProgress = result.passed
        ? { ...old, solved: true, stars: Math.max(old.stars, result.stars), best: { ...old.best, cost: Math.min(old.best.cost ?? Infinity, result.metrics.cost) } }
        : old;
      p.progress = { ...p.progress, levels: { ...p.progress.levels, [level.id]: lp } };
      return p.progress;
    },
    recordHint: (levelId, step) => {
      p.hints.push({ levelId, step });
      const old: LevelProgress = p.progress.levels[levelId] ?? { solved: false, stars: 0, best: {}, hints: 0 };
      p.progress = { ...p.progress, levels: { ...p.progress.levels, [levelId]: { ...old, hints: Math.max(old.hints, step) } } };
      return p.progress;
    },
    setLastLevel: (levelId) => { p.progress = { ...p.progress, lastLevel: levelId }; },
    listSolutions: (levelId): SavedEntry[] =>
      p.saved.filter((s) => s.level === levelId).map((s) => ({
        name: s.name, file: `/tmp/fake-saves/${s.level}--${s.name}.json`, level: s.level, hooks: s.hooks as Hook[],
      })),
    saveSolution: (sol, { overwrite }) => {
      const i = p.saved.findIndex((x) => x.level === sol.level && x.name === sol.name);
      if (i >= 0 && !overwrite) return { ok: false, exists: true, message: 'exists' };
      if (i >= 0) p.saved[i] = sol; else p.saved.push(sol);
      return { ok: true, file: `/tmp/fake-saves/${sol.level}--${sol.name}.json` };
    },
    savePatch: (sol, text) => {
      const file = `/tmp/fake-saves/${sol.level}--${sol.name}.patch`;
      p.patches.push({ file, text });
      return { ok: true, file };
    },
    encodeShare: (sol) => {
      const code = `code-${p.codes.size + 1}`;
      p.codes.set(code, { ...sol, format: SOLUTION_FORMAT });
      return code;
    },
    decodeShare: (code) => {
      const s = p.codes.get(code.trim());
      if (!s) throw new Error('not a pvlab share code');
      return s;
    },
    fitSolution: (solution, level) => {
      const offered = new Set<string>(level?.sites ?? []);
      const keep = solution.hooks.filter((h) => !level || offered.has(h.site)) as Hook[];
      const dropped = solution.hooks.filter((h) => level && !offered.has(h.site)).map((h) => `site '${h.site}' is not offered`);
      return { solution, hooks: keep, dropped };
    },
  };
  return p;
}

export interface Rendered {
  frame: () => string;
  press: (...keys: string[]) => Promise<void>;
  /** `n` presses of one key in one write, as key repeat delivers them (see below) */
  repeat: (key: string, n: number) => Promise<void>;
  /** on the main menu: move the cursor to the entry `id` (MENU_ITEMS), wherever it is */
  menuTo: (id: (typeof MENU_ITEMS)[number]['id']) => Promise<void>;
  type: (text: string) => Promise<void>;
  rerender: (size: Size) => Promise<void>;
  unmount: () => Promise<void>;
  frames: string[];
  ports: FakePersistence;
}

export async function renderApp(
  over: Partial<Init> = {},
  o: { ports?: FakePersistence; size?: Size; onExit?: () => void; warm?: boolean } = {},
): Promise<Rendered> {
  const ports = o.ports ?? fakePersistence();
  const init: Init = {
    campaign: campaign(), progress: ports.loadProgress(), settings: ports.settings(), ...over,
  };
  const size = o.size ?? { columns: 100, rows: 30 };
  const el = (sz: Size) => <App init={init} ports={ports} size={sz} {...(o.onExit ? { onExit: o.onExit } : {})} warm={o.warm ?? false} />;
  let inst!: ReturnType<typeof render>;
  await act(async () => {
    inst = render(el(size));
  });
  const repeat = async (key: string, n: number) => {
    await act(async () => {
      inst.stdin.write(key.repeat(n));
    });
  };
  /** the menu entry under the cursor ('› ' and its label), as an index of MENU_ITEMS */
  const menuCursor = (): number => {
    const f = (inst.lastFrame() ?? '').replace(/\u001b\[[0-9;]*m/g, '');
    return MENU_ITEMS.findIndex((m) => new RegExp(`› ${m.label}(\\s|$)`, 'm').test(f));
  };
  return {
    frame: () => inst.lastFrame() ?? '',
    frames: inst.frames,
    ports,
    /** each key in its own act(): one key per write, like one key per keypress */
    press: async (...keys) => {
      for (const k of keys) {
        await act(async () => {
          inst.stdin.write(k);
        });
      }
    },
    /**
     * n presses of `key` in one chunk, as key repeat or `tmux send-keys` deliver them: Ink
     * reads each as a key of its own and the reducer takes them one by one, in order (the
     * burst handling a player's held key relies on), but the screen draws once, not n
     * times. For keys whose frames in between no test reads (scrolling, moving a cursor).
     */
    repeat,
    /**
     * The entry found by its id, not by a count of Down presses kept in the test: from the
     * entry under the cursor on screen, the Up or Down presses to it (one key-repeat
     * chunk), then the cursor on screen is checked to be on it.
     */
    menuTo: async (id) => {
      const want = MENU_ITEMS.findIndex((m) => m.id === id);
      const at = menuCursor();
      if (want < 0 || at < 0) throw new Error(`menuTo('${id}'): ${at < 0 ? 'no menu cursor on screen' : 'no such entry'}:\n${inst.lastFrame() ?? ''}`);
      if (want !== at) await repeat(want > at ? KEYS.down : KEYS.up, Math.abs(want - at));
      if (menuCursor() !== want) throw new Error(`menuTo('${id}'): the cursor is not on '${MENU_ITEMS[want]!.label}':\n${inst.lastFrame() ?? ''}`);
    },
    type: async (text) => {
      await act(async () => {
        inst.stdin.write(text);
      });
    },
    rerender: async (sz) => {
      await act(async () => {
        inst.rerender(el(sz));
      });
    },
    unmount: async () => {
      await act(async () => {
        // Ink draws a last frame at unmount while stdout is writable: the frame already
        // drawn, at the cost of another (no test reads it)
        (inst.stdout as unknown as { writable: boolean }).writable = false;
        inst.unmount();
        inst.cleanup();
      });
    },
  };
}

/** A new folder under the system's temp folder, removed when the current test ends (after its afterEach). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Let deferred work (setTimeout 0: scoring) run. */
export async function settle(ms = 0): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
}
