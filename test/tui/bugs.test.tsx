// The rough edges found by playing the game as a new user, each pinned by keys typed into
// the real app (ink-testing-library) or fed to the reducer, and frames asserted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import { ARCH_IDS, WORKLOAD_IDS } from '../../src/sim/model.js';
import { scoreLevel } from '../../src/sim/score.js';
import { slotColumns } from '../../src/tui/graph.js';
import { briefingLines, count, maxScroll, bodySize, machineTitle, wrapWords } from '../../src/tui/layout.js';
import { MENU_ITEMS, epilogueMax, guiltyOf, initialState, reduce, sandboxLevel, type Msg, type State } from '../../src/tui/state.js';
import { KEYS, defaultSettings, fakePersistence, renderApp, settle, twoLevels, type Rendered } from './helpers.js';

const { down, enter, escape, space } = KEYS;
let app: Rendered | null = null;
afterEach(async () => {
  if (app) await app.unmount();
  app = null;
});

const real = () => loadCampaign().map((e) => e.level);
const keys = (s: State, ...names: string[]) => names.reduce((acc, n) => reduce(acc, { type: 'input', name: n, text: n.length === 1 ? n : '' }), s);
const send = (s: State, ...msgs: Msg[]) => msgs.reduce(reduce, s);
const taken = (s: State) => reduce(s, { type: 'effectsTaken', count: s.effects.length });

describe('briefing scrolling', () => {
  it('rule: the briefing never scrolls past its end, and presses past it are not remembered', async () => {
    app = await renderApp({}, { size: { columns: 80, rows: 24 } });
    await app.press(enter, 'h', 'h', 'h'); // all hints shown: the longest briefing
    await app.repeat('j', 30);
    const lv = twoLevels()[0];
    const { width, height } = bodySize({ columns: 80, rows: 24 }, 'briefing');
    const max = maxScroll(briefingLines(lv, 3, width).length, height);
    expect(max).toBeGreaterThan(6); // the test means something: the text is taller than the view
    let f = app.frame();
    expect(f).toContain(`↑ ${count(max, 'more line')} above`);
    expect(f).toContain('3. '); // the last hint, the end of the text
    await app.press('k', 'k', 'k', 'k', 'k', 'k');
    f = app.frame();
    expect(f).toContain(`↑ ${count(max - 6, 'more line')} above`);
    expect(f).toContain('↓ more below');
  });
});

describe('run controls', () => {
  it('rule: f speeds a paused run up without resuming it', async () => {
    const ports = fakePersistence({ settings: { ...defaultSettings(), animation: 'full' } });
    app = await renderApp({}, { ports });
    await app.press(enter, enter, 'r', space);
    expect(app.frame()).toContain('❚❚ paused');
    await app.press('f');
    const f = app.frame();
    expect(f).toContain('❚❚ paused');
    expect(f).toContain('64 steps/frame');
    expect(f).not.toContain('▶ running');
  });
});

describe('the failed hook on the board', () => {
  it('rule: back on the board the hook that failed is marked X and the cursor is on it (sev-snp)', async () => {
    const lv = real().find((l) => l.id === 'sev-snp')!;
    const slots = slotColumns(lv.sites);
    // the keys of the report: the second slot, three presses cycle its hook's `when`; run; results; board
    let s = initialState({ campaign: [lv], progress: { levels: {} }, settings: defaultSettings(), startLevel: lv.id });
    s = keys(s, 'enter', 'right', 'space', 'space', 'space');
    const hooks = s.board.hooks;
    expect(hooks.map((h) => h.site)).toEqual([slots[1]]);
    s = keys(taken(s), 'r');
    const result = scoreLevel(lv, hooks);
    expect(result.passed).toBe(false);
    s = send(taken(s), { type: 'verified', runId: s.run!.id, result, hooks });
    const g = guiltyOf(lv, result.counterexample!);
    expect(g.site).toBe(slots[1]); // the hook placed is the one that failed
    expect(result.counterexample!.trace.some((e) => e.action === 'hook-fails' && e.site === slots[1])).toBe(true);
    s = keys(s, 'b');
    expect(s.screen).toBe('board');
    expect(s.board.col).toBe(1);
    expect(s.board.guilty).toEqual(g);

    // and on screen: the X the legend promises, on the guilty path
    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { size: { columns: 100, rows: 30 } });
    await app.press(enter, KEYS.right, space, space, space, 'r');
    await settle(50);
    await app.press('b');
    const f = app.frame();
    expect(f).toContain('X failed here');
    const guiltyRow = f.split('\n').find((l) => l.startsWith('!') && l.includes('─'));
    expect(guiltyRow).toBeDefined();
    expect(guiltyRow).toContain('X');
    expect(f).toContain(`${slots[1]} — HOOK`); // the side panel explains the slot under the cursor
  });
});

