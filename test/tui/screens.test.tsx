// Every screen through ink-testing-library: keys typed, frames asserted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import chalk from 'chalk';
import { KEYS, defaultSettings, fakePersistence, renderApp, settle, twoLevels, type Rendered } from './helpers.js';

let app: Rendered | null = null;
afterEach(async () => {
  vi.useRealTimers();
  if (app) await app.unmount();
  app = null;
});

const { up, down, right, left, enter, escape, space, backspace } = KEYS;
const COLOUR = /\u001b\[(3[0-7]|9[0-7]|38;)/;

describe('menu', () => {
  it('lists every entry with the cursor shown by a symbol, and quits with q', async () => {
    const onExit = vi.fn();
    app = await renderApp({}, { onExit });
    const f = app.frame();
    for (const item of ['Continue', 'Campaign', 'Sandbox', 'My solutions', 'Import a share code', 'Settings', 'Help', 'Quit']) {
      expect(f).toContain(item);
    }
    expect(f).toContain('› Continue');
    expect(f).toContain('? help');
    await app.press(down);
    expect(app.frame()).toContain('› Campaign');
    await app.press('q');
    expect(onExit).toHaveBeenCalledOnce();
  });
});

describe('level select', () => {
  it('shows chapters and locked/open/solved marks in words and symbols, and the best scores', async () => {
    const ports = fakePersistence({ progress: { levels: { 'swap-pressure': { solved: true, stars: 3, best: { cost: 4187.1, hooks: 1 }, hints: 1, attempts: 1 } } } });
    app = await renderApp({ campaign: twoLevels() }, { ports });
    await app.menuTo('campaign');
    await app.press(enter);
    let f = app.frame();
    expect(f).toContain('Chapter 1: Secure Execution basics');
    expect(f).toContain('✓ solved ★★★  Swap under memory pressure');
    expect(f).toContain('• open        The second level'); // titles aligned with the stars of a solved row
    expect(f).toContain('› • open'); // continue target: the first unsolved level
    await app.press(up);
    f = app.frame();
    expect(f).toMatch(/cost\s+4187\.1/);
    expect(f).toMatch(/hooks\s+1\s+par 1/);
    expect(f).toContain('hints used: 1');
  });

  it('refuses a locked level with a message', async () => {
    app = await renderApp({ campaign: twoLevels() });
    await app.menuTo('campaign');
    await app.press(enter, down, enter);
    expect(app.frame()).toContain('× locked');
    expect(app.frame()).toContain('» locked: solve the level before it first');
  });
});

describe('briefing', () => {
  it('shows story, objectives, workloads, arch; h reveals hints one by one and records them', async () => {
    app = await renderApp();
    await app.press(enter);
    let f = app.frame();
    expect(f).toContain('Swap under memory pressure');
    expect(f).toContain('s390 Protected Virtualization');
    expect(f).toContain('Objectives');
    expect(f).toContain('reclaim    swap under memory pressure');
    expect(f).toContain('Hints 0/3');
    await app.press('h');
    f = app.frame();
    expect(f).toContain('Hints 1/3');
    expect(f).toContain('1. The device reads the page after PG_writeback is set.');
    expect(f).not.toContain('2. reclaim_scan');
    expect(app.ports.hints).toEqual([{ levelId: 'swap-pressure', step: 1 }]);
  });
});

describe('board', () => {
  it('draws the call graph with the slots; places a hook and cycles its when; explains the site', async () => {
    app = await renderApp();
    await app.press(enter, enter);
    let f = app.frame();
    expect(f).toContain('pvlab · board');
    expect(f).toMatch(/›guest\s+─+▶ guest/);
    expect(f).toMatch(/reclaim\s+─+o─+o─+/);
    expect(f).toContain('reclaim_scan — no hook');
    // spoiler-free before the level is solved: what the site is, not its history
    expect(f).toContain('held: no page lock');
    expect(f).not.toContain('mainline: ');
    await app.press(right, space);
    f = app.frame();
    expect(f).toContain('[H:a]');
    expect(f).toContain('ptep_clear — HOOK (when any)');
    expect(f).toContain('workloads through it: reclaim');
    expect(f).toContain('hooks (1): ptep_clear[any]');
    expect(f).toContain('─●─');
    await app.press(space);
    expect(app.frame()).toContain('hooks (1): ptep_clear[live]');
    await app.press(down);
    expect(app.frame()).toContain('reclaim: shrink_active_list → [reclaim_scan] → folio_lock → try_to_unmap → [ptep_clear HOOK:live]');
    await app.press('u', 'u');
    expect(app.frame()).toContain('hooks (0): none yet');
    await app.press('y');
    expect(app.frame()).toContain('hooks (1): ptep_clear[any]');
  });
});

describe('run', () => {
  it('animates with frames: progress bars, counters, a log; pause, step, fast-forward, results', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const ports = fakePersistence({ settings: { ...defaultSettings(), animation: 'full' } });
    app = await renderApp({}, { ports });
    await app.press(enter, enter, right, space, space, 'r');
    let f = app.frame();
    expect(f).toContain('pvlab · run');
    expect(f).toContain('▶ running');
    await act(async () => { vi.advanceTimersByTime(33 * 5); });
    f = app.frame();
    expect(f).toMatch(/guest\s+█*░+\s+\d+\/1500 ✓ ok/);
    expect(f).toMatch(/reclaim\s+█*░+\s+\d+\/250 ✓ ok/);
    expect(f).toMatch(/I\/O errors 0 · crashes 0 · freed-secure 0 · exports \d+/);
    expect(f).toMatch(/step 80\b/);
    await app.press(space);
    expect(app.frame()).toContain('❚❚ paused');
    await act(async () => { vi.advanceTimersByTime(33 * 10); });
    expect(app.frame()).toMatch(/step 80\b/); // paused: no frames
    await app.press('s');
    expect(app.frame()).toMatch(/step 81\b/);
    await app.press('e'); // to the end
    f = app.frame();
    expect(f).toContain('■ done');
    expect(f).toContain('run complete: ✓ nothing broke on this seed');
    expect(f).toMatch(/1500\/1500/);
    await app.press(enter);
    await settle();
    expect(app.frames.some((x) => x.includes('scoring on every visible and hidden seed'))).toBe(true);
    expect(app.frame()).toContain('✓ PASS on 15/15 seeds');
  });

  it('a key during a run is read at once (the run never blocks input)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const ports = fakePersistence({ settings: { ...defaultSettings(), animation: 'full' } });
    app = await renderApp({}, { ports });
    await app.press(enter, enter, 'r');
    await act(async () => { vi.advanceTimersByTime(33 * 3); });
    await app.press('f', 'f');
    expect(app.frame()).toContain('256 steps/frame');
    await app.press(escape);
    expect(app.frame()).toContain('pvlab · board');
  });
});

