// `pvlab analyze`: every placement, scored with the one rule; the Pareto front; the CLI
// contract (exact JSON shape, exit codes).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { pvlab } from './in-process.js';
import { parseLevel } from '../../src/io/schema.js';
import { ANALYZE_MAX_EVENTS, analyzeLevel, analyzeWork, dominates, paretoFront, placementAt, placementCount, placements, sampleIndices } from '../../src/sim/analyze.js';
import type { SiteId } from '../../src/sim/model.js';
import { levelConfig, scoreLevel } from '../../src/sim/score.js';
import { Engine, hookInert, placedHookCount } from '../../src/sim/engine.js';
import { resultOf } from '../../src/sim/run.js';
import { SITES } from '../../src/sim/model.js';
import { loadCampaign } from '../../src/io/files.js';
import { PAR_METRICS } from '../../src/sim/verify.js';
import { RANK_TOLERANCE } from '../../src/sim/ranking.js';

const LEVEL = {
  id: 'analyze-fixture', title: 'Analyze fixture', chapter: 1,
  briefing: 'A small swap level for the analyze tests.',
  arch: 's390-pv', kernel: '6.5', device: 'ccw',
  guest: { pages: 48, shared: 0.1 },
  workloads: [{ kind: 'kvm_fault', touches: 300 }, { kind: 'swap', ops: 40 }, { kind: 'malicious_qemu', ops: 20 }],
  sites: ['reclaim_scan', 'ptep_clear', 'gup_fast'],
  seeds: { visible: [1, 2], hidden: 3 },
  par: { cost: 1e9, hooks: 1 },
};
const lv = parseLevel(LEVEL, 'fixture');
const label = (hooks: { site: string; when?: string }[]) => hooks.map((h) => `${h.site}${h.when ? `[${h.when}]` : ''}`).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'pvlab-analyze-'));
writeFileSync(join(dir, 'level.json'), JSON.stringify(LEVEL));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('placements', () => {
  it('are every combination of "absent" or one `when` value per site, each exactly once', () => {
    const sites: SiteId[] = ['reclaim_scan', 'ptep_clear', 'gup_fast'];
    const all = [...placements(sites)].map(label);
    // reclaim_scan: 2, ptep_clear (any|live): 3, gup_fast (pin|get|any): 4
    expect(placementCount(sites)).toBe(2 * 3 * 4);
    expect(all).toHaveLength(24);
    expect(new Set(all).size).toBe(24);
    expect(all[0]).toBe('');
    expect(all).toContain('reclaim_scan ptep_clear[live] gup_fast[get]');
  });
});

describe('Pareto front', () => {
  const m = (cost: number, hooks: number) => ({ ...Object.fromEntries(PAR_METRICS.map((k) => [k, 0])), cost, hooks }) as Record<(typeof PAR_METRICS)[number], number>;
  it('keeps the points nothing beats on every metric, ties included', () => {
    expect(dominates(m(1, 1), m(2, 1))).toBe(true);
    expect(dominates(m(1, 1), m(1, 1))).toBe(false);
    const pts = [{ metrics: m(1, 3) }, { metrics: m(3, 1) }, { metrics: m(3, 3) }, { metrics: m(1, 3) }];
    expect(paretoFront(pts)).toEqual([pts[0], pts[1], pts[3]]);
  });
});