describe('saving on the results screen', () => {
  it('rule: the saved column counts a save at once; one message for a name that exists', async () => {
    const ports = fakePersistence({ saved: [{ level: 'swap-pressure', name: 'older', author: 'ada', hooks: [{ site: 'ptep_clear', when: 'any' }] }] });
    app = await renderApp({}, { ports });
    // the reference placement of the fixture level: ptep_clear on live PTEs
    await app.press(enter, enter);
    for (let i = 0; i < 5 && !app.frame().includes('ptep_clear — '); i++) await app.press(KEYS.right);
    await app.press(space, space, 'r');
    await settle(50);
    let f = app.frame();
    expect(f).toContain('PASS');
    const before = /best [\d.]+ of (\d+)/.exec(f)?.[1] ?? '0';
    // the save box starts empty: the name is what is typed
    await app.press('s');
    await app.type('mine');
    await app.press(enter);
    await settle(20);
    f = app.frame();
    expect(f).toContain("✓ saved as 'mine'");
    expect(f).toMatch(new RegExp(`best [\\d.]+ of ${Number(before) + 1}`));
    // the same name again: said once, no overwrite offered for the same solution
    await app.press('s');
    await app.type('mine');
    await app.press(enter);
    f = app.frame();
    expect(f).toContain('already saved as');
    // another solution's name: the line under the prompt says it, alone
    await app.press('s');
    await app.repeat(KEYS.backspace, 30);
    await app.type('older');
    await app.press(enter);
    await settle(20);
    f = app.frame();
    expect(f).toContain("a save named 'older' exists");
    expect(f).not.toContain('✓ saved as');
    expect(f.match(/older/g)!.length).toBe(1 + (f.includes('older solution') ? 1 : 0));
  });
});

describe('back navigation', () => {
  it('rule: esc retraces the way the player came (campaign → level → board → results → next level)', () => {
    let s = initialState({ campaign: twoLevels(), progress: { levels: {} }, settings: defaultSettings() });
    s = keys(s, 'down', 'enter', 'enter', 'enter'); // campaign, first level's briefing, board
    expect(s.screen).toBe('board');
    const hooks = [{ site: 'ptep_clear' as const, when: 'live' as const }];
    s = { ...s, board: { ...s.board, hooks } };
    s = keys(taken(s), 'r');
    s = send(taken(s), { type: 'verified', runId: s.run!.id, result: scoreLevel(s.level!, hooks), hooks });
    expect(s.screen).toBe('results');
    s = keys(taken(s), 'n', 'enter'); // the next level's briefing, then its board
    expect([s.screen, s.level!.id]).toEqual(['board', 'second-level']);
    const trail: string[] = [];
    for (let i = 0; i < 4; i++) { s = keys(s, 'escape'); trail.push(s.screen); }
    expect(trail).toEqual(['briefing', 'levels', 'menu', 'menu']);
    expect(s.quitting).toBe(true); // the fourth esc quits from the menu
  });
});