describe('board of a solved level', () => {
  it('adds the site\'s history (mainline, proposals) once the level is solved', async () => {
    const ports = fakePersistence({ progress: { levels: { 'swap-pressure': { solved: true, stars: 3, best: {}, hints: 0, attempts: 1 } } } });
    app = await renderApp({}, { ports });
    await app.press(enter, enter);
    const f = app.frame();
    expect(f).toContain('reclaim_scan — no hook');
    expect(f).toContain('mainline: ');
  });
});

describe('results', () => {
  it('a pass: stars, metrics against par and saved solutions, the epilogue; save (named) and share', async () => {
    const ports = fakePersistence({ saved: [
      { level: 'swap-pressure', name: 'older', author: 'ada', hooks: [{ site: 'ptep_clear', when: 'any' }] },
    ] });
    app = await renderApp({}, { ports });
    await app.press(enter, enter, right, space, space, 'r');
    await settle();
    await settle();
    let f = app.frame();
    expect(f).toContain('✓ PASS on 15/15 seeds (3 visible, 12 hidden)');
    expect(f).toContain('★★★ 3/3 stars · all par met');
    expect(f).toMatch(/hooks\s+1\s+1 ok/);
    expect(f).toMatch(/cost\s+[\d.]+\s+—\s+[█░▲]+\s+best [\d.]+ of 1/);
    expect(f).toContain('Epilogue');
    expect(f).toContain('Mainline (v5.7, f28d43636d6f)');
    expect(f).toContain('Save this solution?');
    expect(ports.results).toEqual([{ levelId: 'swap-pressure', passed: true, hooks: [{ site: 'ptep_clear', when: 'live' }] }]);
    await app.press('s');
    expect(app.frame()).toContain('Save as: █'); // empty: typing is the name, never appended to a suggestion
    await app.type('older');
    await app.press(enter);
    expect(app.frame()).toContain("a save named 'older' exists: o overwrites");
    await app.press('o');
    expect(app.frame()).toContain("✓ saved as 'older'");
    expect(ports.saved).toHaveLength(1);
    expect(ports.saved[0].hooks).toEqual([{ site: 'ptep_clear', when: 'live' }]);
    await app.press('c');
    f = app.frame();
    expect(f).toContain('share code: code-1');
    expect(ports.codes.get('code-1')?.name).toBe('older');
  });

  it('a failure: the counterexample as a timeline with the page state, and back to the board', async () => {
    app = await renderApp();
    await app.press(enter, enter, right, right, right, space, 'r'); // kmap only: swap to disk fails
    await settle();
    let f = app.frame();
    expect(f).toMatch(/✗ FAIL: \d+ of 15 seeds fail/);
    expect(f).toMatch(/fatal-io-error on the reclaim path \(swap\), page \d+/);
    expect(f).toMatch(/step 1\/\d+/);
    expect(f).toMatch(/page \d+ after this step: SECURE/);
    const total = Number(/step 1\/(\d+)/.exec(f)![1]);
    await app.press(right);
    expect(app.frame()).toContain(`step 2/${total}`);
    await app.press('G');
    f = app.frame();
    expect(f).toContain(`step ${total}/${total}`);
    expect(f).toContain('✗ fatal-io-error');
    await app.press(left);
    expect(app.frame()).toContain(`step ${total - 1}/${total}`);
    await app.press('b');
    f = app.frame();
    expect(f).toContain('pvlab · board');
    expect(f).toContain('! the failure was on the reclaim path');
    expect(f).toMatch(/!reclaim/);
  });
});

