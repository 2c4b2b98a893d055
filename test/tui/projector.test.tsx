// The projector and the standings screens on a sealed workshop: one level a screen with
// aligned columns (asserted by the columns' start and end offsets on every row, at 80x24,
// 100x30 and 160x50), stars and par, j/k scrolling with "N more", the standings across
// levels, a custom level of the workshop beside the campaign, the countdown to the round's
// deadline, and no hook id or solution name in any frame before the trainer reveals.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seal } from '../../src/io/sealed.js';
import { initWorkshop, readWorkshop } from '../../src/io/workshop.js';
import { CYCLE_MS } from '../../src/tui/projector-screen.js';
import { MENU_ITEMS, initialState, reduce, type State } from '../../src/tui/state.js';
import { countdown } from '../../src/tui/table.js';
import { FIXTURE_LEVELS, KEYS, campaign, defaultSettings, fakePersistence, renderApp, settle, tempDir, type Rendered } from './helpers.js';

const { enter, escape, right } = KEYS;
let app: Rendered | null = null;
afterEach(async () => {
  if (app) await app.unmount();
  app = null;
});

/** The hook sets the entries use: every site id among them is a secret until the reveal. */
const HOOKS = [
  [{ site: 'ptep_clear', when: 'live' }],
  [{ site: 'reclaim_scan' }, { site: 'ptep_clear', when: 'live' }],
  [{ site: 'kmap' }],
  [{ site: 'writeback' }],
] as const;
const SECRET_SITES = ['ptep_clear', 'reclaim_scan', 'kmap', 'writeback'];
const SECRET_NAME = 'splice';

/**
 * A sealed workshop (its trainer's key in this test's config folder, so this machine is the
 * trainer's): `players` players with one sealed entry each on the campaign's level, three
 * of them also on the workshop's own level, and a round with a deadline.
 */
