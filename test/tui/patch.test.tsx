// The patch screen (results → p): the placement as a kernel patch with its review,
// scrollable, coloured as a diff (plain under NO_COLOR), written next to the solution (w),
// mainline's placement beside it on a solved level (m).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chalk from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import type { Solution } from '../../src/io/schema.js';
import type { VerifyResult } from '../../src/sim/verify.js';
import { openPersistence } from '../../src/tui/persistence.js';
import { diffRole } from '../../src/tui/patch-doc.js';
import { mainlineHooks } from '../../src/patch/mainline.js';
import { initialState, reduce, type State } from '../../src/tui/state.js';
import { KEYS, campaign, defaultSettings, fakePersistence, renderApp, settle, type Rendered } from './helpers.js';

let app: Rendered | null = null;
afterEach(async () => {
  if (app) await app.unmount();
  app = null;
});

const { right, enter, space, down } = KEYS;
 
const COLOUR = /\u001b\[(3[0-7]|9[0-7]|38;)/;

/** Board of the fixture level: place ptep_clear (live) and run: a pass. */
const PASS = [enter, enter, right, space, space, 'r'];
/** kmap only: a fail (swap to the disk never maps the page: it reaches the device secure). */
const FAIL = [enter, enter, right, right, right, space, 'r'];

/**
 * Scroll down until the frame shows `text` (at most 200 lines): ten lines a press (page
 * down), fewer than the view's rows at 80x24, so every line of the patch is on some frame,
 * at a tenth of the frames a line a press takes (down itself: the review's test below).
 */
async function scrollTo(a: Rendered, text: string): Promise<string> {
  for (let i = 0; i < 20 && !a.frame().includes(text); i++) await a.press(KEYS.pageDown);
  return a.frame();
}
const scrollToReview = (a: Rendered) => scrollTo(a, 'Review (pvlab engine)');

/** Wait while the patch is being rendered (src/patch loads on first use, then reviews on every seed). */
async function patchReady(a: Rendered): Promise<void> {
  await settle();
  for (let i = 0; i < 500 && a.frame().includes('rendering the patch'); i++) await settle(10);
}
 
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('patch screen', () => {
  it('p on a passing result: the patch as a diff, its review, w writes it next to the solution, m shows mainline', async () => {
    const ports = fakePersistence();
    app = await renderApp({}, { ports });
    await app.press(...PASS);
    await settle();
    await settle();
    expect(app.frame()).toContain('PASS');
    await app.press('p');
    expect(app.frame()).toContain('Your placement as a kernel patch');
    await patchReady(app);
    let f = app.frame();
    expect(f).toContain('pvlab · kernel patch');
    expect(f).toContain('Subject: [PATCH] s390/mm: export secure pages on unmap, destroy them at teardown');
    expect(await scrollTo(app, 'diff --git a/arch/s390/include/asm/pgtable.h')).toContain('diff --git a/arch/s390/include/asm/pgtable.h');
    expect(await scrollTo(app, 'if (full && !uv_destroy_owned_page')).toMatch(/\+ +if \(full && !uv_destroy_owned_page/);
    f = await scrollToReview(app);
    expect(f).toContain('Review (pvlab engine): PASS');
    await app.press('w');
    expect(ports.patches).toHaveLength(1);
    expect(ports.patches[0].file).toMatch(/^\/tmp\/fake-saves\/swap-pressure--.*\.patch$/);
    expect(ports.patches[0].text).toMatch(/^From: ada <ada@pvlab\.invalid>\n/);
    expect(app.frame()).toContain('patch written to /tmp/fake-saves/swap-pressure--');
    await app.press('m');
    await patchReady(app);
    f = app.frame();
    expect(f).toContain("Mainline's placement as a kernel patch");
    expect(f).toContain('Subject: [PATCH] mm/gup/writeback, s390/mm:');
    await app.press('w'); // only the player's own patch is written
    expect(ports.patches).toHaveLength(1);
    await app.press('m');
    expect(app.frame()).toContain('Your placement as a kernel patch');
    await app.press('q');
    expect(app.frame()).toContain('pvlab · results');
  });

  it('p on a failing result: the review names the open path; mainline waits until the level is solved', async () => {
    app = await renderApp();
    await app.press(...FAIL);
    await settle();
    expect(app.frame()).toContain('FAIL');
    await app.press('p');
    await patchReady(app);
    expect(await scrollTo(app, 'diff --git a/include/linux/highmem-internal.h')).toContain('diff --git a/include/linux/highmem-internal.h');
    expect(await scrollTo(app, 'VM_BUG_ON_PAGE')).toContain('+    VM_BUG_ON_PAGE(access_ret != 0, page);');
    const f = await scrollToReview(app);
    expect(f).toContain('Review (pvlab engine): FAIL');
    for (let i = 0; i < 4; i++) await app.press(down);
    expect(app.frame()).toContain('mm/page_io.c: swap_writepage()  [error, open-path]');
    await app.press('m');
    expect(app.frame()).toContain("solve the level to compare with mainline's placement");
  });

  it('fits 80x24, and is coloured as a diff only when colours are on', async () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      app = await renderApp({ forceNoColor: true }, { size: { columns: 80, rows: 24 } });
      await app.press(...PASS);
      await settle();
      await settle();
      await app.press('p');
      await settle();
      for (const l of plain(app.frame()).split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);
      expect(app.frame().split('\n').length).toBeLessThanOrEqual(23);
      await scrollTo(app, 'diff --git');
      await scrollToReview(app);
      expect(app.frames.join('')).not.toMatch(COLOUR);
      await app.unmount();
      app = await renderApp({}, { size: { columns: 80, rows: 24 } });
      await app.press(...PASS);
      await settle();
      await settle();
      await app.press('p');
      await settle();
      expect(app.frame()).toMatch(COLOUR);
    } finally {
      chalk.level = level;
    }
  });
});