describe('sandbox', () => {
  it('choose arch, kernel, device, workloads, pages; the board offers every site; run', async () => {
    app = await renderApp();
    await app.menuTo('sandbox');
    await app.press(enter);
    let f = app.frame();
    expect(f).toContain('Sandbox: your own machine');
    expect(f).toContain('[s390-pv]');
    expect(f).toContain('[x] kvm_fault');
    await app.press(right);
    expect(app.frame()).toContain('[sev-snp]');
    await app.press(down, down, down, right, right, right, space);
    expect(app.frame()).toContain('[x] malicious_qemu');
    await app.press(enter);
    f = app.frame();
    expect(f).toContain('pvlab · board');
    expect(f).toContain('QEMU');
    expect(f).toContain('VMNP'.toLowerCase());
    await app.press('r');
    await settle();
    expect(app.frame()).toMatch(/PASS on 5\/5 seeds|FAIL: \d+ of 5 seeds fail/);
    expect(app.frame()).toContain('sandbox: scored on 5 seeds, no par');
  });
});

describe('my solutions, import, settings', () => {
  it('my solutions lists saves of every level and opens one on its board', async () => {
    const ports = fakePersistence({ saved: [
      { level: 'swap-pressure', name: 'mine', author: '', hooks: [{ site: 'ptep_clear', when: 'live' }, { site: 'gup_fast', when: 'pin' }] },
    ] });
    app = await renderApp({}, { ports });
    await app.menuTo('solutions');
    await app.press(enter);
    expect(app.frame()).toMatch(/swap-pressure\s+mine\s+ptep_clear\[live\], gup_fast\[pin\]/);
    await app.press(enter);
    const f = app.frame();
    expect(f).toContain('pvlab · board');
    expect(f).toContain('hooks (1): ptep_clear[live]');
    expect(f).toContain("dropped: site 'gup_fast' is not offered");
  });

  it('import: paste a code; a bad one is one clear line, a good one opens the board', async () => {
    const ports = fakePersistence();
    const code = ports.encodeShare({ level: 'swap-pressure', name: 'shared', author: 'bob', hooks: [{ site: 'ptep_clear' }] });
    app = await renderApp({}, { ports });
    await app.menuTo('import');
    await app.press(enter);
    expect(app.frame()).toContain('Import a share code');
    await app.type('nonsense');
    await app.press(enter);
    expect(app.frame()).toContain('» not a pvlab share code');
    await app.repeat(backspace, 8);
    await app.type(code);
    expect(app.frame()).toContain(`code: ${code}█`);
    await app.press(enter);
    expect(app.frame()).toContain('hooks (1): ptep_clear');
    expect(app.frame()).toContain("loaded 'shared'");
  });

  it('settings: colour cycles, the player name is typed and stored', async () => {
    app = await renderApp();
    await app.menuTo('settings');
    await app.press(enter);
    expect(app.frame()).toMatch(/Colour\s+auto/);
    await app.press(enter);
    expect(app.frame()).toMatch(/Colour\s+always/);
    await app.press(down, down, enter, backspace, backspace, backspace);
    await app.type('grace');
    await app.press(enter);
    expect(app.frame()).toMatch(/Player name\s+grace/);
    expect(app.ports.current.playerName).toBe('grace');
  });
});