describe('words', () => {
  it('rule: counts agree with their noun (1 scheduler choice, 2 scheduler choices)', () => {
    expect(count(1, 'scheduler choice')).toBe('1 scheduler choice');
    expect(count(2, 'scheduler choice')).toBe('2 scheduler choices');
    expect(count(0, 'event')).toBe('0 events');
  });

  it('rule: the guest_memfd header names its own era, never "(Linux 6.8) · kernel 6.5"', async () => {
    const lv = real().find((l) => l.arch === 'guest-memfd')!;
    expect(lv.kernel).toBe('6.5'); // the level's kernel is older than guest_memfd itself
    expect(machineTitle(lv)).toEqual({ arch: 'KVM guest_memfd (upstream SNP and TDX)', kernel: 'Linux 6.8+' });
    app = await renderApp({ campaign: [lv], startLevel: lv.id });
    const f = app.frame();
    const header = f.split('\n').find((l) => l.includes('KVM guest_memfd'))!;
    expect(header).toContain('KVM guest_memfd (upstream SNP and TDX) · Linux 6.8+');
    expect(header.match(/6\.8/g)).toHaveLength(1); // the era said once
    expect(f).not.toContain('kernel 6.5');
    expect(f).not.toContain('(Linux 6.8');
    // an arch whose title names no era keeps the level's kernel
    const s390 = real().find((l) => l.arch === 's390-pv' && l.kernel === '6.5')!;
    expect(machineTitle(s390).kernel).toBe('kernel 6.5');
  });
});

describe('text at 100 columns', () => {
  it('rule: wrapped lines never start with a stray space and keep aligned columns', () => {
    const lines = wrapWords('Marks: o on the path · ● hook · X failed here · ✓ ok · ✗ failed.', 20);
    for (const l of lines) expect(l.startsWith(' ')).toBe(false);
    expect(lines.join(' ')).toBe('Marks: o on the path · ● hook · X failed here · ✓ ok · ✗ failed.');
    expect(wrapWords('  reclaim    swap under', 40)).toEqual(['  reclaim    swap under']);
  });

  it('rule: the help, the board legend and the key line are whole at 100x30', async () => {
    app = await renderApp({}, { size: { columns: 100, rows: 30 } });
    await app.press(enter, enter);
    let f = app.frame();
    expect(f).toContain('! guilty path');
    expect(f).toContain('r run the workloads');
    expect(f).not.toContain('…');
    await app.press('?');
    f = app.frame();
    expect(f.replace(/[║\s]+/g, ' ')).toContain('✓ ok · ✗ failed.');
    // a description never runs into the next section's heading
    for (const l of f.split('\n')) expect(l).not.toMatch(/overwrite the save of that name\s+\S/);
  });

  it('rule: a burst of keys in one chunk (a paste of jjjj) moves four rows', async () => {
    app = await renderApp();
    await app.type('jjjj');
    expect(app.frame()).toContain(`› ${MENU_ITEMS[4].label}`);
    await app.type('kk');
    expect(app.frame()).toContain(`› ${MENU_ITEMS[2].label}`);
    await app.press(escape);
  });

  it('rule: a burst that ends in Enter (j j Enter typed fast, one chunk) opens the row it reached', async () => {
    app = await renderApp();
    await app.type('jj\r');
    expect(app.frame().split('\n')[0]).toBe(`pvlab · ${MENU_ITEMS[2].label.toLowerCase()}`);
    // Escape and j typed fast arrive as one Alt-j: read as both, back on the menu a row down
    await app.type('\x1bj');
    expect(app.frame().split('\n')[0]).toBe('pvlab · menu');
    expect(app.frame()).toContain(`› ${MENU_ITEMS[3].label}`);
  });
});

void down;

