// Practice, the daily level and "save as level" through ink-testing-library: keys typed,
// frames asserted. Generation and the builder run for real (helpers' fake port runs the
// jobs in this thread), so these tests play generated levels as a player would.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dailyId, utcDate, generateLevel, levelJson } from '../../src/sim/generate/index.js';
import { loadLevelFile } from '../../src/io/files.js';
import { initialState, reduce, type Results, type State } from '../../src/tui/state.js';
import { generatedLevel } from '../../src/io/files.js';
import type { VerifyResult } from '../../src/sim/verify.js';
import { nextSeed } from '../../src/tui/practice-screen.js';
import { KEYS, defaultSettings, fakePersistence, renderApp, settle, type Rendered } from './helpers.js';

let app: Rendered | null = null;
afterEach(async () => {
  vi.useRealTimers();
  if (app) await app.unmount();
  app = null;
});

const { down, enter, escape } = KEYS;

/** Hold the port's jobs until the returned function is called (the screen shows the wait meanwhile). */
function hold(ports: ReturnType<typeof fakePersistence>): () => void {
  let release!: () => void;
  ports.hold = new Promise<void>((r) => { release = r; });
  return () => { ports.hold = null; release(); };
}

/** Wait (in act) until the frame shows `text`; generation takes up to ~2 s. */
async function until(a: Rendered, text: string | RegExp, tries = 400): Promise<string> {
  for (let i = 0; i < tries; i++) {
    const f = a.frame();
    if (typeof text === 'string' ? f.includes(text) : text.test(f)) return f;
    await settle(10);
  }
  throw new Error(`never shown: ${String(text)}\n${a.frame()}`);
}

describe('practice', () => {
  it('generates the next seed of a difficulty off the render path and opens its briefing, then its board', async () => {
    const ports = fakePersistence();
    app = await renderApp({}, { ports });
    await app.menuTo('practice');
    await app.press(enter);
    let f = app.frame();
    expect(f).toContain('pvlab · practice');
    expect(f).toMatch(/Easy\s+next: seed 1 · 0 played, 0 solved/);
    expect(f).toMatch(/Expert\s+next: seed 1 · 0 played, 0 solved · fog/);
    const go = hold(ports);
    await app.press(enter);
    expect(app.frame()).toContain('generating an easy level (seed 1)… (esc cancels)');
    go();
    f = await until(app, 'pvlab · briefing');
    const want = generateLevel({ seed: 1, difficulty: 'easy' }); // generated once: it is the costly part
    expect(f).toContain(want.level.title.slice(0, 30));
    expect(ports.loaded).toEqual(['gen-easy-1']);
    // play the enumeration's reference: it passes and the record is the seed's level id
    const ref = want.reference;
    expect(ref.length).toBeGreaterThan(0);
    await app.press(enter); // to the board
    expect(app.frame()).toContain('pvlab · board');
    expect(ports.results).toEqual([]);
  });

  it('n on the results of a generated level asks for the next seed; the practice list shows what was played', async () => {
    const ports = fakePersistence({ progress: { levels: { 'gen-hard-7': { solved: true, stars: 2, best: { cost: 1234.5 }, hints: 0, attempts: 3 } } } });
    app = await renderApp({}, { ports });
    await app.menuTo('practice');
    await app.press(enter);
    const f = app.frame();
    expect(f).toMatch(/Hard\s+next: seed 8 · 1 played, 1 solved/);
    expect(f).toMatch(/gen-hard-7\s+★★☆\s+best cost 1234\.5\s+3 runs/);
    const go = hold(ports);
    await app.press(down, enter);
    expect(app.frame()).toContain('generating a hard level (seed 8)');
    await app.press(escape); // cancels: back on the menu, nothing opens later
    go();
    await settle(20);
    expect(ports.loaded).toEqual(['gen-hard-8']);
    expect(app.frame()).toContain('› Practice');
    expect(app.frame()).not.toContain('pvlab · briefing');
  });

  it('s types a seed: that level of the difficulty under the cursor (a room can share a seed by voice); a bad seed is said in one line', async () => {
    const ports = fakePersistence();
    app = await renderApp({}, { ports });
    await app.menuTo('practice');
    await app.press(enter, down, 's');
    expect(app.frame()).toContain('seed (Hard): █');
    await app.type('12x');
    await app.press(enter);
    expect(app.frame()).toContain("'12x' is not a seed: a whole number from 0 to 4294967295");
    await app.press(KEYS.backspace);
    await app.type('3');
    await app.press(enter);
    const f = await until(app, 'pvlab · briefing');
    expect(ports.loaded).toEqual(['gen-hard-123']);
    expect(f).toContain(generateLevel({ seed: 123, difficulty: 'hard' }).level.title.slice(0, 30));
  });

  it('a share code of a generated level regenerates its level from the seed it carries and loads the solution on its board', async () => {
    const ports = fakePersistence();
    ports.codes.set('gen-code', { format: 'pvlab-solution@1', level: 'gen-easy-2', name: 'from a friend', author: 'bo', hooks: [{ site: 'gup_fast', when: 'pin' }] });
    app = await renderApp({}, { ports });
    await app.menuTo('import');
    await app.press(enter);
    await app.type('gen-code');
    await app.press(enter);
    const f = await until(app, 'pvlab · board');
    expect(ports.loaded).toEqual(['gen-easy-2']);
    expect(f).toContain("loaded 'from a friend'");
  });
});