describe('analyzeLevel', () => {
  const a = analyzeLevel(lv);
  it('agrees with scoreLevel (full, not quick) on every placement: passing, meeting par, best, front', () => {
    let passing = 0, meeting = 0;
    const best: Record<string, number> = {};
    for (const hooks of placements(lv.sites)) {
      const s = scoreLevel(lv, hooks);
      if (!s.passed) continue;
      passing++;
      if (s.allPar) meeting++;
      for (const k of PAR_METRICS) best[k] = Math.min(best[k] ?? Infinity, s.metrics[k]);
    }
    expect(a.placements).toBe(24);
    expect(passing).toBeGreaterThan(0);
    expect(passing).toBeLessThan(24);
    expect(a.passing).toBe(passing);
    expect(a.meetingPar).toBe(meeting);
    expect(a.best).toEqual(best);
    for (const p of a.pareto) {
      const s = scoreLevel(lv, p.hooks);
      expect(s.passed).toBe(true);
      for (const q of a.pareto) expect(dominates(q.metrics, p.metrics, ['cost', 'hooks'])).toBe(false);
    }
    // the front is over the level's par metrics (cost, hooks): it holds the best of each, to the rule's tolerance
    for (const k of ['cost', 'hooks'] as const) {
      expect(Math.min(...a.pareto.map((p) => p.metrics[k]))).toBeLessThanOrEqual(best[k]! * (1 + RANK_TOLERANCE));
    }
    // and no passing placement outside it dominates one on it
    for (const hooks of placements(lv.sites)) {
      const s = scoreLevel(lv, hooks, { quick: true });
      if (!s.passed) continue;
      for (const p of a.pareto) expect(dominates(s.metrics, p.metrics, ['cost', 'hooks'])).toBe(false);
    }
  });

  it('reuses a run only where the engine gives the same one: every placement scored as scoreLevel scores it alone', () => {
    const run = vi.spyOn(Engine.prototype, 'run');
    const seen: string[] = [];
    analyzeLevel(lv, { onScore: (hooks, passed, stars, metrics) => seen.push(JSON.stringify([hooks, passed, stars, metrics ?? null])) });
    const reusing = run.mock.calls.length;
    run.mockClear();
    const alone = [...placements(lv.sites)].map((hooks) => {
      const s = scoreLevel(lv, hooks, { quick: true });
      const metrics = s.passed ? Object.fromEntries(PAR_METRICS.map((k) => [k, s.metrics[k]])) : null;
      return JSON.stringify([hooks, s.passed, s.stars, metrics]);
    });
    expect(seen).toEqual(alone);
    // and it did reuse runs: fewer engine runs than scoring each placement alone
    expect(reusing).toBeGreaterThan(0);
    expect(reusing).toBeLessThan(run.mock.calls.length * 0.9);
  });

  it('hookInert: a hook that would have run nowhere leaves every metric of the run unchanged but the hook count', () => {
    let inert = 0;
    for (const base of [lv, ...['production', 'tdx-copies', 'guest-memfd'].map((id) => loadCampaign().find((e) => e.level.id === id)!.level)]) {
      const cfg = levelConfig(base);
      for (const hooks of placements(base.sites)) {
        const placed = new Set(hooks.map((h) => h.site));
        for (const seed of [1]) {
          const e = new Engine(cfg, hooks, seed);
          e.run();
          for (const site of base.sites) {
            if (placed.has(site)) continue;
            for (const when of SITES[site].when.length ? SITES[site].when : [undefined]) {
              const h = when ? { site, when } : { site };
              if (!hookInert(e.consulted, h)) continue;
              inert++;
              const f = new Engine(cfg, [...hooks, h], seed);
              f.run();
              const r = resultOf(f, seed), q = resultOf(e, seed);
              expect(r.metrics.hooks).toBe(placedHookCount([...hooks, h]));
              expect({ ...r, metrics: { ...r.metrics, hooks: 0 } }).toEqual({ ...q, metrics: { ...q.metrics, hooks: 0 } });
              expect(f.steps).toBe(e.steps);
            }
          }
        }
      }
    }
    expect(inert).toBeGreaterThan(20);
  });

  it('reports progress once per placement', () => {
    const seen: number[] = [];
    analyzeLevel({ ...lv, sites: ['ptep_clear'] }, { onProgress: (d, t) => { expect(t).toBe(3); seen.push(d); } });
    expect(seen).toEqual([1, 2, 3]);
  });
});

afterEach(() => vi.restoreAllMocks());

// A level at the limits: 10 offered sites (6,144 placements) and a long workload; valid
// (verify's own work bound holds), but scoring every placement would take many minutes
const BIG = {
  ...LEVEL, id: 'analyze-big', sites: ['gup_fast', 'gup_slow', 'writeback', 'ptep_clear', 'reclaim_scan', 'splice', 'dma_map', 'bio_submit', 'kmap', 'vm_normal_page'],
  workloads: [{ kind: 'kvm_fault', touches: 5_000_000 }, { kind: 'swap', ops: 40 }], seeds: { visible: [1], hidden: 0 },
};
writeFileSync(join(dir, 'big.json'), JSON.stringify(BIG));

