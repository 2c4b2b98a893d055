// End to end: the BUILT game (node dist/cli.js, built by the global setup) in a real
// pseudo-terminal under tmux.
// One key per send-keys (keys in one chunk arrive as one input), CI=false in the game's
// environment (with CI set Ink draws nothing until exit; docs/contributing.md), the screen
// read with capture-pane, polled until the expected text shows (no fixed sleeps).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import type { Solution } from '../../src/io/schema.js';
import { SITES } from '../../src/sim/model.js';
import { slotColumns } from '../../src/tui/graph.js';

const root = resolve(__dirname, '../..');
const cli = join(root, 'dist/cli.js');
const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!hasTmux) {
  console.warn('SKIPPED the end-to-end TUI test: tmux was not found (.ci/run installs it with apt-get)');
}

const socket = `pvlab-e2e-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'pvlab-e2e-'));
const env = {
  ...process.env,
  CI: 'false', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'xterm-256color',
  PVLAB_CONFIG_DIR: join(work, 'config'), PVLAB_PROBE: join(work, 'probe.json'),
};

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env, cwd: work });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const screen = () => tmux('capture-pane', '-p', '-t', 'game');

async function waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    last = screen();
    if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${String(text)}; the screen was:\n${last}`);
}

/** One key per send-keys, then wait for what it should show. */
async function key(k: string, expectText: string | RegExp): Promise<string> {
  tmux('send-keys', '-t', 'game', k);
  return waitFor(expectText);
}

describe.skipIf(!hasTmux)('the game in a real terminal (tmux)', () => {
  beforeAll(() => {
    // the shell line reports the exit code and keeps the pane for reading it
    const cmd = `env CI=false ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)}; echo "EXIT=$?"; sleep 600`;
    tmux('new-session', '-d', '-s', 'game', '-x', '100', '-y', '30', cmd);
  });

  afterAll(() => {
    try { tmux('kill-server'); } catch { /* already gone */ }
  });

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
    await key('f', '64 steps/frame');
    await key('e', 'run complete');
    await key('Enter', 'PASS on 15/15 seeds');
    const results = screen();
    expect(results).toMatch(/[123]\/3 stars/);
    if (first.epilogue) expect(results).toContain('Epilogue');
    await key('s', 'Save as:');
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
    const probe = JSON.parse(readFileSync(env.PVLAB_PROBE, 'utf8')) as { firstFrameMs: number; keyLatenciesMs: number[] };
    const lat = probe.keyLatenciesMs.slice().sort((a, b) => a - b);
    console.log(`tmux run: first frame ${probe.firstFrameMs.toFixed(0)} ms after start; keypress-to-frame median ` +
      `${lat[Math.floor(lat.length / 2)].toFixed(1)} ms, max ${lat[lat.length - 1].toFixed(1)} ms over ${lat.length} keys`);
    expect(lat.length).toBeGreaterThan(10);
  });

  it('a terminal too small shows a message, and the game comes back when it grows', async () => {
    tmux('kill-session', '-t', 'game');
    tmux('new-session', '-d', '-s', 'game', '-x', '100', '-y', '30',
      `env CI=false ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} play ${loadCampaign()[0].level.id}; echo "EXIT=$?"; sleep 600`);
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
});