describe('another one', () => {
  const onResults = (id: string, passed: boolean): State => {
    const s = initialState({ campaign: [], progress: { levels: {} }, settings: defaultSettings() });
    const results = { verify: { passed } as VerifyResult, hooks: [], others: [], cx: 0, scroll: 0, shareCode: null, exists: null, savedAs: null } satisfies Results;
    return { ...s, screen: 'results', stack: ['menu', 'practice', 'briefing', 'board', 'run'], level: generatedLevel(id), results };
  };

  it('n on a passed generated level asks for the next seed of its difficulty, from the practice screen', () => {
    const s = reduce(onResults('gen-hard-5', true), { type: 'input', name: 'n', text: 'n' });
    expect(s.screen).toBe('practice');
    expect(s.stack).toEqual(['menu']);
    expect(s.effects.at(-1)).toMatchObject({ kind: 'generate', req: { id: 'gen-hard-6' } });
    expect(s.generating?.label).toBe('another hard level (seed 6)');
  });

  it('n on a failed one asks to pass it first; on a daily level it points to Practice', () => {
    expect(reduce(onResults('gen-hard-5', false), { type: 'input', name: 'n', text: 'n' }).message).toBe('pass this level first');
    const d = reduce(onResults('daily-2026-12-08', true), { type: 'input', name: 'n', text: 'n' });
    expect(d.message).toBe('one daily level a day: Practice (menu) has more');
    expect(d.effects).toEqual([]);
  });

  it('n on a level from a file says it has no next level', () => {
    const s = onResults('gen-hard-5', true);
    const fromFile = { ...s, level: { ...s.level!, id: 'my-level' } };
    expect(reduce(fromFile, { type: 'input', name: 'n', text: 'n' }).message).toBe('this level is not in the campaign: no next level (Practice has generated ones)');
  });

  it('the next seed Practice offers follows the highest seed played of that difficulty', () => {
    const lp = { solved: false, stars: 0, best: {}, hints: 0, attempts: 1 };
    expect(nextSeed({ levels: {} }, 'easy')).toBe(1);
    expect(nextSeed({ levels: { 'gen-easy-9': lp, 'gen-easy-10': lp, 'gen-hard-40': lp, 'swap-pressure': lp } }, 'easy')).toBe(11);
    expect(nextSeed({ levels: { 'gen-expert-4294967295': lp } }, 'expert')).toBe(0);
  });

  it('a generated level that arrives after the player cancelled is dropped', () => {
    let s = initialState({ campaign: [], progress: { levels: {} }, settings: defaultSettings() });
    s = reduce(s, { type: 'key', action: 'down' });
    s = { ...s, screen: 'practice', stack: ['menu'] };
    s = reduce(s, { type: 'key', action: 'select' });
    const token = s.generating!.token;
    s = reduce(s, { type: 'key', action: 'back' });
    expect(s.generating).toBe(null);
    const after = reduce(s, { type: 'generated', token, level: generatedLevel('gen-easy-1') });
    expect(after.screen).toBe('menu');
    expect(after.level).toBe(null);
  });
});

