// `pvlab bench`: the JSON contract (quick mode; the figures themselves are not asserted,
// the machine is shared) and the campaign measurement with and without reference solutions.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pvlab as run } from '../helpers/cli.js';
import { benchConfig, campaignBench, defaultSolutionsDir } from '../../src/commands/bench/measure.js';
import { loadCampaign } from '../../src/io/files.js';
import { Engine } from '../../src/sim/engine.js';
import { WORKLOAD_IDS } from '../../src/sim/model.js';

async function pvlab(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const r = await run(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('pvlab bench', () => {
  it('--json --quick reports every field with the sizes used', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pvlab-nosolutions-'));
    const r = await pvlab('bench', '--json', '--quick', '--solutions', empty);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.sizes.map((s: { pages: number }) => s.pages)).toEqual([1024, 65536, 1 << 20]);
    for (const s of j.sizes) {
      expect(s.events).toBeGreaterThan(0);
      expect(s.eventsPerSecond).toBeGreaterThan(0);
      expect(s.cpuMs).toBeGreaterThan(0);
      expect(s.stateBytes).toBe(s.pages * 6); // st, fl (2 bytes), refs, pins, exporter
    }
    expect(j.eventsPerSecond).toBe(j.sizes[1].eventsPerSecond);
    expect(j.eventsPerSecondPages).toBe(65536);
    // the yardstick: a bare loop over the same pages and events, and the engine's share of it
    expect(j.bareLoop).toMatchObject({ pages: 65536, events: j.sizes[1].events });
    expect(j.bareLoop.eventsPerSecond).toBeGreaterThan(0);
    expect(j.engineVsBare).toBeCloseTo((j.sizes[1].events / j.sizes[1].cpuMs) / (j.bareLoop.events / j.bareLoop.cpuMs), 2);
    // no reference solutions: said so, and null
    expect(j.campaignVerifyMs).toBeNull();
    expect(j.campaign.reason).toMatch(/no reference solutions in .*pvlab-nosolutions-/);
    expect(j.statesPerSecond).toBeGreaterThan(0);
    expect(j.exhaustive.states).toBeGreaterThan(100);
    expect(j.peakRssMb).toBeGreaterThan(10);
    expect(j.quick).toBe(true);
    // run from the sources (no dist/ beside them): the game's figures say why they are missing
    expect(j.startup.reason).toMatch(/hello\.js is missing/);
    expect(j.keys.reason).toMatch(/cli\.js is missing/);
  });

  it('verifies the levels that have a reference solution: the passing ones pass, a failing one is named, the others are listed missing', () => {
    // a few levels, not the campaign: test/levels/campaign.test.ts verifies every reference
    // (seeds and the small machine) and `npm run bench` measures them all
    const dir = mkdtempSync(join(tmpdir(), 'pvlab-somesolutions-'));
    const src = defaultSolutionsDir();
    for (const id of ['swap-pressure', 'tdx']) copyFileSync(join(src, `${id}.reference.json`), join(dir, `${id}.reference.json`));
    // before-busy's naive solution races: it fails hidden seeds
    copyFileSync(join(src, 'before-busy.naive.json'), join(dir, 'before-busy.reference.json'));
    const c = campaignBench(dir, 1);
    if ('reason' in c) throw new Error(c.reason);
    expect(c.levels).toBe(3);
    expect(c.missing).toHaveLength(loadCampaign().length - 3);
    expect(c.missing).not.toContain('tdx');
    expect(c.seeds).toBeGreaterThanOrEqual(3);
    expect(c.failing).toEqual(['before-busy']);
    expect(c.exhaustiveFailing.filter((id) => id !== 'before-busy')).toEqual([]);
    expect(c.exhaustiveStates).toBeGreaterThan(0);
    expect(c.ms).toBeGreaterThan(0);
  });

  it('the mix runs every workload and the events count what was simulated', () => {
    const cfg = benchConfig(4096, 50_000);
    expect(cfg.workloads.map((w) => w.kind)).toEqual([...WORKLOAD_IDS]);
    const e = new Engine(cfg, [], 1);
    e.run();
    for (let w = 0; w < e.workloads.length; w++) expect(e.metricsOf(w).events, e.workloads[w].id).toBeGreaterThan(0);
    // about the requested events, plus one per page at teardown
    expect(e.totals().events).toBeGreaterThan(40_000 + 4096);
    expect(e.totals().events).toBeLessThan(80_000 + 4096);
  });
});