describe('patch screen: reducer and port', () => {
  const base = (): State => initialState({ campaign: campaign(), progress: { levels: {} }, settings: defaultSettings() });

  it('diff lines take roles: added ok, removed bad, hunk headers accent, mail headers title', () => {
    expect(diffRole('+\tif (x)', true).role).toBe('ok');
    expect(diffRole('-old', true).role).toBe('bad');
    expect(diffRole('@@ -1,2 +1,3 @@', true).role).toBe('accent');
    expect(diffRole('+++ b/mm/gup.c', true).bold).toBe(true);
    expect(diffRole('Subject: [PATCH] x', false).role).toBe('title');
    expect(diffRole('- a list item in the message', false).role).toBe('plain');
  });

  it('mainline placement by era: FOLL_PIN GUP walks, writeback, the PTE-clear export (destroy at teardown since 2021)', () => {
    const lv = campaign()[0];
    expect(mainlineHooks({ ...lv, kernel: '5.7' })).toEqual([{ site: 'gup_fast', when: 'pin' }, { site: 'gup_slow', when: 'pin' }, { site: 'writeback' }, { site: 'ptep_clear' }]);
    expect(mainlineHooks(lv).at(-1)).toEqual({ site: 'ptep_clear', when: 'live' });
  });

  it('scrolling is clamped to the document; w asks for a savePatch effect with the solution and the text', () => {
    const lv = campaign()[0];
    let s: State = { ...base(), screen: 'patch', level: lv, stack: ['menu', 'results'],
      results: { verify: { passed: true } as unknown as VerifyResult, hooks: [{ site: 'ptep_clear' }], others: [], cx: 0, scroll: 0, shareCode: null, exists: null, savedAs: 'mine' },
      patch: { which: 'player', scroll: 0, player: { title: 't', verdict: 'v', text: 'PATCH', lines: [{ text: 'a', role: 'plain' }, { text: 'b', role: 'plain' }] }, mainline: null, savedFile: null } };
    s = reduce(s, { type: 'key', action: 'up' });
    expect(s.patch!.scroll).toBe(0);
    s = reduce(s, { type: 'key', action: 'pageDown' });
    expect(s.patch!.scroll).toBe(1);
    s = reduce(s, { type: 'key', action: 'savePatch' });
    const e = s.effects.at(-1)!;
    expect(e.kind).toBe('savePatch');
    if (e.kind === 'savePatch') {
      expect(e.text).toBe('PATCH');
      expect(e.solution).toMatchObject({ level: lv.id, name: 'mine', hooks: [{ site: 'ptep_clear' }] });
    }
    s = reduce(s, { type: 'patchSaved', file: '/x/y.patch' });
    expect(s.patch!.savedFile).toBe('/x/y.patch');
  });

  it('the real port writes the .patch atomically next to where the solution is saved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvlab-patch-port-'));
    try {
      const ports = openPersistence({ cwd: join(dir, 'config') });
      ports.updateSettings({ savesDir: join(dir, 'saves') });
      const sol: Solution = { format: 'pvlab-solution@1', level: 'swap-pressure', name: 'Unmap export', author: 'ada', hooks: [{ site: 'ptep_clear' }] };
      const saved = ports.saveSolution(sol, { overwrite: false });
      const r = ports.savePatch(sol, 'From: ada\n');
      expect(saved.ok && r.ok).toBe(true);
      if (saved.ok && r.ok) {
        expect(r.file).toBe(saved.file.replace(/\.json$/, '.patch'));
        expect(readFileSync(r.file, 'utf8')).toBe('From: ada\n');
        expect(ports.savePatch(sol, 'again\n').ok).toBe(true); // a later render replaces it
        expect(readFileSync(r.file, 'utf8')).toBe('again\n');
      }
      expect(existsSync(join(dir, 'saves'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
