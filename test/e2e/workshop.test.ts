// End to end: the workshop board of the BUILT game in tmux: the folder set in Settings,
// the board opened from the menu, a solution file added by someone else (as a `git pull`
// would), and the board changes by itself.
import { cpSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, hasTmux, openTmux, root } from './tmux.js';
import { MENU_ITEMS } from '../../src/tui/state.js';

const t = openTmux('workshop');
const { work, key, waitFor } = t;
const folder = join(work, 'workshop');

describe.skipIf(!hasTmux)('the workshop board in a real terminal (tmux)', () => {
  beforeAll(() => {
    ensureBuilt();
    cpSync(join(root, 'test/fixtures/board/workshop'), folder, { recursive: true });
    t.start('');
  });
  afterAll(() => t.kill());

  it('rule: adding a file to the workshop folder changes the board on screen by itself', async () => {
    await waitFor('› Continue');
    // Settings → Workshop folder → type the path → enter
    const settingsAt = MENU_ITEMS.findIndex((m) => m.id === 'settings');
    for (let i = 0; i < settingsAt; i++) await key('Down', new RegExp(`› ${MENU_ITEMS[i + 1]!.label}`));
    await key('Enter', 'pvlab · settings');
    for (let i = 0; i < 4; i++) t.tmux('send-keys', '-t', 'game', 'Down');
    await waitFor('› Workshop folder');
    await key('Enter', '█');
    t.tmux('send-keys', '-t', 'game', '-l', folder);
    await waitFor(folder);
    await key('Enter', 'settings saved');
    await key('Escape', '› Settings'); // back on the menu, the cursor where it was
    await key('Up', '› Workshop board');
    let s = await key('Enter', 'refreshed 1 time');
    expect(s).toMatch(/=1\s+.*ada/);
    expect(s).not.toContain('zed');
    // a new player's file lands the way git writes it: a temporary name, then a rename
    mkdirSync(join(folder, 'zed'));
    const tmp = join(folder, 'zed', '.swap-pressure--zed.json.tmp');
    writeFileSync(tmp, JSON.stringify({ format: 'pvlab-solution@1', level: 'swap-pressure', name: 'zed way', author: 'zed', hooks: [{ site: 'reclaim_scan' }, { site: 'ptep_clear', when: 'live' }] }));
    renameSync(tmp, join(folder, 'zed', 'swap-pressure--zed.json'));
    s = await waitFor('zed way');
    expect(s).toContain('refreshed 2 times');
    expect(s).toMatch(/8 solutions on 1 level/);
    s = await key('v', 'pvlab · projector');
    expect(s).toMatch(/=1\s+ada\s+unmap\s+★★★/); // one level, aligned, stars and par
    expect(s).toContain('par: cost');
    await key('q', 'pvlab · workshop board');
    await key('q', 'pvlab · menu');
    await key('q', 'EXIT=0');
  });
});
