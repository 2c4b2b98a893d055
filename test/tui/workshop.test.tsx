// The workshop board screen: the folder of the Workshop folder setting ranked on screen,
// refreshed by itself when files change, responsive while thousands of files are scored.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { WorkshopWatcher, type WorkshopUpdate } from '../../src/tui/workshop.js';
import { KEYS, campaign, defaultSettings, fakePersistence, renderApp, settle, tempDir, type Rendered } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/board/workshop/', import.meta.url));
const { enter, right } = KEYS;
let app: Rendered | null = null;
afterEach(async () => {
  if (app) await app.unmount();
  app = null;
});

function tempCopy(): string {
  const dir = tempDir('pvlab-workshop-');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const solution = (name: string, author: string, hooks: unknown[]) =>
  JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name, author, hooks });

async function openBoard(dir: string, size = { columns: 100, rows: 30 }, playerName = 'ada'): Promise<Rendered> {
  const ports = fakePersistence({ settings: { ...defaultSettings(), workshopDir: dir, playerName } });
  const a = await renderApp({}, { ports, size });
  await a.menuTo('workshop');
  await a.press(enter);
  await until(a, 'refreshed');
  return a;
}

async function until(a: Rendered, text: string | RegExp, ms = 20_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const f = a.frame();
    if (typeof text === 'string' ? f.includes(text) : text.test(f)) return f;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${String(text)}; the screen was:\n${f}`);
    await settle(25);
  }
}

describe('the workshop board screen', () => {
  it('rule: ranking with ties, the Pareto front, histograms, the player highlighted, bad files with their reason', async () => {
    // tall enough for all seven rows, the two tie lines, the histogram and the bad files
    app = await openBoard(FIXTURE, { columns: 100, rows: 38 });
    const f = app.frame();
    expect(f).toContain('swap-pressure: Swap under memory pressure');
    // the stars' rule: par ranks hooks only here, so the three one-hook three-star entries tie
    // (dave's 0.004% lower cost is no metric of par), listed by submission time, then file
    expect(f).toMatch(/^ =1\s+◆ ada\s+unmap\s+pass ★★★\s+10854\.9 .* P$/m); // the player's own row
    expect(f).toMatch(/^ =1\s+bob\s+unmap any/m);
    expect(f).toMatch(/^ =1\s+dave\s+writeback only\s+pass ★★★\s+10854\.5 .* P$/m);
    expect(f).toContain("tie at rank 1 (3): ada 'unmap', bob 'unmap any', dave 'writeback only'");
    expect(f).toContain("Pareto front (P, 3): ada 'unmap', bob 'unmap any', dave 'writeback only'");
    expect(f).toMatch(/^ 4\s+carol/m);
    expect(f).toContain('cost (passing solutions)');
    expect(f).toMatch(/10854\.9 \|#+ +2/); // the histogram bar of the two tied solutions
    // the player is the folder; an author field naming someone else is marked (A), and the
    // escape sequences in frank's file never reach the terminal (columns stay aligned)
    expect(f).not.toMatch(/\u001b/);
    const lines = f.split('\n');
    // the failing rows are equal on the level's par (hooks) and submitted in the same second: a tie
    const frank = lines.find((l) => /^ =6\s+AL\s+frank\s+kmap\s+FAIL 15\/15/.test(l))!;
    const dave = lines.find((l) => /^ =1\s+dave/.test(l))!;
    expect(frank.indexOf('FAIL')).toBe(dave.indexOf('pass'));
    expect(f).toContain('A = its author field names someone else');
    expect(f).toContain('Not ranked (8)');
    expect(f).toContain('✗ broken/a-level.json: a level file, not a solution');
    expect(f).toContain('✗ broken/sandbox.json: a sandbox solution: no level to rank it on');
    for (const l of f.split('\n')) expect(l.length).toBeLessThanOrEqual(100);
  });

  it.each([{ columns: 80, rows: 24 }, { columns: 100, rows: 30 }])('rule: at $columns x $rows nothing is cut mid-word: columns that do not fit are left out, notes and reasons wrap', async (size) => {
    app = await openBoard(FIXTURE, size);
    const f = app.frame();
    const lines = f.split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(size.columns);
    // the status keeps what fits, whole (the folder goes first when it does not)
    expect(lines[1]).toMatch(/^ 7 solutions on 1 level · 8 bad files · refreshed 1 time( · \d+ ms, \d+ scored, \d+ cached)?$/);
    // the table's header ends at the P column: the metric columns that fit, whole
    const head = lines.find((l) => l.startsWith(' rank'))!;
    expect(head).toMatch(/ cost {2}hooks {2}wasted {4}stall( +exports)? {2}P( · \d+ solutions, \d+ passing)?$/);
    expect(f).toContain('L = looks like');
    expect(f.replace(/\n\s+/g, ' ')).toContain('L = looks like another name'); // the legend wraps, whole
    // an ellipsis only where files are left out
    for (const l of lines) if (l.includes('…')) expect(l).toMatch(/^ … and \d+ more$/);
  });

  it('rule: v opens the projector (one level, aligned, stars and par); v again is the board', async () => {
    app = await openBoard(FIXTURE);
    await app.press('v');
    let f = app.frame();
    expect(f).toContain('pvlab · projector');
    expect(f).toContain('par: hooks 1 · ranked by stars, then hooks');
    expect(f).toMatch(/◆\s+=1\s+ada\s+unmap\s+★★★\s+1\s+P\n\n\s+=1\s+bob/); // a blank line between rows that fit
    expect(f).toMatch(/=6\s+frank\s+AL\s+kmap\s+FAIL 15\/15\s+-\n/);
    await app.press('v');
    f = app.frame();
    expect(f).toContain('tie at rank 1 (3)');
  });

  it('rule: the player is the folder; look-alike names (L) and authors naming someone else (A) are marked across folders', async () => {
    const dir = tempCopy();
    const unmap = [{ site: 'ptep_clear', when: 'live' }];
    mkdirSync(join(dir, '\u0430da')); // Cyrillic a: looks like ada
    writeFileSync(join(dir, '\u0430da', 'swap-pressure--x.json'), solution('look-alike', '\u0430da', unmap));
    writeFileSync(join(dir, 'mallory', 'swap-pressure--claim.json'), solution('claimed', 'ada', unmap));
    app = await openBoard(dir, { columns: 120, rows: 40 });
    const f = app.frame();
    const row = (name: string) => f.split('\n').find((l) => l.includes(name)) ?? '';
    expect(row('look-alike')).toMatch(/^ =1\s+L\s+\u0430da\s+look-alike/); // not the player's own row: no ◆
    expect(row("unmap   ")).toMatch(/^ =1\s+L\s+◆ ada\s+unmap/); // ada is marked too: the two look alike
    expect(row('claimed')).toMatch(/^ =1\s+AL\s+mallory\s+claimed/); // the folder is the player, not the author
    expect(row('unmap any')).toMatch(/^ =1\s+bob/); // no mark
  });

  it('rule: without a folder the screen says where to set one', async () => {
    app = await renderApp();
    await app.menuTo('workshop');
    await app.press(enter);
    expect(app.frame()).toContain('No workshop folder is set. Choose one in Settings');
  });

  it('rule: the board refreshes by itself when a file is added or removed (debounced), keeping the level in view', async () => {
    const dir = tempCopy();
    app = await openBoard(dir);
    expect(app.frame()).not.toContain('zed');
    mkdirSync(join(dir, 'zed'));
    writeFileSync(join(dir, 'zed', 'swap-pressure--zed.json'), solution('zed way', 'zed', [{ site: 'reclaim_scan' }, { site: 'ptep_clear', when: 'live' }]));
    let f = await until(app, 'zed way');
    expect(f).toContain('refreshed 2 times');
    expect(f.split('\n')[1]).toMatch(/1 scored, 7 cached/); // only the new file was scored again
    rmSync(join(dir, 'ada'), { recursive: true });
    f = await until(app, /refreshed 3 times/);
    expect(f).not.toContain('◆ ada');
    expect(f).toContain('swap-pressure: Swap under memory pressure');
  });

  it('rule: 3000 solution files are scored in the background; keys are read meanwhile', async () => {
    const dir = tempDir('pvlab-workshop-big-');
    const variants = [
      [{ site: 'ptep_clear', when: 'live' }], [{ site: 'ptep_clear', when: 'any' }], [{ site: 'writeback' }],
      [{ site: 'ptep_clear', when: 'live' }, { site: 'kmap' }], [], [{ site: 'bio_submit' }],
    ];
    for (let p = 0; p < 100; p++) {
      mkdirSync(join(dir, `player${p}`));
      for (let i = 0; i < 30; i++) {
        writeFileSync(join(dir, `player${p}`, `swap-pressure--s${i}.json`), solution(`s${i}`, '', variants[(p + i) % variants.length]!));
      }
    }
    const ports = fakePersistence({ settings: { ...defaultSettings(), workshopDir: dir } });
    // the built game scores in its worker thread (npm test builds first)
    const worker = fileURLToPath(new URL('../../dist/tui/workshop-worker.js', import.meta.url));
    if (!existsSync(worker)) throw new Error(`${worker} is missing: run 'npm run build'`);
    process.env.PVLAB_WORKSHOP_WORKER = worker;
    app = await renderApp({}, { ports });
    // the event loop's longest wait while the folder is read and scored
    let last = performance.now();
    let worst = 0;
    const tick = setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last); last = now; }, 2);
    try {
      await app.menuTo('workshop');
      await app.press(enter);
      // keys while the folder is scored: each read and drawn at once
      expect(app.frame()).not.toContain('refreshed');
      const t0 = performance.now();
      await app.press('v', 'v');
      const keyMs = (performance.now() - t0) / 2;
      await until(app, 'refreshed', 60_000);
      console.log(`workshop board, 3000 files: a key while scoring took ${keyMs.toFixed(1)} ms to its frame`);
      expect(keyMs).toBeLessThan(100);
      expect(app.frame()).toContain('3000 solutions on 1 level');
      // it showed its progress on the way (frames while the folder was read)
      expect(app.frames.some((x) => /reading \d+\/100 entries/.test(x))).toBe(true);
    } finally {
      clearInterval(tick);
      delete process.env.PVLAB_WORKSHOP_WORKER;
    }
    console.log(`workshop board, 3000 files: longest event-loop wait ${worst.toFixed(1)} ms`);
    expect(worst).toBeLessThan(250); // slices of ~8 ms; one new hook set scored whole
  });

  it('rule: one scoring per (level, hooks): a refresh takes unchanged content from the cache', async () => {
    const updates: WorkshopUpdate[] = [];
    const w = new WorkshopWatcher(FIXTURE, campaign(), (u) => updates.push(u), 10);
    await act(async () => {
      w.refresh();
      for (let i = 0; i < 200 && !updates.some((u) => u.kind === 'board'); i++) await new Promise((r) => setTimeout(r, 10));
      updates.length = 0;
      w.refresh();
      for (let i = 0; i < 200 && !updates.some((u) => u.kind === 'board'); i++) await new Promise((r) => setTimeout(r, 10));
    });
    w.stop();
    const b = updates.find((u) => u.kind === 'board');
    expect(b && b.kind === 'board' && b.scored).toBe(0);
    expect(b && b.kind === 'board' && b.board.solutions).toBe(7);
  });
});

void right;
