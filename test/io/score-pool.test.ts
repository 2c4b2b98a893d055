// The board's scoring on every core (src/io/score-pool.ts) gives the very board one thread
// gives: the built binary (worker threads) against this process (the sources: no worker
// file, buildBoard scores in this thread), on a folder with enough distinct hook sets for
// the pool to start.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCampaign } from '../../src/io/files.js';
import { pvlab, spawnPvlab } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pvlab-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the scoring pool', () => {
  it('rule: the board scored in worker threads is the board scored in one thread', async () => {
    // a level with six sites or more: 48 distinct hook sets, by ten players (two workers'
    // worth: the pool starts one per 24 sets). The cheapest such level to score: the
    // board is scored twice, here and in the pool (channel-io: ~25 ms a set, dma-api ~60).
    const six = loadCampaign().map((e) => e.level).filter((l) => l.sites.length >= 6);
    const lv = six.find((l) => l.id === 'channel-io') ?? six[0]!;
    const sites = lv.sites.slice(0, 6);
    for (let i = 0; i < 48; i++) {
      const p = join(dir, `p${i % 10}`);
      mkdirSync(p, { recursive: true });
      const hooks = sites.filter((_, b) => i & (1 << b)).map((site) => ({ site }));
      writeFileSync(join(p, `${lv.id}--${i}.json`), JSON.stringify({ format: 'pvlab-solution@1', level: lv.id, name: `set ${i}`, author: `p${i % 10}`, hooks }));
    }
    const env = { PVLAB_CACHE_DIR: 'off' };
    const one = await pvlab(['board', dir, '--json'], { env });
    const pool = await spawnPvlab(['board', dir, '--json'], { env, timeoutMs: 120_000 });
    expect(one.code).toBe(0);
    expect(pool.code, pool.stderr).toBe(0);
    const a = JSON.parse(one.stdout) as { levels: { entries: unknown[] }[] };
    expect(a.levels[0]!.entries).toHaveLength(48);
    expect(pool.stdout).toBe(one.stdout);
  }, 180_000);
});
