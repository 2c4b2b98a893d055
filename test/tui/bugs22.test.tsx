// What the new player of issue 22 hit on the way, each pinned by keys typed into the real
// app (ink-testing-library) or fed to the reducer, and frames asserted.
import { afterEach, describe, expect, it } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import type { Level } from '../../src/io/schema.js';
import { scoreLevel } from '../../src/sim/score.js';
import { slotColumns } from '../../src/tui/graph.js';
import { hintLine } from '../../src/tui/keymap.js';
import { EPILOGUE_LATER } from '../../src/tui/results-layout.js';
import { initialState, reduce, type State } from '../../src/tui/state.js';
import { KEYS, defaultSettings, fakePersistence, renderApp, settle, twoLevels, type Rendered } from './helpers.js';

const { enter, space, right } = KEYS;
let app: Rendered | null = null;
afterEach(async () => {
  if (app) await app.unmount();
  app = null;
});

const real = () => loadCampaign().map((e) => e.level);
const level = (id: string): Level => real().find((l) => l.id === id)!;
const keys = (s: State, ...names: string[]) => names.reduce((acc, n) => reduce(acc, { type: 'input', name: n, text: n.length === 1 ? n : '' }), s);
const taken = (s: State) => reduce(s, { type: 'effectsTaken', count: s.effects.length });
const solved = (stars: number) => ({ solved: true, stars, best: {}, hints: 0, attempts: 1 });
const size = { columns: 100, rows: 30 };

/** On the board: move to `site`'s slot and press space `presses` times. */
async function place(a: Rendered, site: string, presses = 1): Promise<void> {
  for (let i = 0; i < 12 && !a.frame().includes(`${site} — `); i++) await a.press(right);
  expect(a.frame()).toContain(`${site} — `);
  for (let i = 0; i < presses; i++) await a.press(space);
}

/** challenge-copies with the cheap hooks plus the PTE-clear one: every par met but cost. */
async function copiesOverCost(progress: Record<string, ReturnType<typeof solved>> = {}): Promise<string> {
  const lv = level('challenge-copies');
  app = await renderApp({ campaign: [lv], startLevel: lv.id }, { size, ports: fakePersistence({ progress: { levels: progress } }) });
  await app.press(enter);
  for (const s of ['ptep_clear', 'gup_fast', 'writeback', 'kmap']) await place(app, s);
  expect(app.frame()).toMatch(/hooks \(4\): ptep_clear\S*, gup_fast\[pin\], writeback, kmap/);
  await app.press('r');
  await settle(50);
  return app.frame();
}

describe('the ⚠ line names the metric that missed par (challenge-copies)', () => {
  it('rule: beside guestStall ok and cost over, the PTE-clear note says "over par: cost"', async () => {
    const f = await copiesOverCost();
    expect(f).toContain('★☆☆ 1/3 stars');
    expect(f).toMatch(/guestStall\s+1648\.7\s+1648\.7 ok/);
    expect(f).toMatch(/cost\s+[\d.]+\s+9850\.6 over/);
    expect(f).toContain('⚠ ptep_clear (over par: cost): ');
    expect(f).not.toMatch(/over par: [^)]*guestStall/);
  });
});

describe('an epilogue never spoils its level', () => {
  it('rule: on a 1-star pass the epilogue (which names the kmap hook that wins) waits for par', async () => {
    const f = await copiesOverCost();
    const flat = f.replace(/\s*\n\s*/g, ' ');
    expect(flat).not.toContain('kmap() hook that wins');
    expect(flat).toContain(EPILOGUE_LATER);
  });

  it('rule: once par was met on an earlier pass (3 stars kept), the epilogue shows on any pass', async () => {
    const f = await copiesOverCost({ 'challenge-copies': solved(3) });
    expect(f.replace(/\s*\n\s*/g, ' ')).toContain('kmap() hook that wins');
    expect(f).toContain('⚠ ptep_clear (over par: cost)'); // the run itself still missed par
  });

  it('rule: a 3-star pass shows it at once', async () => {
    const lv = level('challenge-copies');
    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { size });
    await app.press(enter);
    for (const s of ['gup_fast', 'writeback', 'kmap']) await place(app, s);
    await app.press('r');
    await settle(50);
    const f = app.frame();
    expect(f).toContain('★★★ 3/3 stars');
    expect(f.replace(/\s*\n\s*/g, ' ')).toContain('kmap() hook that wins');
  });
});