describe('pvlab play <generated id>', () => {
  // (`pvlab play <level file>` reads the file before the game starts and opens it by id:
  // test/tui/custom-levels.test.tsx)
  it('asks for the level at start (off the render path) and opens its briefing when it comes', () => {
    const start = (id: string) => initialState({ campaign: [], progress: { levels: {} }, settings: defaultSettings(), startRef: { id } });
    const s = start('gen-expert-3');
    expect(s.effects).toEqual([{ kind: 'generate', token: s.generating!.token, req: { id: 'gen-expert-3' } }]);
    expect(s.message).toBe('generating expert level, seed 3…');
    const lv = generatedLevel('gen-expert-3')!;
    const opened = reduce(s, { type: 'generated', token: s.generating!.token, level: lv });
    expect(opened.screen).toBe('briefing');
    expect(opened.level?.id).toBe('gen-expert-3');
    // a generation that fails: the menu, and why
    const bad = reduce(s, { type: 'generated', token: s.generating!.token, level: null, message: 'generation failed' });
    expect(bad.screen).toBe('menu');
    expect(bad.message).toBe('generation failed');
    // an id that names no generated level asks for nothing
    const none = start('not-generated');
    expect(none.effects).toEqual([]);
    expect(none.screen).toBe('menu');
  });
});

describe('daily level', () => {
  it("opens today's level (UTC), the same level as pvlab generate --daily", async () => {
    const ports = fakePersistence();
    app = await renderApp({}, { ports });
    const go = hold(ports);
    await app.menuTo('daily');
    await app.press(enter);
    expect(app.frame()).toContain("generating today's level");
    expect(app.frame()).toContain('pvlab · practice');
    go();
    const f = await until(app, 'pvlab · briefing');
    const id = dailyId(utcDate(Date.now()));
    expect(ports.loaded).toEqual([id]);
    const lv = JSON.parse(levelJson((await import('../../src/sim/generate/index.js')).dailyLevel(id.slice('daily-'.length)).level));
    expect(f).toContain(lv.title.slice(0, 30));
    await app.press(escape); // back to the practice screen, where the daily row is
    expect(app.frame()).toContain('pvlab · practice');
    expect(app.frame()).toContain('› Daily level');
  });
});

describe('save as level', () => {
  it('types title, briefing and a hint in the game, sets par from enumeration, checks the rules and writes a level file play/verify read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvlab-builder-'));
    const file = join(dir, 'My Swap Level.json');
    const ports = fakePersistence();
    app = await renderApp({}, { ports, size: { columns: 80, rows: 24 } }); // the outcome fits the smallest terminal
    await app.menuTo('sandbox');
    await app.press(enter, 'w');
    let f = app.frame();
    expect(f).toContain('pvlab · save as level');
    expect(f).toContain('› File');
    await app.press(enter);
    await app.type(file);
    await app.press(enter, down, enter);
    await app.type('Swap, my way');
    await app.press(enter, down, enter);
    await app.type('Pages go to swap. Keep the device from reading a secure one.');
    await app.press(enter, down, enter);
    await app.type('Look where the page leaves for the disk.');
    await app.press(enter);
    f = app.frame();
    expect(f).toMatch(/Hint 1\s+Look where the page leaves for the disk\./);
    await app.press(down, down, enter); // + a hint, then Check & write
    f = await until(app, /written: |not written: /, 2000);
    expect(ports.drafts).toHaveLength(1);
    expect(ports.drafts[0]).toMatchObject({ title: 'Swap, my way', hints: ['Look where the page leaves for the disk.'], workloads: ['kvm_fault', 'swap'] });
    // the sandbox's default machine (s390, 6.5, ccw, kvm_fault + swap) makes a level worth playing
    expect(f).not.toContain('not written');
    expect(f.split('\n').length).toBeLessThanOrEqual(23);
    for (const l of f.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
    expect(f.replace(/\s*\n\s*/g, ' ')).toContain('level id my-swap-level');
    expect(f.replace(/\s*\n\s*/g, ' ')).toContain('reference (found by enumeration)');
    const lv = loadLevelFile(file);
    expect(lv.id).toBe('my-swap-level');
    expect(lv.hints).toEqual(['Look where the page leaves for the disk.']);
    expect(Object.keys(lv.par).length).toBeGreaterThan(0);
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('a path it cannot write is refused in one line before any enumeration, nothing written', async () => {
    const ports = fakePersistence();
    app = await renderApp({}, { ports });
    await app.menuTo('sandbox');
    await app.press(enter, 'w', enter);
    await app.type('/nonexistent-pvlab-dir/sub/level.json');
    await app.press(enter, down, enter);
    await app.type('T');
    await app.press(enter, down, enter);
    await app.type('B');
    await app.press(enter, down, down, enter);
    const f = await until(app, 'not written: ');
    expect(f).toMatch(/not written: \/nonexistent-pvlab-dir\/sub\/level\.json: cannot write the level \([^)]+\)/);
  });
});