function sealedWorkshop(players: number, until?: number): string {
  const dir = tempDir('pvlab-sealed-');
  initWorkshop(dir);
  const lv = JSON.parse(readFileSync(join(FIXTURE_LEVELS, '01-swap.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'levels', 'custom.json'), JSON.stringify({ ...lv, id: 'custom-swap', title: 'Our own swap level' }));
  if (until !== undefined) writeFileSync(join(dir, 'round.json'), JSON.stringify({ until: `${new Date(until).toISOString().slice(0, 16)}Z` }));
  const w = readWorkshop(dir);
  const put = (player: string, level: string, i: number) => {
    const sol = { format: 'pvlab-solution@1' as const, level, name: `${SECRET_NAME} trick ${i}`, author: player, hooks: HOOKS[i % HOOKS.length]!.map((h) => ({ ...h })) };
    mkdirSync(join(dir, 'players', player, 'sealed'), { recursive: true });
    writeFileSync(join(dir, 'players', player, 'sealed', `${level}--${i}.json`), JSON.stringify(seal(sol, player, w.publicKey)));
  };
  for (let i = 0; i < players; i++) put(`p${String(i).padStart(2, '0')}`, 'swap-pressure', i);
  for (let i = 0; i < 3; i++) put(`p${String(i).padStart(2, '0')}`, 'custom-swap', i + 1);
  return dir;
}

async function until(a: Rendered, test: (f: string) => boolean, what: string, ms = 30_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const f = a.frame();
    if (test(f)) return f;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; the screen was:\n${f}`);
    await settle(25);
  }
}

async function openBoard(dir: string, size: { columns: number; rows: number }): Promise<Rendered> {
  const ports = fakePersistence({ settings: { ...defaultSettings(), workshopDir: dir, playerName: 'p01' } });
  const a = await renderApp({}, { ports, size });
  await a.menuTo('workshop');
  await a.press(enter);
  await until(a, (f) => f.includes('refreshed'), 'the board');
  return a;
}

/**
 * The table under the header line that starts with `first`: every row has each left-aligned
 * column start where its heading starts (a space before, text at it) and each right-aligned
 * column end where its heading ends.
 */
function expectAligned(frame: string, first: RegExp, left: readonly string[], right: readonly string[]): number {
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => first.test(l));
  expect(at, frame).toBeGreaterThanOrEqual(0);
  const head = lines[at]!;
  const rows: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (/^\s*$/.test(l)) continue; // the blank lines between spaced rows
    if (/more \(j\/k\)|above|^\s*\? help/.test(l) || !/\S\s{2,}\S/.test(l)) break;
    rows.push(l);
  }
  expect(rows.length).toBeGreaterThan(1);
  for (const name of left) {
    const start = head.indexOf(` ${name} `) + 1;
    expect(start, `${name} in ${head}`).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r[start - 1], `${name} starts at ${start}: ${r}`).toBe(' ');
      expect(r[start], `${name} starts at ${start}: ${r}`).not.toBe(' ');
    }
  }
  for (const name of right) {
    const end = head.indexOf(` ${name}`) + 1 + name.length;
    expect(end, `${name} in ${head}`).toBeGreaterThan(name.length);
    for (const r of rows) {
      expect(r[end - 1], `${name} ends at ${end}: ${r}`).not.toBe(' ');
      expect(r[end] ?? ' ', `${name} ends at ${end}: ${r}`).toBe(' ');
    }
  }
  return rows.length;
}

const SIZES = [{ columns: 80, rows: 24 }, { columns: 100, rows: 30 }, { columns: 160, rows: 50 }];

describe.each(SIZES)('the projector and the standings at $columns x $rows', (size) => {
  it('rule: one level a screen, aligned columns, stars and par, j/k with "N more"; the standings aligned too', async () => {
    app = await openBoard(sealedWorkshop(30), size);
    await app.press('v');
    let f = app.frame();
    expect(f).toContain('pvlab · projector');
    expect(f).toMatch(/Swap under memory pressure · 1\/2/);
    expect(f).toContain('par: hooks 1 · ranked by stars, then hooks');
    expect(f).toContain('★★★');
    for (const l of f.split('\n')) expect(l.length, l).toBeLessThanOrEqual(size.columns);
    const shown = expectAligned(f, /^\s+#\s+player/, ['#', 'player', 'solution', 'stars'], ['hooks']);
    if (shown < 30) {
      // the rest is counted, and j scrolls to it
      expect(f).toContain(`↓ ${30 - shown} more (j/k)`);
      await app.press('j', 'j');
      f = app.frame();
      expect(f).toContain('↑ 2 above');
      expectAligned(f, /^\s+#\s+player/, ['#', 'player', 'solution', 'stars'], ['hooks']);
      await app.press('k');
      expect(app.frame()).toContain('↑ 1 above');
    } else {
      expect(f).not.toContain('more (j/k)');
    }
    // the workshop's own level is a level of the board beside the campaign's
    await app.press(right);
    f = app.frame();
    expect(f).toMatch(/Our own swap level · 2\/2/);
    expectAligned(f, /^\s+#\s+player/, ['#', 'player', 'solution', 'stars'], ['hooks']);
    // the standings: 30 players across the two levels
    await app.press('s');
    f = app.frame();
    expect(f).toContain('pvlab · standings');
    expect(f).toContain('Standings · 30 players · 2 levels');
    for (const l of f.split('\n')) expect(l.length, l).toBeLessThanOrEqual(size.columns);
    const rows = expectAligned(f, /^\s+place\s+player/, ['place', 'player'], ['solved', 'stars', 'rank sum']);
    if (rows < 30) expect(f).toContain(`↓ ${30 - rows} more (j/k)`);
    // the player (p01, the settings' name) is marked where the row is on screen
    if (/ p01 /.test(f)) expect(f).toMatch(/◆\s+=?\d+\s+p01 /);
    else expect(f).not.toContain('◆');
  });
});

describe('a sealed board before the reveal', () => {
  it('rule: no frame holds a hook id or a solution name until the trainer reveals (R); then they show', async () => {
    app = await openBoard(sealedWorkshop(12), { columns: 160, rows: 50 });
    await app.press('v');
    // every level on the projector, scrolled, and the standings
    await app.press('j', 'j', right, 'j', 'k', right, 's', 'j', escape, 'c', right);
    await app.press(escape); // the board again
    let f = app.frame();
    expect(f).toContain('sealed: solution names and hook sets hidden (R reveals them)');
    expect(app.frames.length).toBeGreaterThan(10);
    for (const frame of app.frames) {
      expect(frame).not.toContain(SECRET_NAME);
      for (const site of SECRET_SITES) expect(frame).not.toContain(site);
    }
    expect(f).toContain('(sealed)');
    // the trainer decides: the names come back (so the check above can fail)
    await app.press('R');
    f = await until(app, (x) => x.includes(SECRET_NAME), 'the revealed names');
    expect(f).toContain('sealed workshop, revealed (R hides again)');
    await app.press('v');
    expect(app.frame()).toContain(`${SECRET_NAME} trick`);
  });

  it("rule: a player's machine (no trainer key) lists the sealed entries as unreadable and cannot reveal", async () => {
    const dir = sealedWorkshop(3);
    // the key is gone from this machine: it is a player's
    rmSync(join(process.env.PVLAB_CONFIG_DIR!, 'workshop-keys'), { recursive: true, force: true });
    app = await openBoard(dir, { columns: 100, rows: 30 });
    let f = app.frame();
    expect(f).toContain("a sealed entry: only the trainer's board opens it");
    await app.press('R');
    f = app.frame();
    expect(f).toContain("only the trainer's machine (with the workshop's key) can reveal the board");
    for (const frame of app.frames) expect(frame).not.toContain(SECRET_NAME);
  });

  it('rule: the projector counts down to the round deadline', async () => {
    app = await openBoard(sealedWorkshop(3, Date.now() + 2 * 3600_000), { columns: 100, rows: 30 });
    await app.press('v');
    const f = await until(app, (x) => /closes in [12]:\d\d:\d\d/.test(x), 'the countdown');
    expect(f).toMatch(/next level in \d+ s \(c stops\)/);
    await app.press('c');
    expect(app.frame()).toContain('cycling paused (c)');
  });
});

describe('the projector reducer (pure: the time comes with the tick)', () => {
  const level = (id: string) => ({
    level: id, title: id, metrics: ['hooks' as const], entries: [], ties: [], pareto: [], paretoGroups: [], histograms: [],
    summary: { solutions: 0, passing: 0, players: 0, solvedBy: 0, approaches: 0, passingApproaches: 0 }, hist: [], notes: [],
  });
  const board = {
    dir: '/w', levels: [level('a'), level('b'), level('c')], invalid: [], solutions: 0, sealed: false, hidden: false,
    canReveal: false, round: null, standings: [], warnings: [],
  };
  function onProjector(): State {
    let s = initialState({ campaign: campaign(), progress: { levels: {} }, settings: { ...defaultSettings(), workshopDir: '/w' } });
    s = reduce({ ...s, cursor: { ...s.cursor, menu: MENU_ITEMS.findIndex((m) => m.id === 'workshop') } }, { type: 'key', action: 'select' });
    s = reduce(s, { type: 'workshop', update: { kind: 'board', board, ms: 1, scored: 0 } });
    return reduce(s, { type: 'key', action: 'projector' });
  }

  it('rule: the levels cycle every CYCLE_MS of ticks; keys and c reset or stop the cycle', () => {
    let s = onProjector();
    expect(s.screen).toBe('projector');
    s = reduce(s, { type: 'tick', now: 1_000 }); // the first tick sets the timer
    expect(s.workshop!.level).toBe(0);
    s = reduce(s, { type: 'tick', now: 1_000 + CYCLE_MS - 1 });
    expect(s.workshop!.level).toBe(0);
    s = reduce(s, { type: 'tick', now: 1_000 + CYCLE_MS });
    expect(s.workshop!.level).toBe(1);
    // a level chosen by hand is shown a whole period
    s = reduce(s, { type: 'key', action: 'right' });
    expect(s.workshop!.level).toBe(2);
    s = reduce(s, { type: 'tick', now: 1_000 + 2 * CYCLE_MS - 1 });
    expect(s.workshop!.level).toBe(2);
    s = reduce(s, { type: 'tick', now: 1_000 + 2 * CYCLE_MS });
    expect(s.workshop!.level).toBe(0); // around
    s = reduce(s, { type: 'key', action: 'cycle' });
    s = reduce(s, { type: 'tick', now: 1_000 + 10 * CYCLE_MS });
    expect(s.workshop!.level).toBe(0);
    // off the projector, ticks only keep the time
    s = reduce(reduce(s, { type: 'key', action: 'cycle' }), { type: 'key', action: 'projector' });
    expect(s.screen).toBe('workshop');
    s = reduce(s, { type: 'tick', now: 1_000 + 20 * CYCLE_MS });
    expect(s.workshop!.level).toBe(0);
    expect(s.workshop!.now).toBe(1_000 + 20 * CYCLE_MS);
  });

  it('rule: the countdown reads the time it is given', () => {
    expect(countdown(Date.UTC(2026, 11, 7, 22), Date.UTC(2026, 11, 7, 20, 58, 30))).toBe('closes in 1:01:30');
    expect(countdown(Date.UTC(2026, 11, 7, 22), Date.UTC(2026, 11, 7, 21, 55, 1))).toBe('closes in 4:59');
    expect(countdown(Date.UTC(2026, 11, 7, 22), Date.UTC(2026, 11, 7, 22, 0, 1))).toBe('round closed at 22:00 UTC');
  });
});