describe('freed secure pages on the run screen', () => {
  it('[R10] rule: a secure page freed at teardown counts as freed-secure on the run and results screens, never as an I/O error', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const ports = fakePersistence({ settings: { ...defaultSettings(), animation: 'full' } });
      app = await renderApp({}, { ports });
      // sandbox: s390-pv, kernel 6.5, ccw (the defaults); workloads: teardown alone; no hooks
      await app.menuTo('sandbox');
      await app.press(enter);
      let f = app.frame();
      expect(f).toContain('[s390-pv]');
      expect(f).toContain('[6.5]');
      expect(f).toContain('[ccw]');
      await app.press(down, down, down, space); // drop kvm_fault
      await app.press(KEYS.right, KEYS.right, space); // drop swap
      for (let i = 0; i < 6; i++) await app.press(KEYS.right);
      await app.press(space); // add teardown
      f = app.frame();
      expect(f).toContain('[x] teardown');
      expect(f).toContain('[ ] kvm_fault');
      expect(f).toContain('[ ] swap');
      await app.press(enter, 'r', 'e'); // board, run, to its end
      f = app.frame();
      expect(f).toContain('■ done');
      const freed = Number(/freed-secure (\d+)/.exec(f)?.[1]);
      expect(freed).toBeGreaterThan(0);
      expect(f).toContain('I/O errors 0 · crashes 0');
      expect(f).toMatch(new RegExp(`teardown .*✗ ${freed} freed-secure$`, 'm'));
      expect(f).not.toContain('I/O err,');
      expect(f).toContain('run complete: ✗ something broke');
      await app.press(enter);
      await settle();
      f = app.frame();
      expect(f).toMatch(/FAIL: 5 of 5 seeds fail/);
      expect(f).toContain('freed-secure on the teardown path, page ');
      expect(f).toMatch(new RegExp(`seed 1: 0 I/O errors · 0 crashes · ${freed} freed-secure`));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the run screen on a narrow terminal', () => {
  it('rule: at 80 columns the counters wrap onto a second line, none cut', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const ports = fakePersistence({ settings: { ...defaultSettings(), animation: 'full' } });
      app = await renderApp({}, { ports, size: { columns: 80, rows: 24 } });
      await app.press(enter, enter, 'r', 'e'); // the first level's board, a run, to its end
      const lines = app.frame().split('\n');
      expect(lines.join('\n')).toContain('■ done');
      const at = lines.findIndex((l) => l.startsWith('I/O errors '));
      const counters = `${lines[at]} · ${lines[at + 1]}`;
      expect(counters).toMatch(/^I\/O errors \d+ · crashes \d+ · freed-secure \d+ · exports \d+ · imports \d+ · wasted \d+ · stall \d+$/);
      expect(lines[at + 2]).toMatch(/^─+$/);
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('epilogue scrolling', () => {
  // sentences of epilogue per size: longer than the view, and less than 50 lines to scroll
  const SIZES = [{ columns: 80, rows: 24, n: 30 }, { columns: 100, rows: 30, n: 40 }, { columns: 160, rows: 50, n: 100 }];
  const epilogue = (n: number) => Array.from({ length: n }, (_, i) => `Sentence ${i + 1} of the epilogue, long enough to wrap once in a while.`).join(' ');
  const range = (f: string) => {
    const m = /Epilogue {2}\(↑\/↓ (\d+)-(\d+) of (\d+) lines\)/.exec(f);
    expect(m, f).not.toBeNull();
    return m!.slice(1).map(Number);
  };
  it.each(SIZES)('rule: the epilogue never scrolls past its end, and presses past it are not remembered ($columns x $rows)', async ({ n, ...size }) => {
    const [lv, second] = twoLevels();
    const long = epilogue(n);
    app = await renderApp({ campaign: [{ ...lv, epilogue: long }, second] }, { size });
    // the reference placement of the fixture level: ptep_clear on live PTEs
    await app.press(enter, enter, KEYS.right, space, space, 'r');
    await settle(50);
    let f = app.frame();
    expect(f).toContain('PASS');
    expect(f).toContain('· n: next level'); // there is one
    const [first, , total] = range(f);
    expect(first).toBe(1);
    await app.repeat(down, 50);
    f = app.frame();
    const [top, bottom] = range(f);
    expect(bottom).toBe(total); // the end fills the view
    expect(total - top).toBeLessThan(50); // the test means something: more presses than lines to scroll
    const lines = f.split('\n');
    // the window is the real one: its last line is on screen, above the message and key lines
    const last = wrapWords(long, size.columns - 1).at(-1)!;
    expect(lines.some((l) => l === last)).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
    await app.press(down); // at the end: nothing changes
    expect(app.frame()).toBe(f);
    await app.press(KEYS.up); // one line up at once
    expect(range(app.frame())).toEqual([top - 1, bottom - 1, total]);
  });

  it('rule: with trap notes above it (fewer than 3 stars), the epilogue\'s window still ends on screen', async () => {
    const size = { columns: 80, rows: 24 };
    const [lv] = twoLevels();
    const reason = 'It exports every page it unmaps, clean ones that are freed without any I/O included, so the encryption work is wasted on them.';
    const level = { ...lv, epilogue: epilogue(30), par: { ...lv.par, cost: 1 }, traps: [{ site: 'ptep_clear' as const, when: 'live' as const, reason }] };
    // par was met before (3 stars kept): the epilogue shows on this 1-star pass too
    const ports = fakePersistence({ progress: { levels: { [lv.id]: { solved: true, stars: 3, best: {}, hints: 0, attempts: 1 } } } });
    app = await renderApp({ campaign: [level] }, { size, ports });
    await app.press(enter, enter, KEYS.right, space, space, 'r');
    await settle(50);
    await app.repeat(down, 50);
    const f = app.frame();
    expect(f).toContain('★☆☆'); // the cost is over par: one star, and the notes show
    expect(f.replace(/\s*\n\s*/g, ' ')).toContain(`⚠ ptep_clear[live] (over par: cost): ${reason}`);
    const [, bottom, total] = range(f);
    expect(bottom).toBe(total);
    expect(f.split('\n')).toContain(wrapWords(level.epilogue, size.columns - 1).at(-1));
    for (const l of f.split('\n')) expect(l.startsWith(' ') && /^ \S/.test(l), l).toBe(false); // no stray leading space
  });

  it('rule: the reducer bounds the epilogue at the view\'s window, across a resize', () => {
    const [lv0] = twoLevels();
    const lv = { ...lv0, epilogue: epilogue(100) };
    const hooks = [{ site: 'ptep_clear' as const, when: 'live' as const }];
    let s = initialState({ campaign: [lv], progress: { levels: {} }, settings: defaultSettings(), startLevel: lv.id, size: { columns: 100, rows: 30 } });
    s = keys(s, 'enter');
    s = { ...s, board: { ...s.board, hooks } };
    s = keys(taken(s), 'r');
    s = send(taken(s), { type: 'verified', runId: s.run!.id, result: scoreLevel(lv, hooks), hooks });
    expect(s.screen).toBe('results');
    for (let i = 0; i < 80; i++) s = keys(s, 'down');
    const max = epilogueMax(s);
    expect(max).toBeGreaterThan(0);
    expect(s.results!.scroll).toBe(max);
    s = send(s, { type: 'resize', size: { columns: 160, rows: 50 } });
    expect(epilogueMax(s)).toBeLessThan(max); // wider and taller: less to scroll
    expect(s.results!.scroll).toBe(epilogueMax(s));
  });
});

describe('the sandbox names its machine', () => {
  const SIZES = [{ columns: 80, rows: 24 }, { columns: 100, rows: 30 }, { columns: 160, rows: 50 }];
  const fits = (f: string, size: { columns: number; rows: number }) => {
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(size.columns);
    expect(f).not.toContain('…');
  };
  it.each(SIZES)('rule: every arch choice reads as the levels name it (machineTitle), whole and aligned ($columns x $rows)', async (size) => {
    app = await renderApp({}, { size });
    await app.menuTo('sandbox');
    await app.press(enter);
    for (const arch of ARCH_IDS) {
      const f = app.frame();
      fits(f, size);
      expect(f).toContain(`[${arch}]`);
      const m = machineTitle({ arch, kernel: '6.5' });
      // the sandbox keeps ccw for s390 and moves to PCI for the others ([A6])
      const want = `machine    ${m.arch} · ${m.kernel} · ${arch === 's390-pv' ? 'CCW channel I/O' : 'PCI (DMA API)'} · 128 pages (10% shared)`;
      const lines = f.split('\n');
      const at = lines.findIndex((l) => l.startsWith('   machine    '));
      expect(at).toBeGreaterThan(0);
      let text = lines[at].trim();
      // continuation lines start at the value column: never a stray space, never the margin
      for (let i = at + 1; lines[i].trim(); i++) {
        expect(lines[i], lines[i]).toMatch(/^ {14}\S/);
        text += ` ${lines[i].trim()}`;
      }
      expect(text).toBe(want);
      expect(f).not.toContain('(Linux'); // guest_memfd's era is said once, as its levels say it
      for (const w of WORKLOAD_IDS) expect(f).toContain(`] ${w} `); // every workload row is on screen
      await app.press(KEYS.right);
    }
  });

  it('rule: a sandbox run\'s board, run and results headers name the machine; the kernel is said once', async () => {
    const ports = fakePersistence({ settings: { ...defaultSettings(), animation: 'full' } });
    app = await renderApp({}, { ports, size: { columns: 80, rows: 24 } });
    // a campaign level first: its title must not head the sandbox afterwards
    await app.press(enter);
    expect(app.frame().split('\n')[0]).toContain('Swap under memory pressure');
    await app.press(escape, escape);
    await app.menuTo('sandbox');
    await app.press(enter);
    expect(app.frame().split('\n')[0]).toBe('pvlab · sandbox');
    await app.press(...Array(4).fill(KEYS.right)); // guest-memfd: the era newer than the kernel picked
    await app.press(enter);
    const header = (screen: string) => {
      const top = app!.frame().split('\n')[0];
      expect(top).toMatch(new RegExp(`^pvlab · ${screen} +Sandbox · KVM guest_memfd · Linux 6\\.8\\+ · PCI$`));
    };
    header('board');
    await app.press('i');
    header('briefing');
    const f = app.frame();
    expect(f).toContain('KVM guest_memfd (upstream SNP and TDX) · Linux 6.8+ · PCI (DMA API)');
    expect(f).not.toContain('guest-memfd'); // no raw arch id
    expect(f).not.toContain('kernel 6.5');
    expect(f).not.toContain('Hints 0/0');
    await app.press(enter, 'r');
    header('run');
    await app.press('e', enter);
    await settle();
    header('results');
    fits(app.frame(), { columns: 80, rows: 24 });
    // no par, so no stars to give; no next level to offer
    const r = app.frame();
    expect(r).toContain('✓ PASS on 5/5 seeds');
    expect(r).toContain('sandbox: scored on 5 seeds, no par');
    expect(r).not.toMatch(/★|stars|all par met/);
    expect(r).toContain('Save this solution? s: save (name it) · c: share code');
    expect(r).not.toContain('n: next level');
    // back on the sandbox, the header follows the machine as it is chosen
    await app.press(escape, escape);
    expect(app.frame()).toContain('[guest-memfd]');
    await app.press(KEYS.right); // s390 keeps the PCI device guest_memfd moved to
    expect(app.frame().split('\n')[0]).toMatch(/^pvlab · sandbox +Sandbox · s390 Protected Virtualization · kernel 6\.5 · PCI$/);
  });
});

describe('the header', () => {
  it('names the level on the screens about it, and on no other', async () => {
    app = await renderApp({}, { size: { columns: 80, rows: 24 } });
    await app.press(enter); // Continue: the first level's briefing
    const top = () => app!.frame().split('\n')[0];
    expect(top()).toMatch(/^pvlab · briefing +Swap under memory pressure$/);
    await app.press(escape, escape);
    expect(top()).toBe('pvlab · menu');
    // the menu keeps its cursor: one row further each time
    for (const id of ['solutions', 'import', 'workshop', 'settings'] as const) {
      const label = MENU_ITEMS.find((m) => m.id === id)!.label;
      await app.menuTo(id);
      await app.press(enter);
      expect(top(), label).toBe(`pvlab · ${label.toLowerCase()}`);
      await app.press(escape);
      expect(top()).toBe('pvlab · menu');
      expect(app.frame()).toContain(`› ${label}`);
    }
  });
});

/** The results of the sandbox's default machine with no hooks: a failure (reclaim writes a secure page). */
async function sandboxFailure(size: { columns: number; rows: number }): Promise<string> {
  app = await renderApp({}, { size });
  await app.menuTo('sandbox');
  await app.press(enter, enter, 'r');
  await settle(50);
  return app.frame();
}

describe('the counterexample timeline', () => {
  it('rule: at 100 columns each step\'s row is whole, its kernel function not cut', async () => {
    const size = { columns: 100, rows: 30 };
    const f = await sandboxFailure(size);
    expect(f).toMatch(/FAIL: 5 of 5 seeds fail/);
    const lv = sandboxLevel(initialState({ campaign: [], progress: { levels: {} }, settings: defaultSettings() }).sandbox);
    const cx = scoreLevel(lv, []).counterexample!;
    expect(cx.trace.length).toBeLessThan(size.rows - 12); // the whole trace is in view
    const rows = f.split('\n');
    for (const e of cx.trace) {
      const tail = `${e.fn}${e.site ? ` [${e.site}]` : ''}`;
      expect(rows.some((r) => r.includes(` ${e.action} -> ${e.state}`) && r.endsWith(tail)), tail).toBe(true);
    }
    expect(f).not.toContain('…');
  });
});

describe('the failure sentence', () => {
  it('rule: at 80 columns it wraps whole, names the path as the board does, and no line starts with a stray space', async () => {
    const rows = (await sandboxFailure({ columns: 80, rows: 24 })).split('\n');
    const at = rows.findIndex((r) => r.startsWith('fatal-io-error on the reclaim path (swap), page '));
    expect(at).toBe(2);
    expect(rows[at + 1]).toMatch(/^ {2}\S/); // the continuation's own indent, no more
    expect(`${rows[at]} ${rows[at + 1].trim()}`).toMatch(/page \d+: the device read a secure page during swap \(unrecoverable\)$/);
    for (const r of rows) expect(r, r).not.toMatch(/^ \S/);
  });
});

describe('lists with a side column', () => {
  it('rule: at 80 columns a side text that does not fit is cut, and the label column keeps its width (the settings rows stay aligned)', async () => {
    const workshopDir = `/srv/workshops/${'kernel-training-'.repeat(5)}room`; // too long for 80 columns
    app = await renderApp({ settings: { ...defaultSettings(), workshopDir } }, { size: { columns: 80, rows: 24 } });
    await app.menuTo('settings');
    await app.press(enter);
    const label = /^ [› ] (Colour|Animate runs|Player name|Saves folder|Workshop folder|Fog on the board) /;
    const rows = app.frame().split('\n').filter((l) => label.test(l));
    expect(rows.length).toBe(6);
    expect(rows.some((l) => l.endsWith('…')), 'a side text is cut at 80 columns').toBe(true);
    // where each row's side text starts: the first character after its label and the gap
    const sideAt = rows.map((l) => { const end = 3 + l.match(label)![1]!.length; return end + l.slice(end).search(/\S/); });
    expect(new Set(sideAt).size, rows.join('\n')).toBe(1);
  });
});