describe('global', () => {
  it('? shows every key of every screen; esc closes it', async () => {
    app = await renderApp({}, { size: { columns: 120, rows: 50 } });
    await app.press('?');
    const f = app.frame();
    expect(f).toContain('Help: every key');
    for (const t of ['place hook / cycle its when / remove', 'pause / resume', 'next step of the counterexample', 'next hint (recorded)', 'undo']) {
      expect(f).toContain(t);
    }
    await app.press(escape);
    expect(app.frame()).not.toContain('Help: every key');
  });

  it('a terminal smaller than 80x24 shows a clear message, and recovers when resized', async () => {
    app = await renderApp({}, { size: { columns: 60, rows: 20 } });
    expect(app.frame()).toContain('pvlab needs a terminal of at least 80x24');
    expect(app.frame()).toContain('This one is 60x20');
    await app.press(enter); // ignored while too small
    await app.rerender({ columns: 80, rows: 24 });
    const f = app.frame();
    expect(f).toContain('› Continue');
    expect(f.split('\n').length).toBeLessThanOrEqual(23);
    expect(Math.max(...f.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('fits 80x24 on every screen (no line wider, no frame taller)', async () => {
    const ports = fakePersistence({ settings: { ...defaultSettings(), animation: 'off' } });
    app = await renderApp({}, { ports, size: { columns: 80, rows: 24 } });
    const check = () => {
      const lines = app!.frame().split('\n');
      expect(lines.length).toBeLessThanOrEqual(23);
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    };
    check();
    await app.press(enter); check(); // briefing
    await app.press('h', 'h', 'h'); check();
    await app.press(enter); check(); // board
    await app.press(right, right, space, 'r');
    await settle(); check(); // results (failure)
    await app.press('b', left, space, space, 'r');
    await settle(); check(); // results (pass)
  });

  it('NO_COLOR / --no-color: no colour codes at all; colours otherwise', async () => {
    const level = chalk.level;
    chalk.level = 1; // a test's stdout is no TTY: let chalk colour as in a terminal
    try {
      // every screen of a failing and a passing run, with the scoring spinner
      const play = async () => {
        await app!.press(enter, enter, right, right, space, 'r');
        await settle();
        await app!.press('b', left, space, 'r');
        await settle();
      };
      app = await renderApp({ forceNoColor: true });
      await play();
      expect(app.frames.some((f) => f.includes('scoring'))).toBe(true);
      expect(app.frames.join('')).not.toMatch(COLOUR);
      await app.unmount();
      app = await renderApp({ noColorFlag: true, settings: { ...defaultSettings(), color: 'always' } });
      await play();
      expect(app.frames.join('')).not.toMatch(COLOUR);
      await app.unmount();
      app = await renderApp();
      await play();
      expect(app.frames.join('')).toMatch(COLOUR);
    } finally {
      chalk.level = level;
    }
  });
});