describe('analyze work bounds', () => {
  it('placementAt(i) is the i-th placement of the enumeration, without walking it', () => {
    const sites: SiteId[] = ['reclaim_scan', 'ptep_clear', 'gup_fast'];
    const all = [...placements(sites)].map(label);
    expect(all.map((_, i) => label(placementAt(sites, i)))).toEqual(all);
  });

  it('a sample is distinct, ascending, the same every time, and everything when it asks for more than there is', () => {
    const s = sampleIndices(6144, 50);
    expect(s).toHaveLength(50);
    expect(new Set(s).size).toBe(50);
    expect([...s].sort((a, b) => a - b)).toEqual(s);
    expect(s.every((i) => i >= 0 && i < 6144)).toBe(true);
    expect(sampleIndices(6144, 50)).toEqual(s);
    expect(sampleIndices(5, 9)).toEqual([0, 1, 2, 3, 4]);
  });

  it('the estimate is placements x a verification each; a sample scores only its placements', () => {
    expect(analyzeWork(6144, 5e6)).toMatchObject({ scored: 6144, total: 6144 * 5e6 });
    expect(analyzeWork(6144, 5e6, 10)).toMatchObject({ scored: 10, total: 5e7 });
    expect(analyzeWork(4, 5e6, 10).scored).toBe(4);
  });

  it('a level at the limits is refused before any run, with the estimate and the ways out (exit 2, one line)', async () => {
    const r = await pvlab('analyze', join(dir, 'big.json'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/too much work: level 'analyze-big': 6144 placements x about 5\.0e\+6 page events = about 3\.1e\+10 \(about \d+ min; limit 2e\+9\); add --sample \d+ .* or --max-work 3\.1e\+10 to run all/);
    expect(6144 * 5e6).toBeGreaterThan(ANALYZE_MAX_EVENTS);
  });

  it('--sample scores that many placements and says the counts are of the sample (text and JSON)', async () => {
    const r = await pvlab('analyze', join(dir, 'level.json'), '--sample', '5');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^analyze-fixture: a sample of 5 of 24 placements \(fixed seed; the counts are of the sample\), \d+ pass/);
    const j = await pvlab('analyze', join(dir, 'level.json'), '--sample', '5', '--json');
    const l = JSON.parse(j.out).levels[0];
    expect(Object.keys(l)).toEqual(['id', 'placements', 'sampled', 'passing', 'meetingPar', 'best', 'pareto']);
    expect(l).toMatchObject({ placements: 24, sampled: 5 });
    // the same verdicts as the full enumeration gives those placements
    const direct = analyzeLevel(lv, { sample: sampleIndices(24, 5) });
    expect(direct.passing).toBe(l.passing);
  });

  it('--max-work lowers or raises the bound; a bad value is refused', async () => {
    expect((await pvlab('analyze', join(dir, 'level.json'), '--max-work', '10')).code).toBe(2);
    expect((await pvlab('analyze', join(dir, 'level.json'), '--max-work', '1e12')).code).toBe(0);
    const bad = await pvlab('analyze', join(dir, 'level.json'), '--max-work', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/It must be a positive number/);
  });
});

describe('pvlab analyze', () => {
  it('--json prints exactly {levels:[{id,placements,passing,meetingPar,best,pareto:[{hooks,metrics}]}]}', async () => {
    const r = await pvlab('analyze', join(dir, 'level.json'), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['levels']);
    expect(j.levels).toHaveLength(1);
    const l = j.levels[0];
    expect(Object.keys(l)).toEqual(['id', 'placements', 'passing', 'meetingPar', 'best', 'pareto']);
    expect(l.id).toBe('analyze-fixture');
    expect(l.placements).toBe(24);
    for (const p of l.pareto) {
      expect(Object.keys(p)).toEqual(['hooks', 'metrics']);
      for (const h of p.hooks) expect(Object.keys(h).every((k) => k === 'site' || k === 'when')).toBe(true);
      expect(Object.keys(p.metrics)).toEqual([...PAR_METRICS]);
    }
  });

  it('prints a plain summary line per level', async () => {
    const r = await pvlab('analyze', join(dir, 'level.json'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^analyze-fixture: 24 placements, \d+ pass \([\d.]+%\), \d+ meet every par/);
    expect(r.out).toMatch(/Pareto-optimal \(\d+\):/);
  });

  it('an unknown level is one line on stderr and exit 2', async () => {
    const r = await pvlab('analyze', 'no-such-level');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