describe('green-runs says the small machine was searched', () => {
  it('rule: a pass of a level with a small machine says every interleaving of it passed; a level without one says nothing', async () => {
    const lv = level('green-runs');
    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { size });
    await app.press(enter);
    await place(app, 'bio_submit');
    await app.press('r');
    await settle(50);
    const f = app.frame();
    expect(f).toContain('✓ PASS');
    const x = scoreLevel(lv, [{ site: 'bio_submit' }]).exhaustive!.result;
    expect(f).toContain(`✓ every interleaving of the small machine passes (${lv.exhaustive!.pages} pages, ${x.small.ops} ops a workload, ${x.small.touches} touches; ${x.states} states)`);
    await app.unmount();
    app = await renderApp({}, { size }); // the fixture level declares no small machine
    await app.press(enter, enter, right, space, space, 'r');
    await settle(50);
    expect(app.frame()).toContain('✓ PASS');
    expect(app.frame()).not.toContain('interleaving');
  });
});

describe('green-runs at 80 columns', () => {
  it('rule: the search line wraps whole, never cut', async () => {
    const lv = level('green-runs');
    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { size: { columns: 80, rows: 24 } });
    await app.press(enter);
    await place(app, 'bio_submit');
    await app.press('r');
    await settle(50);
    const f = app.frame();
    expect(f).not.toMatch(/small machine[^\n]*…/);
    expect(f.replace(/\s*\n\s*/g, ' ')).toMatch(/✓ every interleaving of the small machine passes \(2 pages, \d+ ops a workload, \d+ touches; \d+ states\)/);
  });
});

describe('back on the board after a failure where a hook was missing (vm-normal-page)', () => {
  it('rule: the cursor is on the fast-GUP slot the failing page passed unhooked, and it is marked X', async () => {
    const lv = level('vm-normal-page');
    const slots = slotColumns(lv.sites);
    // the slow-GUP FOLL_PIN hook: QEMU pins through fast GUP and the disk reads a secure page
    let s = initialState({ campaign: [lv], progress: { levels: {} }, settings: defaultSettings(), startLevel: lv.id });
    s = { ...keys(s, 'enter'), effects: [] };
    s = { ...s, board: { ...s.board, hooks: [{ site: 'gup_slow', when: 'pin' }] } };
    s = keys(taken(s), 'r');
    const result = scoreLevel(lv, s.board.hooks);
    expect(result.passed).toBe(false);
    s = reduce(taken(s), { type: 'verified', runId: s.run!.id, result, hooks: s.board.hooks });
    s = keys(s, 'b');
    expect(s.board.guilty).toEqual({ workload: 'malicious_qemu', site: 'gup_fast' });
    expect(slots[s.board.col]).toBe('gup_fast');

    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { size });
    await app.press(enter);
    await place(app, 'gup_slow');
    await app.press('r');
    await settle(50);
    expect(app.frame()).toContain('✗ FAIL');
    await app.press('b');
    const f = app.frame();
    expect(f).toContain('! the failure was on the QEMU path at gup_fast');
    expect(f).toContain('gup_fast — no hook'); // the side panel is on that slot
    const qemu = f.split('\n').find((l) => l.startsWith('!QEMU'))!;
    expect(qemu).toContain('X');
    expect(f).toContain('X failed here');
  });
});

describe('a hook is drawn only on the lanes its `when` acts on', () => {
  it('rule: gup_slow HOOK:get is ● on the FOLL_GET lane (host refs) and o on the FOLL_PIN lane (QEMU)', async () => {
    const lv = level('vm-normal-page');
    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { size });
    await app.press(enter);
    await place(app, 'gup_slow', 2); // pin, then get
    let f = app.frame();
    expect(f).toContain('gup_slow — HOOK (when get)');
    const row = (name: string) => f.split('\n').find((l) => l.slice(1).startsWith(name))!;
    expect(row('QEMU')).not.toContain('●');
    expect(row('QEMU')).toContain('o');
    expect(row('host refs')).toContain('●');
    await app.press(space); // any: both lanes
    f = app.frame();
    expect(f).toContain('gup_slow — HOOK (when any)');
    expect(row('QEMU')).toContain('●');
    expect(row('host refs')).toContain('●');
  });
});

describe('the run screen: enter means results, running or paused', () => {
  it('rule: p then enter opens the results (the run is finished first); help and the key line agree', async () => {
    const ports = fakePersistence({ settings: { ...defaultSettings(), animation: 'full' } });
    app = await renderApp({}, { ports, size });
    await app.press(enter, enter, right, space, space, 'r', 'p');
    expect(app.frame()).toContain('❚❚ paused');
    expect(app.frame()).toContain('enter results');
    await app.press(enter);
    await settle(50);
    expect(app.frame()).toContain('pvlab · results');
    expect(app.frame()).toContain('✓ PASS');
    expect(hintLine('run')).toContain('enter results');
    await app.press(KEYS.escape);
    // the help says the same: no "when done"
    await app.press('r', '?');
    expect(app.frame()).toMatch(/enter +results \(runs to the end first\)/);
  });
});

