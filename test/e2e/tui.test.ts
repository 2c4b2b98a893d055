// End to end: the BUILT game (node dist/cli.js) in a real pseudo-terminal under tmux.
// One key per send-keys (keys in one chunk arrive as one input), CI=false in the game's environment (with CI set Ink draws nothing until exit; docs/contributing.md),
// the screen read with capture-pane, polled until the expected text shows (no fixed sleeps).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import type { Solution } from '../../src/io/schema.js';
import { SITES } from '../../src/sim/model.js';
import { slotColumns } from '../../src/tui/graph.js';
import { generateLevel } from '../../src/sim/generate/index.js';
import { MENU_ITEMS } from '../../src/tui/state.js';
import { buildLevel } from '../../src/io/level-builder.js';
import { ensureBuilt, hasTmux, openTmux, root } from './tmux.js';

if (!hasTmux) {
  console.warn('SKIPPED the end-to-end TUI test: tmux was not found (.ci/run installs it with apt-get)');
}

const t = openTmux('e2e');
const { work, tmux, screen, waitFor, key } = t;

describe.skipIf(!hasTmux)('the game in a real terminal (tmux)', () => {
  beforeAll(() => {
    ensureBuilt();
    // the shell line reports the exit code and keeps the pane for reading it
    t.start('');
  });

  afterAll(() => t.kill());

  it('plays the first campaign level to a pass, saves it, and quits', async () => {
    // the first level and the hooks of its reference solution (test/solutions)
    const first = loadCampaign()[0].level;
    const ref = JSON.parse(readFileSync(join(root, 'test/solutions', `${first.id}.reference.json`), 'utf8')) as Solution;
    const slots = slotColumns(first.sites);
    await waitFor('› Continue');
    await key('Enter', 'pvlab · briefing');
    // the hint shows in the list, or pinned at the bottom when the briefing is long
    if (first.hints.length) await key('h', new RegExp(`Hints? 1/${first.hints.length}`));
    await key('Enter', 'pvlab · board');
    let col = 0;
    const placed: string[] = [];
    for (const h of ref.hooks) {
      const target = slots.indexOf(h.site);
      for (; col < target; col++) await key('Right', `${slots[col + 1]} — `);
      for (; col > target; col--) await key('Left', `${slots[col - 1]} — `);
      const whens = SITES[h.site].when;
      const presses = whens.length ? whens.indexOf(h.when ?? whens[0]) + 1 : 1;
      for (let i = 0; i < presses; i++) {
        const w = whens.length ? `[${whens[i]}]` : '';
        await key('Space', `${h.site}${w}`);
      }
      placed.push(h.site);
    }
    await waitFor(`hooks (${ref.hooks.length}): `);
    await key('r', /step \d+/);
    // keys during the animated run (their keypress-to-frame latency is in the probe)
    await key('-', '4 steps/frame');
    await key('Space', '❚❚ paused');
    await key('f', '16 steps/frame');
    await key('Space', '▶ running');
    await key('f', '64 steps/frame');
    await key('e', 'run complete');
    await key('Enter', 'PASS on 15/15 seeds');
    const results = screen();
    expect(results).toMatch(/[123]\/3 stars/);
    if (first.epilogue) expect(results).toContain('Epilogue');
    // a first save asks who is saving (kept in the settings), then the save's name (an empty box)
    await key('s', 'Your player name: █');
    for (const [i, c] of [...'ada'].entries()) await key(c, `Your player name: ${'ada'.slice(0, i + 1)}█`);
    await key('Enter', 'Save as: █');
    for (const [i, c] of [...'first'].entries()) await key(c, `Save as: ${'first'.slice(0, i + 1)}█`);
    await key('Enter', 'saved as');
    await key('q', 'pvlab · board');
    await key('q', 'pvlab · briefing');
    await key('q', '✓ solved');
    await key('q', '› Continue');
    await key('q', 'EXIT=0');
    const saves = readdirSync(join(work, 'saves'));
    expect(saves).toHaveLength(1);
    const saved = JSON.parse(readFileSync(join(work, 'saves', saves[0]), 'utf8')) as Solution;
    expect(saved.level).toBe(first.id);
    expect(saved.hooks.map((h) => h.site).sort()).toEqual(placed.sort());
    const probe = JSON.parse(readFileSync(t.probe, 'utf8')) as { firstFrameMs: number; keys: { key: string; screen: string; ms: number }[] };
    const stats = (xs: number[]) => {
      const s = xs.slice().sort((a, b) => a - b);
      return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, p90 ${s[Math.floor(s.length * 0.9)]!.toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms over ${s.length} keys`;
    };
    const lat = probe.keys.map((k) => k.ms);
    console.log(`tmux run: first frame ${probe.firstFrameMs.toFixed(0)} ms after start; keypress-to-frame ${stats(lat)}; ` +
      `during the animated run ${stats(probe.keys.filter((k) => k.screen === 'run').map((k) => k.ms))}`);
    // the probe names each key and its screen: the keys played above, in order
    expect(probe.keys.filter((k) => k.screen === 'run').map((k) => k.key)).toEqual(['-', 'space', 'f', 'space', 'f', 'e', 'enter']);
    expect(lat.length).toBeGreaterThan(10);
  });

  it('rule: every frame is drawn in place (no line of an earlier frame left over, none shifted)', async () => {
    tmux('kill-session', '-t', 'game');
    t.start('');
    const exactlyOnce = (s: string, text: string) => expect(s.split(text).length - 1, `${text} in:\n${s}`).toBe(1);
    let s = await waitFor('› Continue');
    await key('Down', '› Campaign');
    s = screen();
    expect(s.split('\n')[0]).toBe('pvlab · menu');
    exactlyOnce(s, 'Continue ');
    exactlyOnce(s, 'Sandbox ');
    await key('Enter', 'pvlab · campaign');
    s = screen();
    expect(s.split('\n')[0]).toBe('pvlab · campaign'); // the menu's title line is gone
    exactlyOnce(s, 'pvlab · ');
    await key('Down', /› \S+\s+locked/);
    await key('Escape', '› Campaign');
    s = screen();
    expect(s.split('\n')[0]).toBe('pvlab · menu');
    exactlyOnce(s, 'pvlab · ');
    exactlyOnce(s, 'Campaign ');
    await key('q', 'EXIT=0');
  });

  it('a terminal too small shows a message, and the game comes back when it grows', async () => {
    tmux('kill-session', '-t', 'game');
    t.start(`play ${loadCampaign()[0].level.id}`);
    tmux('set-option', '-t', 'game', 'window-size', 'manual');
    await waitFor('pvlab · briefing');
    tmux('resize-window', '-t', 'game', '-x', '70', '-y', '20');
    await waitFor('needs a terminal of at least 80x24');
    tmux('resize-window', '-t', 'game', '-x', '90', '-y', '26');
    await waitFor('pvlab · briefing');
    await key('q', 'pvlab · campaign');
    await key('q', '› Continue');
    await key('q', 'EXIT=0');
  });

  it('rule: a bad level id in the bundled game is one line and exit 2 (the brand crosses bundles)', async () => {
    tmux('kill-session', '-t', 'game');
    t.start('play no-such-level');
    const s = await waitFor('EXIT=2');
    expect(s).toContain("pvlab: unknown level 'no-such-level'; see 'pvlab levels'");
    expect(s).not.toMatch(/at .*\.js:\d+|Error:/); // no stack trace
  });

  it('generates a practice level off the render path, plays its reference to a pass, saves it, and the progress keeps it by seed', async () => {
    tmux('kill-session', '-t', 'game');
    t.start('');
    const g = generateLevel({ seed: 1, difficulty: 'easy' }); // Practice offers seed 1 first
    const slots = slotColumns(g.level.sites);
    await waitFor('› Continue');
    for (let i = 0; i < MENU_ITEMS.findIndex((m) => m.id === 'practice'); i++) t.tmux('send-keys', '-t', 'game', 'Down');
    await waitFor('› Practice');
    await key('Enter', 'pvlab · practice');
    await key('Enter', 'generating an easy level (seed 1)');
    await waitFor('pvlab · briefing', 30_000);
    expect(screen()).toContain(g.level.title);
    await key('Enter', 'pvlab · board');
    let col = 0;
    for (const h of g.reference) {
      const target = slots.indexOf(h.site);
      for (; col < target; col++) await key('Right', `${slots[col + 1]} — `);
      for (; col > target; col--) await key('Left', `${slots[col - 1]} — `);
      const whens = SITES[h.site].when;
      const presses = whens.length ? whens.indexOf(h.when ?? whens[0]) + 1 : 1;
      for (let i = 0; i < presses; i++) await key('Space', `${h.site}${whens.length ? `[${whens[i]}]` : ''}`);
    }
    await waitFor(`hooks (${g.reference.length}): `);
    await key('r', /step \d+/);
    await key('e', 'run complete');
    await key('Enter', /PASS on \d+\/\d+ seeds/);
    expect(screen()).toContain('3/3 stars'); // the enumeration's reference meets every par
    // the player name is asked once per config (an earlier test may have given it)
    await key('s', /Your player name: █|Save as: █/);
    if (screen().includes('Your player name: █')) {
      for (const [i, c] of [...'ada'].entries()) await key(c, `Your player name: ${'ada'.slice(0, i + 1)}█`);
      await key('Enter', 'Save as: █');
    }
    for (const [i, c] of [...'easy'].entries()) await key(c, `Save as: ${'easy'.slice(0, i + 1)}█`);
    await key('Enter', 'saved as');
    await key('q', 'pvlab · board');
    await key('q', 'pvlab · briefing');
    await key('q', 'pvlab · practice');
    await waitFor(/gen-easy-1\s+★★★/);
    expect(screen()).toMatch(/Easy\s+next: seed 2 · 1 played, 1 solved/);
    await key('q', '› Practice');
    await key('q', 'EXIT=0');
    const saves = readdirSync(join(work, 'saves')).filter((f) => f.includes('gen-easy-1'));
    expect(saves).toHaveLength(1);
    const saved = JSON.parse(readFileSync(join(work, 'saves', saves[0]!), 'utf8')) as Solution;
    expect(saved.level).toBe('gen-easy-1');
    expect(saved.hooks.map((h) => h.site).sort()).toEqual(g.reference.map((h) => h.site).sort());
    const config = JSON.parse(readFileSync(join(work, 'config', 'config.json'), 'utf8')) as { progress: { levels: Record<string, { solved: boolean; stars: number }> } };
    expect(config.progress.levels['gen-easy-1']).toMatchObject({ solved: true, stars: 3 });
  });

  it('plays a level file the builder wrote (pvlab play <file>); a file that is not there is one line and exit 2', async () => {
    const file = join(work, 'built-swap.json');
    const r = buildLevel({ file, title: 'Built in the sandbox', briefing: 'Pages go to swap.', hints: ['Where do they leave?'], arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 128, workloads: ['kvm_fault', 'swap'] }, { takenIds: [] });
    expect(r.ok).toBe(true);
    tmux('kill-session', '-t', 'game');
    t.start(`play ${file}`);
    await waitFor('pvlab · briefing', 30_000);
    expect(screen()).toContain('Built in the sandbox');
    await key('Enter', 'pvlab · board');
    await key('q', 'pvlab · briefing');
    // the level file is a chapter of its own beside the campaign
    await key('q', 'Custom levels');
    expect(screen()).toContain('Built in the sandbox');
    await key('q', '› Continue');
    await key('q', 'EXIT=0');
    tmux('kill-session', '-t', 'game');
    t.start(`play ${join(work, 'no-such-level.json')}`);
    const s = await waitFor('EXIT=2');
    expect(s).toContain(`pvlab: ${join(work, 'no-such-level.json')}: no such file or folder`);
    expect(s).not.toMatch(/at .*\.js:\d+|Error:/);
  });
});