describe('level select, the last level, importing a code', () => {
  it('rule: at 100 columns a solved challenge row is whole, its stars first', async () => {
    const levels = real();
    const progress = Object.fromEntries(levels.map((l) => [l.id, solved(l.id === 'challenge-bio' ? 2 : 3)]));
    app = await renderApp({ campaign: levels }, { size, ports: fakePersistence({ progress: { levels: progress } }) });
    await app.press(KEYS.down, enter);
    await app.repeat(KEYS.down, 40);
    const f = app.frame();
    const row = f.split('\n').find((l) => l.includes('✓ solved ★★☆'))!;
    expect(row).toContain("✓ solved ★★☆  Challenge: the reviewers' own patch (optional)");
    expect(f).not.toContain('★…');
    expect(f).not.toMatch(/\(optional…|\(optiona…/);
  });

  it('rule: the last level\'s results offer no next level, in the prompt or in the key line', async () => {
    app = await renderApp({ campaign: twoLevels() }, { size, ports: fakePersistence({ progress: { levels: { 'swap-pressure': solved(3) } } }) });
    await app.press(KEYS.down, enter, KEYS.down, enter, enter, right, space, space, 'r');
    await settle(50);
    let f = app.frame();
    expect(f).toContain('The second level');
    expect(f).toContain('✓ PASS');
    expect(f).not.toContain('next level');
    await app.unmount();
    app = await renderApp({ campaign: twoLevels() }, { size });
    await app.press(enter, enter, right, space, space, 'r');
    await settle(50);
    f = app.frame();
    expect(f).toContain('n next level'); // the first level has one
  });

  it('rule: a share code imported in the game is saved like `pvlab import` does, never over a save', async () => {
    const ports = fakePersistence({ settings: { ...defaultSettings(), playerName: 'bob' } });
    const code = ports.encodeShare({ level: 'swap-pressure', name: 'from ada', author: 'ada', hooks: [{ site: 'ptep_clear', when: 'live' }] });
    app = await renderApp({}, { ports, size });
    const importCode = async () => {
      await app!.menuTo('import');
      await app!.press(enter);
      await app!.type(code);
      await app!.press(enter);
      await settle(20);
    };
    await importCode();
    let f = app.frame();
    expect(f).toContain('pvlab · board');
    expect(f).toContain('hooks (1): ptep_clear[live]');
    expect(ports.saved).toHaveLength(1);
    // saved as the importer's, crediting the sharer (as \`pvlab import\` does)
    expect(ports.saved[0]).toMatchObject({ level: 'swap-pressure', name: 'from ada', author: 'bob', via: 'ada', hooks: [{ site: 'ptep_clear', when: 'live' }] });
    expect(f).toContain("loaded 'from ada' (via ada) · saved to /tmp/fake-saves/swap-pressure--from ada.json");
    // again: the save is kept, and the screen says so
    await app.unmount();
    app = await renderApp({}, { ports, size });
    await importCode();
    f = app.frame();
    expect(ports.saved).toHaveLength(1);
    expect(f).toContain("a save named 'from ada' exists: kept");
  });
});

describe('par before the first run', () => {
  it('rule: a parAfterRun level names the metrics par ranks, not their values, until the first run', async () => {
    const lv = level('guest-memfd');
    expect(lv.parAfterRun).toBe(true);
    expect(lv.par.hooks).toBe(0); // the answer, if it were shown
    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { size: { columns: 100, rows: 50 } });
    const flat = () => app!.frame().replace(/\s*\n\s*/g, ' ');
    let f = flat();
    expect(f).toContain(`Par ranks ${Object.keys(lv.par).join(', ')}: its values show after your first run`);
    expect(f).not.toContain('hooks 0');
    await app.unmount();
    const ports = fakePersistence({ progress: { levels: { [lv.id]: { solved: false, stars: 0, best: {}, hints: 0, attempts: 1 } } } });
    app = await renderApp({ campaign: [lv], startLevel: lv.id }, { size: { columns: 100, rows: 50 }, ports });
    f = flat();
    expect(f).toContain('hooks 0');
    expect(f).not.toContain('Par ranks');
  });

  it('rule: a level without parAfterRun shows par at once', async () => {
    app = await renderApp({ campaign: twoLevels() }, { size: { columns: 100, rows: 50 } });
    await app.press(enter);
    expect(app.frame()).toContain('Par: hooks 1'); // the fixture level's par
  });
});
